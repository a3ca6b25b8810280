/**
 * Calls a host page makes on the embed stub before the full launcher is loaded (`identify()`), kept
 * in order and replayed on it once it is mounted; after that, calls go straight through. A page can
 * then identify its user on every load without waiting for, or causing, the chat's download.
 */
export class CommandQueue<T> {
  readonly #waiting: ((target: T) => void)[] = [];
  #target: T | undefined;

  /** Runs `command` on the target now when there is one, else when {@link flush} brings it. */
  run(command: (target: T) => void): void {
    if (this.#target === undefined) this.#waiting.push(command);
    else command(this.#target);
  }

  /** The target exists: every waiting command runs on it, oldest first, and later ones run at once. */
  flush(target: T): void {
    this.#target = target;
    for (const command of this.#waiting.splice(0)) {
      try {
        command(target);
      } catch (error) {
        // One bad replay must not drop the calls after it (the stub checked each when it was made).
        console.error('<parley-launcher>: a queued call failed', error);
      }
    }
  }

  /** How many calls wait (tests). */
  get size(): number {
    return this.#waiting.length;
  }
}

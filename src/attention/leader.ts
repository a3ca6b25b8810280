/**
 * One tab rings. Console tabs of one agent on one origin queue for a Web Lock of the same name; the
 * holder is the leader until it stops or its tab closes, and the browser then hands the lock to the
 * next tab in the queue, so exactly one tab leads while any is open and no tab polls or times out.
 * Where Web Locks are missing (an insecure context) every tab leads: ringing twice beats never.
 */

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request(name: string, options: { signal?: AbortSignal }, callback: (lock: unknown) => Promise<void>): Promise<unknown>;
}

export interface TabLeaderOptions {
  /** `navigator.locks` by default; null for none. */
  readonly locks?: LockManagerLike | null;
  /** Told when this tab becomes or stops being the leader. */
  readonly onChange?: (leader: boolean) => void;
}

function defaultLocks(): LockManagerLike | null {
  const nav = globalThis.navigator as (Navigator & { locks?: LockManagerLike }) | undefined;
  return nav?.locks ?? null;
}

export class TabLeader {
  readonly #name: string;
  readonly #options: TabLeaderOptions;
  #leader = false;
  #abort: AbortController | null = null;
  #release: (() => void) | null = null;

  constructor(name: string, options: TabLeaderOptions = {}) {
    this.#name = name;
    this.#options = options;
  }

  get leader(): boolean {
    return this.#leader;
  }

  /** Joins the queue (idempotent). */
  start(): void {
    if (this.#abort) return;
    const abort = new AbortController();
    this.#abort = abort;
    const locks = this.#options.locks === undefined ? defaultLocks() : this.#options.locks;
    if (!locks) {
      this.#set(true);
      return;
    }
    locks.request(this.#name, { signal: abort.signal }, () => {
      if (abort.signal.aborted) return Promise.resolve();
      this.#set(true);
      return new Promise<void>((resolve) => {
        this.#release = resolve;
      });
    }).catch(() => undefined); // AbortError: stopped while queued.
  }

  /** Leaves the queue, or hands the lock to the next tab. */
  stop(): void {
    this.#abort?.abort();
    this.#abort = null;
    this.#release?.();
    this.#release = null;
    this.#set(false);
  }

  #set(leader: boolean): void {
    if (leader === this.#leader) return;
    this.#leader = leader;
    this.#options.onChange?.(leader);
  }
}

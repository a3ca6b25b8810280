/**
 * Fake timers for element tests (STYLE.md §11: no sleeps): the page's `setTimeout` and
 * `requestIdleCallback` only run when the test says so, so "nothing happens later" is checked by
 * running everything that was scheduled instead of waiting. Mocha keeps its own timer references.
 */
export interface FakeTimers {
  /** Callbacks scheduled and not yet run or cancelled. */
  readonly pending: number;
  /** Runs every scheduled callback, and those they schedule, up to `rounds` times over. */
  runAll(rounds?: number): void;
  /** Puts the page's own timers back. */
  restore(): void;
}

export function fakeTimers(): FakeTimers {
  const originals = {
    setTimeout: window.setTimeout,
    clearTimeout: window.clearTimeout,
    requestIdleCallback: window.requestIdleCallback,
    cancelIdleCallback: window.cancelIdleCallback,
  };
  const queue = new Map<number, () => void>();
  let next = 1;
  const add = (run: () => void): number => {
    const id = next++;
    queue.set(id, run);
    return id;
  };
  window.setTimeout = ((handler: TimerHandler, _ms?: number, ...args: unknown[]) =>
    add(() => {
      if (typeof handler === 'function') (handler as (...a: unknown[]) => void)(...args);
    })) as typeof window.setTimeout;
  window.clearTimeout = ((id?: number) => void queue.delete(id ?? 0)) as typeof window.clearTimeout;
  window.requestIdleCallback = ((callback: IdleRequestCallback) =>
    add(() => callback({ didTimeout: false, timeRemaining: () => 50 }))) as typeof window.requestIdleCallback;
  window.cancelIdleCallback = (id: number) => void queue.delete(id);
  return {
    get pending() {
      return queue.size;
    },
    runAll(rounds = 10) {
      for (let i = 0; i < rounds && queue.size > 0; i++) {
        const due = [...queue.entries()];
        queue.clear();
        for (const [, run] of due) run();
      }
    },
    restore() {
      Object.assign(window, originals);
      queue.clear();
    },
  };
}

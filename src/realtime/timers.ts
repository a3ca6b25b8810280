/** Timers and backoff shared by the realtime parts; injectable so tests can drive them. */

export interface Timers {
  readonly set: (callback: () => void, ms: number) => unknown;
  readonly clear: (handle: unknown) => void;
}

export const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Backoff of the outbox and of channel re-creation (ms), the last value repeating. */
export const BACKOFF_MS = [1000, 2000, 5000, 10000] as const;

/** The delay before attempt `attempt` (1-based) of {@link BACKOFF_MS}. */
export function backoff(attempt: number): number {
  return BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length) - 1] ?? 1000;
}

/** One pending timer slot: setting it again replaces nothing (the first stays), clearing is idempotent. */
export class TimerSlot {
  readonly #timers: Timers;
  #handle: unknown = null;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  get pending(): boolean {
    return this.#handle !== null;
  }

  /** Schedules `callback` unless one is pending already; false when it was. */
  schedule(callback: () => void, ms: number): boolean {
    if (this.#handle !== null) return false;
    this.#handle = this.#timers.set(() => {
      this.#handle = null;
      callback();
    }, ms);
    return true;
  }

  clear(): void {
    if (this.#handle !== null) this.#timers.clear(this.#handle);
    this.#handle = null;
  }
}

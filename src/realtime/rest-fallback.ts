/**
 * Live updates without a socket (issue #7). Some networks (corporate proxies, strict firewalls)
 * refuse WebSocket upgrades; realtime then never reaches SUBSCRIBED and replies would never arrive.
 * After {@link FALLBACK_AFTER_MS} without every channel subscribed, the controller polls over REST
 * instead: the list's newest page and, for each open thread, everything after its last seq plus the
 * read markers. That is the same resync every SUBSCRIBED runs, and the dense seq makes it exact, so
 * switching either way loses and doubles nothing. The socket keeps trying in the background
 * (realtime-js's own retries, and reachability.ts); once every channel is subscribed again, polling
 * stops.
 */
import { TimerSlot, type Timers } from './timers.ts';

/**
 * How long the socket may stay down (or not come up at all) before polling starts: longer than a
 * join normally takes and than realtime-js's first two retries (1 s, 2 s), so a short drop never
 * switches modes, yet short enough that a blocked socket is noticed within seconds.
 */
export const FALLBACK_AFTER_MS = 8000;
/** How often a poll runs while polling: a reply reaches the other side within this (plus one request). */
export const POLL_INTERVAL_MS = 5000;
/** After a failed poll, polling waits for the server to answer a probe, then polls this soon. */
export const POLL_RESUME_MS = 1000;

export interface RestFallbackOptions {
  readonly timers: Timers;
  /** One poll; resolves to whether it reached the server. Never rejects. */
  readonly poll: () => Promise<boolean>;
  /** After `active` changed. */
  readonly onChange: () => void;
}

export class RestFallback {
  readonly #options: RestFallbackOptions;
  readonly #wait: TimerSlot;
  readonly #next: TimerSlot;
  #polling = false;
  #lastPollOk = false;
  #inFlight = false;
  #stopped = false;

  constructor(options: RestFallbackOptions) {
    this.#options = options;
    this.#wait = new TimerSlot(options.timers);
    this.#next = new TimerSlot(options.timers);
  }

  /** Polling, and the last poll reached the server: what `<parley-status>` shows as `polling`. */
  get active(): boolean {
    return this.#polling && this.#lastPollOk;
  }

  /** The socket is not (fully) up: start the wait unless it runs already or polling has begun. */
  arm(): void {
    if (this.#stopped || this.#polling) return;
    this.#wait.schedule(() => {
      this.#polling = true;
      void this.#pollNow();
    }, FALLBACK_AFTER_MS);
  }

  /** Every channel is subscribed (or there is nothing to poll for: offline, signed out): stop. */
  disarm(): void {
    this.#wait.clear();
    this.#next.clear();
    const wasActive = this.active;
    this.#polling = false;
    this.#lastPollOk = false;
    if (wasActive) this.#options.onChange();
  }

  /** The server answers again (a probe): if polling paused after a failed poll, poll soon. */
  resume(): void {
    if (!this.#polling || this.#lastPollOk || this.#inFlight) return;
    this.#next.clear();
    this.#next.schedule(() => void this.#pollNow(), POLL_RESUME_MS);
  }

  stop(): void {
    this.#stopped = true;
    this.#wait.clear();
    this.#next.clear();
    this.#polling = false;
  }

  async #pollNow(): Promise<void> {
    if (!this.#polling || this.#inFlight || this.#stopped) return;
    this.#inFlight = true;
    const ok = await this.#options.poll().catch(() => false);
    this.#inFlight = false;
    if (!this.#polling || this.#stopped) return;
    const changed = ok !== this.#lastPollOk;
    this.#lastPollOk = ok;
    // A failed poll does not repeat on its own: a server that is down is left to the probe's
    // backoff, which calls resume() once it answers.
    if (ok) this.#next.schedule(() => void this.#pollNow(), POLL_INTERVAL_MS);
    if (changed) this.#options.onChange();
  }
}

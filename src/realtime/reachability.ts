/**
 * Getting back fast after an outage (issue #9). realtime-js waits out its own reconnect backoff
 * (1, 2, 5, then every 10 s; SUPABASE-WIRE.md §1.4), so after a server restart the widget stayed
 * "Reconnecting…" up to 10 s longer than needed. While the connection is down this asks the server
 * a cheap question on a bounded schedule (and at once on `online` or when the tab shows again); the
 * moment it answers, the caller reopens the socket instead of waiting for realtime-js's next try.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { TimerSlot, type Timers } from './timers.ts';

/**
 * Probe schedule while down: every second for the first ten probes (a restart or deploy is usually
 * back by then, and the widget follows within about a second), then doubling up to one probe every
 * 30 s, so a long outage costs each widget two requests a minute. Each delay gets up to 25 % random
 * extra so widgets that dropped together do not probe in lockstep.
 */
export const PROBE_FAST_MS = 1000;
export const PROBE_FAST_COUNT = 10;
export const PROBE_MAX_MS = 30_000;
/** A probe that has not answered by then counts as down (a black-holed network never answers). */
export const PROBE_TIMEOUT_MS = 5000;

/** The delay before probe number `attempt` (1-based), without jitter. */
export function probeDelay(attempt: number): number {
  if (attempt <= PROBE_FAST_COUNT) return PROBE_FAST_MS;
  return Math.min(PROBE_MAX_MS, PROBE_FAST_MS * 2 ** (attempt - PROBE_FAST_COUNT));
}

/**
 * Asks the project's auth health endpoint (`GET /auth/v1/health` with the apikey): answered by the
 * local stack and by hosted Supabase's gateway alike, with no session and no database work. Any
 * answer below 500 means the server is there; a network error, a timeout or a gateway 5xx (the
 * service behind it is still down) means not yet.
 */
export function healthProbe(client: SupabaseClient, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): () => Promise<boolean> {
  const url = healthUrl(client.realtime.httpEndpoint);
  const apikey = client.realtime.apiKey;
  return async () => {
    try {
      const response = await fetchImpl(url, {
        headers: apikey ? { apikey } : {},
        cache: 'no-store',
        ...(typeof AbortSignal.timeout === 'function' ? { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) } : {}),
      });
      void response.body?.cancel().catch(() => undefined);
      return response.status < 500;
    } catch {
      return false;
    }
  };
}

/**
 * realtime-js derives `httpEndpoint` (`<project>/realtime/v1/api/broadcast`) from the project URL;
 * the health endpoint sits beside it, under the same (possibly path-prefixed) project URL.
 */
export function healthUrl(httpEndpoint: string): string {
  const url = new URL(httpEndpoint);
  const project = url.pathname.replace(/\/realtime\/v1\/api\/broadcast\/?$/, '');
  url.pathname = `${project === url.pathname ? '' : project}/auth/v1/health`;
  url.search = '';
  return url.toString();
}

export interface ReachabilityOptions {
  readonly timers: Timers;
  /** True when the server answers; never rejects. */
  readonly probe: () => Promise<boolean>;
  /** The server answered a probe while the connection was down. */
  readonly onAnswer: () => void;
  /** 0..1, for the jitter; `Math.random` by default. */
  readonly random?: () => number;
}

/** The probe loop: `watch()` while down, `settle()` once connected. */
export class Reachability {
  readonly #options: ReachabilityOptions;
  readonly #timer: TimerSlot;
  #attempts = 0;
  #watching = false;
  #probing = false;
  #stopped = false;

  constructor(options: ReachabilityOptions) {
    this.#options = options;
    this.#timer = new TimerSlot(options.timers);
  }

  /** Probes on the schedule until `settle()`; calling it again while watching changes nothing. */
  watch(): void {
    if (this.#stopped || this.#watching) return;
    this.#watching = true;
    this.#next();
  }

  /** Something says the network or the tab is back (`online`, visible): probe now, schedule from the start. */
  probeNow(): void {
    if (this.#stopped) return;
    this.#watching = true;
    this.#attempts = 0;
    this.#timer.clear();
    void this.#probe();
  }

  /** Connected again: stop probing; the next outage starts the schedule from the beginning. */
  settle(): void {
    this.#watching = false;
    this.#attempts = 0;
    this.#timer.clear();
  }

  stop(): void {
    this.#stopped = true;
    this.settle();
  }

  #next(): void {
    if (!this.#watching || this.#stopped) return;
    this.#attempts += 1;
    const jitter = 1 + 0.25 * (this.#options.random ?? Math.random)();
    this.#timer.schedule(() => void this.#probe(), Math.round(probeDelay(this.#attempts) * jitter));
  }

  async #probe(): Promise<void> {
    if (this.#probing) return;
    this.#probing = true;
    const answered = await this.#options.probe().catch(() => false);
    this.#probing = false;
    if (!this.#watching || this.#stopped) return;
    if (answered) this.#options.onAnswer();
    // Answered or not, keep to the schedule until settle(): an answer does not prove the socket
    // will open (a proxy may block WebSockets), and reopening it must not become a tight loop.
    this.#next();
  }
}

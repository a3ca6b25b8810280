/**
 * One console tab's part in agent availability (issue 13, item 2), without DOM rendering: it
 * registers the tab with a heartbeat when the console signs in and refreshes it every
 * {@link HEARTBEAT_MS} while open, reports how long this tab has gone without input (so the
 * database can say "away" once every tab of the agent is idle for `away-after`), and removes the
 * tab with a keepalive request when the page goes away. The heartbeat's answer is the team's
 * availability, kept in `$team` for the console's header. Only the console runs this: the
 * visitor's widget never runs a timer for it.
 *
 * Time, timers and the input source are injectable, so tests drive idleness without waiting.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { SupabaseClient } from '@supabase/supabase-js';
import {
  AWAY_AFTER_MAX, AWAY_AFTER_MIN, consoleHeartbeat, consoleLeave, leaveRequest, setAvailability,
  type Availability, type LeaveRequest, type TeamAvailability,
} from '../data/availability.ts';
import { thirdPartyToken } from '../data/identity.ts';
import { randomId } from '../ids.ts';
import { realTimers, type Timers } from '../realtime/timers.ts';

/** How often an open console refreshes its row; the database counts a row gone after 150 s. */
export const HEARTBEAT_MS = 30_000;

/** `away-after` when the console does not set one: ten minutes without input in any tab. */
export const DEFAULT_AWAY_AFTER_S = 600;

/** Calls `onInput` on each sign of the agent at this tab; returns how to stop listening. */
export type ActivitySource = (onInput: () => void) => () => void;

/** The page's own input: keys, pointer, wheel, touch, and the tab coming to the front. */
export function pageActivity(target: Window = window): ActivitySource {
  return (onInput) => {
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    const onVisible = (): void => {
      if (target.document.visibilityState === 'visible') onInput();
    };
    for (const type of events) target.addEventListener(type, onInput, { capture: true, passive: true });
    target.document.addEventListener('visibilitychange', onVisible);
    return () => {
      for (const type of events) target.removeEventListener(type, onInput, { capture: true });
      target.document.removeEventListener('visibilitychange', onVisible);
    };
  };
}

/** `away-after` as the database accepts it: whole seconds within its bounds. */
export function clampAwayAfter(seconds: number | null | undefined): number {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DEFAULT_AWAY_AFTER_S;
  return Math.min(AWAY_AFTER_MAX, Math.max(AWAY_AFTER_MIN, Math.round(seconds)));
}

export interface ConsoleAvailabilityOptions {
  readonly client: SupabaseClient;
  /** The console's idle threshold in seconds (read at each beat, so the attribute can change). */
  readonly awayAfter: () => number;
  readonly now?: () => number;
  readonly timers?: Timers;
  readonly activity?: ActivitySource;
  /** Where `pagehide` / `pageshow` are heard; the page's window by default (none without one). */
  readonly window?: Window;
  /** Sends the closing page's leave (and, ahead of it, its preflight); `fetch` by default. */
  readonly send?: (url: string, init: RequestInit) => unknown;
  readonly heartbeatMs?: number;
}

export class ConsoleAvailability {
  /** This tab's id in the sessions table, for the tab's life. */
  readonly sessionId = randomId();
  readonly #team = atom<readonly TeamAvailability[]>([]);
  readonly #options: ConsoleAvailabilityOptions;
  readonly #now: () => number;
  readonly #timers: Timers;
  #timer: unknown = null;
  #running = false;
  #lastInput = 0;
  /** Whether the last beat told the database this tab was idle. */
  #reportedIdle = false;
  #leave: LeaveRequest | null = null;
  #preflightSent = false;
  #stopActivity: (() => void) | null = null;
  #beating: Promise<void> | null = null;

  constructor(options: ConsoleAvailabilityOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#timers = options.timers ?? realTimers;
  }

  /** The team's availability as the last answer had it (every agent, by name). */
  get $team(): ReadableAtom<readonly TeamAvailability[]> {
    return this.#team;
  }

  /** Registers the tab and keeps it registered; idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#lastInput = this.#now();
    this.#reportedIdle = false;
    this.#stopActivity = (this.#options.activity ?? pageActivity(this.#window() ?? window))(this.#onInput);
    const win = this.#window();
    win?.addEventListener('pagehide', this.#onPageHide);
    win?.addEventListener('pageshow', this.#onPageShow);
    void this.beat();
  }

  /** Stops beating and removes the tab's row now (a request that survives the page if it must). */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#clearTimer();
    this.#stopActivity?.();
    this.#stopActivity = null;
    const win = this.#window();
    win?.removeEventListener('pagehide', this.#onPageHide);
    win?.removeEventListener('pageshow', this.#onPageShow);
    this.#sendLeave();
    // A beat already sent may commit after the leave and register the tab again (online for the
    // whole TTL after a sign-out): leave once more when it is answered, unless the tab started again.
    void this.#beating?.then(() => {
      if (!this.#running) this.#sendLeave();
    });
    this.#team.set([]);
  }

  /** Sets the agent's own choice; the team list shows the effect at once. Throws a ParleyError. */
  async choose(value: Availability): Promise<void> {
    const team = await setAvailability(this.#options.client, value);
    if (this.#running) this.#team.set(team);
  }

  /** One heartbeat now (also run by the timer); resolves when answered. Never throws. */
  beat(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    this.#clearTimer();
    this.#beating ??= this.#beat().finally(() => {
      this.#beating = null;
      this.#schedule();
    });
    return this.#beating;
  }

  async #beat(): Promise<void> {
    const { client } = this.#options;
    const awayAfter = clampAwayAfter(this.#options.awayAfter());
    const idleSeconds = Math.max(0, Math.floor((this.#now() - this.#lastInput) / 1000));
    this.#reportedIdle = idleSeconds >= awayAfter;
    try {
      const token = await accessToken(client);
      if (token) this.#leave = leaveRequest(client, this.sessionId, token);
      if (this.#leave && !this.#preflightSent) {
        this.#preflightSent = true;
        this.#send(this.#leave.url, this.#leave.preflight);
      }
      const team = await consoleHeartbeat(client, { session: this.sessionId, idleSeconds, awayAfter });
      if (this.#running) this.#team.set(team);
    } catch {
      // Offline or refused: the next beat tries again; the row lapses by itself meanwhile.
    }
  }

  #schedule(): void {
    if (!this.#running || this.#timer !== null) return;
    // Beat at the interval, or sooner when this tab is about to cross `away-after` (so "away"
    // shows within a beat of the threshold rather than a whole interval late).
    const interval = this.#options.heartbeatMs ?? HEARTBEAT_MS;
    const untilIdle = this.#lastInput + clampAwayAfter(this.#options.awayAfter()) * 1000 - this.#now();
    const delay = !this.#reportedIdle && untilIdle > 0 ? Math.min(interval, untilIdle) : interval;
    this.#timer = this.#timers.set(() => {
      this.#timer = null;
      void this.beat();
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
  }

  readonly #onInput = (): void => {
    this.#lastInput = this.#now();
    // Back from idle: say so now rather than at the next interval.
    if (this.#reportedIdle) void this.beat();
  };

  /** The page is going (or into the back/forward cache): the row goes with it. */
  readonly #onPageHide = (): void => {
    this.#clearTimer();
    this.#sendLeave();
  };

  /** Back from the back/forward cache: register again. */
  readonly #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted && this.#running) void this.beat();
  };

  #sendLeave(): void {
    const request = this.#leave;
    if (request) {
      this.#send(request.url, request.init);
      return;
    }
    void consoleLeave(this.#options.client, this.sessionId).catch(() => undefined);
  }

  /** Fire and forget: if it fails, the row lapses after the TTL instead. */
  #send(url: string, init: RequestInit): void {
    const send = this.#options.send ?? ((to: string, request: RequestInit) => fetch(to, request));
    try {
      void Promise.resolve(send(url, init)).catch(() => undefined);
    } catch {
      // As above.
    }
  }

  #window(): Window | undefined {
    return this.#options.window ?? (typeof window === 'undefined' ? undefined : window);
  }
}

/** The token requests go out with right now: the host's (third-party auth) or the session's. */
async function accessToken(client: SupabaseClient): Promise<string | null> {
  const source = thirdPartyToken(client);
  if (source) return source();
  const { data } = await client.auth.getSession();
  return data.session?.access_token ?? null;
}

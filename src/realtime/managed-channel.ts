/**
 * One realtime channel kept joined for as long as something needs it. realtime-js rejoins a channel
 * by itself after a socket drop or a join error, but never one the server CLOSED (expired token,
 * lost permission; SUPABASE-WIRE.md §1.7): that one is removed and built again, on a backoff, with
 * a fresh token. Its health feeds the connection status.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { TimerSlot, backoff, type Timers } from './timers.ts';

export type ChannelHealth = 'joining' | 'subscribed' | 'down';

/** A channel the server closed is re-created; after this many failures in a row the status is `error`. */
export const MAX_RECREATE_FAILURES = 3;

export interface ManagedChannelOptions {
  readonly client: SupabaseClient;
  /** Builds the channel with its bindings (src/data/channels.ts); called again for each re-creation. */
  readonly build: () => RealtimeChannel;
  readonly timers: Timers;
  /** After each SUBSCRIBED (health already updated): the caller's resync point. */
  readonly onSubscribed: () => void;
  /** After every health change, so the connection status can be recomputed. */
  readonly onChange: () => void;
  /**
   * Before a re-created channel joins: refresh the session and hand its token to realtime (a server
   * close is most often an expired token). False when nobody is signed in; the channel then stays down.
   */
  readonly refreshAuth: () => Promise<boolean>;
}

export class ManagedChannel {
  health: ChannelHealth = 'joining';
  readonly #options: ManagedChannelOptions;
  readonly #recreateTimer: TimerSlot;
  #channel: RealtimeChannel | null = null;
  /** Set when we remove the channel, so its CLOSED is not taken for the server's. */
  #released = false;
  /** Server closes (and errors of the re-created channel) since the last SUBSCRIBED. */
  #closedCount = 0;
  #errorsSinceSubscribed = 0;

  constructor(options: ManagedChannelOptions) {
    this.#options = options;
    this.#recreateTimer = new TimerSlot(options.timers);
  }

  /** The joined (or joining) channel; null before `subscribe()`, while re-creating and after release. */
  get channel(): RealtimeChannel | null {
    return this.#channel;
  }

  /** The server keeps closing it: re-creating did not help, and the user should be told. */
  get failed(): boolean {
    return this.#closedCount >= MAX_RECREATE_FAILURES
      || (this.#closedCount > 0 && this.#errorsSinceSubscribed >= MAX_RECREATE_FAILURES);
  }

  /** Builds the channel and joins it. */
  subscribe(): void {
    const channel = this.#options.build();
    this.#channel = channel;
    this.health = 'joining';
    channel.subscribe((status) => {
      if (this.#channel !== channel || this.#released) return;
      switch (status) {
        case 'SUBSCRIBED':
          this.health = 'subscribed';
          this.#closedCount = 0;
          this.#errorsSinceSubscribed = 0;
          this.#options.onChange();
          this.#options.onSubscribed();
          break;
        case 'CHANNEL_ERROR':
        case 'TIMED_OUT':
          this.health = 'down';
          if (this.#closedCount > 0) this.#errorsSinceSubscribed += 1;
          this.#options.onChange();
          break;
        case 'CLOSED':
          // Not ours (release() sets #released first): the server stopped the channel, and
          // realtime-js never rejoins such a channel, so build a new one.
          this.health = 'down';
          this.#closedCount += 1;
          this.#options.onChange();
          this.#recreateTimer.schedule(() => void this.#recreate(), backoff(this.#closedCount));
          break;
      }
    });
  }

  /** Leaves and removes the channel; it is never joined again. */
  async release(): Promise<void> {
    this.#released = true;
    this.#recreateTimer.clear();
    const channel = this.#channel;
    this.#channel = null;
    if (channel) await this.#options.client.removeChannel(channel);
  }

  async #recreate(): Promise<void> {
    if (this.#released) return;
    const { client } = this.#options;
    const old = this.#channel;
    this.#channel = null;
    if (old && client.getChannels().includes(old)) await client.removeChannel(old);
    if (!(await this.#options.refreshAuth())) return;
    if (this.#released) return;
    this.subscribe();
  }
}

/**
 * `refreshAuth` for a channel that rides the client's own session (no refresh of its own): hand the
 * current token to realtime, and stay down once its owner has stopped.
 */
export function passSessionToRealtime(client: SupabaseClient, stopped: () => boolean): () => Promise<boolean> {
  return async () => {
    try {
      await client.realtime.setAuth();
    } catch {
      // Offline: the re-created channel's own errors show.
    }
    return !stopped();
  };
}

/**
 * Collision (issue 13, item 4): which other agents have a conversation open, and whether they are
 * writing a reply or a note, through Realtime presence on the agents-only topic
 * `parley:team-presence:<id>` (20261220000102_team_presence_topic.sql). Never the conversation's
 * own channel, which its customer joins.
 *
 * Hosted Realtime allows a client 5 presence messages per 30 s and shuts the channel beyond that
 * (SUPABASE-WIRE.md §1.11), so tracking goes through a {@link PresenceBudget}: viewing is tracked
 * once per join, composing only when it starts or stops, and a change over budget waits for a slot,
 * coalesced to the latest state.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { randomId } from '../ids.ts';
import { ManagedChannel, passSessionToRealtime } from './managed-channel.ts';
import { realTimers, type Timers } from './timers.ts';

export const COMPOSING_KINDS = ['reply', 'note'] as const;
export type Composing = (typeof COMPOSING_KINDS)[number];

/** Another agent in the conversation. */
export interface TeamViewer {
  readonly user_id: string;
  /** What they are writing; null while only viewing. */
  readonly composing: Composing | null;
}

/** The presence topic of one conversation (lower-case id, as the policy admits). */
export function teamPresenceTopic(conversationId: string): string {
  return `parley:team-presence:${conversationId.toLowerCase()}`;
}

/** Presence messages one client may send per window; one below hosted Realtime's 5, for margin. */
export const PRESENCE_MAX_CALLS = 4;
export const PRESENCE_WINDOW_MS = 30_000;

/**
 * A sliding-window budget of presence messages for one client (one socket). Each key (a
 * conversation) has at most one waiting send, replaced by a newer one: only the latest state matters.
 */
export class PresenceBudget {
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #max: number;
  readonly #windowMs: number;
  readonly #sent: number[] = [];
  readonly #waiting = new Map<string, () => void>();
  #timer: unknown = null;

  constructor(options: { timers?: Timers; now?: () => number; max?: number; windowMs?: number } = {}) {
    this.#timers = options.timers ?? realTimers;
    this.#now = options.now ?? Date.now;
    this.#max = options.max ?? PRESENCE_MAX_CALLS;
    this.#windowMs = options.windowMs ?? PRESENCE_WINDOW_MS;
  }

  /** Runs `send` now when the budget allows, else when a slot frees (replacing `key`'s waiting send). */
  request(key: string, send: () => void): void {
    this.#waiting.delete(key);
    if (this.#waiting.size === 0 && this.#take()) {
      send();
      return;
    }
    this.#waiting.set(key, send);
    this.#arm();
  }

  /** Drops `key`'s waiting send (its channel went away). */
  cancel(key: string): void {
    this.#waiting.delete(key);
  }

  dispose(): void {
    this.#waiting.clear();
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
  }

  #take(): boolean {
    const now = this.#now();
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - this.#windowMs) this.#sent.shift();
    if (this.#sent.length >= this.#max) return false;
    this.#sent.push(now);
    return true;
  }

  #arm(): void {
    if (this.#timer !== null || this.#waiting.size === 0) return;
    const oldest = this.#sent[0] ?? this.#now();
    const delay = Math.max(0, oldest + this.#windowMs - this.#now());
    this.#timer = this.#timers.set(() => {
      this.#timer = null;
      for (const [key, send] of this.#waiting) {
        if (!this.#take()) break;
        this.#waiting.delete(key);
        send();
      }
      this.#arm();
    }, delay);
  }
}

/** The viewers in a channel's presence state: other users than `me`, one entry each, by id. */
export function viewersOf(state: Record<string, readonly unknown[]>, me: string): TeamViewer[] {
  const rank = (c: Composing | null): number => (c === 'note' ? 2 : c === 'reply' ? 1 : 0);
  const byUser = new Map<string, TeamViewer>();
  for (const metas of Object.values(state)) {
    for (const meta of metas) {
      if (typeof meta !== 'object' || meta === null) continue;
      const { user_id: userId, composing } = meta as { user_id?: unknown; composing?: unknown };
      if (typeof userId !== 'string' || userId === me) continue;
      const kind = (COMPOSING_KINDS as readonly unknown[]).includes(composing) ? (composing as Composing) : null;
      const known = byUser.get(userId);
      // One agent in two tabs shows once, with whatever they are doing in either.
      if (!known || rank(kind) > rank(known.composing)) byUser.set(userId, { user_id: userId, composing: kind });
    }
  }
  return [...byUser.values()].sort((a, b) => a.user_id.localeCompare(b.user_id));
}

export interface TeamPresenceOptions {
  readonly client: SupabaseClient;
  readonly conversationId: string;
  /** The signed-in agent. */
  readonly userId: string;
  readonly budget: PresenceBudget;
  readonly onChange: (viewers: readonly TeamViewer[]) => void;
  readonly timers?: Timers;
}

/** This tab in one conversation's team presence: joined on start, left on stop. */
export class TeamPresence {
  readonly #options: TeamPresenceOptions;
  readonly #channel: ManagedChannel;
  /** Per tab, so one agent's two tabs are two presences (closing one keeps the other). */
  readonly #key = randomId();
  #composing: Composing | null = null;
  #stopped = false;

  constructor(options: TeamPresenceOptions) {
    this.#options = options;
    const { client } = options;
    this.#channel = new ManagedChannel({
      client,
      timers: options.timers ?? realTimers,
      build: () => this.#build(),
      // Presence does not survive a rejoin: track again on each join.
      onSubscribed: () => this.#track(),
      onChange: () => undefined,
      refreshAuth: passSessionToRealtime(client, () => this.#stopped),
    });
  }

  get conversationId(): string {
    return this.#options.conversationId;
  }

  start(): void {
    this.#channel.subscribe();
  }

  /** Says what this tab is writing (null: only viewing); sent only when it changes. */
  setComposing(composing: Composing | null): void {
    if (composing === this.#composing) return;
    this.#composing = composing;
    if (this.#channel.health === 'subscribed') this.#track();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#options.budget.cancel(this.#options.conversationId);
    await this.#channel.release();
  }

  #build(): RealtimeChannel {
    const channel = this.#options.client.channel(teamPresenceTopic(this.#options.conversationId), {
      config: { private: true, presence: { key: this.#key } },
    });
    const sync = (): void => {
      if (!this.#stopped && this.#channel.channel === channel) {
        this.#options.onChange(viewersOf(channel.presenceState(), this.#options.userId));
      }
    };
    return channel.on('presence', { event: 'sync' }, sync);
  }

  #track(): void {
    this.#options.budget.request(this.#options.conversationId, () => {
      const channel = this.#channel.channel;
      if (this.#stopped || !channel) return;
      void channel.track({ user_id: this.#options.userId, composing: this.#composing }).catch(() => undefined);
    });
  }
}

/**
 * The visitor's start, for the launcher: sign in (anonymously, unless the host's token is the
 * sign-in), start realtime, find the visitor's conversations (the newest is the current one), start
 * one only when the visitor first sends (never by opening the panel), and the team's public
 * profiles that name and picture the agents in the thread.
 */
import { thirdPartyToken } from '../data/identity.ts';
import type { TeamProfile } from '../data/types.ts';
import { randomId } from '../ids.ts';
import type { ThreadState, TypingEntry } from '../state/index.ts';
import type { Session } from './index.ts';
import type { SendOptions } from '../realtime/types.ts';

/**
 * Signs a new visitor in anonymously (a stored visitor session or a host token is used as is),
 * starts realtime, puts the visitor's conversations and read positions into the state (the
 * history and the unread counts) and returns the newest conversation, closed or not, or null.
 * Returns null without finding one once `signal` aborts. Throws when a step fails.
 */
export async function startVisitor(session: Session, signal: AbortSignal): Promise<string | null> {
  if (!thirdPartyToken(session.client)) {
    const { data } = await session.client.auth.getSession();
    if (signal.aborted) return null;
    if (!data.session) {
      const { error } = await session.client.auth.signInAnonymously();
      if (error) throw error;
    }
  }
  if (signal.aborted) return null;
  // The list's first page would be the same rows as the two requests below: the joins' resyncs fetch it later.
  await session.realtime.start({ listNow: false });
  // The newest conversation is the current one, even closed: the panel then says so, and the
  // visitor starts the next one deliberately. Older ones are the history above it.
  const { items: mine, reads } = await session.api.history();
  if (signal.aborted) return null;
  // Positions first, so no conversation counts as unread in between.
  session.state.applyReadMarkers(reads);
  session.state.applyConversations(mine);
  return mine.at(-1)?.id ?? null;
}

/** What the visitor told the pre-chat form; null where they gave nothing. */
export interface VisitorDetails {
  readonly name: string | null;
  readonly email: string | null;
}

/** Where the visitor's next message goes: into the current conversation, or into one started for it. */
export type NextConversation = 'current' | 'new' | 'after-closed';

/**
 * The visitor's conversation and their sends into it. The first send starts the conversation:
 * however many sends wait for it, one conversation is started (its id is generated here, so a
 * retried start cannot make two). After {@link startNew} (the launcher offers it once an agent
 * closed the conversation), the next send starts a new one.
 */
export class VisitorChat {
  readonly #session: Session;
  readonly #signal: AbortSignal;
  readonly #onChange: (conversationId: string) => void;
  #id: string | null;
  #starting: Promise<string> | null = null;
  /** The visitor asked for a new conversation: the next send starts one, whatever the current one's status. */
  #fresh = false;

  /**
   * `conversationId`: the one {@link startVisitor} found; `onChange` hears of every one started
   * later; once `signal` (the session's) aborts, a start that answers late changes and sends nothing.
   */
  constructor(
    session: Session, signal: AbortSignal, conversationId: string | null, onChange: (conversationId: string) => void,
  ) {
    this.#session = session;
    this.#signal = signal;
    this.#id = conversationId;
    this.#onChange = onChange;
  }

  get conversationId(): string | null {
    return this.#id;
  }

  /** Whether the next message goes into the current conversation or starts one (the first, or after a closed one). */
  next(): NextConversation {
    if (this.#id === null) return 'new';
    if (this.#fresh) return 'after-closed';
    // A closed conversation takes no more customer messages.
    return this.#session.state.$conversations.get()[this.#id]?.status === 'closed' ? 'after-closed' : 'current';
  }

  /** The visitor chose to start a new conversation: their next send starts it. */
  startNew(): void {
    this.#fresh = true;
  }

  /**
   * Sends `text`, first starting the conversation when {@link next} says so, with `details` (the
   * pre-chat's name and email) and `metadata` (a quick reply's id). Rejects when the conversation could not start (nothing was sent);
   * a send itself never rejects (the outbox retries and shows failures).
   */
  async send(text: string, details: VisitorDetails, options?: SendOptions, metadata?: Readonly<Record<string, unknown>>): Promise<void> {
    const next = this.next();
    if (next === 'current' && this.#id !== null) {
      this.#session.realtime.send(this.#id, text, metadata, options);
      return;
    }
    const id = await this.#start(details, next === 'after-closed');
    if (!this.#signal.aborted) this.#session.realtime.send(id, text, metadata, options);
  }

  #start(details: VisitorDetails, fresh: boolean): Promise<string> {
    if (fresh) this.#starting = null;
    this.#starting ??= this.#session.api.startConversation({
      id: randomId(),
      ...(details.name === null ? {} : { name: details.name }),
      ...(details.email === null ? {} : { email: details.email }),
    }).then((row) => {
      if (this.#starting === starting && !this.#signal.aborted) {
        this.#id = row.id;
        this.#fresh = false;
        this.#onChange(row.id);
      }
      return row.id;
    });
    const starting = this.#starting;
    // A failed start is forgotten, so the next send tries again.
    starting.catch(() => {
      if (this.#starting === starting) this.#starting = null;
    });
    return starting;
  }
}

/**
 * The team's public profiles (`team_profiles()`: name and avatar, nothing else), by user id, for
 * the agents' names and avatars in the visitor's thread and typing line. Loaded at start, and
 * again once when an agent appears that the last answer did not know (one added since).
 */
export class TeamProfiles {
  readonly #session: Session;
  readonly #signal: AbortSignal;
  readonly #onChange: () => void;
  #names: Readonly<Record<string, string>> = {};
  #avatars: Readonly<Record<string, string>> = {};
  /** Ids a refresh was made for: never asked again, found or not. */
  readonly #asked = new Set<string>();
  #loading: Promise<void> | null = null;
  /** Whether every profile was asked for yet. */
  #requested = false;

  constructor(session: Session, signal: AbortSignal, onChange: () => void) {
    this.#session = session;
    this.#signal = signal;
    this.#onChange = onChange;
  }

  /** Display names by user id. */
  get names(): Readonly<Record<string, string>> {
    return this.#names;
  }

  /** Avatar image URLs by user id (only agents who have one). */
  get avatars(): Readonly<Record<string, string>> {
    return this.#avatars;
  }

  /** Fetches the profiles; a failure keeps what was known (names fall back to "Agent"). */
  load(): Promise<void> {
    this.#requested = true;
    this.#loading ??= this.#session.api.teamProfiles().then((profiles: TeamProfile[]) => {
      if (this.#signal.aborted) return;
      const names: Record<string, string> = {};
      const avatars: Record<string, string> = {};
      for (const p of profiles) {
        names[p.user_id] = p.display_name;
        if (p.avatar_url) avatars[p.user_id] = p.avatar_url;
      }
      this.#names = names;
      this.#avatars = avatars;
      this.#onChange();
    }).catch(() => undefined).finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  /** An agent's id seen in the thread or typing: refreshes once when it is unknown. */
  want(userId: string | null | undefined): void {
    if (!userId || userId in this.#names || this.#asked.has(userId) || this.#loading) return;
    this.#asked.add(userId);
    void this.load();
  }

  /**
   * {@link want} for the senders of the newest message of each thread (where a new agent shows up).
   * The first call, from the panel's first render, loads every profile: a closed launcher shows no
   * names, so none are fetched before.
   */
  wantSenders(threads: readonly ThreadState[]): void {
    if (!this.#requested) void this.load();
    for (const thread of threads) {
      const last = thread.messages.at(-1);
      if (last?.sender_type === 'agent') this.want(last.sender_id);
    }
  }

  #typingFor: { readonly key: readonly unknown[]; readonly result: readonly string[] } | null = null;

  /**
   * Who is typing in a conversation but the viewer, by the name the profiles give (the typing
   * broadcast's own name, or `fallback`, for someone they do not know); the same array while
   * nothing changed, so the thread does not re-render.
   */
  typing(entries: readonly TypingEntry[] | undefined, viewerId: string | null, fallback: string): readonly string[] {
    const key = [entries, this.#names, viewerId, fallback];
    const held = this.#typingFor;
    if (held && held.key.every((k, i) => k === key[i])) return held.result;
    const result = (entries ?? []).filter((e) => e.user_id !== viewerId).map((e) => {
      this.want(e.user_id);
      return this.#names[e.user_id] ?? e.name ?? fallback;
    });
    this.#typingFor = { key, result };
    return result;
  }
}

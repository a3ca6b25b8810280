/**
 * The visitor's start, for the launcher: sign in (anonymously, unless the host's token is the
 * sign-in), start realtime, find the conversation to continue, and start one only when the visitor
 * first sends (never by opening the panel).
 */
import { thirdPartyToken } from '../data/identity.ts';
import { randomId } from '../ids.ts';
import type { Session } from './index.ts';

/**
 * Signs a new visitor in anonymously (a stored visitor session or a host token is used as is),
 * starts realtime and returns the visitor's latest conversation that is not closed, or null.
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
  await session.realtime.start();
  // A resolved conversation is still the visitor's to continue (a reply reopens it); a closed one is not.
  const page = await session.api.listConversations({ statuses: ['open', 'pending', 'resolved'], limit: 1 });
  return page.items[0]?.id ?? null;
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
 * retried start cannot make two). Once an agent closes it, the next send starts a new one.
 */
export class VisitorChat {
  readonly #session: Session;
  readonly #signal: AbortSignal;
  readonly #onChange: (conversationId: string) => void;
  #id: string | null;
  #starting: Promise<string> | null = null;

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
    // A closed conversation takes no more customer messages.
    return this.#session.state.$conversations.get()[this.#id]?.status === 'closed' ? 'after-closed' : 'current';
  }

  /**
   * Sends `text`, first starting the conversation when {@link next} says so, with `details` (the
   * pre-chat's name and email). Rejects when the conversation could not start (nothing was sent);
   * a send itself never rejects (the outbox retries and shows failures).
   */
  async send(text: string, details: VisitorDetails): Promise<void> {
    const next = this.next();
    if (next === 'current' && this.#id !== null) {
      this.#session.realtime.send(this.#id, text);
      return;
    }
    const id = await this.#start(details, next === 'after-closed');
    if (!this.#signal.aborted) this.#session.realtime.send(id, text);
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

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

/**
 * Starts the visitor's conversation on their first send: however many sends wait for it, one
 * conversation is started (its id is generated here, so a retried start cannot make two).
 */
export class ConversationStarter {
  readonly #session: Session;
  #starting: Promise<string> | null = null;

  constructor(session: Session) {
    this.#session = session;
  }

  /** Whether the conversation takes no more customer messages: an agent closed it. */
  isClosed(conversationId: string): boolean {
    return this.#session.state.$conversations.get()[conversationId]?.status === 'closed';
  }

  /**
   * The conversation to send into: the one being started, or a new one with `details`.
   * `fresh` forgets the one started before (it was closed since).
   */
  start(details: VisitorDetails, fresh = false): Promise<string> {
    if (fresh) this.#starting = null;
    this.#starting ??= this.#session.api.startConversation({
      id: randomId(),
      ...(details.name === null ? {} : { name: details.name }),
      ...(details.email === null ? {} : { email: details.email }),
    }).then((row) => row.id);
    const starting = this.#starting;
    // A failed start is forgotten, so the next send tries again.
    starting.catch(() => {
      if (this.#starting === starting) this.#starting = null;
    });
    return starting;
  }
}

/**
 * The console's conversation list follows the open thread (issue 12: one layout per message): a
 * message reaching the thread moves its conversation's row in the same task (`withMessage`, as the
 * message's transaction does), so the list's row and the thread's land in one frame, and the
 * conversation's own change, a moment later, finds the row as it makes it and changes nothing.
 * The console's alone: the visitor's widget shows no list beside its thread.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Message } from '../../data/types.ts';
import type { Session } from '../../session/index.ts';
import { withMessage, type ConversationMap, type ThreadState } from '../../state/index.ts';

export interface ListFollowOptions {
  readonly session: () => Session | undefined;
  /** The conversation on screen; null when none is open. */
  readonly conversationId: () => string | null;
}

export class ListFollowController implements ReactiveController {
  readonly #options: ListFollowOptions;
  #session: Session | undefined;
  #conversationId: string | null = null;
  #unlisten: (() => void) | null = null;

  constructor(host: ReactiveControllerHost, options: ListFollowOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostUpdated(): void {
    const session = this.#options.session();
    const conversationId = this.#options.conversationId();
    if (session === this.#session && conversationId === this.#conversationId) return;
    this.#unlisten?.();
    this.#unlisten = null;
    this.#session = session;
    this.#conversationId = conversationId;
    if (!session || conversationId === null) return;
    // Nanostores calls listeners in the task that changed the thread (at the end of its batch),
    // before the elements' updates (microtasks) render either.
    this.#unlisten = session.state.thread(conversationId).listen((thread) => follow(session, conversationId, thread));
  }

  hostDisconnected(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.#session = undefined;
    this.#conversationId = null;
  }
}

/** Moves the held row past the thread's messages it has not counted yet, oldest first. */
function follow(session: Session, conversationId: string, thread: ThreadState): void {
  const held = session.state.$conversations.get()[conversationId];
  if (!held) return;
  const newer: Message[] = [];
  for (let i = thread.messages.length - 1; i >= 0; i -= 1) {
    const message = thread.messages[i] as Message;
    if (message.seq <= held.last_seq) break;
    newer.push(message);
  }
  if (newer.length === 0) return;
  let map: ConversationMap = { [conversationId]: held };
  for (const message of newer.reverse()) map = withMessage(map, message, 'team');
  const moved = map[conversationId];
  if (moved && moved !== held) session.state.applyConversation(moved);
}

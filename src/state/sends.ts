/**
 * The send lifecycle of one widget instance: text the viewer sends becomes a pending entry in the
 * outbox and in its thread at once (`sending`), then leaves both when the server stores it, or
 * turns `failed` until the viewer retries or discards it. Entries keep their client id throughout,
 * so a retry or a resend after reload can never duplicate a message.
 */
import { batch } from 'nanostores';
import { MAX_MESSAGE_LENGTH } from '../data/types.ts';
import { isBlank } from '../data/validate.ts';
import type { MessageVisibility } from '../data/types.ts';
import type { Attachment } from '../data/attachment.ts';
import type { OutboxStore } from './outbox-store.ts';
import {
  addPending,
  markPendingFailed,
  markPendingSent,
  removePending,
  retryPending,
  type PendingMessage,
  type ThreadState,
} from './thread.ts';

export interface EnqueueSend {
  readonly conversationId: string;
  readonly content: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** `internal` sends an agent's note; `public` (the default) everything else. */
  readonly visibility?: MessageVisibility;
  /** Files already given keys under this message's id; with some, `content` may be empty. */
  readonly attachments?: readonly Attachment[];
  /** Reuse an id (tests, or a host that generates its own); generated otherwise. */
  readonly id?: string;
}

export interface SendDeps {
  readonly outbox: OutboxStore;
  /** Applies a reducer to a thread store if that thread is open. */
  readonly updateThread: (conversationId: string, reduce: (t: ThreadState) => ThreadState) => boolean;
  /** The signed-in user, the sender of new entries. */
  readonly userId: () => string | null;
  readonly now: () => number;
  readonly generateId: () => string;
}

export interface SendActions {
  enqueueSend(send: EnqueueSend): PendingMessage;
  /** The entry `enqueueSend` would add, checked (RangeError), without adding it. */
  prepareSend(send: EnqueueSend): PendingMessage;
  /** Adds a prepared entry to the outbox and its thread; false when its id is queued already. */
  addSend(entry: PendingMessage): boolean;
  /** The server stored the entry with this id (without its row). */
  markSentId(id: string): void;
  markFailed(id: string, error: string): void;
  retry(id: string): PendingMessage | null;
  discard(id: string): void;
}

export function createSendActions(deps: SendDeps): SendActions {
  const { outbox, updateThread, userId, now, generateId } = deps;
  function prepareSend(send: EnqueueSend): PendingMessage {
    const attachments = send.attachments ?? [];
    if (isBlank(send.content) && attachments.length === 0) throw new RangeError('A message needs some text');
    // The database counts characters (code points), not UTF-16 units.
    if ([...send.content].length > MAX_MESSAGE_LENGTH) {
      throw new RangeError(`A message has at most ${MAX_MESSAGE_LENGTH} characters`);
    }
    const entry: PendingMessage = {
      id: send.id ?? generateId(),
      conversation_id: send.conversationId,
      content: attachments.length > 0 && isBlank(send.content) ? '' : send.content,
      metadata: send.metadata ?? {},
      visibility: send.visibility ?? 'public',
      ...(attachments.length > 0 ? { attachments } : {}),
      sender_id: userId(),
      created_at: new Date(now()).toISOString(),
      state: 'sending',
      error: null,
      attempts: 1,
    };
    if (outbox.find(entry.id)) throw new RangeError(`Message ${entry.id} is already queued`);
    return entry;
  }

  function addSend(entry: PendingMessage): boolean {
    if (outbox.find(entry.id)) return false;
    batch(() => {
      outbox.add(entry);
      updateThread(entry.conversation_id, (t) => addPending(t, entry));
    });
    return true;
  }

  return {
    prepareSend,
    addSend,

    enqueueSend(send) {
      const entry = prepareSend(send);
      addSend(entry);
      return entry;
    },

    markSentId(id) {
      const entry = outbox.find(id);
      batch(() => {
        outbox.remove(id);
        if (entry) updateThread(entry.conversation_id, (t) => markPendingSent(t, id));
      });
    },

    markFailed(id, error) {
      const entry = outbox.find(id);
      if (!entry) return;
      batch(() => {
        outbox.fail(id, error);
        updateThread(entry.conversation_id, (t) => markPendingFailed(t, id, error));
      });
    },

    retry(id) {
      const entry = outbox.find(id);
      if (!entry || entry.state !== 'failed') return null;
      const next: PendingMessage = { ...entry, state: 'sending', error: null, attempts: entry.attempts + 1 };
      batch(() => {
        outbox.update(id, () => next);
        updateThread(entry.conversation_id, (t) => retryPending(t, id));
      });
      return next;
    },

    discard(id) {
      const entry = outbox.find(id);
      if (!entry || entry.state !== 'failed') return;
      batch(() => {
        outbox.remove(id);
        updateThread(entry.conversation_id, (t) => removePending(t, id));
      });
    },
  };
}

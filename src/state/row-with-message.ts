/**
 * The console's conversation list following its own thread (issue 12: one layout per message): a
 * message the page holds moves its conversation's row at once, as the message's transaction does,
 * and a send in flight is its row's preview (src/elements/inbox/list-follow-controller.ts and
 * list-pane.ts); the visitor's widget has no list on screen beside the thread and leaves both out
 * of its bundle.
 */
import type { Audience, ConversationSummary, Message } from '../data/types.ts';
import { compareTimestamps, type ConversationMap } from './conversations.ts';
import type { PendingMessage } from './thread.ts';

/** Characters of a message the list's preview keeps (private.append_message). */
export const PREVIEW_LENGTH = 160;
/** PostgreSQL's `\s` in a regular expression, which in a UTF-8 database takes Unicode spaces too. */
const SQL_WHITESPACE = /\s+/g;

/**
 * The conversation's preview of `message` as private.append_message writes it: its text, or
 * "📎 " and the files' names for a message of files only; spaces trimmed at both ends (btrim),
 * every run of whitespace one space, the first 160 characters (code points, as `left()` counts).
 * Where this differs from the database (a character one counts as a space and the other not), the
 * conversation's own change corrects it a moment later.
 */
export function previewOf(message: Pick<Message, 'content' | 'attachments'>): string {
  const text = message.content === '' && message.attachments.length > 0
    ? `📎 ${message.attachments.map((a) => a.name).join(', ')}`
    : message.content;
  const collapsed = text.replace(/^ +| +$/g, '').replace(SQL_WHITESPACE, ' ');
  const chars = Array.from(collapsed);
  return chars.length > PREVIEW_LENGTH ? chars.slice(0, PREVIEW_LENGTH).join('') : collapsed;
}

/**
 * The held conversation as `message`'s own transaction leaves it (private.append_message): its
 * last seq, unread counter, activity time and preview. Applied with the message, the list shows
 * the preview in the same task as the thread shows the message, rather than a frame later when the
 * conversation's change arrives (issue 12: one layout per message); that change then finds the row
 * as it makes it and changes nothing. Where it differs (a trigger that also reopened the
 * conversation, a counter this client did not hold), it still applies: same `updated_at` and
 * `last_seq`, so never stale. A message older than the row, or of a conversation not held, leaves
 * the map as it is.
 */
export function withMessage(map: ConversationMap, message: Message, audience: Audience): ConversationMap {
  const held = map[message.conversation_id];
  if (held === undefined || message.seq <= held.last_seq || compareTimestamps(message.created_at, held.updated_at) <= 0) return map;
  const activity = message.visibility === 'public' && message.sender_type !== 'system';
  // The customer counts the team's public replies; the team counts the customer's messages.
  const inbound = activity && (message.sender_type === 'customer') === (audience === 'team');
  return {
    ...map,
    [held.id]: {
      ...held,
      last_seq: message.seq,
      inbound_count: held.inbound_count + (inbound ? 1 : 0),
      updated_at: message.created_at,
      ...(activity ? { last_message_at: message.created_at, last_message_preview: previewOf(message) } : {}),
    },
  };
}

/**
 * The list as the agent sees it while their own messages are on their way: a conversation with a
 * public send in flight shows that text as its preview, so the confirmation, which moves the row to
 * the same preview (`withMessage`), changes nothing on screen (issue 12: one layout per message
 * sent). Its time stays the stored one (the client's clock may be off). A failed send shows the
 * stored preview again. The same array when nothing is in flight.
 */
export function withSendingPreviews(
  list: readonly ConversationSummary[], outbox: readonly PendingMessage[],
): readonly ConversationSummary[] {
  const sending = new Map<string, PendingMessage>();
  for (const entry of outbox) if (entry.state !== 'failed' && entry.visibility === 'public') sending.set(entry.conversation_id, entry);
  if (sending.size === 0) return list;
  return list.map((c) => {
    const entry = sending.get(c.id);
    return entry ? { ...c, last_message_preview: previewOf({ content: entry.content, attachments: entry.attachments ?? [] }) } : c;
  });
}

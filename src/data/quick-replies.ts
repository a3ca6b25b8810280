/**
 * Quick replies (issue 17): a team or bot message offers a few reply buttons in
 * `metadata.quick_replies`, and the visitor's tap is an ordinary message whose content is the
 * button's label and whose `metadata.quick_reply` is its id. The database checks both (reason
 * `quick_replies_invalid`); the widget checks again what arrives, since metadata is any JSON the
 * sender chose: a list that breaks a rule is dropped whole, so nothing half-checked is rendered.
 *
 * Read from a message with {@link quickRepliesOf} / {@link quickReplyOf} rather than mapped onto
 * every message: only the views that show buttons (loaded on demand) pay for the checks. No runtime
 * imports, so the launcher's on-demand chunk shares no module with the first open (which would put
 * that module in a third file the first open fetches too). What an agent writes is checked by
 * quick-reply-input.ts.
 */
import type { Message } from './types.ts';

/** One reply button: a machine id the bot reads and the label the visitor sees and sends. */
export interface QuickReply {
  /** `^[a-z0-9_-]{1,32}$`, unique in its message. */
  readonly id: string;
  /** 1..40 characters, not blank; sent as the visitor's message when tapped. */
  readonly label: string;
}

/** At most this many buttons under one message. */
export const MAX_QUICK_REPLIES = 4;
/** A label's bound in characters (code points, as the database counts). */
export const MAX_QUICK_REPLY_LABEL = 40;
const QUICK_REPLY_ID = /^[a-z0-9_-]{1,32}$/;

/** Reserved ids: "Talk to a person" hands a bot conversation over; "That helped" thanks the bot. */
export const HANDOVER_REPLY = 'handover';
export const HELPED_REPLY = 'helped';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `id` is a well-formed quick reply id. */
export function isQuickReplyId(value: unknown): value is string {
  return typeof value === 'string' && QUICK_REPLY_ID.test(value);
}

/**
 * A label to show: some visible text, at most 40 characters. The database's own rule (not blank in
 * its wider sense, zero-width characters included) already refused the rest before it was stored.
 */
function isLabel(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && [...value].length <= MAX_QUICK_REPLY_LABEL;
}

/**
 * `metadata.quick_replies` of a team or bot message: 1..4 buttons with unique ids and labels of
 * 1..40 visible characters; null when absent, empty or breaking any rule.
 */
export function parseQuickReplies(value: unknown): readonly QuickReply[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_QUICK_REPLIES) return null;
  const replies: QuickReply[] = [];
  const ids = new Set<string>();
  for (const item of value as unknown[]) {
    if (!isRecord(item) || !isQuickReplyId(item.id) || !isLabel(item.label) || ids.has(item.id)) return null;
    ids.add(item.id);
    replies.push({ id: item.id, label: item.label });
  }
  return replies;
}

const checked = new WeakMap<Message, readonly QuickReply[] | null>();

/**
 * The buttons a message offers: only a public team or bot message can (the database refuses them
 * from anyone else), checked once per message object; null for none.
 */
export function quickRepliesOf(message: Message): readonly QuickReply[] | null {
  if (message.visibility !== 'public' || (message.sender_type !== 'agent' && message.sender_type !== 'chatbot')) return null;
  let replies = checked.get(message);
  if (replies === undefined) {
    replies = parseQuickReplies(message.metadata['quick_replies']);
    checked.set(message, replies);
  }
  return replies;
}

/** The id of the button a customer message answers with; null when it was typed. */
export function quickReplyOf(message: Pick<Message, 'sender_type' | 'metadata'>): string | null {
  const id = message.sender_type === 'customer' ? message.metadata['quick_reply'] : undefined;
  return isQuickReplyId(id) ? id : null;
}

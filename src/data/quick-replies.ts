/**
 * Quick replies (issue 17): a team or bot message offers a few reply buttons in
 * `metadata.quick_replies`, and the visitor's tap is an ordinary message whose content is the
 * button's label and whose `metadata.quick_reply` is its id. The database checks both (reason
 * `quick_replies_invalid`); the widget checks again what arrives, since metadata is any JSON the
 * sender chose: a list that breaks a rule is dropped whole, so nothing half-checked is rendered.
 *
 * Read from a message with {@link quickRepliesOf} / {@link quickReplyOf} rather than mapped onto
 * every message: only the views that show buttons (loaded on demand) pay for the checks.
 */
import { invalid } from './errors.ts';
import type { Message } from './types.ts';
import { isBlank } from './validate.ts';

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

function isLabel(value: unknown): value is string {
  return typeof value === 'string' && !isBlank(value) && [...value].length <= MAX_QUICK_REPLY_LABEL;
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

/**
 * Checks the buttons an agent puts under a message, before any request: labels are trimmed, ids
 * derived from their place (`reply-1`…) unless given, blank ones refused. Throws `invalid` with
 * reason `quick_replies_invalid`, as the database would.
 */
export function requireQuickReplies(input: readonly { readonly id?: string; readonly label: string }[]): QuickReply[] {
  if (input.length > MAX_QUICK_REPLIES) {
    throw invalid(`A message can offer at most ${MAX_QUICK_REPLIES} quick replies`, 'quick_replies_invalid');
  }
  const replies = input.map((reply, index) => ({ id: reply.id ?? `reply-${index + 1}`, label: typeof reply.label === 'string' ? reply.label.trim() : '' }));
  const ids = new Set<string>();
  for (const reply of replies) {
    if (!isLabel(reply.label)) {
      throw invalid(`A quick reply needs a label of 1 to ${MAX_QUICK_REPLY_LABEL} characters`, 'quick_replies_invalid');
    }
    if (!isQuickReplyId(reply.id) || ids.has(reply.id)) throw invalid('Quick reply ids must be unique', 'quick_replies_invalid');
    ids.add(reply.id);
  }
  return replies;
}

/** The metadata a visitor's tap sends with the label: which button it was. */
export function quickReplyMetadata(id: string): { readonly quick_reply: string } {
  if (!isQuickReplyId(id)) throw invalid('Quick reply ids are 1 to 32 lower-case letters, digits, - or _', 'quick_replies_invalid');
  return { quick_reply: id };
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

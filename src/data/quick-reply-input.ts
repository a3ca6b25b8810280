/**
 * Quick replies as senders write them (issue 17), checked before any request with the database's
 * rules: an agent's buttons under a message, a visitor's answer. Apart from quick-replies.ts, which
 * only reads them, so the launcher's on-demand chunk stays free of shared modules.
 */
import { invalid } from './errors.ts';
import { MAX_QUICK_REPLIES, MAX_QUICK_REPLY_LABEL, isQuickReplyId, type QuickReply } from './quick-replies.ts';
import { charLength, isBlank } from './validate.ts';

/**
 * Checks the buttons an agent puts under a message: labels are trimmed, ids derived from their place
 * (`reply-1`…) unless given, blank ones (zero-width characters too) refused. Throws `invalid` with
 * reason `quick_replies_invalid`, as the database would.
 */
export function requireQuickReplies(input: readonly { readonly id?: string; readonly label: string }[]): QuickReply[] {
  if (input.length > MAX_QUICK_REPLIES) {
    throw invalid(`A message can offer at most ${MAX_QUICK_REPLIES} quick replies`, 'quick_replies_invalid');
  }
  const replies = input.map((reply, index) => ({ id: reply.id ?? `reply-${index + 1}`, label: typeof reply.label === 'string' ? reply.label.trim() : '' }));
  const ids = new Set<string>();
  for (const reply of replies) {
    if (isBlank(reply.label) || charLength(reply.label) > MAX_QUICK_REPLY_LABEL) {
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

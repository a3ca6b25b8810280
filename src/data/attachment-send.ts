/**
 * Checks of a list about to be sent, loaded with the upload code (not in the first open): the same
 * rules as on arrival, failing before any request with insert_message's reasons.
 */
import { invalid } from './errors.ts';
import { MAX_ATTACHMENTS, parseAttachment, type Attachment } from './attachment.ts';

export function requireAttachments(value: unknown): readonly Attachment[] {
  if (!Array.isArray(value)) throw invalid('Attachments must be a list', 'attachments_invalid');
  if (value.length > MAX_ATTACHMENTS) {
    throw invalid(`A message carries at most ${MAX_ATTACHMENTS} attachments`, 'attachments_too_many');
  }
  const keys = new Set<string>();
  return value.map((item: unknown) => {
    const parsed = parseAttachment(item);
    if (!parsed) throw invalid('An attachment needs a key, a name, a size and a type', 'attachment_invalid');
    if (keys.has(parsed.key)) throw invalid('The same file is attached twice', 'attachment_duplicate');
    keys.add(parsed.key);
    return parsed;
  });
}

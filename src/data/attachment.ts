/**
 * A file carried by a message (issue 16). The bytes live in the private Storage bucket
 * `attachments` under a key the client builds (`<conversation id>/<uuid>/<safe name>`: Storage
 * refuses non-ASCII keys); the person's own file name travels here, shown as text only.
 * insert_message checks every entry against the stored object, so these fields are what the
 * database vouched for, and the widget validates them again on arrival like any other column.
 */
import { invalid } from './errors.ts';

export interface Attachment {
  /** Object key in the `attachments` bucket. */
  readonly key: string;
  /** The name the sender's file had (at most 255 characters); text, never markup. */
  readonly name: string;
  /** Bytes. */
  readonly size: number;
  /** MIME type as stored; only INLINE_IMAGE_TYPES are ever shown inline. */
  readonly type: string;
  /** Pixels, images only: lets the thread reserve the thumbnail's box before it loads. */
  readonly width?: number;
  readonly height?: number;
}

export const ATTACHMENT_BUCKET = 'attachments';

/** Types shown inline as images; everything else is a file card that downloads. */
export const INLINE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/** At most this many attachments per message (the database's check). */
export const MAX_ATTACHMENTS = 10;
/** Longest original file name a message keeps (characters). */
export const MAX_ATTACHMENT_NAME = 255;

/** The key shape the bucket's policies accept: conversation id, a uuid, a safe ASCII name. */
export const ATTACHMENT_KEY =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

const FIELDS = new Set(['key', 'name', 'size', 'type', 'width', 'height']);

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isPixels = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** One attachment object, or null when any field is missing, of the wrong type or unknown. */
export function parseAttachment(value: unknown): Attachment | null {
  if (!isRecord(value)) return null;
  for (const field of Object.keys(value)) if (!FIELDS.has(field)) return null;
  const { key, name, size, type, width, height } = value;
  if (typeof key !== 'string' || !ATTACHMENT_KEY.test(key)) return null;
  if (typeof name !== 'string' || name.length === 0 || [...name].length > MAX_ATTACHMENT_NAME) return null;
  if (!isCount(size) || typeof type !== 'string' || !/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/i.test(type)) return null;
  if (width !== undefined && !isPixels(width)) return null;
  if (height !== undefined && !isPixels(height)) return null;
  const out: { -readonly [K in keyof Attachment]: Attachment[K] } = { key, name, size, type };
  if (width !== undefined) out.width = width;
  if (height !== undefined) out.height = height;
  return out;
}

/**
 * A message's `attachments` column. Throws on anything but an array of at most MAX_ATTACHMENTS
 * valid objects: nothing is dropped silently, so the row parser treats the whole row as invalid,
 * as it does for any other bad field.
 */
export function parseAttachments(value: unknown): readonly Attachment[] {
  if (!Array.isArray(value) || value.length > MAX_ATTACHMENTS) throw new TypeError('attachments must be a list of at most 10');
  return value.map((item: unknown) => {
    const parsed = parseAttachment(item);
    if (!parsed) throw new TypeError('attachment is not valid');
    return parsed;
  });
}

/** Whether an attachment is shown inline as an image (never SVG, never anything declared otherwise). */
export function isInlineImage(attachment: Pick<Attachment, 'type'>): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(attachment.type);
}

/** A list to send: same rules as on arrival, failing before any request with insert_message's reasons. */
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

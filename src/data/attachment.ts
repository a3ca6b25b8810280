/**
 * A file carried by a message (issue 16). The bytes live in the private Storage bucket
 * `attachments` under a key the client builds (`<conversation id>/<uuid>/<safe name>`: Storage
 * refuses non-ASCII keys); the person's own file name travels here, shown as text only.
 * insert_message checks every entry against the stored object, so these fields are what the
 * database vouched for, and the widget validates them again on arrival like any other column.
 * Kept small: it is in the first open (rows.ts); what only sending needs is in attachment-send.ts.
 */

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

/** The key shape the bucket's policies accept: conversation id, a uuid, a safe ASCII name. */
export const ATTACHMENT_KEY = /^(?:[\da-f]{8}-(?:[\da-f]{4}-){3}[\da-f]{12}\/){2}[\w-][\w.-]{0,127}$/;

const FIELDS = ['key', 'name', 'size', 'type', 'width', 'height'];

const isCount = (v: unknown, min: number): boolean => Number.isSafeInteger(v) && (v as number) >= min;

/** One attachment object, or null when any field is missing, of the wrong type or unknown. */
export function parseAttachment(value: unknown): Attachment | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const item = value as Readonly<Record<string, unknown>>;
  const { key, name, size, type, width, height } = item;
  return Object.keys(item).every((field) => FIELDS.includes(field))
    && typeof key === 'string' && ATTACHMENT_KEY.test(key)
    && typeof name === 'string' && name !== '' && [...name].length < 256
    && isCount(size, 0) && typeof type === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(type)
    && (width === undefined || isCount(width, 1)) && (height === undefined || isCount(height, 1))
    ? { ...item } as unknown as Attachment : null;
}

/**
 * A message's `attachments` column. Throws on anything but an array of at most MAX_ATTACHMENTS
 * valid objects: nothing is dropped silently, so the row parser treats the whole row as invalid,
 * as it does for any other bad field.
 */
export function parseAttachments(value: unknown): readonly Attachment[] {
  if (!Array.isArray(value) || value.length > MAX_ATTACHMENTS) throw new TypeError('attachments must be a list of at most 10');
  return value.map((item: unknown) => parseAttachment(item) ?? (() => { throw new TypeError('attachment is not valid'); })());
}

/** Whether an attachment is shown inline as an image (never SVG, never anything declared otherwise). */
export function isInlineImage(attachment: Pick<Attachment, 'type'>): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(attachment.type);
}

/**
 * A file the composer accepted, on its way into a message: the bytes, the name the person gave it,
 * and `keyName`, the ASCII name its object key ends with (`safeKeyName`, in the composer's chunk).
 */
export interface OutgoingFile {
  readonly file: Blob;
  readonly name: string;
  readonly type: string;
  readonly keyName: string;
  readonly width?: number;
  readonly height?: number;
}

/**
 * The attachments a new message with these files claims: each keyed under its conversation and the
 * message's own id (so a retry after a reload uploads to the same key), numbered, ending in its
 * ASCII name; the original name (at most 255 characters) travels in the message.
 */
export function outgoingAttachments(conversationId: string, messageId: string, files: readonly OutgoingFile[]): Attachment[] {
  return files.map(({ file, name, type, keyName, width, height }, i) => ({
    key: `${conversationId}/${messageId}/${i}-${keyName}`, name, size: file.size, type, ...(width && height ? { width, height } : {}),
  }));
}

/**
 * How a file is described to the reader: its name made safe to show, its size in the reader's
 * language, a short type label and an icon kind. Pure functions, so the hostile cases are tested
 * without a browser.
 */

/**
 * Characters that change how the text around them reads rather than being read: C0 and C1 control
 * characters, and the explicit bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069). `invoice<U+202E>fdp.exe` would otherwise read as "invoiceexe.pdf".
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A file name as it is shown: every control or bidi-override character replaced by U+FFFD (visible,
 * so the reader sees that the name held something odd), and at most 255 characters. Still text:
 * callers put it in Text nodes, never markup.
 */
export function displayName(name: string): string {
  const shown = name.replace(HIDDEN, '\ufffd');
  const chars = [...shown];
  return chars.length > 255 ? `${chars.slice(0, 254).join('')}…` : shown;
}

const UNITS = [
  ['byte', 1],
  ['kilobyte', 1000],
  ['megabyte', 1000 ** 2],
  ['gigabyte', 1000 ** 3],
] as const;

/** `size` bytes in the reader's language with the largest fitting unit: "340 kB", "1.2 MB", "1,2 Mo". */
export function formatSize(size: number, lang: string): string {
  let unit: (typeof UNITS)[number] = UNITS[0];
  for (const candidate of UNITS) if (size >= candidate[1]) unit = candidate;
  const value = size / unit[1];
  // "136 bytes", not the short form's "136 byte"; "1.3 MB", not "1.3 megabytes".
  const display = unit[1] === 1 ? 'long' : 'short';
  const options: Intl.NumberFormatOptions = { style: 'unit', unit: unit[0], unitDisplay: display, maximumFractionDigits: value < 10 && unit[1] > 1 ? 1 : 0 };
  try {
    return new Intl.NumberFormat(lang || undefined, options).format(value);
  } catch {
    // An invalid lang attribute on the host page must not break rendering.
    return new Intl.NumberFormat(undefined, options).format(value);
  }
}

/** Labels people know for types whose MIME subtype says little ("vnd.openxmlformats-…"). */
const LABELS: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'application/zip': 'ZIP',
  'application/x-zip-compressed': 'ZIP',
  'application/gzip': 'GZIP',
  'application/msword': 'DOC',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.ms-excel': 'XLS',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.ms-powerpoint': 'PPT',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/json': 'JSON',
  'text/plain': 'TXT',
  'text/csv': 'CSV',
  'image/jpeg': 'JPEG',
  'image/svg+xml': 'SVG',
  'video/quicktime': 'MOV',
};

/** A short label for a MIME type: "PDF", "DOCX", "PNG"; the subtype, upper-cased, for the rest. */
export function typeLabel(type: string): string {
  const known = LABELS[type.toLowerCase()];
  if (known) return known;
  const subtype = type.split('/')[1] ?? type;
  const last = subtype.split(/[.+]/).filter((part) => part !== '' && part !== 'x-' && part !== 'vnd').pop() ?? subtype;
  return last.replace(/^x-/, '').slice(0, 10).toUpperCase() || 'FILE';
}

export const FILE_KINDS = ['image', 'video', 'audio', 'archive', 'document', 'other'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** Which icon a file card draws. Only decides a picture: an image here is still a card, never inline. */
export function fileKind(type: string): FileKind {
  const [major = '', minor = ''] = type.toLowerCase().split('/');
  if (major === 'image') return 'image';
  if (major === 'video') return 'video';
  if (major === 'audio') return 'audio';
  if (/zip|compressed|tar|gzip|rar|7z/.test(minor)) return 'archive';
  if (major === 'text' || /pdf|word|document|sheet|excel|presentation|powerpoint|rtf|json|opendocument/.test(minor)) return 'document';
  return 'other';
}

/** The name a download is saved under: the hidden characters replaced by `_`, so a saved file's name reads as it is. */
export function downloadName(name: string): string {
  return name.replace(HIDDEN, '_');
}

import { errors } from './errors.ts';

// supabase/storage's src/storage/limits.ts: S3-safe characters only; anything else (non-ASCII, `%`,
// `#`, `~`, brackets, backslash, quotes, …) is refused, so apps build keys themselves.
const KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$/;
const BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]+$/;
const MIME_ENTRY = /^([a-zA-Z0-9\-+.]+\/[a-zA-Z0-9\-+.]+(;\s*charset=[a-zA-Z0-9\-_]+)?|[a-zA-Z0-9\-+.]+\/\*|\*)$/;
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/**
 * Throws InvalidKey unless `key` is one the real server accepts. Dot segments are refused too
 * (the real file backend does): keys are never file paths here, but a `..` key that reached S3
 * on hosted would confuse every client that treats keys as paths.
 */
export function checkKey(key: string): void {
  if (key.length === 0 || key.length > 1024 || !KEY.test(key)) throw errors.invalidKey(key);
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) throw errors.invalidKey(key);
}

export function checkBucketName(name: string): void {
  if (name.length < 1 || name.length > 100 || !BUCKET_NAME.test(name) || name.trim() !== name || name.endsWith('--table-s3')) {
    throw errors.bucketName();
  }
}

/** Keys ending so are folder markers: no bytes, no MIME check. */
export function isEmptyFolder(key: string): boolean {
  return key.endsWith('.emptyFolderPlaceholder');
}

/**
 * A bucket's `file_size_limit` in bytes: a whole number, or a size with a decimal unit
 * (`1KB` = 1000, as the real server counts). Null clears the limit.
 */
export function parseFileSizeLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw errors.fileSizeFormat();
    return value;
  }
  if (typeof value !== 'string') throw errors.fileSizeFormat();
  const match = SIZE.exec(value.trim());
  if (!match) throw errors.fileSizeFormat();
  const bytes = Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
  if (!Number.isSafeInteger(bytes)) throw errors.fileSizeFormat();
  return bytes;
}

/** A bucket's `allowed_mime_types`, each `type/subtype[;charset=x]`, `type/*` or `*`. */
export function parseAllowedMimeTypes(value: unknown): string[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw errors.invalidRequest('body/allowed_mime_types must be array');
  }
  for (const type of value) {
    if (!MIME_ENTRY.test(type)) throw errors.invalidRequest(`Invalid mime type format: ${type}`);
  }
  return value;
}

/**
 * Throws InvalidMimeType unless `type` is allowed: `type/*` admits any subtype, otherwise the
 * subtype must match exactly, parameters included (so `text/plain;charset=UTF-8` is not
 * `text/plain`), as the real server compares. An empty or missing list allows everything.
 */
export function checkMimeType(type: string, allowed: readonly string[] | null): void {
  if (!allowed || allowed.length === 0) return;
  const [kind = '', subtype = ''] = type.split('/');
  const ok = allowed.some((entry) => {
    if (entry === '*') return true;
    const [allowedKind = '', allowedSubtype = ''] = entry.split('/');
    if (allowedKind !== kind) return false;
    return allowedSubtype === '*' || allowedSubtype === subtype;
  });
  if (!ok) throw errors.mimeType(type);
}

/** The limit an upload to a bucket has: the bucket's own, within the stack's global one. */
export function uploadLimit(globalLimit: number, bucketLimit: number | null, key: string): number {
  if (isEmptyFolder(key)) return 0;
  return bucketLimit === null ? globalLimit : Math.min(globalLimit, bucketLimit);
}

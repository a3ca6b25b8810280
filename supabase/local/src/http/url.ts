import type { IncomingHttpHeaders } from 'node:http';
import { decodeUtf8, InputError } from '../input.ts';

/**
 * The request target as a URL. Origin-form targets are appended to a fixed origin rather than
 * resolved against it, so `//` or `//host/x` stay paths instead of becoming a scheme-relative URL
 * (which `new URL` rejects or reads as another host). Absolute-form targets keep only their path.
 */
export function parseRequestUrl(target: string): URL {
  try {
    if (target.startsWith('/')) return new URL(`http://localhost${target}`);
    const absolute = new URL(target);
    return new URL(`http://localhost${absolute.pathname}${absolute.search}`);
  } catch {
    throw new InputError('malformed URL', 'request target');
  }
}

const HEX = /^[0-9a-fA-F]{2}$/;

/**
 * The bytes a percent-encoded text stands for. A `%` without two hex digits after it stays a
 * literal `%`, as URLSearchParams and PostgREST's decoder (http-types `urlDecode`) leave it;
 * `plusIsSpace` is form encoding, used in query strings only.
 */
function percentBytes(text: string, plusIsSpace: boolean): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '%' && HEX.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char === '+' && plusIsSpace) {
      bytes.push(0x20);
    } else {
      const code = text.codePointAt(i) ?? 0;
      if (code > 0xffff) i++;
      bytes.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Strictly decoded text of a percent-encoded part of the URL; InputError names `field`. */
function decodeStrict(text: string, field: string, plusIsSpace: boolean): string {
  const value = decodeUtf8(percentBytes(text, plusIsSpace), field);
  if (value.includes('\u0000')) throw new InputError('NUL character', field);
  return value;
}

/**
 * A path segment, percent-decoded. Never throws (unlike decodeURIComponent on a stray `%`); the
 * gateway has already refused paths whose escapes are not UTF-8.
 */
export function decodePathSegment(segment: string): string {
  return percentBytes(segment, false).toString('utf8');
}

/**
 * Refuses a request whose path, query parameters or headers are not valid UTF-8 or hold a NUL,
 * naming the part: PostgreSQL text cannot hold NUL, and a lenient decode would turn bad bytes into
 * U+FFFD silently, so a filter would quietly match something else than what was sent.
 */
export function checkRequestText(url: URL, headers: IncomingHttpHeaders): void {
  decodeStrict(url.pathname, 'path', false);
  const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawKey = equals < 0 ? pair : pair.slice(0, equals);
    const name = percentBytes(rawKey, true).toString('utf8');
    const field = `query parameter ${JSON.stringify(name)}`;
    decodeStrict(rawKey, field, true);
    if (equals >= 0) decodeStrict(pair.slice(equals + 1), field, true);
  }
  for (const [name, value] of Object.entries(headers)) {
    // Node hands header bytes over as latin1 and has already refused NUL and control characters.
    for (const item of Array.isArray(value) ? value : [value ?? '']) {
      decodeUtf8(Buffer.from(item, 'latin1'), `header ${JSON.stringify(name)}`);
    }
  }
}

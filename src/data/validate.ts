/**
 * Argument checks the data layer runs before any request, so a call that can only fail costs no
 * round trip and fails with the same reason code the database would have used.
 */
import { invalid } from './errors.ts';
import {
  AUDIENCES, CONVERSATION_STATUSES, MAX_MESSAGE_LENGTH, MAX_METADATA_BYTES, MAX_METADATA_DEPTH, MESSAGE_VISIBILITIES,
  type Audience, type ConversationStatus, type MessageVisibility,
} from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Largest page the API hands out; search_conversations clamps to the same bound. */
export const MAX_PAGE_SIZE = 100;

/** Throws unless `value` looks like a UUID; `what` names it in the message ("Conversation id"). */
export function requireUuid(value: unknown, what: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid(`${what} is not a valid id`, 'id_invalid');
  return value;
}

/** Page sizes are whole numbers 1..100. */
export function requireLimit(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_PAGE_SIZE) {
    throw invalid(`Page size must be a whole number from 1 to ${MAX_PAGE_SIZE}`, 'limit_invalid');
  }
  return value as number;
}

/** Message sequence numbers: whole numbers from `min` (1 for messages, 0 for read positions). */
export function requireSeq(value: unknown, min: 0 | 1, what = 'Message position'): number {
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw invalid(`${what} must be a whole number of ${min} or more`, 'seq_invalid');
  }
  return value as number;
}

/** Statuses are a closed vocabulary (CONVERSATION_STATUSES); same reason as the RPCs. */
export function requireStatus(value: unknown): ConversationStatus {
  if (!(CONVERSATION_STATUSES as readonly unknown[]).includes(value)) {
    throw invalid('Status must be open, pending, resolved or closed', 'status_invalid');
  }
  return value as ConversationStatus;
}

/** Same reason as insert_message's check, so a typo fails before any request. */
export function requireVisibility(value: unknown): MessageVisibility {
  if (!(MESSAGE_VISIBILITIES as readonly unknown[]).includes(value)) {
    throw invalid('Visibility must be public or internal', 'visibility_invalid');
  }
  return value as MessageVisibility;
}

/** A programming error in the embedding code, reported when the api is created rather than later. */
export function requireAudience(value: unknown): Audience {
  if (!(AUDIENCES as readonly unknown[]).includes(value)) throw new TypeError('audience must be "customer" or "team"');
  return value as Audience;
}

/**
 * Mirrors private.check_metadata: a JSON object, at most MAX_METADATA_DEPTH levels deep, then at most
 * MAX_METADATA_BYTES of JSON text, in that order. The shape is walked first without recursion, so a
 * deep or cyclic object never reaches JSON.stringify. The database measures its own text form, which
 * adds a space after each `:` and `,`, so this check never refuses what the database would accept.
 */
export function requireMetadata(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('Metadata must be a JSON object', 'metadata_invalid');
  const shape = metadataShape(value);
  if (shape === 'too-deep') throw invalid(`Metadata is nested deeper than ${MAX_METADATA_DEPTH} levels`, 'metadata_too_deep');
  if (shape === 'too-large' || new TextEncoder().encode(JSON.stringify(value)).length > MAX_METADATA_BYTES) {
    throw invalid(`Metadata is larger than ${MAX_METADATA_BYTES} bytes`, 'metadata_too_large');
  }
  return value as Record<string, unknown>;
}

/**
 * Walks the objects and arrays of `root`, stopping at the first one past MAX_METADATA_DEPTH, or once
 * there are more of them than MAX_METADATA_BYTES could hold (each is at least `{}`): the walk is
 * bounded even when the value is a cycle.
 */
function metadataShape(root: object): 'ok' | 'too-deep' | 'too-large' {
  const stack: { value: object; depth: number }[] = [{ value: root, depth: 1 }];
  let containers = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.depth > MAX_METADATA_DEPTH) return 'too-deep';
    if (++containers > MAX_METADATA_BYTES / 2) return 'too-large';
    for (const child of Object.values(item.value) as unknown[]) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: item.depth + 1 });
    }
  }
  return 'ok';
}

/** PostgreSQL's char_length counts code points, so an emoji is one character, not two. */
export function charLength(text: string): number {
  return Array.from(text).length;
}

// The characters that show nothing on their own: Unicode White_Space and Default_Ignorable_Code_Point
// (spaces of every width, NBSP, zero-width space and joiners, word joiner, BOM, bidi controls,
// variation selectors, Hangul fillers, tags). The same list as private.is_blank and the
// messages_content_visible constraint (20261206000004_schema_bounds.sql), so the widget refuses
// exactly what the database refuses. Combining marks (U+034F, variation selectors) are listed on
// purpose, each matched on its own.
const BLANK =
  // eslint-disable-next-line no-misleading-character-class
  /^[\t-\r \x85\xa0\xad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}]*$/u;

/** Whether `text` would show nothing: empty, or only whitespace and invisible characters. */
export function isBlank(text: string): boolean {
  return BLANK.test(text);
}

/** Mirrors insert_message: not blank, at most 4000 characters, in that order. */
export function requireContent(value: unknown): string {
  if (typeof value !== 'string' || isBlank(value)) throw invalid('Message is empty', 'content_empty');
  if (charLength(value) > MAX_MESSAGE_LENGTH) {
    throw invalid(`Message is longer than ${MAX_MESSAGE_LENGTH} characters`, 'content_too_long');
  }
  return value;
}

/** Optional free text: trimmed, empty becomes null (as the RPCs do), bounded in characters. */
export function optionalText(value: unknown, max: number, message: string, reason: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(message, reason);
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (charLength(trimmed) > max) throw invalid(message, reason);
  return trimmed;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Mirrors start_conversation's email check. */
export function optionalEmail(value: unknown): string | null {
  const email = optionalText(value, 254, 'Email address is not valid', 'email_invalid');
  if (email !== null && !EMAIL.test(email)) throw invalid('Email address is not valid', 'email_invalid');
  return email;
}

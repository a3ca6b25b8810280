/**
 * Argument checks the data layer runs before any request, so a call that can only fail costs no
 * round trip and fails with the same reason code the database would have used.
 */
import { invalid } from './errors.ts';
import {
  AUDIENCES, CONVERSATION_STATUSES, MAX_MESSAGE_LENGTH, MESSAGE_VISIBILITIES,
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

/** Metadata is a JSON object: `jsonb_typeof(metadata) = 'object'` in the database. */
export function requireMetadata(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('Metadata must be a JSON object', 'metadata_invalid');
  return value as Record<string, unknown>;
}

/** PostgreSQL's char_length counts code points, so an emoji is one character, not two. */
export function charLength(text: string): number {
  return Array.from(text).length;
}

// insert_message trims exactly these before its emptiness check; JavaScript's trim() removes more
// (e.g. U+2003), and a message the database accepts must not be refused here.
const BLANK = /^[ \t\n\r\u00a0]*$/;

/** Mirrors insert_message: not blank, at most 4000 characters, in that order. */
export function requireContent(value: unknown): string {
  if (typeof value !== 'string' || BLANK.test(value)) throw invalid('Message is empty', 'content_empty');
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

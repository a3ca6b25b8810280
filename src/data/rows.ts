/**
 * Payloads that arrive over realtime, checked field by field before they reach the stores. REST
 * rows come back in the shape the column lists of api.ts ask for; a realtime record is whatever the
 * server put in the frame (every column of the row, a broadcast any channel member may send), so
 * nothing here is cast. A raw row is validated against its `…Row` type (a fresh object with exactly
 * the declared fields, or null when one is missing or of the wrong type), then mapped to the
 * audience's view with the same functions the REST path uses (audience.ts). Callers ignore null.
 */
import { parseAttachments, type Attachment } from './attachment.ts';
import { conversationFor, messageFor, readMarkerFor } from './audience.ts';
import {
  CONVERSATION_STATUSES,
  MESSAGE_VISIBILITIES,
  SENDER_TYPES,
  type Audience,
  type Conversation,
  type ConversationRow,
  type ConversationStatus,
  type Message,
  type MessageRow,
  type MessageVisibility,
  type ReadMarker,
  type ReadMarkerRow,
  type SenderType,
} from './types.ts';

/** A typing broadcast on a conversation channel (see channels.ts). */
export interface TypingEvent {
  readonly user_id: string;
  /** The display name the sender chose to share; agents send theirs, visitors none. */
  readonly name: string | null;
  /** False when the sender stopped; a payload without the flag means typing. */
  readonly typing: boolean;
}

type Fields = Readonly<Record<string, unknown>>;

/** A field check: the value, or `INVALID`. */
type Check<T> = (value: unknown) => T | typeof INVALID;

const INVALID: unique symbol = Symbol('invalid');

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text: Check<string> = (v) => (typeof v === 'string' ? v : INVALID);
/** A nullable column: present, and null or text (a record always carries every column). */
const nullableText: Check<string | null> = (v) => (v === null ? null : text(v));
/** Sequence numbers and counters: PostgreSQL bigint, sent as a JSON number. */
const count: Check<number> = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : INVALID);
const nullableCount: Check<number | null> = (v) => (v === null ? null : count(v));
const flag: Check<boolean> = (v) => (typeof v === 'boolean' ? v : INVALID);
const object: Check<Readonly<Record<string, unknown>>> = (v) => (isRecord(v) ? v : INVALID);
const attachments: Check<readonly Attachment[]> = (v) => {
  try {
    return parseAttachments(v);
  } catch {
    return INVALID;
  }
};

function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v) => ((values as readonly unknown[]).includes(v) ? (v as T) : INVALID);
}

type Schema<T> = { readonly [K in keyof T]-?: Check<T[K]> };

/**
 * Builds a parser from one check per declared field; the mapped type makes the compiler insist on
 * a check for every field of `T`, so a column added to a type is a compile error here until it is
 * validated too.
 */
function parser<T>(schema: Schema<T>): (payload: unknown) => T | null {
  const keys = Object.keys(schema) as (keyof T & string)[];
  return (payload) => {
    if (!isRecord(payload)) return null;
    const out: Partial<Record<keyof T, unknown>> = {};
    for (const key of keys) {
      const value = schema[key](payload[key]);
      if (value === INVALID) return null;
      // An optional column the row lacks stays absent rather than present and undefined.
      if (value !== undefined) out[key] = value;
    }
    return out as T;
  };
}

/** A raw `messages` row from a postgres_changes INSERT. */
export const parseMessageRow: (payload: unknown) => MessageRow | null = parser<MessageRow>({
  id: text,
  conversation_id: text,
  seq: count,
  public_seq: nullableCount,
  visibility: oneOf<MessageVisibility>(MESSAGE_VISIBILITIES),
  sender_type: oneOf<SenderType>(SENDER_TYPES),
  sender_id: nullableText,
  content: text,
  metadata: object,
  attachments,
  created_at: text,
});

/** A raw `conversations` row from a postgres_changes INSERT or UPDATE. */
export const parseConversationRow: (payload: unknown) => ConversationRow | null = parser<ConversationRow>({
  id: text,
  customer_id: text,
  status: oneOf<ConversationStatus>(CONVERSATION_STATUSES),
  assigned_agent_id: nullableText,
  chatbot_enabled: flag,
  subject: nullableText,
  last_seq: count,
  last_public_seq: count,
  customer_messages: count,
  team_messages: count,
  last_message_at: text,
  last_message_preview: nullableText,
  created_at: text,
  updated_at: text,
  resolutions: count,
  rating_score: nullableCount,
  rating_scale: nullableCount,
  rating_resolution: nullableCount,
  // Absent where the project's schema predates the chatbot (issue 17).
  handed_over_at: (v) => (v === undefined ? undefined : nullableText(v)),
});

/** A raw `conversation_reads` row from a postgres_changes INSERT or UPDATE. */
export const parseReadMarkerRow: (payload: unknown) => ReadMarkerRow | null = parser<ReadMarkerRow>({
  conversation_id: text,
  user_id: text,
  last_read_seq: count,
  last_read_public_seq: count,
  read_customer_messages: count,
  read_team_messages: count,
  updated_at: text,
});

/** A message as `audience` sees it; null when invalid or not for the audience (an internal one for a customer). */
export function parseMessage(payload: unknown, audience: Audience): Message | null {
  const row = parseMessageRow(payload);
  return row && messageFor(audience, row);
}

/** A conversation row as `audience` sees it (its last seq and unread counter). */
export function parseConversation(payload: unknown, audience: Audience): Conversation | null {
  const row = parseConversationRow(payload);
  return row && conversationFor(audience, row);
}

/** A read marker as `audience` sees it (position and counter in its units). */
export function parseReadMarker(payload: unknown, audience: Audience): ReadMarker | null {
  const row = parseReadMarkerRow(payload);
  return row && readMarkerFor(audience, row);
}

/** A typing broadcast: the sender's user id, an optional name, and whether they are typing. */
export const parseTyping: (payload: unknown) => TypingEvent | null = parser<TypingEvent>({
  user_id: text,
  name: (v) => (v === undefined ? null : nullableText(v)),
  typing: (v) => (v === undefined ? true : flag(v)),
});

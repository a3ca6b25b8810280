/**
 * Pure reducers for the conversation list: stale-proof upserts, the inbox order, filters and
 * unread counts. The stores derive `$conversationList` (`parley-state.ts`) and `$unread`
 * (`reads-store.ts`) from these, so elements only render.
 */
import {
  CONVERSATION_STATUSES,
  type AssignmentFilter,
  type Audience,
  type Conversation,
  type ConversationStatus,
  type ConversationSummary,
  type Message,
} from '../data/types.ts';
import type { PendingMessage } from './thread.ts';

/** Conversations by id, as the list channel and REST deliver them. */
export type ConversationMap = Readonly<Record<string, ConversationSummary>>;

/**
 * Orders two Postgres `timestamptz` strings. `Date.parse` handles `Z` and `+00:00` alike but drops
 * microseconds, which Postgres keeps and which separate two updates in one millisecond; the
 * sub-millisecond digits break the tie.
 */
export function compareTimestamps(a: string, b: string): number {
  const ms = Date.parse(a) - Date.parse(b);
  if (ms !== 0 && !Number.isNaN(ms)) return ms < 0 ? -1 : 1;
  const fa = subMillis(a);
  const fb = subMillis(b);
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

function subMillis(stamp: string): number {
  const match = /\.\d{3}(\d{1,3})/.exec(stamp);
  return match?.[1] ? Number(match[1].padEnd(3, '0')) : 0;
}

/**
 * Whether `incoming` is older than `held`: an earlier `updated_at`, or the same `updated_at` with
 * a lower `last_seq`. Realtime and REST responses race, so an update can arrive after a newer one.
 */
export function isStale(held: Conversation, incoming: Conversation): boolean {
  const order = compareTimestamps(incoming.updated_at, held.updated_at);
  return order < 0 || (order === 0 && incoming.last_seq < held.last_seq);
}

/** The customer details held with any conversation of `customerId` (null when none has them). */
function knownCustomer(map: ConversationMap, customerId: string): ConversationSummary['customer'] {
  for (const id in map) {
    const row = map[id] as ConversationSummary;
    if (row.customer_id === customerId && row.customer !== null) return row.customer;
  }
  return null;
}

/**
 * Inserts or updates one conversation, ignoring stale rows. Realtime rows carry no embedded
 * `customer`; the one already held is kept, and a new conversation of a customer already known
 * takes theirs (a returning customer's new conversation shows their name at once, not "Visitor").
 * Returns the same map when nothing changes.
 */
export function upsertConversation(
  map: ConversationMap,
  row: Conversation | ConversationSummary,
): ConversationMap {
  const held = map[row.id];
  if (held !== undefined && isStale(held, row)) return map;
  const customer = 'customer' in row && row.customer !== undefined
    ? row.customer
    : (held?.customer ?? (held === undefined ? knownCustomer(map, row.customer_id) : null));
  const next: ConversationSummary = { ...row, customer };
  if (held !== undefined && shallowEqual(held, next)) return map;
  return { ...map, [row.id]: next };
}

/** Applies a list of rows (a fetched page) in one pass, with the same staleness rule. */
export function upsertConversations(
  map: ConversationMap,
  rows: readonly (Conversation | ConversationSummary)[],
): ConversationMap {
  let next = map;
  for (const row of rows) next = upsertConversation(next, row);
  return next;
}

/** Characters of a message the list's preview keeps (private.append_message). */
export const PREVIEW_LENGTH = 160;
/** PostgreSQL's `\s` in a regular expression, which in a UTF-8 database takes Unicode spaces too. */
const SQL_WHITESPACE = /\s+/g;

/**
 * The conversation's preview of `message` as private.append_message writes it: its text, or
 * "📎 " and the files' names for a message of files only; spaces trimmed at both ends (btrim),
 * every run of whitespace one space, the first 160 characters (code points, as `left()` counts).
 * Where this differs from the database (a character one counts as a space and the other not), the
 * conversation's own change corrects it a moment later.
 */
export function previewOf(message: Pick<Message, 'content' | 'attachments'>): string {
  const text = message.content === '' && message.attachments.length > 0
    ? `📎 ${message.attachments.map((a) => a.name).join(', ')}`
    : message.content;
  const collapsed = text.replace(/^ +| +$/g, '').replace(SQL_WHITESPACE, ' ');
  const chars = Array.from(collapsed);
  return chars.length > PREVIEW_LENGTH ? chars.slice(0, PREVIEW_LENGTH).join('') : collapsed;
}

/**
 * The held conversation as `message`'s own transaction leaves it (private.append_message): its
 * last seq, unread counter, activity time and preview. Applied with the message, the list shows
 * the preview in the same task as the thread shows the message, rather than a frame later when the
 * conversation's change arrives (issue 12: one layout per message); that change then finds the row
 * as it makes it and changes nothing. Where it differs (a trigger that also reopened the
 * conversation, a counter this client did not hold), it still applies: same `updated_at` and
 * `last_seq`, so never stale. A message older than the row, or of a conversation not held, leaves
 * the map as it is.
 */
export function withMessage(map: ConversationMap, message: Message, audience: Audience): ConversationMap {
  const held = map[message.conversation_id];
  if (held === undefined || message.seq <= held.last_seq || compareTimestamps(message.created_at, held.updated_at) <= 0) return map;
  const activity = message.visibility === 'public' && message.sender_type !== 'system';
  // The customer counts the team's public replies; the team counts the customer's messages.
  const inbound = activity && (message.sender_type === 'customer') === (audience === 'team');
  return {
    ...map,
    [held.id]: {
      ...held,
      last_seq: message.seq,
      inbound_count: held.inbound_count + (inbound ? 1 : 0),
      updated_at: message.created_at,
      ...(activity ? { last_message_at: message.created_at, last_message_preview: previewOf(message) } : {}),
    },
  };
}

/**
 * The list as the agent sees it while their own messages are on their way: a conversation with a
 * public send in flight shows that text as its preview, so the confirmation, which moves the row to
 * the same preview (`withMessage`), changes nothing on screen (issue 12: one layout per message
 * sent). Its time stays the stored one (the client's clock may be off). A failed send shows the
 * stored preview again. The same array when nothing is in flight.
 */
export function withSendingPreviews(
  list: readonly ConversationSummary[], outbox: readonly PendingMessage[],
): readonly ConversationSummary[] {
  const sending = new Map<string, PendingMessage>();
  for (const entry of outbox) if (entry.state !== 'failed' && entry.visibility === 'public') sending.set(entry.conversation_id, entry);
  if (sending.size === 0) return list;
  return list.map((c) => {
    const entry = sending.get(c.id);
    return entry ? { ...c, last_message_preview: previewOf({ content: entry.content, attachments: entry.attachments ?? [] }) } : c;
  });
}

function shallowEqual(a: ConversationSummary, b: ConversationSummary): boolean {
  const keys = Object.keys(b) as (keyof ConversationSummary)[];
  if (Object.keys(a).length !== keys.length) return false;
  for (const key of keys) {
    if (key === 'customer') {
      if (a.customer?.name !== b.customer?.name || a.customer?.email !== b.customer?.email) return false;
      if ((a.customer === null) !== (b.customer === null)) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}

/** Inbox order: most recent activity first, then id descending so the order is total and stable. */
export function compareConversations(a: Conversation, b: Conversation): number {
  const byTime = compareTimestamps(b.last_message_at, a.last_message_at);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** What the inbox shows. */
export interface ListFilter {
  /** Statuses to show; empty shows every status. */
  readonly statuses: readonly ConversationStatus[];
  readonly assignment: AssignmentFilter;
  /** Free text; every word must appear in the subject, preview, or customer name or email. */
  readonly search: string;
}

/** Everything: every status, any assignment, no search. The inbox narrows it as the agent picks. */
export const DEFAULT_LIST_FILTER: ListFilter = Object.freeze({
  statuses: Object.freeze([]) as readonly ConversationStatus[],
  assignment: 'all',
  search: '',
});

/** Lowercase, accents folded, so "jose" finds "José". */
export function normalizeSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Splits search text into normalized words. Exposed so callers can tell an empty search (no
 * words) from a real one and skip the server-side search.
 */
export function searchTerms(search: string): readonly string[] {
  const normalized = normalizeSearch(search).trim();
  return normalized === '' ? [] : normalized.split(/\s+/u);
}

/**
 * Whether a conversation passes the filter. `agentId` is the signed-in agent; with none, `mine`
 * matches nothing. Search is a client-side fallback (substring of every word); the server's
 * full-text search stays the source of truth for conversations not loaded yet.
 */
export function matchesFilter(
  row: ConversationSummary,
  filter: ListFilter,
  agentId: string | null,
  terms: readonly string[] = searchTerms(filter.search),
): boolean {
  if (filter.statuses.length > 0 && filter.statuses.length < CONVERSATION_STATUSES.length) {
    if (!filter.statuses.includes(row.status)) return false;
  }
  if (filter.assignment === 'mine' && (agentId === null || row.assigned_agent_id !== agentId)) {
    return false;
  }
  if (filter.assignment === 'unassigned' && row.assigned_agent_id !== null) return false;
  if (terms.length === 0) return true;
  const haystack = normalizeSearch(
    [row.subject, row.last_message_preview, row.customer?.name, row.customer?.email]
      .filter((s): s is string => typeof s === 'string')
      .join('\n'),
  );
  return terms.every((term) => haystack.includes(term));
}

/** The filtered list in inbox order; a new array, since the result is a computed value. */
export function listConversations(
  map: ConversationMap,
  filter: ListFilter,
  agentId: string | null,
): readonly ConversationSummary[] {
  const terms = searchTerms(filter.search);
  const rows: ConversationSummary[] = [];
  for (const id in map) {
    const row = map[id] as ConversationSummary;
    if (matchesFilter(row, filter, agentId, terms)) rows.push(row);
  }
  return rows.sort(compareConversations);
}

/**
 * Unread messages in a conversation for the viewer: what counts as inbound for their side (the
 * customer's messages for the team, the team's public replies for the customer) minus how many of
 * those they had read at their read position. Both counters come from the database, so the count
 * is exact without holding a single message; the viewer's own messages, system lines and notes are
 * never counted. Never below 0.
 */
export function unreadCount(conversation: Pick<Conversation, 'inbound_count'>, readInbound: number | undefined): number {
  const unread = conversation.inbound_count - (readInbound ?? 0);
  return unread > 0 ? unread : 0;
}

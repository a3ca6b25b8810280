/**
 * Pure reducers for the conversation list: stale-proof upserts, the inbox order, filters and
 * unread counts. The stores derive `$conversationList` (`parley-state.ts`) and `$unread`
 * (`reads-store.ts`) from these, so elements only render.
 */
import {
  CONVERSATION_STATUSES,
  type AssignmentFilter,
  type Conversation,
  type ConversationStatus,
  type ConversationSummary,
} from '../data/types.ts';

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

/**
 * Pure derivations from read positions: "seen" receipts (other people's read positions, and from
 * them the highest seq the other side of each conversation has read) and unread counts (from the
 * viewer's own read counters). `reads-store.ts` holds the positions and derives its stores from these.
 */
import type { Conversation, ConversationSummary, ReadMarker } from '../data/types.ts';
import { unreadCount, type ConversationMap } from './conversations.ts';
import type { SessionRole } from './vocabularies.ts';

/** Read positions by conversation id, then by user id (`last_read_seq`). */
export type ReaderMarks = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** Highest seq the other side has read, by conversation id; conversations nobody read have no key. */
export type SeenPositions = Readonly<Record<string, number>>;

export const NO_MARKS: ReaderMarks = Object.freeze({});
export const NOTHING_SEEN: SeenPositions = Object.freeze({});

/**
 * Records one user's read position. Positions only move forward: REST answers and realtime changes
 * race, so an older marker can arrive after a newer one. Returns the same map when nothing moved.
 */
export function recordReadMarker(
  marks: ReaderMarks,
  marker: Pick<ReadMarker, 'conversation_id' | 'user_id' | 'last_read_seq'>,
): ReaderMarks {
  const { conversation_id: conversationId, user_id: userId, last_read_seq: seq } = marker;
  if (!Number.isSafeInteger(seq) || seq < 0) return marks;
  const byUser = marks[conversationId] ?? {};
  if ((byUser[userId] ?? -1) >= seq) return marks;
  return { ...marks, [conversationId]: { ...byUser, [userId]: seq } };
}

/** The viewer the receipts are for. */
export interface SeenViewer {
  readonly userId: string | null;
  readonly role: SessionRole | null;
}

/**
 * Who "the other side" is, per conversation:
 * - a visitor's other side is the team, so any marker but the visitor's own counts (the highest);
 * - an agent's or admin's other side is the conversation's customer, so only the marker of its
 *   `customer_id` counts (another agent reading is not the customer seeing). Markers of a
 *   conversation whose row is not held yet are kept by the caller and count once it arrives;
 * - a viewer whose role is unknown (the agent lookup failed) is taken for the customer of the
 *   conversations whose row says so or is missing, and for an agent elsewhere.
 */
export function seenPositions(
  marks: ReaderMarks,
  conversations: Readonly<Record<string, Pick<Conversation, 'customer_id'> | undefined>>,
  viewer: SeenViewer,
): SeenPositions {
  const { userId, role } = viewer;
  if (userId === null) return NOTHING_SEEN;
  const seen: Record<string, number> = {};
  let any = false;
  for (const conversationId in marks) {
    const byUser = marks[conversationId] as Readonly<Record<string, number>>;
    const customerId = conversations[conversationId]?.customer_id;
    const asTeam = role === 'agent' || role === 'admin' || (role === null && customerId !== undefined && customerId !== userId);
    let best = 0;
    if (asTeam) {
      if (customerId !== undefined && customerId !== userId) best = byUser[customerId] ?? 0;
    } else {
      for (const reader in byUser) {
        if (reader !== userId) best = Math.max(best, byUser[reader] as number);
      }
    }
    if (best > 0) {
      seen[conversationId] = best;
      any = true;
    }
  }
  return any ? seen : NOTHING_SEEN;
}

/** Whether two derived maps hold the same positions, so a recomputation can keep the old value. */
export function sameSeen(a: SeenPositions, b: SeenPositions): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}

/** The viewer's read position (`last_read_seq`) by conversation id. */
export type ReadPositions = Readonly<Record<string, number>>;

/** Unread messages per conversation (only conversations with some) and in total, for badges. */
export interface UnreadState {
  readonly byConversation: Readonly<Record<string, number>>;
  readonly total: number;
}

export const NOTHING_UNREAD: UnreadState = Object.freeze({ byConversation: Object.freeze({}), total: 0 });

/** How many inbound messages the viewer had read, by conversation id (`read_inbound_count`). */
export type ReadCounts = Readonly<Record<string, number>>;

/**
 * `unread` without the conversation on screen (`reading`, null for none). Its messages are marked read
 * in the task after they render: counted meanwhile, every badge would show each new message for a
 * frame and take it back (a flicker, and two layouts per message).
 */
export function unreadBesides(unread: UnreadState, reading: string | null): UnreadState {
  const count = reading === null ? 0 : (unread.byConversation[reading] ?? 0);
  if (count === 0) return unread;
  if (unread.total === count) return NOTHING_UNREAD;
  const byConversation = Object.fromEntries(Object.entries(unread.byConversation).filter(([id]) => id !== reading));
  return { byConversation, total: unread.total - count };
}

/** Unread counts of the conversations held, from the viewer's own read counters. */
export function unreadState(conversations: ConversationMap, reads: ReadCounts): UnreadState {
  const byConversation: Record<string, number> = {};
  let total = 0;
  for (const id in conversations) {
    const count = unreadCount(conversations[id] as ConversationSummary, reads[id]);
    if (count > 0) {
      byConversation[id] = count;
      total += count;
    }
  }
  return total === 0 ? NOTHING_UNREAD : { byConversation, total };
}

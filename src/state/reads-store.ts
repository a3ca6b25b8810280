/**
 * The read-position stores of one widget instance: the viewer's own positions and read counters
 * (they drive unread counts) and everyone else's positions (they drive "Seen" receipts), with the
 * two derived stores. Positions and counters only move forward, because REST answers and realtime
 * changes race.
 */
import { atom, computed, type ReadableAtom } from 'nanostores';
import type { ReadMarker } from '../data/types.ts';
import type { ConversationMap } from './conversations.ts';
import {
  NOTHING_SEEN,
  NO_MARKS,
  recordReadMarker,
  sameSeen,
  seenPositions,
  unreadState,
  type ReadCounts,
  type ReaderMarks,
  type ReadPositions,
  type SeenPositions,
  type UnreadState,
} from './reads.ts';
import type { SessionState } from './vocabularies.ts';

export interface ReadsStore {
  readonly $readMarkers: ReadableAtom<ReadPositions>;
  readonly $seen: ReadableAtom<SeenPositions>;
  readonly $unread: ReadableAtom<UnreadState>;
  /** The viewer's own marker moves `$readMarkers`; anyone else's feeds `$seen`. */
  apply(marker: ReadMarker): void;
  /**
   * Moves the viewer's position forward; true when it moved. Reading up to the conversation's last
   * message also reads all of its inbound messages; a partial read waits for the server's counter.
   */
  advance(conversationId: string, seq: number): boolean;
  /** Forgets every position (another user signed in). */
  clear(): void;
}

export function createReadsStore(
  $conversations: ReadableAtom<ConversationMap>,
  $session: ReadableAtom<SessionState>,
): ReadsStore {
  const $readMarkers = atom<ReadPositions>({});
  const $readCounts = atom<ReadCounts>({});
  const $readerMarks = atom<ReaderMarks>(NO_MARKS);

  let lastSeen: SeenPositions = NOTHING_SEEN;
  const $seen = computed([$readerMarks, $conversations, $session], (marks, map, session) => {
    const next = seenPositions(marks, map, session);
    // $conversations changes with every message; keep the value so "Seen" readers do not re-render.
    if (!sameSeen(next, lastSeen)) lastSeen = next;
    return lastSeen;
  });

  const $unread = computed([$conversations, $readCounts], unreadState);

  function countAtLeast(conversationId: string, count: number): void {
    const counts = $readCounts.get();
    if ((counts[conversationId] ?? 0) < count) $readCounts.set({ ...counts, [conversationId]: count });
  }

  function advance(conversationId: string, seq: number): boolean {
    const conversation = $conversations.get()[conversationId];
    if (conversation && seq >= conversation.last_seq) countAtLeast(conversationId, conversation.inbound_count);
    const reads = $readMarkers.get();
    if ((reads[conversationId] ?? 0) >= seq) return false;
    $readMarkers.set({ ...reads, [conversationId]: seq });
    return true;
  }

  return {
    $readMarkers,
    $seen,
    $unread,
    apply(marker) {
      const { userId } = $session.get();
      if (userId !== null && marker.user_id === userId) {
        countAtLeast(marker.conversation_id, marker.read_inbound_count);
        advance(marker.conversation_id, marker.last_read_seq);
      } else $readerMarks.set(recordReadMarker($readerMarks.get(), marker));
    },
    advance,
    clear() {
      $readMarkers.set({});
      $readCounts.set({});
      $readerMarks.set(NO_MARKS);
    },
  };
}

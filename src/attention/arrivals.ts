/**
 * What is "new" for attention, decided from the conversation map the console already keeps in step
 * with realtime (no second subscription): a conversation created after the list first loaded, once
 * its first customer message is there (its row comes first, empty), and customer messages (a rise of `inbound_count`, which counts only what the viewer's side did
 * not write) in conversations already held.
 *
 * The chatbot (issue 17): while a conversation's bot is on, the bot answers and nothing rings; when
 * it hands over (`handed_over_at` set or moved on), the conversation arrives as a new one would.
 */
import { compareTimestamps, type ConversationMap } from '../state/conversations.ts';

export const ARRIVAL_KINDS = ['conversation', 'message'] as const;
export type ArrivalKind = (typeof ARRIVAL_KINDS)[number];

export interface Arrival {
  readonly kind: ArrivalKind;
  readonly conversationId: string;
  /** Inbound messages that arrived with it. */
  readonly count: number;
}

/**
 * The newest `last_message_at` held: anything created or written after it is newer than the load.
 * A row a later page brings (older activity) was created before its own last message, so before
 * this mark, and never counts as new. Null for an empty map: then every row that appears is new.
 */
export function watermark(map: ConversationMap): string | null {
  let mark: string | null = null;
  for (const id in map) {
    const at = map[id]?.last_message_at;
    if (at && (mark === null || compareTimestamps(at, mark) > 0)) mark = at;
  }
  return mark;
}

/** Arrivals between two maps, in the order of `next`; `since` is the {@link watermark} of the first load. */
export function arrivals(previous: ConversationMap, next: ConversationMap, since: string | null): Arrival[] {
  if (previous === next) return [];
  const found: Arrival[] = [];
  const fresh = (created: string): boolean => since === null || compareTimestamps(created, since) > 0;
  for (const id in next) {
    const row = next[id];
    if (!row) continue;
    const held = previous[id];
    if (held && row.handed_over_at && row.handed_over_at !== (held.handed_over_at ?? null)) {
      found.push({ kind: 'conversation', conversationId: id, count: Math.max(1, row.inbound_count - held.inbound_count) });
      continue;
    }
    // The bot answers these; an agent hears of them once it hands over (or is switched off and the customer writes).
    if (row.chatbot_enabled) continue;
    if (held) {
      const count = row.inbound_count - held.inbound_count;
      // A conversation's row comes before its first message: the conversation is new once that message is there.
      if (count > 0) found.push({ kind: held.inbound_count === 0 && fresh(row.created_at) ? 'conversation' : 'message', conversationId: id, count });
    } else if (fresh(row.created_at)) {
      if (row.inbound_count > 0) found.push({ kind: 'conversation', conversationId: id, count: row.inbound_count });
    } else if (since !== null && row.inbound_count > 0 && compareTimestamps(row.last_message_at, since) > 0) {
      // An older conversation nobody had paged in, written to since the load.
      found.push({ kind: 'message', conversationId: id, count: 1 });
    }
  }
  return found;
}

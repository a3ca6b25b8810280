/**
 * The visitor's earlier conversations above the current one (README "The visitor's conversations"):
 * which of them the thread shows, flattened with the current conversation into one list of
 * messages, so the window of at most 400 nodes and the scroll anchoring slide over the whole
 * history as over one conversation. Pure, so it is tested without rendering.
 */
import type { ConversationStatus, Message } from '../../data/types.ts';
import type { ThreadState } from '../../state/thread.ts';

/** An earlier conversation the thread shows above the current one, ending with a divider. */
export interface ThreadSection {
  /** The conversation's id. */
  readonly id: string;
  /** Its messages (a thread store's value, like `thread`). */
  readonly thread: ThreadState;
  /** Its status: the divider says "closed" or "resolved", or just when it was. */
  readonly status: ConversationStatus;
  /** When it ended or last moved (ISO 8601), for the divider. */
  readonly endedAt: string;
  /** Messages in it the viewer has not read; above 0, the thread offers to show them. */
  readonly unread: number;
}

/** The shown history as one list: earlier sections (oldest first), then the current conversation. */
export interface FlatThread {
  readonly messages: readonly Message[];
  /** The earlier sections shown, oldest first. */
  readonly sections: readonly ThreadSection[];
  /** Where each shown section's messages start in `messages`, and where they end (exclusive). */
  readonly bounds: readonly { readonly start: number; readonly end: number }[];
  /** Where the current conversation's messages start. */
  readonly currentStart: number;
  /** Index in `messages` by message id. */
  readonly index: ReadonlyMap<string, number>;
  /** More history exists above the top: the top conversation's older pages, or earlier conversations. */
  readonly hasMore: boolean;
  /** The top conversation is fetching older history. */
  readonly loading: boolean;
}

/**
 * Flattens the current thread with the earlier sections (oldest first). An earlier conversation is
 * shown only once everything below it is complete (no older pages left), so the history never has
 * a hole in the middle; an earlier one whose first page has not arrived adds nothing yet.
 * `moreEarlier`: conversations older than every section given exist.
 */
export function flattenThread(current: ThreadState, earlier: readonly ThreadSection[], moreEarlier: boolean): FlatThread {
  const shown: ThreadSection[] = [];
  let hasMore = current.hasMore;
  let loading = current.loading;
  // Without earlier conversations, the current one's own word on older pages stands.
  if (!olderExists(current) && (earlier.length > 0 || moreEarlier)) {
    hasMore = moreEarlier;
    for (let i = earlier.length - 1; i >= 0; i--) {
      const section = earlier[i] as ThreadSection;
      if (section.thread.messages.length > 0) shown.unshift(section);
      if (olderExists(section.thread)) {
        hasMore = true;
        loading = section.thread.loading;
        break;
      }
      loading = false;
    }
  }
  const messages: Message[] = [];
  const bounds: { start: number; end: number }[] = [];
  for (const section of shown) {
    const start = messages.length;
    messages.push(...section.thread.messages);
    bounds.push({ start, end: messages.length });
  }
  const currentStart = messages.length;
  messages.push(...current.messages);
  const index = new Map<string, number>();
  messages.forEach((m, i) => index.set(m.id, i));
  return { messages, sections: shown, bounds, currentStart, index, hasMore, loading };
}

/** Whether older messages may exist: none before seq 1 (sequences are dense from 1), whatever the page said. */
function olderExists(thread: ThreadState): boolean {
  return thread.hasMore && thread.messages[0]?.seq !== 1;
}

/** Up to two initials of a name ("Sam Rivera" → "SR"), for an avatar without an image. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter((w) => w !== '');
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...(w as string)][0] ?? '').join('').toLocaleUpperCase();
}

/** One of the avatar colours (`AVATAR_COLOURS` in the styles), the same for a person everywhere. */
export function avatarColour(id: string, count: number): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % count;
}

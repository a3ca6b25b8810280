/**
 * The window of the flattened history that the thread keeps in the DOM ([start, end) of
 * `FlatThread.messages`), and how it follows the history: new messages append, older pages and
 * earlier conversations prepend, another conversation starts again at its newest. Pure, so the
 * element only applies the result.
 */
import type { Message } from '../../data/types.ts';
import type { ThreadState } from '../../state/thread.ts';
import type { FlatThread } from './sections.ts';

/** Most message nodes in the DOM at once, pending sends included. */
export const MAX_RENDERED = 400;
/** Messages shown when a thread first renders or the view jumps to the newest. */
export const INITIAL_WINDOW = 200;
/** Messages added (or dropped) when the reader nears an edge of the window. */
export const WINDOW_STEP = 100;

export interface ThreadWindow {
  readonly start: number;
  readonly end: number;
  /** The view follows the newest messages. */
  readonly stuck: boolean;
  /** Messages arrived while the reader was scrolled up. */
  readonly unseen: boolean;
}

/** The most confirmed messages the window may hold next to `pending` sends. */
export function windowLimit(pending: number): number {
  return Math.max(WINDOW_STEP, MAX_RENDERED - pending);
}

/** The newest messages of a history of `length`. */
export function newestWindow(length: number): Pick<ThreadWindow, 'start' | 'end'> {
  return { start: Math.max(0, length - INITIAL_WINDOW), end: length };
}

/** Maps `window` from the `previous` history onto `next`; `thread` is the current conversation, `before` its previous value. */
export function followHistory(
  window: ThreadWindow, previous: FlatThread, next: FlatThread, thread: ThreadState, before: ThreadState | undefined,
): ThreadWindow {
  const { messages, index } = next;
  const length = messages.length;
  const old = previous.messages;
  const first = old[window.start];
  const last = old[window.end - 1];
  const limit = windowLimit(thread.pending.length);
  const newest = (list: readonly Message[]): number => list[list.length - 1]?.seq ?? 0;
  const arrived =
    before !== undefined && (newest(thread.messages) > newest(before.messages) || thread.pending.length > before.pending.length);

  // Another conversation (the window's first message is gone): start again at its newest.
  const firstAt = first === undefined ? undefined : index.get(first.id);
  const replaced = first !== undefined && firstAt === undefined;
  const stuck = window.stuck || replaced;
  const atEnd = window.end >= old.length;
  let start: number;
  let end: number;
  if (firstAt === undefined || !last || (stuck && !atEnd)) {
    ({ start, end } = newestWindow(length));
  } else {
    // Stuck, it holds at least the newest messages a fresh view would (older ones may have come in above).
    start = stuck ? Math.min(firstAt, newestWindow(length).start) : firstAt;
    end = atEnd ? length : Math.max(firstAt, index.get(last.id) ?? firstAt) + 1;
  }
  if (end - start > limit) {
    // Stuck to the bottom: drop the oldest, many at once. Every row dropped above moves all the
    // others up, which lays them out and paints them again; dropping one per arriving message
    // would pay that on every message.
    if (stuck) start = end - Math.min(limit, INITIAL_WINDOW);
    else end = start + limit;
  }
  const unseen = replaced ? false : window.unseen || (arrived && !stuck);
  return { start, end, stuck, unseen };
}

/**
 * Pure reducers for one conversation's thread: confirmed messages in seq order, optimistic sends,
 * and the bookkeeping that turns at-most-once realtime into exactly-once, in-order delivery.
 *
 * Rules the realtime controller relies on (ARCHITECTURE.md "Gap-free sequence"):
 * - `messages` is ascending by `seq` with no two entries sharing an `id` or a `seq`, whatever order
 *   realtime inserts and fetched pages arrive in, and however often each is delivered.
 * - `lastSeq` is the highest seq such that every seq from the oldest loaded message up to it is
 *   held. A resync after (re)subscribing asks for `seq > lastSeq`; messages held above a gap never
 *   advance it, so nothing between is skipped.
 * - `gaps` lists exactly the missing seq ranges between the oldest and newest loaded messages; the
 *   controller fetches each range (`seq >= from and seq <= to`) and merges it with `mergePage`.
 * - Every reducer returns the same object when nothing changed, so stores do not notify and
 *   elements do not re-render on duplicate deliveries.
 */
import type { Attachment } from '../data/attachment.ts';
import type { Message, MessageVisibility } from '../data/types.ts';

/** Delivery states of an optimistic send; a closed vocabulary for elements and CSS. */
export const PENDING_STATES = ['sending', 'sent', 'failed'] as const;
export type PendingState = (typeof PENDING_STATES)[number];

/**
 * A message the viewer sent that the thread does not yet hold as a confirmed row. `id` is
 * generated on the client before the first attempt and reused by every retry, so the database
 * returns the stored row instead of inserting twice (it also requires the same content).
 */
export interface PendingMessage {
  readonly id: string;
  readonly conversation_id: string;
  readonly content: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** `internal` for an agent's note (only the team reads it); `public` for everything else. */
  readonly visibility: MessageVisibility;
  /**
   * Files the message carries, their keys derived from `id` (so a retry after a reload uploads to
   * the same key); the bytes wait in IndexedDB until the message is stored. Absent: none.
   */
  readonly attachments?: readonly Attachment[];
  /** The session user at enqueue time; a restored outbox only resends the same user's messages. */
  readonly sender_id: string | null;
  /** Client clock, ISO 8601; only for display until the confirmed row replaces it. */
  readonly created_at: string;
  /** `sent`: the server acknowledged it but its row has not reached the thread yet. */
  readonly state: PendingState;
  /** Human-readable reason of the last failure; null unless `state` is `failed`. */
  readonly error: string | null;
  /** Number of send attempts started, counting the first. */
  readonly attempts: number;
}

/** An inclusive range of missing seqs. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

export interface ThreadState {
  /** Confirmed rows, ascending by seq, no duplicate ids or seqs. */
  readonly messages: readonly Message[];
  /** Optimistic sends not yet held in `messages`, in the order they were made. */
  readonly pending: readonly PendingMessage[];
  /** Older history may exist on the server. True until a page says otherwise. */
  readonly hasMore: boolean;
  /** A page of older history is being fetched (for the "loading earlier messages" indicator). */
  readonly loading: boolean;
  /** Highest seq with every seq from the oldest loaded one up to it held; 0 when empty. */
  readonly lastSeq: number;
  /** Missing ranges between the oldest and newest held messages, ascending. */
  readonly gaps: readonly SeqRange[];
}

const NO_GAPS: readonly SeqRange[] = Object.freeze([]);

/** The state of a thread nothing has been loaded into. Shared and frozen: reducers never mutate. */
export const EMPTY_THREAD: ThreadState = Object.freeze({
  messages: Object.freeze([]) as readonly Message[],
  pending: Object.freeze([]) as readonly PendingMessage[],
  hasMore: true,
  loading: false,
  lastSeq: 0,
  gaps: NO_GAPS,
});

/** Index of the message with `seq`, or `-(insertion point) - 1` when absent (binary search). */
function indexOfSeq(messages: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = (messages[mid] as Message).seq;
    if (at === seq) return mid;
    if (at < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

function hasId(messages: readonly Message[], id: string): boolean {
  for (const m of messages) if (m.id === id) return true;
  return false;
}

function sameRanges(a: readonly SeqRange[], b: readonly SeqRange[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as SeqRange;
    const y = b[i] as SeqRange;
    if (x.from !== y.from || x.to !== y.to) return false;
  }
  return true;
}

/**
 * Missing seq ranges between the oldest and newest message held, ascending. Pure and O(n); the
 * reducers keep `thread.gaps` equal to this, so callers normally read the field instead.
 */
export function detectGaps(thread: Pick<ThreadState, 'messages'>): readonly SeqRange[] {
  let gaps: SeqRange[] | null = null;
  const { messages } = thread;
  for (let i = 1; i < messages.length; i++) {
    const prev = (messages[i - 1] as Message).seq;
    const seq = (messages[i] as Message).seq;
    if (seq > prev + 1) (gaps ??= []).push({ from: prev + 1, to: seq - 1 });
  }
  return gaps ?? NO_GAPS;
}

/**
 * Everything the controller should fetch: the gaps, plus the tail up to `knownLastSeq` (from the
 * conversation row's `last_seq`, which the list channel may deliver while a message insert was
 * lost). Only meaningful once the thread holds at least one message; an empty thread loads its
 * newest page instead.
 */
export function missingRanges(thread: ThreadState, knownLastSeq: number): readonly SeqRange[] {
  const newest = thread.messages[thread.messages.length - 1]?.seq ?? 0;
  if (newest === 0 || knownLastSeq <= newest) return thread.gaps;
  return [...thread.gaps, { from: newest + 1, to: knownLastSeq }];
}

/** Recomputes `lastSeq` and `gaps` for new `messages`, reusing the old gaps array when equal. */
function withMessages(
  thread: ThreadState,
  messages: readonly Message[],
  pending: readonly PendingMessage[],
): ThreadState {
  let gaps: readonly SeqRange[];
  let lastSeq: number;
  const last = messages[messages.length - 1];
  if (
    thread.gaps.length === 0 &&
    last !== undefined &&
    messages.length === thread.messages.length + 1 &&
    last.seq === thread.lastSeq + 1 &&
    thread.messages[thread.messages.length - 1]?.seq === thread.lastSeq
  ) {
    // The common case, the next message appended to a gap-free thread: no scan.
    gaps = NO_GAPS;
    lastSeq = last.seq;
  } else {
    const found = detectGaps({ messages });
    gaps = sameRanges(found, thread.gaps) ? thread.gaps : found;
    const first = gaps[0];
    lastSeq = first !== undefined ? first.from - 1 : (last?.seq ?? 0);
  }
  return { ...thread, messages, pending, lastSeq, gaps };
}

/** `pending` without entries whose id is in `ids`; the same array when none matches. */
function dropPending(
  pending: readonly PendingMessage[],
  matches: (id: string) => boolean,
): readonly PendingMessage[] {
  if (pending.length === 0 || !pending.some((p) => matches(p.id))) return pending;
  return pending.filter((p) => !matches(p.id));
}

/**
 * Merges one confirmed message (a realtime insert, or a send's returned row). Duplicates by id or
 * by seq are ignored; the optimistic entry with the same id is removed, so a send shows once.
 */
export function mergeInsert(thread: ThreadState, message: Message): ThreadState {
  const { messages } = thread;
  const pending = dropPending(thread.pending, (id) => id === message.id);
  const at = indexOfSeq(messages, message.seq);
  if (at >= 0 || hasId(messages, message.id)) {
    // Held already (the database keeps id and seq unique; the first copy wins).
    return pending === thread.pending ? thread : { ...thread, pending };
  }
  const insertAt = -at - 1;
  let next: Message[];
  if (insertAt === messages.length) {
    next = messages.slice();
    next.push(message);
  } else {
    next = messages.slice(0, insertAt);
    next.push(message);
    for (let i = insertAt; i < messages.length; i++) next.push(messages[i] as Message);
  }
  return withMessages(thread, next, pending);
}

/**
 * The row a send returned (or that confirmed it): same as {@link mergeInsert}, named for the
 * outbox flow so call sites say what they mean.
 */
export function reconcile(thread: ThreadState, confirmed: Message): ThreadState {
  return mergeInsert(thread, confirmed);
}

export interface PageOptions {
  /**
   * Whether older history exists beyond this page. Give it for the initial (newest) page and for
   * older pages, which also clears `loading`; leave it out for resync and gap pages.
   */
  readonly hasMore?: boolean;
}

/**
 * Merges a fetched page (newest, older, resync or gap range), in any order, overlapping what is
 * held or not. Linear merge of two sorted lists; duplicates by id or seq are dropped.
 */
export function mergePage(
  thread: ThreadState,
  page: readonly Message[],
  options: PageOptions = {},
): ThreadState {
  let result = thread;
  if (options.hasMore !== undefined && (thread.hasMore !== options.hasMore || thread.loading)) {
    result = { ...thread, hasMore: options.hasMore, loading: false };
  }
  if (page.length === 0) return result;

  const sorted = isAscending(page) ? page : [...page].sort((a, b) => a.seq - b.seq);
  const held = result.messages;
  const merged: Message[] = [];
  let added = 0;
  let i = 0;
  let j = 0;
  let ids: Set<string> | null = null;
  while (i < held.length || j < sorted.length) {
    const a = held[i];
    const b = sorted[j];
    if (b === undefined || (a !== undefined && a.seq <= b.seq)) {
      merged.push(a as Message);
      i++;
      if (b !== undefined && (a as Message).seq === b.seq) j++;
      continue;
    }
    j++;
    const last = merged[merged.length - 1];
    if (last !== undefined && last.seq === b.seq) continue; // duplicate within the page
    ids ??= new Set(held.map((m) => m.id));
    if (ids.has(b.id)) continue;
    ids.add(b.id);
    merged.push(b);
    added++;
  }
  const pageIds = (id: string): boolean => sorted.some((m) => m.id === id);
  const pending = dropPending(result.pending, pageIds);
  if (added === 0) return pending === result.pending ? result : { ...result, pending };
  return withMessages(result, merged, pending);
}

function isAscending(page: readonly Message[]): boolean {
  for (let i = 1; i < page.length; i++) {
    if ((page[i] as Message).seq < (page[i - 1] as Message).seq) return false;
  }
  return true;
}

/** Marks that a page of older history is being fetched (or no longer is). */
export function setLoading(thread: ThreadState, loading: boolean): ThreadState {
  return thread.loading === loading ? thread : { ...thread, loading };
}

/**
 * Adds an optimistic send, shown at once. Ignored when the id is already pending or confirmed
 * (a restored outbox entry whose row a resync already delivered).
 */
export function addPending(thread: ThreadState, pending: PendingMessage): ThreadState {
  if (thread.pending.some((p) => p.id === pending.id) || hasId(thread.messages, pending.id)) {
    return thread;
  }
  return { ...thread, pending: [...thread.pending, pending] };
}

function updatePending(
  thread: ThreadState,
  id: string,
  update: (p: PendingMessage) => PendingMessage,
): ThreadState {
  const index = thread.pending.findIndex((p) => p.id === id);
  if (index < 0) return thread;
  const current = thread.pending[index] as PendingMessage;
  const next = update(current);
  if (next === current) return thread;
  const pending = thread.pending.slice();
  pending[index] = next;
  return { ...thread, pending };
}

/**
 * The server acknowledged a send but its row is not at hand: keep showing the entry as `sent`
 * until the row arrives through realtime or a resync (which removes it).
 */
export function markPendingSent(thread: ThreadState, id: string): ThreadState {
  return updatePending(thread, id, (p) =>
    p.state === 'sent' ? p : { ...p, state: 'sent', error: null },
  );
}

/** A send failed; the entry stays visible with the reason and a retry control. */
export function markPendingFailed(thread: ThreadState, id: string, error: string): ThreadState {
  return updatePending(thread, id, (p) =>
    p.state === 'failed' && p.error === error ? p : { ...p, state: 'failed', error },
  );
}

/** A retry starts: back to `sending`, one more attempt, same id and content. */
export function retryPending(thread: ThreadState, id: string): ThreadState {
  return updatePending(thread, id, (p) =>
    p.state === 'failed' ? { ...p, state: 'sending', error: null, attempts: p.attempts + 1 } : p,
  );
}

/** The viewer gave up on a failed send. */
export function removePending(thread: ThreadState, id: string): ThreadState {
  const pending = dropPending(thread.pending, (x) => x === id);
  return pending === thread.pending ? thread : { ...thread, pending };
}

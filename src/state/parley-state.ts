/**
 * The widget's stores, one set per widget instance (STYLE.md §8): a root element calls
 * {@link createParleyState} and provides the result to its descendants. Stores are exposed
 * read-only; every write goes through an action on the returned object, so the rules (dedupe,
 * staleness, outbox persistence) live here and elements only render.
 */
import { atom, batch, computed, type ReadableAtom, type WritableAtom } from 'nanostores';
import {
  MAX_MESSAGE_LENGTH,
  type Conversation,
  type ConversationSummary,
  type Message,
  type ReadMarker,
} from '../data/types.ts';
import {
  DEFAULT_LIST_FILTER,
  listConversations,
  unreadCount,
  upsertConversation,
  upsertConversations,
  type ConversationMap,
  type ListFilter,
} from './conversations.ts';
import { DEFAULT_OUTBOX_KEY, mergeStoredOutbox, readOutbox, writeOutbox, type StorageLike } from './outbox.ts';
import {
  NOTHING_SEEN,
  NO_MARKS,
  recordReadMarker,
  sameSeen,
  seenPositions,
  type ReaderMarks,
  type SeenPositions,
} from './reads.ts';
import {
  EMPTY_THREAD,
  addPending,
  markPendingFailed,
  markPendingSent,
  mergeInsert,
  mergePage,
  removePending,
  retryPending,
  setLoading,
  type PendingMessage,
  type ThreadState,
} from './thread.ts';
import { randomId } from '../ids.ts';
import { NO_TYPING, TYPING_TTL_MS, nextTypingExpiry, pruneTyping, setTyping, type TypingMap } from './typing.ts';

/** What `<parley-status>` reflects; the realtime controller maps channel and socket states here. */
export const CONNECTION_STATUSES = ['connecting', 'connected', 'reconnecting', 'offline', 'error'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const SESSION_ROLES = ['visitor', 'agent', 'admin'] as const;
export type SessionRole = (typeof SESSION_ROLES)[number];

/** The signed-in user; both null before sign-in. */
export interface SessionState {
  readonly userId: string | null;
  readonly role: SessionRole | null;
}

/** Unread messages per conversation (only conversations with some) and in total, for badges. */
export interface UnreadState {
  readonly byConversation: Readonly<Record<string, number>>;
  readonly total: number;
}

/** The viewer's read position (`last_read_seq`) by conversation id. */
export type ReadPositions = Readonly<Record<string, number>>;

export interface ParleyStateOptions {
  /** Where the outbox survives reloads (`localStorage`); without it the outbox is memory-only. */
  readonly storage?: StorageLike;
  /** Storage key; give each widget instance sharing one storage its own key. */
  readonly storageKey?: string;
  /** Clock in epoch milliseconds, injectable so tests control typing expiry. */
  readonly now?: () => number;
  /** Timer used to prune typing entries when they expire; `setTimeout` by default. */
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
  /** Client message ids; a UUID v4 by default (the database column is uuid). */
  readonly generateId?: () => string;
  /** How long a typing entry lives without a refresh. */
  readonly typingTtlMs?: number;
}

export interface EnqueueSend {
  readonly conversationId: string;
  readonly content: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Reuse an id (tests, or a host that generates its own); generated otherwise. */
  readonly id?: string;
}

export interface ParleyState {
  readonly $session: ReadableAtom<SessionState>;
  readonly $connection: ReadableAtom<ConnectionStatus>;
  readonly $conversations: ReadableAtom<ConversationMap>;
  readonly $listFilter: ReadableAtom<ListFilter>;
  /** `$conversations` filtered by `$listFilter` (and the agent for `mine`), in inbox order. */
  readonly $conversationList: ReadableAtom<readonly ConversationSummary[]>;
  readonly $readMarkers: ReadableAtom<ReadPositions>;
  /**
   * Highest seq the other side has read, by conversation id (no key: nothing read): for a visitor,
   * the highest marker of anyone else; for an agent or admin, the marker of the conversation's
   * customer. Feeds the thread's "Seen" receipt; only moves forward.
   */
  readonly $seen: ReadableAtom<SeenPositions>;
  /** Sends not yet acknowledged, across conversations, oldest first; persisted. */
  readonly $outbox: ReadableAtom<readonly PendingMessage[]>;
  readonly $typing: ReadableAtom<TypingMap>;
  readonly $unread: ReadableAtom<UnreadState>;

  /** The thread store of a conversation, created on first use and cached by id. */
  thread(conversationId: string): ReadableAtom<ThreadState>;
  /** Forgets a thread (the controller calls it when the last view of it goes away). */
  releaseThread(conversationId: string): void;
  /** Conversation ids with a thread store, for resync after reconnecting. */
  threadIds(): readonly string[];

  /** A different user clears everything that belonged to the previous one (not the outbox). */
  setSession(session: SessionState): void;
  setConnection(status: ConnectionStatus): void;
  setListFilter(filter: Partial<ListFilter>): void;

  applyConversation(row: Conversation | ConversationSummary): void;
  applyConversations(rows: readonly (Conversation | ConversationSummary)[]): void;
  /**
   * A read marker row (REST or realtime): the viewer's own moves `$readMarkers`, anyone else's feeds
   * `$seen` (kept even before its conversation row arrives). Never moves back.
   */
  applyReadMarker(marker: ReadMarker): void;
  /** Several markers (a fetched list) in one update. */
  applyReadMarkers(markers: readonly ReadMarker[]): void;
  /** Moves the viewer's read position forward locally; true when it moved (then call `mark_read`). */
  markRead(conversationId: string, seq: number): boolean;

  /** A confirmed message (realtime insert, send result). False when the thread is not open. */
  applyMessage(message: Message): boolean;
  /** A fetched page; `hasMore` only for newest/older pages. False when the thread is not open. */
  applyPage(conversationId: string, page: readonly Message[], hasMore?: boolean): boolean;
  setThreadLoading(conversationId: string, loading: boolean): void;

  /** Starts a send: shown at once as `sending`, persisted. Throws RangeError on empty or too long. */
  enqueueSend(send: EnqueueSend): PendingMessage;
  /** The server stored it: pass the returned row (preferred) or just the id. */
  markSent(confirmed: Message | string): void;
  markFailed(id: string, error: string): void;
  /** Failed → sending with one more attempt; returns what to send, or null if not failed. */
  retry(id: string): PendingMessage | null;
  /** Drops a failed send the viewer gave up on. */
  discard(id: string): void;
  /**
   * Unsent messages restored from storage that the controller must send again, for the current
   * session user. Each is returned once per state instance; later calls return only entries not
   * returned before, and entries confirmed meanwhile (by a resync page) are never returned.
   */
  takeRestored(): readonly PendingMessage[];

  /** A typing broadcast; the viewer's own and expired entries never show. */
  applyTyping(conversationId: string, userId: string, typing: boolean, name?: string | null): void;
  /** Drops expired typing entries now (also done by a timer at the earliest expiry). */
  pruneTyping(): void;

  /**
   * Stops the typing timer and writing the outbox to storage (a disposed instance must not
   * overwrite what a newer instance on the same storage key keeps there). The stores stay readable.
   */
  dispose(): void;
}


const EMPTY_UNREAD: UnreadState = Object.freeze({ byConversation: Object.freeze({}), total: 0 });

/**
 * Creates one widget instance's stores and actions. Reads the persisted outbox immediately, so
 * restored sends show in their threads as soon as those open.
 */
export function createParleyState(options: ParleyStateOptions = {}): ParleyState {
  const storage = options.storage;
  const storageKey = options.storageKey ?? DEFAULT_OUTBOX_KEY;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((cb: () => void, ms: number): unknown => setTimeout(cb, ms));
  const clearTimer =
    options.clearTimer ?? ((h: unknown): void => clearTimeout(h as ReturnType<typeof setTimeout>));
  const generateId = options.generateId ?? randomId;
  const typingTtlMs = options.typingTtlMs ?? TYPING_TTL_MS;

  const $session = atom<SessionState>({ userId: null, role: null });
  const $connection = atom<ConnectionStatus>('connecting');
  const $conversations = atom<ConversationMap>({});
  const $listFilter = atom<ListFilter>(DEFAULT_LIST_FILTER);
  const $readMarkers = atom<ReadPositions>({});
  const $readerMarks = atom<ReaderMarks>(NO_MARKS);
  const restored = storage ? readOutbox(storage, storageKey) : [];
  const $outbox = atom<readonly PendingMessage[]>(restored);
  /** Every outbox id this instance has held: the storage key may also hold other instances' entries. */
  const knownOutboxIds = new Set(restored.map((e) => e.id));
  const $typing = atom<TypingMap>(NO_TYPING);
  const threads = new Map<string, WritableAtom<ThreadState>>();
  const toResend = new Set(restored.filter((e) => e.state === 'sending').map((e) => e.id));
  let typingTimer: unknown = null;
  let persist = storage !== undefined;

  const $conversationList = computed([$conversations, $listFilter, $session], (map, filter, session) =>
    listConversations(map, filter, session.userId),
  );

  let lastSeen: SeenPositions = NOTHING_SEEN;
  const $seen = computed([$readerMarks, $conversations, $session], (marks, map, session) => {
    const next = seenPositions(marks, map, session);
    // $conversations changes with every message; keep the value so "Seen" readers do not re-render.
    if (!sameSeen(next, lastSeen)) lastSeen = next;
    return lastSeen;
  });

  const $unread = computed([$conversations, $readMarkers], (map, reads): UnreadState => {
    const byConversation: Record<string, number> = {};
    let total = 0;
    for (const id in map) {
      const count = unreadCount(map[id] as ConversationSummary, reads[id]);
      if (count > 0) {
        byConversation[id] = count;
        total += count;
      }
    }
    return total === 0 ? EMPTY_UNREAD : { byConversation, total };
  });

  function setOutbox(next: readonly PendingMessage[]): void {
    if (next === $outbox.get()) return;
    $outbox.set(next);
    for (const entry of next) knownOutboxIds.add(entry.id);
    if (storage && persist) {
      writeOutbox(storage, storageKey, mergeStoredOutbox(next, readOutbox(storage, storageKey), knownOutboxIds));
    }
  }

  function updateOutboxEntry(id: string, update: (e: PendingMessage) => PendingMessage | null): void {
    const outbox = $outbox.get();
    const index = outbox.findIndex((e) => e.id === id);
    if (index < 0) return;
    const current = outbox[index] as PendingMessage;
    const next = update(current);
    if (next === current) return;
    setOutbox(next === null ? outbox.filter((_, i) => i !== index) : outbox.map((e, i) => (i === index ? next : e)));
  }

  function updateThread(conversationId: string, reduce: (t: ThreadState) => ThreadState): boolean {
    const $thread = threads.get(conversationId);
    if (!$thread) return false;
    $thread.set(reduce($thread.get()));
    return true;
  }

  function advanceRead(conversationId: string, seq: number): boolean {
    const reads = $readMarkers.get();
    if ((reads[conversationId] ?? 0) >= seq) return false;
    $readMarkers.set({ ...reads, [conversationId]: seq });
    return true;
  }

  function scheduleTypingPrune(): void {
    if (typingTimer !== null) clearTimer(typingTimer);
    typingTimer = null;
    const expiry = nextTypingExpiry($typing.get());
    if (expiry === null) return;
    typingTimer = setTimer(() => {
      typingTimer = null;
      state.pruneTyping();
    }, Math.max(0, expiry - now()));
  }

  function setTypingMap(next: TypingMap): void {
    if (next === $typing.get()) return;
    $typing.set(next);
    scheduleTypingPrune();
  }

  const state: ParleyState = {
    $session,
    $connection,
    $conversations,
    $listFilter,
    $conversationList,
    $readMarkers,
    $seen,
    $outbox,
    $typing,
    $unread,

    thread(conversationId) {
      let $thread = threads.get(conversationId);
      if (!$thread) {
        let initial = EMPTY_THREAD;
        for (const entry of $outbox.get()) {
          if (entry.conversation_id === conversationId) initial = addPending(initial, entry);
        }
        $thread = atom<ThreadState>(initial);
        threads.set(conversationId, $thread);
      }
      return $thread;
    },

    releaseThread(conversationId) {
      threads.delete(conversationId);
    },

    threadIds() {
      return [...threads.keys()];
    },

    setSession(session) {
      const previous = $session.get();
      if (previous.userId === session.userId && previous.role === session.role) return;
      batch(() => {
        if (previous.userId !== null && previous.userId !== session.userId) {
          threads.clear();
          $conversations.set({});
          $readMarkers.set({});
          $readerMarks.set(NO_MARKS);
          $typing.set(NO_TYPING);
          scheduleTypingPrune();
        }
        $session.set({ userId: session.userId, role: session.role });
      });
    },

    setConnection(status) {
      $connection.set(status);
    },

    setListFilter(filter) {
      $listFilter.set({ ...$listFilter.get(), ...filter });
    },

    applyConversation(row) {
      $conversations.set(upsertConversation($conversations.get(), row));
    },

    applyConversations(rows) {
      $conversations.set(upsertConversations($conversations.get(), rows));
    },

    applyReadMarker(marker) {
      const { userId } = $session.get();
      if (userId !== null && marker.user_id === userId) advanceRead(marker.conversation_id, marker.last_read_seq);
      else $readerMarks.set(recordReadMarker($readerMarks.get(), marker));
    },

    applyReadMarkers(markers) {
      batch(() => {
        for (const marker of markers) state.applyReadMarker(marker);
      });
    },

    markRead(conversationId, seq) {
      return advanceRead(conversationId, seq);
    },

    applyMessage(message) {
      let applied = false;
      batch(() => {
        applied = updateThread(message.conversation_id, (t) => mergeInsert(t, message));
        updateOutboxEntry(message.id, () => null);
        toResend.delete(message.id);
        if (message.sender_id !== null) {
          setTypingMap(
            setTyping($typing.get(), message.conversation_id, message.sender_id, { typing: false, now: now() }),
          );
          if (message.sender_id === $session.get().userId) advanceRead(message.conversation_id, message.seq);
        }
      });
      return applied;
    },

    applyPage(conversationId, page, hasMore) {
      let applied = false;
      batch(() => {
        applied = updateThread(conversationId, (t) =>
          mergePage(t, page, hasMore === undefined ? {} : { hasMore }),
        );
        const { userId } = $session.get();
        const ids = new Set<string>();
        let ownSeq = 0;
        for (const m of page) {
          if (m.conversation_id !== conversationId) continue;
          ids.add(m.id);
          if (userId !== null && m.sender_id === userId && m.seq > ownSeq) ownSeq = m.seq;
        }
        const outbox = $outbox.get();
        if (outbox.some((e) => ids.has(e.id))) setOutbox(outbox.filter((e) => !ids.has(e.id)));
        for (const id of ids) toResend.delete(id);
        if (ownSeq > 0) advanceRead(conversationId, ownSeq);
      });
      return applied;
    },

    setThreadLoading(conversationId, loading) {
      updateThread(conversationId, (t) => setLoading(t, loading));
    },

    enqueueSend(send) {
      if (send.content.trim() === '') throw new RangeError('A message needs some text');
      // The database counts characters (code points), not UTF-16 units.
      if ([...send.content].length > MAX_MESSAGE_LENGTH) {
        throw new RangeError(`A message has at most ${MAX_MESSAGE_LENGTH} characters`);
      }
      const entry: PendingMessage = {
        id: send.id ?? generateId(),
        conversation_id: send.conversationId,
        content: send.content,
        metadata: send.metadata ?? {},
        sender_id: $session.get().userId,
        created_at: new Date(now()).toISOString(),
        state: 'sending',
        error: null,
        attempts: 1,
      };
      const outbox = $outbox.get();
      if (outbox.some((e) => e.id === entry.id)) throw new RangeError(`Message ${entry.id} is already queued`);
      batch(() => {
        setOutbox([...outbox, entry]);
        updateThread(entry.conversation_id, (t) => addPending(t, entry));
      });
      return entry;
    },

    markSent(confirmed) {
      if (typeof confirmed !== 'string') {
        state.applyMessage(confirmed);
        return;
      }
      const entry = $outbox.get().find((e) => e.id === confirmed);
      batch(() => {
        updateOutboxEntry(confirmed, () => null);
        toResend.delete(confirmed);
        if (entry) updateThread(entry.conversation_id, (t) => markPendingSent(t, confirmed));
      });
    },

    markFailed(id, error) {
      const entry = $outbox.get().find((e) => e.id === id);
      if (!entry) return;
      batch(() => {
        updateOutboxEntry(id, (e) => (e.state === 'failed' && e.error === error ? e : { ...e, state: 'failed', error }));
        toResend.delete(id);
        updateThread(entry.conversation_id, (t) => markPendingFailed(t, id, error));
      });
    },

    retry(id) {
      const entry = $outbox.get().find((e) => e.id === id);
      if (!entry || entry.state !== 'failed') return null;
      const next: PendingMessage = { ...entry, state: 'sending', error: null, attempts: entry.attempts + 1 };
      batch(() => {
        updateOutboxEntry(id, () => next);
        updateThread(entry.conversation_id, (t) => retryPending(t, id));
      });
      return next;
    },

    discard(id) {
      const entry = $outbox.get().find((e) => e.id === id);
      if (!entry || entry.state !== 'failed') return;
      batch(() => {
        updateOutboxEntry(id, () => null);
        updateThread(entry.conversation_id, (t) => removePending(t, id));
      });
    },

    takeRestored() {
      const { userId } = $session.get();
      const taken: PendingMessage[] = [];
      for (const entry of $outbox.get()) {
        if (!toResend.has(entry.id) || entry.sender_id !== userId) continue;
        toResend.delete(entry.id);
        taken.push(entry);
      }
      return taken;
    },

    applyTyping(conversationId, userId, typing, name) {
      if (userId === $session.get().userId) return;
      const current = pruneTyping($typing.get(), now());
      setTypingMap(
        setTyping(current, conversationId, userId, {
          typing,
          now: now(),
          ttlMs: typingTtlMs,
          ...(name === undefined ? {} : { name }),
        }),
      );
    },

    pruneTyping() {
      const next = pruneTyping($typing.get(), now());
      if (next !== $typing.get()) $typing.set(next);
      // Always re-arm: a timer that fired early (coarse clocks) must not strand live entries.
      scheduleTypingPrune();
    },

    dispose() {
      if (typingTimer !== null) clearTimer(typingTimer);
      typingTimer = null;
      persist = false;
    },
  };
  return state;
}

/**
 * The widget's stores, one set per widget instance (STYLE.md §8): a root element calls
 * {@link createParleyState} and provides the result to its descendants. Stores are exposed
 * read-only; every write goes through an action on the returned object, so the rules (dedupe,
 * staleness, outbox persistence) live in the state layer and elements only render.
 *
 * This module composes the parts and owns what spans them (sessions, conversations, the thread
 * cache, merging confirmed messages): the outbox in `outbox-store.ts`, the send lifecycle in
 * `sends.ts`, read positions with unread and "Seen" in `reads-store.ts`, typing in `typing-store.ts`.
 */
import { atom, batch, computed, type ReadableAtom, type WritableAtom } from 'nanostores';
import type { Conversation, ConversationSummary, Message, ReadMarker } from '../data/types.ts';
import { randomId } from '../ids.ts';
import {
  DEFAULT_LIST_FILTER,
  listConversations,
  upsertConversation,
  upsertConversations,
  type ConversationMap,
  type ListFilter,
} from './conversations.ts';
import { DEFAULT_OUTBOX_KEY, type StorageLike } from './outbox.ts';
import { createOutboxStore } from './outbox-store.ts';
import type { ReadPositions, SeenPositions, UnreadState } from './reads.ts';
import { createReadsStore } from './reads-store.ts';
import { createSendActions, type EnqueueSend } from './sends.ts';
import {
  EMPTY_THREAD,
  addPending,
  mergeInsert,
  mergePage,
  setLoading,
  type PendingMessage,
  type ThreadState,
} from './thread.ts';
import { TYPING_TTL_MS, type TypingMap } from './typing.ts';
import { createTypingStore } from './typing-store.ts';
import type { ConnectionStatus, SessionState } from './vocabularies.ts';

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
  /** `enqueueSend` in two steps: the checked entry, not yet held anywhere (throws like it)… */
  prepareSend(send: EnqueueSend): PendingMessage;
  /** …then shown and persisted; false when an entry with its id is queued already. */
  addSend(entry: PendingMessage): boolean;
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
  /**
   * Adds unsent messages kept outside this state's storage (the agent's encrypted outbox), shown in
   * their threads and resent by `takeRestored` like restored ones: call it before realtime starts.
   */
  restoreOutbox(entries: readonly PendingMessage[]): void;

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


/**
 * Creates one widget instance's stores and actions. Reads the persisted outbox immediately, so
 * restored sends show in their threads as soon as those open.
 */
export function createParleyState(options: ParleyStateOptions = {}): ParleyState {
  const now = options.now ?? Date.now;
  const generateId = options.generateId ?? randomId;

  const $session = atom<SessionState>({ userId: null, role: null });
  const $connection = atom<ConnectionStatus>('connecting');
  const $conversations = atom<ConversationMap>({});
  const $listFilter = atom<ListFilter>(DEFAULT_LIST_FILTER);
  const reads = createReadsStore($conversations, $session);
  const outbox = createOutboxStore(options.storage, options.storageKey ?? DEFAULT_OUTBOX_KEY);
  const typing = createTypingStore({
    now,
    setTimer: options.setTimer ?? ((cb: () => void, ms: number): unknown => setTimeout(cb, ms)),
    clearTimer: options.clearTimer ?? ((h: unknown): void => clearTimeout(h as ReturnType<typeof setTimeout>)),
    ttlMs: options.typingTtlMs ?? TYPING_TTL_MS,
  });
  const threads = new Map<string, WritableAtom<ThreadState>>();

  function updateThread(conversationId: string, reduce: (t: ThreadState) => ThreadState): boolean {
    const $thread = threads.get(conversationId);
    if (!$thread) return false;
    $thread.set(reduce($thread.get()));
    return true;
  }

  const sends = createSendActions({
    outbox,
    updateThread,
    userId: () => $session.get().userId,
    now,
    generateId,
  });

  const $conversationList = computed([$conversations, $listFilter, $session], (map, filter, session) =>
    listConversations(map, filter, session.userId),
  );

  const state: ParleyState = {
    $session,
    $connection,
    $conversations,
    $listFilter,
    $conversationList,
    $readMarkers: reads.$readMarkers,
    $seen: reads.$seen,
    $outbox: outbox.$outbox,
    $typing: typing.$typing,
    $unread: reads.$unread,

    thread(conversationId) {
      let $thread = threads.get(conversationId);
      if (!$thread) {
        let initial = EMPTY_THREAD;
        for (const entry of outbox.$outbox.get()) {
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
      if (previous.userId === session.userId && previous.role === session.role && previous.anonymous === session.anonymous) return;
      batch(() => {
        if (previous.userId !== null && previous.userId !== session.userId) {
          threads.clear();
          $conversations.set({});
          reads.clear();
          typing.clear();
        }
        $session.set(session);
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
      reads.apply(marker);
    },

    applyReadMarkers(markers) {
      batch(() => {
        for (const marker of markers) reads.apply(marker);
      });
    },

    markRead(conversationId, seq) {
      return reads.advance(conversationId, seq);
    },

    applyMessage(message) {
      let applied = false;
      batch(() => {
        applied = updateThread(message.conversation_id, (t) => mergeInsert(t, message));
        outbox.remove(message.id);
        if (message.sender_id !== null) {
          typing.stop(message.conversation_id, message.sender_id);
          if (message.sender_id === $session.get().userId) reads.advance(message.conversation_id, message.seq);
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
        outbox.remove(ids);
        if (ownSeq > 0) reads.advance(conversationId, ownSeq);
      });
      return applied;
    },

    setThreadLoading(conversationId, loading) {
      updateThread(conversationId, (t) => setLoading(t, loading));
    },

    enqueueSend: sends.enqueueSend,
    prepareSend: sends.prepareSend,
    addSend: sends.addSend,

    markSent(confirmed) {
      if (typeof confirmed === 'string') sends.markSentId(confirmed);
      else state.applyMessage(confirmed);
    },

    markFailed: sends.markFailed,
    retry: sends.retry,
    discard: sends.discard,

    takeRestored() {
      return outbox.takeRestored($session.get().userId);
    },

    restoreOutbox(entries) {
      batch(() => {
        for (const entry of outbox.restore(entries)) updateThread(entry.conversation_id, (t) => addPending(t, entry));
      });
    },

    applyTyping(conversationId, userId, isTyping, name) {
      if (userId === $session.get().userId) return;
      typing.apply(conversationId, userId, isTyping, name);
    },

    pruneTyping() {
      typing.prune();
    },

    dispose() {
      typing.dispose();
      outbox.stopPersisting();
    },
  };
  return state;
}

/**
 * The realtime controller of one widget session (ARCHITECTURE.md "The client"): it joins the
 * conversation list channel and one private channel per open conversation (reference-counted),
 * turns at-most-once realtime into exactly-once threads by resyncing on every SUBSCRIBED and
 * fetching exactly the missing seq ranges, drives the outbox, and maps channel and socket states
 * to `$connection`. Plain object, no Lit: elements reach it through the session context and the
 * thin adapter in `conversation-controller.ts`.
 *
 * Lifecycle: `start()` once the client is signed in (it awaits the session and `realtime.setAuth()`
 * before the first subscribe, SUPABASE-WIRE.md §1.5), `stop()` when the root element goes away.
 * The supabase-js client, its socket and the state object belong to the caller.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { randomId } from '../ids.ts';
import { currentIdentity, thirdPartyToken } from '../data/identity.ts';
import { isParleyError, type DataApi, type Conversation, type Message, type ReadMarker } from '../data/index.ts';
import { missingRanges, type ParleyState, type PendingMessage, type SessionRole } from '../state/index.ts';

export interface RealtimeControllerOptions {
  readonly client: SupabaseClient;
  readonly api: DataApi;
  readonly state: ParleyState;
  /** Where `online`, `offline` and `visibilitychange` are listened to; `globalThis.window` by default. */
  readonly window?: Window;
  /** Name sent with this viewer's typing broadcasts (agents show theirs); a function when it is known only after sign-in. */
  readonly typingName?: string | null | (() => string | null);
  /** Timers, injectable for tests; `setTimeout`/`clearTimeout` by default. */
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

export interface RealtimeController {
  /** Awaits the session, joins the list channel and resends the restored outbox. Idempotent. */
  start(): Promise<void>;
  /** Removes every channel, timer and listener; the controller cannot be started again. */
  stop(): Promise<void>;
  /**
   * Opens a conversation (its channel and thread store), reference-counted. Returns the release;
   * calling it more than once is harmless. The channel and thread go away at zero references.
   * Opening and every resync also fetch its read markers (`$seen`).
   */
  open(conversationId: string): () => void;
  /** Loads the page before the oldest held message; resolves when merged (no-op when none is older). */
  loadOlder(conversationId: string): Promise<void>;
  /** Shows the message at once (`sending`) and delivers it; throws RangeError on empty/too long. */
  send(conversationId: string, content: string, metadata?: Readonly<Record<string, unknown>>): PendingMessage;
  /** The UI's retry for a `failed` send; false when the id is not a failed send. */
  retry(id: string): boolean;
  /** Moves the read position forward locally and on the server (only when it moved). */
  markRead(conversationId: string, seq: number): Promise<void>;
  /** Tells the others this viewer is typing; throttled to one broadcast per 2 s per conversation. */
  typing(conversationId: string): void;
  /** Tells the others this viewer stopped (message sent, field cleared). */
  stopTyping(conversationId: string): void;
  /** Resyncs the list and every open thread now (also done on online/visible and every SUBSCRIBED). */
  resync(): void;
}

/** Minimum interval between two typing broadcasts of one conversation. */
export const TYPING_THROTTLE_MS = 2000;
/** Backoff of the outbox and of socket reconnect checks (ms), the last value repeating. */
const BACKOFF_MS = [1000, 2000, 5000, 10000] as const;
/** A channel the server closed is re-created; after this many failures in a row the status is `error`. */
const MAX_RECREATE_FAILURES = 3;
/** Grace before fetching a tail announced by the conversation row: the insert itself usually follows. */
const ROW_AHEAD_GRACE_MS = 400;
/** Grace before filling a gap an insert opened: out-of-order deliveries usually fill it. */
const GAP_GRACE_MS = 150;
/** Delay before retrying a failed resync while online. */
const SYNC_RETRY_MS = 3000;

const backoff = (attempt: number): number => BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length) - 1] ?? 1000;

type ChannelHealth = 'joining' | 'subscribed' | 'down';

interface ChannelEntry {
  readonly topic: string;
  readonly build: (entry: ChannelEntry) => RealtimeChannel;
  readonly onSubscribed: () => void;
  channel: RealtimeChannel | null;
  health: ChannelHealth;
  /** Set when we remove the channel, so its CLOSED is not taken for the server's. */
  released: boolean;
  /** Server closes (and errors of the re-created channel) since the last SUBSCRIBED. */
  closedCount: number;
  errorsSinceSubscribed: number;
  recreateTimer: unknown;
}

type SyncMode = 'gaps' | 'resync';

interface ThreadEntry {
  readonly id: string;
  refs: number;
  readonly abort: AbortController;
  readonly channel: ChannelEntry;
  /** The newest page has been merged (a resync can then ask for `afterSeq: lastSeq`). */
  loaded: boolean;
  running: Promise<void> | null;
  queued: SyncMode | null;
  syncTimer: unknown;
  lastTypingAt: number;
}

interface TypingPayload {
  readonly user_id?: unknown;
  readonly name?: unknown;
  readonly typing?: unknown;
}

export function createRealtimeController(options: RealtimeControllerOptions): RealtimeController {
  const { client, api, state } = options;
  const win: Window | undefined = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const setTimer = options.setTimer ?? ((cb: () => void, ms: number): unknown => setTimeout(cb, ms));
  const clearTimer = options.clearTimer ?? ((h: unknown): void => clearTimeout(h as ReturnType<typeof setTimeout>));
  const listTopic = `parley-list:${randomId()}`;
  const typingName = (): string | null =>
    typeof options.typingName === 'function' ? options.typingName() : (options.typingName ?? null);

  let started: Promise<void> | null = null;
  let stopped = false;
  let everSubscribed = false;
  let authGone = false;
  let listEntry: ChannelEntry | null = null;
  const threads = new Map<string, ThreadEntry>();
  let authSubscription: { unsubscribe(): void } | null = null;
  let reconnectTimer: unknown = null;
  let reconnectAttempts = 0;
  let listSyncing: Promise<void> | null = null;
  let listAgain = false;

  // Outbox: ids to deliver, in order; one request at a time so seqs follow the typing order.
  const sendQueue: string[] = [];
  let pumping = false;
  let sendFailures = 0;
  let sendTimer: unknown = null;

  const isOnline = (): boolean => win?.navigator.onLine ?? true;

  // ---- connection status -------------------------------------------------------------------

  function channelEntries(): ChannelEntry[] {
    const all: ChannelEntry[] = [];
    if (listEntry) all.push(listEntry);
    for (const t of threads.values()) all.push(t.channel);
    return all;
  }

  function failed(entry: ChannelEntry): boolean {
    return entry.closedCount >= MAX_RECREATE_FAILURES
      || (entry.closedCount > 0 && entry.errorsSinceSubscribed >= MAX_RECREATE_FAILURES);
  }

  function updateConnection(): void {
    if (stopped) return;
    const entries = channelEntries();
    let status: 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'error';
    if (authGone || entries.some(failed)) status = 'error';
    else if (!isOnline()) status = 'offline';
    else if (!everSubscribed) status = 'connecting';
    else if (entries.some((e) => e.health === 'down')) status = 'reconnecting';
    else status = 'connected';
    if (state.$connection.get() !== status) state.setConnection(status);
    if (status === 'reconnecting') scheduleReconnectCheck();
    else if (status === 'connected') {
      reconnectAttempts = 0;
      if (reconnectTimer !== null) clearTimer(reconnectTimer);
      reconnectTimer = null;
    }
  }

  /**
   * realtime-js reconnects by itself after an unclean close, but not after a clean one (ours, or
   * `disconnect()` from elsewhere): while a channel is down and the socket is neither open nor
   * opening, connect again on a backoff.
   */
  function scheduleReconnectCheck(): void {
    if (reconnectTimer !== null || stopped) return;
    reconnectAttempts += 1;
    reconnectTimer = setTimer(() => {
      reconnectTimer = null;
      if (stopped) return;
      if (isOnline()) ensureSocket();
      if (channelEntries().some((e) => e.health === 'down')) scheduleReconnectCheck();
    }, backoff(reconnectAttempts) + 1000);
  }

  function ensureSocket(): void {
    const rt = client.realtime;
    if (!rt.isConnected() && !rt.isConnecting()) rt.connect();
  }

  // ---- channels ----------------------------------------------------------------------------

  function subscribeEntry(entry: ChannelEntry): void {
    const channel = entry.build(entry);
    entry.channel = channel;
    entry.health = 'joining';
    channel.subscribe((status) => {
      if (entry.channel !== channel || entry.released || stopped) return;
      switch (status) {
        case 'SUBSCRIBED':
          entry.health = 'subscribed';
          entry.closedCount = 0;
          entry.errorsSinceSubscribed = 0;
          everSubscribed = true;
          updateConnection();
          entry.onSubscribed();
          kickOutbox();
          break;
        case 'CHANNEL_ERROR':
        case 'TIMED_OUT':
          entry.health = 'down';
          if (entry.closedCount > 0) entry.errorsSinceSubscribed += 1;
          updateConnection();
          break;
        case 'CLOSED':
          // Not ours: the server stopped the channel (expired token, lost permission). realtime-js
          // never rejoins such a channel, so build a new one.
          entry.health = 'down';
          entry.closedCount += 1;
          updateConnection();
          scheduleRecreate(entry);
          break;
      }
    });
  }

  function scheduleRecreate(entry: ChannelEntry): void {
    if (entry.recreateTimer !== null) return;
    entry.recreateTimer = setTimer(() => {
      entry.recreateTimer = null;
      void recreate(entry);
    }, backoff(entry.closedCount));
  }

  async function recreate(entry: ChannelEntry): Promise<void> {
    if (stopped || entry.released) return;
    const old = entry.channel;
    entry.channel = null;
    if (old && client.getChannels().includes(old)) await client.removeChannel(old);
    // A server close is most often an expired token: make sure realtime holds a fresh one.
    if (!(await refreshAuth())) return;
    if (stopped || entry.released) return;
    subscribeEntry(entry);
  }

  /** Refreshes the session if needed and hands its token to realtime; false when signed out. */
  async function refreshAuth(): Promise<boolean> {
    try {
      if (!(await currentIdentity(client))) {
        authGone = true;
        updateConnection();
        return false;
      }
      await client.realtime.setAuth();
      return true;
    } catch {
      return true; // transient (offline); the channel's own errors will show
    }
  }

  function newEntry(topic: string, build: ChannelEntry['build'], onSubscribed: () => void): ChannelEntry {
    return {
      topic, build, onSubscribed, channel: null, health: 'joining', released: false,
      closedCount: 0, errorsSinceSubscribed: 0, recreateTimer: null,
    };
  }

  async function releaseEntry(entry: ChannelEntry): Promise<void> {
    entry.released = true;
    if (entry.recreateTimer !== null) clearTimer(entry.recreateTimer);
    entry.recreateTimer = null;
    const channel = entry.channel;
    entry.channel = null;
    if (channel) await client.removeChannel(channel);
  }

  /** `system` ok from postgres_changes: the database subscription exists (hosted Supabase's real resync point). */
  function onSystem(resync: () => void) {
    return (payload: { extension?: unknown; status?: unknown } | null): void => {
      if (payload?.extension === 'postgres_changes' && payload.status === 'ok') resync();
    };
  }

  // ---- the conversation list ---------------------------------------------------------------

  function buildList(entry: ChannelEntry): RealtimeChannel {
    return client
      .channel(entry.topic)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'conversations' }, (payload) => {
        if (payload.eventType === 'DELETE') return;
        onConversationRow(payload.new as Conversation);
      })
      .on('postgres_changes', { event: '*', schema: 'public', table: 'conversation_reads' }, (payload) => {
        if (payload.eventType === 'DELETE') return;
        state.applyReadMarker(payload.new as ReadMarker);
      })
      .on('system', {}, onSystem(() => void syncList()));
  }

  function onConversationRow(row: Conversation): void {
    state.applyConversation(row);
    const thread = threads.get(row.id);
    if (thread?.loaded) {
      const held = state.thread(row.id).get();
      const newest = held.messages.at(-1)?.seq ?? 0;
      if (row.last_seq > newest) scheduleSync(thread, 'gaps', ROW_AHEAD_GRACE_MS);
    }
  }

  /** First page of the list (newest activity); stale-proof upserts make repeats harmless. */
  function syncList(): Promise<void> {
    if (listSyncing) {
      listAgain = true;
      return listSyncing;
    }
    listSyncing = (async () => {
      try {
        do {
          listAgain = false;
          const page = await api.listConversations();
          if (stopped) return;
          state.applyConversations(page.items);
          for (const row of page.items) {
            const thread = threads.get(row.id);
            const newest = thread?.loaded ? (state.thread(row.id).get().messages.at(-1)?.seq ?? 0) : Infinity;
            if (thread && row.last_seq > newest) scheduleSync(thread, 'gaps', 0);
          }
        } while (listAgain && !stopped);
      } catch {
        // The next SUBSCRIBED, online or visible event retries.
      } finally {
        listSyncing = null;
      }
    })();
    return listSyncing;
  }

  // ---- threads -----------------------------------------------------------------------------

  function buildThread(id: string) {
    return (entry: ChannelEntry): RealtimeChannel =>
      client
        .channel(entry.topic, { config: { private: true, broadcast: { self: false } } })
        .on('postgres_changes',
          { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${id}` },
          (payload) => onInsert(payload.new as Message))
        .on('broadcast', { event: 'typing' }, ({ payload }: { payload: TypingPayload }) => {
          if (typeof payload.user_id !== 'string') return;
          const name = typeof payload.name === 'string' ? payload.name : null;
          state.applyTyping(id, payload.user_id, payload.typing !== false, name);
        })
        .on('system', {}, onSystem(() => {
          const thread = threads.get(id);
          if (thread) scheduleSync(thread, 'resync', 0);
        }));
  }

  function onInsert(message: Message): void {
    const thread = threads.get(message.conversation_id);
    if (!thread) return;
    state.applyMessage(message);
    if (thread.loaded && state.thread(thread.id).get().gaps.length > 0) scheduleSync(thread, 'gaps', GAP_GRACE_MS);
  }

  function scheduleSync(thread: ThreadEntry, mode: SyncMode, delay: number): void {
    if (thread.abort.signal.aborted || stopped) return;
    if (delay <= 0) {
      void sync(thread, mode);
      return;
    }
    if (thread.syncTimer !== null) return;
    thread.syncTimer = setTimer(() => {
      thread.syncTimer = null;
      void sync(thread, mode);
    }, delay);
  }

  /** Serialized per thread: a request made while one runs is coalesced into one more run. */
  function sync(thread: ThreadEntry, mode: SyncMode): Promise<void> {
    if (thread.running) {
      if (thread.queued !== 'resync') thread.queued = mode;
      return thread.running;
    }
    thread.running = (async () => {
      let next: SyncMode | null = mode;
      let retry = false;
      try {
        while (next !== null && !thread.abort.signal.aborted) {
          thread.queued = null;
          await syncOnce(thread, next);
          next = thread.queued;
        }
      } catch (error) {
        if (!thread.abort.signal.aborted && isOnline() && (!isParleyError(error) || error.retryable)) {
          retry = true;
        }
      } finally {
        thread.running = null;
      }
      if (retry) scheduleSync(thread, 'resync', SYNC_RETRY_MS);
    })();
    return thread.running;
  }

  async function syncOnce(thread: ThreadEntry, mode: SyncMode): Promise<void> {
    const { id } = thread;
    const { signal } = thread.abort;
    // Reading sends no message, so nothing else announces a marker missed while away; the list
    // channel carries later ones. Asked alongside the messages, applied after them.
    const reads = mode === 'resync' ? api.readMarkers(id) : null;
    void reads?.catch(() => undefined); // awaited below, unless a message request fails first
    if (!thread.loaded) {
      const page = await api.pageMessages(id);
      if (signal.aborted) return;
      state.applyPage(id, page.items, page.hasMore);
      thread.loaded = true;
    } else if (mode === 'resync') {
      const page = await api.pageMessages(id, { afterSeq: state.thread(id).get().lastSeq });
      if (signal.aborted) return;
      state.applyPage(id, page.items);
    }
    // Exactly the missing ranges: holes between held messages, and a tail the conversation row announced.
    const known = state.$conversations.get()[id]?.last_seq ?? 0;
    for (const range of missingRanges(state.thread(id).get(), known)) {
      const rows = await api.fetchRange(id, range.from, range.to);
      if (signal.aborted) return;
      state.applyPage(id, rows);
    }
    if (reads) {
      const markers = await reads;
      if (signal.aborted) return;
      state.applyReadMarkers(markers);
    }
  }

  // ---- outbox ------------------------------------------------------------------------------

  function enqueueDelivery(id: string): void {
    if (!sendQueue.includes(id)) sendQueue.push(id);
    void pump();
  }

  /** Connection is back (SUBSCRIBED, online): retry a waiting send now instead of after its backoff. */
  function kickOutbox(): void {
    if (sendQueue.length === 0 || pumping) return;
    if (sendTimer !== null) clearTimer(sendTimer);
    sendTimer = null;
    void pump();
  }

  async function pump(): Promise<void> {
    if (pumping || stopped || sendTimer !== null) return;
    pumping = true;
    try {
      while (sendQueue.length > 0 && !stopped) {
        const id = sendQueue[0] as string;
        const entry = state.$outbox.get().find((e) => e.id === id);
        if (!entry || entry.state !== 'sending') {
          sendQueue.shift();
          continue;
        }
        if (!isOnline()) return; // the online event resumes
        try {
          const row = await api.sendMessage({
            id: entry.id, conversationId: entry.conversation_id, content: entry.content, metadata: entry.metadata,
          });
          sendQueue.shift();
          sendFailures = 0;
          state.markSent(row);
        } catch (error) {
          if (stopped) return;
          if (isParleyError(error) && !error.retryable) {
            sendQueue.shift();
            state.markFailed(id, error.message);
            continue;
          }
          if (!isParleyError(error)) {
            sendQueue.shift();
            state.markFailed(id, error instanceof Error ? error.message : String(error));
            continue;
          }
          // Retryable (network, 5xx, expired token): stays `sending`; same id, so a request that
          // did reach the database returns the stored row instead of inserting twice.
          sendFailures += 1;
          sendTimer = setTimer(() => {
            sendTimer = null;
            void pump();
          }, backoff(sendFailures));
          return;
        }
      }
    } finally {
      pumping = false;
    }
  }

  // ---- window events -----------------------------------------------------------------------

  function onOnline(): void {
    updateConnection();
    if (stopped) return;
    ensureSocket();
    resyncAll();
    kickOutbox();
  }

  function onOffline(): void {
    updateConnection();
  }

  function onVisibility(): void {
    if (win?.document.visibilityState !== 'visible') return;
    if (isOnline()) ensureSocket();
    resyncAll();
    kickOutbox();
  }

  function resyncAll(): void {
    if (stopped || !started) return;
    void syncList();
    for (const thread of threads.values()) scheduleSync(thread, 'resync', 0);
  }

  // ---- public API --------------------------------------------------------------------------

  async function startOnce(): Promise<void> {
    win?.addEventListener('online', onOnline);
    win?.addEventListener('offline', onOffline);
    win?.addEventListener('visibilitychange', onVisibility);
    updateConnection();

    // §1.5: a restored session must reach realtime before the first join.
    const user = await currentIdentity(client).catch(() => null);
    await client.realtime.setAuth();
    if (stopped) return;
    if (!user) {
      authGone = true;
      updateConnection();
      return;
    }
    let role: SessionRole | null;
    try {
      role = (await api.currentAgent())?.role ?? 'visitor';
    } catch {
      role = user.isAnonymous ? 'visitor' : null;
    }
    if (stopped) return;
    state.setSession({ userId: user.id, role });

    // With third-party auth the host owns sign-in and expiry; realtime asks its callback for tokens.
    if (!thirdPartyToken(client)) {
      const { data: auth } = client.auth.onAuthStateChange((event, session) => {
        // Only flags here: auth-js holds its lock while calling back.
        if (event === 'SIGNED_OUT' || (session === null && event !== 'INITIAL_SESSION')) authGone = true;
        else if (session) authGone = false;
        updateConnection();
      });
      authSubscription = auth.subscription;
    }

    listEntry = newEntry(listTopic, buildList, () => void syncList());
    subscribeEntry(listEntry);
    for (const thread of threads.values()) subscribeEntry(thread.channel);
    void syncList();

    for (const entry of state.takeRestored()) enqueueDelivery(entry.id);
  }

  function openThread(id: string): ThreadEntry {
    const thread: ThreadEntry = {
      id, refs: 0, abort: new AbortController(), loaded: false, running: null, queued: null,
      syncTimer: null, lastTypingAt: 0,
      channel: newEntry(`conversation:${id}`, buildThread(id), () => {
        const t = threads.get(id);
        if (t) scheduleSync(t, 'resync', 0);
      }),
    };
    threads.set(id, thread);
    state.thread(id);
    // Join only once start() has handed the session to realtime (§1.5); start() joins the rest.
    if (listEntry) subscribeEntry(thread.channel);
    // Newest page now; the SUBSCRIBED resync queues behind it and asks for afterSeq: lastSeq.
    void sync(thread, 'resync');
    updateConnection();
    return thread;
  }

  function closeThread(thread: ThreadEntry): void {
    threads.delete(thread.id);
    thread.abort.abort();
    if (thread.syncTimer !== null) clearTimer(thread.syncTimer);
    thread.syncTimer = null;
    void releaseEntry(thread.channel);
    state.releaseThread(thread.id);
    updateConnection();
  }

  return {
    start() {
      if (stopped) return Promise.reject(new Error('The realtime controller was stopped'));
      started ??= startOnce();
      return started;
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      win?.removeEventListener('online', onOnline);
      win?.removeEventListener('offline', onOffline);
      win?.removeEventListener('visibilitychange', onVisibility);
      authSubscription?.unsubscribe();
      authSubscription = null;
      for (const timer of [reconnectTimer, sendTimer]) if (timer !== null) clearTimer(timer);
      reconnectTimer = null;
      sendTimer = null;
      sendQueue.length = 0;
      const releasing: Promise<void>[] = [];
      for (const thread of [...threads.values()]) {
        threads.delete(thread.id);
        thread.abort.abort();
        if (thread.syncTimer !== null) clearTimer(thread.syncTimer);
        releasing.push(releaseEntry(thread.channel));
        state.releaseThread(thread.id);
      }
      if (listEntry) releasing.push(releaseEntry(listEntry));
      listEntry = null;
      await Promise.all(releasing);
    },

    open(conversationId) {
      if (stopped) throw new Error('The realtime controller was stopped');
      const thread = threads.get(conversationId) ?? openThread(conversationId);
      thread.refs += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        thread.refs -= 1;
        if (thread.refs === 0 && threads.get(conversationId) === thread) closeThread(thread);
      };
    },

    async loadOlder(conversationId) {
      const thread = threads.get(conversationId);
      if (!thread) return;
      const held = state.thread(conversationId).get();
      const oldest = held.messages[0]?.seq;
      if (oldest === undefined || !held.hasMore || held.loading) return;
      state.setThreadLoading(conversationId, true);
      try {
        const page = await api.pageMessages(conversationId, { beforeSeq: oldest });
        if (thread.abort.signal.aborted) return;
        state.applyPage(conversationId, page.items, page.hasMore);
      } catch (error) {
        if (!thread.abort.signal.aborted) state.setThreadLoading(conversationId, false);
        throw error;
      }
    },

    send(conversationId, content, metadata) {
      const entry = state.enqueueSend({ conversationId, content, ...(metadata ? { metadata } : {}) });
      const thread = threads.get(conversationId);
      if (thread) thread.lastTypingAt = 0;
      enqueueDelivery(entry.id);
      return entry;
    },

    retry(id) {
      const entry = state.retry(id);
      if (!entry) return false;
      sendFailures = 0;
      if (sendTimer !== null) clearTimer(sendTimer);
      sendTimer = null;
      enqueueDelivery(entry.id);
      return true;
    },

    async markRead(conversationId, seq) {
      if (!state.markRead(conversationId, seq)) return;
      try {
        await api.markRead(conversationId, seq);
      } catch {
        // Best effort: the next markRead past this seq carries it; the local badge already cleared.
      }
    },

    typing(conversationId) {
      sendTyping(conversationId, true);
    },

    stopTyping(conversationId) {
      sendTyping(conversationId, false);
    },

    resync: resyncAll,
  };

  function sendTyping(conversationId: string, typing: boolean): void {
    const thread = threads.get(conversationId);
    const channel = thread?.channel.channel;
    const userId = state.$session.get().userId;
    if (!thread || !channel || thread.channel.health !== 'subscribed' || userId === null) return;
    const now = Date.now();
    if (typing) {
      if (now - thread.lastTypingAt < TYPING_THROTTLE_MS) return;
      thread.lastTypingAt = now;
    } else {
      if (thread.lastTypingAt === 0) return;
      thread.lastTypingAt = 0;
    }
    void channel.send({
      type: 'broadcast', event: 'typing',
      payload: { user_id: userId, name: typingName(), typing },
    });
  }
}

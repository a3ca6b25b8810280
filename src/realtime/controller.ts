/**
 * The realtime controller of one widget session (ARCHITECTURE.md "The client"): it joins the
 * conversation list channel and one private channel per open conversation (reference-counted; in
 * scale mode, `transport: 'broadcast'`, a second one carries the conversation's messages),
 * turns at-most-once realtime into exactly-once threads by resyncing on every SUBSCRIBED and
 * fetching exactly the missing seq ranges, drives the outbox, and maps channel and socket states
 * to `$connection`. Plain object, no Lit: elements reach it through the session context and the
 * thin adapter in `conversation-controller.ts`.
 *
 * The parts, one module each: `connection-status.ts` (what the status shows), `managed-channel.ts`
 * (a channel kept joined), `thread-sync.ts` and `list-sync.ts` (keeping the stores exact),
 * `outbox-pump.ts` (delivering sends), `reachability.ts` (reconnecting as soon as the server
 * answers), `rest-fallback.ts` (polling while WebSockets are blocked); what the channels listen to is `src/data/channels.ts`.
 *
 * Lifecycle: `start()` once the client is signed in (it awaits the session and `realtime.setAuth()`
 * before the first subscribe, SUPABASE-WIRE.md §1.5), `stop()` when the root element goes away.
 * The supabase-js client, its socket and the state object belong to the caller.
 */
import type { RealtimeChannel } from '@supabase/supabase-js';
import { conversationChannel, listChannel, listTopic, messageChannel, newListTopic, sendTyping } from '../data/channels.ts';
import { currentIdentity, thirdPartyToken } from '../data/identity.ts';
import type { Message } from '../data/index.ts';
import { outgoingAttachments } from '../data/attachment.ts';
import { randomId } from '../ids.ts';
import type { SessionRole } from '../state/index.ts';
import { connectionStatus } from './connection-status.ts';
import { ListSync } from './list-sync.ts';
import { ManagedChannel } from './managed-channel.ts';
import { nextTask } from './next-task.ts';
import { OutboxPump } from './outbox-pump.ts';
import { ThreadSync } from './thread-sync.ts';
import { Reachability, healthProbe } from './reachability.ts';
import { RestFallback } from './rest-fallback.ts';
import { realTimers, type Timers } from './timers.ts';
import type { RealtimeController, RealtimeControllerOptions } from './types.ts';

export type { RealtimeController, RealtimeControllerOptions, SendOptions } from './types.ts';

/** Minimum interval between two typing broadcasts of one conversation. */
export const TYPING_THROTTLE_MS = 2000;

/** One open conversation: its channel, its sync, and the views holding it. */
interface OpenThread {
  refs: number;
  /** Typing, and in the default transport the messages too. */
  readonly channel: ManagedChannel;
  /** Scale mode's messages (`transport: 'broadcast'`); null otherwise. */
  readonly feed: ManagedChannel | null;
  readonly sync: ThreadSync;
  lastTypingAt: number;
}

export function createRealtimeController(options: RealtimeControllerOptions): RealtimeController {
  const { client, api, state } = options;
  const win: Window | undefined = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const timers: Timers = { set: options.setTimer ?? realTimers.set, clear: options.clearTimer ?? realTimers.clear };
  const typingName = (): string | null =>
    typeof options.typingName === 'function' ? options.typingName() : (options.typingName ?? null);
  const isOnline = (): boolean => win?.navigator.onLine ?? true;
  const broadcast = options.transport === 'broadcast';

  let started: Promise<void> | null = null;
  let stopped = false;
  let everSubscribed = false;
  let authGone = false;
  let list: ManagedChannel | null = null;
  const threads = new Map<string, OpenThread>();
  let authSubscription: { unsubscribe(): void } | null = null;
  const reachability = new Reachability({
    timers,
    probe: options.probe ?? healthProbe(client),
    onAnswer: () => {
      void reconnectSocket();
      fallback.resume();
      outbox.kick();
    },
  });
  const fallback = new RestFallback({ timers, poll: pollOverRest, onChange: updateConnection });
  // Files go through Storage code loaded with the first attached file (its own chunk).
  const delivery = () => import('./attachment-chunk.ts');
  const outbox = new OutboxPump({
    api, state, timers, isOnline,
    files: {
      deliver: (entry) => delivery().then((m) => m.deliver(client, entry)),
      forget: (entry) => void delivery().then((m) => m.forget(entry)),
    },
  });
  const listSync = new ListSync({ api, state, thread: (id) => threads.get(id)?.sync });

  // ---- connection status -------------------------------------------------------------------

  function channels(): ManagedChannel[] {
    const all: ManagedChannel[] = [];
    if (list) all.push(list);
    for (const t of threads.values()) all.push(t.channel, ...(t.feed ? [t.feed] : []));
    return all;
  }

  function updateConnection(): void {
    if (stopped) return;
    const all = channels();
    if (all.some((c) => c.health === 'subscribed')) everSubscribed = true;
    const status = connectionStatus({
      signedOut: authGone,
      channelFailed: all.some((c) => c.failed),
      online: isOnline(),
      everSubscribed,
      channelDown: all.some((c) => c.health === 'down'),
      polling: fallback.active,
    });
    if (state.$connection.get() !== status) state.setConnection(status);
    // Probe and fall back while there is something to wait for; offline waits for `online`, error
    // for the user, and a socket with every channel subscribed needs neither.
    const waiting = list !== null && (status === 'connecting' || status === 'reconnecting' || status === 'polling');
    if (waiting) reachability.watch();
    else reachability.settle();
    if (waiting && !all.every((c) => c.health === 'subscribed')) fallback.arm();
    else fallback.disarm();
  }

  /** One poll of the REST fallback: the list's newest page, and each open thread's resync. */
  async function pollOverRest(): Promise<boolean> {
    const reached = await listSync.sync();
    for (const thread of threads.values()) thread.sync.schedule('resync', 0);
    return reached;
  }

  /**
   * The server answered: open the socket now. realtime-js would wait out its backoff, and after a
   * clean close (ours, or `disconnect()` from elsewhere) it never reconnects at all. A clean
   * disconnect clears its pending retry; on open, every errored channel rejoins, and each SUBSCRIBED
   * resyncs.
   */
  async function reconnectSocket(): Promise<void> {
    const rt = client.realtime;
    if (stopped || !isOnline() || rt.isConnected() || rt.isConnecting()) return;
    await rt.disconnect();
    if (stopped || rt.isConnected() || rt.isConnecting()) return;
    rt.connect();
  }

  // ---- channels ----------------------------------------------------------------------------

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

  function managed(build: () => RealtimeChannel, onSubscribed: () => void): ManagedChannel {
    return new ManagedChannel({
      client, build, timers, refreshAuth,
      onChange: updateConnection,
      onSubscribed: () => {
        if (stopped) return;
        onSubscribed();
        outbox.kick();
      },
    });
  }

  function openThread(id: string): OpenThread {
    const sync = new ThreadSync(id, { api, state, timers, isOnline });
    const onMessage = (message: Message): void => sync.onMessage(message);
    const resync = (): void => sync.schedule('resync', 0);
    const channel = managed(
      () => conversationChannel(client, id, api.audience, {
        onMessage,
        onTyping: (event) => state.applyTyping(id, event.user_id, event.typing, event.name),
        onDatabaseReady: resync,
      }, broadcast),
      // Never its SUBSCRIBED, as for the list: with postgres_changes the database subscription's
      // answer is the resync point, in scale mode the messages' own channel.
      () => undefined,
    );
    const feed = broadcast ? managed(() => messageChannel(client, id, api.audience, onMessage), resync) : null;
    const thread: OpenThread = { refs: 0, channel, feed, sync, lastTypingAt: 0 };
    threads.set(id, thread);
    state.thread(id);
    // Join only once start() has handed the session to realtime (§1.5); start() joins the rest.
    if (list) join(thread);
    // Newest page now; the SUBSCRIBED resync queues behind it and asks for afterSeq: lastSeq.
    void sync.sync('resync');
    updateConnection();
    return thread;
  }

  function join(thread: OpenThread): void {
    thread.channel.subscribe();
    thread.feed?.subscribe();
  }

  function closeThread(id: string, thread: OpenThread): Promise<void> {
    threads.delete(id);
    thread.sync.close();
    state.releaseThread(id);
    return Promise.all([thread.channel.release(), thread.feed?.release()]).then(() => undefined);
  }

  // ---- window events -----------------------------------------------------------------------

  function onOnline(): void {
    updateConnection();
    if (stopped) return;
    wakeUp();
  }

  function onOffline(): void {
    updateConnection();
  }

  function onVisibility(): void {
    if (win?.document.visibilityState !== 'visible') return;
    wakeUp();
  }

  /** Back online or visible: catch up now, and if anything is down, ask the server at once. */
  function wakeUp(): void {
    const down = channels().some((c) => c.health !== 'subscribed') || !client.realtime.isConnected();
    if (list && isOnline() && down) reachability.probeNow();
    resyncAll();
    outbox.kick();
  }

  function resyncAll(): void {
    if (stopped || !started) return;
    void listSync.sync();
    for (const thread of threads.values()) thread.sync.schedule('resync', 0);
  }

  // ---- public API --------------------------------------------------------------------------

  async function startOnce(listNow: boolean): Promise<void> {
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
    if (user.isAnonymous && api.audience === 'customer') {
      // A visitor's anonymous sign-in, seen as a customer: no agents row to ask for (agents sign in with an email).
      role = 'visitor';
    } else {
      try {
        role = (await api.currentAgent())?.role ?? 'visitor';
      } catch {
        role = user.isAnonymous ? 'visitor' : null;
      }
    }
    if (stopped) return;
    state.setSession({ userId: user.id, role, anonymous: user.isAnonymous });

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

    const topic = broadcast ? listTopic(api.audience, user.id) : newListTopic();
    // One resync per join, at the point from which no change can be missed: with postgres_changes
    // that is the database subscription's answer, which follows every SUBSCRIBED (a resync on
    // SUBSCRIBED as well fetched the same page twice); database broadcasts flow from SUBSCRIBED.
    list = managed(
      () => listChannel(client, topic, api.audience, {
        onConversation: (row) => listSync.onConversation(row),
        onReadMarker: (marker) => listSync.onReadMarker(marker),
        onDatabaseReady: () => void listSync.sync(),
      }, broadcast),
      broadcast ? () => void listSync.sync() : () => undefined,
    );
    list.subscribe();
    for (const thread of threads.values()) join(thread);
    if (listNow) void listSync.sync();

    for (const entry of state.takeRestored()) outbox.enqueue(entry.id);
  }

  function sendTypingState(conversationId: string, typing: boolean): void {
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
    sendTyping(channel, { user_id: userId, name: typingName(), typing });
  }

  return {
    start(options = {}) {
      if (stopped) return Promise.reject(new Error('The realtime controller was stopped'));
      started ??= startOnce(options.listNow ?? true);
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
      reachability.stop();
      fallback.stop();
      outbox.stop();
      listSync.stop();
      const releasing = [...threads].map(([id, thread]) => closeThread(id, thread));
      if (list) releasing.push(list.release());
      list = null;
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
        if (thread.refs === 0 && threads.get(conversationId) === thread) {
          void closeThread(conversationId, thread);
          updateConnection();
        }
      };
    },

    async loadOlder(conversationId) {
      await threads.get(conversationId)?.sync.loadOlder();
    },

    send(conversationId, content, metadata, options) {
      const files = options?.files ?? [];
      // Files need the id first: their keys are derived from it.
      const id = options?.id ?? (files.length > 0 ? randomId() : undefined);
      const entry = state.prepareSend({
        conversationId, content, ...(id ? { id } : {}), ...(metadata ? { metadata } : {}),
        ...(options?.visibility ? { visibility: options.visibility } : {}),
        ...(id && files.length > 0 ? { attachments: outgoingAttachments(conversationId, id, files) } : {}),
      });
      if (files.length > 0) void delivery().then((m) => m.keep(entry, files));
      const thread = threads.get(conversationId);
      if (thread) thread.lastTypingAt = 0;
      // The request leaves first and the stores show the entry in the next task: supabase-js reads
      // the session over several microtask turns before it calls fetch, and every render a store
      // change queued would run before that (most of the sending page's time before the request).
      const added = new Promise<void>((resolve) => nextTask(() => {
        state.addSend(entry);
        resolve();
      }));
      outbox.enqueue(entry.id, { entry, added });
      return entry;
    },

    retry: (id) => outbox.retry(id),

    async markRead(conversationId, seq) {
      if (!state.markRead(conversationId, seq)) return;
      try {
        // The server's marker carries the exact read counter (a partial read cannot be counted here).
        state.applyReadMarker(await api.markRead(conversationId, seq));
      } catch {
        // Best effort: the next markRead past this seq carries it; the local badge already cleared.
      }
    },

    typing: (conversationId) => sendTypingState(conversationId, true),
    stopTyping: (conversationId) => sendTypingState(conversationId, false),
    resync: resyncAll,
  };
}

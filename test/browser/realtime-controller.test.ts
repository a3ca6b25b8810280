import { expect, waitUntil } from '@open-wc/testing';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { createDataApi, REALTIME_TRANSPORTS, type Audience, type Message } from '../../src/data/index.ts';
import { createRealtimeController, type RealtimeController } from '../../src/realtime/index.ts';
import { createParleyState, type ParleyState, type StorageLike } from '../../src/state/index.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack } from '../browser-stack/stack.ts';


/** A fetch in front of supabase-js that can break insert_message at the network level. */
interface NetworkSwitch {
  /** Requests to insert_message that reach the server, whose answer is then lost (counted first). */
  dropAnswer: number;
  /** Further requests to insert_message that fail before reaching the server. */
  failBefore: number;
  /** insert_message requests seen. */
  inserts: number;
  /** Called as an insert_message request leaves, before anything else happens to it. */
  onInsert?: () => void;
}

function memoryStorage(): StorageLike & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

async function clientWithSwitch(net: NetworkSwitch): Promise<SupabaseClient> {
  const stack = await browserStack();
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes('/rest/v1/rpc/insert_message')) return fetch(input, init);
    net.onInsert?.();
    net.inserts += 1;
    if (net.dropAnswer > 0) {
      net.dropAnswer -= 1;
      const response = await fetch(input, init);
      await response.arrayBuffer();
      throw new TypeError('Failed to fetch');
    }
    if (net.failBefore > 0) {
      net.failBefore -= 1;
      throw new TypeError('Failed to fetch');
    }
    return fetch(input, init);
  };
  return createClient(stack.url, stack.anonKey, {
    auth: { storageKey: `parley-test-${crypto.randomUUID()}`, autoRefreshToken: false, persistSession: false },
    global: { fetch: wrapped },
  });
}

interface Visitor {
  readonly client: SupabaseClient;
  readonly net: NetworkSwitch;
  readonly userId: string;
  readonly conversationId: string;
}

/** A fresh anonymous visitor with a new conversation. */
async function newVisitor(): Promise<Visitor> {
  const net: NetworkSwitch = { failBefore: 0, dropAnswer: 0, inserts: 0 };
  const client = await clientWithSwitch(net);
  const { data, error } = await client.auth.signInAnonymously();
  if (error || !data.user) throw error ?? new Error('no anonymous user');
  const started = await client.rpc('start_conversation', {});
  if (started.error) throw new Error(started.error.message);
  return { client, net, userId: data.user.id, conversationId: (started.data as { id: string }).id };
}

async function signedInAgent(email = 'agent@parley.test'): Promise<{ client: SupabaseClient; userId: string }> {
  const client = await browserClient();
  const { data, error } = await client.auth.signInWithPassword({ email, password: 'parley-agent' });
  if (error || !data.user) throw error ?? new Error('no agent');
  return { client, userId: data.user.id };
}

async function insertAs(client: SupabaseClient, conversationId: string, content: string): Promise<void> {
  const { error } = await client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: content });
  if (error) throw new Error(error.message);
}

async function markReadAs(client: SupabaseClient, conversationId: string, seq: number): Promise<void> {
  const { error } = await client.rpc('mark_read', { p_conversation_id: conversationId, p_seq: seq });
  if (error) throw new Error(error.message);
}

async function databaseMessages(client: SupabaseClient, conversationId: string): Promise<Message[]> {
  const { data, error } = await client.from('messages').select('*').eq('conversation_id', conversationId).order('seq');
  if (error) throw new Error(error.message);
  return data as Message[];
}

const ids = (messages: readonly Message[]): string[] => messages.map((m) => m.id);

function expectExactly(held: readonly Message[], stored: readonly Message[]): void {
  expect(ids(held)).to.deep.equal(ids(stored));
  expect(held.map((m) => m.seq)).to.deep.equal(stored.map((m) => m.seq));
  expect(new Set(ids(held)).size).to.equal(held.length);
}

const wait = (predicate: () => boolean, message: string, timeout = 8000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

const topics = (client: SupabaseClient): string[] => client.getChannels().map((c) => c.topic);

// Both transports pass the same tests: Postgres Changes, and scale mode's Broadcast from Database.
for (const transport of REALTIME_TRANSPORTS) describe(`realtime controller on the local stack (${transport})`, function () {
  this.timeout(20000);
  const cleanup: (() => unknown)[] = [];
  /** The channel a visitor's thread hears its messages on. */
  const messagesTopic = (id: string): string =>
    transport === 'broadcast' ? `realtime:parley:thread:${id}` : `realtime:conversation:${id}`;

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  /** A widget's session: a visitor's (the customer's view) unless `audience` says `team`. */
  function session(client: SupabaseClient, storage?: StorageLike, audience: Audience = 'customer'): { state: ParleyState; controller: RealtimeController } {
    const state = createParleyState(storage ? { storage } : {});
    const controller = createRealtimeController({ client, api: createDataApi(client, { audience }), state, transport });
    cleanup.push(async () => {
      await controller.stop();
      state.dispose();
    });
    return { state, controller };
  }

  function disposeClient(client: SupabaseClient): void {
    cleanup.push(() => client.removeAllChannels());
  }

  /** A visitor's controller, started, with their conversation open and the connection up. */
  async function openedSession(visitor: { client: SupabaseClient; conversationId: string }) {
    disposeClient(visitor.client);
    const { state, controller } = session(visitor.client);
    await controller.start();
    controller.open(visitor.conversationId);
    const $thread = state.thread(visitor.conversationId);
    await wait(() => state.$connection.get() === 'connected', 'connected');
    return { state, controller, $thread };
  }

  it('walks connecting → connected, then reconnecting → connected across a forced disconnect', async () => {
    const visitor = await newVisitor();
    disposeClient(visitor.client);
    const { state, controller } = session(visitor.client);
    const seen: string[] = [];
    const unlisten = state.$connection.subscribe((status) => {
      if (seen.at(-1) !== status) seen.push(status);
    });
    cleanup.push(unlisten);
    await controller.start();
    controller.open(visitor.conversationId);
    await wait(() => state.$connection.get() === 'connected', 'connected');
    await visitor.client.realtime.disconnect();
    await wait(() => state.$connection.get() === 'reconnecting', 'reconnecting');
    window.dispatchEvent(new Event('online'));
    await wait(() => state.$connection.get() === 'connected', 'connected again');
    expect(seen).to.deep.equal(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('fetches the conversation list once per join, once nothing can be missed', async () => {
    const visitor = await newVisitor();
    disposeClient(visitor.client);
    const api = createDataApi(visitor.client, { audience: 'customer' });
    let calls = 0;
    let running = 0;
    const counted = {
      ...api,
      listConversations: async (...args: Parameters<typeof api.listConversations>) => {
        calls += 1;
        running += 1;
        try {
          return await api.listConversations(...args);
        } finally {
          running -= 1;
        }
      },
    };
    const state = createParleyState();
    const controller = createRealtimeController({ client: visitor.client, api: counted, state, transport });
    cleanup.push(async () => {
      await controller.stop();
      state.dispose();
    });
    await controller.start({ listNow: false });
    await wait(() => state.$connection.get() === 'connected' && calls > 0, 'connected and the list fetched');
    // A heartbeat's reply follows every frame of the join on the socket (the database
    // subscription's answer among them): a second resync would have started by then.
    const realtime = visitor.client.realtime;
    await wait(() => !realtime.pendingHeartbeatRef, 'no heartbeat pending');
    await realtime.sendHeartbeat();
    await wait(() => !realtime.pendingHeartbeatRef && running === 0, 'the heartbeat answered and the list settled');
    expect(calls).to.equal(1);
    expect(state.$conversations.get()[visitor.conversationId]?.id).to.equal(visitor.conversationId);
  });

  it('holds exactly the database messages after a forced disconnect, including those inserted meanwhile', async () => {
    const visitor = await newVisitor();
    const agent = await signedInAgent();
    disposeClient(visitor.client);
    const { state, controller } = session(visitor.client);
    await controller.start();
    await insertAs(agent.client, visitor.conversationId, 'before open');
    controller.open(visitor.conversationId);
    const $thread = state.thread(visitor.conversationId);
    await wait(() => state.$connection.get() === 'connected' && $thread.get().messages.length === 1, 'the first page');

    await insertAs(agent.client, visitor.conversationId, 'live 1');
    await wait(() => $thread.get().messages.length === 2, 'a live insert');

    await visitor.client.realtime.disconnect();
    await wait(() => state.$connection.get() === 'reconnecting', 'reconnecting');
    for (let i = 1; i <= 3; i++) await insertAs(agent.client, visitor.conversationId, `while away ${i}`);
    window.dispatchEvent(new Event('online'));
    await wait(() => state.$connection.get() === 'connected' && $thread.get().messages.length === 5, 'the resync');
    await insertAs(agent.client, visitor.conversationId, 'after');
    await wait(() => $thread.get().messages.length === 6, 'a live insert after reconnecting');

    const stored = await databaseMessages(agent.client, visitor.conversationId);
    expect(stored).to.have.length(6);
    expectExactly($thread.get().messages, stored);
    expect($thread.get().gaps).to.deep.equal([]);
    expect($thread.get().lastSeq).to.equal(stored.at(-1)?.seq);
  });

  it('re-creates a channel closed behind its back and catches up with what it missed', async () => {
    const visitor = await newVisitor();
    const agent = await signedInAgent();
    const { state, $thread } = await openedSession(visitor);
    const topic = messagesTopic(visitor.conversationId);
    const closed = visitor.client.getChannels().find((c) => c.topic === topic);
    expect(closed, 'thread channel').to.not.equal(undefined);
    await closed?.unsubscribe();
    // Inserts the thread channel cannot see; the list channel's conversation rows announce them.
    await insertAs(agent.client, visitor.conversationId, 'one');
    await insertAs(agent.client, visitor.conversationId, 'two');
    await wait(() => $thread.get().messages.length === 2, 'the missing range');
    await wait(() => {
      const channel = visitor.client.getChannels().find((c) => c.topic === topic);
      return channel !== undefined && channel !== closed && state.$connection.get() === 'connected';
    }, 'a new channel');
    await insertAs(agent.client, visitor.conversationId, 'three');
    await wait(() => $thread.get().messages.length === 3, 'a live insert on the new channel');
    expectExactly($thread.get().messages, await databaseMessages(agent.client, visitor.conversationId));
  });

  it('sends a message once when the first attempt reached the database but its answer was lost', async () => {
    const visitor = await newVisitor();
    const { state, controller, $thread } = await openedSession(visitor);

    // The connection drops, and the first attempt reaches the database but its answer is lost: the
    // send waits in `sending` and goes out again (same id) when the connection returns.
    await visitor.client.realtime.disconnect();
    visitor.net.dropAnswer = 1;
    const pending = controller.send(visitor.conversationId, 'exactly once');
    await wait(() => $thread.get().pending.length > 0, 'the pending entry (shown in the next task)');
    expect($thread.get().pending.map((p) => p.id)).to.deep.equal([pending.id]);
    await wait(() => visitor.net.inserts >= 1 && visitor.net.dropAnswer === 0, 'the first attempt');
    await Promise.resolve();
    expect(state.$outbox.get().find((e) => e.id === pending.id)?.state).to.equal('sending');
    window.dispatchEvent(new Event('online'));
    await wait(() => state.$outbox.get().length === 0 && $thread.get().pending.length === 0, 'the retry');
    await wait(() => state.$connection.get() === 'connected', 'connected again');

    const stored = await databaseMessages(visitor.client, visitor.conversationId);
    expect(stored.filter((m) => m.id === pending.id)).to.have.length(1);
    expect(stored.filter((m) => m.content === 'exactly once')).to.have.length(1);
    // Either the resend (same id, deduplicated by the database) or a resync that found the stored
    // row confirmed it first; both are correct, and either way it is there exactly once.
    expect(visitor.net.inserts).to.be.at.least(1);
    expectExactly($thread.get().messages, stored);
  });

  it('lets a send leave before the stores show it, then shows it and confirms it once', async () => {
    const visitor = await newVisitor();
    const { state, controller, $thread } = await openedSession(visitor);
    let heldWhenSent: [number, number] | null = null;
    visitor.net.onInsert = () => {
      heldWhenSent ??= [state.$outbox.get().length, $thread.get().pending.length];
    };
    const pending = controller.send(visitor.conversationId, 'request first');
    expect(state.$outbox.get(), 'nothing held (so nothing rendered) before the request').to.deep.equal([]);
    await wait(() => $thread.get().pending.length === 1 || $thread.get().messages.some((m) => m.id === pending.id), 'shown');
    expect(heldWhenSent, 'the request left within the task of send()').to.deep.equal([0, 0]);
    await wait(() => state.$outbox.get().length === 0 && $thread.get().pending.length === 0, 'confirmed');
    const stored = await databaseMessages(visitor.client, visitor.conversationId);
    expect(stored.filter((m) => m.content === 'request first')).to.have.length(1);
    expect(visitor.net.inserts).to.equal(1);
    expectExactly($thread.get().messages, stored);
  });

  it('marks a send failed on a non-retryable error and sends it again on retry', async () => {
    const visitor = await newVisitor();
    const agent = await signedInAgent();
    const { controller, $thread } = await openedSession(visitor);
    await agent.client.rpc('set_conversation_status', { p_conversation_id: visitor.conversationId, p_status: 'closed' });
    const pending = controller.send(visitor.conversationId, 'into a closed conversation');
    await wait(() => $thread.get().pending[0]?.state === 'failed', 'failed');
    expect($thread.get().pending[0]?.error).to.be.a('string').and.not.equal('');
    await agent.client.rpc('set_conversation_status', { p_conversation_id: visitor.conversationId, p_status: 'open' });
    expect(controller.retry(pending.id)).to.equal(true);
    await wait(() => $thread.get().pending.length === 0 && $thread.get().messages.some((m) => m.id === pending.id), 'the retry');
    const stored = await databaseMessages(visitor.client, visitor.conversationId);
    expect(stored.filter((m) => m.id === pending.id)).to.have.length(1);
  });

  it('follows inserts, status changes and assignments made by other clients in the conversation list', async () => {
    const jordan = await signedInAgent('jordan@parley.test');
    const agent = await signedInAgent();
    disposeClient(jordan.client);
    const { state, controller } = session(jordan.client, undefined, 'team');
    await controller.start();
    expect(state.$session.get()).to.deep.equal({ userId: jordan.userId, role: state.$session.get().role, anonymous: false });
    expect(['agent', 'admin']).to.include(state.$session.get().role);
    await wait(() => state.$connection.get() === 'connected', 'connected');

    const visitor = await newVisitor();
    const id = visitor.conversationId;
    await wait(() => state.$conversations.get()[id] !== undefined, 'the new conversation');
    await insertAs(visitor.client, id, 'hello');
    await wait(() => (state.$conversations.get()[id]?.last_seq ?? 0) >= 1, 'the message');
    await agent.client.rpc('assign_conversation', { p_conversation_id: id, p_agent_id: agent.userId });
    await wait(() => state.$conversations.get()[id]?.assigned_agent_id === agent.userId, 'the assignment');
    await agent.client.rpc('set_conversation_status', { p_conversation_id: id, p_status: 'pending' });
    await wait(() => state.$conversations.get()[id]?.status === 'pending', 'the status');
    const { data } = await agent.client.from('conversations').select('last_seq').eq('id', id).single();
    await wait(() => state.$conversations.get()[id]?.last_seq === (data as { last_seq: number }).last_seq, 'last_seq');
    await visitor.client.removeAllChannels();
  });

  it('keeps a conversation channel until the last reference is released', async () => {
    const visitor = await newVisitor();
    disposeClient(visitor.client);
    const { state, controller } = session(visitor.client);
    await controller.start();
    const topic = messagesTopic(visitor.conversationId);
    const first = controller.open(visitor.conversationId);
    const second = controller.open(visitor.conversationId);
    expect(topics(visitor.client).filter((t) => t === topic)).to.have.length(1);
    expect(topics(visitor.client).filter((t) => t === `realtime:conversation:${visitor.conversationId}`)).to.have.length(1);
    await wait(() => state.$connection.get() === 'connected', 'connected');
    first();
    first(); // a second call of the same release is harmless
    await new Promise((r) => setTimeout(r, 50));
    expect(topics(visitor.client)).to.include(topic);
    expect(state.threadIds()).to.include(visitor.conversationId);
    second();
    await wait(() => !topics(visitor.client).some((t) => t.endsWith(visitor.conversationId)), 'the channels removed');
    expect(state.threadIds()).to.not.include(visitor.conversationId);
  });

  it('sends a restored outbox exactly once after a reload', async () => {
    const visitor = await newVisitor();
    disposeClient(visitor.client);
    const storage = memoryStorage();
    const before = session(visitor.client, storage);
    await before.controller.start();
    // The first attempt reaches the database, its answer is lost; the rest fail before leaving.
    visitor.net.dropAnswer = 1;
    visitor.net.failBefore = 1000;
    const pending = before.controller.send(visitor.conversationId, 'survives a reload');
    await wait(() => visitor.net.inserts >= 1, 'the first attempt');
    await before.controller.stop();
    expect(storage.data.size).to.equal(1);

    visitor.net.failBefore = 0;
    const inserts = visitor.net.inserts;
    const after = session(visitor.client, storage);
    const $thread = after.state.thread(visitor.conversationId);
    expect($thread.get().pending.map((p) => p.id)).to.deep.equal([pending.id]);
    await after.controller.start();
    after.controller.open(visitor.conversationId);
    await wait(() => after.state.$outbox.get().length === 0 && $thread.get().pending.length === 0, 'the resend');
    await wait(() => $thread.get().messages.some((m) => m.id === pending.id), 'the row in the thread');
    expect(storage.data.size).to.equal(0);
    expect(visitor.net.inserts - inserts).to.be.at.most(1);
    const stored = await databaseMessages(visitor.client, visitor.conversationId);
    expect(stored.filter((m) => m.id === pending.id)).to.have.length(1);
    expectExactly($thread.get().messages, stored);
  });

  it("gives a visitor the team's read position as $seen: fetched on open, then live", async () => {
    const visitor = await newVisitor();
    const agent = await signedInAgent();
    await insertAs(visitor.client, visitor.conversationId, 'read before I looked');
    await markReadAs(agent.client, visitor.conversationId, 1);
    // Marked before this session existed: only the markers fetched on open can know it.
    const { state, controller } = await openedSession(visitor);
    await wait(() => state.$seen.get()[visitor.conversationId] === 1, 'the marker fetched on open');

    const pending = controller.send(visitor.conversationId, 'and this one?');
    await wait(() => state.thread(visitor.conversationId).get().messages.some((m) => m.id === pending.id), 'the send');
    const seq = state.thread(visitor.conversationId).get().messages.find((m) => m.id === pending.id)?.seq;
    expect(seq).to.equal(2);
    await markReadAs(agent.client, visitor.conversationId, 2);
    await wait(() => state.$seen.get()[visitor.conversationId] === 2, 'the marker from realtime');
    expect(state.$readMarkers.get()[visitor.conversationId], "the visitor's own position is separate").to.equal(2);
  });

  it("gives an agent the customer's read position as $seen, and not another agent's", async () => {
    const visitor = await newVisitor();
    const agent = await signedInAgent();
    const jordan = await signedInAgent('jordan@parley.test');
    disposeClient(visitor.client);
    for (const text of ['one', 'two', 'three']) await insertAs(agent.client, visitor.conversationId, text);
    await markReadAs(visitor.client, visitor.conversationId, 1);
    disposeClient(agent.client);
    const { state, controller } = session(agent.client, undefined, 'team');
    await controller.start();
    controller.open(visitor.conversationId);
    await wait(() => state.$connection.get() === 'connected', 'connected');
    await wait(() => state.$seen.get()[visitor.conversationId] === 1, 'the marker fetched on open');

    // Commit order holds on the list channel: once the visitor's marker is in, Jordan's came first.
    await markReadAs(jordan.client, visitor.conversationId, 3);
    await markReadAs(visitor.client, visitor.conversationId, 2);
    await wait(() => state.$seen.get()[visitor.conversationId] === 2, 'the customer marker from realtime');
  });

  it('relays typing on the private channel, throttled', async () => {
    const visitor = await newVisitor();
    const agent = await signedInAgent();
    disposeClient(visitor.client);
    disposeClient(agent.client);
    const mine = session(visitor.client);
    const theirs = session(agent.client, undefined, 'team');
    await Promise.all([mine.controller.start(), theirs.controller.start()]);
    mine.controller.open(visitor.conversationId);
    theirs.controller.open(visitor.conversationId);
    const topic = `realtime:conversation:${visitor.conversationId}`;
    const joined = (client: SupabaseClient): boolean => client.getChannels().some((c) => c.topic === topic && c.state === 'joined');
    await wait(() => joined(visitor.client) && joined(agent.client), 'both joined');
    const channel = visitor.client.getChannels().find((c) => c.topic === topic);
    let sent = 0;
    const send = channel?.send.bind(channel);
    if (channel && send) channel.send = (args, opts) => { sent += 1; return send(args, opts); };
    mine.controller.typing(visitor.conversationId);
    mine.controller.typing(visitor.conversationId);
    expect(sent).to.equal(1);
    await wait(() => (theirs.state.$typing.get()[visitor.conversationId] ?? []).some((e) => e.user_id === visitor.userId), 'typing shown');
  });

  it('leaves no channel and no window listener behind after stop', async () => {
    const visitor = await newVisitor();
    disposeClient(visitor.client);
    const live = new Map<string, Set<unknown>>();
    const add = window.addEventListener;
    const remove = window.removeEventListener;
    window.addEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
      if (!live.has(type)) live.set(type, new Set());
      live.get(type)?.add(listener);
      return (add as (...a: unknown[]) => void).call(this, type, listener, ...rest);
    } as typeof window.addEventListener;
    window.removeEventListener = function (this: Window, type: string, listener: unknown, ...rest: unknown[]) {
      live.get(type)?.delete(listener);
      return (remove as (...a: unknown[]) => void).call(this, type, listener, ...rest);
    } as typeof window.removeEventListener;
    cleanup.push(() => {
      window.addEventListener = add;
      window.removeEventListener = remove;
    });
    const { state, controller } = session(visitor.client);
    await controller.start();
    controller.open(visitor.conversationId);
    controller.open(visitor.conversationId);
    await wait(() => state.$connection.get() === 'connected', 'connected');
    expect([...live.values()].reduce((n, s) => n + s.size, 0)).to.be.greaterThan(0);
    await controller.stop();
    expect(visitor.client.getChannels()).to.deep.equal([]);
    expect([...live.entries()].filter(([, s]) => s.size > 0).map(([t]) => t)).to.deep.equal([]);
  });
});

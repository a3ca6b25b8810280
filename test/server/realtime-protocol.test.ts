// The Realtime wire protocol with the real supabase-js client (SUPABASE-WIRE §1, §7 items 1, 3, 7,
// 8, 9): binary broadcasts, refs, heartbeats, presence, token expiry, private channels, HTTP
// broadcast. postgres_changes delivery has its own suites.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { signJwt } from '../../supabase/local/src/keys.ts';
import { startProxy, type CuttableProxy } from '../helpers/proxy.ts';
import { subscribe } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInAgent, signInVisitor, startConversation } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

interface Received {
  type: string;
  event: string;
  payload: unknown;
  meta?: unknown;
}

let topicCounter = 0;
const freshTopic = (prefix = 'room') => `${prefix}:${++topicCounter}`;

describe('realtime protocol', () => {
  let stack: TestStack;
  let proxy: CuttableProxy;

  before(async () => {
    stack = await startTestStack();
    proxy = await startProxy(stack.url);
  });
  after(async () => {
    await proxy.close();
    await stack.close();
  });

  async function listener(client: SupabaseClient, topic: string, config: Record<string, unknown> = {}) {
    const received: Received[] = [];
    const channel = client.channel(topic, { config })
      .on('broadcast', { event: '*' }, (message) => received.push(message as Received));
    await subscribe(channel);
    return { channel, received };
  }

  describe('broadcast (§7.1)', () => {
    it('relays binary broadcasts with ack, non-ASCII payloads and event names, and honours self', async () => {
      const topic = freshTopic();
      const receiver = await listener(stack.client(), topic);
      const sender = await listener(stack.client(), topic, { broadcast: { ack: true, self: false } });
      const status = await sender.channel.send({ type: 'broadcast', event: 'typé', payload: { user: 'alicé', text: '你好 👋' } });
      assert.equal(status, 'ok');
      await waitFor(() => receiver.received.length === 1, 'the broadcast');
      assert.deepEqual(receiver.received[0], { type: 'broadcast', event: 'typé', payload: { user: 'alicé', text: '你好 👋' } });
      assert.deepEqual(sender.received, [], 'self: false must not echo');

      const echoing = await listener(stack.client(), topic, { broadcast: { ack: true, self: true } });
      assert.equal(await echoing.channel.send({ type: 'broadcast', event: 'é', payload: { n: 1 } }), 'ok');
      await waitFor(() => echoing.received.length === 1 && receiver.received.length === 2, 'self delivery');
      assert.deepEqual(echoing.received[0], { type: 'broadcast', event: 'é', payload: { n: 1 } });
    });

    it('sends kind-4 binary frames to 2.0.0 sockets and JSON to 1.0.0 sockets', async () => {
      const topic = freshTopic();
      const base = stack.url.replace('http', 'ws');
      const v2 = await rawSocket(`${base}/realtime/v1/websocket?apikey=${stack.stack.keys.anon}&vsn=2.0.0`);
      const v1 = await rawSocket(`${base}/realtime/v1/websocket?apikey=${stack.stack.keys.anon}&vsn=1.0.0`);
      v2.ws.send(JSON.stringify(['1', '1', `realtime:${topic}`, 'phx_join', { config: {} }]));
      v1.ws.send(JSON.stringify({ join_ref: '1', ref: '1', topic: `realtime:${topic}`, event: 'phx_join', payload: { config: {} } }));
      await waitFor(() => v2.frames.length === 1 && v1.frames.length === 1, 'both join replies');
      assert.deepEqual(JSON.parse(String(v2.frames[0])), ['1', '1', `realtime:${topic}`, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);

      const sender = await listener(stack.client(), topic);
      await sender.channel.send({ type: 'broadcast', event: 'ping', payload: { a: 1 } });
      await waitFor(() => v2.frames.length === 2 && v1.frames.length === 2, 'the broadcast on both sockets');
      const binary = v2.frames[1];
      assert.ok(Buffer.isBuffer(binary), 'a 2.0.0 socket gets a binary frame');
      assert.equal(binary[0], 4);
      assert.equal(binary.subarray(5).toString(), `realtime:${topic}ping{"a":1}`);
      assert.deepEqual(JSON.parse(String(v1.frames[1])), {
        join_ref: null, ref: null, topic: `realtime:${topic}`, event: 'broadcast',
        payload: { type: 'broadcast', event: 'ping', payload: { a: 1 } },
      });
      v1.ws.close();
      v2.ws.close();
    });

    it('falls back to the HTTP endpoints when not joined, and httpSend works', async () => {
      const topic = freshTopic();
      const receiver = await listener(stack.client(), topic);
      const unjoined = stack.client().channel(topic);
      assert.equal(await unjoined.send({ type: 'broadcast', event: 'batch', payload: { via: 'rest' } }), 'ok');
      const single = await stack.client().channel(topic).httpSend('single', { via: 'httpSend' });
      assert.deepEqual(single, { success: true });
      await waitFor(() => receiver.received.length === 2, 'both HTTP broadcasts');
      assert.deepEqual(receiver.received.map((m) => [m.event, m.payload]).sort(), [
        ['batch', { via: 'rest' }], ['single', { via: 'httpSend' }],
      ]);
    });
  });

  describe('refs and reconnects (§7.3)', () => {
    it('a cut socket reconnects and rejoins by itself; later broadcasts arrive exactly once', async () => {
      const topic = freshTopic();
      const client = stack.client(undefined, { url: proxy.url });
      const statuses: string[] = [];
      const received: Received[] = [];
      const channel = client.channel(topic).on('broadcast', { event: '*' }, (m) => received.push(m as Received));
      channel.subscribe((status) => statuses.push(status));
      await waitFor(() => statuses.includes('SUBSCRIBED'), 'the first join');
      const firstJoinRef = joinRef(channel);

      proxy.cut();
      await waitFor(() => statuses.filter((s) => s === 'SUBSCRIBED').length === 2, 'the automatic rejoin', 8_000);
      assert.ok(statuses.includes('CHANNEL_ERROR'));
      assert.notEqual(joinRef(channel), firstJoinRef, 'a rejoin uses a new join_ref');

      const sender = await listener(stack.client(), topic);
      for (let i = 0; i < 5; i++) await sender.channel.send({ type: 'broadcast', event: 'n', payload: { i } });
      await waitFor(() => received.length >= 5, 'five broadcasts');
      await sender.channel.send({ type: 'broadcast', event: 'done', payload: {} });
      await waitFor(() => received.some((m) => m.event === 'done'), 'the last broadcast');
      assert.deepEqual(received.filter((m) => m.event === 'n').map((m) => (m.payload as { i: number }).i), [0, 1, 2, 3, 4]);
      await client.removeAllChannels();
    });

    it('answers pushes to unjoined topics with "unmatched topic", and a second join replaces the first', async () => {
      const topic = `realtime:${freshTopic()}`;
      const socket = await rawSocket(`${stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${stack.stack.keys.anon}&vsn=2.0.0`);
      socket.ws.send(JSON.stringify(['1', '2', topic, 'presence', { type: 'presence', event: 'track', payload: {} }]));
      await waitFor(() => socket.frames.length === 1, 'the unmatched reply');
      assert.deepEqual(JSON.parse(String(socket.frames[0])), ['1', '2', topic, 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
      socket.ws.send(JSON.stringify(['3', '3', topic, 'phx_join', { config: {} }]));
      socket.ws.send(JSON.stringify(['4', '4', topic, 'phx_join', { config: {} }]));
      await waitFor(() => socket.frames.length === 4, 'two join replies and a close');
      const frames = socket.frames.slice(1).map((f) => JSON.parse(String(f)) as unknown[]);
      assert.deepEqual(frames.map((f) => [f[0], f[1], f[3]]), [['3', '3', 'phx_reply'], ['3', '3', 'phx_close'], ['4', '4', 'phx_reply']]);
      socket.ws.close();
    });
  });

  describe('heartbeats (§7.7)', () => {
    it('keeps a channel healthy on fast heartbeats and reconnects when they go unanswered', async () => {
      const topic = freshTopic();
      const heartbeats: string[] = [];
      const client = stack.client(undefined, { url: proxy.url, realtime: { heartbeatIntervalMs: 300 } });
      client.realtime.onHeartbeat((status) => heartbeats.push(status));
      const statuses: string[] = [];
      client.channel(topic).subscribe((status) => statuses.push(status));
      await waitFor(() => heartbeats.filter((s) => s === 'ok').length >= 4, 'four answered heartbeats');
      assert.deepEqual(statuses, ['SUBSCRIBED']);

      proxy.blackhole(true);
      await waitFor(() => heartbeats.includes('timeout'), 'a heartbeat timeout');
      proxy.blackhole(false);
      proxy.cut(); // the blackholed connection is dead for good; the client reconnects on a new one
      await waitFor(() => statuses.filter((s) => s === 'SUBSCRIBED').length === 2, 'the rejoin after reconnect', 8_000);
      assert.ok(statuses.includes('CHANNEL_ERROR'));
      await client.removeAllChannels();
    });
  });

  describe('presence (§7.8)', () => {
    it('sends state after join, diffs to everyone including the tracker, and leaves on disconnect', async () => {
      const topic = freshTopic();
      const alice = stack.client();
      const bob = stack.client(undefined, { url: proxy.url });
      const aliceLeaves: string[] = [];
      const aliceChannel = alice.channel(topic, { config: { presence: { key: 'alice' } } })
        .on('presence', { event: 'leave' }, ({ key }) => aliceLeaves.push(key));
      await subscribe(aliceChannel);
      assert.equal(await aliceChannel.track({ name: 'Alice' }), 'ok');

      let bobSyncs = 0;
      const bobChannel = bob.channel(topic, { config: { presence: { key: 'bob' } } })
        .on('presence', { event: 'sync' }, () => bobSyncs++);
      await subscribe(bobChannel);
      await waitFor(() => bobSyncs >= 1 && 'alice' in bobChannel.presenceState(), 'bob syncing the state');
      assert.equal(await bobChannel.track({ name: 'Bob' }), 'ok');
      await waitFor(() => 'bob' in aliceChannel.presenceState() && 'bob' in bobChannel.presenceState(), 'bob visible to both');
      const meta = bobChannel.presenceState().bob?.[0] as Record<string, unknown>;
      assert.equal(meta.name, 'Bob');
      assert.equal(typeof meta.presence_ref, 'string');

      proxy.cut();
      await waitFor(() => aliceLeaves.includes('bob'), 'alice seeing bob leave');
      assert.ok(!('bob' in aliceChannel.presenceState()));

      const syncsBefore = bobSyncs;
      await waitFor(() => bobChannel.state === 'joined' && bobSyncs > syncsBefore, 'bob rejoining and syncing', 8_000);
      assert.equal(await bobChannel.track({ name: 'Bob' }), 'ok');
      await waitFor(() => 'bob' in aliceChannel.presenceState(), 'alice seeing bob again');
      await bob.removeAllChannels();
      await alice.removeAllChannels();
    });

    it('refuses a track payload that is not a map', async () => {
      const channel = stack.client().channel(freshTopic());
      await subscribe(channel);
      assert.equal(await channel.track([1, 2] as unknown as Record<string, unknown>), 'error');
    });
  });

  describe('tokens (§7.9)', () => {
    it('a channel whose token expires gets a system error, then CLOSED, and is removed', async () => {
      const visitor = await signInVisitor(stack);
      const systems: Record<string, unknown>[] = [];
      const statuses: string[] = [];
      const channel = visitor.client.channel(freshTopic()).on('system', {}, (payload) => systems.push(payload));
      await visitor.client.realtime.setAuth(await token(stack, visitor.id, 2));
      channel.subscribe((status) => statuses.push(status));
      await waitFor(() => statuses.includes('SUBSCRIBED'), 'the join');
      await waitFor(() => statuses.includes('CLOSED'), 'the expiry close', 6_000);
      assert.equal(systems.at(-1)?.extension, 'system');
      assert.equal(systems.at(-1)?.status, 'error');
      assert.match(String(systems.at(-1)?.message), /^Token has expired \d+ seconds ago$/);
      assert.ok(!visitor.client.getChannels().includes(channel));
    });

    it('refuses joins with expired, malformed or wrongly signed tokens, with Supabase reasons', async () => {
      const socket = await rawSocket(`${stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${stack.stack.keys.anon}&vsn=2.0.0`);
      const wrongSecret = await signJwt('another-secret-that-is-at-least-32-characters', { role: 'authenticated', exp: Math.floor(Date.now() / 1000) + 60 });
      const noExp = await signJwt(stack.stack.keys.jwtSecret, { role: 'authenticated' });
      const cases: [string, RegExp][] = [
        [await token(stack, crypto.randomUUID(), -30), /^InvalidJWTToken: Token has expired \d+ seconds ago$/],
        ['not.a.jwt', /^MalformedJWT: The token provided is not a valid JWT$/],
        [wrongSecret, /^JwtSignatureError: Failed to validate JWT signature$/],
        [noExp, /^InvalidJWTToken: Fields `role` and `exp` are required in JWT$/],
      ];
      for (const [index, [jwt]] of cases.entries()) {
        socket.ws.send(JSON.stringify([`${index}`, `${index}`, `realtime:${freshTopic()}`, 'phx_join', { config: {}, access_token: jwt }]));
      }
      await waitFor(() => socket.frames.length === cases.length, 'four join replies');
      const reasons = socket.frames.map((f) => (JSON.parse(String(f)) as [string, string, string, string, { status: string; response: { reason: string } }]))
        .sort((a, b) => Number(a[0]) - Number(b[0]))
        .map((f) => { assert.equal(f[4].status, 'error'); return f[4].response.reason; });
      assert.equal(reasons.length, cases.length);
      cases.forEach(([, expected], i) => assert.match(reasons[i] ?? '', expected));
      socket.ws.close();
    });

    it('refuses sockets without a known apikey', async () => {
      const base = `${stack.url.replace('http', 'ws')}/realtime/v1/websocket?vsn=2.0.0`;
      for (const url of [base, `${base}&apikey=nope`]) {
        const status = await new Promise<number>((resolve) => {
          const ws = new WebSocket(url);
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('open', () => resolve(101));
        });
        assert.equal(status, 401);
      }
    });
  });

  describe('private channels', () => {
    it('lets a conversation\'s customer and agents in, and keeps everyone else out', async () => {
      const [customer, agent, stranger] = await Promise.all([signInVisitor(stack), signInAgent(stack), signInVisitor(stack)]);
      const conversation = await startConversation(customer);
      const topic = `conversation:${conversation.id}`;
      for (const person of [customer, agent, stranger]) await person.client.realtime.setAuth();

      const agentReceived: Received[] = [];
      const agentChannel = agent.client.channel(topic, { config: { private: true } })
        .on('broadcast', { event: 'typing' }, (m) => agentReceived.push(m as Received));
      await subscribe(agentChannel);
      const customerChannel = customer.client.channel(topic, { config: { private: true, broadcast: { ack: true } } });
      await subscribe(customerChannel);
      assert.equal(await customerChannel.send({ type: 'broadcast', event: 'typing', payload: { typing: true } }), 'ok');
      await waitFor(() => agentReceived.length === 1, 'the typing broadcast');

      const strangerChannel = stranger.client.channel(topic, { config: { private: true } });
      await assert.rejects(subscribe(strangerChannel), new RegExp(`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`));
      await stranger.client.removeAllChannels();

      // The public channel of the same name is another room.
      const publicReceived = await listener(stranger.client, topic);
      await customerChannel.send({ type: 'broadcast', event: 'typing', payload: { typing: false } });
      await waitFor(() => agentReceived.length === 2, 'the second typing broadcast');
      assert.deepEqual(publicReceived.received, []);

      // Nor can a stranger push into it over HTTP.
      const response = await fetch(`${stack.url}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { apikey: stack.stack.keys.anon, authorization: `Bearer ${(await stranger.client.auth.getSession()).data.session?.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ topic, event: 'typing', payload: { forged: true }, private: true }] }),
      });
      assert.equal(response.status, 202);
      await customerChannel.send({ type: 'broadcast', event: 'typing', payload: { last: true } });
      await waitFor(() => agentReceived.length === 3, 'the last broadcast');
      assert.ok(agentReceived.every((m) => !(m.payload as Record<string, unknown>).forged));
      for (const person of [customer, agent, stranger]) await person.client.removeAllChannels();
    });
  });
});

async function token(stack: TestStack, sub: string, lifetimeSeconds: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(stack.stack.keys.jwtSecret, { role: 'authenticated', sub, aud: 'authenticated', iat: now, exp: now + lifetimeSeconds });
}

function joinRef(channel: RealtimeChannel): string | undefined {
  return (channel as unknown as { joinPush: { ref?: string } }).joinPush?.ref
    ?? (channel as unknown as { channelAdapter: { joinRef(): string } }).channelAdapter?.joinRef?.();
}

async function rawSocket(url: string): Promise<{ ws: WebSocket; frames: (string | Buffer)[] }> {
  const ws = new WebSocket(url);
  const frames: (string | Buffer)[] = [];
  ws.on('message', (data, isBinary) => frames.push(isBinary ? (data as Buffer) : String(data)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames };
}

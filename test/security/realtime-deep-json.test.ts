// Deeply nested JSON at every realtime entry point: each WebSocket frame kind of both serializers
// and the HTTP broadcast endpoints. Hosted Realtime parses any depth (the BEAM does not overflow);
// Node's JSON.stringify and recursive walks do, so the stand-in refuses depth past 64 where the
// frame enters, answers the push with an error, and keeps the socket and its channels.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { waitFor } from '../helpers/wait.ts';
import { join, nested, openSocket, postRealtime, RawJson, userBroadcastPush } from './realtime-wire.ts';
import { survives } from './survival.ts';

/** Deep enough that JSON.stringify of the parsed value overflows the stack many times over. */
const DEPTH = 100_000;
const REFUSED = /^payload: JSON nested deeper than 64 levels$/;

describe('security: deeply nested JSON reaching realtime', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  it('is refused in join configs, presence, broadcasts (text and binary), access_token and heartbeats; the socket goes on', async () => {
    await survives(stack, async () => {
      const socket = await openSocket(stack, '2.0.0');
      const topic = 'realtime:deep-json';

      socket.push('1', '1', topic, 'phx_join', new RawJson(`{"config":{"postgres_changes":[{"event":"*","schema":"public","x":${nested(DEPTH).text}}]}}`));
      const refusedJoin = await socket.reply('1');
      assert.equal(refusedJoin.status, 'error');
      assert.match((refusedJoin.response as { reason: string }).reason, REFUSED);

      await join(socket, '2', topic, { broadcast: { ack: true, self: true }, presence: { key: 'visitor', enabled: true } });
      socket.push('2', '3', topic, 'presence', new RawJson(`{"type":"presence","event":"track","payload":{"name":${nested(DEPTH).text}}}`));
      socket.push('2', '4', topic, 'broadcast', new RawJson(`{"type":"broadcast","event":"typing","payload":${nested(DEPTH).text}}`));
      socket.ws.send(userBroadcastPush('2', '5', topic, 'typing', nested(DEPTH).text));
      socket.push('2', '6', topic, 'access_token', new RawJson(`{"access_token":${nested(DEPTH).text}}`));
      socket.push(null, '7', 'phoenix', 'heartbeat', nested(DEPTH));
      for (const ref of ['3', '4', '5', '6', '7']) {
        const reply = await socket.reply(ref);
        assert.equal(reply.status, 'error', `push ${ref} is refused`);
        assert.match((reply.response as { reason: string }).reason, REFUSED);
      }

      // The channel is unharmed: presence and broadcast work, and the refused pushes left nothing behind.
      socket.push('2', '8', topic, 'presence', { type: 'presence', event: 'track', payload: { name: 'fine' } });
      assert.deepEqual(await socket.reply('8'), { status: 'ok', response: {} });
      socket.ws.send(userBroadcastPush('2', '9', topic, 'typing', '{"deep":[[[1]]]}'));
      assert.deepEqual(await socket.reply('9'), { status: 'ok', response: {} });
      assert.deepEqual(socket.binaries.map((frame) => frame.subarray(5).toString()), [`${topic}typing{"deep":[[[1]]]}`]);

      // 1.0.0 sockets read objects; the same door applies.
      const v1 = await openSocket(stack, '1.0.0');
      v1.push('1', '1', topic, 'phx_join', new RawJson(`{"config":{},"access_token":${nested(DEPTH).text}}`));
      assert.match(((await v1.reply('1')).response as { reason: string }).reason, REFUSED);

      // A socket closing after all this must not take anything down with it.
      socket.ws.close();
      v1.ws.close();
      await Promise.all([socket.closed, v1.closed]);
    });
  });

  it('is refused by the HTTP broadcast endpoints with 400, naming the field', async () => {
    await survives(stack, async () => {
      const listener = await openSocket(stack, '2.0.0');
      await join(listener, '1', 'realtime:deep-http');
      const batch = await postRealtime(stack, '/api/broadcast',
        `{"messages":[{"topic":"deep-http","event":"e","payload":{"a":${nested(DEPTH).text}}}]}`);
      assert.equal(batch.status, 400);
      assert.match(((await batch.json()) as { message: string }).message, /^messages: JSON nested deeper than 67 levels$/);
      const single = await postRealtime(stack, '/api/broadcast/deep-http/events/e', nested(DEPTH).text);
      assert.equal(single.status, 400);
      assert.match(((await single.json()) as { message: string }).message, REFUSED);

      // Within the bound both endpoints deliver.
      const ok = await postRealtime(stack, '/api/broadcast/deep-http/events/e', JSON.stringify(nestedValue(60)));
      assert.equal(ok.status, 202);
      const okBatch = await postRealtime(stack, '/api/broadcast', JSON.stringify({ messages: [{ topic: 'deep-http', event: 'b', payload: { a: nestedValue(60) } }] }));
      assert.equal(okBatch.status, 202);
      await waitFor(() => listener.binaries.length + listener.messages.filter((m) => m[3] === 'broadcast').length === 2, 'both broadcasts');
      listener.ws.close();
      await listener.closed;
    });
  });
});

function nestedValue(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}


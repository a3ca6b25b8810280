// Realtime's size limits, answered as hosted Realtime answers them: a frame over the endpoint's
// max_frame_size (5,000,000 bytes) closes the socket with 1009; a broadcast or presence payload
// over max_payload_size_in_kb (3000, measured as × 1000 + 500 bytes) gets `payload_size_exceeded`,
// a "Track message size exceeded" shutdown, or 422 from the HTTP endpoints. Malformed frames are
// dropped without harming the socket.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { waitFor } from '../helpers/wait.ts';
import { decodeUserBroadcast, join, openSocket, postRealtime, userBroadcastPush } from './realtime-wire.ts';
import { survives } from './survival.ts';

const LIMIT = 3000 * 1000 + 500;

/** A JSON object whose text is exactly `bytes` long. */
function payloadOf(bytes: number): string {
  return JSON.stringify({ s: 'x'.repeat(bytes - 8) });
}

describe('security: realtime size limits', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  it('broadcasts and presence over the payload limit get hosted Realtime answers; at the limit they pass', async () => {
    await survives(stack, async () => {
      const topic = 'realtime:big';
      const listener = await openSocket(stack);
      await join(listener, '1', topic);
      const sender = await openSocket(stack);
      await join(sender, '1', topic, { broadcast: { ack: true } });

      sender.ws.send(userBroadcastPush('1', '2', topic, 'big', payloadOf(LIMIT + 1)));
      assert.deepEqual(await sender.reply('2', 15_000), { status: 'error', response: 'payload_size_exceeded' });
      sender.ws.send(userBroadcastPush('1', '3', topic, 'fits', payloadOf(LIMIT)));
      assert.deepEqual(await sender.reply('3', 15_000), { status: 'ok', response: {} });
      await waitFor(() => listener.binaries.length === 1, 'the broadcast at the limit', 15_000);
      assert.equal(decodeUserBroadcast(listener.binaries[0] as Buffer).event, 'fits', 'only the broadcast within the limit arrived');

      sender.push('1', '4', topic, 'presence', { type: 'presence', event: 'track', payload: { s: 'x'.repeat(LIMIT) } });
      await waitFor(() => sender.messages.some((m) => m[3] === 'phx_close'), 'the channel to be shut down', 15_000);
      const system = sender.messages.find((m) => m[3] === 'system');
      assert.deepEqual(system?.[4], { extension: 'system', status: 'error', message: 'Track message size exceeded', channel: 'big' });
      for (const socket of [listener, sender]) socket.ws.close();
    });
  });

  it('the HTTP broadcast endpoints answer 422 over the payload limit', async () => {
    await survives(stack, async () => {
      const single = await postRealtime(stack, '/api/broadcast/big/events/e', payloadOf(LIMIT + 1));
      assert.equal(single.status, 422);
      assert.deepEqual(await single.json(), { errors: { payload: ['Payload size exceeds tenant limit'] } });
      const batch = await postRealtime(stack, '/api/broadcast', JSON.stringify({
        messages: [{ topic: 'big', event: 'small', payload: {} }, { topic: 'big', event: 'e', payload: JSON.parse(payloadOf(LIMIT + 1)) as unknown }],
      }));
      assert.equal(batch.status, 422);
      assert.deepEqual(await batch.json(), { errors: { messages: [{}, { payload: ['Payload size exceeds tenant limit'] }] } });
    });
  });

  it('a socket joins at most 100 channels, and a channel takes at most 100 postgres_changes bindings', async () => {
    await survives(stack, async () => {
      const socket = await openSocket(stack);
      const binding = { event: 'INSERT', schema: 'public', table: 'messages' };
      socket.push('0', '0', 'realtime:bindings', 'phx_join', { config: { postgres_changes: Array.from({ length: 101 }, () => binding) } });
      assert.deepEqual(await socket.reply('0'), {
        status: 'error', response: { reason: 'TooManyBindings: At most 100 postgres_changes bindings per channel' },
      });

      for (let i = 1; i <= 100; i++) socket.push(`${i}`, `${i}`, `realtime:room:${i}`, 'phx_join', { config: {} });
      await socket.reply('100');
      assert.equal(socket.messages.filter((m) => m[3] === 'phx_reply' && m[4].status === 'ok').length, 100);
      socket.push('101', '101', 'realtime:room:101', 'phx_join', { config: {} });
      assert.deepEqual(await socket.reply('101'), { status: 'error', response: { reason: 'ChannelRateLimitReached: Too many channels' } });
      // Joining a joined topic again replaces that channel, so it is not one more.
      socket.push('102', '102', 'realtime:room:1', 'phx_join', { config: {} });
      assert.equal((await socket.reply('102')).status, 'ok');
      socket.ws.close();
      await socket.closed;
    });
  });

  it('malformed frames are dropped, extra elements ignored as Realtime does, and a frame over 5,000,000 bytes closes only its own socket with 1009', async () => {
    await survives(stack, async () => {
      const topic = 'realtime:garbage';
      const neighbour = await openSocket(stack);
      await join(neighbour, '1', topic);
      const socket = await openSocket(stack);
      await join(socket, '1', topic);
      const garbage: (string | Buffer)[] = [
        'not json', '[]', '["1","2"]', '[{},"2","t","e",{}]', '["1","2",7,"e",{}]', '{"topic":"t"}', '[1,2,"t","e",{}] trailing',
        Buffer.from([0, 1, 2, 3]), Buffer.from([1]), Buffer.from([2, 0, 0, 0, 0]), Buffer.from([5, 0, 0, 0, 0, 0, 1]),
        Buffer.from([3, 9, 9, 9, 9, 9, 1, 0x31]), Buffer.from([3, 0, 0, 0, 0, 0, 7]),
        userBroadcastPush('1', '9', topic, 'e', '{"broken":'),
        // A JSON payload that is not UTF-8.
        Buffer.concat([Buffer.from([3, 1, 1, Buffer.byteLength(topic), 1, 0, 1]), Buffer.from(`19${topic}e`), Buffer.from([0xff, 0xfe])]),
      ];
      for (const frame of garbage) socket.ws.send(frame);
      // Realtime's V2 serializer reads the first five elements and ignores the rest.
      socket.ws.send('[null,"10","phoenix","heartbeat",{},"extra"]');
      assert.deepEqual(await socket.reply('10'), { status: 'ok', response: {} }, 'the socket still answers');
      socket.ws.send(userBroadcastPush('1', '11', topic, 'fine', '{"ok":true}'));
      await waitFor(() => neighbour.binaries.length === 1, 'a broadcast after the garbage');
      assert.deepEqual(decodeUserBroadcast(neighbour.binaries[0] as Buffer), { topic, event: 'fine', payload: '{"ok":true}' });

      socket.ws.send(Buffer.alloc(5_000_001, 0x20));
      assert.equal(await socket.closed, 1009, 'a frame over 5,000,000 bytes closes the socket with 1009');
      neighbour.push(null, '2', 'phoenix', 'heartbeat', {});
      assert.deepEqual(await neighbour.reply('2'), { status: 'ok', response: {} }, 'the neighbour is unaffected');
      neighbour.ws.close();
    });
  });
});

// One client's pushes cannot crash the process or stop others' messages. Two paths that did:
// a presence payload the server could not encode, whose leave on disconnect threw inside the
// socket's 'close' event (an uncaught exception: the whole stack went down); and a broadcast whose
// event name does not fit a kind-4 frame, which threw at the first 2.0.0 receiver and left every
// later receiver, and the sender's ack, without it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { subscribe } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { waitFor } from '../helpers/wait.ts';
import { decodeUserBroadcast, join, nested, openSocket, postRealtime, RawJson } from './realtime-wire.ts';
import { survives } from './survival.ts';

describe('security: one realtime client cannot crash or wedge the others', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  it('a presence payload that cannot be encoded, then a disconnect, leaves the process and the topic serving', async () => {
    await survives(stack, async () => {
      const topic = 'realtime:lobby';
      const bystander = await openSocket(stack);
      await join(bystander, '1', topic, { presence: { key: 'bystander', enabled: true } });
      const attacker = await openSocket(stack);
      await join(attacker, '1', topic, { presence: { key: 'attacker', enabled: true } });
      attacker.push('1', '2', topic, 'presence', new RawJson(`{"type":"presence","event":"track","payload":{"x":${nested(20_000).text}}}`));
      // Pushes are handled in order: once a later join is answered, the track was handled too.
      attacker.push('3', '3', 'realtime:elsewhere', 'phx_join', { config: {} });
      await attacker.reply('3');
      attacker.ws.close();
      await attacker.closed;
      assert.equal((await attacker.reply('2')).status, 'error', 'the unencodable track was refused');

      // The topic still works for everyone: a newcomer joins, tracks and is seen by the bystander.
      const newcomer = await openSocket(stack);
      await join(newcomer, '1', topic, { presence: { key: 'newcomer', enabled: true } });
      newcomer.push('1', '2', topic, 'presence', { type: 'presence', event: 'track', payload: { name: 'newcomer' } });
      assert.equal((await newcomer.reply('2')).status, 'ok');
      await waitFor(() => bystander.messages.some((m) => m[3] === 'presence_diff' && 'newcomer' in (m[4].joins as object)), 'the newcomer in presence');
      for (const socket of [bystander, newcomer]) socket.ws.close();
    });
  });

  it('a broadcast whose event or topic is too long for a binary frame reaches every receiver, and its sender gets the ack', async () => {
    await survives(stack, async () => {
      const name = 'long-event';
      const topic = `realtime:${name}`;
      const event = 'é'.repeat(200); // 400 bytes: kind 4 has one length byte
      const v2 = await openSocket(stack, '2.0.0');
      const v1 = await openSocket(stack, '1.0.0');
      await join(v2, '1', topic);
      await join(v1, '1', topic);
      const client = stack.client();
      const heard: { event: string; payload: unknown }[] = [];
      const channel: RealtimeChannel = client.channel(name)
        .on('broadcast', { event: '*' }, (message) => heard.push({ event: message.event, payload: message.payload as unknown }));
      await subscribe(channel);
      const sender = await openSocket(stack, '2.0.0');
      await join(sender, '1', topic, { broadcast: { ack: true, self: true } });

      sender.push('1', '2', topic, 'broadcast', { type: 'broadcast', event, payload: { n: 1 } });
      assert.deepEqual(await sender.reply('2'), { status: 'ok', response: {} });
      const heardAsText = (socket: typeof v2) => socket.messages.filter((m) => m[3] === 'broadcast').map((m) => [m[4].event, m[4].payload]);
      await waitFor(() => heard.length === 1 && heardAsText(v2).length === 1 && heardAsText(v1).length === 1 && heardAsText(sender).length === 1,
        'the broadcast at every receiver');
      for (const socket of [v2, v1, sender]) assert.deepEqual(heardAsText(socket), [[event, { n: 1 }]]);
      assert.deepEqual(heard.map((m) => [m.event, m.payload]), [[event, { n: 1 }]]);

      // The same through HTTP (was a 500 after a partial fan-out).
      const http = await postRealtime(stack, `/api/broadcast/${name}/events/${encodeURIComponent(event)}`, '{"n":2}');
      assert.equal(http.status, 202);
      await waitFor(() => heard.length === 2 && heardAsText(v2).length === 2, 'the HTTP broadcast');

      // A topic too long for a binary frame: its 2.0.0 members get broadcasts as text, short events included.
      const longTopic = `realtime:${'t'.repeat(300)}`;
      const member = await openSocket(stack, '2.0.0');
      await join(member, '1', longTopic);
      const talker = await openSocket(stack, '2.0.0');
      await join(talker, '1', longTopic, { broadcast: { ack: true } });
      talker.push('1', '3', longTopic, 'broadcast', { type: 'broadcast', event: 'hi', payload: { n: 3 } });
      assert.deepEqual(await talker.reply('3'), { status: 'ok', response: {} });
      await waitFor(() => heardAsText(member).length === 1, 'the broadcast on the long topic');
      assert.deepEqual(heardAsText(member), [['hi', { n: 3 }]]);
      assert.deepEqual(sender.binaries.map((frame) => decodeUserBroadcast(frame).event), [], 'nothing was sent as a broken binary frame');

      await client.removeChannel(channel);
      for (const socket of [v2, v1, sender, member, talker]) socket.ws.close();
    });
  });
});

// Collision (20261220000102_team_presence_topic.sql): agents share who has a conversation open on
// the presence-only topic `parley:team-presence:<id>`. Another agent sees it; the conversation's own
// customer can neither join that topic nor hear it on the channel they do join; nobody can
// broadcast on it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { subscribe } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

const topic = (id: string): string => `parley:team-presence:${id}`;

async function join(person: Person, name: string, presenceKey = crypto.randomUUID()): Promise<RealtimeChannel> {
  await person.client.realtime.setAuth();
  const channel = person.client.channel(name, { config: { private: true, presence: { key: presenceKey } } })
    .on('presence', { event: 'sync' }, () => undefined);
  await subscribe(channel, 15_000);
  return channel;
}

function tracked(channel: RealtimeChannel): unknown[] {
  return Object.values(channel.presenceState()).flat().map((meta) => {
    const { presence_ref: _ref, ...rest } = meta as Record<string, unknown>;
    return rest;
  });
}

describe('collision presence on the agents-only topic', () => {
  let stack: TestStack;
  let sam: Person;
  let jordan: Person;
  let customer: Person;
  let conversation: string;

  before(async () => {
    stack = await startTestStack();
    [sam, jordan, customer] = await Promise.all([signInAgent(stack), signInAgent(stack, SEED.jordan), signInVisitor(stack)]);
    conversation = (await startConversation(customer, { p_subject: 'Collision' })).id;
  });
  after(() => stack.close());

  it('shows one agent\'s viewing and composing to another agent, never to the customer', async () => {
    // The customer listens where they may: their conversation's channel, presence included.
    await customer.client.realtime.setAuth();
    const heardByCustomer: unknown[] = [];
    const customerChannel = customer.client.channel(`conversation:${conversation}`, { config: { private: true } })
      .on('presence', { event: 'sync' }, () => heardByCustomer.push(customer.client.getChannels().length))
      .on('presence', { event: 'join' }, (payload) => heardByCustomer.push(payload));
    await subscribe(customerChannel, 15_000);

    const samChannel = await join(sam, topic(conversation));
    const jordanChannel = await join(jordan, topic(conversation));
    assert.equal(await samChannel.track({ user_id: sam.id, composing: null }), 'ok');
    await waitFor(() => tracked(jordanChannel).length === 1, 'Jordan sees Sam');
    assert.deepEqual(tracked(jordanChannel), [{ user_id: sam.id, composing: null }]);
    assert.equal(await samChannel.track({ user_id: sam.id, composing: 'note' }), 'ok');
    await waitFor(() => JSON.stringify(tracked(jordanChannel)).includes('"note"'), 'Jordan sees Sam writing a note');

    // The customer's channel got its own (empty) presence state at most, never Sam's meta.
    assert.ok(!JSON.stringify(heardByCustomer).includes(sam.id));
    assert.deepEqual(tracked(customerChannel), []);

    await sam.client.removeChannel(samChannel);
    await waitFor(() => tracked(jordanChannel).length === 0, 'Sam left');
    await jordan.client.removeChannel(jordanChannel);
    await customer.client.removeChannel(customerChannel);
  });

  it('refuses the customer a join, and everyone a broadcast, on the topic', async () => {
    await customer.client.realtime.setAuth();
    const refused = customer.client.channel(topic(conversation), { config: { private: true, presence: { key: 'x' } } })
      .on('presence', { event: 'sync' }, () => undefined);
    await assert.rejects(subscribe(refused, 15_000), /permissions to read/);
    await customer.client.removeChannel(refused);

    await sam.client.realtime.setAuth();
    const channel = sam.client.channel(topic(conversation), { config: { private: true, broadcast: { ack: true }, presence: { key: 'k' } } })
      .on('presence', { event: 'sync' }, () => undefined);
    await subscribe(channel, 15_000);
    const sent = await channel.send({ type: 'broadcast', event: 'forged', payload: { x: 1 } });
    assert.notEqual(sent, 'ok', 'broadcast is not allowed on a presence-only topic');
    await sam.client.removeChannel(channel);
  });

  it('admits lower-case conversation ids only, and agents only, by policy', async () => {
    const { rows } = await stack.db.query<{ ok: boolean }>(`
      select private.can_use_team_presence_topic(t) as ok from unnest($1::text[]) t`,
    [[topic(conversation.toUpperCase()), `parley:team-presence:not-a-uuid`, `conversation:${conversation}`]]);
    assert.deepEqual(rows.map((r) => r.ok), [false, false, false]);
  });
});

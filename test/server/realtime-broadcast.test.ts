// Scale mode (issue 12): chat changes as Broadcast from Database on private topics authorized by
// RLS on realtime.messages (20261215000001_broadcast_changes.sql). Who may join a topic reads every
// row sent to it, as the tables' RLS decides: a customer joins only their own thread and list
// topics and never receives a note, another conversation's messages or another customer's rows;
// agents get everything; nobody but the triggers writes to the topics. Payloads carry the rows the
// widget parses (src/data/rows.ts), dense in each audience's numbering. "Nothing arrived" is
// asserted once a later change for the same socket arrived: frames reach a socket in commit order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { messageFor } from '../../src/data/audience.ts';
import { parseConversationRow, parseMessageRow, parseReadMarkerRow } from '../../src/data/rows.ts';
import { subscribe } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

type Row = Record<string, unknown>;

interface Heard {
  readonly event: string;
  readonly table: unknown;
  readonly record: Row;
}

interface Listener {
  readonly channel: RealtimeChannel;
  readonly heard: Heard[];
  close(): Promise<unknown>;
}

/** Joins a private topic as `person` and records every broadcast on it. */
async function listen(person: Person, topic: string): Promise<Listener> {
  await person.client.realtime.setAuth();
  const heard: Heard[] = [];
  const channel = person.client.channel(topic, { config: { private: true } })
    .on('broadcast', { event: '*' }, ({ event, payload }: { event: string; payload: { table?: unknown; record?: Row } }) => {
      heard.push({ event, table: payload.table, record: payload.record ?? {} });
    });
  await subscribe(channel, 15_000);
  return { channel, heard, close: () => person.client.removeChannel(channel) };
}

const contents = (listener: Listener): unknown[] => listener.heard.map((h) => h.record.content);

/** The join's error text, or null when the join succeeded. */
async function refusal(person: Person, topic: string): Promise<string | null> {
  await person.client.realtime.setAuth();
  const channel = person.client.channel(topic, { config: { private: true } });
  try {
    await subscribe(channel, 15_000);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await person.client.removeChannel(channel);
  }
}

async function note(agent: Person, conversationId: string, content: string): Promise<void> {
  const { error } = await agent.client.rpc('insert_message', {
    p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: content, p_visibility: 'internal',
  });
  assert.equal(error, null, `note failed: ${error?.message}`);
}

describe('realtime: chat changes as database broadcasts on private topics', () => {
  let stack: TestStack;
  let customer: Person;
  let stranger: Person;
  let agent: Person;
  let mine: string;
  let theirs: string;

  before(async () => {
    stack = await startTestStack();
    [customer, stranger, agent] = await Promise.all([signInVisitor(stack), signInVisitor(stack), signInAgent(stack)]);
    mine = (await startConversation(customer, { p_subject: 'Broadcast' })).id;
    theirs = (await startConversation(stranger, { p_subject: 'Someone else' })).id;
  });
  after(() => stack.close());

  it('lets a customer join only their own thread and list topics, an agent every topic, and no client write to any', async () => {
    for (const topic of [`parley:thread:${mine}`, `parley:customer:${customer.id}`]) {
      assert.equal(await refusal(customer, topic), null, `the customer joins ${topic}`);
    }
    for (const topic of [
      `parley:thread:${theirs}`, `parley:customer:${stranger.id}`, `parley:team-thread:${mine}`, 'parley:inbox',
      `parley:thread:${mine.toUpperCase()}`, `parley:thread:${SEED.customer.conversations[0]}`, 'parley:thread:',
    ]) {
      assert.match(await refusal(customer, topic) ?? 'joined', /Unauthorized/, `the customer is refused ${topic}`);
    }
    for (const topic of [`parley:thread:${mine}`, `parley:team-thread:${mine}`, `parley:customer:${customer.id}`, 'parley:inbox']) {
      assert.equal(await refusal(agent, topic), null, `the agent joins ${topic}`);
    }

    // Nobody but the triggers writes to the topics, so nobody can forge a message into a thread.
    for (const topic of [`parley:thread:${mine}`, `parley:customer:${customer.id}`]) {
      const db = await stack.db.connect();
      try {
        await db.query('begin');
        await db.query(`select set_config('request.jwt.claims', $1, true)`,
          [JSON.stringify({ sub: customer.id, role: 'authenticated' })]);
        await db.query('set local role authenticated');
        await db.query(`select realtime.send('{"record":{"content":"forged"}}', 'messages', $1, true)`, [topic]);
        await db.query('reset role');
        const { rows } = await db.query<{ count: number }>('select count(*)::int as count from realtime.messages where topic = $1 and payload @> $2',
          [topic, '{"record":{"content":"forged"}}']);
        assert.equal(rows[0]?.count, 0, `nothing stored on ${topic}`);
      } finally {
        await db.query('rollback');
        db.release();
      }
    }
    // Over HTTP, as a client's send() falls back to when not joined: refused for lack of write permission.
    const channel = customer.client.channel(`parley:thread:${mine}`, { config: { private: true } });
    await assert.rejects(channel.httpSend('messages', { record: { content: 'forged' } }), /permission/i);
    await customer.client.removeChannel(channel);
  });

  it('sends public messages to the customer in their numbering, and notes and team lines to agents only', async () => {
    const thread = await listen(customer, `parley:thread:${mine}`);
    const list = await listen(customer, `parley:customer:${customer.id}`);
    const team = await listen(agent, `parley:team-thread:${mine}`);
    const inbox = await listen(agent, 'parley:inbox');
    const strangerThread = await listen(stranger, `parley:thread:${theirs}`);
    const strangerList = await listen(stranger, `parley:customer:${stranger.id}`);

    await send(customer, mine, 'Where is my order?');
    await note(agent, mine, 'Courier depot is closed today');
    await send(agent, mine, 'Checking with the courier');
    // Assigning adds an internal line (to a colleague) and a public one (who joined).
    const assigned = await agent.client.rpc('assign_conversation', { p_conversation_id: mine, p_agent_id: SEED.jordan.id });
    assert.equal(assigned.error, null);
    await agent.client.rpc('set_conversation_status', { p_conversation_id: mine, p_status: 'pending' });
    await waitFor(() => team.heard.length >= 6 && thread.heard.length >= 3
      && list.heard.some((h) => h.record.status === 'pending') && inbox.heard.some((h) => h.record.status === 'pending'), 'the broadcasts');
    // The stranger's own next message comes after anything of this conversation that could have leaked.
    await send(stranger, theirs, 'Me again');
    await waitFor(() => contents(strangerThread).includes('Me again'), "the stranger's own message");

    // Every payload is a row the widget parses, and the customer's thread holds only public ones.
    const customerRows = thread.heard.map((h) => parseMessageRow(h.record));
    assert.ok(customerRows.every((row) => row !== null), 'every message parses');
    assert.deepEqual(customerRows.map((row) => [row?.visibility, row?.public_seq]),
      [['public', 1], ['public', 2], ['public', 3]], 'public messages, dense in public_seq');
    assert.deepEqual(customerRows.map((row) => row && messageFor('customer', row)?.content),
      ['Where is my order?', 'Checking with the courier', 'Jordan Blake joined the conversation']);
    assert.ok(thread.heard.every((h) => h.event === 'messages' && h.table === 'messages'));

    const teamRows = team.heard.map((h) => parseMessageRow(h.record));
    assert.deepEqual(teamRows.map((row) => row?.seq), [1, 2, 3, 4, 5, 6], 'every message, dense in seq');
    assert.deepEqual(teamRows.map((row) => row?.visibility), ['public', 'internal', 'public', 'internal', 'public', 'internal']);

    // No payload the customer can hear carries the note, not even as a conversation's preview.
    assert.ok(![...thread.heard, ...list.heard].some((h) => JSON.stringify(h.record).includes('Courier depot')), 'the note reached a customer topic');

    // What REST gives the customer is what realtime gave them.
    const { data: rest } = await customer.client.from('messages').select('*').eq('conversation_id', mine).order('seq');
    assert.deepEqual(customerRows.map((row) => row?.id), (rest ?? []).map((row: Row) => row.id));

    // The list topics: conversation rows and read markers of the customer's own conversation only.
    assert.ok(list.heard.length > 0);
    for (const { table, record } of list.heard) {
      if (table === 'conversations') {
        assert.ok(parseConversationRow(record), 'a conversation row parses');
        assert.equal(record.id, mine);
      } else {
        assert.equal(table, 'conversation_reads');
        assert.ok(parseReadMarkerRow(record), 'a read marker parses');
        assert.equal(record.conversation_id, mine);
      }
    }
    assert.ok(list.heard.some((h) => h.table === 'conversations' && h.record.status === 'pending'), 'the status change');
    assert.ok(list.heard.some((h) => h.table === 'conversation_reads' && h.record.user_id === agent.id), "the agent's read marker");
    assert.ok(inbox.heard.some((h) => h.table === 'conversations' && h.record.id === mine && h.record.status === 'pending'));
    assert.ok(inbox.heard.some((h) => h.table === 'conversation_reads' && h.record.user_id === customer.id));

    // The other customer heard nothing of it: only their own message and its rows.
    assert.deepEqual(contents(strangerThread), ['Me again']);
    assert.ok(strangerList.heard.every((h) => (h.record.id ?? h.record.conversation_id) === theirs));
    assert.equal(team.heard.length, 6, 'nothing of the other conversation on this team thread');

    for (const listener of [thread, list, strangerThread, strangerList, team, inbox]) await listener.close();
  });

  it('gives a customer subscribed to their own topics nothing of another conversation or customer', async () => {
    const thread = await listen(customer, `parley:thread:${mine}`);
    const list = await listen(customer, `parley:customer:${customer.id}`);
    await send(stranger, theirs, 'A private matter');
    await send(agent, theirs, 'Answered privately');
    await note(agent, theirs, 'Internal about the stranger');
    // The customer's own next message comes after anything of the other conversation that could have leaked.
    await send(customer, mine, 'Still here');
    await waitFor(() => contents(thread).includes('Still here') && list.heard.some((h) => h.table === 'conversation_reads'), 'my own message');
    assert.deepEqual(contents(thread), ['Still here']);
    assert.ok(list.heard.every((h) => (h.record.id ?? h.record.conversation_id) === mine));
    await thread.close();
    await list.close();
  });

  it('stops while a project turns it off: no rows in realtime.messages, and every topic refuses its join', async () => {
    const stored = async (): Promise<number> => (await stack.db.query<{ n: number }>(
      `select count(*)::int as n from realtime.messages where topic like 'parley:%'`)).rows[0]?.n ?? 0;
    await stack.db.query('select private.set_broadcast_changes(false)');
    try {
      const before = await stored();
      await send(customer, mine, 'While broadcasts are off');
      await agent.client.rpc('mark_read', { p_conversation_id: mine, p_seq: 1000 });
      assert.equal(await stored(), before, 'nothing was broadcast');
      assert.match(await refusal(customer, `parley:thread:${mine}`) ?? 'joined', /Unauthorized/);
      assert.match(await refusal(agent, 'parley:inbox') ?? 'joined', /Unauthorized/);
    } finally {
      await stack.db.query('select private.set_broadcast_changes(true)');
    }
    const thread = await listen(customer, `parley:thread:${mine}`);
    await send(customer, mine, 'Broadcasts are back');
    await waitFor(() => contents(thread).includes('Broadcasts are back'), 'the broadcast once turned on again');
    await thread.close();
  });
});

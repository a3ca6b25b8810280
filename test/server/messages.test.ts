// The message contract: dense per-conversation seq in commit order, idempotent sends, system
// messages for status and assignment (public or internal), and bad input refused with nothing changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { conversationFor, messageFor } from '../../src/data/audience.ts';
import type { Audience, ConversationRow, MessageRow } from '../../src/data/types.ts';
import { withMessage } from '../../src/state/row-with-message.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import {
  SEED, send, signInAgent, signInVisitor, snapshot, startConversation,
  type Conversation, type Message, type Person,
} from '../helpers/users.ts';

describe('messages', () => {
  let stack: TestStack;
  let visitor: Person;
  let agent: Person;
  let conversation: Conversation;

  before(async () => {
    stack = await startTestStack();
    [visitor, agent] = await Promise.all([signInVisitor(stack), signInAgent(stack)]);
    conversation = await startConversation(visitor, { p_subject: 'Help' });
  });
  after(() => stack.close());

  it('a retried insert_message returns the stored row and seq', async () => {
    const id = crypto.randomUUID();
    const first = await send(visitor, conversation.id, 'Hello?', id);
    const retried = await send(visitor, conversation.id, 'Hello?', id);
    assert.deepEqual(retried, first);
    const { rows } = await stack.db.query(
      'select count(*)::int as n, (select last_seq from public.conversations where id = $2)::int as last_seq from public.messages where id = $1',
      [id, conversation.id]);
    assert.deepEqual(rows[0], { n: 1, last_seq: first.seq });

    const reused = await visitor.client.rpc('insert_message', { p_id: id, p_conversation_id: conversation.id, p_content: 'Different' });
    assert.equal(reused.status, 409);
    assert.equal(reused.error?.details, 'id_conflict');
  });

  it('50 concurrent inserts, each also retried, give seq 1..50 with no gap and no duplicate', async () => {
    const fresh = await startConversation(visitor);
    const ids = Array.from({ length: 50 }, () => crypto.randomUUID());
    const attempts = [...ids, ...ids].map((id, index) =>
      visitor.client.rpc('insert_message', { p_id: id, p_conversation_id: fresh.id, p_content: `message ${index % 50}` }));
    const results = await Promise.all(attempts);
    for (const { error } of results) assert.equal(error, null);

    const seqById = new Map<string, number>();
    for (const { data } of results) {
      const message = data as Message;
      const known = seqById.get(message.id);
      if (known !== undefined) assert.equal(message.seq, known, 'a retry must return the same seq');
      seqById.set(message.id, message.seq);
    }
    assert.deepEqual([...seqById.values()].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));

    const { rows } = await stack.db.query<{ seq: number }>(
      'select seq::int from public.messages where conversation_id = $1 order by seq', [fresh.id]);
    assert.deepEqual(rows.map((row) => row.seq), Array.from({ length: 50 }, (_, i) => i + 1));
    const stored = await stack.db.query('select last_seq::int from public.conversations where id = $1', [fresh.id]);
    assert.equal(stored.rows[0].last_seq, 50);
  });

  it('seq order is commit order: created_at never decreases along seq', async () => {
    const fresh = await startConversation(visitor);
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? visitor : agent, fresh.id, `m${i}`)));
    const { rows } = await stack.db.query<{ created_at: Date }>(
      'select created_at from public.messages where conversation_id = $1 order by seq', [fresh.id]);
    const times = rows.map((row) => row.created_at.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  it('status changes and assignments add system messages; repeating them adds none', async () => {
    const fresh = await startConversation(visitor);
    await send(visitor, fresh.id, 'Hi');
    const changed = await agent.client.rpc('set_conversation_status', { p_conversation_id: fresh.id, p_status: 'pending' });
    assert.equal(changed.data.status, 'pending');
    await agent.client.rpc('set_conversation_status', { p_conversation_id: fresh.id, p_status: 'pending' });
    const assigned = await agent.client.rpc('assign_conversation', { p_conversation_id: fresh.id, p_agent_id: SEED.jordan.id });
    assert.equal(assigned.data.assigned_agent_id, SEED.jordan.id);
    await agent.client.rpc('assign_conversation', { p_conversation_id: fresh.id, p_agent_id: null });

    // The team reads every line; assignment and open/pending lines are internal workflow.
    const team = await agent.client.from('messages').select('seq, public_seq, visibility, sender_type, content, metadata')
      .eq('conversation_id', fresh.id).order('seq');
    assert.deepEqual(team.data?.map((m) => [m.seq, m.public_seq, m.visibility, m.sender_type, m.content]), [
      [1, 1, 'public', 'customer', 'Hi'],
      [2, null, 'internal', 'system', 'Sam Rivera marked the conversation as pending'],
      [3, null, 'internal', 'system', 'Sam Rivera assigned the conversation to Jordan Blake'],
      [4, 2, 'public', 'system', 'Jordan Blake joined the conversation'],
      [5, null, 'internal', 'system', 'Sam Rivera unassigned the conversation'],
    ]);
    assert.deepEqual(team.data?.[1]?.metadata, { event: 'status_changed', from: 'open', to: 'pending', by: SEED.agent.id });
    assert.deepEqual(team.data?.[3]?.metadata, { event: 'joined', agent: SEED.jordan.id });
    // The customer reads what concerns them, numbered without gaps.
    const customer = await visitor.client.from('messages').select('public_seq, sender_type, content')
      .eq('conversation_id', fresh.id).order('seq');
    assert.deepEqual(customer.data?.map((m) => [m.public_seq, m.sender_type, m.content]), [
      [1, 'customer', 'Hi'],
      [2, 'system', 'Jordan Blake joined the conversation'],
    ]);

    // A customer replying to a pending conversation reopens it, and tells the team (only).
    await send(visitor, fresh.id, 'Here is the info');
    const reopened = await agent.client.from('conversations').select('status, last_seq, last_public_seq').eq('id', fresh.id).single();
    assert.deepEqual(reopened.data, { status: 'open', last_seq: 7, last_public_seq: 3 });
    const line = await agent.client.from('messages').select('visibility, content').eq('conversation_id', fresh.id).eq('seq', 7).single();
    assert.deepEqual(line.data, { visibility: 'internal', content: 'The customer replied; the conversation is open again' });

    // Resolved and closed concern the customer.
    await agent.client.rpc('set_conversation_status', { p_conversation_id: fresh.id, p_status: 'resolved' });
    const resolved = await visitor.client.from('messages').select('public_seq, content').eq('conversation_id', fresh.id)
      .order('seq', { ascending: false }).limit(1).single();
    assert.deepEqual(resolved.data, { public_seq: 4, content: 'Sam Rivera marked the conversation as resolved' });
  });

  it('taking an unassigned conversation is said once, in public; taking it from a colleague is also noted for the team', async () => {
    const fresh = await startConversation(visitor);
    await send(visitor, fresh.id, 'Hello?');
    await agent.client.rpc('assign_conversation', { p_conversation_id: fresh.id, p_agent_id: SEED.agent.id });
    const jordan = await signInAgent(stack, SEED.jordan);
    await jordan.client.rpc('assign_conversation', { p_conversation_id: fresh.id, p_agent_id: SEED.jordan.id });
    const { data } = await agent.client.from('messages').select('seq, visibility, content')
      .eq('conversation_id', fresh.id).order('seq');
    assert.deepEqual(data?.map((m) => [m.seq, m.visibility, m.content]), [
      [1, 'public', 'Hello?'],
      [2, 'public', 'Sam Rivera joined the conversation'],
      [3, 'internal', 'Jordan Blake took the conversation'],
      [4, 'public', 'Jordan Blake joined the conversation'],
    ]);
  });

  it('a closed conversation refuses new customer messages', async () => {
    const fresh = await startConversation(visitor);
    await agent.client.rpc('set_conversation_status', { p_conversation_id: fresh.id, p_status: 'closed' });
    const before = await snapshot(stack);
    const { status, error } = await visitor.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: fresh.id, p_content: 'Anyone?',
    });
    assert.equal(status, 409);
    assert.equal(error?.details, 'conversation_closed');
    assert.deepEqual(await snapshot(stack), before);
  });

  it('mark_read never moves backwards nor past the last message', async () => {
    const fresh = await startConversation(visitor);
    await send(visitor, fresh.id, 'one');
    await send(visitor, fresh.id, 'two');
    const far = await agent.client.rpc('mark_read', { p_conversation_id: fresh.id, p_seq: 99 });
    assert.equal(far.data.last_read_seq, 2);
    const back = await agent.client.rpc('mark_read', { p_conversation_id: fresh.id, p_seq: 1 });
    assert.equal(back.data.last_read_seq, 2);
  });

  it("the widget's guess at a conversation after a message (withMessage) is the row the transaction writes", async () => {
    const fresh = await startConversation(visitor);
    const rowAs = async (audience: Audience, person: Person) => {
      const { data, error } = await person.client.from('conversations').select('*').eq('id', fresh.id).single();
      assert.equal(error, null);
      return conversationFor(audience, data as ConversationRow);
    };
    const contents: [Person, string][] = [
      [visitor, 'Where is my parcel?'], [agent, '  Let me\n\ncheck\t that  '], [visitor, '\n\u00a0two\u2003spaces\r\n'],
      [agent, `${'😀'.repeat(150)} and more than 160 characters in all`], [visitor, 'x'.repeat(4000)],
    ];
    for (const [person, content] of contents) {
      for (const [audience, reader] of [['team', agent], ['customer', visitor]] as const) {
        const before = await rowAs(audience, reader);
        const sent = await person.client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: fresh.id, p_content: content });
        assert.equal(sent.error, null);
        const message = messageFor(audience, sent.data as MessageRow);
        assert.ok(message);
        const guessed = withMessage({ [fresh.id]: { ...before, customer: null } }, message, audience)[fresh.id];
        assert.deepEqual(guessed, { ...(await rowAs(audience, reader)), customer: null }, `${audience} after ${JSON.stringify(content.slice(0, 20))}`);
      }
    }
  });

  describe('bad input gets a clear error and changes nothing', () => {
    const cases: [string, () => Record<string, unknown>, number, string][] = [
      ['empty content', () => ({ p_content: '' }), 400, 'content_empty'],
      ['whitespace-only content', () => ({ p_content: ' \n\t ' }), 400, 'content_empty'],
      ['4,001-character content', () => ({ p_content: 'x'.repeat(4001) }), 400, 'content_too_long'],
      ['unknown conversation', () => ({ p_conversation_id: crypto.randomUUID() }), 404, 'conversation_not_found'],
      ['missing id', () => ({ p_id: null }), 400, 'id_required'],
      ['metadata that is not an object', () => ({ p_metadata: [1, 2] }), 400, 'metadata_invalid'],
    ];
    for (const [name, override, status, reason] of cases) {
      it(name, async () => {
        const before = await snapshot(stack);
        const result = await visitor.client.rpc('insert_message', {
          p_id: crypto.randomUUID(), p_conversation_id: conversation.id, p_content: 'ok', ...override(),
        });
        assert.equal(result.status, status);
        assert.equal(result.error?.details, reason);
        assert.ok(result.error?.message && !/exception|sql/i.test(result.error.message), result.error?.message);
        assert.deepEqual(await snapshot(stack), before);
      });
    }

    it('4,000 characters is still fine', async () => {
      const message = await send(visitor, conversation.id, 'y'.repeat(4000));
      assert.equal(message.content.length, 4000);
    });

    it('malformed uuids', async () => {
      const before = await snapshot(stack);
      const bad = await visitor.client.rpc('insert_message', { p_id: 'not-a-uuid', p_conversation_id: conversation.id, p_content: 'x' });
      assert.equal(bad.status, 400);
      assert.equal(bad.error?.code, '22P02');
      const badConversation = await visitor.client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: '1 or 1=1', p_content: 'x' });
      assert.equal(badConversation.error?.code, '22P02');
      const read = await visitor.client.from('messages').select('*').eq('conversation_id', 'nope');
      assert.equal(read.error?.code, '22P02');
      assert.deepEqual(await snapshot(stack), before);
    });

    it('unknown status, assignee and search filters', async () => {
      const before = await snapshot(stack);
      const status = await agent.client.rpc('set_conversation_status', { p_conversation_id: conversation.id, p_status: 'archived' });
      assert.equal(status.error?.details, 'status_invalid');
      const assignee = await agent.client.rpc('assign_conversation', { p_conversation_id: conversation.id, p_agent_id: visitor.id });
      assert.equal(assignee.error?.details, 'agent_unknown');
      const filter = await agent.client.rpc('search_conversations', { p_assignment: 'everyone' });
      assert.equal(filter.error?.details, 'assignment_invalid');
      const name = await visitor.client.rpc('start_conversation', { p_email: 'not an email' });
      assert.equal(name.error?.details, 'email_invalid');
      assert.deepEqual(await snapshot(stack), before);
    });
  });

  describe('search_conversations', () => {
    it('finds by customer name, email, subject and message text, as prefixes', async () => {
      const search = async (query: string) => {
        const { data, error } = await agent.client.rpc('search_conversations', { p_query: query, p_limit: 100 });
        assert.equal(error, null);
        return (data as Conversation[]).map((c) => c.id);
      };
      assert.ok((await search('priya')).includes(SEED.customer.conversations[0]));
      assert.ok((await search('priya.natarajan@example.com')).includes(SEED.customer.conversations[0]));
      assert.deepEqual(await search('blurr'), ['00000000-0000-4000-c000-000000000003']);
      assert.deepEqual(await search('Lindenstraße'), ['00000000-0000-4000-c000-000000000004']);
      assert.deepEqual(await search('calendar'), ['00000000-0000-4000-c000-000000000023']);
      assert.deepEqual(await search('zebra quantum'), []);
      assert.deepEqual(await search(`'); drop table messages; --`), []);
    });

    it('pages by keyset without skipping or repeating', async () => {
      const all = await agent.client.rpc('search_conversations', { p_limit: 100 });
      const ids: string[] = [];
      let cursor: { p_before_at?: string; p_before_id?: string } = {};
      for (;;) {
        const { data } = await agent.client.rpc('search_conversations', { p_limit: 7, ...cursor });
        const page = data as (Conversation & { last_message_at: string })[];
        if (page.length === 0) break;
        ids.push(...page.map((c) => c.id));
        const last = page[page.length - 1];
        assert.ok(last);
        cursor = { p_before_at: last.last_message_at, p_before_id: last.id };
      }
      assert.deepEqual(ids, (all.data as Conversation[]).map((c) => c.id));
    });

    it('filters by status and assignment', async () => {
      const { data } = await agent.client.rpc('search_conversations', { p_statuses: ['closed'], p_limit: 100 });
      assert.ok((data as Conversation[]).length >= 4);
      assert.ok((data as Conversation[]).every((c) => c.status === 'closed'));
      const mine = await agent.client.rpc('search_conversations', { p_assignment: 'mine', p_limit: 100 });
      assert.ok((mine.data as Conversation[]).length > 0);
      assert.ok((mine.data as Conversation[]).every((c) => c.assigned_agent_id === agent.id));
      const unassigned = await agent.client.rpc('search_conversations', { p_assignment: 'unassigned', p_limit: 100 });
      assert.ok((unassigned.data as Conversation[]).every((c) => c.assigned_agent_id === null));
    });
  });
});

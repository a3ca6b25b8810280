// Row-level security matrix: through every table route and RPC, a customer reaches only their own
// conversations, anon reaches nothing, agents see everything, and the service role bypasses RLS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import {
  SEED, send, signInAgent, signInVisitor, snapshot, startConversation,
  type Conversation, type Person,
} from '../helpers/users.ts';

const CHAT_TABLES = ['conversations', 'messages', 'customers', 'conversation_reads'] as const;

describe('row-level security', () => {
  let stack: TestStack;
  let alice: Person;
  let bob: Person;
  let agent: Person;
  let aliceConversation: Conversation;
  let bobConversation: Conversation;

  before(async () => {
    stack = await startTestStack();
    [alice, bob, agent] = await Promise.all([signInVisitor(stack), signInVisitor(stack), signInAgent(stack)]);
    aliceConversation = await startConversation(alice, { p_name: 'Alice', p_email: 'alice@example.com' });
    bobConversation = await startConversation(bob, { p_name: 'Bob', p_subject: 'Bob private matter' });
    await send(alice, aliceConversation.id, 'Alice secret');
    await send(bob, bobConversation.id, 'Bob secret');
    const { error } = await bob.client.rpc('mark_read', { p_conversation_id: bobConversation.id, p_seq: 1 });
    assert.equal(error, null);
  });
  after(() => stack.close());

  describe('customer A against customer B', () => {
    it('cannot read B through any table', async () => {
      const reads = await Promise.all([
        alice.client.from('conversations').select('*').eq('id', bobConversation.id),
        alice.client.from('messages').select('*').eq('conversation_id', bobConversation.id),
        alice.client.from('customers').select('*').eq('user_id', bob.id),
        alice.client.from('conversation_reads').select('*').eq('conversation_id', bobConversation.id),
        alice.client.from('messages').select('*').ilike('content', '%Bob%'),
      ]);
      for (const { data, error } of reads) {
        assert.equal(error, null);
        assert.deepEqual(data, []);
      }
    });

    it('sees only their own rows when asking for everything', async () => {
      const conversations = await alice.client.from('conversations').select('id, customer_id');
      assert.deepEqual(conversations.data, [{ id: aliceConversation.id, customer_id: alice.id }]);
      const messages = await alice.client.from('messages').select('content');
      assert.deepEqual(messages.data, [{ content: 'Alice secret' }]);
      const customers = await alice.client.from('customers').select('user_id');
      assert.deepEqual(customers.data, [{ user_id: alice.id }]);
      const embedded = await alice.client.from('conversations').select('id, messages(content)');
      assert.deepEqual(embedded.data, [{ id: aliceConversation.id, messages: [{ content: 'Alice secret' }] }]);
      const found = await alice.client.rpc('search_conversations', { p_query: 'secret' });
      assert.deepEqual((found.data as Conversation[]).map((c) => c.id), [aliceConversation.id]);
      const canned = await alice.client.from('canned_responses').select('*');
      assert.deepEqual(canned.data, []);
    });

    it('cannot write to B through any RPC, and nothing changes', async () => {
      const before = await snapshot(stack);
      const calls = [
        alice.client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: bobConversation.id, p_content: 'hi' }),
        alice.client.rpc('set_conversation_status', { p_conversation_id: bobConversation.id, p_status: 'closed' }),
        alice.client.rpc('assign_conversation', { p_conversation_id: bobConversation.id, p_agent_id: SEED.agent.id }),
        alice.client.rpc('set_chatbot_enabled', { p_conversation_id: bobConversation.id, p_enabled: true }),
        alice.client.rpc('mark_read', { p_conversation_id: bobConversation.id, p_seq: 1 }),
      ];
      for (const { error, status } of await Promise.all(calls)) {
        assert.equal(status, 404);
        assert.equal(error?.code, 'PT404');
        assert.equal(error?.message, 'Conversation not found');
      }
      const hijack = await alice.client.rpc('start_conversation', { p_id: bobConversation.id });
      assert.equal(hijack.status, 409);
      assert.equal(hijack.error?.details, 'id_conflict');
      assert.deepEqual(await snapshot(stack), before);
    });

    it('cannot write any chat table directly, own rows included', async () => {
      const before = await snapshot(stack);
      const writes = [
        alice.client.from('messages').insert({ conversation_id: aliceConversation.id, seq: 99, sender_type: 'agent', content: 'forged' }),
        alice.client.from('messages').insert({ conversation_id: bobConversation.id, seq: 99, sender_type: 'customer', content: 'forged' }),
        alice.client.from('conversations').insert({ customer_id: alice.id }),
        alice.client.from('conversations').update({ status: 'closed' }).eq('id', bobConversation.id),
        alice.client.from('conversations').update({ assigned_agent_id: SEED.agent.id }).eq('id', aliceConversation.id),
        alice.client.from('messages').update({ content: 'edited' }).eq('conversation_id', aliceConversation.id),
        alice.client.from('messages').delete().eq('conversation_id', bobConversation.id),
        alice.client.from('customers').update({ name: 'Mallory' }).eq('user_id', bob.id),
        alice.client.from('conversation_reads').upsert({ conversation_id: bobConversation.id, user_id: alice.id, last_read_seq: 1 }),
        alice.client.from('agents').insert({ user_id: alice.id, display_name: 'Fake agent' }),
        alice.client.from('canned_responses').insert({ shortcut: 'evil', title: 'x', body: 'x' }),
      ];
      for (const { error, status } of await Promise.all(writes)) {
        assert.equal(error?.code, '42501', `expected a permission error, got ${JSON.stringify(error)}`);
        assert.equal(status, 403);
      }
      assert.deepEqual(await snapshot(stack), before);
      const agents = await stack.db.query('select count(*)::int as n from public.agents');
      assert.equal(agents.rows[0].n, 3);
    });

    it('cannot use agent controls on their own conversation', async () => {
      const { error, status } = await alice.client.rpc('assign_conversation', {
        p_conversation_id: aliceConversation.id, p_agent_id: SEED.agent.id,
      });
      assert.equal(status, 403);
      assert.equal(error?.details, 'agent_required');
    });
  });

  describe('anon (no session)', () => {
    it('can read nothing and call nothing', async () => {
      const anon = stack.client();
      const before = await snapshot(stack);
      for (const table of [...CHAT_TABLES, 'agents', 'canned_responses']) {
        const { error, status } = await anon.from(table).select('*');
        assert.equal(status, 401, `anon select on ${table}`);
        assert.equal(error?.code, '42501');
      }
      const rpcs: [string, Record<string, unknown>][] = [
        ['start_conversation', {}],
        ['insert_message', { p_id: crypto.randomUUID(), p_conversation_id: aliceConversation.id, p_content: 'x' }],
        ['set_conversation_status', { p_conversation_id: aliceConversation.id, p_status: 'closed' }],
        ['assign_conversation', { p_conversation_id: aliceConversation.id, p_agent_id: null }],
        ['set_chatbot_enabled', { p_conversation_id: aliceConversation.id, p_enabled: true }],
        ['mark_read', { p_conversation_id: aliceConversation.id, p_seq: 1 }],
        ['search_conversations', {}],
      ];
      for (const [name, args] of rpcs) {
        const { error, status } = await anon.rpc(name, args);
        assert.equal(status, 401, `anon rpc ${name}`);
        assert.equal(error?.code, '42501');
      }
      const write = await anon.from('messages').insert({ conversation_id: aliceConversation.id, seq: 50, sender_type: 'customer', content: 'x' });
      assert.equal(write.status, 401);
      assert.deepEqual(await snapshot(stack), before);
    });
  });

  describe('agents', () => {
    it('see every conversation, message and customer', async () => {
      const { rows } = await stack.db.query('select count(*)::int as conversations, (select count(*)::int from public.messages) as messages from public.conversations');
      const conversations = await agent.client.from('conversations').select('id', { count: 'exact', head: true });
      assert.equal(conversations.count, rows[0].conversations);
      const messages = await agent.client.from('messages').select('id', { count: 'exact', head: true });
      assert.equal(messages.count, rows[0].messages);
      const bobs = await agent.client.from('messages').select('content').eq('conversation_id', bobConversation.id);
      assert.deepEqual(bobs.data, [{ content: 'Bob secret' }]);
      const customer = await agent.client.from('customers').select('name').eq('user_id', alice.id).single();
      assert.deepEqual(customer.data, { name: 'Alice' });
      const canned = await agent.client.from('canned_responses').select('shortcut');
      assert.equal(canned.data?.length, 6);
    });

    it('write through the RPCs as agents, never as someone else', async () => {
      const reply = await agent.client.rpc('insert_message', {
        p_id: crypto.randomUUID(), p_conversation_id: bobConversation.id, p_content: 'Hello Bob',
      });
      assert.equal(reply.error, null);
      assert.equal(reply.data.sender_type, 'agent');
      assert.equal(reply.data.sender_id, agent.id);
      const forged = await agent.client.rpc('insert_message', {
        p_id: crypto.randomUUID(), p_conversation_id: bobConversation.id, p_content: 'beep', p_sender_type: 'chatbot',
      });
      assert.equal(forged.status, 403);
      const direct = await agent.client.from('messages').insert({ conversation_id: bobConversation.id, seq: 77, sender_type: 'agent', content: 'x' });
      assert.equal(direct.error?.code, '42501');
    });

    it('only admins manage canned replies', async () => {
      const refused = await agent.client.from('canned_responses').insert({ shortcut: 'new', title: 'New', body: 'Body' });
      assert.equal(refused.error?.code, '42501');
      const admin = await signInAgent(stack, SEED.admin);
      const added = await admin.client.from('canned_responses')
        .insert({ shortcut: 'thanks', title: 'Thanks', body: 'Thank you!' }).select('shortcut').single();
      assert.equal(added.error, null);
      assert.deepEqual(added.data, { shortcut: 'thanks' });
    });
  });

  describe('service_role', () => {
    it('bypasses RLS and may speak as the chatbot', async () => {
      const service = stack.client(stack.stack.keys.serviceRole);
      const { rows } = await stack.db.query('select count(*)::int as n from public.messages');
      const messages = await service.from('messages').select('id', { count: 'exact', head: true });
      assert.equal(messages.count, rows[0].n);
      const refused = await service.rpc('insert_message', {
        p_id: crypto.randomUUID(), p_conversation_id: aliceConversation.id, p_content: 'Beep',
      });
      assert.equal(refused.error?.details, 'chatbot_disabled');
      const toggled = await agent.client.rpc('set_chatbot_enabled', { p_conversation_id: aliceConversation.id, p_enabled: true });
      assert.equal(toggled.data.chatbot_enabled, true);
      const bot = await service.rpc('insert_message', {
        p_id: crypto.randomUUID(), p_conversation_id: aliceConversation.id, p_content: 'Beep, I can help',
      });
      assert.equal(bot.error, null);
      assert.equal(bot.data.sender_type, 'chatbot');
      assert.equal(bot.data.sender_id, null);
    });
  });
});

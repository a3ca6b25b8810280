// Visibility decided by the database (issue 10): agent notes and workflow lines are internal, and a
// customer never reads one, whatever they ask: REST filters, `or=`, embeds, counts and search on
// their own session's raw supabase-js client, or realtime postgres_changes with or without filters.
// The customer's numbering (public_seq) stays dense while notes interleave; agents read everything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RealtimeChannel, RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { createDataApi } from '../../src/data/team-api.ts';
import { ParleyError } from '../../src/data/errors.ts';
import { subscribe } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, snapshot, startConversation, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

type Row = Record<string, unknown>;
type Change = RealtimePostgresChangesPayload<Row>;

// A word only notes contain, so any leak shows up in a search or a filter.
const SECRET = 'zanzibar';

async function note(agent: Person, conversationId: string, content: string): Promise<Row> {
  const { data, error } = await agent.client.rpc('insert_message', {
    p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: content, p_visibility: 'internal',
  });
  assert.equal(error, null, `note failed: ${error?.message}`);
  return data as Row;
}

/** Every change a client's channel receives on `table`, with an optional filter. */
async function listen(person: Person, topic: string, table: string, filter?: string): Promise<{ channel: RealtimeChannel; changes: Change[] }> {
  await person.client.realtime.setAuth();
  const changes: Change[] = [];
  const systems: Row[] = [];
  const channel = person.client.channel(topic)
    .on('system', {}, (payload: Row) => systems.push(payload))
    .on('postgres_changes', { event: '*', schema: 'public', table, ...(filter ? { filter } : {}) },
      (payload: Change) => changes.push(payload));
  await subscribe(channel);
  await waitFor(() => systems.some((s) => s.extension === 'postgres_changes'), 'postgres_changes subscribed');
  return { channel, changes };
}

describe('message visibility', () => {
  let stack: TestStack;
  let visitor: Person;
  let agent: Person;
  let conversationId: string;
  let publicCount: number;

  before(async () => {
    stack = await startTestStack();
    [visitor, agent] = await Promise.all([signInVisitor(stack), signInAgent(stack)]);
    conversationId = (await startConversation(visitor, { p_subject: 'Visibility' })).id;
    // Public and internal interleaved: customer, note, reply, pending (internal), assignment
    // (internal) + joined (public), note, reply, resolved (public).
    await send(visitor, conversationId, 'My parcel is lost');
    await note(agent, conversationId, `Courier says ${SECRET} depot, check tomorrow`);
    await send(agent, conversationId, 'Let me check with the courier');
    await agent.client.rpc('set_conversation_status', { p_conversation_id: conversationId, p_status: 'pending' });
    await agent.client.rpc('assign_conversation', { p_conversation_id: conversationId, p_agent_id: SEED.jordan.id });
    await note(agent, conversationId, `Refund approved, ${SECRET} escalation closed`);
    await send(agent, conversationId, 'Found it, it arrives Monday');
    await agent.client.rpc('set_conversation_status', { p_conversation_id: conversationId, p_status: 'resolved' });
    publicCount = 5;
  });
  after(() => stack.close());

  describe('REST, on the customer\'s own raw client', () => {
    it('returns only public messages, numbered 1..n without gaps', async () => {
      const { data, error } = await visitor.client.from('messages').select('*').eq('conversation_id', conversationId).order('seq');
      assert.equal(error, null);
      assert.deepEqual(data?.map((m) => [m.public_seq, m.visibility, m.sender_type, m.content]), [
        [1, 'public', 'customer', 'My parcel is lost'],
        [2, 'public', 'agent', 'Let me check with the courier'],
        [3, 'public', 'system', 'Jordan Blake joined the conversation'],
        [4, 'public', 'agent', 'Found it, it arrives Monday'],
        [5, 'public', 'system', 'Sam Rivera marked the conversation as resolved'],
      ]);
      const everything = await visitor.client.from('messages').select('content');
      assert.equal(everything.data?.length, publicCount, 'no filter at all');
    });

    it('filters, or=, negations, counts, embeds and search never reach an internal row', async () => {
      const empty = [
        visitor.client.from('messages').select('*').eq('visibility', 'internal'),
        visitor.client.from('messages').select('*').neq('visibility', 'public'),
        visitor.client.from('messages').select('*').is('public_seq', null),
        visitor.client.from('messages').select('*').ilike('content', `%${SECRET}%`),
        visitor.client.from('messages').select('*').or(`visibility.eq.internal,content.ilike.*${SECRET}*`),
        visitor.client.from('messages').select('*').eq('conversation_id', conversationId).eq('sender_type', 'agent').eq('seq', 2),
        visitor.client.rpc('search_conversations', { p_query: SECRET }),
      ];
      for (const { data, error } of await Promise.all(empty)) {
        assert.equal(error, null);
        assert.deepEqual(data, []);
      }
      const counted = await visitor.client.from('messages').select('id', { count: 'exact', head: true }).eq('conversation_id', conversationId);
      assert.equal(counted.count, publicCount);
      const embedded = await visitor.client.from('conversations').select('id, messages(content, visibility)').eq('id', conversationId).single();
      assert.equal(embedded.error, null);
      const messages = (embedded.data as { messages: Row[] }).messages;
      assert.equal(messages.length, publicCount);
      assert.ok(messages.every((m) => m.visibility === 'public'));
      const inner = await visitor.client.from('conversations').select('id, messages!inner(content)').eq('messages.visibility', 'internal');
      assert.deepEqual(inner.data, []);
    });

    it('agents read every message, notes included', async () => {
      const { data } = await agent.client.from('messages').select('seq, public_seq, visibility, content')
        .eq('conversation_id', conversationId).order('seq');
      assert.deepEqual(data?.map((m) => [m.seq, m.public_seq, m.visibility]), [
        [1, 1, 'public'], [2, null, 'internal'], [3, 2, 'public'], [4, null, 'internal'], [5, null, 'internal'],
        [6, 3, 'public'], [7, null, 'internal'], [8, 4, 'public'], [9, 5, 'public'],
      ]);
      const found = await agent.client.rpc('search_conversations', { p_query: SECRET });
      assert.deepEqual((found.data as Row[]).map((c) => c.id), [conversationId]);
    });

    it('the data layer gives each audience its own gap-free numbering', async () => {
      const customerApi = createDataApi(visitor.client, { audience: 'customer' });
      const teamApi = createDataApi(agent.client, { audience: 'team' });
      const mine = await customerApi.pageMessages(conversationId);
      assert.deepEqual(mine.items.map((m) => m.seq), [1, 2, 3, 4, 5]);
      assert.ok(mine.items.every((m) => m.visibility === 'public'));
      assert.deepEqual((await customerApi.pageMessages(conversationId, { afterSeq: 2 })).items.map((m) => m.seq), [3, 4, 5]);
      assert.deepEqual((await customerApi.pageMessages(conversationId, { beforeSeq: 3, limit: 1 })).items.map((m) => m.content), ['Let me check with the courier']);
      assert.deepEqual((await customerApi.fetchRange(conversationId, 2, 3)).map((m) => m.content),
        ['Let me check with the courier', 'Jordan Blake joined the conversation']);
      const conversation = await customerApi.getConversation(conversationId);
      assert.equal(conversation.last_seq, 5, 'the customer\'s last seq is the last public one');

      const all = await teamApi.pageMessages(conversationId);
      assert.deepEqual(all.items.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.deepEqual(all.items.filter((m) => m.visibility === 'internal').map((m) => m.seq), [2, 4, 5, 7]);
      assert.equal((await teamApi.getConversation(conversationId)).last_seq, 9);
    });
  });

  describe('writing notes', () => {
    it('a customer cannot write an internal message: 403 visibility_forbidden, nothing stored', async () => {
      const before = await snapshot(stack);
      const refused = await visitor.client.rpc('insert_message', {
        p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'psst', p_visibility: 'internal',
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.error?.details, 'visibility_forbidden');
      const api = createDataApi(visitor.client, { audience: 'customer' });
      await assert.rejects(api.sendMessage({ id: crypto.randomUUID(), conversationId, content: 'psst', visibility: 'internal' }),
        (error: unknown) => error instanceof ParleyError && error.kind === 'forbidden' && error.reason === 'visibility_forbidden');
      assert.deepEqual(await snapshot(stack), before);
    });

    it('unknown visibilities are refused; the chatbot cannot write notes', async () => {
      const before = await snapshot(stack);
      const odd = await agent.client.rpc('insert_message', {
        p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'x', p_visibility: 'secret',
      });
      assert.equal(odd.status, 400);
      assert.equal(odd.error?.details, 'visibility_invalid');
      await agent.client.rpc('set_chatbot_enabled', { p_conversation_id: conversationId, p_enabled: true });
      const service = stack.client(stack.stack.keys.serviceRole);
      const bot = await service.rpc('insert_message', {
        p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'beep', p_visibility: 'internal',
      });
      assert.equal(bot.status, 403);
      assert.equal(bot.error?.details, 'visibility_forbidden');
      await agent.client.rpc('set_chatbot_enabled', { p_conversation_id: conversationId, p_enabled: false });
      const after = await snapshot(stack);
      assert.equal(after.messages, before.messages);
    });

    it('an agent\'s note through the data layer is internal; a retry returns it, reusing its id publicly conflicts', async () => {
      const api = createDataApi(agent.client);
      const id = crypto.randomUUID();
      const stored = await api.sendMessage({ id, conversationId, content: 'Note to self', visibility: 'internal' });
      assert.equal(stored.visibility, 'internal');
      assert.deepEqual(await api.sendMessage({ id, conversationId, content: 'Note to self', visibility: 'internal' }), stored);
      await assert.rejects(api.sendMessage({ id, conversationId, content: 'Note to self' }),
        (error: unknown) => error instanceof ParleyError && error.reason === 'id_conflict');
      const row = await stack.db.query('select public_seq from public.messages where id = $1', [id]);
      assert.equal(row.rows[0].public_seq, null);
    });
  });

  describe('realtime postgres_changes', () => {
    it('never delivers an internal insert to the customer, while an agent on the conversation gets it', async () => {
      const fresh = (await startConversation(visitor)).id;
      await send(visitor, fresh, 'Hello?');
      const customerFiltered = await listen(visitor, 'customer-filtered', 'messages', `conversation_id=eq.${fresh}`);
      // A snoop on the raw client: every message change, and one asking for internal rows only.
      const customerAll = await listen(visitor, 'customer-all', 'messages');
      const customerInternal = await listen(visitor, 'customer-internal', 'messages', 'visibility=eq.internal');
      const customerRows = await listen(visitor, 'customer-conversations', 'conversations');
      const team = await listen(agent, 'team', 'messages', `conversation_id=eq.${fresh}`);

      await note(agent, fresh, `Customer is a ${SECRET} reseller`);
      await agent.client.rpc('set_conversation_status', { p_conversation_id: fresh, p_status: 'pending' });
      await agent.client.rpc('assign_conversation', { p_conversation_id: fresh, p_agent_id: SEED.jordan.id });
      await send(agent, fresh, 'Hi! How can I help?');
      await stack.stack.realtime.flush();

      await waitFor(() => team.changes.length === 5, 'the agent to receive all five inserts');
      await waitFor(() => customerFiltered.changes.length === 2 && customerAll.changes.length === 2, 'the customer\'s public inserts');
      // Anything still in flight arrives before the assertions below.
      await stack.stack.realtime.flush();
      const contents = (changes: Change[]) => changes.map((c) => (c.new as Row).content);
      assert.deepEqual(team.changes.map((c) => [(c.new as Row).visibility, (c.new as Row).content]), [
        ['internal', `Customer is a ${SECRET} reseller`],
        ['internal', 'Sam Rivera marked the conversation as pending'],
        ['internal', 'Sam Rivera assigned the conversation to Jordan Blake'],
        ['public', 'Jordan Blake joined the conversation'],
        ['public', 'Hi! How can I help?'],
      ]);
      assert.deepEqual(contents(customerFiltered.changes), ['Jordan Blake joined the conversation', 'Hi! How can I help?']);
      assert.deepEqual(customerFiltered.changes.map((c) => (c.new as Row).public_seq), [2, 3], 'dense after the customer\'s seq 1');
      assert.deepEqual(contents(customerAll.changes), ['Jordan Blake joined the conversation', 'Hi! How can I help?']);
      assert.deepEqual(customerInternal.changes, []);
      await waitFor(() => customerRows.changes.some((c) => (c.new as Row).last_message_preview === 'Hi! How can I help?'), 'the reply\'s preview');
      for (const change of customerRows.changes) {
        assert.ok(!String((change.new as Row).last_message_preview).includes(SECRET), 'a note never reaches the preview');
      }
    });
  });

  describe('the team\'s profiles', () => {
    it('customers cannot select agents; team_profiles gives only id, name and avatar', async () => {
      const agents = await visitor.client.from('agents').select('*');
      assert.equal(agents.error, null);
      assert.deepEqual(agents.data, []);
      const roles = await visitor.client.from('agents').select('role').eq('user_id', SEED.admin.id);
      assert.deepEqual(roles.data, []);
      const { data, error } = await visitor.client.rpc('team_profiles');
      assert.equal(error, null);
      const profiles = data as Row[];
      assert.equal(profiles.length, 3);
      for (const profile of profiles) assert.deepEqual(Object.keys(profile).sort(), ['avatar_url', 'display_name', 'user_id']);
      assert.deepEqual(profiles.map((p) => p.display_name), ['Jordan Blake', 'Maya Chen', 'Sam Rivera']);
      const team = await agent.client.from('agents').select('display_name, role').order('display_name');
      assert.deepEqual(team.data?.map((a) => a.role), ['agent', 'admin', 'agent'], 'agents still read the team with roles');
      const anon = await stack.client().rpc('team_profiles');
      assert.equal(anon.status, 401);
    });
  });
});

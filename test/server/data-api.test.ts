// The typed data layer (src/data/api.ts) against the real local stack with real supabase-js:
// every function's happy path on the seed, keyset and seq paging, idempotent sends, and the
// mapping of RPC, RLS, validation and network failures to ParleyError.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { createDataApi, type DataApi } from '../../src/data/team-api.ts';
import { ParleyError, type ErrorKind } from '../../src/data/errors.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, type Person } from '../helpers/users.ts';

const TOM = { id: '00000000-0000-4000-b000-000000000002', email: 'tom.becker@example.com', password: 'parley-customer' };
const CLOSED_CONVERSATION = '00000000-0000-4000-c000-000000000019';
const GRACE_CONVERSATION = '00000000-0000-4000-c000-000000000001';

/** Runs `call` and returns the ParleyError it rejects with, failing if it resolves or throws anything else. */
async function failure(call: () => Promise<unknown>): Promise<ParleyError> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof ParleyError, `expected a ParleyError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

function assertError(error: ParleyError, expected: { kind: ErrorKind; reason?: string | null; status?: number; retryable?: boolean }) {
  assert.deepEqual(
    { kind: error.kind, reason: error.reason, status: error.status, retryable: error.retryable },
    { reason: error.reason, status: error.status, retryable: false, ...expected },
    error.message);
  assert.ok(error.message.length > 0);
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('data api', () => {
  let stack: TestStack;
  let agent: Person;
  let visitor: Person;
  let stranger: Person;
  let agentApi: DataApi;
  let visitorApi: DataApi;
  let strangerApi: DataApi;
  let conversationId: string;

  before(async () => {
    stack = await startTestStack();
    [agent, visitor, stranger] = await Promise.all([signInAgent(stack), signInVisitor(stack), signInVisitor(stack)]);
    agentApi = createDataApi(agent.client);
    visitorApi = createDataApi(visitor.client, { audience: 'customer' });
    strangerApi = createDataApi(stranger.client, { audience: 'customer' });
    conversationId = (await visitorApi.startConversation({ subject: 'Data layer' })).id;
  });
  after(() => stack.close());

  describe('conversations', () => {
    it('listConversations pages by keyset without gaps or repeats, even when timestamps tie', async () => {
      // Ties on last_message_at: only the id tiebreak in the cursor keeps these apart across pages.
      await stack.db.query(`update public.conversations set last_message_at = (
          select last_message_at from public.conversations where id = '00000000-0000-4000-c000-000000000005')
        where id in ('00000000-0000-4000-c000-000000000002', '00000000-0000-4000-c000-000000000007',
                     '00000000-0000-4000-c000-000000000010', '00000000-0000-4000-c000-000000000012')`);
      const expected = await stack.db.query<{ id: string }>(
        'select id from public.conversations order by last_message_at desc, id desc');

      const seen: string[] = [];
      let pages = 0;
      let page = await agentApi.listConversations({ limit: 4 });
      for (;;) {
        pages++;
        assert.ok(page.items.length <= 4);
        seen.push(...page.items.map((item) => item.id));
        if (!page.next) break;
        page = await agentApi.listConversations({ limit: 4, before: page.next });
      }
      assert.deepEqual(seen, expected.rows.map((row) => row.id));
      assert.equal(seen.length, 24, 'the 23 seeded conversations and the visitor\'s');
      assert.equal(pages, 6, 'the last page is known to be the last: no empty page after it');

      const all = await agentApi.listConversations({ limit: 100 });
      assert.equal(all.items.length, 24);
    });

    it('listConversations embeds the customer and filters by status, assignment and text', async () => {
      const { items } = await agentApi.listConversations();
      const grace = items.find((item) => item.id === GRACE_CONVERSATION);
      assert.deepEqual(grace?.customer, { name: 'Grace Kim', email: 'grace.kim@example.com' });
      assert.equal(grace?.subject, 'Order LM-48213 has not shipped');

      const closed = await agentApi.listConversations({ statuses: ['closed'] });
      assert.deepEqual(closed.items.map((item) => item.id).sort(), [19, 20, 21, 22].map((n) => `00000000-0000-4000-c000-0000000000${n}`));
      assert.equal(closed.next, null);

      const mine = await agentApi.listConversations({ assignment: 'mine' });
      assert.ok(mine.items.length > 0);
      assert.ok(mine.items.every((item) => item.assigned_agent_id === SEED.agent.id));

      const found = await agentApi.listConversations({ query: 'blurr' });
      assert.deepEqual(found.items.map((item) => item.id), ['00000000-0000-4000-c000-000000000003']);

      const own = await visitorApi.listConversations();
      assert.deepEqual(own.items.map((item) => item.id), [conversationId], 'RLS: a customer lists only their own');
    });

    it('getConversation returns the row with its customer; a stranger gets not-found', async () => {
      const conversation = await agentApi.getConversation(GRACE_CONVERSATION);
      assert.equal(conversation.status, 'open');
      assert.equal(conversation.last_seq, 2);
      assert.deepEqual(conversation.customer, { name: 'Grace Kim', email: 'grace.kim@example.com' });

      const error = await failure(() => strangerApi.getConversation(conversationId));
      assertError(error, { kind: 'not-found', reason: 'conversation_not_found', status: 404 });
    });

    it('startConversation fills in the profile and is idempotent by id', async () => {
      const person = await signInVisitor(stack);
      const api = createDataApi(person.client, { audience: 'customer' });
      const id = crypto.randomUUID();
      const started = await api.startConversation({ id, subject: '  Shipping  ', name: 'Ada', email: 'ADA@example.com', metadata: { page: '/faq' } });
      assert.equal(started.id, id);
      assert.equal(started.customer_id, person.id);
      assert.equal(started.subject, 'Shipping');
      assert.equal(started.status, 'open');
      assert.deepEqual(await api.startConversation({ id, subject: 'Shipping' }), started);
      const stored = await agentApi.getConversation(id);
      assert.deepEqual(stored.customer, { name: 'Ada', email: 'ada@example.com' });

      // Someone else's id is taken: a conflict, not a silent second conversation.
      const error = await failure(() => strangerApi.startConversation({ id }));
      assertError(error, { kind: 'conflict', reason: 'id_conflict', status: 409 });
    });

    it('setStatus, assign and setChatbotEnabled return the updated conversation', async () => {
      const pending = await agentApi.setStatus(conversationId, 'pending');
      assert.equal(pending.status, 'pending');
      const assigned = await agentApi.assign(conversationId, SEED.jordan.id);
      assert.equal(assigned.assigned_agent_id, SEED.jordan.id);
      const unassigned = await agentApi.assign(conversationId, null);
      assert.equal(unassigned.assigned_agent_id, null);
      const bot = await agentApi.setChatbotEnabled(conversationId, true);
      assert.equal(bot.chatbot_enabled, true);
      assert.equal((await agentApi.setChatbotEnabled(conversationId, false)).chatbot_enabled, false);
      assert.equal((await agentApi.setStatus(conversationId, 'open')).status, 'open');
    });
  });

  describe('messages', () => {
    let threadId: string;
    const contents = Array.from({ length: 12 }, (_, i) => `message ${i + 1}`);

    before(async () => {
      threadId = (await visitorApi.startConversation()).id;
      for (const content of contents) await visitorApi.sendMessage({ id: crypto.randomUUID(), conversationId: threadId, content });
    });

    const seqs = (items: readonly { seq: number }[]) => items.map((item) => item.seq);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    it('pageMessages backfills from the newest page down to seq 1, each page ascending', async () => {
      const newest = await visitorApi.pageMessages(threadId, { limit: 5 });
      assert.deepEqual(seqs(newest.items), range(8, 12));
      assert.equal(newest.hasMore, true);
      assert.equal(newest.items[4]?.content, 'message 12');
      assert.equal(newest.items[0]?.sender_type, 'customer');

      const older = await visitorApi.pageMessages(threadId, { beforeSeq: 8, limit: 5 });
      assert.deepEqual(seqs(older.items), range(3, 7));
      assert.equal(older.hasMore, true);

      const oldest = await visitorApi.pageMessages(threadId, { beforeSeq: 3, limit: 5 });
      assert.deepEqual(seqs(oldest.items), [1, 2]);
      assert.equal(oldest.hasMore, false);

      const exact = await visitorApi.pageMessages(threadId, { limit: 12 });
      assert.deepEqual(seqs(exact.items), range(1, 12));
      assert.equal(exact.hasMore, false, 'a page that ends at seq 1 has nothing older');
    });

    it('pageMessages with afterSeq returns everything newer, ascending, across several requests', async () => {
      const resync = await visitorApi.pageMessages(threadId, { afterSeq: 5, limit: 2 });
      assert.deepEqual(seqs(resync.items), range(6, 12));
      assert.equal(resync.hasMore, true);
      const fromStart = await visitorApi.pageMessages(threadId, { afterSeq: 0 });
      assert.deepEqual(seqs(fromStart.items), range(1, 12));
      assert.equal(fromStart.hasMore, false);
      assert.deepEqual((await visitorApi.pageMessages(threadId, { afterSeq: 12 })).items, []);
    });

    it('fetchRange returns exactly the gap, inclusive', async () => {
      assert.deepEqual(seqs(await visitorApi.fetchRange(threadId, 4, 6)), [4, 5, 6]);
      assert.deepEqual(seqs(await agentApi.fetchRange(threadId, 12, 20)), [12]);
    });

    it('sendMessage with the same id twice returns the same row and stores one', async () => {
      const id = crypto.randomUUID();
      const first = await visitorApi.sendMessage({ id, conversationId, content: 'Hello 👋', metadata: { via: 'test' } });
      const again = await visitorApi.sendMessage({ id, conversationId, content: 'Hello 👋', metadata: { via: 'test' } });
      assert.deepEqual(again, first);
      assert.equal(first.sender_type, 'customer');
      assert.equal(first.sender_id, visitor.id);
      assert.deepEqual(first.metadata, { via: 'test' });
      const { rows } = await stack.db.query('select count(*)::int as n from public.messages where id = $1', [id]);
      assert.equal(rows[0].n, 1);

      const reply = await agentApi.sendMessage({ id: crypto.randomUUID(), conversationId, content: 'Hi there' });
      assert.equal(reply.sender_type, 'agent');
      assert.equal(reply.visibility, 'public');
      // Each side numbers in its own units: the team's seq counts the workflow lines the customer
      // never sees (the status and assignment changes above), the customer's has no gap for them.
      assert.equal(reply.seq, (await agentApi.getConversation(conversationId)).last_seq);
      const seen = await visitorApi.pageMessages(conversationId, { afterSeq: first.seq });
      assert.deepEqual(seen.items.map((m) => [m.id, m.seq]), [[reply.id, first.seq + 1]]);
    });

    it('markRead moves forward only; readMarkers shows every reader of the conversation', async () => {
      assert.equal((await agentApi.markRead(threadId, 3)).last_read_seq, 3);
      assert.equal((await agentApi.markRead(threadId, 1)).last_read_seq, 3, 'never moves backwards');
      const markers = await visitorApi.readMarkers(threadId);
      // The visitor wrote all twelve: sending moved their own marker along.
      assert.deepEqual(
        markers.map((marker) => [marker.user_id, marker.last_read_seq]).sort(),
        [[SEED.agent.id, 3], [visitor.id, 12]].sort());
    });
  });

  describe('team', () => {
    it('agents lists the team by name, for agents only', async () => {
      const agents = await agentApi.agents();
      assert.deepEqual(agents.map((a) => [a.display_name, a.role]), [['Jordan Blake', 'agent'], ['Maya Chen', 'admin'], ['Sam Rivera', 'agent']]);
      assert.deepEqual(await visitorApi.agents(), [], 'roles are not for customers');
    });

    it('teamProfiles gives anyone signed in the names and avatars, nothing more', async () => {
      const profiles = await visitorApi.teamProfiles();
      assert.deepEqual(profiles, [
        { user_id: SEED.admin.id, display_name: 'Maya Chen', avatar_url: null },
        { user_id: SEED.agent.id, display_name: 'Sam Rivera', avatar_url: null },
        { user_id: SEED.jordan.id, display_name: 'Jordan Blake', avatar_url: null },
      ].sort((a, b) => a.display_name.localeCompare(b.display_name)));
      assert.deepEqual(await agentApi.teamProfiles(), profiles);
    });

    it('cannedResponses are for agents only', async () => {
      const replies = await agentApi.cannedResponses();
      assert.equal(replies.length, 6);
      assert.deepEqual(replies.map((reply) => reply.shortcut), ['bye', 'hello', 'order-number', 'password', 'refund', 'shipping']);
      assert.deepEqual(await visitorApi.cannedResponses(), []);
    });

    it('currentAgent is the caller\'s agents row, or null', async () => {
      assert.deepEqual(await agentApi.currentAgent(), { user_id: SEED.agent.id, display_name: 'Sam Rivera', avatar_url: null, role: 'agent' });
      assert.equal(await visitorApi.currentAgent(), null);
      assert.equal(await createDataApi(stack.client()).currentAgent(), null, 'nobody signed in');
    });
  });

  describe('errors', () => {
    it('a stranger\'s conversation is not-found, for reads and writes alike', async () => {
      const send = await failure(() => strangerApi.sendMessage({ id: crypto.randomUUID(), conversationId, content: 'Let me in' }));
      assertError(send, { kind: 'not-found', reason: 'conversation_not_found', status: 404 });
      assert.equal(send.message, 'Conversation not found');
      const read = await failure(() => strangerApi.markRead(conversationId, 1));
      assertError(read, { kind: 'not-found', reason: 'conversation_not_found', status: 404 });
      assert.deepEqual((await strangerApi.pageMessages(conversationId)).items, [], 'RLS hides the messages');
    });

    it('an agent-only control used by the customer is forbidden with reason agent_required', async () => {
      const error = await failure(() => visitorApi.setStatus(conversationId, 'closed'));
      assertError(error, { kind: 'forbidden', reason: 'agent_required', status: 403 });
      assert.equal(error.message, 'Only agents can do this');
      const bot = await failure(() => visitorApi.setChatbotEnabled(conversationId, true));
      assertError(bot, { kind: 'forbidden', reason: 'agent_required', status: 403 });
    });

    it('writing to a closed conversation is kind closed with reason conversation_closed', async () => {
      const tom = stack.client();
      const { error: signInError } = await tom.auth.signInWithPassword({ email: TOM.email, password: TOM.password });
      assert.equal(signInError, null);
      const error = await failure(() => createDataApi(tom, { audience: 'customer' }).sendMessage({ id: crypto.randomUUID(), conversationId: CLOSED_CONVERSATION, content: 'One more thing' }));
      assertError(error, { kind: 'closed', reason: 'conversation_closed', status: 409 });
      assert.equal(error.message, 'This conversation is closed; start a new one');
    });

    it('reusing a message id for other content is a conflict', async () => {
      const id = crypto.randomUUID();
      await visitorApi.sendMessage({ id, conversationId, content: 'original' });
      const error = await failure(() => visitorApi.sendMessage({ id, conversationId, content: 'changed' }));
      assertError(error, { kind: 'conflict', reason: 'id_conflict', status: 409 });
    });

    it('RLS refusals of anonymous requests are unauthenticated', async () => {
      const error = await failure(() => createDataApi(stack.client()).agents());
      assertError(error, { kind: 'unauthenticated', reason: '42501', status: 401 });
      const profiles = await failure(() => createDataApi(stack.client()).teamProfiles());
      assertError(profiles, { kind: 'unauthenticated', reason: '42501', status: 401 });
    });

    describe('arguments refused before any request', () => {
      let calls = 0;
      let api: DataApi;

      before(async () => {
        const countingFetch: typeof fetch = (input, init) => {
          calls++;
          return fetch(input, init);
        };
        const client: SupabaseClient = createClient(stack.url, stack.stack.keys.anon, {
          global: { fetch: countingFetch },
          auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
          realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
        });
        const { error } = await client.auth.signInAnonymously();
        assert.equal(error, null);
        api = createDataApi(client, { audience: 'customer' });
      });

      const refused = async (call: () => Promise<unknown>, reason: string) => {
        const before = calls;
        assertError(await failure(call), { kind: 'invalid', reason, status: 0 });
        assert.equal(calls, before, `a request was sent for ${reason}`);
      };

      it('counts requests (the probe itself works)', async () => {
        const before = calls;
        await api.agents();
        assert.equal(calls, before + 1);
      });

      it('4,001 characters are content_too_long; 4,000 astral characters are accepted', async () => {
        const own = await api.startConversation();
        await refused(() => api.sendMessage({ id: crypto.randomUUID(), conversationId: own.id, content: 'x'.repeat(4001) }), 'content_too_long');
        // PostgreSQL counts code points: 4000 emoji are 8000 UTF-16 units and still one message.
        const emoji = await api.sendMessage({ id: crypto.randomUUID(), conversationId: own.id, content: '🙂'.repeat(4000) });
        assert.equal(emoji.seq, 1);
        await refused(() => api.sendMessage({ id: crypto.randomUUID(), conversationId: own.id, content: ' \n\t\u00a0 ' }), 'content_empty');
        await refused(() => api.sendMessage({ id: 'not-a-uuid', conversationId: own.id, content: 'hi' }), 'id_invalid');
        await refused(() => api.sendMessage({ id: crypto.randomUUID(), conversationId: own.id, content: 'hi', metadata: [] as unknown as Record<string, unknown> }), 'metadata_invalid');
      });

      it('bad ids, statuses, limits, cursors and positions', async () => {
        await refused(() => api.getConversation('42'), 'id_invalid');
        await refused(() => api.setStatus(conversationId, 'archived' as 'open'), 'status_invalid');
        await refused(() => api.assign(conversationId, 'nobody'), 'id_invalid');
        await refused(() => api.listConversations({ limit: 0 }), 'limit_invalid');
        await refused(() => api.listConversations({ limit: 101 }), 'limit_invalid');
        await refused(() => api.listConversations({ statuses: ['open', 'gone' as 'open'] }), 'status_invalid');
        await refused(() => api.listConversations({ assignment: 'theirs' as 'all' }), 'assignment_invalid');
        await refused(() => api.listConversations({ before: { at: 'yesterday-ish', id: conversationId } }), 'cursor_invalid');
        await refused(() => api.listConversations({ query: 'q'.repeat(201) }), 'query_too_long');
        await refused(() => api.pageMessages(conversationId, { limit: 2.5 }), 'limit_invalid');
        await refused(() => api.pageMessages(conversationId, { beforeSeq: 5, afterSeq: 1 }), 'cursor_invalid');
        await refused(() => api.pageMessages(conversationId, { beforeSeq: 0 }), 'seq_invalid');
        await refused(() => api.fetchRange(conversationId, 5, 4), 'range_invalid');
        await refused(() => api.fetchRange(conversationId, 0, 4), 'seq_invalid');
        await refused(() => api.markRead(conversationId, -1), 'seq_invalid');
        await refused(() => api.startConversation({ email: 'not an email' }), 'email_invalid');
        await refused(() => api.startConversation({ subject: 's'.repeat(201) }), 'subject_too_long');
      });
    });

    it('an unreachable server is kind network and retryable, for reads and writes', async () => {
      const port = await closedPort();
      const api = createDataApi(stack.client(undefined, { url: `http://127.0.0.1:${port}` }));
      const started = Date.now();
      const read = await failure(() => api.agents());
      assertError(read, { kind: 'network', reason: 'fetch_failed', status: 0, retryable: true });
      assert.ok(Date.now() - started < 900, 'reads fail at once instead of after hidden retries');
      const write = await failure(() => api.sendMessage({ id: crypto.randomUUID(), conversationId, content: 'hello?' }));
      assertError(write, { kind: 'network', reason: 'fetch_failed', status: 0, retryable: true });
    });
  });
});

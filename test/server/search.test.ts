// search_conversations at a size where plans matter (issue 12): the plan starts from the full-text
// indexes, or walks the recency index for words that are everywhere, and never reads a whole table;
// results are the same as before the indexes could be used, for agents, customers and the service
// role; RLS still decides who finds what. No timings: plans are asserted on their node types.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { createPreviousSearch, seedAgents, seedTo } from '../../bench/search-data.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import {
  SEED, send, signInAgent, signInVisitor, startConversation,
  type Conversation, type Person,
} from '../helpers/users.ts';

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Actual Rows'?: number;
  readonly 'Actual Loops'?: number;
  /** Per loop, like Actual Rows. */
  readonly 'Rows Removed by Filter'?: number;
  readonly Plans?: readonly PlanNode[];
}

interface Row { id: string; last_message_at: string }

interface SearchArgs {
  readonly p_query?: string | null;
  readonly p_statuses?: readonly string[] | null;
  readonly p_assignment?: string;
  readonly p_before_at?: string | null;
  readonly p_before_id?: string | null;
  readonly p_limit?: number;
}

/** Claims as the REST layer sets them: an authenticated user, or the service role. */
const as = (sub: string | null, role = 'authenticated') => ({ role, claims: JSON.stringify(sub ? { sub, role } : { role }) });

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/** "Bitmap Index Scan on messages_content_search_idx", "Seq Scan on messages", … for every node. */
function describeNodes(nodes: readonly PlanNode[]): string[] {
  return nodes.map((n) => `${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`);
}

describe('search_conversations at scale', () => {
  let stack: TestStack;
  let agent: Person;
  let alice: Person;
  let bob: Person;
  let aliceConversation: Conversation;
  let bobConversation: Conversation;
  let previous: string;
  let messageCount: number;

  /** Runs the search through SQL as `who`, with every statement it runs explained (auto_explain). */
  async function explained(who: { role: string; claims: string }, args: SearchArgs): Promise<{ ids: string[]; nodes: string[]; plans: PlanNode[] }> {
    const client = await stack.db.connect();
    const plans: PlanNode[] = [];
    client.on('notice', (notice) => {
      const json = notice.message?.slice(notice.message.indexOf('{'));
      if (json) plans.push((JSON.parse(json) as { Plan: PlanNode }).Plan);
    });
    try {
      await client.query("load 'auto_explain'");
      await client.query(`select set_config('auto_explain.log_min_duration', '0', false),
        set_config('auto_explain.log_nested_statements', 'on', false), set_config('auto_explain.log_analyze', 'on', false),
        set_config('auto_explain.log_timing', 'off', false), set_config('auto_explain.log_format', 'json', false),
        set_config('auto_explain.log_level', 'notice', false)`);
      const ids = await search(client, who, 'public.search_conversations', args);
      const nodes = plans.flatMap(flatten);
      return { ids, nodes: describeNodes(nodes), plans };
    } finally {
      // The module stays loaded in that backend: drop the connection rather than return it.
      client.release(true);
    }
  }

  async function search(db: pg.PoolClient, who: { role: string; claims: string }, fn: string, args: SearchArgs): Promise<string[]> {
    await db.query('begin');
    try {
      await db.query("select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)", [who.role, who.claims]);
      const { rows } = await db.query<Row>(`select id from ${fn}(p_query => $1, p_statuses => $2, p_assignment => $3,
        p_before_at => $4, p_before_id => $5, p_limit => $6)`, [
        args.p_query ?? null, args.p_statuses ?? null, args.p_assignment ?? 'all', args.p_before_at ?? null,
        args.p_before_id ?? null, args.p_limit ?? 30]);
      return rows.map((row) => row.id);
    } finally {
      await db.query('rollback');
    }
  }

  before(async () => {
    stack = await startTestStack();
    [agent, alice, bob] = await Promise.all([signInAgent(stack), signInVisitor(stack), signInVisitor(stack)]);
    aliceConversation = await startConversation(alice, {
      p_name: 'Quillon Varga', p_email: 'q.varga@fjordmail.test', p_subject: 'Zephyrine invoice',
    });
    bobConversation = await startConversation(bob, { p_name: 'Bob Marlowe', p_subject: 'Halcyon frames' });
    await send(alice, aliceConversation.id, 'The krakatoa parcel never came');
    await send(bob, bobConversation.id, 'My obsidian album is late');
    const note = await agent.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: aliceConversation.id,
      p_content: 'Courier says tamarisk depot lost it', p_visibility: 'internal',
    });
    assert.equal(note.error, null);

    // The benchmark's data set, small: 2,000 conversations and about 20,000 messages, analyzed.
    await seedAgents(stack.db);
    const counts = await seedTo(stack.db, { conversations: 2000, customers: 1600 });
    messageCount = counts.messages;
    previous = await createPreviousSearch(stack.db, 'search_test');
  });
  after(() => stack.close());

  describe('the plan', () => {
    it('a rare word starts from the GIN index of each source and reads no table whole', async () => {
      const { ids, nodes } = await explained(as(SEED.agent.id), { p_query: 'krakatoa' });
      assert.deepEqual(ids, [aliceConversation.id]);
      for (const index of ['messages_content_search_idx', 'customers_search_idx', 'conversations_subject_search_idx']) {
        assert.ok(nodes.includes(`Bitmap Index Scan on ${index}`), `no bitmap scan of ${index} in ${nodes.join(', ')}`);
      }
      assert.deepEqual(nodes.filter((n) => n.startsWith('Seq Scan')), []);
    });

    it('a customer email and a name prefix start from the customers index', async () => {
      for (const query of ['q.varga@fjordmail.test', 'quil']) {
        const { ids, nodes } = await explained(as(SEED.agent.id), { p_query: query });
        assert.deepEqual(ids, [aliceConversation.id], query);
        assert.ok(nodes.includes('Bitmap Index Scan on customers_search_idx'), `${query}: ${nodes.join(', ')}`);
        assert.deepEqual(nodes.filter((n) => n.startsWith('Seq Scan')), [], query);
      }
    });

    it('a word in most conversations walks the recency index and stops after one page', async () => {
      const { ids, nodes, plans } = await explained(as(SEED.agent.id), { p_query: 'delivery', p_limit: 31 });
      assert.equal(ids.length, 31);
      assert.deepEqual(nodes.filter((n) => n.startsWith('Seq Scan')), []);
      assert.ok(nodes.some((n) => /^Index (Only )?Scan on conversations_last_message_at_idx$/.test(n)), nodes.join(', '));
      // Messages are read by conversation (an index led by conversation_id), a few pages' worth.
      const messageReads = plans.flatMap(flatten).filter((n) => n['Relation Name'] === 'messages' || /^messages_/.test(n['Index Name'] ?? ''));
      assert.ok(messageReads.length > 0);
      const read = messageReads.reduce(
        (sum, n) => sum + ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1), 0);
      assert.ok(read < messageCount / 10, `read ${read} of ${messageCount} messages`);
    });

    it('a customer\'s search starts from their own conversations', async () => {
      const { ids, nodes } = await explained(as(alice.id), { p_query: 'krakatoa' });
      assert.deepEqual(ids, [aliceConversation.id]);
      assert.ok(nodes.some((n) => n.endsWith(' on conversations_customer_idx')), nodes.join(', '));
      assert.deepEqual(nodes.filter((n) => n.startsWith('Seq Scan')), []);
    });
  });

  describe('results', () => {
    const ids = async (person: Person, args: SearchArgs): Promise<string[]> => {
      const { data, error } = await person.client.rpc('search_conversations', { p_limit: 100, ...args });
      assert.equal(error, null);
      return (data as Conversation[]).map((c) => c.id);
    };

    it('finds by a prefix of the name, the email, the subject or a message, each on its own', async () => {
      for (const query of ['Quill', 'quillon varga', 'q.varga@fjordmail.test', 'zephyr', 'Zephyrine invoice', 'krakat', 'parcel never']) {
        assert.deepEqual(await ids(agent, { p_query: query }), [aliceConversation.id], query);
      }
      // Every word must match within one field: a name word and a message word do not combine.
      assert.deepEqual(await ids(agent, { p_query: 'quillon krakatoa' }), []);
      assert.deepEqual(await ids(agent, { p_query: 'varganova' }), []);
    });

    it('a customer finds their own conversation and never another customer\'s', async () => {
      assert.deepEqual(await ids(alice, { p_query: 'krakatoa' }), [aliceConversation.id]);
      assert.deepEqual(await ids(alice, { p_query: 'quillon' }), [aliceConversation.id]);
      for (const query of ['obsidian', 'Marlowe', 'halcyon', 'delivery', 'pri']) {
        assert.deepEqual(await ids(alice, { p_query: query }), [], query);
      }
      assert.deepEqual(await ids(bob, { p_query: 'obsidian' }), [bobConversation.id]);
      assert.deepEqual(await ids(bob, { p_query: 'krakatoa' }), []);
    });

    it('internal notes are searchable by agents only', async () => {
      assert.deepEqual(await ids(agent, { p_query: 'tamarisk' }), [aliceConversation.id]);
      assert.deepEqual(await ids(alice, { p_query: 'tamarisk' }), []);
      assert.deepEqual(await ids(alice, { p_query: 'courier says' }), []);
    });

    it('pages through matches newest first by the keyset cursor without skipping or repeating', async () => {
      const all = await agent.client.rpc('search_conversations', { p_query: 'refund', p_limit: 100 });
      const everything = all.data as Row[];
      assert.equal(everything.length, 100);
      const times = everything.map((r) => Date.parse(r.last_message_at));
      assert.deepEqual(times, [...times].sort((a, b) => b - a), 'most recent activity first');
      const paged: string[] = [];
      let cursor: { p_before_at?: string; p_before_id?: string } = {};
      while (paged.length < 100) {
        const { data } = await agent.client.rpc('search_conversations', { p_query: 'refund', p_limit: 9, ...cursor });
        const page = data as Row[];
        const last = page.at(-1);
        if (!last) break;
        paged.push(...page.map((r) => r.id));
        cursor = { p_before_at: last.last_message_at, p_before_id: last.id };
      }
      assert.deepEqual(paged.slice(0, 100), everything.map((r) => r.id));
    });

    it('returns what the previous definition returned, for every caller, filter and page', async () => {
      const { rows: [sample] } = await stack.db.query<{ email: string; customer: string; name: string }>(`
        select cu.email, cu.user_id as customer, split_part(cu.name, ' ', 1) as name
          from public.customers cu join public.conversations c on c.customer_id = cu.user_id
         where cu.email is not null and cu.user_id::text like '00000000-0000-4000-ac00-%'
         group by cu.user_id having count(*) > 1 order by cu.user_id limit 1`);
      assert.ok(sample);
      const callers = [as(SEED.agent.id), as(null, 'service_role'), as(sample.customer), as(alice.id)];
      const queries = ['delivery', 'pri', sample.name, sample.email, 'tracking number', 'tamarisk', 'zzzz', ' ', null];
      const filters: SearchArgs[] = [{}, { p_assignment: 'mine' }, { p_assignment: 'unassigned', p_statuses: ['open', 'pending'] }];
      let compared = 0;
      let found = 0;
      const client = await stack.db.connect();
      try {
        for (const who of callers) {
          for (const p_query of queries) {
            for (const filter of filters) {
              let cursor: SearchArgs = {};
              for (let page = 0; page < 2; page++) {
                const args = { ...filter, ...cursor, p_query, p_limit: 7 };
                const now = await search(client, who, 'public.search_conversations', args);
                const before = await search(client, who, previous, args);
                assert.deepEqual(now, before, `${who.claims} ${JSON.stringify(args)}`);
                compared += 1;
                if (now.length > 0) found += 1;
                const last = now.at(-1);
                if (!last) break;
                const { rows: [row] } = await client.query<{ at: string }>(
                  `select to_char(last_message_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
                     from public.conversations where id = $1`, [last]);
                cursor = { p_before_at: row?.at ?? null, p_before_id: last };
              }
            }
          }
        }
      } finally {
        client.release();
      }
      assert.ok(compared >= 100 && found >= 50, `${compared} compared, ${found} with results`);
    });
  });
});

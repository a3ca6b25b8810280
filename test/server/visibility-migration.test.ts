// 20261206000001_visibility_and_reads.sql on a database that already has conversations, as on a
// hosted project: the workflow lines the old RPCs wrote become internal, public_seq numbers the rest
// without gaps, the counters and read markers are backfilled, and readers sit at least on their own
// last message.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';

const MIGRATIONS = fileURLToPath(new URL('../../supabase/migrations', import.meta.url));
const MIGRATION = '20261206000001_visibility_and_reads.sql';

describe('the visibility migration on existing data', () => {
  let stack: TestStack;
  let visitor: Person;
  let agent: Person;
  let conversationId: string;

  before(async () => {
    // The schema as it was before: every migration older than this one, and no seed.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-migrations-'));
    for (const file of await readdir(MIGRATIONS)) {
      if (file.endsWith('.sql') && file < MIGRATION) await copyFile(path.join(MIGRATIONS, file), path.join(dir, file));
    }
    // One agent account, made the way supabase/seed.sql makes its accounts.
    const seed = await readFile(fileURLToPath(new URL('../../supabase/seed.sql', import.meta.url)), 'utf8');
    const start = seed.indexOf('create function pg_temp.user_account');
    const accountFunction = seed.slice(start, seed.indexOf('$$;', start) + 3);
    const seedFile = path.join(dir, 'seed.sql');
    await writeFile(seedFile, `${accountFunction}
      select pg_temp.user_account('${SEED.agent.id}', '${SEED.agent.email}', '${SEED.agent.password}', 'Sam Rivera', false, '1 day');
      insert into public.agents (user_id, display_name) values ('${SEED.agent.id}', 'Sam Rivera');`);
    stack = await startTestStack({ migrationsDir: dir, seedFile });
    [visitor, agent] = await Promise.all([signInVisitor(stack), signInAgent(stack)]);

    // Written by the old RPCs: public/internal did not exist yet.
    conversationId = (await startConversation(visitor)).id;
    await send(visitor, conversationId, 'Hello');                                           // 1 → public 1
    await agent.client.rpc('assign_conversation', { p_conversation_id: conversationId, p_agent_id: agent.id }); // 2 took → internal
    await send(agent, conversationId, 'Hi, Sam here');                                      // 3 → public 2
    await agent.client.rpc('set_conversation_status', { p_conversation_id: conversationId, p_status: 'pending' }); // 4 → internal
    await send(visitor, conversationId, 'Still broken');                                    // 5 → public 3, 6 reopening → internal
    await agent.client.rpc('set_conversation_status', { p_conversation_id: conversationId, p_status: 'resolved' }); // 7 → public 4
    await agent.client.rpc('mark_read', { p_conversation_id: conversationId, p_seq: 1 });
    await visitor.client.rpc('mark_read', { p_conversation_id: conversationId, p_seq: 4 });

    // Applied the way `supabase db push` does: the file as is, in one transaction.
    const sql = await readFile(path.join(MIGRATIONS, MIGRATION), 'utf8');
    const client = await stack.db.connect();
    try {
      await client.query('begin');
      await client.query(sql);
      await client.query('commit');
    } finally {
      client.release();
    }
  });
  after(() => stack.close());

  it('marks the old workflow lines internal and numbers the rest densely', async () => {
    const { rows } = await stack.db.query(
      'select seq::int, public_seq::int, visibility, sender_type from public.messages where conversation_id = $1 order by seq',
      [conversationId]);
    assert.deepEqual(rows.map((r) => [r.seq, r.public_seq, r.visibility, r.sender_type]), [
      [1, 1, 'public', 'customer'],
      [2, null, 'internal', 'system'],
      [3, 2, 'public', 'agent'],
      [4, null, 'internal', 'system'],
      [5, 3, 'public', 'customer'],
      [6, null, 'internal', 'system'],
      [7, 4, 'public', 'system'],
    ]);
  });

  it('backfills the conversation\'s counters and every marker, moving readers to their own last message', async () => {
    const conversation = await stack.db.query(
      'select last_seq::int, last_public_seq::int, customer_messages::int, team_messages::int from public.conversations where id = $1',
      [conversationId]);
    assert.deepEqual(conversation.rows[0], { last_seq: 7, last_public_seq: 4, customer_messages: 2, team_messages: 1 });
    const reads = await stack.db.query(
      `select user_id, last_read_seq::int, last_read_public_seq::int, read_customer_messages::int, read_team_messages::int
         from public.conversation_reads where conversation_id = $1`, [conversationId]);
    const byUser = new Map(reads.rows.map((r) => [r.user_id, [r.last_read_seq, r.last_read_public_seq, r.read_customer_messages, r.read_team_messages]]));
    assert.deepEqual(byUser.get(agent.id), [3, 2, 1, 1], 'the agent read up to 1 but replied at 3');
    assert.deepEqual(byUser.get(visitor.id), [5, 3, 2, 1], 'the visitor read up to 4 but wrote at 5');
  });

  it('the rules hold afterwards: the customer no longer reads the workflow lines', async () => {
    const client = await stack.db.connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: visitor.id, role: 'authenticated' })]);
      await client.query('set local role authenticated');
      const { rows } = await client.query('select public_seq::int from public.messages where conversation_id = $1 order by seq', [conversationId]);
      assert.deepEqual(rows.map((r) => r.public_seq), [1, 2, 3, 4]);
      await client.query('rollback');
    } finally {
      client.release();
    }
  });
});

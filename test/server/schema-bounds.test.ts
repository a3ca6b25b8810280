// 20261206000004_schema_bounds.sql: on a fresh database every bound holds and is validated, every
// text and jsonb column of the chat tables has one, and the database's idea of a blank message is
// exactly the widget's. On a database with rows stored before the bounds (as on a hosted project),
// padded names are trimmed, the bounds old rows break stay NOT VALID with a warning yet hold for
// new rows, and the customers with such rows can still chat.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isBlank } from '../../src/data/validate.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { send, signInVisitor, startConversation, type Person } from '../helpers/users.ts';

const MIGRATIONS = fileURLToPath(new URL('../../supabase/migrations', import.meta.url));
const MIGRATION = '20261206000004_schema_bounds.sql';
const CHAT_TABLES = ['agents', 'customers', 'conversations', 'messages', 'conversation_reads', 'canned_responses'];
const BOUNDS = [
  'agents_avatar_url_length', 'agents_display_name_length', 'canned_responses_title_length',
  'conversations_last_message_preview_length', 'customers_metadata_bounded', 'customers_name_length',
  'messages_content_visible', 'messages_metadata_bounded',
];

/** `{"a":{"a":…}}` with `levels` objects. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

async function validated(stack: TestStack): Promise<Record<string, boolean>> {
  const { rows } = await stack.db.query<{ conname: string; convalidated: boolean }>(
    'select conname, convalidated from pg_constraint where conname = any ($1) order by conname', [BOUNDS]);
  return Object.fromEntries(rows.map((r) => [r.conname, r.convalidated]));
}

describe('schema bounds on a fresh database', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  it('adds every bound, validated', async () => {
    assert.deepEqual(await validated(stack), Object.fromEntries(BOUNDS.map((name) => [name, true])));
  });

  it('bounds every text and jsonb column of the chat tables with a check constraint', async () => {
    const { rows } = await stack.db.query<{ name: string }>(`
      select c.relname || '.' || a.attname as name
        from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.relnamespace = 'public'::regnamespace and c.relname = any ($1)
         and a.attnum > 0 and not a.attisdropped
         and a.atttypid in ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype)
         and not exists (select 1 from pg_constraint k
                          where k.conrelid = c.oid and k.contype = 'c' and a.attnum = any (k.conkey))
       order by 1`, [CHAT_TABLES]);
    assert.deepEqual(rows, [], 'columns without a bound');
  });

  it('calls blank exactly the characters the widget calls blank, in the RPCs and in the messages table', async () => {
    // Every code point PostgreSQL can store, through private.is_blank and the constraint's own expression.
    const { rows: [constraint] } = await stack.db.query<{ expression: string }>(
      `select pg_get_expr(conbin, conrelid) as expression from pg_constraint where conname = 'messages_content_visible'`);
    assert.ok(constraint);
    const { rows } = await stack.db.query<{ by_function: number[]; by_constraint: number[] }>(`
      select array_agg(cp order by cp) filter (where private.is_blank(content)) as by_function,
             array_agg(cp order by cp) filter (where not (${constraint.expression})) as by_constraint
        from (select cp, chr(cp) as content from generate_series(1, 1114111) cp
               where cp not between 55296 and 57343) chars`);
    const widget: number[] = [];
    for (let cp = 1; cp <= 0x10ffff; cp++) {
      if ((cp < 0xd800 || cp > 0xdfff) && isBlank(String.fromCodePoint(cp))) widget.push(cp);
    }
    assert.deepEqual(rows[0]?.by_function, widget, 'private.is_blank');
    assert.deepEqual(rows[0]?.by_constraint, widget, 'messages_content_visible');
  });
});

describe('schema bounds on a database with older rows', () => {
  let stack: TestStack;
  let visitor: Person;
  let conversationId: string;
  const warnings: string[] = [];

  before(async () => {
    // The schema as it was before: every migration older than this one, and no seed.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-migrations-'));
    for (const file of await readdir(MIGRATIONS)) {
      if (file.endsWith('.sql') && file < MIGRATION) await copyFile(path.join(MIGRATIONS, file), path.join(dir, file));
    }
    stack = await startTestStack({ migrationsDir: dir, seedFile: null });
    visitor = await signInVisitor(stack);

    // What the old RPCs and checks let through.
    conversationId = (await startConversation(visitor, { p_metadata: { blob: 'x'.repeat(20_000) } })).id;
    await send(visitor, conversationId, '\u200b');
    const { error } = await visitor.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'deep', p_metadata: nested(12),
    });
    assert.equal(error, null);
    await stack.db.query(`
      insert into auth.users (id) values ('00000000-0000-4000-a000-0000000000aa');
      insert into public.agents (user_id, display_name) values ('00000000-0000-4000-a000-0000000000aa', 'Sam Rivera' || repeat(' ', 300));
      insert into public.canned_responses (shortcut, title, body) values ('pad', 'Padded' || repeat(' ', 300), 'Hello');`);

    // Applied the way `supabase db push` does: the file as is, in one transaction.
    const sql = await readFile(path.join(MIGRATIONS, MIGRATION), 'utf8');
    const client = await stack.db.connect();
    client.on('notice', (notice) => { if (notice.severity === 'WARNING') warnings.push(notice.message ?? ''); });
    try {
      await client.query('begin');
      await client.query(sql);
      await client.query('commit');
    } finally {
      client.removeAllListeners('notice');
      client.release();
    }
  });
  after(() => stack.close());

  it('trims padded names and titles, and validates every bound no old row breaks', async () => {
    const { rows } = await stack.db.query(`
      select (select display_name from public.agents) as agent, (select title from public.canned_responses) as title`);
    assert.deepEqual(rows[0], { agent: 'Sam Rivera', title: 'Padded' });
    assert.deepEqual(await validated(stack), {
      ...Object.fromEntries(BOUNDS.map((name) => [name, true])),
      customers_metadata_bounded: false,
      messages_content_visible: false,
      messages_metadata_bounded: false,
    });
  });

  it('leaves old messages and metadata as they were, and says which bounds wait for them', async () => {
    const { rows } = await stack.db.query<{ content: string }>(
      'select content from public.messages where conversation_id = $1 order by seq', [conversationId]);
    assert.deepEqual(rows.map((r) => r.content), ['\u200b', 'deep']);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    for (const name of ['customers_metadata_bounded', 'messages_content_visible', 'messages_metadata_bounded']) {
      assert.ok(warnings.some((w) => w.includes(`validate constraint ${name}`)), name);
    }
  });

  it('holds the bounds for new rows, and the customer with old metadata can still chat', async () => {
    const blank = await visitor.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: '\u2060',
    });
    assert.equal(blank.error?.details, 'content_empty');
    await assert.rejects(stack.db.query(
      `insert into public.messages (conversation_id, seq, sender_type, visibility, content) values ($1, 99, 'system', 'internal', '\u200b')`,
      [conversationId]), /messages_content_visible/);
    await send(visitor, conversationId, 'Still here');
    const again = await startConversation(visitor);
    assert.notEqual(again.id, conversationId);
    const more = await visitor.client.rpc('start_conversation', { p_metadata: { plan: 'pro' } });
    assert.equal(more.error?.details, 'metadata_too_large');
  });
});

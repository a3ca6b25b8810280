import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Claims } from '../../supabase/local/src/keys.ts';
import { createChangeFeed } from '../../supabase/local/src/realtime/changes/index.ts';
import type { ChangeBinding, ChangeData, ChangeFeed, ChangeSubscriber, DatabaseBroadcast } from '../../supabase/local/src/realtime/types.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

const MIGRATIONS = fileURLToPath(new URL('../../supabase/migrations', import.meta.url));

// Fixture tables, added as a last migration so the REST schema cache knows them.
const FIXTURE = `
create table public.rt_typed (
  id uuid primary key default gen_random_uuid(),
  n int8, small int2, b bool, j jsonb, tags text[], at timestamptz, amount numeric, f float8,
  d date, ts timestamp, grid int4[], note text, label varchar(20)
);
alter table public.rt_typed replica identity full;

create table public.rt_items (id int8 primary key, owner uuid, n int4, label text, done bool, secret text);
create table public.rt_items_full (id int8 primary key, owner uuid, n int4, label text, done bool, secret text);
alter table public.rt_items_full replica identity full;
alter table public.rt_items enable row level security;
alter table public.rt_items_full enable row level security;
create policy "owners see their items" on public.rt_items for select to authenticated using (owner = auth.uid());
create policy "owners see their items" on public.rt_items_full for select to authenticated using (owner = auth.uid());
revoke select on public.rt_items, public.rt_items_full from authenticated;
grant select (id, owner, n, label, done) on public.rt_items, public.rt_items_full to authenticated;

create table public.rt_nopk (x int);
create table public.rt_outside (id int primary key);
alter publication supabase_realtime add table public.rt_typed, public.rt_items, public.rt_items_full, public.rt_nopk;
`;

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Frame {
  ids: number[];
  data: ChangeData;
}

/** A channel as the feed sees it: claims in, frames out. */
class FakeSubscriber implements ChangeSubscriber {
  readonly frames: Frame[] = [];
  constructor(public current: Claims) {}
  claims(): Claims {
    return this.current;
  }
  deliver(ids: number[], data: ChangeData): void {
    this.frames.push({ ids: [...ids], data: structuredClone(data) });
  }
  of(table: string): Frame[] {
    return this.frames.filter((frame) => frame.data.table === table);
  }
}

function claimsOf(token: string): Claims {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
}

async function personClaims(person: Person): Promise<Claims> {
  const { data } = await person.client.auth.getSession();
  assert.ok(data.session, 'signed in');
  return claimsOf(data.session.access_token);
}

const SERVICE: Claims = { role: 'service_role', iss: 'supabase-demo' };
const ANON: Claims = { role: 'anon', iss: 'supabase-demo' };
const user = (sub: string): Claims => ({ role: 'authenticated', sub, aud: 'authenticated' });

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function binding(id: number, fields: Omit<ChangeBinding, 'id' | 'schema'> & { schema?: string }): ChangeBinding {
  return { schema: 'public', ...fields, id };
}

describe('realtime change feed', () => {
  let stack: TestStack;
  let pool: pg.Pool;
  let feed: ChangeFeed;
  const broadcasts: DatabaseBroadcast[] = [];

  before(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-rt-migrations-'));
    for (const file of await readdir(MIGRATIONS)) await copyFile(path.join(MIGRATIONS, file), path.join(dir, file));
    await writeFile(path.join(dir, '29991231000000_realtime_changes_fixture.sql'), FIXTURE);
    stack = await startTestStack({ migrationsDir: dir });
    pool = new pg.Pool({ connectionString: stack.stack.databaseUrl, max: 8 });
    feed = await createChangeFeed({
      pool,
      databaseUrl: stack.stack.databaseUrl,
      log: process.env.PARLEY_DEBUG ? (line) => console.error(line) : () => undefined,
      onBroadcast: (message) => broadcasts.push(message),
    });
  });

  after(async () => {
    await feed.close();
    await pool.end();
    await stack.close();
  });

  async function subscribed(claims: Claims, bindings: ChangeBinding[]): Promise<FakeSubscriber> {
    const subscriber = new FakeSubscriber(claims);
    assert.equal(await feed.subscribe(subscriber, bindings), null);
    return subscriber;
  }

  it('sends INSERT, UPDATE and DELETE frames shaped as WALRUS does, with values typed like REST', async () => {
    const subscriber = await subscribed(SERVICE, [binding(1, { event: '*', table: 'rt_typed' })]);
    const { rows } = await stack.db.query<{ id: string }>(`
      insert into public.rt_typed (n, small, b, j, tags, at, amount, f, d, ts, grid, note, label)
      values (9007199254740991, -3, true, '{"a":[1,{"b":null}],"s":"x"}', array['a b', 'c,d', null, 'q"uote', 'back\\slash', 'NULL'],
              '2026-11-24 02:30:03.120511+00', 12.50, 1.5, '2026-01-02', '2026-01-02 03:04:05.5', '{{1,2},{3,4}}', 'hi', 'label')
      returning id`);
    const id = rows[0]?.id as string;
    await stack.db.query('update public.rt_typed set n = 1, at = $2 where id = $1', [id, '2026-11-24 02:30:03+00']);
    const rest = await stack.client(stack.stack.keys.serviceRole).from('rt_typed').select().eq('id', id).single();
    assert.equal(rest.error, null);
    const jsonb = (await stack.db.query<{ row: unknown }>('select to_jsonb(t) as row from public.rt_typed t where id = $1', [id])).rows[0]?.row;
    await stack.db.query('delete from public.rt_typed where id = $1', [id]);
    await feed.flush();

    const [insert, update, remove] = subscriber.of('rt_typed');
    assert.equal(subscriber.frames.length, 3);
    assert.ok(insert && update && remove);
    const columns = [
      ['id', 'uuid'], ['n', 'int8'], ['small', 'int2'], ['b', 'bool'], ['j', 'jsonb'], ['tags', '_text'], ['at', 'timestamptz'],
      ['amount', 'numeric'], ['f', 'float8'], ['d', 'date'], ['ts', 'timestamp'], ['grid', '_int4'], ['note', 'text'], ['label', 'varchar'],
    ].map(([name, type]) => ({ name, type }));
    const inserted = {
      id, n: 9007199254740991, small: -3, b: true, j: { a: [1, { b: null }], s: 'x' },
      tags: ['a b', 'c,d', null, 'q"uote', 'back\\slash', 'NULL'], at: '2026-11-24T02:30:03.120511+00:00', amount: 12.5, f: 1.5,
      d: '2026-01-02', ts: '2026-01-02T03:04:05.5', grid: [[1, 2], [3, 4]], note: 'hi', label: 'label',
    };
    assert.deepEqual(insert.ids, [1]);
    assert.deepEqual(Object.keys(insert.data).sort(), ['columns', 'commit_timestamp', 'errors', 'record', 'schema', 'table', 'type']);
    assert.deepEqual({ ...insert.data, commit_timestamp: 'x' }, {
      schema: 'public', table: 'rt_typed', type: 'INSERT', commit_timestamp: 'x', errors: null, columns, record: inserted,
    });
    assert.match(insert.data.commit_timestamp ?? '', TIMESTAMP);

    const updated = { ...inserted, n: 1, at: '2026-11-24T02:30:03+00:00' };
    assert.deepEqual(update.data.record, rest.data, 'the UPDATE record equals the row REST returns');
    assert.deepEqual(update.data.record, jsonb, 'and to_jsonb of the row');
    assert.deepEqual(update.data.record, updated);
    assert.deepEqual(update.data.old_record, inserted, 'replica identity full: the whole old row');
    assert.equal(update.data.type, 'UPDATE');

    assert.equal(remove.data.type, 'DELETE');
    assert.equal('record' in remove.data, false);
    assert.deepEqual(remove.data.old_record, updated, 'no RLS: DELETE carries the whole old row');
    feed.unsubscribe(subscriber);
  });

  it('fills unchanged TOASTed values in UPDATE records and trims payloads over 1 MiB', async () => {
    const subscriber = await subscribed(SERVICE, [binding(1, { event: 'UPDATE', table: 'rt_typed' }), binding(2, { event: 'INSERT', table: 'rt_typed' })]);
    // md5 chains do not compress, so the value is stored out of line.
    const big = (await stack.db.query<{ v: string }>("select string_agg(md5(i::text), '') as v from generate_series(1, 4000) i")).rows[0]?.v as string;
    const { rows } = await stack.db.query<{ id: string }>('insert into public.rt_typed (n, note) values (1, $1) returning id', [big]);
    const id = rows[0]?.id as string;
    await stack.db.query('update public.rt_typed set n = 2 where id = $1', [id]);
    const huge = (await stack.db.query<{ v: string }>("select string_agg(md5(i::text), '') as v from generate_series(1, 40000) i")).rows[0]?.v as string;
    await stack.db.query('insert into public.rt_typed (n, note, label) values (3, $1, $2)', [huge, 'short']);
    await feed.flush();

    const update = subscriber.frames.find((frame) => frame.data.type === 'UPDATE');
    assert.equal(update?.data.record?.note, big);
    assert.equal(update?.data.record?.n, 2);
    const tooLarge = subscriber.frames.find((frame) => frame.data.type === 'INSERT' && frame.data.record?.n === 3);
    assert.ok(tooLarge);
    assert.deepEqual(tooLarge.data.errors, ['Error 413: Payload Too Large']);
    assert.equal('note' in (tooLarge.data.record ?? {}), false);
    assert.equal(tooLarge.data.record?.label, 'short');
    feed.unsubscribe(subscriber);
  });

  it('matches events and filters per binding and reports the matching ids', async () => {
    const subscriber = await subscribed(SERVICE, [
      binding(11, { event: 'INSERT', table: 'rt_items_full' }),
      binding(12, { event: 'UPDATE', table: 'rt_items_full', filter: 'n=gt.5' }),
      binding(13, { event: '*', table: 'rt_items_full', filter: 'label=eq.hello' }),
      binding(14, { event: 'delete', table: 'rt_items_full', filter: 'n=in.(1,2,7)' }),
      binding(15, { event: '*', table: 'rt_items_full', filter: 'done=is.true,n=lt.10' }),
      binding(16, { event: '*', table: 'rt_items_full', filter: 'label=neq.hello' }),
      binding(17, { event: '*', table: 'rt_items_full', filter: 'label=not.in.(hello,"a,b")' }),
      binding(18, { event: 'UPDATE', table: 'rt_items_full', filter: 'n=lte.7,n=gte.7' }),
    ]);
    await stack.db.query("insert into public.rt_items_full (id, n, label, done) values (1, 2, 'hello', true)");
    await stack.db.query('update public.rt_items_full set n = 7 where id = 1');
    await stack.db.query("insert into public.rt_items_full (id, n, label, done) values (2, 20, 'a,b', null)");
    await stack.db.query("insert into public.rt_items_full (id, n, label, done) values (3, 3, 'other', false)");
    await stack.db.query('delete from public.rt_items_full where id in (1, 2, 3)');
    await feed.flush();

    assert.deepEqual(subscriber.frames.map((frame) => [frame.data.type, frame.data.old_record?.id ?? frame.data.record?.id, frame.ids]), [
      ['INSERT', 1, [11, 13, 15]],
      ['UPDATE', 1, [12, 13, 15, 18]],
      ['INSERT', 2, [11, 16]],
      ['INSERT', 3, [11, 16, 17]],
      ['DELETE', 1, [13, 14, 15]],
      ['DELETE', 2, [16]],
      ['DELETE', 3, [16, 17]],
    ]);
    feed.unsubscribe(subscriber);
  });

  it('evaluates like, ilike, match and imatch as PostgreSQL does, whatever the pattern', async () => {
    // Patterns JavaScript reads differently (POSIX classes, \m \M word bounds, LIKE escapes), and
    // patterns a backtracking engine takes forever on: the verdicts must be PostgreSQL's own.
    const patterns: [op: string, pattern: string, negate: boolean][] = [
      ['like', 'a%c', false], ['like', 'a_c', false], ['like', '%\\%%', false], ['like', `${'%'.repeat(40)}x`, false],
      ['like', 'a%c', true], ['ilike', 'ÉTÉ%', false], ['ilike', 'abc', false],
      ['match', '^[[:alpha:]]+$', false], ['match', '\\mword\\M', false], ['match', '(a+)+$', false], ['match', '^((.|.|.|.))*\\d$', false],
      ['imatch', '^ABC', false], ['imatch', 'É', true],
    ];
    const labels = ['abc', 'aXc', 'a%c', 'ABC', 'été 2026', 'word up', 'swordfish', `${'a'.repeat(40)}!`, 'Is anyone there?'];
    const quoted = (value: string) => (/[,()"\\]/.test(value) ? `"${value.replace(/[\\"]/g, '\\$&')}"` : value);
    const subscriber = await subscribed(SERVICE, patterns.map(([op, pattern, negate], i) =>
      binding(100 + i, { event: 'INSERT', table: 'rt_items_full', filter: `label=${negate ? 'not.' : ''}${op}.${quoted(pattern)}` })));
    const expected: number[][] = [];
    for (const label of labels) {
      const ids: number[] = [];
      for (const [i, [op, pattern, negate]] of patterns.entries()) {
        const { rows } = await stack.db.query<{ r: boolean }>(`select $1::text ${{ like: 'like', ilike: 'ilike', match: '~', imatch: '~*' }[op]} $2::text as r`, [label, pattern]);
        if (rows[0]?.r !== negate) ids.push(100 + i);
      }
      expected.push(ids);
    }
    for (const [i, label] of labels.entries()) {
      await stack.db.query('insert into public.rt_items_full (id, label) values ($1, $2)', [200 + i, label]);
    }
    await feed.flush();
    assert.deepEqual(subscriber.frames.map((frame) => frame.ids), expected.filter((ids) => ids.length > 0));
    assert.deepEqual(subscriber.frames.map((frame) => frame.data.record?.label),
      labels.filter((_, i) => (expected[i] ?? []).length > 0));
    feed.unsubscribe(subscriber);
    await stack.db.query('delete from public.rt_items_full where id >= 200');
    await feed.flush();
  });

  it('gives a pattern that runs out of time no match, and every other binding its changes', async () => {
    const slow = '(.+)+\\1\\1c$';
    const subscriber = await subscribed(SERVICE, [
      binding(31, { event: 'INSERT', table: 'rt_items_full', filter: `label=match."${slow.replace(/\\/g, '\\\\')}"` }),
      binding(32, { event: 'INSERT', table: 'rt_items_full', filter: 'label=match.^ab' }),
      binding(33, { event: 'INSERT', table: 'rt_items_full', filter: 'label=like.ab%' }),
    ]);
    const other = await subscribed(SERVICE, [binding(34, { event: 'INSERT', table: 'rt_items_full' })]);
    // PostgreSQL needs far longer than the statement timeout to decide on this value.
    await stack.db.query('insert into public.rt_items_full (id, label) values (300, $1)', [`${'ab'.repeat(100_000)}c`]);
    await stack.db.query("insert into public.rt_items_full (id, label) values (301, 'ababababc')");
    await feed.flush();
    assert.deepEqual(subscriber.frames.map((frame) => [frame.data.record?.id, frame.ids]), [[300, [32, 33]], [301, [32, 33]]]);
    assert.deepEqual(other.frames.map((frame) => [frame.data.record?.id, frame.ids]), [[300, [34]], [301, [34]]]);
    feed.unsubscribe(subscriber);
    feed.unsubscribe(other);
    await stack.db.query('delete from public.rt_items_full where id >= 300');
    await feed.flush();
  });

  it('covers every table of a schema when the binding names no table', async () => {
    const subscriber = await subscribed(SERVICE, [binding(5, { event: 'INSERT' })]);
    await stack.db.query("insert into public.rt_items (id, n) values (50, 1); insert into public.rt_typed (n) values (50)");
    await feed.flush();
    assert.deepEqual(subscriber.frames.map((frame) => [frame.data.table, frame.ids]), [['rt_items', [5]], ['rt_typed', [5]]]);
    feed.unsubscribe(subscriber);
    await stack.db.query('delete from public.rt_items where id = 50');
    await feed.flush();
  });

  it('applies RLS per subscriber: customers see their own conversation, agents see all, anon gets 401', async () => {
    const [alice, bob] = await Promise.all([signInVisitor(stack), signInVisitor(stack)]);
    const agent = await signInAgent(stack);
    const [aliceConversation, bobConversation] = await Promise.all([startConversation(alice as Person), startConversation(bob as Person)]);
    const all = [binding(7, { event: '*', table: 'messages' })];
    const aliceSub = await subscribed(await personClaims(alice as Person), all);
    const bobSub = await subscribed(await personClaims(bob as Person), all);
    const agentSub = await subscribed(await personClaims(agent), all);
    const anonSub = await subscribed(ANON, all);

    await send(alice as Person, aliceConversation.id, 'hello from alice');
    await send(bob as Person, bobConversation.id, 'hello from bob');
    await send(agent, aliceConversation.id, 'hi alice');
    await feed.flush();

    const contents = (subscriber: FakeSubscriber) => subscriber.of('messages').map((frame) => frame.data.record?.content);
    assert.deepEqual(contents(aliceSub), ['hello from alice', 'hi alice']);
    assert.deepEqual(contents(bobSub), ['hello from bob']);
    assert.deepEqual(contents(agentSub), ['hello from alice', 'hello from bob', 'hi alice']);
    const frame = aliceSub.of('messages')[0];
    const rest = await (alice as Person).client.from('messages').select().eq('id', frame?.data.record?.id as string).single();
    assert.deepEqual(frame?.data.record, rest.data);
    assert.deepEqual(anonSub.frames.map((f) => [f.ids, f.data.errors, f.data.columns, f.data.record, f.data.commit_timestamp]),
      Array.from({ length: 3 }, () => [[7], ['Error 401: Unauthorized'], [], {}, null]));
    for (const subscriber of [aliceSub, bobSub, agentSub, anonSub]) feed.unsubscribe(subscriber);
  });

  it('hides unselectable columns and reports tables without a primary key', async () => {
    const owner = crypto.randomUUID();
    const subscriber = await subscribed(user(owner), [binding(1, { event: '*', table: 'rt_items' }), binding(2, { event: '*', table: 'rt_nopk' })]);
    const selecting = await subscribed(user(owner), [binding(3, { event: 'INSERT', table: 'rt_items', select: ['n'] })]);
    await stack.db.query("insert into public.rt_items (id, owner, n, secret) values (60, $1, 1, 'hidden')", [owner]);
    await stack.db.query('insert into public.rt_nopk values (1)');
    await feed.flush();
    const [item, nopk] = subscriber.frames;
    assert.deepEqual(item?.data.columns.map((column) => column.name), ['id', 'owner', 'n', 'label', 'done']);
    assert.deepEqual(item?.data.record, { id: 60, owner, n: 1, label: null, done: null });
    assert.deepEqual(nopk?.data.errors, ['Error 400: Bad Request, no primary key']);
    assert.equal(subscriber.frames.length, 2);
    assert.deepEqual(selecting.frames.map((frame) => [frame.ids, frame.data.columns, frame.data.record]),
      [[[3], [{ name: 'id', type: 'int8' }, { name: 'n', type: 'int4' }], { id: 60, n: 1 }]], 'select: the selected columns plus the primary key');
    feed.unsubscribe(subscriber);
    feed.unsubscribe(selecting);
    await stack.db.query('delete from public.rt_items where id = 60');
    await feed.flush();
  });

  it('sends DELETEs without RLS checks, cut to the primary key, filtered only on replicated columns', async () => {
    const u1 = crypto.randomUUID();
    const u2 = crypto.randomUUID();
    const subscribe = async (claims: Claims, table: string) => ({
      plain: await subscribed(claims, [binding(1, { event: '*', table })]),
      byN: await subscribed(claims, [binding(2, { event: '*', table, filter: 'n=eq.5' })]),
      byId: await subscribed(claims, [binding(3, { event: '*', table, filter: 'id=eq.70' })]),
    });
    for (const [table, full] of [['rt_items', false], ['rt_items_full', true]] as const) {
      const mine = await subscribe(user(u1), table);
      const theirs = await subscribe(user(u2), table);
      await stack.db.query(`insert into public.${table} (id, owner, n, label) values (70, $1, 5, 'x')`, [u1]);
      // The INSERT is checked against the table as it is at dispatch time, as WALRUS does.
      await feed.flush();
      await stack.db.query(`delete from public.${table} where id = 70`);
      await feed.flush();
      const types = (subscriber: FakeSubscriber) => subscriber.frames.map((frame) => frame.data.type);
      assert.deepEqual(types(mine.plain), ['INSERT', 'DELETE'], table);
      assert.deepEqual(types(mine.byId), ['INSERT', 'DELETE'], table);
      assert.deepEqual(types(mine.byN), full ? ['INSERT', 'DELETE'] : ['INSERT'], `${table}: a filter on n needs n in the old image`);
      assert.deepEqual(types(theirs.plain), ['DELETE'], `${table}: RLS hides the insert, not the delete`);
      assert.deepEqual(types(theirs.byId), ['DELETE'], table);
      assert.deepEqual(types(theirs.byN), full ? ['DELETE'] : [], table);
      assert.deepEqual(theirs.plain.frames[0]?.data.old_record, { id: 70 }, `${table}: RLS table → primary key only`);
      assert.deepEqual(theirs.plain.frames[0]?.data.columns.map((column) => column.name), ['id', 'owner', 'n', 'label', 'done']);
      for (const subscriber of [...Object.values(mine), ...Object.values(theirs)]) feed.unsubscribe(subscriber);
    }
  });

  it('delivers in commit order, within and across transactions', async () => {
    const subscriber = await subscribed(SERVICE, [binding(1, { event: '*', table: 'rt_items' })]);
    await stack.db.query(`begin;
      insert into public.rt_items (id, n) values (80, 1);
      update public.rt_items set n = 2 where id = 80;
      insert into public.rt_items (id, n) values (81, 1);
      delete from public.rt_items where id = 80;
      commit;`);
    const first = await stack.db.connect();
    const second = await stack.db.connect();
    try {
      await first.query('begin');
      await first.query('insert into public.rt_items (id, n) values (82, 1)');
      await second.query('begin');
      await second.query('insert into public.rt_items (id, n) values (83, 1)');
      await second.query('commit');
      await first.query('update public.rt_items set n = 3 where id = 81');
      await first.query('commit');
    } finally {
      first.release();
      second.release();
    }
    await feed.flush();
    assert.deepEqual(subscriber.frames.map((frame) => `${frame.data.type} ${String(frame.data.record?.id ?? frame.data.old_record?.id)}`),
      ['INSERT 80', 'UPDATE 80', 'INSERT 81', 'DELETE 80', 'INSERT 83', 'INSERT 82', 'UPDATE 81']);
    feed.unsubscribe(subscriber);
    await stack.db.query('delete from public.rt_items where id between 80 and 83');
    await feed.flush();
  });

  it("sends a new message's frame before its conversation's counters, so the message is not kept waiting", async () => {
    const visitor = await signInVisitor(stack);
    const conversation = await startConversation(visitor as Person);
    await feed.flush();
    const subscriber = await subscribed(SERVICE, [binding(1, { event: '*', table: 'messages' }), binding(2, { event: '*', table: 'conversations' })]);
    const message = await send(visitor as Person, conversation.id, 'first in line');
    await feed.flush();
    assert.deepEqual(subscriber.frames.map((frame) => `${frame.data.type} ${frame.data.table} ${String(frame.data.record?.id)}`),
      [`INSERT messages ${message.id}`, `UPDATE conversations ${conversation.id}`]);
    feed.unsubscribe(subscriber);
  });

  it('keeps 20 customers isolated under 1,000 inserts while an agent receives all', async () => {
    const customers = await Promise.all(Array.from({ length: 20 }, () => signInVisitor(stack)));
    const conversations = await Promise.all(customers.map((customer) => startConversation(customer)));
    const all = [binding(9, { event: 'INSERT', table: 'messages' })];
    const subscribers = await Promise.all(customers.map(async (customer) => subscribed(await personClaims(customer), all)));
    const agent = await subscribed(await personClaims(await signInAgent(stack, SEED.jordan)), all);
    const ids = conversations.map((conversation) => conversation.id);

    const started = performance.now();
    for (let round = 0; round < 10; round++) {
      await stack.db.query(`
        insert into public.messages (conversation_id, seq, public_seq, sender_type, content)
        select c.id, s, s, 'system', 'message ' || s
          from unnest($1::uuid[]) with ordinality c(id, ord) cross join generate_series($2::int, $3::int) s
         order by s, c.ord`, [ids, round * 5 + 1, round * 5 + 5]);
    }
    await feed.flush();
    const elapsed = performance.now() - started;
    if (process.env.PARLEY_DEBUG) console.error(`realtime-changes: 1000 inserts × 21 subscribers dispatched in ${elapsed.toFixed(0)} ms`);

    subscribers.forEach((subscriber, index) => {
      const frames = subscriber.of('messages');
      assert.equal(frames.length, 50, `customer ${index}`);
      assert.ok(frames.every((frame) => frame.data.record?.conversation_id === ids[index]), `customer ${index} sees only their conversation`);
      assert.deepEqual(frames.map((frame) => frame.data.record?.seq), Array.from({ length: 50 }, (_, i) => i + 1));
    });
    assert.equal(agent.of('messages').length, 1000);
    for (const subscriber of [...subscribers, agent]) feed.unsubscribe(subscriber);
  });

  it('rejects bindings Realtime rejects, with its error texts', async () => {
    const check = async (claims: Claims, fields: Omit<ChangeBinding, 'id' | 'schema'>, expected: string | RegExp) => {
      const subscriber = new FakeSubscriber(claims);
      const result = await feed.subscribe(subscriber, [binding(1, fields)]);
      if (typeof expected === 'string') assert.equal(result, expected);
      else assert.match(result ?? '', expected);
      return subscriber;
    };
    const outside = await check(SERVICE, { event: 'INSERT', table: 'rt_outside' },
      'Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: INSERT, schema: public, table: rt_outside, filters: [], select: nil]');
    await check(SERVICE, { event: '*', table: 'rt_items', filter: 'id=foo.1' }, 'Error parsing `filter` params: ["foo", "1"]');
    await check(SERVICE, { event: '*', table: 'rt_items', filter: 'undefined' }, 'Error parsing `filter` params: ["undefined"]');
    await check(SERVICE, { event: '*', table: 'rt_items', filter: 'nope=eq.1' },
      'Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [event: *, schema: public, table: rt_items, filters: [{"nope", "eq", "1", false}], select: nil]. Exception: ERROR P0001 (raise_exception) invalid column for filter nope');
    await check(user(crypto.randomUUID()), { event: '*', table: 'rt_items', filter: 'secret=eq.x' }, /invalid column for filter secret$/);
    await check(SERVICE, { event: '*', table: 'rt_items', filter: 'n=eq.abc' }, /Exception: ERROR 22P02 \(invalid_text_representation\) invalid input syntax for type integer: "abc"$/);
    const values = Array.from({ length: 101 }, (_, i) => i).join(',');
    await check(SERVICE, { event: '*', table: 'rt_items', filter: `n=in.(${values})` }, /too many values for `in` filter\. Maximum 100$/);
    await check(SERVICE, { event: '*', table: 'rt_items', filter: `n=in.(${values.slice(0, values.lastIndexOf(','))})` }, /^$/);

    await stack.db.query('insert into public.rt_outside values (1)');
    await feed.flush();
    assert.deepEqual(outside.frames, []);
  });

  it('turns realtime.send into broadcasts', async () => {
    broadcasts.length = 0;
    await stack.db.query(`select realtime.send('{"hello":"world"}'::jsonb, 'ping', 'room:1', false);
                          select realtime.send('{"id":"given"}'::jsonb, 'pong', 'room:2')`);
    await feed.flush();
    assert.equal(broadcasts.length, 2);
    const [ping, pong] = broadcasts;
    assert.deepEqual({ ...ping, id: 'x', payload: { ...(ping?.payload as object), id: 'x' } },
      { id: 'x', topic: 'room:1', event: 'ping', private: false, payload: { hello: 'world', id: 'x' } });
    assert.match(ping?.id ?? '', /^[0-9a-f-]{36}$/);
    assert.match(String((ping?.payload as { id?: unknown }).id), /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...pong, id: 'x' }, { id: 'x', topic: 'room:2', event: 'pong', private: true, payload: { id: 'given' } });
  });

  it('reconnects after losing the replication connection, without losing or repeating changes', async () => {
    const subscriber = await subscribed(SERVICE, [binding(1, { event: 'INSERT', table: 'rt_items' })]);
    await stack.db.query('insert into public.rt_items (id, n) values (90, 1)');
    await feed.flush();
    const { rowCount } = await stack.db.query(
      "select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name like 'parley\\_realtime\\_%' and active");
    assert.ok((rowCount ?? 0) >= 1, 'a walsender was terminated');
    await stack.db.query('insert into public.rt_items (id, n) values (91, 1)');
    await within(feed.flush(), 10_000, 'flush after a reconnect');
    await stack.db.query('insert into public.rt_items (id, n) values (92, 1)');
    await within(feed.flush(), 10_000, 'flush');
    assert.deepEqual(subscriber.frames.map((frame) => frame.data.record?.id), [90, 91, 92]);
    feed.unsubscribe(subscriber);
    await stack.db.query('delete from public.rt_items where id between 90 and 92');
    await feed.flush();
  });

  it('manages its replication slot: drops stale ones at start and its own on close', async () => {
    const slots = async () => (await stack.db.query<{ slot_name: string }>(
      "select slot_name from pg_replication_slots where slot_name like 'parley\\_realtime\\_%' order by 1")).rows.map((row) => row.slot_name);
    await stack.db.query("select pg_create_logical_replication_slot('parley_realtime_stale', 'pgoutput')");
    const before = await slots();
    assert.ok(before.includes('parley_realtime_stale'));
    // Slots in use now; an earlier test's reconnect may have left an inactive one, stale like ours.
    const active = (await stack.db.query<{ slot_name: string }>(
      "select slot_name from pg_replication_slots where slot_name like 'parley\\_realtime\\_%' and active")).rows.map((row) => row.slot_name);
    const second = await createChangeFeed({ pool, databaseUrl: stack.stack.databaseUrl, log: () => undefined, onBroadcast: () => undefined });
    const during = await slots();
    assert.equal(during.includes('parley_realtime_stale'), false, 'the stale slot is dropped');
    const added = during.filter((name) => !before.includes(name));
    assert.equal(added.length, 1, 'the new feed made one slot');
    assert.deepEqual(during.filter((name) => !added.includes(name)).sort(), [...active].sort(),
      'only the slots in use are left beside it');
    await second.close();
    await waitFor(async () => !(await slots()).includes(added[0] as string), 'the closed feed’s slot to be dropped');
    assert.ok((await slots()).length >= 1, 'the running feed keeps its slot');
  });
});

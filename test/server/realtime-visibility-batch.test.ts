// The batched RLS check of postgres_changes (realtime.parley_visible): many changes and many claims
// sets in one batch get exactly what each may see, as one WALRUS check per subscriber would give;
// the cached lookups follow policy and key changes and never fall back to scanning the table.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Claims } from '../../supabase/local/src/keys.ts';
import { createChangeFeed } from '../../supabase/local/src/realtime/changes/index.ts';
import type { ChangeBinding, ChangeData, ChangeFeed, ChangeSubscriber } from '../../supabase/local/src/realtime/types.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';

const MIGRATIONS = fileURLToPath(new URL('../../supabase/migrations', import.meta.url));

const FIXTURE = `
create table public.rt_owned (id int8 primary key, owner uuid, label text);
alter table public.rt_owned enable row level security;
create policy "owners see their rows" on public.rt_owned for select to authenticated using (owner = auth.uid());
grant select on public.rt_owned to authenticated;
alter publication supabase_realtime add table public.rt_owned;

create table public.rt_keyed (a int4, b text, owner uuid, primary key (a));
alter table public.rt_keyed enable row level security;
create policy "owners see their rows" on public.rt_keyed for select to authenticated using (owner = auth.uid());
grant select on public.rt_keyed to authenticated;
`;

class FakeSubscriber implements ChangeSubscriber {
  readonly frames: ChangeData[] = [];
  constructor(private readonly current: Claims) {}
  claims(): Claims {
    return this.current;
  }
  deliver(_ids: number[], data: ChangeData): void {
    this.frames.push(structuredClone(data));
  }
  /** `TYPE id` per frame, in delivery order. */
  events(): string[] {
    return this.frames.map((frame) => `${frame.type} ${String(frame.record?.id ?? frame.old_record?.id)}`);
  }
}

const user = (sub: string): Claims => ({ role: 'authenticated', sub, aud: 'authenticated' });
const SERVICE: Claims = { role: 'service_role', iss: 'supabase-demo' };
const ALL: ChangeBinding[] = [{ id: 1, event: '*', schema: 'public', table: 'rt_owned' }];

describe('batched RLS checks of postgres_changes', () => {
  let stack: TestStack;
  let pool: pg.Pool;
  let feed: ChangeFeed;

  before(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-rt-visibility-'));
    for (const file of await readdir(MIGRATIONS)) await copyFile(path.join(MIGRATIONS, file), path.join(dir, file));
    await writeFile(path.join(dir, '29991231000000_realtime_visibility_fixture.sql'), FIXTURE);
    stack = await startTestStack({ migrationsDir: dir });
    pool = new pg.Pool({ connectionString: stack.stack.databaseUrl, max: 8 });
    feed = await createChangeFeed({
      pool,
      databaseUrl: stack.stack.databaseUrl,
      log: process.env.PARLEY_DEBUG ? (line) => console.error(line) : () => undefined,
      onBroadcast: () => undefined,
    });
  });

  after(async () => {
    await feed.close();
    await pool.end();
    await stack.close();
  });

  async function subscribed(claims: Claims, bindings = ALL): Promise<FakeSubscriber> {
    const subscriber = new FakeSubscriber(claims);
    assert.equal(await feed.subscribe(subscriber, bindings), null);
    return subscriber;
  }

  it('gives every claims set of one batch exactly the rows its policy shows at check time', async () => {
    const [alice, bob, carol] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const subscribers = {
      alice: await subscribed(user(alice)),
      // The same claims on another channel: one check serves both.
      aliceAgain: await subscribed(user(alice)),
      bob: await subscribed(user(bob)),
      carol: await subscribed(user(carol)),
      anon: await subscribed({ role: 'anon', iss: 'supabase-demo' }),
      service: await subscribed(SERVICE),
    };
    // One transaction, so one batch: 7 moves from alice to bob and 8 is gone before any check.
    await stack.db.query(`begin;
      insert into public.rt_owned (id, owner) values (1, $1), (2, $2), (3, $1), (4, $2), (5, $1), (6, $2);
      insert into public.rt_owned (id, owner) values (7, $1);
      update public.rt_owned set owner = $2 where id = 7;
      insert into public.rt_owned (id, owner) values (8, $1);
      delete from public.rt_owned where id = 8;
      commit;`.replaceAll('$1', `'${alice}'`).replaceAll('$2', `'${bob}'`));
    await feed.flush();

    assert.deepEqual(subscribers.alice.events(), ['INSERT 1', 'INSERT 3', 'INSERT 5', 'DELETE 8'],
      'alice: her rows; not 7, which is bob\'s by the time of the check, nor 8, which is gone; DELETEs are not checked');
    assert.deepEqual(subscribers.aliceAgain.events(), subscribers.alice.events());
    assert.deepEqual(subscribers.bob.events(), ['INSERT 2', 'INSERT 4', 'INSERT 6', 'INSERT 7', 'UPDATE 7', 'DELETE 8'],
      'bob: 7 is visible to him at check time, so its INSERT (still showing alice) reaches him');
    assert.equal(subscribers.bob.frames[3]?.record?.owner, alice, 'the record is the WAL image, not the row at check time');
    assert.deepEqual(subscribers.carol.events(), ['DELETE 8']);
    assert.deepEqual(subscribers.carol.frames[0]?.old_record, { id: 8 }, 'a DELETE on an RLS table carries the key only');
    assert.deepEqual(subscribers.anon.events(), ['DELETE 8'], 'no policy admits anon');
    assert.deepEqual(subscribers.service.events(),
      ['INSERT 1', 'INSERT 2', 'INSERT 3', 'INSERT 4', 'INSERT 5', 'INSERT 6', 'INSERT 7', 'UPDATE 7', 'INSERT 8', 'DELETE 8'],
      'service_role bypasses RLS: nothing is checked');
    for (const subscriber of Object.values(subscribers)) feed.unsubscribe(subscriber);
    await stack.db.query('delete from public.rt_owned');
    await feed.flush();
  });

  it('checks 200 rows for 50 claims sets in one batch without mixing them up', async () => {
    const owners = Array.from({ length: 50 }, () => crypto.randomUUID());
    const subscribers = await Promise.all(owners.map((owner) => subscribed(user(owner))));
    const service = await subscribed(SERVICE);
    await stack.db.query(`insert into public.rt_owned (id, owner)
      select 1000 + i, (array[${owners.map((owner) => `'${owner}'::uuid`).join(', ')}])[1 + i % 50]
        from generate_series(0, 199) i`);
    await feed.flush();
    for (const [index, subscriber] of subscribers.entries()) {
      assert.deepEqual(subscriber.events(), [0, 1, 2, 3].map((k) => `INSERT ${1000 + index + 50 * k}`), `owner ${index}`);
    }
    assert.equal(service.frames.length, 200);
    for (const subscriber of [...subscribers, service]) feed.unsubscribe(subscriber);
    await stack.db.query('delete from public.rt_owned');
    await feed.flush();
  });

  it('follows a policy changed after checks were made', async () => {
    const [alice, carol] = [crypto.randomUUID(), crypto.randomUUID()];
    const carolSubscriber = await subscribed(user(carol));
    await stack.db.query('insert into public.rt_owned (id, owner) values (20, $1)', [alice]);
    await feed.flush();
    await stack.db.query(`alter policy "owners see their rows" on public.rt_owned using (owner = auth.uid() or label = 'shared')`);
    await stack.db.query(`insert into public.rt_owned (id, owner, label) values (21, $1, 'shared'), (22, $1, null)`, [alice]);
    await feed.flush();
    assert.deepEqual(carolSubscriber.events(), ['INSERT 21']);
    await stack.db.query('alter policy "owners see their rows" on public.rt_owned using (owner = auth.uid())');
    await stack.db.query(`insert into public.rt_owned (id, owner, label) values (23, $1, 'shared')`, [alice]);
    await feed.flush();
    assert.deepEqual(carolSubscriber.events(), ['INSERT 21']);
    feed.unsubscribe(carolSubscriber);
    await stack.db.query('delete from public.rt_owned');
    await feed.flush();
  });

  describe('realtime.parley_visible', () => {
    const check = (owner: string, rel: string, keys: (string | null)[][]) =>
      ({ role: 'authenticated', claims: JSON.stringify(user(owner)), rel, keys });

    async function visible(client: pg.ClientBase, checks: ReturnType<typeof check>[]): Promise<string[]> {
      const { rows } = await client.query<{ check_index: number; key_index: number }>(
        'select check_index, key_index from realtime.parley_visible($1::jsonb) order by 1, 2', [JSON.stringify(checks)]);
      return rows.map((row) => `${row.check_index}:${row.key_index}`);
    }

    it('gives each check its own claims set, also after a check of the same claims failed', async () => {
      const [owner, other] = [crypto.randomUUID(), crypto.randomUUID()];
      const client = await stack.db.connect();
      try {
        const oid = async (table: string) => (await client.query<{ oid: string }>('select $1::regclass::oid as oid', [table])).rows[0]?.oid ?? '';
        const [owned, keyed] = [await oid('public.rt_owned'), await oid('public.rt_keyed')];
        const role = (await client.query<{ role: string }>('select current_user as role')).rows[0]?.role;
        await client.query('insert into public.rt_owned (id, owner) values (30, $1), (31, $2)', [owner, other]);
        await client.query(`insert into public.rt_keyed (a, b, owner) values (5, 'k', $1)`, [owner]);
        // The second check's key is no number: it fails and sees nothing, and the checks after it
        // still run with their claims.
        assert.deepEqual(await visible(client, [
          check(owner, owned, [['30'], ['31']]), check(owner, owned, [['x']]), check(owner, keyed, [['5']]),
          check(other, owned, [['30'], ['31']]), check(other, keyed, [['5']]),
        ]), ['0:0', '2:0', '3:1']);
        assert.equal((await client.query<{ role: string }>('select current_user as role')).rows[0]?.role, role, 'the role is reset');
      } finally {
        await client.query('delete from public.rt_owned');
        await client.query('delete from public.rt_keyed');
        client.release();
      }
    });

    it('looks rows up by key, however much the table grew since its plan was made', async () => {
      const owner = crypto.randomUUID();
      const other = crypto.randomUUID();
      const client = await stack.db.connect();
      try {
        const rel = (await client.query<{ oid: string }>("select 'public.rt_owned'::regclass::oid as oid")).rows[0]?.oid ?? '';
        await client.query('insert into public.rt_owned (id, owner) values (1, $1), (2, $2)', [owner, other]);
        // Enough runs for PostgreSQL to settle on a generic plan, while the table has two rows.
        for (let run = 0; run < 8; run++) assert.deepEqual(await visible(client, [check(owner, rel, [['1'], ['2']])]), ['0:0']);
        await client.query('insert into public.rt_owned (id, owner) select i, $1 from generate_series(3, 20000) i', [other]);

        // The backend's scan counters, read in one transaction so that nothing else moves them.
        const counters = async () => (await client.query<{ seq_scan: string; idx_tup_fetch: string }>(
          'select seq_scan, idx_tup_fetch from pg_stat_xact_user_tables where relid = $1::oid', [rel])).rows[0];
        await client.query('begin');
        const before = await counters();
        assert.deepEqual(await visible(client, [check(owner, rel, [['2'], ['1'], ['19999']]), check(other, rel, [['1'], ['3']])]),
          ['0:1', '1:1']);
        const after = await counters();
        await client.query('commit');
        assert.equal(Number(after?.seq_scan) - Number(before?.seq_scan), 0, 'no sequential scan of the table');
        assert.equal(Number(after?.idx_tup_fetch) - Number(before?.idx_tup_fetch), 5, 'one index fetch per key checked');
      } finally {
        await client.query('rollback').catch(() => undefined);
        await client.query('delete from public.rt_owned');
        client.release();
      }
    });

    it('follows a primary key that changed after its statement was prepared', async () => {
      const owner = crypto.randomUUID();
      const client = await stack.db.connect();
      try {
        const rel = (await client.query<{ oid: string }>("select 'public.rt_keyed'::regclass::oid as oid")).rows[0]?.oid ?? '';
        await client.query(`insert into public.rt_keyed (a, b, owner) values (1, 'x', $1), (2, 'y', gen_random_uuid())`, [owner]);
        assert.deepEqual(await visible(client, [check(owner, rel, [['2'], ['1']])]), ['0:1']);
        await client.query('alter table public.rt_keyed drop constraint rt_keyed_pkey, add primary key (b, a)');
        assert.deepEqual(await visible(client, [check(owner, rel, [['y', '2'], ['x', '1'], ['x', '2']])]), ['0:1']);
      } finally {
        await client.query('delete from public.rt_keyed');
        client.release();
      }
    });
  });
});

// The local stack as a library: options are validated up front, the migration runner applies only
// new files on the next start, a failing migration changes nothing, and the seed runs only once.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createLocalStack, LocalStackOptionError, type LocalStackOptions } from '../../supabase/local/src/index.ts';
import { DEFAULT_ANON_KEY, verifyJwt } from '../../supabase/local/src/keys.ts';

describe('createLocalStack options', () => {
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown option', { prot: 1 }, /option "prot" is not a known option/],
    ['a zero token lifetime', { jwtExpirySeconds: 0 }, /option "jwtExpirySeconds" must be an integer/],
    ['a short JWT secret', { jwtSecret: 'short' }, /option "jwtSecret" must be at least 32 characters/],
    ['a database URL that is not one', { databaseUrl: 'mysql://x' }, /option "databaseUrl" must start with postgres/],
    ['a non-boolean reset', { reset: 'yes' }, /option "reset" must be a boolean/],
    ['a zero Storage upload limit', { storageFileSizeLimit: 0 }, /option "storageFileSizeLimit" must be an integer ≥ 1/],
    ['an empty Storage folder', { storageDir: '' }, /option "storageDir" must be a non-empty string/],
  ];
  for (const [name, options, message] of refused) {
    it(`refuses ${name}, naming the option`, async () => {
      await assert.rejects(createLocalStack(options as LocalStackOptions), (error: unknown) => {
        assert.ok(error instanceof LocalStackOptionError);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

describe('migrations and data across restarts', { skip: process.env.DATABASE_URL ? 'uses an embedded cluster' : false }, () => {
  let root: string;
  let migrationsDir: string;
  let dataDir: string;
  let seedFile: string;

  const start = (extra: LocalStackOptions = {}) =>
    createLocalStack({ dataDir, migrationsDir, seedFile, fsync: false, ...extra });
  const query = async (url: string, sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'parley-stack-'));
    migrationsDir = path.join(root, 'migrations');
    dataDir = path.join(root, 'db');
    seedFile = path.join(root, 'seed.sql');
    await mkdir(migrationsDir);
    await writeFile(path.join(migrationsDir, '20260101000000_notes.sql'), 'create table public.notes (id int primary key, body text);');
    await writeFile(seedFile, "insert into public.notes values (1, 'seeded');");
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('bootstraps, migrates and seeds a fresh database', async () => {
    const stack = await start();
    try {
      assert.deepEqual(stack.migrations, { bootstrapped: true, applied: ['20260101000000_notes.sql'], seeded: true });
      const rows = await query(stack.databaseUrl, "select body, current_setting('wal_level') as wal from public.notes");
      assert.deepEqual(rows, [{ body: 'seeded', wal: 'logical' }]);
    } finally {
      await stack.close();
    }
  });

  it('keeps data, applies only new migrations and does not seed again', async () => {
    await writeFile(path.join(migrationsDir, '20260102000000_more.sql'), "insert into public.notes values (2, 'migrated');");
    const stack = await start();
    try {
      assert.deepEqual(stack.migrations, { bootstrapped: false, applied: ['20260102000000_more.sql'], seeded: false });
      const rows = await query(stack.databaseUrl, 'select id, body from public.notes order by id');
      assert.deepEqual(rows, [{ id: 1, body: 'seeded' }, { id: 2, body: 'migrated' }]);
      const versions = await query(stack.databaseUrl, 'select version from supabase_migrations.schema_migrations order by 1');
      assert.deepEqual(versions.map((row) => row.version), ['20260101000000', '20260102000000']);
    } finally {
      await stack.close();
    }
  });

  it('a failing migration names its file and changes nothing', async () => {
    await writeFile(path.join(migrationsDir, '20260103000000_broken.sql'),
      "insert into public.notes values (3, 'half'); select * from public.missing_table;");
    await assert.rejects(start(), /20260103000000_broken\.sql failed: relation "public.missing_table" does not exist/);
    await rm(path.join(migrationsDir, '20260103000000_broken.sql'));
    const stack = await start();
    try {
      assert.deepEqual(stack.migrations.applied, []);
      const rows = await query(stack.databaseUrl, 'select count(*)::int as n from public.notes');
      assert.deepEqual(rows, [{ n: 2 }]);
    } finally {
      await stack.close();
    }
  });

  it('a custom JWT secret signs the API keys, and the default keys stop working', async () => {
    const jwtSecret = 'a-project-specific-secret-of-at-least-32-chars';
    const stack = await start({ reset: true, ephemeral: true, jwtSecret });
    try {
      const url = await stack.listen(0);
      const claims = await verifyJwt(jwtSecret, stack.keys.anon);
      assert.equal(claims.role, 'anon');
      assert.notEqual(stack.keys.anon, DEFAULT_ANON_KEY);
      const ok = await fetch(`${url}/auth/v1/settings`, { headers: { apikey: stack.keys.anon } });
      assert.equal(ok.status, 200);
      const refused = await fetch(`${url}/auth/v1/settings`, { headers: { apikey: DEFAULT_ANON_KEY } });
      assert.equal(refused.status, 401);
    } finally {
      await stack.close();
    }
  });

  it('reset starts from an empty database', async () => {
    const stack = await start({ reset: true, ephemeral: true });
    try {
      assert.equal(stack.migrations.bootstrapped, true);
      assert.equal(stack.migrations.seeded, true);
      const rows = await query(stack.databaseUrl, 'select count(*)::int as n from public.notes');
      assert.deepEqual(rows, [{ n: 2 }]);
    } finally {
      await stack.close();
    }
  });
});

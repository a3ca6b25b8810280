import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { signJwt, verifyJwt } from '../../supabase/local/src/keys.ts';
import { inRequestTransaction, type RequestScope } from '../../supabase/local/src/rest/transaction.ts';
import type { TestStack } from '../helpers/stack.ts';
import { startRestStack } from '../fixtures/rest/setup.ts';

// What a request runs with (role, claims, request.* settings), set in the same round trip as BEGIN,
// and the verification cache in front of every token.

let stack: TestStack;

before(async () => {
  stack = await startRestStack();
});

after(async () => {
  await stack.close();
});

describe('request settings', () => {
  it('hands the function the claims, headers, method and path exactly as sent, quotes and backslashes included', async () => {
    const now = Math.floor(Date.now() / 1000);
    const awkward = `it's a \\ back'slash\\' E'\\x41' "quoted" ü 🙂 $$ $tag$ --`;
    const claims = { role: 'authenticated', sub: crypto.randomUUID(), exp: now + 600, note: awkward, nested: { list: [awkward] } };
    const token = await signJwt(stack.stack.keys.jwtSecret, claims);
    const response = await fetch(`${stack.url}/rest/v1/rpc/request_settings`, {
      method: 'POST',
      headers: { apikey: stack.stack.keys.anon, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Odd': awkward.replace(/[^\x20-\x7e]/g, '?') },
      body: '{}',
    });
    assert.equal(response.status, 200);
    const settings = await response.json() as { role: string; claims: unknown; headers: Record<string, string>; method: string; path: string; search_path: string; statement_timeout: string };
    assert.equal(settings.role, 'authenticated');
    assert.deepEqual(settings.claims, claims);
    assert.equal(settings.headers['x-odd'], awkward.replace(/[^\x20-\x7e]/g, '?'));
    assert.equal(settings.method, 'POST');
    assert.equal(settings.path, '/rpc/request_settings');
    assert.equal(settings.search_path, '"public", "extensions"');
    assert.equal(settings.statement_timeout, '8s', "the role's own timeout");
  });

  it('runs anon requests as anon with its timeout', async () => {
    const { data, error } = await stack.client().rpc('request_settings');
    assert.equal(error, null);
    const settings = data as { role: string; statement_timeout: string; claims: { role: string } };
    assert.equal(settings.role, 'anon');
    assert.equal(settings.claims.role, 'anon');
    assert.equal(settings.statement_timeout, '3s');
  });

  it('on a pipelining connection, runs nothing of a request whose settings fail, and reports their error', async () => {
    const pool = new pg.Pool({ connectionString: stack.stack.databaseUrl, max: 1, pipeline: true });
    const scope = (role: string): RequestScope => ({
      claims: { role }, method: 'POST', path: '/rpc/x', req: new IncomingMessage(new Socket()), readOnly: false,
      statementTimeout: null, searchPath: ['public'],
    });
    const marker = `pipelined_${crypto.randomUUID().replaceAll('-', '')}`;
    try {
      // The statement is written before the settings' answer: it must meet an aborted transaction.
      await assert.rejects(
        inRequestTransaction(pool, scope('no_such_role'), async (client) => {
          await client.query(`create table public.${marker} ()`);
          return { value: null, commit: true };
        }),
        (error: { code?: string; message?: string }) => error.code === '22023' && /no_such_role/.test(error.message ?? ''));
      const tables = await stack.db.query('select 1 from pg_catalog.pg_tables where tablename = $1', [marker]);
      assert.equal(tables.rowCount, 0);
      // The same connection serves the next request.
      const role = await inRequestTransaction(pool, scope('anon'), async (client) =>
        ({ value: (await client.query<{ role: string }>('select current_user as role')).rows[0]?.role, commit: false }));
      assert.equal(role, 'anon');
    } finally {
      await pool.end();
    }
  });
});

describe('token verification cache', () => {
  it('commits ahead: a statement that works is stored, one that fails stores nothing, and the connection goes on', async () => {
    const pool = new pg.Pool({ connectionString: stack.stack.databaseUrl, max: 1, pipeline: true });
    const scope: RequestScope = {
      claims: { role: 'postgres' }, method: 'POST', path: '/rpc/x', req: new IncomingMessage(new Socket()), readOnly: false,
      statementTimeout: null, searchPath: ['public'],
    };
    const table = `ahead_${crypto.randomUUID().replaceAll('-', '')}`;
    await stack.db.query(`create table public.${table} (n int check (n > 0))`);
    const insert = (n: number) => inRequestTransaction(pool, scope, async (client) =>
      ({ value: (await client.query<{ n: number }>(`insert into public.${table} values ($1) returning n`, [n])).rows[0]?.n, commit: true }),
    { commitAhead: true });
    try {
      assert.equal(await insert(1), 1);
      // The check fails inside the statement: PostgreSQL turns the COMMIT behind it into a ROLLBACK.
      await assert.rejects(insert(-1), (error: { code?: string }) => error.code === '23514');
      assert.equal(await insert(2), 2, 'the same connection serves the next request, in a transaction of its own');
      const { rows } = await stack.db.query<{ n: number }>(`select n from public.${table} order by n`);
      assert.deepEqual(rows.map((row) => row.n), [1, 2]);
      // Committed when answered: another connection sees the row at once.
      assert.equal((await stack.db.query(`select 1 from public.${table} where n = 2`)).rowCount, 1);
    } finally {
      await pool.end();
      await stack.db.query(`drop table public.${table}`);
    }
  });

  it('answers a token it verified before only until it expires, and never caches a refusal', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const secret = 'a-test-secret-of-at-least-thirty-two-characters';
    const exp = Math.floor(Date.now() / 1000) + 60;
    const token = await signJwt(secret, { role: 'authenticated', sub: 'someone', exp });
    const first = await verifyJwt(secret, token);
    assert.equal(await verifyJwt(secret, token), first, 'the second verification is the cached one');
    await assert.rejects(verifyJwt(`${secret}-other`, token), { reason: 'signature' }, 'cached per secret');

    t.mock.timers.tick(61_000);
    await assert.rejects(verifyJwt(secret, token), { reason: 'expired' });
    await assert.rejects(verifyJwt(secret, token), { reason: 'expired' });
  });
});

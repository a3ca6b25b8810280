import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signJwt } from '../../supabase/local/src/keys.ts';
import type { TestStack } from '../helpers/stack.ts';
import { countRows, startRestStack, userClient } from '../fixtures/rest/setup.ts';

// The REST behaviours supabase-js silently relies on (SUPABASE-WIRE §3, §7 item 10).

let stack: TestStack;

before(async () => {
  stack = await startRestStack();
});

after(async () => {
  await stack.close();
});

describe('rest contract', () => {
  it('insert().select().single() returns the new row as an object with 201', async () => {
    const anon = stack.client();
    const { data, error, status } = await stack.client(stack.stack.keys.serviceRole)
      .from('items').insert({ id: 10, label: 'ten' }).select().single();
    assert.equal(error, null);
    assert.equal(status, 201);
    assert.deepEqual(data, { id: 10, label: 'ten', qty: 0 });
    const read = await anon.from('items').select('label').eq('id', 10).single();
    assert.deepEqual(read.data, { label: 'ten' });
  });

  it("select('*', { count: 'exact', head: true }) gives the count and no data", async () => {
    const { data, count, error, status } = await stack.client().from('books').select('*', { count: 'exact', head: true });
    assert.equal(error, null);
    assert.equal(status, 200);
    assert.equal(data, null);
    assert.equal(count, 4);
  });

  it('sends Content-Range totals and 206 for a partial counted page', async () => {
    const { data, count, status } = await stack.client().from('books').select('id', { count: 'exact' }).order('id').range(1, 2);
    assert.deepEqual(data, [{ id: 2 }, { id: 3 }]);
    assert.equal(count, 4);
    assert.equal(status, 206);
    const response = await fetch(`${stack.url}/rest/v1/books?select=id&order=id&offset=1&limit=2`, {
      headers: { apikey: stack.stack.keys.anon, Prefer: 'count=exact' },
    });
    assert.equal(response.headers.get('content-range'), '1-2/4');
    const empty = await fetch(`${stack.url}/rest/v1/books?id=eq.999`, { headers: { apikey: stack.stack.keys.anon, Prefer: 'count=exact' } });
    assert.equal(empty.headers.get('content-range'), '*/0');
    const uncounted = await fetch(`${stack.url}/rest/v1/books?select=id&limit=2`, { headers: { apikey: stack.stack.keys.anon } });
    assert.equal(uncounted.headers.get('content-range'), '0-1/*');
  });

  it('maybeSingle() on 0, 1 and 2 rows', async () => {
    const client = stack.client();
    const none = await client.from('authors').select('name').eq('name', 'Nobody').maybeSingle();
    assert.equal(none.error, null);
    assert.equal(none.data, null);
    const one = await client.from('authors').select('name').eq('name', 'Ann').maybeSingle();
    assert.deepEqual(one.data, { name: 'Ann' });
    const two = await client.from('authors').select('name').in('name', ['Ann', 'Bob']).maybeSingle();
    assert.equal(two.data, null);
    assert.equal(two.status, 406);
    assert.equal(two.error?.code, 'PGRST116');
  });

  it('single() on several rows is 406 PGRST116 from the server', async () => {
    const { data, error, status } = await stack.client().from('authors').select('name').single();
    assert.equal(data, null);
    assert.equal(status, 406);
    assert.deepEqual(error, {
      code: 'PGRST116', details: 'The result contains 3 rows', hint: null, message: 'Cannot coerce the result to a single JSON object',
    });
  });

  it('a duplicate insert is 409 with 23505 and inserts nothing', async () => {
    const before = await countRows(stack, 'authors');
    const { error, status } = await stack.client(stack.stack.keys.serviceRole).from('authors').insert({ name: 'Ann' });
    assert.equal(status, 409);
    assert.equal(error?.code, '23505');
    assert.equal(error?.message, 'duplicate key value violates unique constraint "authors_name_key"');
    assert.equal(error?.details, 'Key (name)=(Ann) already exists.');
    assert.equal(await countRows(stack, 'authors'), before);
  });

  it('an RLS-denied insert is 401 as anon and 403 as a user', async () => {
    const before = await countRows(stack, 'notes');
    const anon = await stack.client().from('notes').insert({ owner: '00000000-0000-0000-0000-000000000001', body: 'x' });
    assert.equal(anon.status, 401);
    assert.equal(anon.error?.code, '42501');
    assert.equal(anon.error?.message, 'new row violates row-level security policy for table "notes"');
    const user = await userClient(stack);
    const denied = await user.client.from('notes').insert({ owner: '00000000-0000-0000-0000-000000000001', body: 'x' });
    assert.equal(denied.status, 403);
    assert.equal(denied.error?.code, '42501');
    assert.equal(await countRows(stack, 'notes'), before);
  });

  it('RLS and auth.uid() follow the bearer token', async () => {
    const alice = await userClient(stack);
    const bob = await userClient(stack);
    const created = await alice.client.from('notes').insert({ body: 'mine' }).select('owner, body').single();
    assert.equal(created.error, null);
    assert.deepEqual(created.data, { owner: alice.id, body: 'mine' });
    assert.deepEqual((await alice.client.from('notes').select('body')).data, [{ body: 'mine' }]);
    assert.deepEqual((await bob.client.from('notes').select('body')).data, []);
    assert.deepEqual((await stack.client().from('notes').select('body')).data, []);
    const who = await alice.client.rpc('whoami');
    assert.deepEqual(who.data, { role: 'authenticated', sub: alice.id, method: 'POST', path: '/rpc/whoami' });
  });

  it('minimal writes return data null with 201 and 204', async () => {
    const service = stack.client(stack.stack.keys.serviceRole);
    const inserted = await service.from('items').insert({ id: 20, label: 'twenty' });
    assert.deepEqual([inserted.status, inserted.data, inserted.error], [201, null, null]);
    const updated = await service.from('items').update({ qty: 7 }).eq('id', 20);
    assert.deepEqual([updated.status, updated.data, updated.error], [204, null, null]);
    const deleted = await service.from('items').delete().eq('id', 20);
    assert.deepEqual([deleted.status, deleted.data, deleted.error], [204, null, null]);
    assert.equal(await countRows(stack, 'items'), 3);
  });

  it('answers CORS preflights with the headers supabase-js sends and exposes Content-Range', async () => {
    const requested = 'apikey, authorization, x-client-info, content-type, prefer, accept-profile, content-profile, x-supabase-api-version';
    const preflight = await fetch(`${stack.url}/rest/v1/books`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': requested },
    });
    assert.equal(preflight.status, 200);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const name of requested.split(', ')) assert.ok(allowed.includes(name), name);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.test');
    const response = await fetch(`${stack.url}/rest/v1/books?select=id`, { headers: { apikey: stack.stack.keys.anon, Origin: 'http://app.test' } });
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://app.test');
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /Content-Range/);
    const failed = await fetch(`${stack.url}/rest/v1/nope`, { headers: { apikey: stack.stack.keys.anon, Origin: 'http://app.test' } });
    assert.equal(failed.status, 404);
    assert.equal(failed.headers.get('access-control-allow-origin'), 'http://app.test');
  });

  it('an expired access token is 401 PGRST303 with WWW-Authenticate', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await signJwt(stack.stack.keys.jwtSecret, { role: 'authenticated', sub: crypto.randomUUID(), exp: now - 10 });
    const response = await fetch(`${stack.url}/rest/v1/books`, {
      headers: { apikey: stack.stack.keys.anon, Authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="JWT expired"');
    assert.deepEqual(await response.json(), { code: 'PGRST303', details: null, hint: null, message: 'JWT expired' });
  });

  it('a token signed with another secret is 401 PGRST301', async () => {
    const token = await signJwt('another-secret-that-is-at-least-32-characters', { role: 'service_role' });
    const user = await stack.client().from('books').select('id').setHeader('Authorization', `Bearer ${token}`);
    assert.equal(user.status, 401);
    assert.equal(user.error?.code, 'PGRST301');
    assert.equal(user.error?.message, 'JWSError JWSInvalidSignature');
    const garbage = await stack.client().from('books').select('id').setHeader('Authorization', 'Bearer not-a-jwt');
    assert.equal(garbage.status, 401);
    assert.equal(garbage.error?.code, 'PGRST301');
    assert.equal(garbage.error?.message, 'Expected 3 parts in JWT; got 1');
  });

  it('a role authenticator cannot switch to is refused', async () => {
    const token = await signJwt(stack.stack.keys.jwtSecret, { role: 'postgres' });
    const refused = await stack.client().from('books').select('id').setHeader('Authorization', `Bearer ${token}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.error?.code, '42501');
    const unknown = await signJwt(stack.stack.keys.jwtSecret, { role: 'nobody' });
    const missing = await stack.client().from('books').select('id').setHeader('Authorization', `Bearer ${unknown}`);
    assert.equal(missing.status, 401);
    assert.equal(missing.error?.message, 'role "nobody" does not exist');
  });

  it('the service role bypasses RLS; sb_ keys act as their role', async () => {
    const user = await userClient(stack);
    await user.client.from('notes').insert({ body: 'service can see' });
    const service = await stack.client(stack.stack.keys.secret).from('notes').select('body').eq('owner', user.id);
    assert.deepEqual(service.data, [{ body: 'service can see' }]);
    const publishable = await stack.client(stack.stack.keys.publishable).from('notes').select('body');
    assert.deepEqual(publishable.data, []);
  });

  it('only the public schema is exposed', async () => {
    const { error, status } = await stack.client().schema('auth').from('users').select('id');
    assert.equal(status, 406);
    assert.deepEqual(error, {
      code: 'PGRST106', details: null, hint: 'Only the following schemas are exposed: public', message: 'Invalid schema: auth',
    });
  });
});

// Deeply nested input over HTTP — JSON bodies of REST writes, RPC calls and auth, `select=` embed
// trees and `or=`/`and=` logic trees — gets a clear 4xx and never overflows the server's stack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInVisitor, type Person } from '../helpers/users.ts';
import { answer, assertGoTrueError, assertPostgrestError, deepArray, deepObject } from './http-shapes.ts';
import { survives } from './survival.ts';

/** Far past any recursion limit: JSON.stringify and pg's serializer overflow long before. */
const ABYSS = 100_000;

describe('security: deeply nested HTTP input', () => {
  let stack: TestStack;
  let visitor: Person;
  let visitorToken: string;

  before(async () => {
    stack = await startTestStack();
    visitor = await signInVisitor(stack);
    visitorToken = (await visitor.client.auth.getSession()).data.session?.access_token ?? '';
  });
  after(() => stack.close());

  const rest = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${stack.url}/rest/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { apikey: stack.stack.keys.anon, authorization: `Bearer ${visitorToken}`, 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    }).then(answer);
  const auth = (path: string, body: string, init: { method?: string; key?: string; token?: string } = {}) =>
    fetch(`${stack.url}/auth/v1${path}`, {
      method: init.method ?? 'POST',
      headers: {
        apikey: init.key ?? stack.stack.keys.anon,
        authorization: `Bearer ${init.token ?? init.key ?? stack.stack.keys.anon}`,
        'content-type': 'application/json',
      },
      body,
    }).then(answer);

  it('REST bodies (insert, bulk insert, update, upsert, RPC arguments) nested too deep get 400 PGRST102', async () => {
    await survives(stack, async () => {
      const tooDeep = /nested deeper than 64 levels in request body/;
      assertPostgrestError(await rest('/messages', { method: 'POST', body: `{"content":${deepArray(ABYSS)}}` }), 400, tooDeep, 'PGRST102');
      assertPostgrestError(await rest('/messages', { method: 'POST', body: `[{"content":"a"},{"metadata":${deepArray(ABYSS)}}]` }), 400, tooDeep, 'PGRST102');
      assertPostgrestError(await rest(`/conversations?id=eq.${SEED.customer.conversations[0]}`, {
        method: 'PATCH', body: `{"subject":${deepArray(ABYSS)}}`,
      }), 400, tooDeep, 'PGRST102');
      assertPostgrestError(await rest('/conversations?on_conflict=id', {
        method: 'POST', body: `{"id":"${SEED.customer.conversations[0]}","subject":${deepArray(ABYSS)}}`,
        headers: { prefer: 'resolution=merge-duplicates' },
      }), 400, tooDeep, 'PGRST102');
      assertPostgrestError(await rest('/rpc/start_conversation', { method: 'POST', body: `{"p_subject":${deepArray(ABYSS)}}` }), 400, tooDeep, 'PGRST102');

      // Just past the bound, through supabase-js: refused before it reaches the database.
      const { error } = await visitor.client.rpc('start_conversation', { p_subject: 'Deep', p_metadata: deepObject(80) });
      assert.equal(error?.code, 'PGRST102');
      assert.match(error?.details ?? '', tooDeep);
    });
  });

  it('auth bodies nested too deep (sign-up data, updateUser data, admin user_metadata, options) get 400 bad_json', async () => {
    await survives(stack, async () => {
      const tooDeep = /nested deeper than 64 levels/;
      assertGoTrueError(await auth('/signup', `{"data":{"a":${deepArray(ABYSS)}}}`), 400, tooDeep, 'bad_json');
      assertGoTrueError(await auth('/signup', `{"data":{},"gotrue_meta_security":${deepArray(ABYSS)}}`), 400, tooDeep, 'bad_json');
      assertGoTrueError(await auth('/user', `{"data":${deepArray(ABYSS)}}`, { method: 'PUT', token: visitorToken }), 400, tooDeep, 'bad_json');
      assertGoTrueError(await auth('/admin/users', `{"email":"deep@parley.test","user_metadata":{"a":${deepArray(ABYSS)}}}`, {
        key: stack.stack.keys.serviceRole,
      }), 400, tooDeep, 'bad_json');
      assertGoTrueError(await auth('/token?grant_type=password', `{"email":"a@b.co","password":"x","options":${deepArray(ABYSS)}}`), 400, tooDeep, 'bad_json');

      // Through auth-js (the dated error shape): just past the bound is refused, not stored.
      const { error } = await visitor.client.auth.updateUser({ data: deepObject(80) });
      assert.equal(error?.status, 400);
      assert.equal(error?.code, 'bad_json');
      assert.match(error?.message ?? '', tooDeep);
      const { data } = await visitor.client.auth.getUser();
      assert.equal(data.user?.user_metadata.a, undefined, 'nothing of the refused metadata was stored');
    });
  });

  it('select= embed trees nested too deep get 400 PGRST100, ordinary embeds still work', async () => {
    await survives(stack, async () => {
      const ordinary = await rest('/messages?select=id,conversations(id,messages(id))&limit=1');
      assert.equal(ordinary.status, 200, JSON.stringify(ordinary.json));
      const tooDeep = /select parameter[\s\S]*embedding nested deeper than 32 levels/;
      // Tables that embed each other: every level is a real join the planner would build.
      const alternating = `id,${'conversations(messages('.repeat(20)}id${'))'.repeat(20)}`;
      assertPostgrestError(await rest(`/messages?select=${alternating}`), 400, tooDeep, 'PGRST100');
      const abyss = `${'a('.repeat(4_000)}id${')'.repeat(4_000)}`;
      assertPostgrestError(await rest(`/messages?select=${abyss}`), 400, tooDeep, 'PGRST100');
      // Embeds after a write (return=representation) go through the same parser.
      assertPostgrestError(await rest(`/messages?select=${alternating}`, {
        method: 'POST', body: '{"content":"x"}', headers: { prefer: 'return=representation' },
      }), 400, tooDeep, 'PGRST100');
    });
  });

  it('or=/and= logic trees nested too deep get 400 PGRST100, ordinary trees still work', async () => {
    await survives(stack, async () => {
      const ordinary = await rest('/messages?or=(seq.eq.1,and(seq.gt.1,seq.lt.3))');
      assert.equal(ordinary.status, 200, JSON.stringify(ordinary.json));
      const tooDeep = /logic tree[\s\S]*tree nested deeper than 32 levels/;
      const tree = (levels: number) => `(${'and(or('.repeat(levels / 2)}seq.eq.1${'))'.repeat(levels / 2)})`;
      assertPostgrestError(await rest(`/messages?or=${tree(3_000)}`), 400, tooDeep, 'PGRST100');
      assertPostgrestError(await rest(`/messages?not.and=${tree(3_000)}`), 400, tooDeep, 'PGRST100');
      assertPostgrestError(await rest(`/conversations?select=id,messages(id)&messages.or=${tree(3_000)}`), 400, tooDeep, 'PGRST100');
      assertPostgrestError(await rest(`/messages?or=${tree(40)}`), 400, tooDeep, 'PGRST100');
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { TestStack } from '../helpers/stack.ts';
import { rest, startPostgrestStack } from '../fixtures/rest-postgrest/setup.ts';

// Writes and function calls as PostgREST 12/13 answers them, each case taken from its documentation
// or spec suite (preferences.rst, functions.rst, UpsertSpec.hs, RpcSpec.hs, MaxAffectedSpec.hs).

let stack: TestStack;
let anon: SupabaseClient;
let service: SupabaseClient;

before(async () => {
  stack = await startPostgrestStack();
  anon = stack.client();
  service = stack.client(stack.stack.keys.serviceRole);
});

after(async () => {
  await stack.close();
});

/** supabase-js's `.maxAffected(n)`, which its types offer for PostgREST 13 schemas only. */
function maxAffected<T>(builder: T, rows: number): T {
  return (builder as unknown as { maxAffected(rows: number): T }).maxAffected(rows);
}

const count = async (table: string) => Number((await stack.db.query<{ n: string }>(`select count(*) as n from public.${table}`)).rows[0]?.n);

describe('Prefer: missing=default (preferences.rst)', () => {
  // PostgREST merges every column's default under each row (`jsonb_build_object(defaults) || row`),
  // so sequences advance for rows that bring their own value too: the second row gets 2.
  it('fills identity, serial, column and domain defaults for keys a row leaves out', async () => {
    const { data, error, status } = await service.from('defaults_demo')
      .insert([{ id: 50, serial_no: 7, n: 1, tag: 'given' }, { n: 2, label: 'second' }], { defaultToNull: false })
      .select('id, serial_no, label, tag, n, doubled');
    assert.equal(error, null);
    assert.equal(status, 201);
    assert.deepEqual(data, [
      { id: 50, serial_no: 7, label: 'unnamed', tag: 'given', n: 1, doubled: 2 },
      { id: 2, serial_no: 2, label: 'second', tag: 'from the domain', n: 2, doubled: 4 },
    ]);
  });
});

describe('upsert status (Response.hs: 200 when merge-duplicates inserted nothing)', () => {
  it('merge-duplicates of existing rows only is 200, with any new row 201; ignore-duplicates is always 201', async () => {
    const merged = await service.from('upserts').upsert({ id: 1, name: 'uno' }).select();
    assert.equal(merged.error, null);
    assert.equal(merged.status, 200);
    assert.deepEqual(merged.data, [{ id: 1, name: 'uno' }]);
    const minimal = await service.from('upserts').upsert([{ id: 1, name: 'one' }, { id: 2, name: 'dos' }]);
    assert.deepEqual([minimal.status, minimal.error], [200, null]);
    const mixed = await service.from('upserts').upsert([{ id: 2, name: 'two' }, { id: 3, name: 'three' }]).select().order('id');
    assert.equal(mixed.status, 201);
    assert.deepEqual(mixed.data, [{ id: 2, name: 'two' }, { id: 3, name: 'three' }]);
    const nothing = await rest(stack, '/upserts', {
      method: 'POST', body: '[]',
      headers: { apikey: stack.stack.keys.serviceRole, 'Content-Type': 'application/json', Prefer: 'resolution=merge-duplicates, return=representation' },
    });
    assert.equal(nothing.status, 200);
    assert.equal(nothing.headers.get('preference-applied'), 'resolution=merge-duplicates, return=representation');
    assert.deepEqual(await nothing.json(), []);
    // ignore-duplicates is 201 even when every row already existed.
    const before = await stack.db.query<{ name: string }>('select name from public.upserts where id = 1');
    const ignored = await service.from('upserts').upsert({ id: 1, name: 'ignored' }, { ignoreDuplicates: true }).select();
    assert.equal(ignored.status, 201);
    assert.deepEqual(ignored.data, []);
    const { rows } = await stack.db.query<{ name: string }>('select name from public.upserts where id = 1');
    assert.equal(rows[0]?.name, before.rows[0]?.name);
  });
});

describe('Prefer: max-affected (preferences.rst)', () => {
  it('a function affecting more rows than allowed fails with PGRST124 and changes nothing', async () => {
    const { data, error, status } = await maxAffected(service.rpc('delete_items_returns_setof'), 10);
    assert.equal(data, null);
    assert.equal(status, 400);
    assert.deepEqual(error, {
      code: 'PGRST124', details: 'The query affects 15 rows', hint: null, message: 'Query result exceeds max-affected preference constraint',
    });
    assert.equal(await count('items'), 15);
  });

  it('a function not returning SETOF or TABLE is PGRST128 under handling=strict', async () => {
    const { error, status } = await maxAffected(service.rpc('delete_items_returns_void'), 20);
    assert.equal(status, 400);
    assert.deepEqual(error, {
      code: 'PGRST128', details: null, hint: null,
      message: 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict',
    });
    assert.equal(await count('items'), 15);
  });

  it('handling=strict refuses preferences PostgREST does not know (PGRST122)', async () => {
    const response = await rest(stack, '/rpc/delete_items_returns_setof', {
      method: 'POST', body: '{}',
      headers: { apikey: stack.stack.keys.serviceRole, 'Content-Type': 'application/json', Prefer: 'handling=strict, max-affected=20, foo, bar' },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      code: 'PGRST122', details: 'Invalid preferences: foo, bar', hint: null, message: 'Invalid preferences given with handling=strict',
    });
    assert.equal(await count('items'), 15);
  });

  it('within the limit the call goes through; inserts are not limited', async () => {
    const inserted = await maxAffected(service.from('upserts').insert([{ id: 10, name: 'ten' }, { id: 11, name: 'eleven' }]), 1);
    assert.deepEqual([inserted.status, inserted.error], [201, null]);
    const { data, status, count: total } = await maxAffected(service.rpc('delete_items_returns_setof', {}, { count: 'exact' }).select('id'), 20);
    assert.equal(status, 200);
    assert.equal((data as unknown[] | null)?.length, 15);
    assert.equal(total, 15, 'counted from the one call, not from a second one that finds nothing left');
    assert.equal(await count('items'), 0);
  });
});

describe('function resolution (functions.rst, RpcSpec.hs)', () => {
  it('overloads are chosen by their parameter names; an ambiguous call is 300 PGRST203 listing the candidates', async () => {
    assert.deepEqual((await anon.rpc('overloaded', {}, { get: true })).data, [1, 2, 3]);
    assert.equal((await anon.rpc('overloaded', { a: 1, b: 2 }, { get: true })).data, 3);
    assert.equal((await anon.rpc('overloaded', { a: '1', b: '2', c: '3' })).data, '123');
    const { data, error, status } = await anon.rpc('overloaded_same_args', { arg: 'value' }, { get: true });
    assert.equal(data, null);
    assert.equal(status, 300);
    assert.deepEqual(error, {
      code: 'PGRST203', details: null,
      hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
      message: 'Could not choose the best candidate function between: public.overloaded_same_args(arg => integer), '
        + 'public.overloaded_same_args(arg => xml), public.overloaded_same_args(arg => text, num => integer)',
    });
    const chosen = await anon.rpc('overloaded_same_args', { arg: 'value', num: 1 });
    assert.deepEqual(chosen.data, { type: 'text', value: 'value' });
  });

  it('a single unnamed json parameter takes the whole body, also as an overload fallback', async () => {
    const echoed = await anon.rpc('unnamed_json_param', { A: 1, B: 2, C: 3 });
    assert.equal(echoed.error, null);
    assert.deepEqual(echoed.data, { A: 1, B: 2, C: 3 });
    const rows = await rest(stack, '/rpc/overloaded', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[{"x": 1, "y": "first"}, {"x": 2, "y": "second"}]',
    });
    assert.equal(rows.status, 200);
    assert.deepEqual(await rows.json(), [{ x: 1, y: 'first' }, { x: 2, y: 'second' }]);
    const text = await rest(stack, '/rpc/unnamed_text_param', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'unnamed text arg' });
    assert.equal(text.status, 200);
    assert.equal(await text.json(), 'unnamed text arg');
    const nul = await rest(stack, '/rpc/unnamed_text_param', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'a\u0000b' });
    assert.equal(nul.status, 400);
    assert.match((await nul.json() as { details: string }).details, /request body/);
  });

  it('a json body does not reach a single named json parameter', async () => {
    const { error, status } = await anon.rpc('named_json_param', { A: 1, B: 2, C: 3 });
    assert.equal(status, 404);
    assert.deepEqual(error, {
      code: 'PGRST202', hint: null,
      message: 'Could not find the function public.named_json_param(A, B, C) in the schema cache',
      details: 'Searched for the function public.named_json_param with parameters A, B, C or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
    });
  });

  it('functions with unnamed parameters of other types cannot be called; no Postgres error leaks', async () => {
    const named = await anon.rpc('unnamed_int_param', { x: 1, y: 2 });
    assert.equal(named.status, 404);
    assert.deepEqual(named.error, {
      code: 'PGRST202', hint: 'Perhaps you meant to call the function public.unnamed_text_param',
      message: 'Could not find the function public.unnamed_int_param(x, y) in the schema cache',
      details: 'Searched for the function public.unnamed_int_param with parameters x, y or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
    });
    const none = await anon.rpc('unnamed_int_param');
    assert.equal(none.status, 404);
    assert.deepEqual(none.error, {
      code: 'PGRST202', hint: 'Perhaps you meant to call the function public.unnamed_text_param',
      message: 'Could not find the function public.unnamed_int_param without parameters in the schema cache',
      details: 'Searched for the function public.unnamed_int_param without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
    });
    const blank = await anon.rpc('unnamed_int_param', { '': 5 });
    assert.equal(blank.status, 404);
    assert.equal(blank.error?.code, 'PGRST202');
    assert.equal(blank.error?.message, 'Could not find the function public.unnamed_int_param() in the schema cache');
    const positional = await rest(stack, '/rpc/unnamed_int_param', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '5' });
    assert.equal(positional.status, 404);
    assert.deepEqual(await positional.json(), {
      code: 'PGRST202', hint: null, message: 'Could not find the function public.unnamed_int_param in the schema cache',
      details: 'Searched for the function public.unnamed_int_param with a single unnamed text parameter, but no matches were found in the schema cache.',
    });
  });

  it('GET arguments are the parameters whose value is not a filter; hints suggest the closest match', async () => {
    const unknownArg = await rest(stack, '/rpc/overloaded?wrong_arg=value');
    assert.equal(unknownArg.status, 404);
    assert.deepEqual(await unknownArg.json(), {
      code: 'PGRST202', hint: null, message: 'Could not find the function public.overloaded(wrong_arg) in the schema cache',
      details: 'Searched for the function public.overloaded with parameter wrong_arg, but no matches were found in the schema cache.',
    });
    const closeArgs = await rest(stack, '/rpc/sayhello?nam=Peter');
    assert.deepEqual(await closeArgs.json(), {
      code: 'PGRST202', hint: 'Perhaps you meant to call the function public.sayhello(name)',
      message: 'Could not find the function public.sayhello(nam) in the schema cache',
      details: 'Searched for the function public.sayhello with parameter nam, but no matches were found in the schema cache.',
    });
    const closeName = await rest(stack, '/rpc/sayhell');
    assert.deepEqual(await closeName.json(), {
      code: 'PGRST202', hint: 'Perhaps you meant to call the function public.sayhello',
      message: 'Could not find the function public.sayhell without parameters in the schema cache',
      details: 'Searched for the function public.sayhell without parameters, but no matches were found in the schema cache.',
    });
    const filtered = await rest(stack, '/rpc/overloaded?a=1&b=2&select=*');
    assert.equal(await filtered.json(), 3);
  });
});

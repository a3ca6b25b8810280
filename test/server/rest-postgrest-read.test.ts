import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { TestStack } from '../helpers/stack.ts';
import { rest, startPostgrestStack } from '../fixtures/rest-postgrest/setup.ts';

// Reads as PostgREST 12/13 answers them, each case taken from its documentation or spec suite
// (docs/references/api/*.rst, test/spec/Feature/Query/*Spec.hs in PostgREST/postgrest).

let stack: TestStack;
let anon: SupabaseClient;

before(async () => {
  stack = await startPostgrestStack();
  anon = stack.client();
});

after(async () => {
  await stack.close();
});

const ids = (data: unknown) => (data as { id: number }[] | null)?.map((row) => row.id);

describe('range operators (tables_views.rst: nxr is &<, nxl is &>)', () => {
  it('rangeGte sends nxl: ranges that do not extend to the left of the value', async () => {
    const { data, error } = await anon.from('reservations').select('id').rangeGte('during', '[5,10)').order('id');
    assert.equal(error, null);
    assert.deepEqual(ids(data), [2, 3]);
  });

  it('rangeLte sends nxr: ranges that do not extend to the right of the value', async () => {
    const { data, error } = await anon.from('reservations').select('id').rangeLte('during', '[1,10)').order('id');
    assert.equal(error, null);
    assert.deepEqual(ids(data), [1, 2, 4]);
    const adjacent = await anon.from('reservations').select('id').rangeAdjacent('during', '[3,5)').order('id');
    assert.deepEqual(ids(adjacent.data), [2, 4]);
  });
});

describe('content negotiation (resource_representation.rst, Plan/Negotiate.hs)', () => {
  it('.explain() is 406 PGRST107 while db-plan-enabled is off, as on hosted Supabase', async () => {
    const { data, error, status } = await anon.from('people').select('id').explain();
    assert.equal(status, 406);
    assert.equal(data, null);
    assert.deepEqual(error, {
      code: 'PGRST107', details: null, hint: null,
      message: 'None of these media types are available: application/vnd.pgrst.plan+text; for="application/json"',
    });
  });

  it('an Accept PostgREST has no handler for is 406 PGRST107 naming every type asked for', async () => {
    const xml = await rest(stack, '/people?select=id', { headers: { Accept: 'application/xml' } });
    assert.equal(xml.status, 406);
    assert.deepEqual(await xml.json(), {
      code: 'PGRST107', details: null, hint: null, message: 'None of these media types are available: application/xml',
    });
    const several = await rest(stack, '/rpc/sayhello?name=x', { headers: { Accept: 'text/plain, text/html;q=0.5' } });
    assert.equal(several.status, 406);
    assert.equal((await several.json() as { message: string }).message, 'None of these media types are available: text/plain, text/html');
  });

  it('the first acceptable type by quality wins; */* and vnd.pgrst.array are JSON', async () => {
    const picked = await rest(stack, '/people?select=id&order=id', { headers: { Accept: 'application/xml;q=0.2, text/csv;q=0.8, application/json;q=0.5' } });
    assert.equal(picked.status, 200);
    assert.equal(picked.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(await picked.text(), 'id\n1\n2\n3');
    const any = await rest(stack, '/people?select=id&order=id', { headers: { Accept: 'application/xml, */*;q=0.1' } });
    assert.equal(any.status, 200);
    assert.equal(any.headers.get('content-type'), 'application/json; charset=utf-8');
    const array = await rest(stack, '/people?select=id&id=eq.1', { headers: { Accept: 'application/vnd.pgrst.array+json' } });
    assert.deepEqual(await array.json(), [{ id: 1 }]);
  });

  it('.geojson() runs the GeoJSON handler, which needs PostGIS: without it Postgres says so (42883)', async () => {
    const { data, error, status } = await anon.from('people').select('id').geojson();
    assert.equal(data, null);
    assert.equal(status, 404);
    assert.equal(error?.code, '42883');
    assert.match(error?.message ?? '', /^function st_asgeojson\(.*\) does not exist$/);
  });
});

describe('embedding (resource_embedding.rst)', () => {
  it('an empty embed filters without adding a key', async () => {
    const all = await anon.from('people').select('name, profiles()').order('id');
    assert.equal(all.error, null);
    assert.deepEqual(all.data, [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cyd' }]);
    const withProfile = await anon.from('people').select('name, profiles()').not('profiles', 'is', null);
    assert.deepEqual(withProfile.data, [{ name: 'Ann' }]);
  });

  it('many-to-many through a junction table whose primary key holds both foreign keys', async () => {
    const { data, error } = await anon.from('people').select('name, channels(name)').order('id').order('id', { referencedTable: 'channels' });
    assert.equal(error, null);
    assert.deepEqual(data, [
      { name: 'Ann', channels: [{ name: 'general' }, { name: 'random' }] },
      { name: 'Bob', channels: [{ name: 'general' }] },
      { name: 'Cyd', channels: [] },
    ]);
    const byJunction = await anon.from('channels').select('name, people!memberships(name)').eq('id', 2).single();
    assert.deepEqual(byJunction.data, { name: 'random', people: [{ name: 'Ann' }] });
    const inner = await anon.from('channels').select('name, people!inner(name)').eq('people.name', 'Bob');
    assert.deepEqual(inner.data, [{ name: 'general', people: [{ name: 'Bob' }] }]);
  });

  it('two keys to one table are ambiguous (300 PGRST201) until a constraint or column names one; a constraint is also a target', async () => {
    const ambiguous = await anon.from('messages').select('body, people(name)');
    assert.equal(ambiguous.status, 300);
    assert.deepEqual(ambiguous.error, {
      code: 'PGRST201',
      message: "Could not embed because more than one relationship was found for 'messages' and 'people'",
      details: [
        {
          cardinality: 'many-to-one', embedding: 'messages with people',
          relationship: 'messages_recipient_fkey using messages(recipient) and people(id)',
        },
        {
          cardinality: 'many-to-one', embedding: 'messages with people',
          relationship: 'messages_sender_fkey using messages(sender) and people(id)',
        },
      ],
      hint: "Try changing 'people' to one of the following: 'people!messages_recipient_fkey', 'people!messages_sender_fkey'. Find the desired relationship in the 'details' key.",
    });
    const reverse = await anon.from('people').select('name, messages(body)');
    assert.equal(reverse.status, 300);
    assert.deepEqual((reverse.error?.details as unknown as { relationship: string }[]).map((detail) => detail.relationship), [
      'messages_recipient_fkey using people(id) and messages(recipient)', 'messages_sender_fkey using people(id) and messages(sender)',
    ]);
    const bySender = await anon.from('messages').select('body, people!messages_sender_fkey(name)').order('id');
    assert.deepEqual(bySender.data, [
      { body: 'hi Bob', people: { name: 'Ann' } }, { body: 'hi Ann', people: { name: 'Bob' } }, { body: 'all ears', people: { name: 'Cyd' } },
    ]);
    const byColumn = await anon.from('messages').select('body, to:people!recipient(name)').eq('id', 1).single();
    assert.deepEqual(byColumn.data, { body: 'hi Bob', to: { name: 'Bob' } });
    const manyToOne = await anon.from('messages').select('body, from:messages_sender_fkey(name)').eq('id', 3).single();
    assert.equal(manyToOne.error, null);
    assert.deepEqual(manyToOne.data, { body: 'all ears', from: { name: 'Cyd' } });
    const oneToMany = await anon.from('people').select('name, messages_recipient_fkey(body)').eq('id', 1).single();
    assert.equal(oneToMany.error, null);
    assert.deepEqual(oneToMany.data, { name: 'Ann', messages_recipient_fkey: [{ body: 'hi Ann' }, { body: 'all ears' }] });
    const reverseHint = await anon.from('people').select('name, messages!messages_sender_fkey(body)').eq('id', 2).single();
    assert.deepEqual(reverseHint.data, { name: 'Bob', messages: [{ body: 'hi Ann' }] });
  });
});

describe('counting and ranges (pagination_count.rst, RangeQuery.hs)', () => {
  const planRows = async (table: string) => {
    const { rows } = await stack.db.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
      `explain (format json) select 1 from public.${table}`);
    return rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'];
  };

  it("count: 'planned' is the planner's estimate, not the exact count", async () => {
    const expected = await planRows('counted');
    assert.notEqual(expected, 100);
    const { count, error, status } = await anon.from('counted').select('*', { count: 'planned', head: true });
    assert.equal(error, null);
    assert.equal(status, 206);
    assert.equal(count, expected);
  });

  it("count: 'estimated' is exact up to max-rows (1000), the planner's beyond", async () => {
    const small = await anon.from('counted').select('*', { count: 'estimated', head: true });
    assert.equal(small.count, 100);
    const expected = await planRows('many');
    assert.notEqual(expected, 1200);
    const { data, count } = await anon.from('many').select('id', { count: 'estimated' });
    assert.equal(count, expected);
    assert.equal(data?.length, 1000, 'max-rows caps the page as it does on hosted Supabase');
  });

  it('GET honours the Range header, intersected with limit and offset', async () => {
    const headers = { 'Range-Unit': 'items', Range: '0-1', Prefer: 'count=exact' };
    const first = await rest(stack, '/people?select=id&order=id', { headers });
    assert.equal(first.status, 206);
    assert.equal(first.headers.get('content-range'), '0-1/3');
    assert.deepEqual(await first.json(), [{ id: 1 }, { id: 2 }]);
    const open = await rest(stack, '/people?select=id&order=id', { headers: { Range: '1-' } });
    assert.equal(open.headers.get('content-range'), '1-2/*');
    assert.deepEqual(await open.json(), [{ id: 2 }, { id: 3 }]);
    const both = await rest(stack, '/people?select=id&order=id&offset=1', { headers: { Range: '0-1' } });
    assert.deepEqual(await both.json(), [{ id: 2 }]);
    const head = await rest(stack, '/people?select=id', { method: 'HEAD', headers: { Range: '0-0', Prefer: 'count=exact' } });
    assert.equal(head.headers.get('content-range'), '0-2/3', 'the Range header is for GET only');
  });

  it('a Range header with its bounds reversed is 416 PGRST103', async () => {
    const reversed = await rest(stack, '/people?select=id', { headers: { Range: '2-1' } });
    assert.equal(reversed.status, 416);
    assert.deepEqual(await reversed.json(), {
      code: 'PGRST103', message: 'Requested range not satisfiable', hint: null,
      details: 'The lower boundary must be lower than or equal to the upper boundary in the Range header.',
    });
  });
});

describe('schemas (schemas.rst): db-schemas from the in-database configuration', () => {
  it('.schema() reads, writes and calls in another exposed schema', async () => {
    const library = stack.client(stack.stack.keys.serviceRole).schema('library');
    const shelves = await library.from('shelves').select('label').order('id');
    assert.equal(shelves.error, null);
    assert.deepEqual(shelves.data, [{ label: 'fiction' }, { label: 'poetry' }]);
    const created = await library.from('shelves').insert({ label: 'essays' }).select('id, label').single();
    assert.equal(created.status, 201);
    assert.deepEqual(created.data, { id: 3, label: 'essays' });
    const count = await library.rpc('shelf_count');
    assert.equal(count.data, 3);
    const embedded = await library.from('books').select('title, shelves(label)').order('id');
    assert.deepEqual(embedded.data, [{ title: 'Dune', shelves: { label: 'fiction' } }, { title: 'Odes', shelves: { label: 'poetry' } }]);
    const { rows } = await stack.db.query<{ n: string }>('select count(*) as n from library.shelves');
    assert.equal(rows[0]?.n, '3');
  });

  it('answers with Content-Profile naming the schema, and looks names up in that schema only', async () => {
    const response = await rest(stack, '/shelves?select=id&order=id', { headers: { 'Accept-Profile': 'library' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-profile'), 'library');
    const defaulted = await rest(stack, '/people?select=id&limit=1');
    assert.equal(defaulted.headers.get('content-profile'), 'public');
    const { error, status } = await anon.schema('library').from('people').select('id');
    assert.equal(status, 404);
    assert.deepEqual(error, {
      code: 'PGRST205', details: null, hint: null, message: "Could not find the table 'library.people' in the schema cache",
    });
  });

  it('a schema the configuration does not expose is 406 PGRST106', async () => {
    const { data, error, status } = await anon.schema('hidden').from('secrets').select('id');
    assert.equal(data, null);
    assert.equal(status, 406);
    assert.deepEqual(error, {
      code: 'PGRST106', details: null, hint: 'Only the following schemas are exposed: public, library', message: 'Invalid schema: hidden',
    });
    const write = await rest(stack, '/secrets', {
      method: 'POST', headers: { 'Content-Profile': 'hidden', 'Content-Type': 'application/json' }, body: '{"id":1}',
    });
    assert.equal(write.status, 406);
    assert.equal((await write.json() as { code: string }).code, 'PGRST106');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { TestStack } from '../helpers/stack.ts';
import { countRows, startRestStack } from '../fixtures/rest/setup.ts';

// Reads, writes and RPC through supabase-js, and requests that must be refused without effect.

let stack: TestStack;
let anon: SupabaseClient;
let service: SupabaseClient;

before(async () => {
  stack = await startRestStack();
  anon = stack.client();
  service = stack.client(stack.stack.keys.serviceRole);
});

after(async () => {
  await stack.close();
});

const titles = (data: unknown) => (data as { title: string }[] | null)?.map((row) => row.title);

describe('rest reads', () => {
  it('returns Postgres JSON for uuid, int8, bool, jsonb, text[] and timestamptz', async () => {
    const { data, error } = await anon.from('books').select('id, author_id, published, meta, tags, released_at').eq('id', 1).single();
    assert.equal(error, null);
    assert.deepEqual(data, {
      id: 1, author_id: 1, published: true, meta: { lang: 'en', rating: 4 }, tags: ['fiction', 'classic'],
      released_at: '2024-01-02T03:04:05+00:00',
    });
  });

  it('filters: eq neq gt gte lt lte like ilike is in not match', async () => {
    assert.deepEqual(titles((await anon.from('books').select('title').gt('pages', 100).order('id')).data), ['Alpha', 'Beta']);
    assert.deepEqual(titles((await anon.from('books').select('title').gte('pages', 120).lte('pages', 120)).data), ['Alpha']);
    assert.deepEqual(titles((await anon.from('books').select('title').lt('pages', 100)).data), ['Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').neq('title', 'Alpha').order('id')).data), ['Beta', 'Gamma rays', 'Delta']);
    assert.deepEqual(titles((await anon.from('books').select('title').like('title', '%eta')).data), ['Beta']);
    assert.deepEqual(titles((await anon.from('books').select('title').ilike('title', 'GAMMA%')).data), ['Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').is('pages', null)).data), ['Delta']);
    assert.deepEqual(titles((await anon.from('books').select('title').not('pages', 'is', null).order('id')).data), ['Alpha', 'Beta', 'Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').is('published', true).order('id')).data), ['Alpha', 'Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').in('title', ['Beta', 'Gamma rays', 'x,y']).order('id')).data), ['Beta', 'Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').not('id', 'in', '(1,2,3)')).data), ['Delta']);
    assert.deepEqual(titles((await anon.from('books').select('title').match({ author_id: 2, published: false })).data), ['Delta']);
    assert.deepEqual(titles((await anon.from('books').select('title').filter('title', 'match', '^G')).data), ['Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').filter('title', 'imatch', '^g')).data), ['Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').filter('pages', 'isdistinct', '120').order('id')).data), ['Beta', 'Gamma rays', 'Delta']);
  });

  it('filters: arrays, jsonb and full text search', async () => {
    assert.deepEqual(titles((await anon.from('books').select('title').contains('tags', ['fiction']).order('id')).data), ['Alpha', 'Beta']);
    assert.deepEqual(titles((await anon.from('books').select('title').containedBy('tags', ['fiction', 'science']).order('id')).data), ['Beta', 'Gamma rays', 'Delta']);
    assert.deepEqual(titles((await anon.from('books').select('title').overlaps('tags', ['classic', 'science']).order('id')).data), ['Alpha', 'Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').contains('meta', { lang: 'en' }).order('id')).data), ['Alpha', 'Delta']);
    assert.deepEqual(titles((await anon.from('books').select('title').eq('meta->>lang', 'fr')).data), ['Beta']);
    assert.deepEqual(titles((await anon.from('books').select('title').textSearch('title', 'gamma & rays', { config: 'english' })).data), ['Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').textSearch('title', 'rays', { type: 'plain' })).data), ['Gamma rays']);
    assert.deepEqual(titles((await anon.from('books').select('title').textSearch('title', '"gamma rays"', { type: 'websearch' })).data), ['Gamma rays']);
    const json = await anon.from('books').select('lang:meta->>lang, rating:meta->rating').eq('id', 2).single();
    assert.deepEqual(json.data, { lang: 'fr', rating: 5 });
  });

  it('or=, and= and not.or with nesting', async () => {
    const either = await anon.from('books').select('title').or('pages.gt.250,title.eq.Delta').order('id');
    assert.deepEqual(titles(either.data), ['Beta', 'Delta']);
    const nested = await anon.from('books').select('title').or('and(published.is.true,pages.lt.100),title.in.("Beta","x,y")').order('id');
    assert.deepEqual(titles(nested.data), ['Beta', 'Gamma rays']);
    // postgrest-js has no builder for a negated group; PostgREST takes it as the `not.or` key.
    const negated = await fetch(`${stack.url}/rest/v1/books?select=title&order=id&not.or=(pages.gt.250,pages.is.null)`, {
      headers: { apikey: stack.stack.keys.anon },
    });
    assert.deepEqual(titles(await negated.json()), ['Alpha', 'Gamma rays']);
    const inside = await anon.from('books').select('title').or('not.and(published.is.true,pages.gt.100),title.eq.Alpha').order('id');
    assert.deepEqual(titles(inside.data), ['Alpha', 'Beta', 'Gamma rays', 'Delta']);
  });

  it('order, limit, offset and range', async () => {
    const ordered = await anon.from('books').select('title').order('pages', { ascending: false, nullsFirst: true });
    assert.deepEqual(titles(ordered.data), ['Delta', 'Beta', 'Alpha', 'Gamma rays']);
    const twoKeys = await anon.from('books').select('title').order('author_id', { ascending: false }).order('title');
    assert.deepEqual(titles(twoKeys.data), ['Delta', 'Gamma rays', 'Alpha', 'Beta']);
    assert.deepEqual(titles((await anon.from('books').select('title').order('id').limit(2)).data), ['Alpha', 'Beta']);
    assert.deepEqual(titles((await anon.from('books').select('title').order('id').range(2, 3)).data), ['Gamma rays', 'Delta']);
  });

  it('embeds many-to-one as an object or null and one-to-many as an array', async () => {
    const { data, error } = await anon.from('books')
      .select('title, author:authors!author_id(name), editor:editor_id(name), reviews(stars)')
      .in('id', [1, 4]).order('id').order('stars', { referencedTable: 'reviews', ascending: false });
    assert.equal(error, null);
    assert.deepEqual(data, [
      { title: 'Alpha', author: { name: 'Ann' }, editor: { name: 'Bob' }, reviews: [{ stars: 5 }, { stars: 3 }] },
      { title: 'Delta', author: { name: 'Bob' }, editor: null, reviews: [] },
    ]);
    const nested = await anon.from('authors').select('name, books!author_id(title, reviews(body))').eq('id', 2).single();
    assert.deepEqual(nested.data, {
      name: 'Bob', books: [{ title: 'Gamma rays', reviews: [{ body: 'nice' }] }, { title: 'Delta', reviews: [] }],
    });
  });

  it('embedded filters, limits and !inner', async () => {
    const filtered = await anon.from('authors').select('name, books!author_id(title)').eq('books.published', true).order('id');
    assert.deepEqual(filtered.data, [
      { name: 'Ann', books: [{ title: 'Alpha' }] }, { name: 'Bob', books: [{ title: 'Gamma rays' }] }, { name: 'Cyd', books: [] },
    ]);
    const inner = await anon.from('authors').select('name, books!author_id!inner(title)').eq('books.title', 'Delta');
    assert.deepEqual(inner.data, [{ name: 'Bob', books: [{ title: 'Delta' }] }]);
    const limited = await anon.from('authors').select('name, books!author_id(title)').eq('id', 1)
      .order('id', { referencedTable: 'books' }).limit(1, { referencedTable: 'books' });
    assert.deepEqual(limited.data, [{ name: 'Ann', books: [{ title: 'Alpha' }] }]);
    const ambiguous = await anon.from('authors').select('name, books(title)');
    assert.equal(ambiguous.status, 300);
    assert.equal(ambiguous.error?.code, 'PGRST201');
  });

  it('aliases and casts in select, csv output', async () => {
    const { data } = await anon.from('books').select('name:title, pages::text').eq('id', 1).single();
    assert.deepEqual(data, { name: 'Alpha', pages: '120' });
    const csv = await anon.from('authors').select('id,name,bio').order('id').csv();
    assert.equal(csv.data, 'id,name,bio\n1,Ann,writes novels\n2,Bob,\n3,Cyd,poet');
  });
});

describe('rest writes', () => {
  it('upsert merges or ignores duplicates', async () => {
    const merged = await service.from('items').upsert([{ id: 1, label: 'uno' }, { id: 30, label: 'thirty' }]).select().order('id');
    assert.equal(merged.error, null);
    assert.deepEqual(merged.data, [{ id: 1, label: 'uno', qty: 1 }, { id: 30, label: 'thirty', qty: 0 }]);
    const ignored = await service.from('authors').upsert({ name: 'Ann', bio: 'changed' }, { onConflict: 'name', ignoreDuplicates: true }).select();
    assert.deepEqual(ignored.data, []);
    const { rows } = await stack.db.query("select bio from public.authors where name = 'Ann'");
    assert.deepEqual(rows, [{ bio: 'writes novels' }]);
  });

  it('insert with missing=default and columns', async () => {
    const { data, error } = await service.from('books')
      .insert([{ title: 'Epsilon', author_id: 3 }, { title: 'Zeta', pages: 9 }], { defaultToNull: false })
      .select('title, pages, published, tags, author:author_id(name)');
    assert.equal(error, null);
    assert.deepEqual(data, [
      { title: 'Epsilon', pages: null, published: false, tags: [], author: { name: 'Cyd' } },
      { title: 'Zeta', pages: 9, published: false, tags: [], author: null },
    ]);
  });

  it('update and delete with representation', async () => {
    const updated = await service.from('items').update({ qty: 5 }).eq('id', 2).select('id, qty');
    assert.deepEqual([updated.status, updated.data], [200, [{ id: 2, qty: 5 }]]);
    const single = await service.from('items').update({ label: 'deux' }).eq('id', 2).select('label').single();
    assert.deepEqual(single.data, { label: 'deux' });
    const deleted = await service.from('items').delete().eq('id', 30).select();
    assert.deepEqual([deleted.status, deleted.data], [200, [{ id: 30, label: 'thirty', qty: 0 }]]);
  });

  it('single() on a write that matches no row is 406 and rolls back', async () => {
    const before = await countRows(stack, 'items');
    const result = await service.from('items').delete().gt('id', 0).select().single();
    assert.equal(result.status, 406);
    assert.equal(result.error?.code, 'PGRST116');
    assert.equal(await countRows(stack, 'items'), before);
  });

  it('rollback() and maxAffected() keep the data unchanged', async () => {
    const rolled = await service.from('items').update({ qty: 99 }).eq('id', 1).select('qty').rollback();
    assert.deepEqual(rolled.data, [{ qty: 99 }]);
    // `.maxAffected()` is typed for PostgREST 13 schemas only; send what it sends.
    const limited = await fetch(`${stack.url}/rest/v1/items?id=gt.0`, {
      method: 'PATCH',
      body: JSON.stringify({ qty: 99 }),
      headers: { apikey: stack.stack.keys.serviceRole, 'Content-Type': 'application/json', Prefer: 'handling=strict, max-affected=1' },
    });
    assert.equal(limited.status, 400);
    assert.deepEqual(await limited.json(), {
      code: 'PGRST124', details: 'The query affects 2 rows', hint: null, message: 'Query result exceeds max-affected preference constraint',
    });
    const { rows } = await stack.db.query('select qty from public.items where qty = 99');
    assert.equal(rows.length, 0);
  });

  it('UPDATE and DELETE without filters are refused like pg-safeupdate', async () => {
    const before = await countRows(stack, 'items');
    const update = await service.from('items').update({ qty: 0 }).select();
    assert.equal(update.status, 400);
    assert.deepEqual(update.error, { code: '21000', details: null, hint: null, message: 'UPDATE requires a WHERE clause' });
    const remove = await fetch(`${stack.url}/rest/v1/items`, {
      method: 'DELETE', headers: { apikey: stack.stack.keys.serviceRole, 'Content-Type': 'application/json' },
    });
    assert.equal(remove.status, 400);
    assert.deepEqual(await remove.json(), { code: '21000', details: null, hint: null, message: 'DELETE requires a WHERE clause' });
    assert.equal(await countRows(stack, 'items'), before);
  });
});

describe('rest rpc', () => {
  it('scalar, single composite and table results', async () => {
    assert.deepEqual((await anon.rpc('add', { a: 2, b: 3 })).data, 5);
    assert.deepEqual((await anon.rpc('add', { a: 2 })).data, 3);
    assert.deepEqual((await anon.rpc('add', { a: '40', b: 2 }, { get: true })).data, 42);
    const { rows } = await stack.db.query<{ total: number; published: number }>(
      'select count(*)::int as total, (count(*) filter (where published))::int as published from public.books');
    assert.deepEqual((await anon.rpc('book_stats')).data, rows[0]);
    assert.deepEqual((await anon.rpc('author_summary', { author_id: 2 })).data, [{ name: 'Bob', books: 2 }]);
    const none = await anon.rpc('no_result');
    assert.deepEqual([none.status, none.data, none.error], [204, null, null]);
  });

  it('setof results take select, filters, order, limit and count, also via GET', async () => {
    const posted = await anon.rpc('books_by_author', { author: 'Ann' }, { count: 'exact' })
      .select('title, author:author_id(name)').gt('pages', 200);
    assert.equal(posted.error, null);
    assert.deepEqual(posted.data, [{ title: 'Beta', author: { name: 'Ann' } }]);
    assert.equal(posted.count, 1);
    const viaGet = await anon.rpc('books_by_author', { author: 'Bob' }, { get: true }).select('title').order('id', { ascending: false }).limit(1);
    assert.deepEqual(viaGet.data, [{ title: 'Delta' }]);
    const single = await anon.rpc('books_by_author', { author: 'Bob' }).select('title').eq('id', 3).single();
    assert.deepEqual(single.data, { title: 'Gamma rays' });
  });

  it('a volatile function via GET is 405 and changes nothing', async () => {
    const result = await service.rpc('bump_items', {}, { get: true });
    assert.equal(result.status, 405);
    assert.equal(result.error?.code, '25006');
    const { rows } = await stack.db.query('select sum(qty)::int as total from public.items');
    const posted = await service.rpc('bump_items');
    assert.equal(posted.error, null);
    const after = await stack.db.query('select sum(qty)::int as total from public.items');
    assert.equal(after.rows[0].total, rows[0].total + (posted.data as number));
  });

  it('unknown functions or arguments are 404 PGRST202', async () => {
    const unknown = await anon.rpc('nope', { a: 1 });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.error, {
      code: 'PGRST202',
      details: 'Searched for the function public.nope with parameter a or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      hint: null,
      message: 'Could not find the function public.nope(a) in the schema cache',
    });
    const wrongArgs = await anon.rpc('add', { x: 1, y: 2 });
    assert.equal(wrongArgs.status, 404);
    assert.equal(wrongArgs.error?.message, 'Could not find the function public.add(x, y) in the schema cache');
    assert.equal(wrongArgs.error?.hint, 'Perhaps you meant to call the function public.add(a, b)');
  });

  it('custom SQLSTATEs map to HTTP statuses', async () => {
    const pt = await anon.rpc('fail_with', { code: 'PT409' });
    assert.equal(pt.status, 409);
    assert.deepEqual(pt.error, { code: 'PT409', details: 'some detail', hint: 'some hint', message: 'custom failure' });
    assert.equal((await anon.rpc('fail_with', { code: 'PT403' })).status, 403);
    assert.equal((await anon.rpc('fail_with', { code: 'P0001' })).status, 400);
  });
});

describe('rest refuses bad input without effect', () => {
  const booksBefore = async () => countRows(stack, 'books');

  it('SQL-looking select, order and filter names are parse errors', async () => {
    const before = await booksBefore();
    const subselect = await anon.from('books').select('id,(select 1)');
    assert.equal(subselect.status, 400);
    assert.equal(subselect.error?.code, 'PGRST100');
    const quoted = await anon.from('books').select('"; drop table books; --');
    assert.equal(quoted.status, 400);
    assert.equal(quoted.error?.code, 'PGRST100');
    const order = await fetch(`${stack.url}/rest/v1/books?order=${encodeURIComponent('id;drop table books')}`, { headers: { apikey: stack.stack.keys.anon } });
    assert.equal(order.status, 400);
    assert.equal(((await order.json()) as { code: string }).code, 'PGRST100');
    const filterName = await anon.from('books').select('id').eq('id;drop table books', 1);
    assert.equal(filterName.status, 400);
    assert.equal(filterName.error?.code, 'PGRST100');
    assert.equal(await booksBefore(), before);
  });

  it('filter values are bound: an injection attempt simply matches nothing', async () => {
    const before = await booksBefore();
    const result = await anon.from('books').select('id').eq('title', "'; drop table books; --");
    assert.deepEqual([result.status, result.data, result.error], [200, [], null]);
    const inList = await anon.from('books').select('id').in('title', ["') or true; --"]);
    assert.deepEqual(inList.data, []);
    assert.equal(await booksBefore(), before);
  });

  it('unknown columns are 42703 in select, filters and order', async () => {
    const select = await anon.from('books').select('id, nope');
    assert.equal(select.status, 400);
    assert.deepEqual(select.error, { code: '42703', details: null, hint: null, message: 'column books.nope does not exist' });
    const filter = await anon.from('books').select('id').eq('nope', 1);
    assert.equal(filter.error?.code, '42703');
    const order = await anon.from('books').select('id').order('nope');
    assert.equal(order.error?.code, '42703');
  });

  it('unknown columns in a write body are PGRST204 and unknown tables PGRST205', async () => {
    const before = await booksBefore();
    const body = await service.from('books').insert({ title: 'x', nope: 1 });
    assert.equal(body.status, 400);
    assert.deepEqual(body.error, {
      code: 'PGRST204', details: null, hint: null, message: "Could not find the 'nope' column of 'books' in the schema cache",
    });
    const table = await anon.from('bookz').select('*');
    assert.equal(table.status, 404);
    assert.deepEqual(table.error, {
      code: 'PGRST205', details: null, hint: "Perhaps you meant the table 'public.books'",
      message: "Could not find the table 'public.bookz' in the schema cache",
    });
    assert.equal(await booksBefore(), before);
  });

  it('a malformed JSON body is PGRST102', async () => {
    const before = await booksBefore();
    const response = await fetch(`${stack.url}/rest/v1/books`, {
      method: 'POST', body: '{"title": ', headers: { apikey: stack.stack.keys.serviceRole, 'Content-Type': 'application/json' },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { code: 'PGRST102', details: null, hint: null, message: 'Empty or invalid json' });
    assert.equal(await booksBefore(), before);
  });

  it('a malformed uuid is 22P02', async () => {
    const result = await anon.from('books').select('id').eq('isbn', 'not-a-uuid');
    assert.equal(result.status, 400);
    assert.deepEqual(result.error, { code: '22P02', details: null, hint: null, message: 'invalid input syntax for type uuid: "not-a-uuid"' });
  });

  it('a foreign key violation is 409 23503', async () => {
    const before = await booksBefore();
    const result = await service.from('books').insert({ title: 'orphan', author_id: 999 });
    assert.equal(result.status, 409);
    assert.equal(result.error?.code, '23503');
    assert.equal(await booksBefore(), before);
  });
});

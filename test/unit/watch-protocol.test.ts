import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFromWorker, parseToWorker } from '../../src/embed/watch-protocol.ts';

const page = { href: 'https://shop.example/p', title: 'Prints', referrer: '', width: 390, height: 844 };

describe('the watch worker\'s messages (src/embed/watch-protocol.ts)', () => {
  it('takes what the stub sends the worker', () => {
    const start = { type: 'start', supabaseUrl: 'https://x.supabase.co', supabaseKey: 'anon', realtime: 'broadcast', language: 'de', page };
    assert.deepEqual(parseToWorker(start), start);
    assert.deepEqual(parseToWorker({ type: 'page', page }), { type: 'page', page });
    assert.deepEqual(parseToWorker({ type: 'stored', id: 3, value: null }), { type: 'stored', id: 3, value: null });
    assert.deepEqual(parseToWorker({ type: 'stored', id: 4, value: '{}' }), { type: 'stored', id: 4, value: '{}' });
  });

  it('drops anything else sent to the worker', () => {
    for (const bad of [
      null, 'start', [], { type: 'start' }, { type: 'start', supabaseUrl: 'u', supabaseKey: 'k', realtime: 'sse', language: 'en', page },
      { type: 'start', supabaseUrl: 'u', supabaseKey: 'k', realtime: 'broadcast', language: 'x'.repeat(65), page },
      { type: 'page', page: { ...page, width: -1 } }, { type: 'page', page: { ...page, href: 1 } },
      { type: 'stored', id: 1.5, value: null }, { type: 'stored', id: 1 }, { type: 'stop' },
    ]) assert.equal(parseToWorker(bad), null, JSON.stringify(bad));
  });

  it('takes what the worker sends the stub', () => {
    for (const good of [
      { type: 'get', id: 0, key: 'parley-auth:x' }, { type: 'set', key: 'parley-auth:x', value: '{}' }, { type: 'remove', key: 'parley-auth:x' },
      { type: 'unread', count: 2, digits: '٢' }, { type: 'reply' }, { type: 'end', failed: false }, { type: 'end', failed: true },
    ]) assert.deepEqual(parseFromWorker(good), good);
  });

  it('drops anything else the worker sends', () => {
    for (const bad of [
      undefined, 7, { type: 'get', id: -1, key: 'k' }, { type: 'get', id: 0, key: 'k'.repeat(257) }, { type: 'set', key: 'k' },
      { type: 'set', key: 'k', value: 1 }, { type: 'remove' }, { type: 'unread', count: 1 }, { type: 'unread', count: 'many', digits: '1' },
      { type: 'unread', count: 1, digits: 'x'.repeat(17) }, { type: 'end' }, { type: 'end', failed: 'yes' }, { type: 'badge', count: 1 },
    ]) assert.equal(parseFromWorker(bad), null, JSON.stringify(bad));
  });
});

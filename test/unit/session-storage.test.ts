import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { outboxKeyFor, safeLocalStorage } from '../../src/session/index.ts';

describe('session: outbox storage', () => {
  afterEach(() => {
    delete (globalThis as { localStorage?: unknown }).localStorage;
  });

  it('keys the outbox by the project host, whatever URL of the project is given', () => {
    assert.equal(outboxKeyFor('https://abc.supabase.co'), 'parley-outbox:abc.supabase.co');
    assert.equal(outboxKeyFor('wss://abc.supabase.co/realtime/v1/websocket'), 'parley-outbox:abc.supabase.co');
    assert.equal(outboxKeyFor('http://127.0.0.1:54321/'), 'parley-outbox:127.0.0.1:54321');
    assert.notEqual(outboxKeyFor('https://one.supabase.co'), outboxKeyFor('https://two.supabase.co'));
    assert.equal(outboxKeyFor('not a url'), 'parley-outbox');
  });

  it('finds no localStorage where there is none, or where reading it throws', () => {
    assert.equal(safeLocalStorage(), null);
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError: the document is sandboxed');
      },
    });
    assert.equal(safeLocalStorage(), null);
  });
});

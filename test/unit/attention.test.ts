import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arrivals, watermark } from '../../src/attention/arrivals.ts';
import { DEFAULT_PREFERENCES, preferencesKey, readPreferences, writePreferences } from '../../src/attention/preferences.ts';
import type { ConversationMap } from '../../src/state/index.ts';
import type { ConversationSummary } from '../../src/data/types.ts';

function row(id: string, over: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id, customer_id: `c-${id}`, status: 'open', assigned_agent_id: null, chatbot_enabled: false, subject: null,
    last_seq: 1, inbound_count: 1, last_message_at: '2026-01-01T10:00:00.000000+00:00', last_message_preview: 'hi',
    created_at: '2026-01-01T10:00:00.000000+00:00', updated_at: '2026-01-01T10:00:00.000000+00:00', customer: null,
    ...over,
  };
}

function map(...rows: ConversationSummary[]): ConversationMap {
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null { return this.items.get(key) ?? null; }
  setItem(key: string, value: string): void { this.items.set(key, value); }
  removeItem(key: string): void { this.items.delete(key); }
}

describe('arrivals', () => {
  const a = row('a', { last_message_at: '2026-01-01T10:00:00.000000+00:00' });
  const b = row('b', { last_message_at: '2026-01-01T11:00:00.000000+00:00' });
  const loaded = map(a, b);
  const since = watermark(loaded);

  it('marks the newest activity of the load', () => {
    assert.equal(since, b.last_message_at);
    assert.equal(watermark({}), null);
  });

  it('reports nothing for the same map or rows that did not gain customer messages', () => {
    assert.deepEqual(arrivals(loaded, loaded, since), []);
    const agentReplied = map(a, { ...b, last_seq: 5, updated_at: '2026-01-01T12:00:00.000000+00:00' });
    assert.deepEqual(arrivals(loaded, agentReplied, since), []);
  });

  it('reports customer messages in held conversations with how many came', () => {
    assert.deepEqual(arrivals(loaded, map(a, { ...b, inbound_count: 3 }), since), [{ kind: 'message', conversationId: 'b', count: 2 }]);
  });

  it('reports a conversation created after the load as new', () => {
    const c = row('c', { created_at: '2026-01-01T11:00:01.000000+00:00', last_message_at: '2026-01-01T11:00:01.000000+00:00' });
    assert.deepEqual(arrivals(loaded, map(a, b, c), since), [{ kind: 'conversation', conversationId: 'c', count: 1 }]);
  });

  it('announces a new conversation once, with its first customer message (its row comes first, empty)', () => {
    const c = row('c', { created_at: '2026-01-01T11:00:01.000000+00:00', inbound_count: 0 });
    const withRow = map(a, b, c);
    assert.deepEqual(arrivals(loaded, withRow, since), []);
    const withMessage = map(a, b, { ...c, inbound_count: 1 });
    assert.deepEqual(arrivals(withRow, withMessage, since), [{ kind: 'conversation', conversationId: 'c', count: 1 }]);
    assert.deepEqual(arrivals(withMessage, map(a, b, { ...c, inbound_count: 2 }), since), [{ kind: 'message', conversationId: 'c', count: 1 }]);
  });

  it('tells apart microseconds in one millisecond', () => {
    const c = row('c', { created_at: '2026-01-01T11:00:00.000001+00:00' });
    assert.equal(arrivals(loaded, map(a, b, c), since)[0]?.kind, 'conversation');
  });

  it('never counts an older page as new', () => {
    const old = row('old', { created_at: '2025-12-01T10:00:00.000000+00:00', last_message_at: '2025-12-02T10:00:00.000000+00:00', inbound_count: 4 });
    assert.deepEqual(arrivals(loaded, map(a, b, old), since), []);
  });

  it('reports a message in an older conversation written to after the load', () => {
    const old = row('old', { created_at: '2025-12-01T10:00:00.000000+00:00', last_message_at: '2026-01-01T12:00:00.000000+00:00' });
    assert.deepEqual(arrivals(loaded, map(a, b, old), since), [{ kind: 'message', conversationId: 'old', count: 1 }]);
  });

  it('counts every unknown row as new after an empty load', () => {
    assert.deepEqual(arrivals({}, map(a), null), [{ kind: 'conversation', conversationId: 'a', count: 1 }]);
  });

  it('stays quiet while the chatbot answers, and announces the conversation as new when it hands over', () => {
    const created = '2026-01-01T11:00:01.000000+00:00';
    const bot = row('c', { created_at: created, chatbot_enabled: true, inbound_count: 1, handed_over_at: null });
    const withBot = map(a, b, bot);
    assert.deepEqual(arrivals(loaded, withBot, since), [], 'a new conversation the bot answers');
    const asked = map(a, b, { ...bot, inbound_count: 2 });
    assert.deepEqual(arrivals(withBot, asked, since), [], 'another question for the bot');
    const handed = map(a, b, { ...bot, inbound_count: 3, chatbot_enabled: false, handed_over_at: '2026-01-01T11:05:00.000000+00:00' });
    assert.deepEqual(arrivals(asked, handed, since), [{ kind: 'conversation', conversationId: 'c', count: 1 }]);
    const after = map(a, b, { ...bot, inbound_count: 4, chatbot_enabled: false, handed_over_at: '2026-01-01T11:05:00.000000+00:00' });
    assert.deepEqual(arrivals(handed, after, since), [{ kind: 'message', conversationId: 'c', count: 1 }], 'then messages as usual');
    // Handed over by the bot itself, without a customer message in the same change.
    const quiet = map(a, { ...b, chatbot_enabled: true });
    assert.deepEqual(arrivals(quiet, map(a, { ...b, handed_over_at: '2026-01-01T11:06:00.000000+00:00' }), since),
      [{ kind: 'conversation', conversationId: 'b', count: 1 }]);
  });

  it('rings as usual once an agent switched the bot off, with no handover', () => {
    const botOn = map(a, { ...b, chatbot_enabled: true });
    const off = map(a, { ...b, chatbot_enabled: false });
    assert.deepEqual(arrivals(botOn, off, since), []);
    assert.deepEqual(arrivals(off, map(a, { ...b, inbound_count: 2 }), since), [{ kind: 'message', conversationId: 'b', count: 1 }]);
  });
});

describe('attention preferences', () => {
  const key = preferencesKey('http://127.0.0.1:54321', 'agent-1');

  it('are the defaults when nothing or garbage is stored', () => {
    const storage = new MemoryStorage();
    assert.deepEqual(readPreferences(storage, key), DEFAULT_PREFERENCES);
    storage.setItem(key, '{not json');
    assert.deepEqual(readPreferences(storage, key), DEFAULT_PREFERENCES);
    storage.setItem(key, '[true]');
    assert.deepEqual(readPreferences(storage, key), DEFAULT_PREFERENCES);
    assert.deepEqual(readPreferences(null, key), DEFAULT_PREFERENCES);
  });

  it('round-trip per agent and keep only booleans', () => {
    const storage = new MemoryStorage();
    assert.equal(writePreferences(storage, key, { sound: false, notifications: true, title: false }), true);
    assert.deepEqual(readPreferences(storage, key), { sound: false, notifications: true, title: false });
    assert.deepEqual(readPreferences(storage, preferencesKey('http://127.0.0.1:54321', 'agent-2')), DEFAULT_PREFERENCES);
    storage.setItem(key, JSON.stringify({ sound: 'no', title: false, extra: 1 }));
    assert.deepEqual(readPreferences(storage, key), { ...DEFAULT_PREFERENCES, title: false });
  });

  it('survive a storage that throws (kept for the tab only)', () => {
    const throwing = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('quota'); }, removeItem: () => undefined };
    assert.deepEqual(readPreferences(throwing, key), DEFAULT_PREFERENCES);
    assert.equal(writePreferences(throwing, key, DEFAULT_PREFERENCES), false);
  });
});

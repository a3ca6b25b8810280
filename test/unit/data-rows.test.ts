import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConversation, parseMessage, parseReadMarker, parseTyping } from '../../src/data/rows.ts';

const MESSAGE = {
  id: '7f1d2c1e-1111-4a4a-8b8b-000000000001',
  conversation_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000c1',
  seq: 3,
  sender_type: 'agent',
  sender_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000a1',
  content: 'Hello',
  metadata: { source: 'test' },
  created_at: '2026-12-01T10:00:00.123456+00:00',
} as const;

const CONVERSATION = {
  id: '7f1d2c1e-1111-4a4a-8b8b-0000000000c1',
  customer_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000b1',
  status: 'open',
  assigned_agent_id: null,
  chatbot_enabled: false,
  subject: null,
  last_seq: 3,
  last_message_at: '2026-12-01T10:00:00.123456+00:00',
  last_message_preview: 'Hello',
  created_at: '2026-12-01T09:00:00+00:00',
  updated_at: '2026-12-01T10:00:00+00:00',
} as const;

const MARKER = {
  conversation_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000c1',
  user_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000a1',
  last_read_seq: 2,
  updated_at: '2026-12-01T10:00:00+00:00',
} as const;

/** `row` with one field replaced by `value`, or left out for `undefined`. */
function withField(row: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const rest = Object.entries(row).filter(([k]) => k !== key);
  return Object.fromEntries(value === undefined ? rest : [...rest, [key, value]]);
}

describe('realtime payload parsing (src/data/rows.ts)', () => {
  it('returns a message with exactly the declared fields, extra columns left out', () => {
    const parsed = parseMessage({ ...MESSAGE, visibility: 'public', extra: 1 });
    assert.deepEqual(parsed, MESSAGE);
    assert.notEqual(parsed, MESSAGE);
    assert.equal(parseMessage({ ...MESSAGE, sender_id: null })?.sender_id, null);
  });

  it('rejects a message with a missing or mistyped field', () => {
    const bad: [string, unknown][] = [
      ['id', undefined], ['id', 7], ['conversation_id', null], ['seq', '3'], ['seq', 1.5], ['seq', -1],
      ['sender_type', 'robot'], ['sender_id', undefined], ['sender_id', 42], ['content', null],
      ['metadata', null], ['metadata', []], ['metadata', 'x'], ['created_at', 0],
    ];
    for (const [key, value] of bad) {
      assert.equal(parseMessage(withField(MESSAGE, key, value)), null, `${key} = ${JSON.stringify(value)}`);
    }
    for (const payload of [null, undefined, 'message', 3, [MESSAGE]]) assert.equal(parseMessage(payload), null);
  });

  it('parses a conversation row and rejects a bad one', () => {
    assert.deepEqual(parseConversation({ ...CONVERSATION, customer_messages: 4 }), CONVERSATION);
    const bad: [string, unknown][] = [
      ['status', 'archived'], ['chatbot_enabled', 'false'], ['last_seq', null], ['subject', 1],
      ['assigned_agent_id', undefined], ['last_message_at', null], ['updated_at', undefined],
    ];
    for (const [key, value] of bad) {
      assert.equal(parseConversation(withField(CONVERSATION, key, value)), null, `${key} = ${JSON.stringify(value)}`);
    }
  });

  it('parses a read marker and rejects a bad one', () => {
    assert.deepEqual(parseReadMarker({ ...MARKER, read_team_messages: 1 }), MARKER);
    for (const [key, value] of [['last_read_seq', '2'], ['user_id', null], ['updated_at', undefined]] as const) {
      assert.equal(parseReadMarker(withField(MARKER, key, value)), null, `${key} = ${JSON.stringify(value)}`);
    }
  });

  it('parses typing broadcasts: name optional, typing defaults to true', () => {
    assert.deepEqual(parseTyping({ user_id: 'u1', name: 'Sam', typing: false }), { user_id: 'u1', name: 'Sam', typing: false });
    assert.deepEqual(parseTyping({ user_id: 'u1' }), { user_id: 'u1', name: null, typing: true });
    assert.deepEqual(parseTyping({ user_id: 'u1', name: null, typing: true, extra: '<b>' }), { user_id: 'u1', name: null, typing: true });
    for (const payload of [{}, { user_id: 3 }, { user_id: 'u1', name: 5 }, { user_id: 'u1', typing: 'no' }, null, 'typing']) {
      assert.equal(parseTyping(payload), null, JSON.stringify(payload));
    }
  });
});

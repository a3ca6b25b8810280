import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseConversation, parseConversationRow, parseMessage, parseMessageRow, parseReadMarker, parseReadMarkerRow, parseTyping,
} from '../../src/data/rows.ts';

const MESSAGE = {
  id: '7f1d2c1e-1111-4a4a-8b8b-000000000001',
  conversation_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000c1',
  seq: 5,
  public_seq: 3,
  visibility: 'public',
  sender_type: 'agent',
  sender_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000a1',
  content: 'Hello',
  metadata: { source: 'test' },
  attachments: [],
  created_at: '2026-12-01T10:00:00.123456+00:00',
} as const;

const NOTE = { ...MESSAGE, id: '7f1d2c1e-1111-4a4a-8b8b-000000000002', seq: 6, public_seq: null, visibility: 'internal' } as const;

const CONVERSATION = {
  id: '7f1d2c1e-1111-4a4a-8b8b-0000000000c1',
  customer_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000b1',
  status: 'open',
  assigned_agent_id: null,
  chatbot_enabled: false,
  subject: null,
  last_seq: 6,
  last_public_seq: 3,
  customer_messages: 2,
  team_messages: 1,
  last_message_at: '2026-12-01T10:00:00.123456+00:00',
  last_message_preview: 'Hello',
  created_at: '2026-12-01T09:00:00+00:00',
  updated_at: '2026-12-01T10:00:00+00:00',
  resolutions: 2,
  rating_score: 4,
  rating_scale: 5,
  rating_resolution: 1,
} as const;

const MARKER = {
  conversation_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000c1',
  user_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000a1',
  last_read_seq: 5,
  last_read_public_seq: 3,
  read_customer_messages: 2,
  read_team_messages: 1,
  updated_at: '2026-12-01T10:00:00+00:00',
} as const;

/** `row` with one field replaced by `value`, or left out for `undefined`. */
function withField(row: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const rest = Object.entries(row).filter(([k]) => k !== key);
  return Object.fromEntries(value === undefined ? rest : [...rest, [key, value]]);
}

describe('realtime payload parsing (src/data/rows.ts)', () => {
  it('validates a raw message row: exactly the declared columns, extra ones left out', () => {
    const parsed = parseMessageRow({ ...MESSAGE, extra: 1 });
    assert.deepEqual(parsed, MESSAGE);
    assert.notEqual(parsed, MESSAGE);
    assert.deepEqual(parseMessageRow(NOTE), NOTE);
    assert.equal(parseMessageRow({ ...MESSAGE, sender_id: null })?.sender_id, null);
  });

  it('validates attachments: a valid list passes as is, any invalid entry makes the row invalid', () => {
    const key = `${MESSAGE.conversation_id}/7f1d2c1e-1111-4a4a-8b8b-0000000000f1/screenshot.png`;
    const image = { key, name: 'Écran 2026/12/01 à 10.00.png', size: 1234, type: 'image/png', width: 800, height: 600 };
    const pdf = { key: key.replace('screenshot.png', 'invoice.pdf'), name: 'invoice.pdf', size: 99, type: 'application/pdf' };
    assert.deepEqual(parseMessage({ ...MESSAGE, content: '', attachments: [image, pdf] }, 'customer')?.attachments, [image, pdf]);
    const bad: unknown[] = [
      undefined, null, {}, 'x', [null], Array.from({ length: 11 }, () => pdf),
      [{ ...pdf, key: 'other/place.pdf' }], [{ ...pdf, key: `${key}/../x` }], [{ ...pdf, name: '' }],
      [{ ...pdf, name: 'n'.repeat(256) }], [{ ...pdf, size: -1 }], [{ ...pdf, size: 1.5 }], [{ ...pdf, size: '99' }],
      [{ ...pdf, type: 'text/html; x' }], [{ ...image, width: 0 }], [{ ...image, height: '600' }], [{ ...pdf, url: 'https://x' }],
    ];
    for (const attachments of bad) {
      assert.equal(parseMessageRow({ ...MESSAGE, attachments }), null, JSON.stringify(attachments));
    }
    assert.equal(parseMessageRow(withField(MESSAGE, 'attachments', undefined)), null);
  });

  it('maps a message to the audience: the team in seq, the customer in public_seq without notes', () => {
    assert.equal(parseMessage(MESSAGE, 'team')?.seq, 5);
    assert.equal(parseMessage(MESSAGE, 'customer')?.seq, 3);
    assert.equal(parseMessage(NOTE, 'team')?.visibility, 'internal');
    assert.equal(parseMessage(NOTE, 'customer'), null);
    assert.deepEqual(Object.keys(parseMessage(MESSAGE, 'customer') ?? {}).sort(),
      ['attachments', 'content', 'conversation_id', 'created_at', 'id', 'metadata', 'sender_id', 'sender_type', 'seq', 'visibility']);
  });

  it('rejects a message with a missing or mistyped field', () => {
    const bad: [string, unknown][] = [
      ['id', undefined], ['id', 7], ['conversation_id', null], ['seq', '3'], ['seq', 1.5], ['seq', -1],
      ['public_seq', undefined], ['public_seq', '3'], ['visibility', 'secret'], ['visibility', undefined],
      ['sender_type', 'robot'], ['sender_id', undefined], ['sender_id', 42], ['content', null],
      ['metadata', null], ['metadata', []], ['metadata', 'x'], ['created_at', 0],
    ];
    for (const [key, value] of bad) {
      assert.equal(parseMessageRow(withField(MESSAGE, key, value)), null, `${key} = ${JSON.stringify(value)}`);
      assert.equal(parseMessage(withField(MESSAGE, key, value), 'team'), null, `${key} = ${JSON.stringify(value)}`);
    }
    for (const payload of [null, undefined, 'message', 3, [MESSAGE]]) assert.equal(parseMessageRow(payload), null);
  });

  it('parses a conversation row for each audience and rejects a bad one', () => {
    assert.deepEqual(parseConversationRow({ ...CONVERSATION, extra: true }), CONVERSATION);
    const team = parseConversation(CONVERSATION, 'team');
    const customer = parseConversation(CONVERSATION, 'customer');
    assert.deepEqual([team?.last_seq, team?.inbound_count], [6, 2]);
    assert.deepEqual([customer?.last_seq, customer?.inbound_count], [3, 1]);
    // The latest rating, for the first of two resolutions (so the second is not rated yet).
    assert.deepEqual([customer?.resolutions, customer?.rating], [2, { score: 4, scale: 5, resolution: 1 }]);
    const unrated = { ...CONVERSATION, rating_score: null, rating_scale: null, rating_resolution: null };
    assert.equal(parseConversation(unrated, 'team')?.rating, null);
    const bad: [string, unknown][] = [
      ['resolutions', undefined], ['resolutions', -1], ['rating_score', '4'], ['rating_resolution', undefined],
      ['status', 'archived'], ['chatbot_enabled', 'false'], ['last_seq', null], ['last_public_seq', undefined],
      ['customer_messages', -1], ['team_messages', '1'], ['subject', 1], ['assigned_agent_id', undefined],
      ['last_message_at', null], ['updated_at', undefined],
    ];
    for (const [key, value] of bad) {
      assert.equal(parseConversation(withField(CONVERSATION, key, value), 'team'), null, `${key} = ${JSON.stringify(value)}`);
    }
  });

  it('reads when the chatbot handed a conversation over, null before, and refuses a bad value', () => {
    const at = '2027-01-10T10:00:00.5+00:00';
    assert.equal(parseConversation({ ...CONVERSATION, handed_over_at: at }, 'customer')?.handed_over_at, at);
    assert.equal(parseConversation({ ...CONVERSATION, handed_over_at: null }, 'team')?.handed_over_at, null);
    // A project whose schema predates the chatbot sends no such column: never handed over.
    assert.equal(parseConversation(CONVERSATION, 'team')?.handed_over_at, null);
    for (const value of [0, false, {}]) {
      assert.equal(parseConversation({ ...CONVERSATION, handed_over_at: value }, 'team'), null, JSON.stringify(value));
    }
  });

  it('parses a read marker for each audience and rejects a bad one', () => {
    assert.deepEqual(parseReadMarkerRow({ ...MARKER, extra: 1 }), MARKER);
    assert.deepEqual(parseReadMarker(MARKER, 'team'), {
      conversation_id: MARKER.conversation_id, user_id: MARKER.user_id, last_read_seq: 5, read_inbound_count: 2, updated_at: MARKER.updated_at,
    });
    assert.equal(parseReadMarker(MARKER, 'customer')?.last_read_seq, 3);
    assert.equal(parseReadMarker(MARKER, 'customer')?.read_inbound_count, 1);
    const bad: [string, unknown][] = [
      ['last_read_seq', '2'], ['last_read_public_seq', undefined], ['read_team_messages', null], ['user_id', null], ['updated_at', undefined],
    ];
    for (const [key, value] of bad) {
      assert.equal(parseReadMarker(withField(MARKER, key, value), 'customer'), null, `${key} = ${JSON.stringify(value)}`);
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


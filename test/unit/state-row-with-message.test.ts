// The console's list following its own thread (src/state/row-with-message.ts): a message moves its
// conversation's row as private.append_message does (test/server/messages.test.ts compares it with
// the database), the conversation's own change then changes nothing, and a send in flight is its
// row's preview.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upsertConversation, type ConversationMap } from '../../src/state/conversations.ts';
import { previewOf, withMessage, withSendingPreviews } from '../../src/state/row-with-message.ts';
import { CONV, conv, msg, pending } from './state-fixtures.ts';

const T = (micros: string): string => `2026-01-01T10:00:00.${micros}+00:00`;

describe('conversation list: a message moves its row on as its transaction does', () => {
  const held = conv(CONV, {
    last_seq: 4, inbound_count: 2, last_message_preview: 'before', last_message_at: T('100000'), updated_at: T('100000'),
  });
  const map: ConversationMap = { [CONV]: held };
  const at = T('200000');

  it("the team's view: a customer's message counts as inbound and becomes the preview", () => {
    const next = withMessage(map, msg(5, { content: 'Where is my parcel?', created_at: at }), 'team');
    assert.deepEqual(next[CONV], {
      ...held, last_seq: 5, inbound_count: 3, updated_at: at, last_message_at: at, last_message_preview: 'Where is my parcel?',
    });
  });

  it("the customer's view counts the team's public replies, not its own messages", () => {
    const reply = withMessage(map, msg(5, { sender_type: 'agent', sender_id: 'agent-1', created_at: at }), 'customer');
    assert.equal(reply[CONV]?.inbound_count, 3);
    const own = withMessage(map, msg(5, { created_at: at }), 'customer');
    assert.equal(own[CONV]?.inbound_count, 2);
    const bot = withMessage(map, msg(5, { sender_type: 'chatbot', sender_id: null, created_at: at }), 'team');
    assert.equal(bot[CONV]?.inbound_count, 2);
  });

  it('a note or a system line moves the seq and the time of change, not the preview or its time', () => {
    for (const over of [{ visibility: 'internal', sender_type: 'agent' }, { sender_type: 'system', sender_id: null }] as const) {
      const next = withMessage(map, msg(5, { ...over, content: 'not a preview', created_at: at }), 'team');
      assert.deepEqual(next[CONV], { ...held, last_seq: 5, updated_at: at });
    }
  });

  it('a message the row already counts, an older one, or one of a conversation not held changes nothing', () => {
    assert.equal(withMessage(map, msg(4, { created_at: at }), 'team'), map);
    assert.equal(withMessage(map, msg(6, { created_at: T('050000') }), 'team'), map);
    assert.equal(withMessage(map, msg(6, { conversation_id: 'other', created_at: at }), 'team'), map);
  });

  it("the conversation's own change then finds the row as it makes it: the same map", () => {
    const next = withMessage(map, msg(5, { content: 'hi', created_at: at }), 'team');
    const fromServer = { ...held, last_seq: 5, inbound_count: 3, updated_at: at, last_message_at: at, last_message_preview: 'hi' };
    const { customer: _realtimeRowsHaveNone, ...realtimeRow } = fromServer;
    assert.equal(upsertConversation(next, realtimeRow), next);
    // A trigger that also reopened it: same updated_at and seq, so it still applies.
    assert.equal(upsertConversation(next, { ...realtimeRow, status: 'pending' })[CONV]?.status, 'pending');
  });

  it("the preview is append_message's: spaces trimmed, whitespace runs one space, 160 characters, files by name", () => {
    assert.equal(previewOf({ content: '  two\n\nlines\tand  tabs  ', attachments: [] }), 'two lines and tabs');
    // btrim() takes spaces only: a leading newline becomes one space.
    assert.equal(previewOf({ content: '\nhello', attachments: [] }), ' hello');
    assert.equal(previewOf({ content: 'no\u00a0break\u2003em', attachments: [] }), 'no break em');
    const long = '😀'.repeat(200);
    assert.equal(Array.from(previewOf({ content: long, attachments: [] })).length, 160);
    const files = [{ name: 'a.png' }, { name: 'b.pdf' }] as unknown as Parameters<typeof previewOf>[0]['attachments'];
    assert.equal(previewOf({ content: '', attachments: files }), '📎 a.png, b.pdf');
  });
});

describe('conversation list: the agent\'s sends in flight', () => {
  const list = [conv(CONV, { last_message_preview: 'stored' }), conv('other', { last_message_preview: 'other' })];

  it('a public send in flight is its conversation\'s preview, the newest one winning; nothing in flight: the same array', () => {
    assert.equal(withSendingPreviews(list, []), list);
    const shown = withSendingPreviews(list, [pending('p1', { content: 'first' }), pending('p2', { content: '  second\n' })]);
    assert.deepEqual(shown.map((c) => c.last_message_preview), ['second ', 'other']);
    assert.equal(shown[1], list[1], 'other rows are the same objects');
    assert.equal(shown[0]?.last_message_at, list[0]?.last_message_at, 'the time stays the stored one');
  });

  it('a note, or a failed send, leaves the stored preview', () => {
    const outbox = [pending('p1', { visibility: 'internal' }), pending('p2', { state: 'failed', error: 'offline' })];
    assert.equal(withSendingPreviews(list, outbox), list);
  });
});

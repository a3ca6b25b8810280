import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_QUICK_REPLIES, parseQuickReplies, quickRepliesOf, quickReplyOf } from '../../src/data/quick-replies.ts';
import { quickReplyMetadata, requireQuickReplies } from '../../src/data/quick-reply-input.ts';
import { isParleyError } from '../../src/data/errors.ts';
import type { Message } from '../../src/data/types.ts';

const REPLIES = [{ id: 'helped', label: 'That helped' }, { id: 'handover', label: 'Talk to a person' }];

function message(fields: Partial<Message>): Message {
  return {
    id: '7f1d2c1e-1111-4a4a-8b8b-000000000001', conversation_id: '7f1d2c1e-1111-4a4a-8b8b-0000000000c1', seq: 2,
    visibility: 'public', sender_type: 'chatbot', sender_id: null, content: 'Returns are free within 30 days.',
    metadata: { quick_replies: REPLIES }, attachments: [], created_at: '2027-01-10T10:00:00+00:00', ...fields,
  };
}

function refused(run: () => unknown): void {
  assert.throws(run, (error) => isParleyError(error) && error.reason === 'quick_replies_invalid');
}

describe('quick replies', () => {
  it('reads a valid list as it is and drops a list that breaks any rule whole', () => {
    assert.deepEqual(parseQuickReplies(REPLIES), REPLIES);
    assert.deepEqual(parseQuickReplies([{ id: 'a', label: '🙂'.repeat(40), extra: 1 }]), [{ id: 'a', label: '🙂'.repeat(40) }]);
    const five = Array.from({ length: MAX_QUICK_REPLIES + 1 }, (_, i) => ({ id: `r${i}`, label: `Reply ${i}` }));
    const bad: unknown[] = [
      undefined, null, 'helped', {}, [], five,
      [{ id: 'Upper', label: 'x' }], [{ id: 'a'.repeat(33), label: 'x' }], [{ id: 'a b', label: 'x' }],
      [{ id: 'a', label: '' }], [{ id: 'a', label: ' \t ' }], [{ id: 'a', label: 'x'.repeat(41) }], [{ id: 'a', label: 3 }],
      [{ id: 'a', label: 'x' }, { id: 'a', label: 'y' }], [REPLIES[0], null],
    ];
    for (const value of bad) assert.equal(parseQuickReplies(value), null, JSON.stringify(value));
  });

  it('offers buttons only from a public team or bot message', () => {
    assert.deepEqual(quickRepliesOf(message({})), REPLIES);
    assert.deepEqual(quickRepliesOf(message({ sender_type: 'agent' })), REPLIES);
    assert.equal(quickRepliesOf(message({ sender_type: 'customer' })), null);
    assert.equal(quickRepliesOf(message({ sender_type: 'system' })), null);
    assert.equal(quickRepliesOf(message({ visibility: 'internal', sender_type: 'agent' })), null);
    assert.equal(quickRepliesOf(message({ metadata: {} })), null);
    assert.equal(quickRepliesOf(message({ metadata: { quick_replies: [{ id: '<b>', label: 'x' }] } })), null);
  });

  it('reads which button a customer message answers, and only from a customer', () => {
    assert.equal(quickReplyOf({ sender_type: 'customer', metadata: { quick_reply: 'handover' } }), 'handover');
    assert.equal(quickReplyOf({ sender_type: 'customer', metadata: {} }), null);
    assert.equal(quickReplyOf({ sender_type: 'customer', metadata: { quick_reply: 'No!' } }), null);
    assert.equal(quickReplyOf({ sender_type: 'agent', metadata: { quick_reply: 'handover' } }), null);
    assert.deepEqual(quickReplyMetadata('helped'), { quick_reply: 'helped' });
    refused(() => quickReplyMetadata('Not an id'));
  });

  it('checks what an agent writes: trimmed labels, ids by place, the same bounds as the database', () => {
    assert.deepEqual(requireQuickReplies([{ label: ' Yes ' }, { label: 'No' }]), [{ id: 'reply-1', label: 'Yes' }, { id: 'reply-2', label: 'No' }]);
    assert.deepEqual(requireQuickReplies([{ id: 'handover', label: 'A person, please' }]), [{ id: 'handover', label: 'A person, please' }]);
    assert.deepEqual(requireQuickReplies([]), []);
    refused(() => requireQuickReplies([{ label: ' ' }]));
    refused(() => requireQuickReplies([{ label: '\u200b' }]));
    refused(() => requireQuickReplies([{ label: 'x'.repeat(41) }]));
    refused(() => requireQuickReplies([{ id: 'a', label: 'x' }, { id: 'a', label: 'y' }]));
    refused(() => requireQuickReplies([{ id: 'A', label: 'x' }]));
    refused(() => requireQuickReplies(Array.from({ length: 5 }, () => ({ label: 'x' }))));
  });
});

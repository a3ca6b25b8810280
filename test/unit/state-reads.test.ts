import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadMarker } from '../../src/data/types.ts';
import { createParleyState } from '../../src/state/parley-state.ts';
import {
  NOTHING_SEEN,
  NOTHING_UNREAD,
  NO_MARKS,
  recordReadMarker,
  sameSeen,
  seenPositions,
  unreadBesides,
  type ReaderMarks,
} from '../../src/state/reads.ts';
import { conv } from './state-fixtures.ts';

const VISITOR = 'visitor-1';
const AGENT = 'agent-1';
const OTHER_AGENT = 'agent-2';

function marker(conversationId: string, userId: string, seq: number): ReadMarker {
  return { conversation_id: conversationId, user_id: userId, last_read_seq: seq, read_inbound_count: 0, updated_at: '2026-01-01T00:00:00Z' };
}

function record(...markers: ReadMarker[]): ReaderMarks {
  return markers.reduce(recordReadMarker, NO_MARKS);
}

describe('reads: recordReadMarker', () => {
  it('keeps each user per conversation and only moves forward', () => {
    let marks = record(marker('a', AGENT, 3), marker('a', OTHER_AGENT, 1), marker('b', AGENT, 7));
    assert.deepEqual(marks, { a: { [AGENT]: 3, [OTHER_AGENT]: 1 }, b: { [AGENT]: 7 } });
    const before = marks;
    marks = recordReadMarker(marks, marker('a', AGENT, 2));
    assert.equal(marks, before, 'an older marker arriving late changes nothing');
    marks = recordReadMarker(marks, marker('a', AGENT, 3));
    assert.equal(marks, before, 'the same position is no change');
    marks = recordReadMarker(marks, marker('a', AGENT, 5));
    assert.equal(marks.a?.[AGENT], 5);
    assert.equal(before.a?.[AGENT], 3, 'the previous map is not mutated');
  });

  it('records position 0 once, and ignores positions that are not whole numbers of 0 or more', () => {
    const marks = record(marker('a', AGENT, 0));
    assert.deepEqual(marks, { a: { [AGENT]: 0 } });
    assert.equal(recordReadMarker(marks, marker('a', AGENT, -1)), marks);
    assert.equal(recordReadMarker(marks, marker('a', AGENT, 1.5)), marks);
    assert.equal(recordReadMarker(marks, marker('a', AGENT, Number.NaN)), marks);
  });
});

describe('reads: seenPositions', () => {
  const conversations = { a: conv('a', { customer_id: VISITOR }), b: conv('b', { customer_id: 'visitor-2' }) };

  it("a visitor's other side is anyone else: the highest marker that is not theirs", () => {
    const marks = record(marker('a', VISITOR, 9), marker('a', AGENT, 4), marker('a', OTHER_AGENT, 6));
    assert.deepEqual(seenPositions(marks, conversations, { userId: VISITOR, role: 'visitor' }), { a: 6 });
  });

  it("a visitor's own marker alone is nothing seen", () => {
    const marks = record(marker('a', VISITOR, 9));
    assert.equal(seenPositions(marks, conversations, { userId: VISITOR, role: 'visitor' }), NOTHING_SEEN);
  });

  it("an agent's other side is the conversation's customer; other agents do not count", () => {
    const marks = record(marker('a', VISITOR, 2), marker('a', OTHER_AGENT, 8), marker('b', OTHER_AGENT, 5));
    assert.deepEqual(seenPositions(marks, conversations, { userId: AGENT, role: 'agent' }), { a: 2 });
    assert.deepEqual(seenPositions(marks, conversations, { userId: AGENT, role: 'admin' }), { a: 2 });
  });

  it('a marker that arrived before its conversation row counts once the row is there', () => {
    const marks = record(marker('c', 'visitor-3', 4));
    assert.equal(seenPositions(marks, conversations, { userId: AGENT, role: 'agent' }), NOTHING_SEEN);
    const withRow = { ...conversations, c: conv('c', { customer_id: 'visitor-3' }) };
    assert.deepEqual(seenPositions(marks, withRow, { userId: AGENT, role: 'agent' }), { c: 4 });
  });

  it('an unknown role is the customer where the row says so (or is missing), the team elsewhere', () => {
    const marks = record(marker('a', AGENT, 3), marker('b', 'visitor-2', 2), marker('b', AGENT, 6), marker('z', AGENT, 1));
    assert.deepEqual(seenPositions(marks, conversations, { userId: VISITOR, role: null }), { a: 3, b: 2, z: 1 });
  });

  it('nothing is seen before sign-in, and position 0 is not a receipt', () => {
    const marks = record(marker('a', AGENT, 3), marker('b', AGENT, 0));
    assert.equal(seenPositions(marks, conversations, { userId: null, role: null }), NOTHING_SEEN);
    assert.deepEqual(seenPositions(marks, conversations, { userId: VISITOR, role: 'visitor' }), { a: 3 });
  });

  it('sameSeen compares positions, not identity', () => {
    assert.equal(sameSeen({ a: 1, b: 2 }, { b: 2, a: 1 }), true);
    assert.equal(sameSeen({ a: 1 }, { a: 2 }), false);
    assert.equal(sameSeen({ a: 1 }, { a: 1, b: 1 }), false);
    assert.equal(sameSeen(NOTHING_SEEN, {}), true);
  });
});

describe('state: $seen', () => {
  it("a visitor's $seen follows the team's markers, forward only; their own marker moves $readMarkers", () => {
    const state = createParleyState();
    state.setSession({ userId: VISITOR, role: 'visitor' });
    state.applyReadMarker(marker('a', VISITOR, 5));
    assert.equal(state.$seen.get(), NOTHING_SEEN);
    assert.equal(state.$readMarkers.get().a, 5);
    state.applyReadMarkers([marker('a', AGENT, 2), marker('a', OTHER_AGENT, 3)]);
    assert.deepEqual(state.$seen.get(), { a: 3 });
    state.applyReadMarker(marker('a', OTHER_AGENT, 1));
    assert.deepEqual(state.$seen.get(), { a: 3 }, 'never moves back');
  });

  it("an agent's $seen waits for the conversation row to know its customer", () => {
    const state = createParleyState();
    state.setSession({ userId: AGENT, role: 'agent' });
    state.applyReadMarker(marker('a', VISITOR, 4));
    state.applyReadMarker(marker('a', OTHER_AGENT, 9));
    assert.equal(state.$seen.get().a, undefined);
    state.applyConversation(conv('a', { customer_id: VISITOR, last_seq: 9 }));
    assert.deepEqual(state.$seen.get(), { a: 4 });
  });

  it('keeps its value (and notifies nobody) when conversations change but positions do not', () => {
    const state = createParleyState();
    state.setSession({ userId: AGENT, role: 'agent' });
    state.applyConversation(conv('a', { customer_id: VISITOR, last_seq: 1 }));
    state.applyReadMarker(marker('a', VISITOR, 1));
    let calls = 0;
    const off = state.$seen.listen(() => (calls += 1));
    const before = state.$seen.get();
    state.applyConversation(conv('a', { customer_id: VISITOR, last_seq: 2, updated_at: '2026-01-02T00:00:00Z' }));
    assert.equal(state.$seen.get(), before);
    assert.equal(calls, 0);
    state.applyReadMarker(marker('a', VISITOR, 2));
    assert.deepEqual(state.$seen.get(), { a: 2 });
    assert.equal(calls, 1);
    off();
  });

  it('a different user clears the markers of others', () => {
    const state = createParleyState();
    state.setSession({ userId: VISITOR, role: 'visitor' });
    state.applyReadMarker(marker('a', AGENT, 3));
    state.setSession({ userId: 'visitor-2', role: 'visitor' });
    assert.equal(state.$seen.get(), NOTHING_SEEN);
  });
});

describe('reads: unreadBesides', () => {
  const unread = { byConversation: { a: 2, b: 3 }, total: 5 };

  it('leaves out the conversation read on screen, from its entry and the total', () => {
    assert.deepEqual(unreadBesides(unread, 'a'), { byConversation: { b: 3 }, total: 3 });
    assert.deepEqual(unread, { byConversation: { a: 2, b: 3 }, total: 5 }, 'the state itself is not changed');
  });

  it('is the same object when there is nothing to leave out, so a list bound to it does not render again', () => {
    assert.equal(unreadBesides(unread, null), unread);
    assert.equal(unreadBesides(unread, 'c'), unread);
  });

  it('is nothing unread when the conversation on screen held all of it', () => {
    assert.equal(unreadBesides({ byConversation: { a: 2 }, total: 2 }, 'a'), NOTHING_UNREAD);
  });
});

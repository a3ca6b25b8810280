import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/data/types.ts';
import {
  EMPTY_THREAD,
  addPending,
  detectGaps,
  markPendingFailed,
  markPendingSent,
  mergeInsert,
  mergePage,
  missingRanges,
  reconcile,
  removePending,
  retryPending,
  setLoading,
  type ThreadState,
} from '../../src/state/thread.ts';
import { msg, msgs, pending, rng } from './state-fixtures.ts';

const seqs = (t: ThreadState): number[] => t.messages.map((m) => m.seq);

function build(steps: readonly (Message | readonly Message[])[]): ThreadState {
  let t = EMPTY_THREAD;
  for (const step of steps) t = 'seq' in step ? mergeInsert(t, step) : mergePage(t, step);
  return t;
}

/** The invariants every reducer must keep, checked after each step of the property test. */
function assertInvariants(t: ThreadState): void {
  const ids = new Set<string>();
  for (let i = 0; i < t.messages.length; i++) {
    const m = t.messages[i] as Message;
    assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
    ids.add(m.id);
    if (i > 0) assert.ok(m.seq > (t.messages[i - 1] as Message).seq, 'strictly ascending seq');
  }
  assert.deepEqual(t.gaps, detectGaps(t));
  const first = t.gaps[0];
  const expected = first ? first.from - 1 : (t.messages.at(-1)?.seq ?? 0);
  assert.equal(t.lastSeq, expected);
}

describe('thread reducers: merging', () => {
  const cases: { name: string; steps: (Message | Message[])[]; seqs: number[]; lastSeq: number; gaps: { from: number; to: number }[] }[] = [
    { name: 'appends in order', steps: [msg(1), msg(2), msg(3)], seqs: [1, 2, 3], lastSeq: 3, gaps: [] },
    { name: 'duplicate insert is ignored', steps: [msg(1), msg(2), msg(2), msg(1)], seqs: [1, 2], lastSeq: 2, gaps: [] },
    {
      name: 'same seq, different id: first copy wins',
      steps: [msg(1), msg(2), msg(2, { id: 'other' })],
      seqs: [1, 2],
      lastSeq: 2,
      gaps: [],
    },
    {
      name: 'same id at another seq is a duplicate',
      steps: [msg(1), msg(2), msg(3, { id: 'm-2' })],
      seqs: [1, 2],
      lastSeq: 2,
      gaps: [],
    },
    { name: 'out-of-order inserts end sorted', steps: [msg(3), msg(1), msg(2)], seqs: [1, 2, 3], lastSeq: 3, gaps: [] },
    {
      name: 'insert arriving before the page that contains it',
      steps: [msg(12), msgs(3, 12)],
      seqs: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      lastSeq: 12,
      gaps: [],
    },
    {
      name: 'overlapping pages',
      steps: [msgs(5, 10), msgs(1, 7), msgs(8, 12)],
      seqs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      lastSeq: 12,
      gaps: [],
    },
    { name: 'page in descending order', steps: [msgs(1, 4).reverse()], seqs: [1, 2, 3, 4], lastSeq: 4, gaps: [] },
    { name: 'page with internal duplicates', steps: [[msg(1), msg(2), msg(2), msg(1)]], seqs: [1, 2], lastSeq: 2, gaps: [] },
    {
      name: 'page with two ids at one seq keeps the first',
      steps: [[msg(1), msg(2), msg(2, { id: 'other' })]],
      seqs: [1, 2],
      lastSeq: 2,
      gaps: [],
    },
    {
      name: 'page repeating a held id at another seq drops it',
      steps: [msgs(1, 2), [msg(3, { id: 'm-2' }), msg(4)]],
      seqs: [1, 2, 4],
      lastSeq: 2,
      gaps: [{ from: 3, to: 3 }],
    },
    { name: 'N then N+2 leaves a gap of one', steps: [msgs(1, 5), msg(7)], seqs: [1, 2, 3, 4, 5, 7], lastSeq: 5, gaps: [{ from: 6, to: 6 }] },
    {
      name: 'filling the gap advances lastSeq past everything held',
      steps: [msgs(1, 5), msg(7), msg(8), msg(6)],
      seqs: [1, 2, 3, 4, 5, 6, 7, 8],
      lastSeq: 8,
      gaps: [],
    },
    {
      name: 'several gaps; a page repairs the first only',
      steps: [msg(1), msg(4), msg(9), msgs(2, 3)],
      seqs: [1, 2, 3, 4, 9],
      lastSeq: 4,
      gaps: [{ from: 5, to: 8 }],
    },
    {
      name: 'partial history counts from the oldest loaded seq',
      steps: [msgs(40, 50)],
      seqs: [40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50],
      lastSeq: 50,
      gaps: [],
    },
    {
      name: 'an insert older than the loaded window opens a gap below it',
      steps: [msgs(40, 42), msg(37)],
      seqs: [37, 40, 41, 42],
      lastSeq: 37,
      gaps: [{ from: 38, to: 39 }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = build(c.steps);
      assert.deepEqual(seqs(t), c.seqs);
      assert.equal(t.lastSeq, c.lastSeq);
      assert.deepEqual(t.gaps, c.gaps);
      assertInvariants(t);
    });
  }

  it('returns the same object for a duplicate, so stores do not notify', () => {
    const t = build([msgs(1, 3)]);
    assert.equal(mergeInsert(t, msg(2)), t);
    assert.equal(mergePage(t, msgs(1, 3)), t);
    assert.equal(mergePage(t, []), t);
  });

  it('never mutates its input', () => {
    const t = build([msgs(1, 3), msg(5)]);
    const frozen = Object.freeze({ ...t, messages: Object.freeze([...t.messages]), gaps: Object.freeze([...t.gaps]) });
    const next = mergeInsert(mergePage(frozen, [msg(4), msg(0 + 6)]), msg(7));
    assert.deepEqual(seqs(frozen), [1, 2, 3, 5]);
    assert.deepEqual(seqs(next), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps the gaps array identity when gaps do not change', () => {
    const t = build([msg(1), msg(5)]);
    const next = mergeInsert(t, msg(6));
    assert.equal(next.gaps, t.gaps);
  });

  it('hasMore and loading: set by newest/older pages, untouched by resync pages', () => {
    let t = setLoading(EMPTY_THREAD, true);
    assert.equal(t.hasMore, true);
    t = mergePage(t, msgs(51, 100), { hasMore: true });
    assert.equal(t.loading, false);
    assert.equal(t.hasMore, true);
    t = mergePage(setLoading(t, true), msgs(1, 50), { hasMore: false });
    assert.deepEqual([t.hasMore, t.loading], [false, false]);
    t = mergePage(t, msgs(101, 102));
    assert.equal(t.hasMore, false);
    assert.equal(t.lastSeq, 102);
  });

  it('missingRanges adds the tail the conversation row announces', () => {
    const t = build([msgs(1, 5), msg(7)]);
    assert.deepEqual(missingRanges(t, 7), [{ from: 6, to: 6 }]);
    assert.deepEqual(missingRanges(t, 10), [{ from: 6, to: 6 }, { from: 8, to: 10 }]);
    assert.deepEqual(missingRanges(EMPTY_THREAD, 10), []);
  });
});

describe('thread reducers: optimistic sends', () => {
  it('a send shows once: pending until confirmed by id, then only the row', () => {
    let t = build([msgs(1, 2)]);
    t = addPending(t, pending('p1'));
    assert.deepEqual(t.pending.map((p) => [p.id, p.state]), [['p1', 'sending']]);
    t = reconcile(t, msg(3, { id: 'p1' }));
    assert.deepEqual(t.pending, []);
    assert.deepEqual(t.messages.map((m) => m.id), ['m-1', 'm-2', 'p1']);
    // The realtime echo of the same row changes nothing.
    assert.equal(mergeInsert(t, msg(3, { id: 'p1' })), t);
  });

  it('a realtime echo before the send result also reconciles', () => {
    let t = addPending(build([msgs(1, 2)]), pending('p1'));
    t = mergeInsert(t, msg(3, { id: 'p1' }));
    assert.deepEqual(t.pending, []);
    t = reconcile(t, msg(3, { id: 'p1' }));
    assert.equal(t.messages.filter((m) => m.id === 'p1').length, 1);
  });

  it('a resync page carrying the sent row reconciles it', () => {
    let t = addPending(build([msgs(1, 2)]), pending('p1'));
    t = mergePage(t, [msg(3, { id: 'p1' }), msg(4)]);
    assert.deepEqual(t.pending, []);
    assert.deepEqual(seqs(t), [1, 2, 3, 4]);
  });

  it('sent without the row stays visible as sent until the row arrives', () => {
    let t = addPending(EMPTY_THREAD, pending('p1'));
    t = markPendingSent(t, 'p1');
    assert.deepEqual(t.pending.map((p) => p.state), ['sent']);
    t = mergeInsert(t, msg(1, { id: 'p1' }));
    assert.deepEqual(t.pending, []);
  });

  it('failure then retry: failed with the reason, then sending with one more attempt', () => {
    let t = addPending(EMPTY_THREAD, pending('p1'));
    t = markPendingFailed(t, 'p1', 'Network down');
    assert.deepEqual(t.pending.map((p) => [p.state, p.error, p.attempts]), [['failed', 'Network down', 1]]);
    t = retryPending(t, 'p1');
    assert.deepEqual(t.pending.map((p) => [p.state, p.error, p.attempts]), [['sending', null, 2]]);
    assert.equal(retryPending(t, 'p1'), t, 'retrying a send in flight does nothing');
    t = removePending(markPendingFailed(t, 'p1', 'again'), 'p1');
    assert.deepEqual(t.pending, []);
  });

  it('adding a pending send twice, or one already confirmed, is ignored', () => {
    const t = addPending(build([msg(1, { id: 'p0' })]), pending('p1'));
    assert.equal(addPending(t, pending('p1')), t);
    assert.equal(addPending(t, pending('p0')), t);
  });
});

describe('thread reducers: property', () => {
  it('any interleaving of 200 messages through mergeInsert/mergePage ends with exactly 1..200', () => {
    const all = msgs(1, 200);
    for (let run = 0; run < 60; run++) {
      const seed = 1000 + run;
      const random = rng(seed);
      const deliveries: (Message | Message[])[] = [];
      // Every message is delivered at least once: some by insert, some in pages of random span.
      let s = 1;
      while (s <= 200) {
        if (random() < 0.5) {
          deliveries.push(all[s - 1] as Message);
          s++;
        } else {
          const len = 1 + Math.floor(random() * 30);
          const from = Math.max(1, s - Math.floor(random() * 5)); // overlap what came before
          const to = Math.min(200, s + len - 1);
          const page = all.slice(from - 1, to);
          deliveries.push(random() < 0.3 ? page.reverse() : page);
          s = to + 1;
        }
      }
      // Duplicates and stray re-deliveries.
      for (let k = 0; k < 40; k++) {
        deliveries.push(all[Math.floor(random() * 200)] as Message);
      }
      for (let i = deliveries.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [deliveries[i], deliveries[j]] = [deliveries[j] as Message | Message[], deliveries[i] as Message | Message[]];
      }
      let t = EMPTY_THREAD;
      for (const d of deliveries) {
        t = Array.isArray(d) ? mergePage(t, d) : mergeInsert(t, d);
        assertInvariants(t);
      }
      assert.deepEqual(seqs(t), all.map((m) => m.seq), `seed ${seed}`);
      assert.deepEqual(t.messages.map((m) => m.id), all.map((m) => m.id), `seed ${seed}`);
      assert.equal(t.lastSeq, 200, `seed ${seed}`);
      assert.deepEqual(t.gaps, [], `seed ${seed}`);
    }
  });
});

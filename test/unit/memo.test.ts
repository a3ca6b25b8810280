import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoizeLast } from '../../src/elements/memo.ts';
import { othersTyping } from '../../src/state/typing.ts';

describe('memoizeLast', () => {
  it('returns the same result while every argument is the same, and recomputes when one changes', () => {
    let calls = 0;
    const agents = [{ id: 'a' }];
    const names = memoizeLast((list: readonly { id: string }[], extra: string) => {
      calls += 1;
      return { ids: list.map((x) => x.id), extra };
    });
    const first = names(agents, 'x');
    assert.equal(names(agents, 'x'), first);
    assert.equal(calls, 1);
    const other = names([{ id: 'a' }], 'x');
    assert.notEqual(other, first, 'an equal but new array is a change');
    assert.deepEqual(other, first);
    names([{ id: 'a' }], 'y');
    assert.equal(calls, 3);
  });
});

describe('othersTyping', () => {
  it('names everyone typing but the viewer, with a fallback for nameless senders', () => {
    const entries = [
      { user_id: 'me', name: 'Me', expires_at: 1 },
      { user_id: 'ana', name: 'Ana', expires_at: 1 },
      { user_id: 'bo', name: null, expires_at: 1 },
    ];
    assert.deepEqual(othersTyping(entries, 'me', 'Support'), ['Ana', 'Support']);
    assert.deepEqual(othersTyping(undefined, 'me', 'Support'), []);
  });
});

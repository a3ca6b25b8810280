import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadOrder } from '../../src/realtime/read-order.ts';

describe('ReadOrder', () => {
  it('applies a read that answers with no live change since it started', () => {
    const order = new ReadOrder();
    const fresh = order.startRead();
    assert.equal(fresh(), true);
  });

  it('drops a read that started before a live change it answers after (the change would be undone)', () => {
    const order = new ReadOrder();
    const fresh = order.startRead();
    order.live();
    assert.equal(fresh(), false);
  });

  it('applies a read started after the live change', () => {
    const order = new ReadOrder();
    order.live();
    const fresh = order.startRead();
    assert.equal(fresh(), true);
  });

  it('drops an earlier read answering after a later one was applied', () => {
    const order = new ReadOrder();
    const first = order.startRead();
    const second = order.startRead();
    assert.equal(second(), true);
    assert.equal(first(), false);
  });

  it('applies two reads answering in the order they started', () => {
    const order = new ReadOrder();
    const first = order.startRead();
    const second = order.startRead();
    assert.equal(first(), true);
    assert.equal(second(), true);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomId } from '../../src/ids.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  it('is a UUID v4', () => {
    assert.match(randomId(), UUID_V4);
  });

  it('is a UUID v4 where crypto.randomUUID is missing (pages that are not a secure context)', (t) => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    const { getRandomValues } = globalThis.crypto;
    Object.defineProperty(globalThis, 'crypto', {
      configurable: true,
      value: { getRandomValues: getRandomValues.bind(globalThis.crypto) },
    });
    t.after(() => {
      if (original) Object.defineProperty(globalThis, 'crypto', original);
    });
    const ids = new Set(Array.from({ length: 200 }, () => randomId()));
    assert.equal(ids.size, 200);
    for (const id of ids) assert.match(id, UUID_V4);
  });
});

// The data layer refuses what the database refuses, before any request: blank messages (by the same
// character list as 20261206000004_schema_bounds.sql) and metadata past its depth and size bounds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isParleyError } from '../../src/data/errors.ts';
import { MAX_METADATA_BYTES, MAX_METADATA_DEPTH } from '../../src/data/types.ts';
import { isBlank, requireContent, requireMetadata } from '../../src/data/validate.ts';

function refusedWith(reason: string): (error: unknown) => boolean {
  return (error) => isParleyError(error) && error.kind === 'invalid' && error.reason === reason;
}

/** `{"a":{"a":…}}` with `levels` objects. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

describe('blank messages', () => {
  it('are exactly the strings of Unicode White_Space and Default_Ignorable_Code_Point characters', () => {
    const unicode = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]$/u;
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      if (isBlank(char) !== unicode.test(char)) differ.push(cp.toString(16));
    }
    assert.deepEqual(differ, []);
  });

  it('include zero-width-only and mixed invisible text, and nothing with a visible character', () => {
    for (const text of ['', ' \t\n', '\u00a0', '\u200b', '\u200c\u200d', '\u2060', '\ufeff', '\u3000\u200b \u2060\ufeff']) {
      assert.equal(isBlank(text), true, JSON.stringify(text));
      assert.throws(() => requireContent(text), refusedWith('content_empty'));
    }
    for (const text of ['a', '\u200ba\u200b', '.', '👍', '\u200d👍']) {
      assert.equal(isBlank(text), false, JSON.stringify(text));
      assert.equal(requireContent(text), text);
    }
  });
});

describe('metadata bounds', () => {
  it(`accept ${MAX_METADATA_DEPTH} levels and refuse ${MAX_METADATA_DEPTH + 1}, arrays included`, () => {
    assert.deepEqual(requireMetadata(nested(MAX_METADATA_DEPTH)), nested(MAX_METADATA_DEPTH));
    assert.throws(() => requireMetadata(nested(MAX_METADATA_DEPTH + 1)), refusedWith('metadata_too_deep'));
    assert.throws(() => requireMetadata({ a: [[[[[[[[1]]]]]]]] }), refusedWith('metadata_too_deep'));
  });

  it('refuse a deep or cyclic object without overflowing the stack', () => {
    assert.throws(() => requireMetadata(nested(200_000)), refusedWith('metadata_too_deep'));
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.throws(() => requireMetadata(cycle), refusedWith('metadata_too_deep'));
  });

  it(`refuse more than ${MAX_METADATA_BYTES} bytes of JSON, counting UTF-8 bytes`, () => {
    const fits = { text: 'x'.repeat(MAX_METADATA_BYTES - '{"text":""}'.length) };
    assert.equal(requireMetadata(fits), fits);
    assert.throws(() => requireMetadata({ text: `${fits.text}x` }), refusedWith('metadata_too_large'));
    assert.throws(() => requireMetadata({ text: 'é'.repeat(MAX_METADATA_BYTES / 2) }), refusedWith('metadata_too_large'));
    const wide = Object.fromEntries(Array.from({ length: MAX_METADATA_BYTES }, (_, i) => [i, {}]));
    assert.throws(() => requireMetadata(wide), refusedWith('metadata_too_large'));
  });
});

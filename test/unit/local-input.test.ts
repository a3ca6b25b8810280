import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, decodeUtf8, findNul, jsonDepth, parseBoundedJson } from '../../supabase/local/src/input.ts';

describe('local stack input bounds', () => {
  it('measures nesting without parsing, ignoring brackets in strings', () => {
    assert.equal(jsonDepth('1'), 0);
    assert.equal(jsonDepth('{"a":[1,{"b":[]}]}'), 4);
    assert.equal(jsonDepth('{"a":"[[[[\\"[[["}'), 1);
    assert.equal(jsonDepth('['.repeat(1_000_000) + ']'.repeat(1_000_000)), 1_000_000);
  });

  it('refuses text nested past the bound before JSON.parse sees it', () => {
    assert.deepEqual(parseBoundedJson('[[1]]', 'body', 2), [[1]]);
    assert.throws(() => parseBoundedJson('[[[1]]]', 'body', 2), (error: unknown) =>
      error instanceof InputError && error.field === 'body' && /deeper than 2/.test(error.message));
    assert.throws(() => parseBoundedJson('{', 'body'), SyntaxError);
  });

  it('refuses invalid UTF-8 and names the field', () => {
    assert.equal(decodeUtf8(Buffer.from('héllo')), 'héllo');
    assert.throws(() => decodeUtf8(Buffer.from([0x68, 0xc3, 0x28]), 'email'), (error: unknown) =>
      error instanceof InputError && error.field === 'email');
  });

  it('finds the path of a NUL in keys and values', () => {
    assert.equal(findNul({ a: 'ok', b: ['x', { c: 'n\u0000ul' }] }), 'b[1].c');
    assert.equal(findNul({ 'k\u0000': 1 }), 'k\u0000');
    assert.equal(findNul('plain'), null);
    assert.equal(findNul({ a: [1, true, null] }), null);
  });
});

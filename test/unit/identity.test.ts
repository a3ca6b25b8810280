import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import { claimsOf, currentIdentity } from '../../src/data/identity.ts';

const key = new TextEncoder().encode('a-test-secret-of-at-least-32-bytes!!');
const sign = (claims: Record<string, unknown>): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
/** A client created with `accessToken`, as supabase-js keeps it (identity.ts reads only that). */
const thirdParty = (token: string | null): SupabaseClient =>
  ({ accessToken: () => Promise.resolve(token) }) as unknown as SupabaseClient;

describe('claims of a host-issued token', () => {
  it('reads the payload of a signed token, multi-byte text included', async () => {
    const token = await sign({ sub: 'user-1', name: 'José 山田', is_anonymous: false });
    assert.deepEqual(claimsOf(token), { sub: 'user-1', name: 'José 山田', is_anonymous: false });
  });

  it('reads base64url payloads that base64 would spell with + and /', () => {
    // '?>?' encodes as Pz4/ in base64, Pz4_ in base64url.
    const payload = Buffer.from(JSON.stringify({ sub: '?>?>~~' })).toString('base64url');
    assert.match(payload, /[-_]/);
    assert.deepEqual(claimsOf(`e30.${payload}.sig`), { sub: '?>?>~~' });
  });

  it('is null for what is not a compact JWS with an object payload', () => {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    assert.equal(claimsOf('only.two'), null);
    assert.equal(claimsOf(`a.${encode({ sub: 'x' })}.c.d`), null);
    assert.equal(claimsOf('a..c'), null);
    assert.equal(claimsOf(`a.${encode(['sub'])}.c`), null);
    assert.equal(claimsOf(`a.${encode('sub')}.c`), null);
    assert.equal(claimsOf(`a.${encode(null)}.c`), null);
    assert.throws(() => claimsOf(`a.${Buffer.from('{not json').toString('base64url')}.c`));
  });
});

describe('currentIdentity with third-party auth', () => {
  it('is the token’s subject, anonymous only when the claim says so', async () => {
    assert.deepEqual(await currentIdentity(thirdParty(await sign({ sub: 'u1' }))), { id: 'u1', isAnonymous: false });
    assert.deepEqual(await currentIdentity(thirdParty(await sign({ sub: 'u2', is_anonymous: true }))), { id: 'u2', isAnonymous: true });
  });

  it('is nobody without a token, a subject, or a readable token', async () => {
    assert.equal(await currentIdentity(thirdParty(null)), null);
    assert.equal(await currentIdentity(thirdParty(await sign({ role: 'anon' }))), null);
    assert.equal(await currentIdentity(thirdParty(await sign({ sub: 42 }))), null);
    assert.equal(await currentIdentity(thirdParty('not-a-token')), null);
    assert.equal(await currentIdentity(thirdParty('a.%%%.c')), null);
  });
});

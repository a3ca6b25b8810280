// The auth rate limiter's arithmetic on a hand-moved clock (GoTrue's tollbooth buckets), and how the
// stack's options and the CLI's environment set it.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { clientAddress, createAuthRateLimits, DEFAULT_AUTH_RATE_LIMITS, TokenBuckets } from '../../supabase/local/src/auth/rate-limit.ts';
import { AuthError } from '../../supabase/local/src/auth/errors.ts';
import { rateLimitsFromEnv } from '../../supabase/local/src/cli.ts';
import { LocalStackOptionError, resolveOptions } from '../../supabase/local/src/options.ts';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

const admitted = (buckets: TokenBuckets, key: string, count: number): number =>
  Array.from({ length: count }, () => buckets.take(key)).filter(Boolean).length;

describe('auth rate limits: token buckets', () => {
  it('starts full, refuses once empty, and refills at the rate, never above the burst', () => {
    const c = clock();
    const buckets = new TokenBuckets(150 / 300, 30, c.now);
    assert.equal(admitted(buckets, 'a', 40), 30);
    c.advance(1_999);
    assert.equal(buckets.take('a'), false, 'half a request per second: not yet');
    c.advance(1);
    assert.equal(buckets.take('a'), true);
    c.advance(10 * 60 * 1000);
    assert.equal(admitted(buckets, 'a', 40), 30, 'ten idle minutes refill 30, not 300');
  });

  it('keeps one bucket per address', () => {
    const c = clock();
    const buckets = new TokenBuckets(1 / 300, 30, c.now);
    assert.equal(admitted(buckets, 'a', 31), 30);
    assert.equal(admitted(buckets, 'b', 31), 30);
  });

  it('forgets a bucket an hour after making it, as tollbooth\'s expiring map does, and sweeps it from memory', () => {
    const c = clock();
    const buckets = new TokenBuckets(30 / 3600, 30, c.now);
    assert.equal(admitted(buckets, 'a', 31), 30);
    c.advance(60 * 60 * 1000 - 1);
    assert.equal(admitted(buckets, 'a', 31), 29, 'refilled at 30 an hour');
    c.advance(1);
    assert.equal(admitted(buckets, 'a', 31), 30, 'a new, full bucket');
    c.advance(60 * 60 * 1000);
    buckets.take('b');
    assert.equal(buckets.size, 1, 'the expired bucket is gone');
  });

  it('throws GoTrue\'s 429 from the limiter a route names, with GoTrue\'s defaults', () => {
    const c = clock();
    const limits = createAuthRateLimits(DEFAULT_AUTH_RATE_LIMITS, c.now);
    for (let i = 0; i < 30; i++) limits.check('anonymousSignIns', 'a');
    assert.throws(() => limits.check('anonymousSignIns', 'a'), (error: unknown) =>
      error instanceof AuthError && error.status === 429 && error.code === 'over_request_rate_limit'
      && error.message === 'Request rate limit reached');
    c.advance(120_000);
    limits.check('anonymousSignIns', 'a');
    // Sign-ups and user updates share a setting, not a bucket.
    for (let i = 0; i < 30; i++) limits.check('signups', 'a');
    assert.throws(() => limits.check('signups', 'a'), AuthError);
    limits.check('user', 'a');
    for (let i = 0; i < 30; i++) limits.check('token', 'a');
    assert.throws(() => limits.check('token', 'a'), AuthError);
    c.advance(2_000);
    limits.check('token', 'a');
  });
});

describe('auth rate limits: whom a request counts against', () => {
  const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
    ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;
  const on = { ...DEFAULT_AUTH_RATE_LIMITS, sbForwardedFor: true };

  it('is the connection\'s address, an IPv4 client of a dual-stack socket as IPv4', () => {
    assert.equal(clientAddress(request('::ffff:192.0.2.1'), 'anon', 'secret', DEFAULT_AUTH_RATE_LIMITS), '192.0.2.1');
    assert.equal(clientAddress(request('2001:DB8::1', { 'x-forwarded-for': '192.0.2.9' }), 'anon', 'secret', on), '2001:db8::1');
  });

  it('is Sb-Forwarded-For\'s leftmost IP only with the secret key and forwarding on', () => {
    const forwarded = { 'sb-forwarded-for': ' 198.51.100.1 , 10.0.0.1' };
    assert.equal(clientAddress(request('127.0.0.1', forwarded), 'secret', 'secret', on), '198.51.100.1');
    assert.equal(clientAddress(request('127.0.0.1', forwarded), 'secret', 'secret', DEFAULT_AUTH_RATE_LIMITS), '127.0.0.1');
    assert.equal(clientAddress(request('127.0.0.1', forwarded), 'anon', 'secret', on), '127.0.0.1');
    assert.equal(clientAddress(request('127.0.0.1', { 'sb-forwarded-for': 'somewhere' }), 'secret', 'secret', on), '127.0.0.1');
  });
});

describe('auth rate limits: configuration', () => {
  it('defaults to GoTrue\'s: 30 anonymous sign-ins and 30 emails an hour, 30 sign-ups, 150 token grants and 30 verifications per 5 minutes', () => {
    assert.deepEqual(resolveOptions({}).authRateLimits, {
      anonymousUsers: 30, signInSignUps: 30, tokenRefresh: 150, emailSent: 30, tokenVerifications: 30, sbForwardedFor: false,
    });
    assert.deepEqual(resolveOptions({ authRateLimits: { tokenRefresh: 1000 } }).authRateLimits, {
      anonymousUsers: 30, signInSignUps: 30, tokenRefresh: 1000, emailSent: 30, tokenVerifications: 30, sbForwardedFor: false,
    });
  });

  const refused: [unknown, RegExp][] = [
    [30, /option "authRateLimits" must be an object/],
    [{ anonymousUser: 5 }, /option "authRateLimits.anonymousUser" is not a known option/],
    [{ tokenRefresh: 0 }, /option "authRateLimits.tokenRefresh" must be an integer ≥ 1/],
    [{ signInSignUps: 2.5 }, /option "authRateLimits.signInSignUps" must be an integer ≥ 1/],
    [{ anonymousUsers: '30' }, /option "authRateLimits.anonymousUsers" must be an integer ≥ 1/],
    [{ sbForwardedFor: 'yes' }, /option "authRateLimits.sbForwardedFor" must be a boolean/],
    [{ clock: 5 }, /option "authRateLimits.clock" must be a function/],
  ];
  for (const [value, message] of refused) {
    it(`refuses authRateLimits ${JSON.stringify(value)}, naming the field`, () => {
      assert.throws(() => resolveOptions({ authRateLimits: value as never }), (error: unknown) =>
        error instanceof LocalStackOptionError && message.test(error.message));
    });
  }

  it('reads GoTrue\'s variable names in the CLI, naming a bad one', () => {
    assert.deepEqual(rateLimitsFromEnv({}), {});
    assert.deepEqual(rateLimitsFromEnv({
      GOTRUE_RATE_LIMIT_ANONYMOUS_USERS: '100', GOTRUE_RATE_LIMIT_OTP: '60', GOTRUE_RATE_LIMIT_TOKEN_REFRESH: ' 300 ',
      GOTRUE_SECURITY_SB_FORWARDED_FOR_ENABLED: 'true',
    }), { anonymousUsers: 100, signInSignUps: 60, tokenRefresh: 300, sbForwardedFor: true });
    assert.throws(() => rateLimitsFromEnv({ GOTRUE_RATE_LIMIT_OTP: 'lots' }), /GOTRUE_RATE_LIMIT_OTP must be a whole number/);
    assert.throws(() => rateLimitsFromEnv({ GOTRUE_SECURITY_SB_FORWARDED_FOR_ENABLED: '1' }), /must be true or false/);
  });
});

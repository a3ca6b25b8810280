// Auth rate limits, attacked: one address floods anonymous sign-ins, sign-ups, password guesses,
// refreshes and user updates, and is refused with GoTrue's 429 once its bucket is empty; headers it
// writes itself do not get it out; other addresses (the survival check's visitor and agent on
// 127.0.0.1) keep signing in on the same stack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED } from '../helpers/users.ts';
import { authCall, RATE_LIMITED, RATE_LIMITED_DATED, statuses } from './auth-http.ts';
import { survives } from './survival.ts';

/** Buckets of 30 (GoTrue's burst) refilling at one request per five minutes or slower, so no test outruns them. */
const SLOW_REFILL = { anonymousUsers: 30, signInSignUps: 1, tokenRefresh: 1 } as const;
const ok = (count: number, status = 200) => Array.from({ length: count }, () => status);

describe('security: auth rate limits', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack({ authRateLimits: SLOW_REFILL }); });
  after(() => stack.close());

  it('refuses the 31st anonymous sign-in from one address with GoTrue\'s 429, whatever headers it sends', async () => {
    await survives(stack, async () => {
      const anonymousUsers = async () =>
        (await stack.db.query<{ n: number }>('select count(*)::int as n from auth.users where is_anonymous')).rows[0]?.n;
      const before = await anonymousUsers();
      assert.deepEqual(await statuses(stack, 30, () => ({ path: '/signup', body: {}, from: '127.0.0.2' })), ok(30));
      const refused = await authCall(stack, { path: '/signup', body: {}, from: '127.0.0.2' });
      assert.equal(refused.status, 429);
      assert.deepEqual(refused.body, RATE_LIMITED);
      assert.equal(refused.headers['x-sb-error-code'], 'over_request_rate_limit');
      const dated = await authCall(stack, {
        path: '/signup', body: {}, from: '127.0.0.2', headers: { 'X-Supabase-Api-Version': '2024-01-01' },
      });
      assert.equal(dated.status, 429);
      assert.deepEqual(dated.body, RATE_LIMITED_DATED);
      assert.equal(dated.headers['x-supabase-api-version'], '2024-01-01');
      // A client names itself in vain: forwarding headers are the edge's to write, and Sb-Forwarded-For
      // counts only with the secret key on projects that turned IP forwarding on.
      const spoofs: Record<string, string>[] = [
        { 'X-Forwarded-For': '203.0.113.1' },
        { 'X-Forwarded-For': '203.0.113.2, 127.0.0.2', 'X-Real-IP': '203.0.113.2' },
        { 'Sb-Forwarded-For': '203.0.113.3' },
      ];
      for (const [i, headers] of spoofs.entries()) {
        const spoofed = await authCall(stack, { path: '/signup', body: {}, from: '127.0.0.2', headers });
        assert.equal(spoofed.status, 429, `spoof ${i}`);
      }
      const withSecret = await authCall(stack, {
        path: '/signup', body: {}, from: '127.0.0.2', apikey: stack.stack.keys.secret, headers: { 'Sb-Forwarded-For': '203.0.113.4' },
      });
      assert.equal(withSecret.status, 429, 'IP forwarding is off by default');
      assert.equal(await anonymousUsers(), (before ?? 0) + 30, 'only the admitted sign-ins made users');
      // Another address has a bucket of its own.
      assert.equal((await authCall(stack, { path: '/signup', body: {}, from: '127.0.0.3' })).status, 200);
    });
  });

  it('refuses password guesses past the token bucket, and the right password and refreshes with them', async () => {
    await survives(stack, async () => {
      const from = '127.0.0.4';
      const guess = (password: string) => ({
        path: '/token?grant_type=password', body: { email: SEED.agent.email, password }, from,
      });
      assert.deepEqual(await statuses(stack, 30, (i) => guess(`wrong-${i}`)), ok(30, 400));
      const right = await authCall(stack, guess(SEED.agent.password));
      assert.equal(right.status, 429);
      assert.deepEqual(right.body, RATE_LIMITED);
      // One bucket for every token grant: a refresh from the same address is refused too.
      const refresh = await authCall(stack, { path: '/token?grant_type=refresh_token', body: { refresh_token: 'x'.repeat(16) }, from });
      assert.equal(refresh.status, 429);
      // An unknown grant is refused before any limit, as GoTrue does.
      const unknown = await authCall(stack, { path: '/token?grant_type=magic', body: {}, from });
      assert.equal(unknown.status, 400);
    });
  });

  it('counts every sign-up with an email, refused or not, and user updates in a bucket of their own', async () => {
    await survives(stack, async () => {
      const from = '127.0.0.5';
      // No password: refused with 400, after the limit was counted (GoTrue limits before it validates).
      assert.deepEqual(await statuses(stack, 30, (i) => ({ path: '/signup', body: { email: `flood-${i}@example.com` }, from })), ok(30, 400));
      const signup = await authCall(stack, { path: '/signup', body: { email: 'late@example.com', password: 'long-enough' }, from });
      assert.equal(signup.status, 429);
      assert.deepEqual(signup.body, RATE_LIMITED);
      const { rows } = await stack.db.query<{ n: number }>("select count(*)::int as n from auth.users where email like 'flood-%' or email like 'late@%'");
      assert.equal(rows[0]?.n, 0);

      const visitor = await authCall(stack, { path: '/signup', body: {}, from });
      assert.equal(visitor.status, 200, 'anonymous sign-ins have their own bucket');
      const token = (visitor.body as { access_token: string }).access_token;
      const update = { method: 'PUT', path: '/user', body: { data: { n: 1 } }, from, headers: { authorization: `Bearer ${token}` } } as const;
      assert.deepEqual(await statuses(stack, 30, () => update), ok(30));
      const refused = await authCall(stack, update);
      assert.equal(refused.status, 429);
      assert.deepEqual(refused.body, RATE_LIMITED);
    });
  });
});

describe('security: auth rate limits with IP address forwarding on', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack({ authRateLimits: { ...SLOW_REFILL, sbForwardedFor: true } }); });
  after(() => stack.close());

  it('counts a server\'s calls made with the secret key against the address it forwards, and only those', async () => {
    await survives(stack, async () => {
      const forSomeone = (ip: string, apikey = stack.stack.keys.secret) => ({
        path: '/signup', body: {}, from: '127.0.0.6', apikey, headers: { 'Sb-Forwarded-For': ip },
      });
      assert.deepEqual(await statuses(stack, 30, () => forSomeone('198.51.100.1')), ok(30));
      assert.equal((await authCall(stack, forSomeone('198.51.100.1, 10.0.0.1'))).status, 429, 'the leftmost address counts');
      assert.equal((await authCall(stack, forSomeone('198.51.100.2'))).status, 200, 'another end user has a bucket of their own');
      // Not an IP, or not the secret key: the connection's own address counts (its bucket is still full).
      assert.equal((await authCall(stack, forSomeone('not-an-ip'))).status, 200);
      assert.deepEqual(
        await statuses(stack, 29, () => forSomeone('198.51.100.1', stack.stack.keys.anon)), ok(29),
        'with the anon key the header is ignored',
      );
      assert.equal((await authCall(stack, forSomeone('198.51.100.3', stack.stack.keys.anon))).status, 429);
    });
  });
});

// Auth input GoTrue refuses and the stand-in let through: email addresses outside GoTrue's format
// (sign-up, user update, admin create and update), and admin paging with negative, signed,
// fractional or overflowing numbers. Each is refused with GoTrue's 400 and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { authCall } from './auth-http.ts';
import { survives } from './survival.ts';

const INVALID_FORMAT = { code: 400, error_code: 'validation_failed', msg: 'Unable to validate email address: invalid format' } as const;

/** Addresses GoTrue's checkmail format refuses, each of which the old check took. */
const MALFORMED = [
  'xx:;x@x.x',
  'a"b@example.com',
  'a(b)@example.com',
  'a<b>@example.com',
  'a,b@example.com',
  'a\\b@example.com',
  'é@example.com',
  'a@bücher.de',
  'a@b_c.example',
  'a@-b.example',
  'a@b-.example',
  'a@b..example',
  'a@example.com.',
  ' padded@example.com',
  'padded@example.com ',
];

describe('security: auth email validation and admin paging', () => {
  let stack: TestStack;
  before(async () => { stack = await startTestStack(); });
  after(() => stack.close());

  const users = async () => (await stack.db.query<{ n: number }>('select count(*)::int as n from auth.users')).rows[0]?.n;
  const service = () => stack.stack.keys.serviceRole;
  const asService = () => ({ authorization: `Bearer ${service()}` });

  it('refuses every address outside GoTrue\'s format, wherever an address is set, with GoTrue\'s 400', async () => {
    await survives(stack, async () => {
      const before = await users();
      for (const email of MALFORMED) {
        const signup = await authCall(stack, { path: '/signup', body: { email, password: 'long-enough' } });
        assert.equal(signup.status, 400, `sign-up with ${JSON.stringify(email)}`);
        assert.deepEqual(signup.body, INVALID_FORMAT, `sign-up with ${JSON.stringify(email)}`);
        assert.equal(signup.headers['x-sb-error-code'], 'validation_failed');
        const created = await authCall(stack, {
          path: '/admin/users', apikey: service(), headers: asService(), body: { email, password: 'long-enough', email_confirm: true },
        });
        assert.deepEqual([created.status, created.body], [400, INVALID_FORMAT], `admin create with ${JSON.stringify(email)}`);
      }
      const long = `${'a'.repeat(70)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`;
      assert.ok(Buffer.byteLength(long) > 255);
      const tooLong = await authCall(stack, { path: '/signup', body: { email: long, password: 'long-enough' } });
      assert.deepEqual([tooLong.status, tooLong.body], [400, { code: 400, error_code: 'validation_failed', msg: 'An email address is too long' }]);
      assert.equal(await users(), before, 'no user was made');

      // An existing user cannot take a malformed address either, by themselves or by the admin.
      const visitor = await authCall(stack, { path: '/signup', body: {} });
      const { access_token: token, user } = visitor.body as { access_token: string; user: { id: string } };
      const update = await authCall(stack, {
        method: 'PUT', path: '/user', body: { email: 'xx:;x@x.x' }, headers: { authorization: `Bearer ${token}` },
      });
      assert.deepEqual([update.status, update.body], [400, INVALID_FORMAT]);
      const adminUpdate = await authCall(stack, {
        method: 'PUT', path: `/admin/users/${user.id}`, apikey: service(), headers: asService(), body: { email: 'a@b..example' },
      });
      assert.deepEqual([adminUpdate.status, adminUpdate.body], [400, INVALID_FORMAT]);
      const { rows } = await stack.db.query<{ email: string | null }>('select email from auth.users where id = $1', [user.id]);
      assert.deepEqual(rows, [{ email: null }]);
    });
  });

  it('takes the addresses GoTrue takes: a dotless host, the special characters of RFC 5322 atoms, upper case', async () => {
    await survives(stack, async () => {
      for (const [email, stored] of [
        ['admin@localhost', 'admin@localhost'],
        ["o'hara+tag!#$%&*/=?^_`{|}~-x@mail-1.example.co", "o'hara+tag!#$%&*/=?^_`{|}~-x@mail-1.example.co"],
        ['Mixed.Case@Example.COM', 'mixed.case@example.com'],
      ]) {
        const signup = await authCall(stack, { path: '/signup', body: { email, password: 'long-enough' } });
        assert.equal(signup.status, 200, `sign-up with ${email}: ${JSON.stringify(signup.body)}`);
        assert.equal((signup.body as { user: { email: string } }).user.email, stored);
      }
    });
  });

  it('refuses admin paging numbers Go\'s ParseUint refuses, with GoTrue\'s 400, and survives absurd pages', async () => {
    await survives(stack, async () => {
      const list = (query: string) => authCall(stack, { method: 'GET', path: `/admin/users?${query}`, apikey: service(), headers: asService() });
      const refusal = (raw: string, why = 'invalid syntax') => ({
        code: 400, error_code: 'validation_failed', msg: `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(raw)}: ${why}`,
      });
      for (const [query, raw, why] of [
        ['page=-1&per_page=-5', '-1'],
        ['page=1&per_page=-5', '-5'],
        ['page=%2B2', '+2'],
        ['page=1.5', '1.5'],
        ['page=0x10', '0x10'],
        ['page=%202', ' 2'],
        ['per_page=1e3', '1e3'],
        ['page=18446744073709551616', '18446744073709551616', 'value out of range'],
      ] as const) {
        const answer = await list(query);
        assert.deepEqual([answer.status, answer.body], [400, refusal(raw, why)], query);
      }
      // Past the last page, however far: an empty page, not a database error.
      for (const query of ['page=9223372036854775807&per_page=1000', 'page=18446744073709551615&per_page=18446744073709551615']) {
        const far = await list(query);
        assert.equal(far.status, 200, `${query}: ${JSON.stringify(far.body)}`);
        assert.ok(Array.isArray((far.body as { users: unknown[] }).users), query);
      }
    });
  });

  it('pages as GoTrue pages: 0 means the first page, and X-Total-Count and Link tell auth-js where the pages are', async () => {
    await survives(stack, async () => {
      const total = await users();
      assert.ok(total !== undefined && total >= 3, 'the seed has users');
      const first = await authCall(stack, { method: 'GET', path: '/admin/users?page=0&per_page=1', apikey: service(), headers: asService() });
      assert.equal(first.status, 200);
      assert.equal((first.body as { users: unknown[] }).users.length, 1);
      assert.equal(first.headers['x-total-count'], String(total));
      assert.equal(first.headers.link, `</admin/users?page=1&per_page=1>; rel="next", </admin/users?page=${total}&per_page=1>; rel="last"`);
      const admin = stack.client(service()).auth.admin;
      const page = await admin.listUsers({ page: 2, perPage: 1 });
      assert.equal(page.error, null);
      assert.equal(page.data.users.length, 1);
      assert.equal((page.data as { total?: number }).total, total);
      assert.equal((page.data as { nextPage?: number | null }).nextPage, 3);
    });
  });
});

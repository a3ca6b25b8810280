import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestStack } from '../helpers/stack.ts';
import { authFetch, startAuthStack, uniqueEmail } from './auth-helpers.ts';

let t: TestStack;
before(async () => {
  t = await startAuthStack({ anonymousSignIns: false });
});
after(async () => {
  await t?.close();
});

test('anonymous sign-in is refused with anonymous_provider_disabled (422)', async () => {
  const { data, error } = await t.client().auth.signInAnonymously();
  assert.equal(data.session, null);
  assert.equal(error?.code, 'anonymous_provider_disabled');
  assert.equal(error?.status, 422);
  assert.equal(error?.message, 'Anonymous sign-ins are disabled');
  const { rows } = await t.db.query('select count(*)::int as n from auth.users');
  assert.deepEqual(rows, [{ n: 0 }]);
  const settings = await authFetch(t, '/settings');
  assert.equal((settings.json as { external: { anonymous_users: boolean } }).external.anonymous_users, false);
});

test('password sign-up still works', async () => {
  const { data, error } = await t.client().auth.signUp({ email: uniqueEmail('still'), password: 'password1' });
  assert.equal(error, null);
  assert.ok(data.session);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestStack } from '../helpers/stack.ts';
import { claimsOf, startAuthStack } from './auth-helpers.ts';

let t: TestStack;
before(async () => {
  t = await startAuthStack({ refreshTokenReuseIntervalSeconds: 10 });
});
after(async () => {
  await t?.close();
});

test('within the reuse interval an older rotated token returns the active token', async () => {
  const client = t.client();
  const { data } = await client.auth.signInAnonymously();
  const first = data.session?.refresh_token ?? '';
  await client.auth.refreshSession();
  const third = (await client.auth.refreshSession()).data.session?.refresh_token ?? '';

  const reuse = await t.client().auth.refreshSession({ refresh_token: first });
  assert.equal(reuse.error, null);
  assert.equal(reuse.data.session?.refresh_token, third);
  assert.equal(claimsOf(reuse.data.session?.access_token ?? '').session_id, claimsOf(data.session?.access_token ?? '').session_id);

  // Nothing was revoked or minted: the active token still rotates normally.
  const { rows } = await t.db.query<{ revoked: boolean }>(
    'select revoked from auth.refresh_tokens where session_id = $1 order by id',
    [claimsOf(data.session?.access_token ?? '').session_id],
  );
  assert.deepEqual(rows.map((row) => row.revoked), [true, true, false]);
  const next = await t.client().auth.refreshSession({ refresh_token: third });
  assert.equal(next.error, null);
  assert.notEqual(next.data.session?.refresh_token, third);
});

/**
 * `auth.admin.generateLink` on the local stack through the unmodified supabase-js: the service role
 * gets GoTrue's properties (link, code, hash), no mail goes out, and the hash signs in once through
 * `verifyOtp({ token_hash })` as the reply-email worker's links do. Everyone else is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor } from '../helpers/users.ts';
import { uniqueEmail } from './auth-helpers.ts';
import { mailsTo, openLink } from './auth-email-helpers.ts';

const SITE = 'http://127.0.0.1:3000';
let t: TestStack;
before(async () => {
  t = await startTestStack({ emailConfirmations: true, emailMaxFrequencySeconds: 60, siteUrl: SITE });
});
after(async () => {
  await t?.close();
});

async function confirmedUser(prefix: string) {
  const email = uniqueEmail(prefix);
  const { data, error } = await t.client(t.stack.keys.serviceRole).auth.admin.createUser({ email, password: 'password1', email_confirm: true });
  assert.equal(error, null);
  assert.ok(data.user);
  return { email, id: data.user.id };
}

describe('POST /admin/generate_link', () => {
  test('magiclink: GoTrue properties, no mail, and the hash signs in once', async () => {
    const { email, id } = await confirmedUser('linked');
    const admin = t.client(t.stack.keys.serviceRole).auth.admin;
    const { data, error } = await admin.generateLink({ type: 'magiclink', email, options: { redirectTo: `${SITE}/shop/` } });
    assert.equal(error, null);
    assert.equal(data.user?.id, id);
    assert.equal(data.user?.email, email);
    const { properties } = data;
    assert.equal(properties?.verification_type, 'magiclink');
    assert.equal(properties?.redirect_to, `${SITE}/shop/`);
    assert.match(properties?.email_otp ?? '', /^\d{6}$/);
    assert.match(properties?.hashed_token ?? '', /^[0-9a-f]{56}$/);
    const link = new URL(properties?.action_link ?? '');
    assert.equal(link.pathname, '/auth/v1/verify');
    assert.equal(link.searchParams.get('token'), properties?.hashed_token);
    assert.equal(link.searchParams.get('type'), 'magiclink');
    assert.deepEqual(await mailsTo(t, email), [], 'generating a link sends nothing');

    // The mail frequency limit is for mail: a link may be generated again at once, replacing the last.
    const again = await admin.generateLink({ type: 'magiclink', email });
    assert.equal(again.error, null);
    assert.equal(again.data.properties?.redirect_to, SITE, 'without redirectTo the site URL');
    const stale = await t.client().auth.verifyOtp({ token_hash: properties?.hashed_token ?? '', type: 'magiclink' });
    assert.equal(stale.error?.code, 'otp_expired', 'a newer link replaces the older');

    const visitor = t.client();
    const signedIn = await visitor.auth.verifyOtp({ token_hash: again.data.properties?.hashed_token ?? '', type: 'magiclink' });
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.data.user?.id, id);
    assert.equal((await visitor.auth.getUser()).data.user?.email, email);
    const reused = await t.client().auth.verifyOtp({ token_hash: again.data.properties?.hashed_token ?? '', type: 'magiclink' });
    assert.equal(reused.error?.code, 'otp_expired', 'single use');
  });

  test('the code and the action link work too', async () => {
    const { email, id } = await confirmedUser('coded-link');
    const admin = t.client(t.stack.keys.serviceRole).auth.admin;
    const first = await admin.generateLink({ type: 'magiclink', email });
    const byCode = await t.client().auth.verifyOtp({ email, token: first.data.properties?.email_otp ?? '', type: 'email' });
    assert.equal(byCode.error, null);
    assert.equal(byCode.data.user?.id, id);
    const second = await admin.generateLink({ type: 'recovery', email, options: { redirectTo: `${SITE}/reset` } });
    assert.equal(second.data.properties?.verification_type, 'recovery');
    const landed = await openLink(new URL(second.data.properties?.action_link ?? ''));
    assert.equal(`${landed.location.origin}${landed.location.pathname}`, `${SITE}/reset`);
    assert.equal(landed.fragment.get('type'), 'recovery');
    assert.ok(landed.fragment.get('access_token'));
  });

  test('a magic link for an unknown address signs the address up, as GoTrue does', async () => {
    const email = uniqueEmail('stranger');
    const { data, error } = await t.client(t.stack.keys.serviceRole).auth.admin.generateLink({ type: 'magiclink', email });
    assert.equal(error, null);
    assert.equal(data.properties?.verification_type, 'signup');
    assert.equal(data.user?.email, email);
    assert.equal(data.user?.email_confirmed_at, undefined);
    const confirmed = await t.client().auth.verifyOtp({ token_hash: data.properties?.hashed_token ?? '', type: 'signup' });
    assert.equal(confirmed.error, null);
    assert.ok(confirmed.data.user?.email_confirmed_at);
  });

  test('refusals change nothing: not the service role, unknown user, bad type, bad email', async () => {
    const { email } = await confirmedUser('refused');
    const before = await t.db.query('select recovery_token, recovery_sent_at from auth.users where email = $1', [email]);

    const anon = await t.client().auth.admin.generateLink({ type: 'magiclink', email });
    assert.equal(anon.error?.code, 'not_admin');
    assert.equal(anon.error?.status, 403);
    const visitor = await signInVisitor(t);
    const asUser = await visitor.client.auth.admin.generateLink({ type: 'magiclink', email });
    assert.equal(asUser.error?.code, 'not_admin');

    const admin = t.client(t.stack.keys.serviceRole).auth.admin;
    const unknown = await admin.generateLink({ type: 'recovery', email: uniqueEmail('nobody') });
    assert.equal(unknown.error?.code, 'user_not_found');
    assert.equal(unknown.error?.status, 404);
    const badType = await admin.generateLink({ type: 'teleport', email } as never);
    assert.equal(badType.error?.code, 'validation_failed');
    assert.equal(badType.error?.status, 400);
    assert.match(badType.error?.message ?? '', /Invalid email action link type requested: teleport/);
    const badEmail = await admin.generateLink({ type: 'magiclink', email: 'not an email' });
    assert.equal(badEmail.error?.code, 'validation_failed');
    const taken = await admin.generateLink({ type: 'signup', email, password: 'password1' });
    assert.equal(taken.error?.code, 'email_exists');

    const afterwards = await t.db.query('select recovery_token, recovery_sent_at from auth.users where email = $1', [email]);
    assert.deepEqual(afterwards.rows, before.rows);
    assert.deepEqual(await mailsTo(t, email), []);
  });
});

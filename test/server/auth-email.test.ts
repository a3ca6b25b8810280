/**
 * GoTrue's email flows on the local stack through the unmodified supabase-js, with confirmations on
 * as on hosted Supabase: every mail is read from the stack's mail catcher, every link followed as a
 * browser would. Codes and links are single-use and expire; bad input changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor, startConversation } from '../helpers/users.ts';
import { authFetch, claimsOf, uniqueEmail } from './auth-helpers.ts';
import { codeOf, latestMail, mailsTo, openLink, verifyLinkOf } from './auth-email-helpers.ts';

const SHOP = 'http://127.0.0.1:5173/customer/';
let t: TestStack;
before(async () => {
  t = await startTestStack({ emailConfirmations: true, emailMaxFrequencySeconds: 0, siteUrl: 'http://127.0.0.1:3000' });
});
after(async () => {
  await t?.close();
});

/** A client signed in with the session a link's redirect carried. */
async function clientFromFragment(fragment: URLSearchParams) {
  const client = t.client();
  const { data, error } = await client.auth.setSession({
    access_token: fragment.get('access_token') ?? '', refresh_token: fragment.get('refresh_token') ?? '',
  });
  assert.equal(error, null);
  assert.ok(data.user);
  return { client, user: data.user };
}

describe('an anonymous visitor adds an email (updateUser)', () => {
  test('the link confirms it: same user, permanent, confirmed, conversations still theirs', async () => {
    const visitor = await signInVisitor(t);
    const conversation = await startConversation(visitor);
    const email = uniqueEmail('visitor');
    const { data, error } = await visitor.client.auth.updateUser({ email }, { emailRedirectTo: SHOP });
    assert.equal(error, null);
    // Not changed yet: the address waits for its confirmation.
    assert.equal(data.user?.email, '');
    assert.equal(data.user?.new_email, email);
    assert.ok(data.user?.email_change_sent_at);
    assert.equal(data.user?.is_anonymous, true);

    const mail = await latestMail(t, email);
    assert.equal(mail.subject, 'Confirm your new email address');
    const link = verifyLinkOf(mail);
    assert.equal(link.searchParams.get('type'), 'email_change');
    assert.equal(link.searchParams.get('redirect_to'), SHOP);
    assert.doesNotMatch(link.searchParams.get('token') ?? '', /^\d{6}$/, 'the link carries the hash, not the code');

    const landed = await openLink(link);
    assert.equal(landed.status, 303);
    assert.equal(`${landed.location.origin}${landed.location.pathname}`, SHOP);
    assert.equal(landed.fragment.get('type'), 'email_change');
    assert.equal(landed.fragment.get('token_type'), 'bearer');
    const { client, user } = await clientFromFragment(landed.fragment);
    assert.equal(user.id, visitor.id);
    assert.equal(user.email, email);
    assert.equal(user.is_anonymous, false);
    assert.ok(user.email_confirmed_at);
    assert.equal(user.new_email, undefined);
    assert.equal(claimsOf(landed.fragment.get('access_token') ?? '').is_anonymous, false);
    const { data: rows, error: readError } = await client.from('conversations').select('id');
    assert.equal(readError, null);
    assert.deepEqual(rows?.map((row) => row.id), [conversation.id]);

    // Single use: the same link again lands on the error.
    const again = await openLink(link);
    assert.equal(again.fragment.get('error_code'), 'otp_expired');
    assert.equal(again.fragment.get('error'), 'access_denied');
    assert.equal(again.fragment.get('access_token'), null);
  });

  test('the 6-digit code confirms it too (verifyOtp type email_change)', async () => {
    const visitor = await signInVisitor(t);
    const email = uniqueEmail('coded');
    assert.equal((await visitor.client.auth.updateUser({ email })).error, null);
    const code = codeOf(await latestMail(t, email));
    const { data, error } = await visitor.client.auth.verifyOtp({ email, token: code, type: 'email_change' });
    assert.equal(error, null);
    assert.equal(data.user?.id, visitor.id);
    assert.equal(data.user?.email, email);
    assert.equal(data.user?.is_anonymous, false);
    // The confirmed user can now sign in by email on another device.
    const other = t.client();
    assert.equal((await other.auth.signInWithOtp({ email, options: { shouldCreateUser: false } })).error, null);
    const signedIn = await other.auth.verifyOtp({ email, token: codeOf(await latestMail(t, email)), type: 'email' });
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.data.user?.id, visitor.id);
  });

  test('an address another user holds is refused and nothing is mailed', async () => {
    const holder = await signInVisitor(t);
    const email = uniqueEmail('taken');
    await holder.client.auth.updateUser({ email });
    await holder.client.auth.verifyOtp({ email, token: codeOf(await latestMail(t, email)), type: 'email_change' });
    const before = (await mailsTo(t, email)).length;
    const visitor = await signInVisitor(t);
    const { error } = await visitor.client.auth.updateUser({ email });
    assert.equal(error?.code, 'email_exists');
    assert.equal((await mailsTo(t, email)).length, before);
  });
});

describe('a permanent user changes their email (double confirmation)', () => {
  test('needs the link from both addresses, then the new one is theirs', async () => {
    const oldEmail = uniqueEmail('old');
    const newEmail = uniqueEmail('new');
    const admin = t.client(t.stack.keys.serviceRole);
    const created = await admin.auth.admin.createUser({ email: oldEmail, password: 'password1', email_confirm: true });
    assert.equal(created.error, null);
    const client = t.client();
    assert.equal((await client.auth.signInWithPassword({ email: oldEmail, password: 'password1' })).error, null);
    assert.equal((await client.auth.updateUser({ email: newEmail })).error, null);
    const first = await openLink(verifyLinkOf(await latestMail(t, oldEmail)));
    assert.match(first.fragment.get('message') ?? '', /Confirmation link accepted/);
    assert.equal((await client.auth.getUser()).data.user?.email, oldEmail);
    const second = await openLink(verifyLinkOf(await latestMail(t, newEmail)));
    const { user } = await clientFromFragment(second.fragment);
    assert.equal(user.id, created.data.user?.id);
    assert.equal(user.email, newEmail);
  });
});

describe('signInWithOtp (magic link and code)', () => {
  test('a new address is signed up, confirmed by the link; a second client signs in by link and by code', async () => {
    const email = uniqueEmail('otp');
    const first = t.client();
    assert.equal((await first.auth.signInWithOtp({ email, options: { emailRedirectTo: SHOP } })).error, null);
    const signup = await latestMail(t, email);
    assert.equal(signup.subject, 'Confirm your email address');
    const landed = await openLink(verifyLinkOf(signup));
    assert.equal(landed.fragment.get('type'), 'signup');
    const { user } = await clientFromFragment(landed.fragment);
    assert.equal(user.email, email);
    assert.ok(user.email_confirmed_at);

    const second = t.client();
    assert.equal((await second.auth.signInWithOtp({ email })).error, null);
    const magic = await latestMail(t, email);
    assert.equal(magic.subject, 'Your sign-in link');
    const viaLink = await openLink(verifyLinkOf(magic));
    assert.equal(viaLink.fragment.get('type'), 'magiclink');
    // No redirect_to: the site URL.
    assert.equal(viaLink.location.origin, 'http://127.0.0.1:3000');
    assert.equal((await clientFromFragment(viaLink.fragment)).user.id, user.id);

    const third = t.client();
    await third.auth.signInWithOtp({ email });
    const { data, error } = await third.auth.verifyOtp({ email, token: codeOf(await latestMail(t, email)), type: 'magiclink' });
    assert.equal(error, null);
    assert.equal(data.session?.user.id, user.id);
  });

  test('shouldCreateUser: false refuses an unknown address with otp_disabled and mails nothing', async () => {
    const email = uniqueEmail('nobody');
    const { error } = await t.client().auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    assert.equal(error?.code, 'otp_disabled');
    assert.equal(error?.status, 422);
    assert.deepEqual(await mailsTo(t, email), []);
  });

  test('a redirect_to outside the allow list falls back to the site URL', async () => {
    const email = uniqueEmail('elsewhere');
    await t.client().auth.signInWithOtp({ email, options: { emailRedirectTo: 'https://evil.example/steal' } });
    const link = verifyLinkOf(await latestMail(t, email));
    assert.equal(link.searchParams.get('redirect_to'), 'http://127.0.0.1:3000');
    assert.equal((await openLink(link)).location.origin, 'http://127.0.0.1:3000');
  });
});

describe('sign-up with confirmations on', () => {
  test('no session, email_not_confirmed until verified; resend mails a new code and the old one stops working', async () => {
    const email = uniqueEmail('signup');
    const client = t.client();
    const { data, error } = await client.auth.signUp({ email, password: 'password1' });
    assert.equal(error, null);
    assert.equal(data.session, null);
    assert.equal(data.user?.email, email);
    assert.equal(data.user?.email_confirmed_at, undefined);
    const refused = await client.auth.signInWithPassword({ email, password: 'password1' });
    assert.equal(refused.error?.code, 'email_not_confirmed');
    const firstCode = codeOf(await latestMail(t, email));

    assert.equal((await client.auth.resend({ type: 'signup', email })).error, null);
    const mails = await mailsTo(t, email);
    assert.equal(mails.length, 2);
    const [newest] = mails;
    assert.ok(newest);
    const secondCode = codeOf(newest);
    if (firstCode !== secondCode) {
      const stale = await client.auth.verifyOtp({ email, token: firstCode, type: 'signup' });
      assert.equal(stale.error?.code, 'otp_expired');
    }
    const verified = await client.auth.verifyOtp({ email, token: secondCode, type: 'signup' });
    assert.equal(verified.error, null);
    assert.ok(verified.data.session);
    assert.equal((await t.client().auth.signInWithPassword({ email, password: 'password1' })).error, null);
    // Confirmed: nothing more to resend.
    assert.equal((await client.auth.resend({ type: 'signup', email })).error, null);
    assert.equal((await mailsTo(t, email)).length, 2);
  });

  test('GET /settings says mailer_autoconfirm false', async () => {
    const { json } = await authFetch(t, '/settings');
    assert.equal((json as { mailer_autoconfirm: boolean }).mailer_autoconfirm, false);
  });
});

describe('password recovery (resetPasswordForEmail)', () => {
  test('the recovery link signs in, updateUser sets the new password, the old one stops working', async () => {
    const email = uniqueEmail('forgot');
    const admin = t.client(t.stack.keys.serviceRole);
    assert.equal((await admin.auth.admin.createUser({ email, password: 'old-password', email_confirm: true })).error, null);
    const { error } = await t.client().auth.resetPasswordForEmail(email, { redirectTo: 'http://127.0.0.1:5173/console/' });
    assert.equal(error, null);
    const mail = await latestMail(t, email);
    assert.equal(mail.subject, 'Reset your password');
    const landed = await openLink(verifyLinkOf(mail));
    assert.equal(landed.fragment.get('type'), 'recovery');
    assert.equal(landed.location.pathname, '/console/');
    const { client } = await clientFromFragment(landed.fragment);
    assert.equal((await client.auth.updateUser({ password: 'new-password' })).error, null);
    assert.equal((await t.client().auth.signInWithPassword({ email, password: 'old-password' })).error?.code, 'invalid_credentials');
    assert.equal((await t.client().auth.signInWithPassword({ email, password: 'new-password' })).error, null);
  });

  test('an unknown address gets the same empty answer and no mail', async () => {
    const email = uniqueEmail('unknown');
    const { status, json } = await authFetch(t, '/recover', { method: 'POST', body: JSON.stringify({ email }) });
    assert.equal(status, 200);
    assert.deepEqual(json, {});
    assert.deepEqual(await mailsTo(t, email), []);
  });
});

describe('expired, used and wrong tokens', () => {
  async function recoveryFor(email: string) {
    const admin = t.client(t.stack.keys.serviceRole);
    await admin.auth.admin.createUser({ email, password: 'password1', email_confirm: true });
    await t.client().auth.resetPasswordForEmail(email);
    return latestMail(t, email);
  }

  test('an expired code and link answer otp_expired', async () => {
    const email = uniqueEmail('expired');
    const mail = await recoveryFor(email);
    // Sent longer ago than the lifetime (3600 s by default): moved in the database, not waited for.
    await t.db.query(`update auth.users set recovery_sent_at = now() - interval '2 hours' where email = $1`, [email]);
    const byCode = await t.client().auth.verifyOtp({ email, token: codeOf(mail), type: 'recovery' });
    assert.equal(byCode.error?.code, 'otp_expired');
    assert.equal(byCode.error?.status, 403);
    const byLink = await openLink(verifyLinkOf(mail));
    assert.equal(byLink.fragment.get('error_code'), 'otp_expired');
    assert.equal(byLink.fragment.get('error_description'), 'Email link is invalid or has expired');
  });

  test('a wrong code answers otp_expired; a used code cannot be used again', async () => {
    const email = uniqueEmail('wrong');
    const mail = await recoveryFor(email);
    const code = codeOf(mail);
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await t.client().auth.verifyOtp({ email, token: wrong, type: 'recovery' });
    assert.equal(bad.error?.code, 'otp_expired');
    assert.equal(bad.error?.message, 'Token has expired or is invalid');
    assert.equal((await t.client().auth.verifyOtp({ email, token: code, type: 'recovery' })).error, null);
    assert.equal((await t.client().auth.verifyOtp({ email, token: code, type: 'recovery' })).error?.code, 'otp_expired');
  });

  test('bad input is a clear 400/422 and changes nothing', async () => {
    const email = uniqueEmail('input');
    const before = await mailsTo(t, email);
    const noType = await authFetch(t, '/verify', { method: 'POST', body: JSON.stringify({ email, token: '123456' }) });
    assert.equal(noType.status, 400);
    assert.deepEqual(noType.json, { code: 400, error_code: 'validation_failed', msg: 'Verify requires a verification type' });
    const badEmail = await t.client().auth.signInWithOtp({ email: 'not an email' });
    assert.equal(badEmail.error?.code, 'validation_failed');
    assert.equal(badEmail.error?.status, 400);
    const badVerifyEmail = await t.client().auth.verifyOtp({ email: 'nope', token: '123456', type: 'email' });
    assert.equal(badVerifyEmail.error?.status, 422);
    const badResend = await authFetch(t, '/resend', { method: 'POST', body: JSON.stringify({ type: 'recovery', email }) });
    assert.equal(badResend.status, 400);
    const noToken = await fetch(`${t.url}/auth/v1/verify?type=signup`, { redirect: 'manual' });
    assert.equal(noToken.status, 400);
    const { rows } = await t.db.query('select 1 from auth.users where email = $1', [email]);
    assert.equal(rows.length, 0);
    assert.deepEqual(await mailsTo(t, email), before);
  });
});

describe('the mail catcher', () => {
  test('its page renders a subject holding <script> as text, and the JSON lists it newest first', async () => {
    const transport = nodemailer.createTransport(t.stack.mail.smtpUrl);
    const to = uniqueEmail('catcher');
    await transport.sendMail({ from: 'test@example.com', to, subject: 'first', text: 'one' });
    await transport.sendMail({ from: 'test@example.com', to, subject: '<script>alert(1)</script>', text: 'Go <b>https://example.com/x</b>' });
    transport.close();
    assert.deepEqual((await mailsTo(t, to)).map((mail) => mail.subject), ['<script>alert(1)</script>', 'first']);
    const page = await fetch(`${t.url}/mail/?to=${encodeURIComponent(to)}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await page.text();
    assert.ok(!html.includes('<script>'), 'no script element on the page');
    assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'));
    assert.ok(html.includes('&#60;b&#62;<a href="https://example.com/x" rel="noreferrer">https://example.com/x</a>&#60;/b&#62;'));
    assert.ok(html.indexOf('alert(1)') < html.indexOf('>first<'), 'newest first');
  });
});

describe('email rate limits', () => {
  let limited: TestStack;
  before(async () => {
    limited = await startTestStack({
      emailConfirmations: true, emailMaxFrequencySeconds: 60,
      authRateLimits: { anonymousUsers: 1000, signInSignUps: 1000, tokenRefresh: 1000, emailSent: 3 },
    });
  });
  after(async () => {
    await limited?.close();
  });

  test('a second mail of one kind to one user within the interval: 429 with GoTrue\'s wording', async () => {
    const email = uniqueEmail('often');
    const client = limited.client();
    assert.equal((await client.auth.signInWithOtp({ email })).error, null);
    const again = await client.auth.resend({ type: 'signup', email });
    assert.equal(again.error?.code, 'over_email_send_rate_limit');
    assert.equal(again.error?.status, 429);
    assert.match(again.error?.message ?? '', /^For security purposes, you can only request this after \d+ seconds\.$/);
    assert.equal((await mailsTo(limited, email)).length, 1);
  });

  test('past the hourly quota of the project: 429 over_email_send_rate_limit', async () => {
    // The previous test used one of the three.
    for (const n of [1, 2]) assert.equal((await limited.client().auth.signInWithOtp({ email: uniqueEmail(`quota${n}`) })).error, null);
    const email = uniqueEmail('quota3');
    const { error } = await limited.client().auth.signInWithOtp({ email });
    assert.equal(error?.code, 'over_email_send_rate_limit');
    assert.equal(error?.message, 'email rate limit exceeded');
    assert.deepEqual(await mailsTo(limited, email), []);
    // The refused sign-up left no user behind either.
    const { rows } = await limited.db.query('select 1 from auth.users where email = $1', [email]);
    assert.equal(rows.length, 0);
  });
});

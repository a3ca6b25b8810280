import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthSessionMissingError, AuthWeakPasswordError, createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { signJwt } from '../../supabase/local/src/keys.ts';
import type { TestStack } from '../helpers/stack.ts';
import { authFetch, claimsOf, startAuthStack, uniqueEmail } from './auth-helpers.ts';

let t: TestStack;
before(async () => {
  t = await startAuthStack();
});
after(async () => {
  await t?.close();
});

describe('anonymous sign-in', () => {
  test('returns a GoTrue-shaped session with the documented claims', async () => {
    const client = t.client();
    const { data, error } = await client.auth.signInAnonymously({ options: { data: { name: 'Visitor' } } });
    assert.equal(error, null);
    const session = data.session;
    assert.ok(session);
    assert.equal(session.token_type, 'bearer');
    assert.equal(session.expires_in, 3600);
    assert.ok(Math.abs((session.expires_at ?? 0) - (Math.floor(Date.now() / 1000) + 3600)) <= 2);
    assert.match(session.refresh_token, /^[A-Za-z0-9_-]{12,}$/);
    const user = session.user;
    assert.equal(user.is_anonymous, true);
    assert.equal(user.aud, 'authenticated');
    assert.equal(user.role, 'authenticated');
    assert.equal(user.email, '');
    assert.equal(user.phone, '');
    assert.deepEqual(user.app_metadata, { provider: 'anonymous', providers: ['anonymous'] });
    assert.deepEqual(user.user_metadata, { name: 'Visitor' });
    assert.deepEqual(user.identities, []);
    assert.ok(user.last_sign_in_at);

    const claims = claimsOf(session.access_token);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.role, 'authenticated');
    assert.equal(claims.aud, 'authenticated');
    assert.equal(claims.is_anonymous, true);
    assert.equal(claims.aal, 'aal1');
    assert.equal(claims.iss, `${t.url}/auth/v1`);
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 3600);
    assert.deepEqual(claims.user_metadata, { name: 'Visitor' });
    assert.equal(typeof claims.session_id, 'string');
    const amr = claims.amr as { method: string; timestamp: number }[];
    assert.equal(amr.length, 1);
    assert.equal(amr[0]?.method, 'anonymous');
    assert.ok(Math.abs((amr[0]?.timestamp ?? 0) - Date.now() / 1000) < 5);

    const { rows } = await t.db.query('select user_id::text from auth.sessions where id = $1', [claims.session_id]);
    assert.deepEqual(rows, [{ user_id: user.id }]);

    const fetched = await client.auth.getUser();
    assert.equal(fetched.error, null);
    assert.equal(fetched.data.user?.id, user.id);
    assert.equal(fetched.data.user?.is_anonymous, true);
  });
});

describe('password sign-up and sign-in', () => {
  test('sign-up autoconfirms, returns a session and an email identity', async () => {
    const email = uniqueEmail('signup');
    const { data, error } = await t.client().auth.signUp({
      email: email.toUpperCase(),
      password: 'correct horse',
      options: { data: { display_name: 'Ada' } },
    });
    assert.equal(error, null);
    assert.ok(data.session);
    const user = data.user;
    assert.ok(user);
    assert.equal(user.email, email);
    assert.equal(user.is_anonymous, false);
    assert.ok(user.email_confirmed_at);
    assert.ok(user.confirmed_at);
    assert.deepEqual(user.app_metadata, { provider: 'email', providers: ['email'] });
    assert.deepEqual(user.user_metadata, { display_name: 'Ada' });
    assert.equal(user.identities?.length, 1);
    assert.equal(user.identities?.[0]?.provider, 'email');
    assert.equal(user.identities?.[0]?.identity_data?.email, email);
    const claims = claimsOf(data.session.access_token);
    assert.equal(claims.email, email);
    assert.equal(claims.is_anonymous, false);
    assert.equal((claims.amr as { method: string }[])[0]?.method, 'password');

    const { rows } = await t.db.query(
      `select encrypted_password like '$2%' as bcrypt from auth.users where id = $1`, [user.id]);
    assert.deepEqual(rows, [{ bcrypt: true }]);

    const signIn = await t.client().auth.signInWithPassword({ email, password: 'correct horse' });
    assert.equal(signIn.error, null);
    assert.equal(signIn.data.user?.id, user.id);
    assert.notEqual(signIn.data.session?.refresh_token, data.session.refresh_token);
  });

  test('a user created with pgcrypto crypt() in SQL, as seed.sql does, can sign in', async () => {
    const email = uniqueEmail('seeded');
    const { rows } = await t.db.query<{ id: string }>(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
         raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
         extensions.crypt('seed-password', extensions.gen_salt('bf')), now(),
         '{"provider":"email","providers":["email"]}', '{"name":"Seeded"}', now(), now())
       returning id::text`,
      [email],
    );
    const client = t.client();
    const { data, error } = await client.auth.signInWithPassword({ email, password: 'seed-password' });
    assert.equal(error, null);
    assert.equal(data.user?.id, rows[0]?.id);
    assert.deepEqual(data.user?.user_metadata, { name: 'Seeded' });
    const { rows: after } = await t.db.query('select last_sign_in_at is not null as signed_in from auth.users where email = $1', [email]);
    assert.deepEqual(after, [{ signed_in: true }]);
    assert.equal((await client.auth.getUser()).data.user?.email, email);
  });

  test('wrong password and unknown user are invalid_credentials (400)', async () => {
    const email = uniqueEmail('wrong');
    await t.client().auth.signUp({ email, password: 'right-password' });
    for (const attempt of [{ email, password: 'wrong-password' }, { email: uniqueEmail('nobody'), password: 'whatever' }]) {
      const { data, error } = await t.client().auth.signInWithPassword(attempt);
      assert.equal(data.session, null);
      assert.equal(error?.code, 'invalid_credentials');
      assert.equal(error?.status, 400);
      assert.equal(error?.message, 'Invalid login credentials');
    }
  });

  test('duplicate sign-up is user_already_exists (422)', async () => {
    const email = uniqueEmail('dup');
    assert.equal((await t.client().auth.signUp({ email, password: 'password1' })).error, null);
    const { error } = await t.client().auth.signUp({ email: email.toUpperCase(), password: 'password2' });
    assert.equal(error?.code, 'user_already_exists');
    assert.equal(error?.status, 422);
    assert.equal(error?.message, 'User already registered');
  });

  test('short password is an AuthWeakPasswordError', async () => {
    const { error } = await t.client().auth.signUp({ email: uniqueEmail('weak'), password: '12345' });
    assert.ok(error instanceof AuthWeakPasswordError, String(error));
    assert.equal(error.code, 'weak_password');
    assert.equal(error.status, 422);
    assert.deepEqual(error.reasons, ['length']);
  });

  test('invalid email is validation_failed (400)', async () => {
    const { error } = await t.client().auth.signUp({ email: 'not-an-email', password: 'password1' });
    assert.equal(error?.code, 'validation_failed');
    assert.equal(error?.status, 400);
    assert.equal(error?.message, 'Unable to validate email address: invalid format');
  });
});

describe('GET /user and logout', () => {
  test('garbage, expired and wrongly signed tokens are bad_jwt (403); no token is no_authorization (401)', async () => {
    const garbage = await authFetch(t, '/user', { headers: { authorization: 'Bearer not-a-jwt' } });
    assert.equal(garbage.status, 403);
    assert.equal((garbage.json as { error_code: string }).error_code, 'bad_jwt');

    const now = Math.floor(Date.now() / 1000);
    const expired = await signJwt(t.stack.keys.jwtSecret, {
      sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated', aud: 'authenticated', iat: now - 7200, exp: now - 3600,
    });
    const { data, error } = await t.client().auth.getUser(expired);
    assert.equal(data.user, null);
    assert.equal(error?.code, 'bad_jwt');
    assert.equal(error?.status, 403);
    assert.match(error?.message ?? '', /token is expired/);

    const forged = await signJwt('another-secret-that-is-at-least-32-characters', {
      sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated', exp: now + 3600,
    });
    assert.equal((await t.client().auth.getUser(forged)).error?.code, 'bad_jwt');

    const missing = await authFetch(t, '/user', { headers: { 'x-supabase-api-version': '2024-01-01' } });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json, { code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' });
  });

  test('a token for a deleted user is user_not_found (403)', async () => {
    const client = t.client();
    const { data } = await client.auth.signInAnonymously();
    await t.db.query('delete from auth.users where id = $1', [data.user?.id]);
    const { error } = await client.auth.getUser(data.session?.access_token);
    assert.equal(error?.code, 'user_not_found');
    assert.equal(error?.status, 403);
  });

  test('after signOut the refresh token is dead and the access token is session_not_found', async () => {
    const client = t.client();
    const { data } = await client.auth.signInAnonymously();
    const session = data.session;
    assert.ok(session);
    const { error: signOutError } = await client.auth.signOut();
    assert.equal(signOutError, null);
    const { rowCount } = await t.db.query('select 1 from auth.sessions where id = $1', [claimsOf(session.access_token).session_id]);
    assert.equal(rowCount, 0);

    const refreshed = await t.client().auth.refreshSession({ refresh_token: session.refresh_token });
    assert.equal(refreshed.error?.code, 'refresh_token_not_found');
    assert.equal(refreshed.error?.status, 400);

    // auth-js turns session_not_found into AuthSessionMissingError (and drops its session).
    const { error } = await t.client().auth.getUser(session.access_token);
    assert.ok(error instanceof AuthSessionMissingError, String(error));
    const raw = await authFetch(t, '/user', {
      headers: { authorization: `Bearer ${session.access_token}`, 'x-supabase-api-version': '2024-01-01' },
    });
    assert.equal(raw.status, 403);
    assert.deepEqual(raw.json, {
      code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist',
    });
  });

  test('logout scopes: local ends one session, others keeps it, global ends all', async () => {
    const email = uniqueEmail('scopes');
    await t.client().auth.signUp({ email, password: 'password1' });
    const sessions = [];
    for (let i = 0; i < 3; i += 1) {
      const { data } = await t.client().auth.signInWithPassword({ email, password: 'password1' });
      assert.ok(data.session);
      sessions.push(data.session.access_token);
    }
    const count = async () => Number((await t.db.query<{ n: string }>(
      'select count(*) as n from auth.sessions s join auth.users u on u.id = s.user_id where u.email = $1', [email])).rows[0]?.n);
    assert.equal(await count(), 4);
    const logout = (token: string, scope: string) =>
      authFetch(t, `/logout?scope=${scope}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal((await logout(sessions[0] ?? '', 'local')).status, 204);
    assert.equal(await count(), 3);
    assert.equal((await logout(sessions[1] ?? '', 'others')).status, 204);
    assert.equal(await count(), 1);
    assert.equal((await logout(sessions[1] ?? '', 'global')).status, 204);
    assert.equal(await count(), 0);
    const bad = await logout(sessions[2] ?? '', 'nowhere');
    assert.equal(bad.status, 403, 'its session is gone before the scope is looked at');
  });

  test('PUT /user merges user_metadata and changes the password', async () => {
    const email = uniqueEmail('update');
    const client = t.client();
    await client.auth.signUp({ email, password: 'password1', options: { data: { a: 1, b: 2 } } });
    const { data, error } = await client.auth.updateUser({ data: { b: null, c: 3 }, password: 'password2' });
    assert.equal(error, null);
    assert.deepEqual(data.user?.user_metadata, { a: 1, c: 3 });
    assert.equal((await t.client().auth.signInWithPassword({ email, password: 'password1' })).error?.code, 'invalid_credentials');
    assert.equal((await t.client().auth.signInWithPassword({ email, password: 'password2' })).error, null);
  });

  test('an anonymous user who adds email and password becomes a permanent user', async () => {
    const client = t.client();
    const { data: anon } = await client.auth.signInAnonymously();
    const email = uniqueEmail('convert');
    const { data, error } = await client.auth.updateUser({ email, password: 'password1' });
    assert.equal(error, null);
    assert.equal(data.user?.id, anon.user?.id);
    assert.equal(data.user?.is_anonymous, false);
    assert.equal(data.user?.email, email);
    const signIn = await t.client().auth.signInWithPassword({ email, password: 'password1' });
    assert.equal(signIn.data.user?.id, anon.user?.id);
  });
});

describe('token endpoint', () => {
  test('refresh rotates: new token, old one revoked, new access token works', async () => {
    const client = t.client();
    const { data } = await client.auth.signInAnonymously();
    const first = data.session;
    assert.ok(first);
    const { data: refreshed, error } = await client.auth.refreshSession();
    assert.equal(error, null);
    const second = refreshed.session;
    assert.ok(second);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.equal(claimsOf(second.access_token).session_id, claimsOf(first.access_token).session_id);
    const { rows } = await t.db.query(
      'select token, revoked, parent from auth.refresh_tokens where token = any($1) order by id',
      [[first.refresh_token, second.refresh_token]],
    );
    assert.deepEqual(rows, [
      { token: first.refresh_token, revoked: true, parent: null },
      { token: second.refresh_token, revoked: false, parent: first.refresh_token },
    ]);
    const { rows: sessions } = await t.db.query(
      'select refreshed_at is not null as refreshed from auth.sessions where id = $1', [claimsOf(second.access_token).session_id]);
    assert.deepEqual(sessions, [{ refreshed: true }]);
    assert.equal((await client.auth.getUser(second.access_token)).data.user?.id, first.user.id);
  });

  test('reusing an older rotated token is refused and revokes the whole session', async () => {
    const client = t.client();
    const { data } = await client.auth.signInAnonymously();
    const first = data.session?.refresh_token ?? '';
    const second = (await client.auth.refreshSession()).data.session?.refresh_token ?? '';
    const third = (await client.auth.refreshSession()).data.session?.refresh_token ?? '';
    assert.ok(second && third && second !== third);

    const reuse = await t.client().auth.refreshSession({ refresh_token: first });
    assert.equal(reuse.error?.code, 'refresh_token_already_used');
    assert.equal(reuse.error?.status, 400);
    assert.equal(reuse.error?.message, 'Invalid Refresh Token: Already Used');

    const { rows } = await t.db.query<{ revoked: boolean }>(
      'select revoked from auth.refresh_tokens where session_id = $1', [claimsOf(data.session?.access_token ?? '').session_id]);
    assert.equal(rows.length, 3);
    assert.ok(rows.every((row) => row.revoked));
    const child = await t.client().auth.refreshSession({ refresh_token: third });
    assert.equal(child.error?.code, 'refresh_token_already_used');
  });

  test('the direct parent of the active token returns the active token (GoTrue: client lost the answer)', async () => {
    const client = t.client();
    const { data } = await client.auth.signInAnonymously();
    const first = data.session?.refresh_token ?? '';
    const second = (await client.auth.refreshSession()).data.session?.refresh_token ?? '';
    const again = await t.client().auth.refreshSession({ refresh_token: first });
    assert.equal(again.error, null);
    assert.equal(again.data.session?.refresh_token, second);
  });

  test('unknown, malformed and unsupported', async () => {
    const unknown = await t.client().auth.refreshSession({ refresh_token: 'abcdefghijklmnopqrstuvwxyz012345' });
    assert.equal(unknown.error?.code, 'refresh_token_not_found');
    assert.equal(unknown.error?.message, 'Invalid Refresh Token: Refresh Token Not Found');
    const short = await t.client().auth.refreshSession({ refresh_token: 'short' });
    assert.equal(short.error?.code, 'validation_failed');
    assert.equal(short.error?.status, 400);

    const grant = await authFetch(t, '/token?grant_type=magic', { method: 'POST', body: '{}' });
    assert.equal(grant.status, 400);
    assert.deepEqual(grant.json, { code: 400, error_code: 'invalid_credentials', msg: 'unsupported_grant_type' });
  });
});

describe('wire format', () => {
  test('error shape follows X-Supabase-Api-Version and carries x-sb-error-code', async () => {
    const body = JSON.stringify({ email: uniqueEmail('none'), password: 'nope' });
    const dated = await authFetch(t, '/token?grant_type=password', {
      method: 'POST', body, headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    assert.equal(dated.status, 400);
    assert.deepEqual(dated.json, { code: 'invalid_credentials', message: 'Invalid login credentials' });
    assert.equal(dated.headers.get('x-supabase-api-version'), '2024-01-01');
    assert.equal(dated.headers.get('x-sb-error-code'), 'invalid_credentials');

    const legacy = await authFetch(t, '/token?grant_type=password', { method: 'POST', body });
    assert.deepEqual(legacy.json, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
    assert.equal(legacy.headers.get('x-supabase-api-version'), null);
    assert.equal(legacy.headers.get('x-sb-error-code'), 'invalid_credentials');
  });

  test('malformed JSON is bad_json; unknown route is 404', async () => {
    const bad = await authFetch(t, '/signup', {
      method: 'POST', body: '{"email":', headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    assert.equal(bad.status, 400);
    const json = bad.json as { code: string; message: string };
    assert.equal(json.code, 'bad_json');
    assert.match(json.message, /^Could not parse request body as JSON: /);

    const missing = await authFetch(t, '/nowhere', { headers: { 'x-supabase-api-version': '2024-01-01' } });
    assert.equal(missing.status, 404);
    assert.equal((missing.json as { code: string }).code, 'not_found');
  });

  test('health and settings', async () => {
    const health = await authFetch(t, '/health');
    assert.equal(health.status, 200);
    assert.equal((health.json as { name: string }).name, 'GoTrue');
    const settings = await authFetch(t, '/settings');
    const json = settings.json as { external: Record<string, boolean>; disable_signup: boolean; mailer_autoconfirm: boolean };
    assert.equal(json.external.email, true);
    assert.equal(json.external.anonymous_users, true);
    assert.equal(json.disable_signup, false);
    assert.equal(json.mailer_autoconfirm, true);
  });
});

describe('gateway', () => {
  test('no apikey and unknown apikey are refused with 401', async () => {
    const none = await authFetch(t, '/settings', { key: null });
    assert.equal(none.status, 401);
    assert.equal((none.json as { message: string }).message, 'No API key found in request');
    const wrong = await authFetch(t, '/settings', { key: 'sb_publishable_wrong' });
    assert.equal(wrong.status, 401);
    assert.equal((wrong.json as { message: string }).message, 'Invalid API key');
  });

  test('the sb_publishable key works like the anon key', async () => {
    const client = t.client(t.stack.keys.publishable);
    const { data, error } = await client.auth.signInAnonymously();
    assert.equal(error, null);
    assert.equal((await client.auth.getUser()).data.user?.id, data.user?.id);
  });
});

describe('admin', () => {
  test('service role creates, reads and deletes users', async () => {
    const admin = t.client(t.stack.keys.serviceRole).auth.admin;
    const email = uniqueEmail('admin');
    const created = await admin.createUser({
      email, password: 'password1', email_confirm: true, user_metadata: { name: 'Made' }, app_metadata: { team: 'x' },
    });
    assert.equal(created.error, null);
    const user = created.data.user;
    assert.ok(user);
    assert.deepEqual(user.app_metadata, { provider: 'email', providers: ['email'], team: 'x' });
    assert.deepEqual(user.user_metadata, { name: 'Made' });
    assert.ok(user.email_confirmed_at);
    assert.equal((await t.client().auth.signInWithPassword({ email, password: 'password1' })).error, null);

    assert.equal((await admin.getUserById(user.id)).data.user?.email, email);
    const secret = t.client(t.stack.keys.secret).auth.admin;
    assert.equal((await secret.getUserById(user.id)).data.user?.id, user.id);
    const listed = await admin.listUsers();
    assert.ok(listed.data.users.some((candidate) => candidate.id === user.id));

    const updated = await admin.updateUserById(user.id, {
      password: 'password2', user_metadata: { name: null, age: 3 }, app_metadata: { team: 'y' },
    });
    assert.equal(updated.error, null);
    assert.deepEqual(updated.data.user?.user_metadata, { age: 3 });
    assert.deepEqual(updated.data.user?.app_metadata, { provider: 'email', providers: ['email'], team: 'y' });
    assert.equal((await t.client().auth.signInWithPassword({ email, password: 'password2' })).error, null);

    assert.equal((await admin.deleteUser(user.id)).error, null);
    const gone = await admin.getUserById(user.id);
    assert.equal(gone.error?.code, 'user_not_found');
    assert.equal(gone.error?.status, 404);
  });

  test('anon key and user tokens are not_admin (403)', async () => {
    const anon = await t.client().auth.admin.createUser({ email: uniqueEmail('nope'), password: 'password1' });
    assert.equal(anon.error?.code, 'not_admin');
    assert.equal(anon.error?.status, 403);
    assert.equal(anon.error?.message, 'User not allowed');
    const client = t.client();
    const { data } = await client.auth.signInAnonymously();
    const asUser = await authFetch(t, '/admin/users', {
      headers: { authorization: `Bearer ${data.session?.access_token}` }, key: t.stack.keys.serviceRole,
    });
    assert.equal(asUser.status, 403);
    assert.equal((asUser.json as { error_code: string }).error_code, 'not_admin');
  });
});

describe('refresh timing', () => {
  test('20 getSession() calls with the default expiry make no refresh request', async () => {
    let tokenRequests = 0;
    const countingFetch: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/auth/v1/token')) tokenRequests += 1;
      return fetch(input, init);
    };
    const client = createClient(t.url, t.stack.keys.anon, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { fetch: countingFetch },
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    });
    const email = uniqueEmail('timing');
    await t.client().auth.signUp({ email, password: 'password1' });
    assert.equal((await client.auth.signInWithPassword({ email, password: 'password1' })).error, null);
    for (let i = 0; i < 20; i += 1) {
      const { data } = await client.auth.getSession();
      assert.ok(data.session);
    }
    assert.equal(tokenRequests, 1);
  });
});

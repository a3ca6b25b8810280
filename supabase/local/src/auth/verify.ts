/**
 * `GET/POST /verify`: a mailed link (GET, then a 303 to the allowed `redirect_to` with the session,
 * or the error, in the fragment, as auth-js's `detectSessionInUrl` reads it) or a code (POST, the
 * session JSON), as GoTrue's `verify.go` does for the email types. Tokens are looked up by hash,
 * cleared when used (single use), and expire `otpExpirySeconds` after they were sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { StackContext } from '../http/context.ts';
import { validateEmail } from './email.ts';
import { AuthError, badRequest, forbidden, unprocessable } from './errors.ts';
import { isExpired, tokenHash } from './otp-token.ts';
import { referrer } from './redirect.ts';
import { optionalString, readJsonObject } from './request.ts';
import { signIn } from './sessions.ts';
import { withTransaction } from './transaction.ts';
import { findUserById, upsertIdentity, type JsonObject, type UserRow } from './users.ts';

const TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email'] as const;
type VerifyType = typeof TYPES[number];

interface VerifyParams {
  type: VerifyType;
  /** What the stored columns hold: from the link, from `token_hash`, or hashed from email + code. */
  hash: string;
  /** The address a code was sent to (POST with `token`), else null. */
  email: string | null;
}

export const SINGLE_CONFIRMATION = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';
const LINK_INVALID = 'Email link is invalid or has expired';
const TOKEN_INVALID = 'Token has expired or is invalid';

function verifyType(raw: string): VerifyType {
  if (raw === '') throw badRequest('validation_failed', 'Verify requires a verification type');
  if (raw === 'sms' || raw === 'phone_change') throw badRequest('validation_failed', 'Phone verification is not available on the local stack');
  if (!(TYPES as readonly string[]).includes(raw)) throw badRequest('validation_failed', 'Invalid email verification type');
  return raw as VerifyType;
}

/** `GET /verify?token=&type=&redirect_to=`: always answers with a redirect once the query is valid. */
export async function verifyGet(context: StackContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const type = verifyType(url.searchParams.get('type') ?? '');
  const token = url.searchParams.get('token') ?? '';
  if (token === '') throw badRequest('validation_failed', 'Verify requires a token or a token hash');
  const redirectTo = referrer(context.mail.settings, req, url);
  let location: string;
  try {
    const outcome = await verify(context, { type, hash: token, email: null });
    location = outcome === 'single'
      ? withFragment(redirectTo, { message: SINGLE_CONFIRMATION, sb: '' })
      : withFragment(redirectTo, {
        access_token: String(outcome.session.access_token),
        expires_at: String(outcome.session.expires_at),
        expires_in: String(outcome.session.expires_in),
        refresh_token: String(outcome.session.refresh_token),
        sb: '',
        token_type: 'bearer',
        type: outcome.type,
      });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    location = withFragment(redirectTo, {
      ...(OAUTH_ERRORS[error.status] ? { error: OAUTH_ERRORS[error.status] } : {}),
      error_code: error.code,
      error_description: error.message,
      sb: '',
    });
  }
  res.writeHead(303, { Location: location, 'Content-Length': '0' });
  res.end();
}

const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request', 401: 'unauthorized_client', 403: 'access_denied', 500: 'server_error', 503: 'temporarily_unavailable',
};

/** Go's `url.Values.Encode`: keys sorted, spaces as `+`; the fragment replaces any the target had. */
function withFragment(target: string, values: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
  return `${target.split('#', 1)[0] ?? target}#${query.toString()}`;
}

/** `POST /verify` with `{type, email, token}` or `{type, token_hash}`. */
export async function verifyPost(context: StackContext, req: IncomingMessage): Promise<JsonObject> {
  const body = await readJsonObject(req);
  const type = verifyType(optionalString(body, 'type') ?? '');
  const token = optionalString(body, 'token') ?? '';
  const hash = optionalString(body, 'token_hash') ?? '';
  const rawEmail = optionalString(body, 'email') ?? '';
  const phone = optionalString(body, 'phone') ?? '';
  if ((token === '') === (hash === '')) throw badRequest('validation_failed', 'Verify requires either a token or a token hash');
  let params: VerifyParams;
  if (token !== '') {
    if (phone !== '' && rawEmail === '') throw badRequest('validation_failed', 'Phone verification is not available on the local stack');
    if (rawEmail === '' || phone !== '') {
      throw badRequest('validation_failed', 'Only an email address or phone number should be provided on verify');
    }
    let email: string;
    try {
      email = validateEmail(rawEmail);
    } catch {
      throw unprocessable('validation_failed', 'Invalid email format');
    }
    params = { type, hash: tokenHash(email, token), email };
  } else {
    if (rawEmail !== '' || phone !== '' || (optionalString(body, 'redirect_to') ?? '') !== '') {
      throw badRequest('validation_failed', 'Only the token_hash and type should be provided');
    }
    params = { type, hash, email: null };
  }
  const outcome = await verify(context, params);
  if (outcome === 'single') return { msg: SINGLE_CONFIRMATION, code: '200' };
  return outcome.session;
}

type Outcome = 'single' | { session: JsonObject; type: VerifyType };

async function verify(context: StackContext, params: VerifyParams): Promise<Outcome> {
  return withTransaction(context.pool, async (db) => {
    const { user, type } = await findByToken(context, db, params);
    if (user.banned_until !== null && user.banned_until.getTime() > Date.now()) throw forbidden('user_banned', 'User is banned');
    if (type === 'signup' || type === 'invite') {
      await confirmEmail(db, user, 'confirmation_token = \'\'');
    } else if (type === 'magiclink' || type === 'recovery') {
      await confirmEmail(db, user, 'recovery_token = \'\'');
    } else if (await changeEmail(context, db, user, params.hash) === 'single') {
      return 'single';
    }
    const updated = await findUserById(db, user.id);
    if (!updated) throw new Error('verified user vanished');
    return { session: await signIn(context, db, updated), type };
  });
}

/** The user whose stored hash matches, and the type it turned out to be (`email` is a sign-up or a magic link). */
async function findByToken(
  context: StackContext, db: pg.PoolClient, params: VerifyParams,
): Promise<{ user: UserRow; type: Exclude<VerifyType, 'email'> }> {
  const byCode = params.email !== null;
  const invalid = () => forbidden('otp_expired', byCode ? TOKEN_INVALID : LINK_INVALID);
  const where = {
    signup: 'confirmation_token = $1', invite: 'confirmation_token = $1',
    magiclink: 'recovery_token = $1', recovery: 'recovery_token = $1',
    email: '(confirmation_token = $1 or recovery_token = $1)',
    email_change: '(email_change_token_new = $1 or email_change_token_current = $1)',
  }[params.type];
  // A code is checked against the address it was sent to; a link's hash is enough on its own.
  const address = !byCode ? '' : params.type === 'email_change'
    ? ' and (lower(email_change) = $2 or lower(email) = $2)'
    : ' and lower(email) = $2';
  const { rows } = await db.query<{ id: string }>(
    `select id from auth.users where ${where}${address} and is_sso_user = false for update`,
    byCode ? [params.hash, params.email] : [params.hash],
  );
  const id = rows[0]?.id;
  const user = id === undefined ? null : await findUserById(db, id);
  if (!user || params.hash === '') throw invalid();
  const lifetime = context.mail.settings.otpExpirySeconds;
  let type: Exclude<VerifyType, 'email'>;
  let sentAt: Date | null;
  if (params.type === 'email') {
    const recovery = user.recovery_token === params.hash;
    type = recovery ? 'magiclink' : 'signup';
    sentAt = recovery ? user.recovery_sent_at : user.confirmation_sent_at;
  } else {
    type = params.type;
    sentAt = type === 'email_change' ? user.email_change_sent_at
      : type === 'magiclink' || type === 'recovery' ? user.recovery_sent_at : user.confirmation_sent_at;
  }
  if (isExpired(sentAt, lifetime)) throw invalid();
  return { user, type };
}

/** Clears the used token and confirms the address if it was not yet (a magic link proves it too). */
async function confirmEmail(db: pg.PoolClient, user: UserRow, clear: string): Promise<void> {
  await db.query(
    `update auth.users set ${clear}, email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() where id = $1`,
    [user.id],
  );
  if (user.email && user.email_confirmed_at === null) {
    await upsertIdentity(db, user.id, 'email', { email: user.email, email_verified: true });
  }
}

/**
 * GoTrue's `emailChangeVerify`: with secure change on, a permanent user's first link only records
 * itself; the second (or the only one) moves `email_change` into `email`, confirmed, and an
 * anonymous user becomes a permanent email user with the same id.
 */
async function changeEmail(context: StackContext, db: pg.PoolClient, user: UserRow, hash: string): Promise<'single' | 'done'> {
  const settings = context.mail.settings;
  if (settings.confirmations && settings.secureEmailChange && user.email && (user.email_change_confirm_status ?? 0) === 0
    && user.email_change_token_current && user.email_change_token_new) {
    const column = user.email_change_token_current === hash ? 'email_change_token_current' : 'email_change_token_new';
    await db.query(`update auth.users set email_change_confirm_status = 1, ${column} = '' where id = $1`, [user.id]);
    return 'single';
  }
  const email = user.email_change;
  if (!email) throw forbidden('otp_expired', LINK_INVALID);
  const appMetadata = { ...(user.raw_app_meta_data ?? {}), ...(user.is_anonymous ? { provider: 'email' } : {}), providers: providersWith(user, 'email') };
  await db.query(
    `update auth.users set email = $2, email_change = '', email_change_token_new = '', email_change_token_current = '',
       email_change_confirm_status = 0, email_confirmed_at = now(), is_anonymous = false, raw_app_meta_data = $3,
       updated_at = now() where id = $1`,
    [user.id, email, appMetadata],
  );
  await upsertIdentity(db, user.id, 'email', { email, email_verified: true });
  return 'done';
}

export function providersWith(user: UserRow, provider: string): string[] {
  const current = user.raw_app_meta_data?.providers;
  const list = Array.isArray(current) ? current.filter((item): item is string => typeof item === 'string') : [];
  return list.filter((item) => item !== 'anonymous').concat(list.includes(provider) ? [] : [provider]);
}

import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import { badRequest } from './errors.ts';
import { verifyPassword } from './password.ts';
import type { AuthLimiter } from './rate-limit.ts';
import { optionalString, readJsonObject } from './request.ts';
import { refreshGrant, signIn } from './sessions.ts';
import { withTransaction } from './transaction.ts';
import { findUserByEmail, findUserByPhone, type JsonObject } from './users.ts';

const INVALID_LOGIN = 'Invalid login credentials';

/**
 * `POST /token?grant_type=…`; only the grants supabase-js uses without a browser redirect. Both
 * count against one rate limit, checked once the grant is known (GoTrue's `Token`).
 */
export async function token(
  context: StackContext, req: IncomingMessage, url: URL, limit: (limiter: AuthLimiter) => void,
): Promise<JsonObject> {
  const grantType = url.searchParams.get('grant_type');
  if (grantType === 'password' || grantType === 'refresh_token') limit('token');
  if (grantType === 'password') return passwordGrant(context, await readJsonObject(req));
  if (grantType === 'refresh_token') {
    const body = await readJsonObject(req);
    const refreshToken = optionalString(body, 'refresh_token') ?? '';
    return refreshGrant(context, refreshToken);
  }
  // Sic: GoTrue answers an unknown grant with code invalid_credentials and this message.
  throw badRequest('invalid_credentials', 'unsupported_grant_type');
}

async function passwordGrant(context: StackContext, body: JsonObject): Promise<JsonObject> {
  const email = (optionalString(body, 'email') ?? '').trim().toLowerCase();
  const phone = (optionalString(body, 'phone') ?? '').replace(/[\s()-]/g, '').replace(/^\+/, '');
  const password = optionalString(body, 'password') ?? '';
  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.');
  }
  if (email === '' && phone === '') throw badRequest('validation_failed', 'missing email or phone');

  const user = email !== '' ? await findUserByEmail(context.pool, email) : await findUserByPhone(context.pool, phone);
  if (!user || !(await verifyPassword(password, user.encrypted_password))) {
    throw badRequest('invalid_credentials', INVALID_LOGIN);
  }
  if (user.banned_until !== null && user.banned_until.getTime() > Date.now()) {
    throw badRequest('user_banned', 'User is banned');
  }
  if (email !== '' && user.email_confirmed_at === null) throw badRequest('email_not_confirmed', 'Email not confirmed');
  if (phone !== '' && user.phone_confirmed_at === null) throw badRequest('phone_not_confirmed', 'Phone not confirmed');
  return withTransaction(context.pool, (db) => signIn(context, db, user));
}

import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import { badRequest, unprocessable } from './errors.ts';
import type { AuthLimiter } from './rate-limit.ts';
import { checkPasswordStrength, hashPassword } from './password.ts';
import { validateEmail } from './email.ts';
import { normalizePhone, optionalObject, optionalString, readJsonObject } from './request.ts';
import { signIn } from './sessions.ts';
import { withTransaction } from './transaction.ts';
import { sendUserMail } from './mail-send.ts';
import { referrer } from './redirect.ts';
import { findUserByEmail, findUserById, findUserByPhone, insertUser, userJson, type JsonObject } from './users.ts';

/**
 * `POST /signup`: anonymous without email and phone, otherwise a password user. With email
 * confirmations on (hosted Supabase's default) an email user gets a confirmation mail and no
 * session; off (the Supabase CLI's `enable_confirmations = false`), it is confirmed at once and
 * signed in. Each kind counts against its own rate limit once the body is read (GoTrue's route).
 */
export async function signup(
  context: StackContext, req: IncomingMessage, url: URL, limit: (limiter: AuthLimiter) => void,
): Promise<JsonObject> {
  const body = await readJsonObject(req);
  const rawEmail = optionalString(body, 'email') ?? '';
  const rawPhone = optionalString(body, 'phone') ?? '';
  const password = optionalString(body, 'password') ?? '';
  const data = optionalObject(body, 'data') ?? {};

  if (rawEmail === '' && rawPhone === '') {
    if (!context.settings.anonymousSignIns) {
      throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
    }
    limit('anonymousSignIns');
    return withTransaction(context.pool, async (db) => {
      const user = await insertUser(db, {
        email: null,
        passwordHash: null,
        confirmed: false,
        appMetadata: { provider: 'anonymous', providers: ['anonymous'] },
        userMetadata: data,
        isAnonymous: true,
      });
      return signIn(context, db, user);
    });
  }

  limit('signups');
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
  if (rawEmail !== '' && rawPhone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.');
  }
  checkPasswordStrength(password);
  const email = rawEmail === '' ? null : validateEmail(rawEmail);
  const phone = rawPhone === '' ? null : normalizePhone(rawPhone);
  const mailed = email !== null && context.mail.settings.confirmations;
  const existing = email !== null ? await findUserByEmail(context.pool, email) : await findUserByPhone(context.pool, phone ?? '');
  if (existing && (!mailed || existing.email_confirmed_at !== null)) throw unprocessable('user_already_exists', 'User already registered');

  const provider = email !== null ? 'email' : 'phone';
  const passwordHash = await hashPassword(password);
  try {
    return await withTransaction(context.pool, async (db) => {
      if (!mailed) {
        const user = await insertUser(db, {
          email, phone, passwordHash, confirmed: true,
          appMetadata: { provider, providers: [provider] }, userMetadata: data, isAnonymous: false,
        });
        return signIn(context, db, user);
      }
      // GoTrue's Signup for an address that never confirmed: new password and metadata, mail again.
      const user = existing ?? await insertUser(db, {
        email, phone: null, passwordHash, confirmed: false,
        appMetadata: { provider, providers: [provider] }, userMetadata: data, isAnonymous: false,
      });
      if (existing) {
        await db.query(
          'update auth.users set encrypted_password = $2, raw_user_meta_data = $3, updated_at = now() where id = $1',
          [existing.id, passwordHash, data],
        );
      }
      await sendUserMail(context, db, user, 'signup', referrer(context.mail.settings, req, url));
      return userJson(db, (await findUserById(db, user.id)) ?? user);
    });
  } catch (error) {
    // Two sign-ups racing for one address: the unique index decides.
    if (isUniqueViolation(error)) throw unprocessable('user_already_exists', 'User already registered');
    throw error;
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * The endpoints that mail a link and code: `POST /otp` (`signInWithOtp`), `POST /recover`
 * (`resetPasswordForEmail`) and `POST /resend`, with GoTrue's validation, wording and its habit of
 * answering `{}` for an unknown address (so they cannot be used to find out who has an account).
 */
import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import { validateEmail } from './email.ts';
import { badRequest, unprocessable } from './errors.ts';
import { sendEmailChange, sendUserMail } from './mail-send.ts';
import { referrer } from './redirect.ts';
import { optionalBoolean, optionalObject, optionalString, readJsonObject } from './request.ts';
import { withTransaction } from './transaction.ts';
import { findUserByEmail, insertUser, type JsonObject } from './users.ts';

const PHONE_UNAVAILABLE = () => badRequest('phone_provider_disabled', 'Phone logins are not available on the local stack');

/**
 * `POST /otp`: a magic link and code to a confirmed user; an unknown (or unconfirmed) address is
 * signed up first, and then gets the sign-up confirmation (confirmations on) or, confirmed at once,
 * the magic link. `create_user: false` refuses unknown addresses with `otp_disabled`.
 */
export async function otp(context: StackContext, req: IncomingMessage, url: URL): Promise<JsonObject> {
  const body = await readJsonObject(req);
  const rawEmail = optionalString(body, 'email') ?? '';
  const phone = optionalString(body, 'phone') ?? '';
  const createUser = optionalBoolean(body, 'create_user') ?? true;
  const data = optionalObject(body, 'data') ?? {};
  if (rawEmail !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided');
  if (phone !== '') throw PHONE_UNAVAILABLE();
  if (rawEmail === '') throw badRequest('validation_failed', 'One of email or phone must be set');
  const email = validateEmail(rawEmail);
  const redirectTo = referrer(context.mail.settings, req, url);
  const existing = await findUserByEmail(context.pool, email);
  if (!existing && !createUser) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
  const confirmations = context.mail.settings.confirmations;
  await withTransaction(context.pool, async (db) => {
    let user = existing;
    if (!user) {
      user = await insertUser(db, {
        email, passwordHash: null, confirmed: !confirmations,
        appMetadata: { provider: 'email', providers: ['email'] }, userMetadata: data, isAnonymous: false,
      });
    }
    if (user.email_confirmed_at === null && confirmations) await sendUserMail(context, db, user, 'signup', redirectTo);
    else await sendUserMail(context, db, user, 'magiclink', redirectTo);
  });
  return {};
}

/** `POST /recover`: a password-reset link and code; `{}` whether or not the address is known. */
export async function recover(context: StackContext, req: IncomingMessage, url: URL): Promise<JsonObject> {
  const body = await readJsonObject(req);
  const rawEmail = optionalString(body, 'email') ?? '';
  if (rawEmail === '') throw badRequest('validation_failed', 'Password recovery requires an email');
  const email = validateEmail(rawEmail);
  const user = await findUserByEmail(context.pool, email);
  if (!user) return {};
  const redirectTo = referrer(context.mail.settings, req, url);
  await withTransaction(context.pool, (db) => sendUserMail(context, db, user, 'recovery', redirectTo));
  return {};
}

/**
 * `POST /resend` for `signup` (an unconfirmed user) and `email_change` (a pending change, found, as
 * GoTrue finds it, by the user's current address). Nothing to resend is `{}` too.
 */
export async function resend(context: StackContext, req: IncomingMessage, url: URL): Promise<JsonObject> {
  const body = await readJsonObject(req);
  const type = optionalString(body, 'type') ?? '';
  const rawEmail = optionalString(body, 'email') ?? '';
  const phone = optionalString(body, 'phone') ?? '';
  if (type === 'sms' || type === 'phone_change') throw PHONE_UNAVAILABLE();
  if (type !== 'signup' && type !== 'email_change') {
    throw badRequest('validation_failed', 'Missing one of these types: signup, email_change, sms, phone_change');
  }
  if (rawEmail === '' && type === 'signup') throw badRequest('validation_failed', 'Type provided requires an email address');
  if (rawEmail !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided.');
  if (rawEmail === '') throw badRequest('validation_failed', 'Missing email address or phone number');
  const email = validateEmail(rawEmail);
  const user = await findUserByEmail(context.pool, email);
  if (!user) return {};
  if (type === 'signup' && user.email_confirmed_at !== null) return {};
  if (type === 'email_change' && !user.email_change) return {};
  const redirectTo = referrer(context.mail.settings, req, url);
  await withTransaction(context.pool, (db) => type === 'signup'
    ? sendUserMail(context, db, user, 'signup', redirectTo)
    : sendEmailChange(context, db, user, user.email_change ?? '', redirectTo));
  return {};
}

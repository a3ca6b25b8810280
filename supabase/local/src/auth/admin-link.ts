/**
 * `POST /admin/generate_link` (`auth.admin.generateLink`), shaped like GoTrue's `adminGenerateLink`:
 * the service role gets the link, the code and the hash a mail would carry, and no mail is sent, so
 * a server can put a sign-in link into a mail of its own. The hash is stored in the columns
 * verify.ts looks it up in, with the send time that starts its expiry.
 */
import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import { validateEmail } from './email.ts';
import { AuthError, badRequest, unprocessable } from './errors.ts';
import { newOtp, tokenHash } from './otp-token.ts';
import { checkPasswordStrength, hashPassword } from './password.ts';
import { isRedirectUrlValid, referrer } from './redirect.ts';
import { optionalObject, optionalString, readJsonObject } from './request.ts';
import { withTransaction } from './transaction.ts';
import { findUserByEmail, findUserById, insertUser, userJson, type JsonObject, type UserRow } from './users.ts';

const LINK_TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new'] as const;
type LinkType = typeof LINK_TYPES[number];
const DUPLICATE_EMAIL = 'A user with this email address has already been registered';

export async function adminGenerateLink(context: StackContext, req: IncomingMessage, url: URL): Promise<JsonObject> {
  const body = await readJsonObject(req);
  const rawType = optionalString(body, 'type') ?? '';
  const email = validateEmail(optionalString(body, 'email') ?? '');
  const password = optionalString(body, 'password') ?? '';
  const data = optionalObject(body, 'data') ?? {};
  const bodyRedirect = optionalString(body, 'redirect_to') ?? '';
  const redirectTo = bodyRedirect !== '' && isRedirectUrlValid(context.mail.settings, bodyRedirect)
    ? bodyRedirect
    : referrer(context.mail.settings, req, url);

  const existing = await findUserByEmail(context.pool, email);
  let type = rawType;
  if (!existing) {
    // GoTrue turns a magic link for a stranger into a sign-up; the others need someone to act on.
    if (type === 'magiclink') type = 'signup';
    else if (type === 'recovery' || type === 'email_change_current' || type === 'email_change_new') {
      throw new AuthError(404, 'user_not_found', 'User with this email not found');
    }
  }
  if (!(LINK_TYPES as readonly string[]).includes(type)) {
    throw badRequest('validation_failed', `Invalid email action link type requested: ${rawType}`);
  }
  const linkType = type as LinkType;
  if (linkType === 'signup' && password !== '') checkPasswordStrength(password);
  const passwordHash = linkType === 'signup' && password !== '' ? await hashPassword(password) : null;
  const otp = newOtp();
  const hash = tokenHash(email, otp);

  const { user, linkHash } = await withTransaction(context.pool, async (db) => {
    let user: UserRow | null = existing;
    let linkHash = hash;
    switch (linkType) {
      case 'magiclink':
      case 'recovery':
        await db.query('update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1', [user?.id, hash]);
        break;
      case 'signup':
      case 'invite':
        if (user?.email_confirmed_at) throw unprocessable('email_exists', DUPLICATE_EMAIL);
        user ??= await insertUser(db, {
          email, passwordHash, confirmed: false,
          appMetadata: { provider: 'email', providers: ['email'] }, userMetadata: data, isAnonymous: false,
        });
        await db.query(
          `update auth.users set confirmation_token = $2, confirmation_sent_at = now(),
             invited_at = case when $3 then now() else invited_at end, updated_at = now() where id = $1`,
          [user.id, hash, linkType === 'invite'],
        );
        break;
      case 'email_change_current':
      case 'email_change_new': {
        if (!context.mail.settings.secureEmailChange && linkType === 'email_change_current') {
          throw badRequest('validation_failed', 'Enable secure email change to generate link for current email');
        }
        const newEmail = validateEmail(optionalString(body, 'new_email') ?? '');
        const holder = await findUserByEmail(db, newEmail);
        if (holder && holder.id !== user?.id) throw unprocessable('email_exists', DUPLICATE_EMAIL);
        // The new address's code hashes with that address, as the mail to it would.
        if (linkType === 'email_change_new') linkHash = tokenHash(newEmail, otp);
        await db.query(
          `update auth.users set email_change = $2, email_change_confirm_status = 0, email_change_sent_at = now(),
             email_change_token_current = case when $3 then $4 else email_change_token_current end,
             email_change_token_new = case when $3 then email_change_token_new else $4 end, updated_at = now()
           where id = $1`,
          [user?.id, newEmail, linkType === 'email_change_current', linkHash],
        );
        break;
      }
    }
    const stored = user ? await findUserById(db, user.id) : null;
    if (!stored) throw new Error('generate_link: the user vanished');
    return { user: stored, linkHash };
  });

  const verifyType = linkType.startsWith('email_change') ? 'email_change' : linkType;
  const query = new URLSearchParams({ token: linkHash, type: verifyType, redirect_to: redirectTo });
  return {
    ...await userJson(context.pool, user),
    action_link: `${context.settings.issuer}/verify?${query.toString()}`,
    email_otp: otp,
    // GoTrue answers the hash of the user's own address even for `email_change_new`.
    hashed_token: hash,
    verification_type: linkType,
    redirect_to: redirectTo,
  };
}

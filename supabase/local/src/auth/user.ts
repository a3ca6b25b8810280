import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import type { Authenticated } from './authenticate.ts';
import { forbidden, unprocessable } from './errors.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './password.ts';
import { validateEmail } from './email.ts';
import { optionalObject, optionalString, readJsonObject } from './request.ts';
import { isUniqueViolation } from './signup.ts';
import { withTransaction } from './transaction.ts';
import { sendEmailChange } from './mail-send.ts';
import { referrer } from './redirect.ts';
import { providersWith } from './verify.ts';
import { findUserByEmail, findUserById, upsertIdentity, type JsonObject, type UserRow } from './users.ts';

/** GoTrue's metadata update: keys merge in, a null value removes its key. */
export function mergeMetadata(current: JsonObject | null, update: JsonObject): JsonObject {
  const entries = Object.entries({ ...(current ?? {}), ...update });
  return Object.fromEntries(entries.filter(([, value]) => value !== null));
}

/**
 * `PUT /user`: user_metadata (`data`), password and email. A new email is mailed a link and code
 * and waits in `new_email` until confirmed (verify.ts), as GoTrue does; only an anonymous user with
 * confirmations off gets it at once (GoTrue's autoconfirm path for anonymous users).
 */
export async function updateUser(context: StackContext, req: IncomingMessage, url: URL, auth: Authenticated): Promise<UserRow> {
  const body = await readJsonObject(req);
  const data = optionalObject(body, 'data');
  const password = optionalString(body, 'password') ?? '';
  const rawEmail = optionalString(body, 'email') ?? '';
  if (body.app_metadata !== undefined) {
    throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  }
  const user = auth.user;
  if (user.is_anonymous && password !== '' && rawEmail === '' && !user.email) {
    throw unprocessable(
      'validation_failed',
      'Updating password of an anonymous user without an email or phone is not allowed',
    );
  }
  const email = rawEmail === '' ? null : validateEmail(rawEmail);
  const changesEmail = email !== null && email !== user.email;
  if (changesEmail) {
    const holder = await findUserByEmail(context.pool, email);
    if (holder && holder.id !== user.id) {
      throw unprocessable('email_exists', 'A user with this email address has already been registered');
    }
  }
  let passwordHash: string | null = null;
  if (password !== '') {
    checkPasswordStrength(password);
    if (await verifyPassword(password, user.encrypted_password)) {
      throw unprocessable('same_password', 'New password should be different from the old password.');
    }
    passwordHash = await hashPassword(password);
  }

  try {
    await withTransaction(context.pool, async (client) => {
      if (data !== undefined) {
        await client.query(
          'update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1',
          [user.id, mergeMetadata(user.raw_user_meta_data, data)],
        );
      }
      if (passwordHash !== null) {
        await client.query('update auth.users set encrypted_password = $2, updated_at = now() where id = $1', [
          user.id, passwordHash,
        ]);
      }
      if (changesEmail && !(user.is_anonymous && !context.mail.settings.confirmations)) {
        await sendEmailChange(context, client, user, email, referrer(context.mail.settings, req, url));
      } else if (changesEmail) {
        // An anonymous user who adds an email becomes a permanent email user, as on GoTrue.
        const appMetadata = user.is_anonymous
          ? { ...(user.raw_app_meta_data ?? {}), provider: 'email', providers: providersWith(user, 'email') }
          : user.raw_app_meta_data ?? {};
        await client.query(
          `update auth.users set email = $2, email_confirmed_at = now(), is_anonymous = false,
             raw_app_meta_data = $3, updated_at = now() where id = $1`,
          [user.id, email, appMetadata],
        );
        await upsertIdentity(client, user.id, 'email', { email, email_verified: true });
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw unprocessable('email_exists', 'A user with this email address has already been registered');
    }
    throw error;
  }
  return (await findUserById(context.pool, user.id)) ?? user;
}

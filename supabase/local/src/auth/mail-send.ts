/**
 * Sending Auth's mail for one user, as GoTrue's `sendConfirmation`, `sendMagicLink`,
 * `sendPasswordRecovery` and `sendEmailChange` do: refuse when the last mail of that kind went out
 * less than `maxFrequencySeconds` ago, take one from the hourly quota (while confirmations are on),
 * send, and only then store the new token hash and its time, so a failed send leaves the old link
 * working and nothing half-done.
 */
import type pg from 'pg';
import type { StackContext } from '../http/context.ts';
import { AuthError } from './errors.ts';
import { authMail, type MailKind } from './mail-templates.ts';
import { checkFrequency, newOtp, tokenHash } from './otp-token.ts';
import type { UserRow } from './users.ts';

type Queryable = pg.Pool | pg.PoolClient;

/** `redirectTo` is the already-allowed target (see redirect.ts). */
export async function sendUserMail(
  context: StackContext, db: Queryable, user: UserRow, kind: Exclude<MailKind, 'email_change'>, redirectTo: string,
): Promise<void> {
  const email = user.email;
  if (!email) throw new AuthError(422, 'validation_failed', 'User has no email address');
  const usesRecoveryColumns = kind === 'magiclink' || kind === 'recovery';
  // A magic link is a recovery mail with another text; they share its columns and its timer.
  checkFrequency(usesRecoveryColumns ? user.recovery_sent_at : user.confirmation_sent_at, context.mail.settings.maxFrequencySeconds);
  const otp = newOtp();
  const hash = tokenHash(email, otp);
  await deliver(context, authMail(kind, { to: email, otp, confirmationUrl: verifyUrl(context, hash, kind, redirectTo) }));
  await db.query(usesRecoveryColumns
    ? 'update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1'
    : `update auth.users set confirmation_token = $2, confirmation_sent_at = now(),
         invited_at = case when $3 then now() else invited_at end, updated_at = now() where id = $1`,
  usesRecoveryColumns ? [user.id, hash] : [user.id, hash, kind === 'invite']);
}

/**
 * An email change: a link and code to the new address, and with `secureEmailChange` another to the
 * current one (a permanent user's change then needs both); the change waits in `email_change`.
 */
export async function sendEmailChange(
  context: StackContext, db: Queryable, user: UserRow, newEmail: string, redirectTo: string,
): Promise<void> {
  const settings = context.mail.settings;
  checkFrequency(user.email_change_sent_at, settings.maxFrequencySeconds);
  const otpNew = newOtp();
  const hashNew = tokenHash(newEmail, otpNew);
  const current = settings.secureEmailChange && user.email ? { email: user.email, otp: newOtp() } : null;
  const hashCurrent = current ? tokenHash(current.email, current.otp) : '';
  await deliver(context, authMail('email_change', {
    to: newEmail, newEmail, otp: otpNew, confirmationUrl: verifyUrl(context, hashNew, 'email_change', redirectTo),
  }), current ? authMail('email_change', {
    to: current.email, newEmail, otp: current.otp, confirmationUrl: verifyUrl(context, hashCurrent, 'email_change', redirectTo),
  }) : null);
  await db.query(
    `update auth.users set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
       email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now() where id = $1`,
    [user.id, newEmail, hashNew, hashCurrent],
  );
}

function verifyUrl(context: StackContext, hash: string, kind: MailKind, redirectTo: string): string {
  const query = new URLSearchParams({ token: hash, type: kind, redirect_to: redirectTo });
  return `${context.settings.issuer}/verify?${query.toString()}`;
}

async function deliver(context: StackContext, ...mails: (ReturnType<typeof authMail> | null)[]): Promise<void> {
  // GoTrue counts the quota only while confirmations are on (`!config.Mailer.Autoconfirm`).
  if (context.mail.settings.confirmations && !context.mail.takeQuota()) {
    throw new AuthError(429, 'over_email_send_rate_limit', 'email rate limit exceeded');
  }
  try {
    for (const mail of mails) if (mail) await context.mail.mailer.send(mail);
  } catch (error) {
    context.log(`auth: sending mail failed: ${error instanceof Error ? error.message : String(error)}`);
    throw new AuthError(500, 'unexpected_failure', 'Error sending email');
  }
}

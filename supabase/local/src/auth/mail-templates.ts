/**
 * Auth's mail, as GoTrue's default templates word it (`internal/mailer/templatemailer`): the subject,
 * a link to `/verify` and the code, in a text part and an HTML part. Only the HTML part escapes;
 * the link and code are the stack's own, the address is the user's input.
 */
import type { OutgoingMail } from '../mail/mailer.ts';

export type MailKind = 'signup' | 'invite' | 'magiclink' | 'recovery' | 'email_change';

export interface MailContent {
  readonly to: string;
  /** `<API URL>/auth/v1/verify?token=…&type=…&redirect_to=…` */
  readonly confirmationUrl: string;
  readonly otp: string;
  /** For `email_change`: the address being confirmed. */
  readonly newEmail?: string;
}

const SUBJECTS: Record<MailKind, string> = {
  signup: 'Confirm your email address',
  invite: "You've been invited",
  magiclink: 'Your sign-in link',
  recovery: 'Reset your password',
  email_change: 'Confirm your new email address',
};

const ACTIONS: Record<MailKind, { lead: (content: MailContent) => string; link: string }> = {
  signup: { lead: () => 'Follow this link to confirm your email address:', link: 'Confirm email address' },
  invite: { lead: () => 'You have been invited to create a user. Follow this link to accept the invite:', link: 'Accept invitation' },
  magiclink: { lead: () => 'Follow this link to sign in:', link: 'Sign in' },
  recovery: { lead: () => 'Follow this link to reset the password for your user:', link: 'Reset password' },
  email_change: {
    lead: (content) => `Follow this link to confirm the change of your email address to ${content.newEmail ?? content.to}:`,
    link: 'Confirm new email address',
  },
};

export function authMail(kind: MailKind, content: MailContent): OutgoingMail {
  const action = ACTIONS[kind];
  const lead = action.lead(content);
  const text = `${lead}\n\n${content.confirmationUrl}\n\nOr enter this code: ${content.otp}\n\n`
    + 'If you did not ask for this, ignore this email.\n';
  const html = `<h2>${escape(SUBJECTS[kind])}</h2>\n<p>${escape(lead)}</p>\n`
    + `<p><a href="${escape(content.confirmationUrl)}">${escape(action.link)}</a></p>\n`
    + `<p>Or enter this code: <strong>${escape(content.otp)}</strong></p>\n`;
  return { to: content.to, subject: SUBJECTS[kind], text, html };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

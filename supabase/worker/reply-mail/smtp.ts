/**
 * Handing a mail to SMTP and telling what a failure means for a retry. Reply emails are at most
 * once: only a failure that proves the server did not take the message is retried.
 */
import nodemailer from 'nodemailer';
import type { ComposedMail } from './compose.ts';

/**
 * `retry`: the server surely does not have it and may take it later (refused with 4xx, or never
 * reached). `permanent`: refused with 5xx; trying again would be refused again. `unknown`: the
 * connection broke in a way that may come after the server took the message; not sent again.
 */
export type SendFailure = 'retry' | 'permanent' | 'unknown';

export interface SmtpSender {
  send(mail: ComposedMail): Promise<void>;
  close(): void;
}

export function createSmtpSender(smtpUrl: string, from: string): SmtpSender {
  // Timeouts well inside the 5-minute 'sending' lease of begin_reply_email().
  const transport = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 });
  return {
    async send(mail) {
      await transport.sendMail({
        from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId, headers: { ...mail.headers },
      });
    },
    close: () => transport.close(),
  };
}

/** Before the connection exists nothing can have been delivered. */
const UNREACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** nodemailer's codes for failures before MAIL FROM: name lookup, TLS, login. */
const BEFORE_MAIL = new Set(['EDNS', 'ETLS', 'EAUTH']);

export function classifySendFailure(error: unknown): SendFailure {
  if (typeof error !== 'object' || error === null) return 'unknown';
  const { responseCode, code, originalCode } = error as { responseCode?: unknown; code?: unknown; originalCode?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 500 ? 'permanent' : 'retry';
  if (typeof originalCode === 'string' && UNREACHED.has(originalCode)) return 'retry';
  if (typeof code === 'string' && (UNREACHED.has(code) || BEFORE_MAIL.has(code))) return 'retry';
  return 'unknown';
}

/**
 * The local stack's mail catcher, as the Supabase CLI runs Inbucket/Mailpit: a real SMTP server that
 * accepts every message for any address, parses it and keeps it in memory (the newest
 * `maxMessages`), so the demo and tests read what Auth sent instead of a log line. Nothing is
 * relayed anywhere. The HTTP side (page and JSON) lives in catcher-http.ts.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  readonly id: string;
  readonly from: string;
  /** Recipients as the SMTP envelope named them, lower-cased. */
  readonly to: readonly string[];
  readonly subject: string;
  /** The plain-text part (what the page shows; the HTML part is never rendered). */
  readonly text: string;
  readonly html: string | null;
  /**
   * The header lines as sent, by lower-cased name (the last one wins), unfolded: what a mail client
   * keys on (`message-id`, `list-unsubscribe`, `list-unsubscribe-post`).
   */
  readonly headers: Readonly<Record<string, string>>;
  /** ISO time the catcher accepted it. */
  readonly receivedAt: string;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>` once listening. */
  readonly smtpUrl: string;
  listen(port?: number, host?: string): Promise<string>;
  /** Newest first; `to` keeps the messages addressed to that address (case-insensitive). */
  messages(filter?: { readonly to?: string }): CaughtMail[];
  message(id: string): CaughtMail | undefined;
  clear(): void;
  close(): Promise<void>;
}

export interface MailCatcherOptions {
  /** Messages kept; older ones are dropped. Default 500. */
  readonly maxMessages?: number;
  /** Largest message accepted, in bytes. Default 1 MiB. */
  readonly maxBytes?: number;
}

export function createMailCatcher(options: MailCatcherOptions = {}): MailCatcher {
  const maxMessages = options.maxMessages ?? 500;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const kept: CaughtMail[] = [];
  let smtpUrl = '';

  const server = new SMTPServer({
    // A catcher, not a relay: no login, no TLS (nothing leaves the machine), any sender and recipient.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    banner: 'Parley local mail catcher',
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
          return;
        }
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        kept.unshift({
          id: randomUUID(),
          from: addressText(parsed.from),
          to: envelopeTo,
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : null,
          headers: headersOf(parsed.headerLines),
          receivedAt: new Date().toISOString(),
        });
        kept.splice(maxMessages);
        // Answered only once kept, so a sender's `sendMail` resolving means the message is readable.
        callback();
      }, (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });

  return {
    get smtpUrl() {
      return smtpUrl;
    },
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          const address = server.server.address() as AddressInfo;
          smtpUrl = `smtp://${host}:${address.port}`;
          resolve(smtpUrl);
        });
      });
    },
    messages(filter = {}) {
      const to = filter.to?.toLowerCase();
      return to === undefined ? [...kept] : kept.filter((mail) => mail.to.includes(to));
    },
    message: (id) => kept.find((mail) => mail.id === id),
    clear() {
      kept.length = 0;
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

function headersOf(lines: readonly { key: string; line: string }[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of lines) {
    headers[key.toLowerCase()] = line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  }
  return headers;
}

/**
 * The reply-mail worker: claim → mark sending → SMTP → complete, against any Supabase project with
 * the service-role key (the RPCs of 20261231000004_reply_emails.sql do the choosing and the
 * bookkeeping; several workers are safe, claims skip each other's locked rows).
 *
 * At most once: a job is marked 'sending' before the SMTP exchange and a failure is retried only
 * when it proves the server did not take the mail (smtp.ts). A worker that dies mid-exchange leaves
 * the job 'sending'; past its lease it turns 'unknown' and is not sent again. Each job's Message-ID
 * is derived from its id, so even a duplicate would thread as the same message.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { composeReplyEmail } from './compose.ts';
import { parseReplyEmailJob } from './job.ts';
import { classifySendFailure, createSmtpSender } from './smtp.ts';
import { createUnsubscribeHandler, type Unsubscribe } from './unsubscribe-http.ts';

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ReplyMailerOptions {
  readonly supabaseUrl: string;
  readonly serviceRoleKey: string;
  readonly smtpUrl: string;
  /** The From header, e.g. `Acme Support <support@acme.example>`. */
  readonly from: string;
  /** The page embedding the widget, for visitors whose last page is unknown. */
  readonly siteUrl: string;
  /** Public URL of this worker's HTTP side (the unsubscribe page). Default: the URL `listen()` answers. */
  readonly publicUrl?: string;
  /** Pause between polls when nothing was due. Default 15 000 ms. */
  readonly pollMs?: number;
  /** Mails claimed per poll. Default 10. */
  readonly batchSize?: number;
  /** How long a claim stays this worker's before another may take it. Default 120 s. */
  readonly leaseSeconds?: number;
  readonly timers?: Timers;
  readonly log?: (line: string) => void;
}

export interface RunSummary {
  sent: number;
  retrying: number;
  failed: number;
  unknown: number;
  /** Claims another worker took over before this one began sending. */
  lost: number;
}

export interface ReplyMailer {
  /** One poll: claims what is due and sends it. Tests drive the worker with this. */
  runOnce(): Promise<RunSummary>;
  /** Polls every `pollMs` until `close()`. */
  start(): void;
  /** Serves the unsubscribe page; resolves to its base URL. */
  listen(port?: number, host?: string): Promise<string>;
  readonly url: string | undefined;
  close(): Promise<void>;
}

export class ReplyMailerOptionError extends Error {
  constructor(option: string, problem: string) {
    super(`createReplyMailer: option "${option}" ${problem}`);
    this.name = 'ReplyMailerOptionError';
  }
}

function checkOptions(options: ReplyMailerOptions): void {
  for (const name of ['supabaseUrl', 'serviceRoleKey', 'smtpUrl', 'from', 'siteUrl'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '') throw new ReplyMailerOptionError(name, 'must be a non-empty string');
  }
  for (const name of ['supabaseUrl', 'siteUrl', 'publicUrl'] as const) {
    const value = options[name];
    if (value === undefined) continue;
    if (!/^https?:\/\//.test(value) || !URL.canParse(value)) throw new ReplyMailerOptionError(name, 'must be an http(s) URL');
  }
  if (!/^smtps?:\/\//.test(options.smtpUrl)) throw new ReplyMailerOptionError('smtpUrl', 'must be an smtp:// or smtps:// URL');
  if (!/@([^@\s>]+)>?\s*$/.test(options.from)) throw new ReplyMailerOptionError('from', 'must end with an email address');
  const positive = (name: 'pollMs' | 'batchSize' | 'leaseSeconds', min: number, max: number) => {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new ReplyMailerOptionError(name, `must be an integer from ${min} to ${max}`);
    }
  };
  positive('pollMs', 10, 3_600_000);
  positive('batchSize', 1, 100);
  positive('leaseSeconds', 10, 3600);
}

export function createReplyMailer(options: ReplyMailerOptions): ReplyMailer {
  checkOptions(options);
  const log = options.log ?? (() => undefined);
  const timers: Timers = options.timers ?? { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const pollMs = options.pollMs ?? 15_000;
  const batchSize = options.batchSize ?? 10;
  const leaseSeconds = options.leaseSeconds ?? 120;
  const messageIdDomain = /@([^@\s>]+)>?\s*$/.exec(options.from)?.[1] ?? 'parley.local';
  const client: SupabaseClient = createClient(options.supabaseUrl, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Never used (the worker polls RPCs), but supabase-js builds a realtime client and Node 20 has no WebSocket.
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const smtp = createSmtpSender(options.smtpUrl, options.from);
  let server: http.Server | undefined;
  let listenedUrl: string | undefined;
  let timer: unknown;
  let running: Promise<unknown> | undefined;
  let closed = false;

  const unsubscribe: Unsubscribe = async (token) => {
    const { error } = await client.rpc('unsubscribe_reply_emails', { p_token: token });
    if (!error) return 'done';
    if (error.details === 'token_invalid') return 'invalid';
    if (error.details === 'token_unknown') return 'unknown';
    throw new Error(error.message);
  };
  const handleUnsubscribe = createUnsubscribeHandler(unsubscribe);

  async function complete(jobId: string, attempt: number, ok: boolean, error: string | null, retry: boolean): Promise<void> {
    const { error: failed } = await client.rpc('complete_reply_email', {
      p_job: jobId, p_attempt: attempt, p_ok: ok, p_error: error, p_retry: retry,
    });
    // Unreported, the job stays 'sending' and turns 'unknown' at its lease: never sent twice.
    if (failed) log(`reply-mail: could not record job ${jobId}: ${failed.message}`);
  }

  /**
   * A magic-link token hash for the visitor's address, so the mail's link signs them in on any
   * device. Any failure only costs the convenience: the plain link still opens the page, where the
   * visitor can continue by email. A stranger's address would be signed up by GoTrue
   * (`verification_type` 'signup'): that token is not for us.
   */
  async function signInToken(email: string): Promise<string | null> {
    try {
      const { data, error } = await client.auth.admin.generateLink({ type: 'magiclink', email });
      const hash = data.properties?.hashed_token;
      if (error || data.properties?.verification_type !== 'magiclink' || typeof hash !== 'string' || !/^[0-9a-f]{56}$/.test(hash)) {
        log(`reply-mail: no sign-in link for this mail, sending the plain link (${error?.message ?? 'unexpected answer'})`);
        return null;
      }
      return hash;
    } catch (generateError) {
      log(`reply-mail: no sign-in link for this mail, sending the plain link (${generateError instanceof Error ? generateError.message : String(generateError)})`);
      return null;
    }
  }

  async function runOnce(): Promise<RunSummary> {
    const summary: RunSummary = { sent: 0, retrying: 0, failed: 0, unknown: 0, lost: 0 };
    const { data, error } = await client.rpc('claim_reply_emails', { p_limit: batchSize, p_lease_seconds: leaseSeconds });
    if (error) throw new Error(`claim_reply_emails: ${error.message}`);
    if (!Array.isArray(data)) throw new Error('claim_reply_emails did not answer a list');
    const base = options.publicUrl ?? listenedUrl;
    for (const row of data as unknown[]) {
      const job = parseReplyEmailJob(row);
      if (base === undefined) throw new Error('reply-mail: no publicUrl and not listening: the unsubscribe link would lead nowhere');
      const { data: begun, error: beginError } = await client.rpc('begin_reply_email', { p_job: job.jobId, p_attempt: job.attempt });
      if (beginError) throw new Error(`begin_reply_email: ${beginError.message}`);
      if (begun !== true) {
        summary.lost += 1;
        continue;
      }
      // Generated only once the job is ours: a new token replaces the address's last one.
      const mail = composeReplyEmail(job, { siteUrl: options.siteUrl, unsubscribeBase: base, messageIdDomain }, await signInToken(job.email));
      try {
        await smtp.send(mail);
      } catch (sendError) {
        const kind = classifySendFailure(sendError);
        const message = sendError instanceof Error ? sendError.message : String(sendError);
        log(`reply-mail: job ${job.jobId} attempt ${job.attempt} not sent (${kind}): ${message}`);
        await complete(job.jobId, job.attempt, false, kind === 'unknown' ? `outcome unknown, not resent: ${message}` : message, kind === 'retry');
        if (kind === 'retry') summary.retrying += 1;
        else if (kind === 'permanent') summary.failed += 1;
        else summary.unknown += 1;
        continue;
      }
      await complete(job.jobId, job.attempt, true, null, false);
      summary.sent += 1;
    }
    return summary;
  }

  function schedule(ms: number): void {
    if (closed) return;
    timer = timers.setTimeout(() => {
      const run = runOnce().then(
        (summary) => schedule(summary.sent + summary.retrying + summary.failed + summary.unknown + summary.lost >= batchSize ? 0 : pollMs),
        (error: unknown) => {
          log(`reply-mail: ${error instanceof Error ? error.message : String(error)}`);
          schedule(pollMs);
        });
      running = run;
    }, ms);
  }

  return {
    runOnce,
    start: () => schedule(0),
    get url() {
      return options.publicUrl ?? listenedUrl;
    },
    listen(port = 0, host = '127.0.0.1') {
      server ??= http.createServer((req, res) => {
        handleUnsubscribe(req, res).then((handled) => {
          if (!handled) res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        }, () => {
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
      const listening = server;
      return new Promise((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(port, host, () => {
          listening.off('error', reject);
          listenedUrl = `http://${host}:${(listening.address() as AddressInfo).port}`;
          resolve(options.publicUrl ?? listenedUrl);
        });
      });
    },
    async close() {
      closed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      await running?.catch(() => undefined);
      if (server?.listening) {
        const done = new Promise<void>((resolve) => server?.close(() => resolve()));
        server.closeAllConnections();
        await done;
      }
      smtp.close();
    },
  };
}

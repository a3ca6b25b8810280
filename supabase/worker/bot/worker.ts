/**
 * The bot worker (issue 17): answers the customer messages of conversations whose chatbot is on,
 * against any Supabase project with the service-role key. It follows Postgres changes (INSERT on
 * public.messages from customers) to wake at once, and polls slowly as a safety net (and to hand
 * over conversations whose webhook bot missed its reply deadline).
 *
 * Restart-safe and safe with several instances: the jobs live in the database (private.bot_jobs,
 * written in the customer message's own transaction), a claim leases them and skips rows another
 * worker holds, and the bot's reply id is derived from the customer message's id, so a message is
 * answered exactly once whoever retries it. With the built-in bot the answer is one RPC; with a
 * webhook bot the job is POSTed, signed, and the bot replies through bot_reply().
 */
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { parseBotConfig, parseBotJob, type BotConfig, type BotJob } from './job.ts';
import { deliverWebhook } from './webhook.ts';

export interface BotTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BotWorkerOptions {
  readonly supabaseUrl: string;
  readonly serviceRoleKey: string;
  /** Safety-net poll when no change woke the worker. Default 10 000 ms. */
  readonly pollMs?: number;
  /** Jobs claimed per round. Default 10. */
  readonly batchSize?: number;
  /** How long a claim stays this worker's before another may take it. Default 60 s. */
  readonly leaseSeconds?: number;
  /** Per webhook request. Default 5000 ms. */
  readonly webhookTimeoutMs?: number;
  /** Webhook requests per job (network errors, timeouts and 5xx are retried). Default 3. */
  readonly webhookAttempts?: number;
  /** How long a webhook bot that took a message has to reply before a person takes over. Default 30 s. */
  readonly replyDeadlineSeconds?: number;
  /** Follow Postgres changes to wake at once. Default true; false: poll only. */
  readonly realtime?: boolean;
  readonly fetch?: typeof fetch;
  readonly timers?: BotTimers;
  readonly log?: (line: string) => void;
}

export interface BotRunSummary {
  answered: number;
  handedOver: number;
  skipped: number;
  /** Delivered to the webhook bot, its reply awaited. */
  sent: number;
  /** The webhook bot could not take it: handed over. */
  failed: number;
  /** Jobs this run could not finish (left to the lease and the next claim). */
  errors: number;
}

export interface BotWorker {
  /** One round: claims what is due and answers or delivers it. Tests drive the worker with this. */
  runOnce(): Promise<BotRunSummary>;
  /** Follows changes and polls until close(); resolves once the change feed is subscribed (or failed to). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export class BotWorkerOptionError extends Error {
  constructor(option: string, problem: string) {
    super(`createBotWorker: option "${option}" ${problem}`);
    this.name = 'BotWorkerOptionError';
  }
}

function checkOptions(options: BotWorkerOptions): void {
  for (const name of ['supabaseUrl', 'serviceRoleKey'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '') throw new BotWorkerOptionError(name, 'must be a non-empty string');
  }
  if (!/^https?:\/\//.test(options.supabaseUrl) || !URL.canParse(options.supabaseUrl)) {
    throw new BotWorkerOptionError('supabaseUrl', 'must be an http(s) URL');
  }
  const ranges = {
    pollMs: [10, 3_600_000], batchSize: [1, 100], leaseSeconds: [5, 3600], webhookTimeoutMs: [1, 60_000],
    webhookAttempts: [1, 10], replyDeadlineSeconds: [1, 3600],
  } as const;
  for (const [name, [min, max]] of Object.entries(ranges) as [keyof typeof ranges, readonly [number, number]][]) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new BotWorkerOptionError(name, `must be an integer from ${min} to ${max}`);
    }
  }
}

const emptySummary = (): BotRunSummary => ({ answered: 0, handedOver: 0, skipped: 0, sent: 0, failed: 0, errors: 0 });

export function createBotWorker(options: BotWorkerOptions): BotWorker {
  checkOptions(options);
  const log = options.log ?? (() => undefined);
  const timers: BotTimers = options.timers ?? { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const pollMs = options.pollMs ?? 10_000;
  const batchSize = options.batchSize ?? 10;
  const leaseSeconds = options.leaseSeconds ?? 60;
  const doFetch = options.fetch ?? fetch;
  const replyUrl = `${options.supabaseUrl.replace(/\/+$/, '')}/rest/v1/rpc/bot_reply`;
  const client: SupabaseClient = createClient(options.supabaseUrl, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  let channel: RealtimeChannel | undefined;
  let timer: unknown;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function call(name: string, args: Record<string, unknown>): Promise<unknown> {
    const { data, error } = await client.rpc(name, args);
    if (error) throw new Error(`${name}: ${error.message}`);
    return data;
  }

  async function handle(job: BotJob, config: BotConfig, summary: BotRunSummary): Promise<void> {
    if (config.kind === 'builtin') {
      const result = await call('answer_bot_job', { p_message_id: job.message_id });
      const outcome = typeof result === 'object' && result !== null ? (result as Record<string, unknown>).outcome : undefined;
      if (outcome === 'answered') summary.answered += 1;
      else if (outcome === 'handover') summary.handedOver += 1;
      else summary.skipped += 1;
      return;
    }
    if (!config.webhookUrl || !config.webhookSecret) {
      await call('fail_bot_job', { p_message_id: job.message_id, p_error: 'The webhook bot has no URL or no credentials yet' });
      summary.failed += 1;
      return;
    }
    const delivery = await deliverWebhook(job, {
      url: config.webhookUrl, secret: config.webhookSecret, replyUrl,
      timeoutMs: options.webhookTimeoutMs ?? 5_000,
      attempts: options.webhookAttempts ?? 3,
      backoffMs: (retry) => 250 * 4 ** (retry - 1),
      fetch: doFetch,
      sleep: (ms) => new Promise((resolve) => timers.setTimeout(resolve, ms)),
    });
    if (delivery.ok) {
      // False: the bot replied before this was recorded (or a person took over): nothing to wait for.
      await call('mark_bot_job_sent', { p_message_id: job.message_id, p_deadline_seconds: options.replyDeadlineSeconds ?? 30 });
      summary.sent += 1;
      return;
    }
    log(`bot: webhook refused message ${job.message_id}: ${delivery.error}; handing over`);
    await call('fail_bot_job', { p_message_id: job.message_id, p_error: delivery.error });
    summary.failed += 1;
  }

  async function runOnce(): Promise<BotRunSummary> {
    const summary = emptySummary();
    const claimed = await call('claim_bot_jobs', { p_limit: batchSize, p_lease_seconds: leaseSeconds });
    if (!Array.isArray(claimed)) throw new Error('claim_bot_jobs did not answer a list');
    if (claimed.length === 0) return summary;
    const config = parseBotConfig(await call('chatbot_worker_config', {}));
    await Promise.all(claimed.map(async (row: unknown) => {
      try {
        await handle(parseBotJob(row), config, summary);
      } catch (error) {
        // Left leased: the next claim after the lease tries again (bounded by the job's attempts).
        summary.errors += 1;
        log(`bot: ${error instanceof Error ? error.message : String(error)}`);
      }
    }));
    return summary;
  }

  /** Runs rounds until one finds less than a full batch; a wake during a round asks for one more. */
  function wake(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    running = (async () => {
      do {
        again = false;
        try {
          const summary = await runOnce();
          const handled = summary.answered + summary.handedOver + summary.skipped + summary.sent + summary.failed + summary.errors;
          if (handled >= batchSize) again = true;
        } catch (error) {
          log(`bot: ${error instanceof Error ? error.message : String(error)}`);
          again = false;
        }
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
      if (!closed) timer = timers.setTimeout(wake, pollMs);
    });
  }

  async function start(): Promise<void> {
    if (closed) throw new Error('bot worker: closed');
    wake();
    if (options.realtime === false) return;
    await new Promise<void>((resolve) => {
      channel = client.channel('parley-bot-worker')
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: 'sender_type=eq.customer' }, () => wake())
        .subscribe((status, error) => {
          // Every (re)subscription may follow a gap in the feed: look for what arrived meanwhile.
          if (status === 'SUBSCRIBED') wake();
          else if (error) log(`bot: change feed ${status}: ${error.message}; polling every ${pollMs} ms meanwhile`);
          resolve();
        });
    });
  }

  return {
    runOnce,
    start,
    async close() {
      closed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      if (channel) await client.removeChannel(channel);
      await running;
      void client.realtime.disconnect();
    },
  };
}

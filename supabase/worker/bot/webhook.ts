/**
 * One webhook delivery: a signed POST, bounded in time and attempts. Network errors, timeouts and
 * 5xx are retried (the bot may be restarting); a 4xx is the bot saying no, and is final.
 */
import type { BotJob } from './job.ts';
import { signWebhook } from './signature.ts';

export interface DeliveryOptions {
  readonly url: string;
  readonly secret: string;
  /** Where the bot answers: `<supabase url>/rest/v1/rpc/bot_reply`. */
  readonly replyUrl: string;
  readonly timeoutMs: number;
  readonly attempts: number;
  /** The pause before retry number `retry` (1-based). */
  readonly backoffMs: (retry: number) => number;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
}

export type DeliveryResult = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly error: string };

export function webhookBody(job: BotJob, replyUrl: string): string {
  return JSON.stringify({ type: 'message.created', job, reply_url: replyUrl });
}

export async function deliverWebhook(job: BotJob, options: DeliveryOptions): Promise<DeliveryResult> {
  const body = webhookBody(job, options.replyUrl);
  let error = 'not attempted';
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    if (attempt > 1) await options.sleep(options.backoffMs(attempt - 1));
    try {
      // Signed per attempt: each carries its own timestamp, so a retry is not a replay.
      const response = await options.fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'parley-bot-worker', ...signWebhook(options.secret, body) },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true, status: response.status };
      error = `HTTP ${response.status}`;
      if (response.status < 500) return { ok: false, error };
    } catch (failure) {
      error = failure instanceof Error && failure.name === 'TimeoutError'
        ? `no answer within ${options.timeoutMs} ms`
        : `unreachable: ${failure instanceof Error ? failure.message : String(failure)}`;
    }
  }
  return { ok: false, error: `${error} (after ${options.attempts} attempts)` };
}

/**
 * `npm run worker`: Parley's background jobs in one process, against any Supabase project (README
 * "Chatbot" and "Reply emails"): the chatbot (unless BOT=off) and reply emails (unless
 * REPLY_MAIL=off). Environment: SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY for both; the bot's
 * BOT_POLL_MS (safety-net poll, default 10000); reply mail's SMTP_URL, MAIL_FROM, SITE_URL,
 * PUBLIC_URL, PORT and POLL_MS (supabase/worker/reply-mail/cli.ts).
 */
import { pathToFileURL } from 'node:url';
import { createBotWorker, type BotWorker } from './bot/worker.ts';
import { startReplyMailerFromEnv } from './reply-mail/cli.ts';
import type { ReplyMailer } from './reply-mail/worker.ts';

export interface RunningWorkers {
  readonly bot: BotWorker | undefined;
  readonly replyMail: ReplyMailer | undefined;
  close(): Promise<void>;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`${name} is required (see README "Chatbot")`);
  return value;
}

function switchedOff(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'on') return false;
  if (value === 'off') return true;
  throw new Error(`${name} must be on or off, got ${JSON.stringify(env[name])}`);
}

export async function startWorkersFromEnv(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<RunningWorkers> {
  const botOff = switchedOff(env, 'BOT');
  const mailOff = switchedOff(env, 'REPLY_MAIL');
  if (botOff && mailOff) throw new Error('BOT=off and REPLY_MAIL=off: nothing to run');
  const supabaseUrl = required(env, 'SUPABASE_URL');
  const serviceRoleKey = required(env, 'SUPABASE_SERVICE_ROLE_KEY');
  const pollMs = env.BOT_POLL_MS?.trim() ? Number(env.BOT_POLL_MS) : undefined;
  const bot = botOff ? undefined : createBotWorker({ supabaseUrl, serviceRoleKey, ...(pollMs === undefined ? {} : { pollMs }), log });
  let replyMail: ReplyMailer | undefined;
  try {
    replyMail = mailOff ? undefined : await startReplyMailerFromEnv(env);
    if (bot) {
      await bot.start();
      log(`bot worker following ${supabaseUrl}`);
    }
  } catch (error) {
    await bot?.close();
    await replyMail?.close();
    throw error;
  }
  return {
    bot,
    replyMail,
    async close() {
      await Promise.all([bot?.close(), replyMail?.close()]);
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startWorkersFromEnv(process.env).then((workers) => {
    const stop = () => void workers.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }, (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

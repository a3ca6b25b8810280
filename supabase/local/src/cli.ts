/**
 * `npm run stack`: the local Supabase stand-in in the foreground, like `supabase start` + `status`.
 * Flags: --reset (fresh database), --port N (API port, default $PORT or 54321), --quiet.
 * Environment: PORT, DATABASE_URL (use an existing server), JWT_SECRET, and GoTrue's names for the
 * auth rate limits: GOTRUE_RATE_LIMIT_ANONYMOUS_USERS (per hour), GOTRUE_RATE_LIMIT_OTP (sign-ups,
 * per 5 minutes), GOTRUE_RATE_LIMIT_TOKEN_REFRESH (sign-ins and refreshes, per 5 minutes),
 * GOTRUE_SECURITY_SB_FORWARDED_FOR_ENABLED (true/false), GOTRUE_RATE_LIMIT_EMAIL_SENT (per hour),
 * GOTRUE_RATE_LIMIT_VERIFY (per 5 minutes). Unset, GoTrue's defaults apply. SMTP_URL sends Auth's
 * mail to a real relay instead of the mail catcher (`<API URL>/mail/`), and so does the reply-mail worker
 * started alongside (MAIL_FROM its From; REPLY_MAIL=off leaves it out). The chatbot's worker runs
 * alongside too (BOT=off leaves it out); it answers only conversations whose chatbot is on.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createBotWorker, type BotWorker } from '../../worker/bot/worker.ts';
import { createReplyMailer, type ReplyMailer } from '../../worker/reply-mail/worker.ts';
import { createLocalStack, type LocalStack, type LocalStackOptions } from './index.ts';

export interface RunningStack {
  readonly stack: LocalStack;
  readonly apiUrl: string;
  /** The reply-mail worker (README "Reply emails"), unless REPLY_MAIL=off. */
  readonly replyMail: ReplyMailer | undefined;
  /** The chatbot's worker (README "Chatbot"), unless BOT=off. */
  readonly bot: BotWorker | undefined;
  /** Stops the workers, then the stack. */
  stop(): Promise<void>;
}

const DEMO_LOGINS = [
  ['admin@parley.test', 'parley-admin', 'Maya Chen, admin'],
  ['agent@parley.test', 'parley-agent', 'Sam Rivera, agent'],
  ['jordan@parley.test', 'parley-agent', 'Jordan Blake, agent'],
] as const;

/** Starts the stack on the given port; shared by `npm run stack` and `npm start`. */
export async function startStack(options: { reset: boolean; port: number; verbose: boolean; siteUrl?: string }): Promise<RunningStack> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const databasePort = databaseUrl ? undefined : await portIfFree(54322);
  const stack = await createLocalStack({
    reset: options.reset,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(databasePort ? { databasePort } : {}),
    ...(process.env.JWT_SECRET ? { jwtSecret: process.env.JWT_SECRET } : {}),
    authRateLimits: rateLimitsFromEnv(process.env),
    ...(options.siteUrl ? { siteUrl: options.siteUrl } : {}),
    ...(process.env.SMTP_URL ? { smtpUrl: process.env.SMTP_URL } : {}),
    log: options.verbose ? (line) => console.log(`  ${line}`) : logImportant,
  });
  try {
    const apiUrl = await stack.listen(options.port, '127.0.0.1');
    const replyMail = process.env.REPLY_MAIL === 'off' ? undefined : await startReplyMail(stack, apiUrl, options.siteUrl);
    const bot = process.env.BOT === 'off' ? undefined : await startBot(stack, apiUrl);
    return {
      stack, apiUrl, replyMail, bot,
      async stop() {
        await Promise.all([replyMail?.close(), bot?.close()]);
        await stack.close();
      },
    };
  } catch (error) {
    await stack.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`port ${options.port} is in use: stop the other stack or set PORT`, { cause: error });
    }
    throw error;
  }
}

/** The reply-mail worker against this stack: its mail goes where Auth's does (the catcher by default). */
async function startReplyMail(stack: LocalStack, apiUrl: string, siteUrl: string | undefined): Promise<ReplyMailer> {
  const mailer = createReplyMailer({
    supabaseUrl: apiUrl,
    serviceRoleKey: stack.keys.serviceRole,
    smtpUrl: process.env.SMTP_URL || stack.mail.smtpUrl,
    from: process.env.MAIL_FROM || 'Parley <noreply@parley.local>',
    siteUrl: siteUrl ?? 'http://127.0.0.1:3000',
    pollMs: 15_000,
    log: (line) => console.log(`  ${line}`),
  });
  await mailer.listen((await portIfFree(54326)) ?? 0, '127.0.0.1');
  mailer.start();
  return mailer;
}

/** The chatbot's worker against this stack, woken by its Postgres changes. */
export async function startBot(stack: LocalStack, apiUrl: string, log: (line: string) => void = (line) => console.log(`  ${line}`)): Promise<BotWorker> {
  const bot = createBotWorker({ supabaseUrl: apiUrl, serviceRoleKey: stack.keys.serviceRole, log });
  await bot.start();
  return bot;
}

const RATE_LIMIT_ENV = {
  anonymousUsers: 'GOTRUE_RATE_LIMIT_ANONYMOUS_USERS',
  signInSignUps: 'GOTRUE_RATE_LIMIT_OTP',
  tokenRefresh: 'GOTRUE_RATE_LIMIT_TOKEN_REFRESH',
  emailSent: 'GOTRUE_RATE_LIMIT_EMAIL_SENT',
  tokenVerifications: 'GOTRUE_RATE_LIMIT_VERIFY',
} as const;

/** The auth rate limits the environment sets, by GoTrue's variable names; a bad value names its variable. */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv): NonNullable<LocalStackOptions['authRateLimits']> {
  const limits: NonNullable<LocalStackOptions['authRateLimits']> = {};
  for (const [field, name] of Object.entries(RATE_LIMIT_ENV) as [keyof typeof RATE_LIMIT_ENV, string][]) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got ${JSON.stringify(raw)}`);
    limits[field] = value;
  }
  const forwarded = env.GOTRUE_SECURITY_SB_FORWARDED_FOR_ENABLED?.trim();
  if (forwarded) {
    if (forwarded !== 'true' && forwarded !== 'false') {
      throw new Error(`GOTRUE_SECURITY_SB_FORWARDED_FOR_ENABLED must be true or false, got ${JSON.stringify(forwarded)}`);
    }
    limits.sbForwardedFor = forwarded === 'true';
  }
  return limits;
}

export function statusText(running: RunningStack): string {
  const { stack, apiUrl } = running;
  const rows: [string, string][] = [
    ['API URL', apiUrl],
    ['REST URL', `${apiUrl}/rest/v1`],
    ['Realtime URL', `${apiUrl.replace(/^http/, 'ws')}/realtime/v1`],
    ['Storage URL', `${apiUrl}/storage/v1`],
    ['Mail catcher', `${apiUrl}/mail/`],
    ['Mail SMTP', stack.mail.smtpUrl],
    ['Reply mail', running.replyMail?.url ? `worker on, unsubscribe page ${running.replyMail.url}/unsubscribe` : 'off (REPLY_MAIL=off)'],
    ['Chatbot', running.bot ? 'worker on (answers conversations whose chatbot is on)' : 'off (BOT=off)'],
    ['DB URL', stack.databaseUrl],
    ['JWT secret', stack.keys.jwtSecret],
    ['anon key', stack.keys.anon],
    ['service_role key', stack.keys.serviceRole],
    ['Publishable key', stack.keys.publishable],
    ['Secret key', stack.keys.secret],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padStart(width)}: ${value}`);
  const logins = DEMO_LOGINS.map(([email, password, who]) => `  ${email.padEnd(20)} ${password.padEnd(14)} (${who})`);
  return [...lines, '', 'Demo logins (agent console):', ...logins].join('\n');
}

/** Stops the stack on Ctrl-C or SIGTERM so PostgreSQL shuts down cleanly and keeps its data. */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function logImportant(line: string): void {
  if (/^(bootstrap|migration|seed|database):/.test(line)) console.log(`  ${line}`);
}

async function portIfFree(port: number): Promise<number | undefined> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(undefined));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

export function apiPort(flag: string | undefined): number {
  const raw = flag ?? process.env.PORT ?? '54321';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${raw}`);
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reset: { type: 'boolean', default: false },
      port: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  console.log(values.reset ? 'Starting the Parley local stack on a fresh database…' : 'Starting the Parley local stack…');
  const running = await startStack({ reset: values.reset, port: apiPort(values.port), verbose: values.verbose });
  stopOnSignals(() => running.stop());
  console.log(`\nParley local stack started in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  console.log(statusText(running));
  console.log('\nPress Ctrl-C to stop.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

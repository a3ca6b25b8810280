/**
 * `npm run worker:reply-mail`: the reply-mail worker against any Supabase project.
 * Environment: SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, SMTP_URL (smtp:// or smtps://user:pass@host:port),
 * MAIL_FROM, SITE_URL (the page embedding the widget, for visitors whose last page is unknown),
 * PUBLIC_URL (where this worker's /unsubscribe is reachable from the internet), PORT (default 8787),
 * POLL_MS (default 15000).
 */
import { pathToFileURL } from 'node:url';
import { createReplyMailer, type ReplyMailer } from './worker.ts';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`${name} is required (see README "Reply emails")`);
  return value;
}

export async function startReplyMailerFromEnv(env: NodeJS.ProcessEnv): Promise<ReplyMailer> {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  const pollMs = env.POLL_MS ? Number(env.POLL_MS) : undefined;
  const mailer = createReplyMailer({
    supabaseUrl: required(env, 'SUPABASE_URL'),
    serviceRoleKey: required(env, 'SUPABASE_SERVICE_ROLE_KEY'),
    smtpUrl: required(env, 'SMTP_URL'),
    from: required(env, 'MAIL_FROM'),
    siteUrl: required(env, 'SITE_URL'),
    ...(env.PUBLIC_URL?.trim() ? { publicUrl: env.PUBLIC_URL.trim() } : {}),
    ...(pollMs === undefined ? {} : { pollMs }),
    log: (line) => console.log(line),
  });
  // Listens on all interfaces: the unsubscribe page must be reachable behind the platform's proxy.
  const url = await mailer.listen(port, env.HOST ?? '0.0.0.0');
  mailer.start();
  console.log(`reply-mail worker polling ${env.SUPABASE_URL}; unsubscribe page at ${url}/unsubscribe`);
  return mailer;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startReplyMailerFromEnv(process.env).then((mailer) => {
    const stop = () => void mailer.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }, (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

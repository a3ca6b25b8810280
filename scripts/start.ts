/**
 * `npm start`: the local Supabase stack plus the demo pages (a Vite dev server), one URL to open.
 * Environment: PORT (API, default 54321), DEMO_PORT (default 5173), DATABASE_URL, JWT_SECRET, SMTP_URL, and
 * the auth rate limits by GoTrue's names (see supabase/local/src/cli.ts). The demo keeps hosted
 * Supabase's defaults, so what a visitor or agent meets at a limit here is what they meet live.
 */
import pg from 'pg';
import { createDemoServer } from '../demo/dev-server.ts';
import { apiPort, startStack, statusText, stopOnSignals } from '../supabase/local/src/cli.ts';

const started = Date.now();
console.log('Starting Parley…');
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
// Mailed links without a redirect of their own lead to the demo's landing page.
const running = await startStack({
  reset: process.argv.includes('--reset'), port: apiPort(undefined), verbose: false, siteUrl: `http://127.0.0.1:${demoPort}`,
});
// The demo shows the chatbot: on a fresh database, new conversations start with it on and it answers
// from the seeded Lumen Prints knowledge base (test stacks keep the migration's 'never'). Only on a
// fresh database, so an admin's later choice in Settings survives restarts.
if (running.stack.migrations.seeded) {
  const db = new pg.Client({ connectionString: running.stack.databaseUrl });
  await db.connect();
  try {
    await db.query(`update public.workspace_settings set chatbot_start = 'always', chatbot_name = 'Lumi' where id`);
  } finally {
    await db.end();
  }
}
let demo: Awaited<ReturnType<typeof createDemoServer>>;
try {
  demo = await createDemoServer({ supabaseUrl: running.apiUrl, supabaseKey: running.stack.keys.anon, port: demoPort });
  await demo.listen();
} catch (error) {
  await running.stop();
  const code = (error as NodeJS.ErrnoException).code;
  const message = /port .* is already in use/i.test(String(error)) || code === 'EADDRINUSE'
    ? `port ${demoPort} is in use: stop the other server or set DEMO_PORT`
    : String(error);
  console.error(`Could not start the demo: ${message}`);
  process.exit(1);
}
stopOnSignals(async () => {
  await demo.close();
  await running.stop();
});

const url = demo.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? `http://127.0.0.1:${demoPort}`;
console.log(`\n${statusText(running)}\n`);
console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Open ${url}\n`);
console.log('Press Ctrl-C to stop.');

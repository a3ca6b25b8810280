/**
 * `npm start`: the local Supabase stack plus the demo server, one URL to open.
 * Environment: PORT (API, default 54321), DEMO_PORT (default 5173), DATABASE_URL, JWT_SECRET.
 */
import type { AddressInfo } from 'node:net';
import { createDemoServer } from '../demo/server.ts';
import { apiPort, startStack, statusText, stopOnSignals } from '../supabase/local/src/cli.ts';

const started = Date.now();
console.log('Starting Parley…');
const running = await startStack({ reset: process.argv.includes('--reset'), port: apiPort(undefined), verbose: false });
const demo = createDemoServer({ supabaseUrl: running.apiUrl, supabaseKey: running.stack.keys.anon });
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
await new Promise<void>((resolve, reject) => {
  demo.once('error', reject);
  demo.listen(demoPort, '127.0.0.1', () => resolve());
});
stopOnSignals(async () => {
  await new Promise<void>((resolve) => demo.close(() => resolve()));
  await running.stack.close();
});

const { port } = demo.address() as AddressInfo;
console.log(`\n${statusText(running)}\n`);
console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Open http://127.0.0.1:${port}\n`);
console.log('Press Ctrl-C to stop.');

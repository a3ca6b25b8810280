/**
 * Starts what the end-to-end suite runs against: the local stack on a fresh, throw-away database
 * (in a child process, so the dev server and the stack do not share an event loop) and the demo's
 * Vite dev server wired to it, both on free ports. Their addresses reach the specs through the
 * environment (helpers.ts `environment()`); the returned function stops both.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDemoServer } from '../demo/dev-server.ts';
import type { ChildStackBoot } from '../supabase/local/src/child.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const child = fork(fileURLToPath(new URL('../supabase/local/src/child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const boot = await new Promise<ChildStackBoot>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ChildStackBoot));
    child.once('exit', (code) => reject(new Error(`the local stack exited with ${code} before it was ready`)));
  });
  const demo = await createDemoServer({ supabaseUrl: boot.url, supabaseKey: boot.keys.anon, port: 0, logLevel: 'warn' });
  await demo.listen();
  const address = demo.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the demo server has no port');
  process.env['PARLEY_E2E_DEMO_URL'] = `http://127.0.0.1:${address.port}`;
  process.env['PARLEY_E2E_API_URL'] = boot.url;
  process.env['PARLEY_E2E_ANON_KEY'] = boot.keys.anon;
  process.env['PARLEY_E2E_SERVICE_KEY'] = boot.keys.serviceRole;
  return async () => {
    await demo.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await exited;
  };
}

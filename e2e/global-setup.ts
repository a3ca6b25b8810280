/**
 * Starts what the end-to-end suite runs against: the local stack on a fresh, throw-away database
 * (in a child process, so the dev server and the stack do not share an event loop) and the demo's
 * Vite dev server wired to it, both on free ports. Their addresses reach the specs through the
 * environment (helpers.ts `environment()`); the returned function stops both.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  const control = await startControl(child);
  process.env['PARLEY_E2E_CONTROL_URL'] = control.url;
  return async () => {
    await control.close();
    await demo.close();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    await exited;
  };
}

/**
 * The specs run in worker processes, the stack is this process's child: a small HTTP endpoint lets a
 * spec take the server down and bring it back on the same port (`POST /outage?down=1|0`, answered
 * once the child has done it; helpers.ts `serverOutage()`).
 */
async function startControl(child: ChildProcess): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    if (req.method !== 'POST' || url.pathname !== '/outage') {
      res.writeHead(404).end();
      return;
    }
    const down = url.searchParams.get('down') === '1';
    const onReply = (message: { type?: string; error?: string }) => {
      if (message.type !== 'outage') return;
      child.off('message', onReply);
      res.writeHead(message.error ? 500 : 204).end(message.error ?? '');
    };
    child.on('message', onReply);
    child.send({ type: 'outage', down });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

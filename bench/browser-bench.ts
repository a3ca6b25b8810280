/**
 * What the browser benches (bench:render, bench:latency) start alike: the local stack in a child
 * process (so its event loop is not the bench's), the demo pages against it — a production build
 * served statically, or Vite's dev server with Lit's development build — and Debian's Chromium.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createDemoServer } from '../demo/dev-server.ts';
import type { ChildStackBoot } from '../supabase/local/src/child.ts';
import { serveBuiltDemo, type BuiltDemo } from './render-build.ts';

export interface ChildStack {
  readonly boot: ChildStackBoot;
  readonly child: ChildProcess;
}

export async function startChildStack(): Promise<ChildStack> {
  const child = fork(fileURLToPath(new URL('../supabase/local/src/child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // The chatbot's worker subscribes to every customer message: not part of what is measured here.
    env: { ...process.env, PARLEY_BOT: 'off' },
  });
  const boot = await new Promise<ChildStackBoot>((resolve) => child.once('message', (m) => resolve(m as ChildStackBoot)));
  return { boot, child };
}

/** The demo pages for `boot`'s stack: built (the default; `minify` false for a readable profile) or the dev server. */
export async function serveDemo(boot: ChildStackBoot, options: { readonly dev: boolean; readonly minify?: boolean }): Promise<BuiltDemo> {
  const stack = { supabaseUrl: boot.url, supabaseKey: boot.keys.anon };
  if (!options.dev) return serveBuiltDemo(stack, { minify: options.minify ?? true });
  const server = await createDemoServer({ ...stack, port: 0, logLevel: 'warn' });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the demo server has no port');
  return { base: `http://127.0.0.1:${address.port}`, parleyScript: '**/parley.js', close: () => server.close() };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

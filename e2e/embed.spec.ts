/**
 * The built embed, as a site owner ships it: dist/parley.js (and dist/parley.iife.js) on a page
 * of another origin (a server of its own) with the Content-Security-Policy README.md recommends. Built once for
 * this file into a temporary folder (tests never read the repository's dist/).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { createClient } from '@supabase/supabase-js';
import { build } from 'vite';
import WebSocket from 'ws';
import { AGENT, bubble, conversationWith, environment, launcher, openChat, person, setHidden, unique, visitorLog, visitorSends } from './helpers.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
let outDir = '';
let server: http.Server | undefined;
/** The shop's origin: a server of its own, cross-origin to the stack like a real site. */
let SHOP = '';
/** The script tag the shop's page carries, and whether its policy allows workers, per test. */
let script = '';
let workers = true;

/** The policy README.md documents, for a project at `api`; `workers: false` leaves out `worker-src`. */
export function contentSecurityPolicy(api: string, workers = true): string {
  const ws = api.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${api} ${ws}`,
    workers ? "worker-src blob: 'self'" : "worker-src 'none'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

const page = (script: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>${script}</head>
<body><main><h1>A shop with a strict policy</h1></main>
<parley-launcher supabase-url="${environment().apiUrl}" supabase-key="${environment().anonKey}"></parley-launcher>
</body></html>`;

test.beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'parley-embed-'));
  for (const mode of ['embed', 'iife']) {
    await build({ root, mode, logLevel: 'warn', build: { outDir, emptyOutDir: false } });
  }
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy(environment().apiUrl, workers),
      });
      res.end(page(script));
      return;
    }
    const file = path.join(outDir, path.normalize(url.pathname));
    if (!file.startsWith(outDir)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  SHOP = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens the shop with `tag` in its head, recording requests and CSP violations. */
async function shop(target: Page, tag: string, allowWorkers = true): Promise<{ requests: string[]; violations: () => Promise<string[]> }> {
  script = tag;
  workers = allowWorkers;
  const requests: string[] = [];
  target.on('request', (request) => requests.push(request.url()));
  await target.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await target.goto(`${SHOP}/`);
  return {
    requests,
    violations: () => target.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  };
}

async function agentReply(conversationId: string, text: string): Promise<void> {
  const env = environment();
  const agent = createClient(env.apiUrl, env.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const { error } = await agent.auth.signInWithPassword({ email: AGENT.email, password: AGENT.password });
  if (error) throw error;
  const sent = await agent.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: text });
  if (sent.error) throw new Error(sent.error.message);
  await agent.auth.signOut();
}

test('dist/parley.js under a strict CSP: nothing but the stub before the first open, then a live chat', async ({ browser }) => {
  const visitor = await person(browser);
  const { requests, violations } = await shop(visitor.page, '<script type="module" src="/parley.js"></script>');
  await expect(bubble(visitor.page)).toBeVisible();
  expect(requests.filter((url) => !url.startsWith(SHOP)), 'no request to Supabase before the first open').toEqual([]);
  expect(requests.filter((url) => url.includes('/chunks/')), 'the chat panel is not loaded yet').toEqual([]);
  expect(await visitor.page.evaluate(() => Object.keys(localStorage)), 'nothing stored before the first open').toEqual([]);

  await openChat(visitor.page);
  const text = unique('Sent from a strict-CSP shop');
  await visitorSends(visitor.page, text);
  const id = await conversationWith(text);
  await agentReply(id, 'Reply under CSP');
  await expect(visitorLog(visitor.page)).toContainText('Reply under CSP');
  await expect(launcher(visitor.page).locator('parley-status').first()).toHaveAttribute('status', 'connected');
  expect(await violations()).toEqual([]);
  expect(readdirSync(path.join(outDir, 'chunks')).length).toBeGreaterThan(0);
  await visitor.context.close();
});

test('dist/parley.iife.js as a classic script under the same policy', async ({ browser }) => {
  const visitor = await person(browser);
  const { violations } = await shop(visitor.page, '<script src="/parley.iife.js" defer></script>');
  await openChat(visitor.page);
  const text = unique('Sent through the IIFE build');
  await visitorSends(visitor.page, text);
  await conversationWith(text);
  expect(await violations()).toEqual([]);
  await visitor.context.close();
});

test('a policy that forbids workers still gets a live chat: heartbeats fall back to the page\'s timers', async ({ browser }) => {
  const visitor = await person(browser);
  const { violations } = await shop(visitor.page, '<script type="module" src="/parley.js"></script>', false);
  await openChat(visitor.page);
  const text = unique('Sent where workers are forbidden');
  await visitorSends(visitor.page, text);
  const id = await conversationWith(text);
  expect(await violations(), 'no worker while the page is in front').toEqual([]);
  // Hidden, the widget tries its heartbeat worker (realtime-js never starts one of its own); the
  // policy blocks it, and the socket stays.
  await setHidden(visitor.page, true);
  await expect.poll(violations).toEqual(['worker-src blob']);
  await setHidden(visitor.page, false);
  await setHidden(visitor.page, true);
  await setHidden(visitor.page, false);
  await agentReply(id, 'Reply without a worker');
  await expect(visitorLog(visitor.page)).toContainText('Reply without a worker');
  await expect(launcher(visitor.page).locator('parley-status').first()).toHaveAttribute('status', 'connected');
  expect(await violations(), 'a blocked worker is not tried again').toEqual(['worker-src blob']);
  await visitor.context.close();
});

/** A visitor writes from the shop and closes the panel; the team answers. Returns the conversation. */
async function leftWithAReply(target: Page, allowWorkers: boolean): Promise<string> {
  await shop(target, '<script type="module" src="/parley.js"></script>', allowWorkers);
  await openChat(target);
  const text = unique('Back later');
  await visitorSends(target, text);
  const id = await conversationWith(text);
  await bubble(target).click();
  await expect(launcher(target).getByRole('dialog')).toBeHidden();
  await agentReply(id, 'Answered while you were away');
  return id;
}

test('a returning visitor: the built watch badges the closed bubble from its worker under the policy, and the next reply loads the chat', async ({ browser }) => {
  const visitor = await person(browser);
  const id = await leftWithAReply(visitor.page, true);

  // The next page view: the stub, then on idle the watch (its chunk and its worker's), not the chat.
  const { requests, violations } = await shop(visitor.page, '<script type="module" src="/parley.js"></script>');
  await expect(bubble(visitor.page)).toHaveAccessibleName('Open chat, 1 unread', { timeout: 15_000 });
  // Chunk names without their content hash (which may itself hold a `-`).
  const chunks = (): string[] => requests.filter((url) => url.includes('/chunks/')).map((url) => /\/chunks\/(app|watcher|watch-worker)-/.exec(url)?.[1] ?? url);
  expect(chunks()).toEqual(['watcher', 'watch-worker']);
  expect(await violations()).toEqual([]);

  await agentReply(id, 'And one more thing');
  // The stub's bubble counts it first; then the chat's own bubble takes over, with the same name.
  await expect(launcher(visitor.page).locator('parley-launcher-app').getByRole('button', { name: 'Open chat, 2 unread' }))
    .toBeVisible({ timeout: 15_000 });
  expect(chunks()).toContain('app');
  await openChat(visitor.page);
  await expect(visitorLog(visitor.page)).toContainText('And one more thing');
  expect(await violations()).toEqual([]);
  await visitor.context.close();
});

test('a returning visitor where workers are forbidden: the chat connects on idle instead and badges the bubble', async ({ browser }) => {
  const visitor = await person(browser);
  await leftWithAReply(visitor.page, false);

  const { requests, violations } = await shop(visitor.page, '<script type="module" src="/parley.js"></script>', false);
  await expect(bubble(visitor.page)).toHaveAccessibleName('Open chat, 1 unread', { timeout: 15_000 });
  expect(requests.some((url) => url.includes('/chunks/app-')), 'the chat loaded instead').toBe(true);
  expect(await violations()).toEqual(['worker-src blob']);
  await visitor.context.close();
});

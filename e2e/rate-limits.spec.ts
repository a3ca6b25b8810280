/**
 * Auth rate limits as people meet them: a stack of its own (the suite's stack raises its limits)
 * with one anonymous sign-in an hour and password sign-ins refilling at one per five minutes, the
 * demo pages wired to it. Its limiter's clock is moved over IPC, so "wait a minute" takes no time.
 * The visitor is told in words, keeps typing, and the draft goes out once when the chat can start;
 * the agent is told in words and the form keeps what was typed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { ViteDevServer } from 'vite';
import { createDemoServer } from '../demo/dev-server.ts';
import type { ChildStackBoot } from '../supabase/local/src/child.ts';
import { AGENT, inbox, launcher, pageErrors, person, unique, visitorLog } from './helpers.ts';
import { axeViolations } from './axe.ts';

const SCREENSHOTS = 'test-results/screenshots';
const RATE_LIMITED = 'Too many attempts from your network. Please wait a minute and try again.';

let child: ChildProcess | undefined;
let boot: ChildStackBoot;
let demo: ViteDevServer | undefined;
let demoUrl = '';

test.beforeAll(async () => {
  child = fork(fileURLToPath(new URL('../supabase/local/src/child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, PARLEY_AUTH_RATE_LIMITS: JSON.stringify({ anonymousUsers: 1, tokenRefresh: 1 }) },
  });
  const started = child;
  boot = await new Promise<ChildStackBoot>((resolve, reject) => {
    started.once('message', (message) => resolve(message as ChildStackBoot));
    started.once('exit', (code) => reject(new Error(`the rate-limited stack exited with ${code} before it was ready`)));
  });
  demo = await createDemoServer({ supabaseUrl: boot.url, supabaseKey: boot.keys.anon, port: 0, logLevel: 'warn' });
  await demo.listen();
  const address = demo.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the demo server has no port');
  demoUrl = `http://127.0.0.1:${address.port}`;
  mkdirSync(SCREENSHOTS, { recursive: true });
});

test.afterAll(async () => {
  await demo?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.disconnect();
    await exited;
  }
});

/** Lets the stack's rate limiter believe `ms` passed. */
function wait(ms: number): Promise<void> {
  const stack = child;
  if (!stack) throw new Error('no stack');
  return new Promise((resolve) => {
    const onReply = (message: { type?: string }) => {
      if (message.type !== 'auth-clock') return;
      stack.off('message', onReply);
      resolve();
    };
    stack.on('message', onReply);
    stack.send({ type: 'auth-clock', advanceMs: ms });
  });
}

async function auth(path: string, body: unknown): Promise<number> {
  const response = await fetch(`${boot.url}/auth/v1${path}`, {
    method: 'POST',
    headers: { apikey: boot.keys.anon, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.status;
}

async function messagesWith(text: string): Promise<number> {
  const response = await fetch(`${boot.url}/rest/v1/messages?select=id&content=eq.${encodeURIComponent(text)}`, {
    headers: { apikey: boot.keys.serviceRole, authorization: `Bearer ${boot.keys.serviceRole}` },
  });
  return ((await response.json()) as unknown[]).length;
}

test('a visitor refused for too many attempts is told so, keeps typing, and the draft goes out once when the chat can start', async ({ browser }) => {
  // Another visitor on this network took the hour's one anonymous sign-in.
  expect(await auth('/signup', {})).toBe(200);
  expect(await auth('/signup', {})).toBe(429);

  const visitor = await person(browser);
  const page = visitor.page;
  await page.goto(`${demoUrl}/customer/`);
  await launcher(page).getByRole('button', { name: /^Open chat/ }).click();
  const notice = launcher(page).getByRole('alert').filter({ hasText: RATE_LIMITED });
  await expect(notice).toBeVisible();
  const box = launcher(page).getByRole('textbox', { name: 'Message' });
  await expect(box).toBeEnabled();

  const draft = unique('Is the linen photo book still on sale?');
  await box.fill(draft);
  await box.press('Enter');
  // Sending tried to start again and was refused again: the draft is still there, once, and so is the caret.
  await expect(box).toBeEnabled();
  await expect(notice).toBeVisible();
  await expect(box).toHaveValue(draft);
  await expect(box).toBeFocused();
  await box.press('Enter');
  await expect(box).toBeEnabled();
  await expect(box).toHaveValue(draft);
  expect(await messagesWith(draft)).toBe(0);

  await launcher(page).locator('[part~="panel"]').screenshot({ path: `${SCREENSHOTS}/rate-limited-visitor.png` });
  expect(await axeViolations(page)).toEqual([]);

  // An hour later the network may sign in again: sending starts the chat and sends the draft, once.
  await wait(60 * 60 * 1000);
  await box.press('Enter');
  await expect(visitorLog(page)).toContainText(draft);
  await expect(notice).toBeHidden();
  await expect(box).toHaveValue('');
  await expect(box).toBeFocused();
  await expect.poll(() => messagesWith(draft)).toBe(1);
  await page.reload();
  await expect(visitorLog(page)).toContainText(draft);
  await expect(launcher(page).getByRole('textbox', { name: 'Message' })).toHaveValue('');
  expect(await messagesWith(draft)).toBe(1);
  // The refusals were answers, not page errors; the browser logs each failed request itself.
  expect(pageErrors(page).filter((e) => !/status of 429/.test(e))).toEqual([]);
  await visitor.context.close();
});

test('an agent refused for too many sign-ins is told so and the form keeps what was typed', async ({ browser }) => {
  // Someone on this network guessed passwords until the sign-in bucket (30, GoTrue's burst) ran dry.
  for (let i = 0; i < 30; i++) expect(await auth('/token?grant_type=password', { email: AGENT.email, password: `guess-${i}` })).toBe(400);

  const agent = await person(browser);
  const page = agent.page;
  await page.goto(`${demoUrl}/console/`);
  const console = inbox(page);
  await console.getByLabel('Email').fill(AGENT.email);
  await console.getByLabel('Password').fill(AGENT.password);
  await console.getByRole('button', { name: 'Sign in' }).click();
  await expect(console.getByRole('alert').filter({ hasText: RATE_LIMITED })).toBeVisible();
  await expect(console.getByLabel('Email')).toHaveValue(AGENT.email);
  await expect(console.getByLabel('Password')).toHaveValue(AGENT.password);
  await console.locator('form').screenshot({ path: `${SCREENSHOTS}/rate-limited-agent.png` });
  expect(await axeViolations(page)).toEqual([]);

  // Five minutes refill one sign-in: the same form, submitted again, gets in.
  await wait(5 * 60 * 1000);
  await console.getByRole('button', { name: 'Sign in' }).click();
  await expect(console.getByRole('listbox', { name: 'Conversations' })).toBeVisible({ timeout: 15_000 });
  expect(pageErrors(page).filter((e) => !/status of 429/.test(e))).toEqual([]);
  await agent.context.close();
});

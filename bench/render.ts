/**
 * `npm run bench:render`: what a message costs the page, on both roots, with a long thread open
 * (issue 12, "a message costs the page almost nothing"). Prints tables; it is not a test.
 *
 * The local stack runs in a child process, the demo pages built by Vite in production mode and
 * served statically (bench/render-build.ts: what a site and an agent run; BENCH_RENDER_DEV=1 uses
 * Vite's dev server instead, with Lit's development build and Vite's client), Chromium with one
 * context per person. A visitor's first visit to the demo shop opens the
 * panel and sends one message; PostgreSQL then grows that conversation to BENCH_RENDER_HISTORY
 * messages (default 400, bench/render-seed.ts). Then, with main-thread cost read from the CDP
 * Performance domain of each page (bench/render-metrics.ts):
 *
 * 1. Idle connect: the shop for that returning visitor (the launcher's watch connects on idle to badge
 *    replies) and for a first visit, each against the same page without Parley
 *    (bench/render-connect.ts).
 * 2. The visitor's shop with the panel open, the agent's console with the conversation selected,
 *    and a floor page subscribed to the same conversation that only appends text
 *    (bench/render-floor.ts). Both threads are scrolled to the top until the whole history is
 *    loaded (the DOM size there is the worst case), then back to the newest message.
 * 3. BENCH_RENDER_MESSAGES messages (default 20) from the visitor, one at a time, each awaited
 *    until it shows on the other two pages and is confirmed in the sender's thread; then as many
 *    from the agent, then from the floor page. Every page's task time, layouts and style
 *    recalculations over a phase (until its main thread is quiet again) are divided by the
 *    number of messages. The sender's figure includes everything a send brings about there
 *    (the optimistic row, the confirmation, the other side's read receipt).
 * 4. Idle: BENCH_RENDER_IDLE_MS (default 10 s) with nothing happening, task time and timer
 *    callbacks fired, with where those timers were scheduled (bench/render-page.ts).
 *
 * The bench's own instruments run in every page alike (the chat's and the floor's): a mutation
 * observer noting message markers, one `evaluate` per message and page, wrapped timers. Figures
 * are main-thread wall time, so a busy machine inflates chat and floor alike: read the ratios.
 * BENCH_RENDER_CONNECT_RUNS (default 3) sets the idle-connect runs; BENCH_RENDER_ONLY=connect stops
 * after them (printing their table); BENCH_RENDER_PROFILE=1 also profiles one returning visit
 * (self time by script and function) and the message phases (bench/render-trace.ts), on an
 * unminified build; the whole bench takes a few minutes on the 2-core machine.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { launchChromium, serveDemo, startChildStack } from './browser-bench.ts';
import { connectCost, profileVisit } from './render-connect.ts';
import { startRenderFloor } from './render-floor.ts';
import { Meter, costBetween, perMessage, type Cost } from './render-metrics.ts';
import {
  PAGE_HELPERS, benchText, runningAnimations, scrollThread, sendFrom, shown, threadSize, timerCounts, traceTimers, watch,
  type ThreadSize, type TimerCounts,
} from './render-page.ts';
import {
  printConnect, printIdle, printMessages, printSizes, type IdleRow, type MessageRow, type SizeRow,
} from './render-report.ts';
import { lastSeededText, seedConversation } from './render-seed.ts';
import { TRACE_CATEGORIES, printProfile, printTrace, startProfile, summariseTrace, traceLabel } from './render-trace.ts';

const MESSAGES = Number(process.env.BENCH_RENDER_MESSAGES ?? 20);
const HISTORY = Number(process.env.BENCH_RENDER_HISTORY ?? 400);
const IDLE_MS = Number(process.env.BENCH_RENDER_IDLE_MS ?? 10_000);
const CONNECT_RUNS = Number(process.env.BENCH_RENDER_CONNECT_RUNS ?? 3);
const IDLE_SETTLE_MS = 2000;
const ONLY_CONNECT = process.env.BENCH_RENDER_ONLY === 'connect';
/** Thrown to skip the message phases (BENCH_RENDER_ONLY=connect) and still close everything. */
const CONNECT_DONE = Symbol('connect only');
/** Where to write a Chromium trace of the message phases (BENCH_RENDER_TRACE=1: a temporary file); it inflates the figures. */
const TRACE = process.env.BENCH_RENDER_TRACE === '1' ? `${process.env.TMPDIR ?? '/tmp'}/bench-render-trace-${process.pid}.json` : process.env.BENCH_RENDER_TRACE;

const VISITOR_ROOT = ['parley-launcher', 'parley-launcher-app'] as const;
const AGENT_ROOT = ['parley-inbox'] as const;
const FLOOR_LOG = ['#log'] as const;
const threadOf = (root: readonly string[]): string[] => [...root, 'parley-thread'];
const AGENT = { id: '00000000-0000-4000-a000-000000000002', email: 'agent@parley.test', password: 'parley-agent' };
const HELLO = 'Hello, starting the render benchmark';

const log = (line: string): void => console.log(`· ${line}`);

/** `promise`, or an error naming what did not happen within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`bench:render: ${what} did not happen within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Scrolls the thread to one end until nothing changes any more (older pages load on the way up). */
async function scrollToEnd(page: Page, root: readonly string[], to: 'top' | 'bottom'): Promise<ThreadSize> {
  let last = '';
  let still = 0;
  let size = await threadSize(page, root);
  for (let i = 0; i < 120 && still < 5; i += 1) {
    await scrollThread(page, root, to);
    await sleep(200);
    size = await threadSize(page, root);
    const key = `${size.held}:${size.rows}:${size.scrollTop}:${size.fromBottom}`;
    still = key === last ? still + 1 : 0;
    last = key;
  }
  return size;
}

const { boot, child } = await startChildStack();
const DEV = process.env.BENCH_RENDER_DEV === '1';
/** The demo pages, and what they are served as (for the report). */
const demo = await serveDemo(boot, { dev: DEV, minify: process.env.BENCH_RENDER_PROFILE !== '1' });
const base = demo.base;
const served = DEV ? "Vite's dev server (Lit development build)" : 'a production build (vite build, served statically)';
const floor = await startRenderFloor();
const db = new pg.Pool({ connectionString: boot.databaseUrl, max: 1 });

const browser = await launchChromium();
try {
  const started = Date.now();
  // The visitor's first visit: a session in this context and a conversation to grow.
  const visitorContext = await browser.newContext();
  {
    const first = await visitorContext.newPage();
    await first.goto(`${base}/customer/`);
    await first.locator('parley-launcher').getByRole('button', { name: /^Open chat/ }).click();
    const box = first.locator('parley-launcher').getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    await first.waitForFunction(() => {
      const app = document.querySelector('parley-launcher')?.shadowRoot?.querySelector('parley-launcher-app');
      const composer = app?.shadowRoot?.querySelector('parley-composer');
      return composer !== null && composer !== undefined && !composer.hasAttribute('disabled');
    });
    await box.fill(HELLO);
    await box.press('Enter');
    await first.locator('parley-launcher').getByRole('log').getByText(HELLO).waitFor();
    for (let i = 0; i < 100; i += 1) {
      const { rowCount } = await db.query('select 1 from public.messages where content = $1', [HELLO]);
      if (rowCount) break;
      await sleep(100);
    }
    await first.close();
  }
  const { rows: [hello] } = await db.query<{ conversation_id: string; sender_id: string }>(
    'select conversation_id, sender_id from public.messages where content = $1', [HELLO]);
  if (!hello) throw new Error('the first visit did not send its message');
  await seedConversation(db, { conversationId: hello.conversation_id, customerId: hello.sender_id, agentId: AGENT.id, total: HISTORY });
  log(`seeded a ${HISTORY}-message conversation (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  // Before the measured pages open, so nothing else runs in this visitor's browser meanwhile.
  const returning = await connectCost(browser, visitorContext, `${base}/customer/`, demo.parleyScript, CONNECT_RUNS);
  const firstVisit = await connectCost(browser, null, `${base}/customer/`, demo.parleyScript, CONNECT_RUNS);
  log(`idle connect measured (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (process.env.BENCH_RENDER_PROFILE === '1') {
    for (const line of await profileVisit(visitorContext, `${base}/customer/`)) console.log(line);
  }
  if (ONLY_CONNECT) {
    console.log(`\nbench:render (idle connect only): ${HISTORY}-message thread, pages from ${served}`);
    printConnect(returning, firstVisit, CONNECT_RUNS);
    throw CONNECT_DONE;
  }

  const visitor = await visitorContext.newPage();
  const agent = await (await browser.newContext()).newPage();
  const floorPage = await (await browser.newContext()).newPage();
  for (const page of [visitor, agent, floorPage]) await page.addInitScript(PAGE_HELPERS);

  const lastSeeded = lastSeededText(HISTORY);
  await visitor.goto(`${base}/customer/`);
  // Clicks as events, not with the mouse: a pointer left over the page makes Chromium hit-test
  // and update hover after every layout, which no reader's idle pointer costs on every message.
  await visitor.locator('parley-launcher').getByRole('button', { name: /^Open chat/ }).dispatchEvent('click');
  await visitor.locator('parley-launcher').getByRole('log').getByText(lastSeeded).waitFor();

  await agent.goto(`${base}/console/`);
  const inbox = agent.locator('parley-inbox');
  await inbox.getByLabel('Email').fill(AGENT.email);
  await inbox.getByLabel('Password').fill(AGENT.password);
  await inbox.getByRole('button', { name: 'Sign in' }).dispatchEvent('click');
  await inbox.getByRole('option').filter({ hasText: lastSeeded }).dispatchEvent('click');
  await inbox.getByRole('log').getByText(lastSeeded).waitFor();

  await floorPage.goto(floor.url);
  await floor.start(floorPage, { url: boot.url, key: boot.keys.anon, email: AGENT.email, password: AGENT.password, conversationId: hello.conversation_id });

  const sizes: SizeRow[] = [];
  for (const [name, page, root] of [['visitor', visitor, VISITOR_ROOT], ['agent', agent, AGENT_ROOT]] as const) {
    sizes.push({ root: name, where: 'as opened', size: await threadSize(page, root) });
    sizes.push({ root: name, where: 'scrolled to the top, whole history loaded', size: await scrollToEnd(page, root, 'top') });
    await scrollToEnd(page, root, 'bottom');
  }
  await watch(visitor, threadOf(VISITOR_ROOT));
  await watch(agent, threadOf(AGENT_ROOT));
  await watch(floorPage, FLOOR_LOG);
  log(`pages open, histories loaded (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  const pages = [visitor, agent, floorPage];
  const PAGE_NAMES = ['visitor', 'agent', 'floor'] as const;
  const meters = await Promise.all(pages.map((page) => Meter.attach(page)));
  let nextId = 0;
  /** Sends `n` messages one at a time with `send`, each awaited on its sender and on every page. */
  const sendMessages = async (n: number, send: (text: string) => Promise<void>): Promise<void> => {
    for (let i = 0; i < n; i += 1) {
      const id = nextId;
      nextId += 1;
      await Promise.all([
        within(send(benchText(id)), 15_000, `message ${id} confirmed on its sender`),
        ...pages.map((page, p) => within(shown(page, id), 15_000, `message ${id} shown on the ${PAGE_NAMES[p]} page`)),
      ]);
    }
  };
  /** Every page's counters once all three main threads are quiet, and when. */
  const mark = async (): Promise<{ costs: Cost[]; at: number }> => {
    await Promise.all(meters.map((meter) => meter.quiet()));
    return { costs: await Promise.all(meters.map((meter) => meter.read())), at: Date.now() };
  };
  const fromVisitor = (text: string): Promise<void> => sendFrom(visitor, VISITOR_ROOT, text);
  const fromAgent = (text: string): Promise<void> => sendFrom(agent, AGENT_ROOT, text);
  const fromFloor = (text: string): Promise<void> => floor.send(floorPage, text);

  // Warm-up, unmeasured: the first arrival after scrolling shrinks the window back to its usual size.
  for (const send of [fromVisitor, fromAgent, fromFloor]) await sendMessages(1, send);
  if (TRACE) {
    await browser.startTracing(undefined, { path: TRACE, categories: TRACE_CATEGORIES });
    await Promise.all(pages.map((page, p) => traceLabel(page, PAGE_NAMES[p] as string)));
  }
  const PROFILE = process.env.BENCH_RENDER_PROFILE === '1';
  const profiles = PROFILE ? await Promise.all([visitor, agent].map((page) => startProfile(page))) : [];
  /** With the profile, every page's requests during the message phases, by method and path. */
  const requests = PAGE_NAMES.map(() => new Map<string, number>());
  if (PROFILE) {
    pages.forEach((page, p) => page.on('request', (request) => {
      const key = `${request.method()} ${new URL(request.url()).pathname}`;
      const counts = requests[p] as Map<string, number>;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }));
  }
  const marks = [await mark()];
  for (const send of [fromVisitor, fromAgent, fromFloor]) {
    await sendMessages(MESSAGES, send);
    marks.push(await mark());
  }
  if (TRACE) await browser.stopTracing();
  const profiled = await Promise.all(profiles.map((profile) => profile.stop()));
  log(`messages sent (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  // Idle: after a pause for what the phases leave behind (garbage collection on idle), every page quiet.
  await sleep(IDLE_SETTLE_MS);
  const idleStart = await mark();
  const timersBefore = await Promise.all(pages.map((page) => timerCounts(page)));
  await Promise.all(pages.map((page) => traceTimers(page, true)));
  await sleep(IDLE_MS);
  const idleAfter = await Promise.all(meters.map((meter) => meter.read()));
  const idleMs = Date.now() - idleStart.at;
  const timersAfter = await Promise.all(pages.map((page) => timerCounts(page)));
  const sites = await Promise.all(pages.map((page) => traceTimers(page, false)));
  const animations = await Promise.all(pages.map((page) => runningAnimations(page)));
  const fired = (i: number): TimerCounts => {
    const [a, b] = [timersBefore[i] as TimerCounts, timersAfter[i] as TimerCounts];
    return { timeout: b.timeout - a.timeout, interval: b.interval - a.interval, raf: b.raf - a.raf, idle: b.idle - a.idle };
  };
  const idle: IdleRow[] = PAGE_NAMES.map((name, i) => ({
    page: name, cost: costBetween(idleStart.costs[i] as Cost, idleAfter[i] as Cost), timers: fired(i),
    sites: sites[i] ?? [], animations: animations[i] ?? [],
  }));

  sizes.push({ root: 'visitor', where: 'after the run', size: await threadSize(visitor, VISITOR_ROOT) });
  sizes.push({ root: 'agent', where: 'after the run', size: await threadSize(agent, AGENT_ROOT) });

  /** Page `p`'s cost per message in phase `k` (0: the visitor sends, 1: the agent, 2: the floor page). */
  const cost = (k: number, p: number): Cost => {
    const [from, to] = [marks[k], marks[k + 1]] as [{ costs: Cost[] }, { costs: Cost[] }];
    return perMessage(costBetween(from.costs[p] as Cost, to.costs[p] as Cost), MESSAGES);
  };
  const [VISITOR, AGENT_PAGE, FLOOR] = [0, 1, 2];
  const messages: MessageRow[] = [
    { root: 'visitor (shop, panel open)', direction: 'received', chat: cost(1, VISITOR), floor: cost(1, FLOOR) },
    { root: 'visitor (shop, panel open)', direction: 'sent', chat: cost(0, VISITOR), floor: cost(2, FLOOR) },
    { root: 'agent (console)', direction: 'received', chat: cost(0, AGENT_PAGE), floor: cost(0, FLOOR) },
    { root: 'agent (console)', direction: 'sent', chat: cost(1, AGENT_PAGE), floor: cost(2, FLOOR) },
  ];
  console.log(`\nbench:render: ${HISTORY}-message thread, ${MESSAGES} messages per phase, demo pages from ${served}, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  printMessages(messages, MESSAGES);
  printIdle(idle, idleMs);
  printSizes(sizes, HISTORY);
  printConnect(returning, firstVisit, CONNECT_RUNS);
  for (const [i, self] of profiled.entries()) printProfile(PAGE_NAMES[i] as string, self, 3 * MESSAGES);
  if (PROFILE) {
    for (const [p, counts] of requests.entries()) {
      console.log(`\nRequests, ${PAGE_NAMES[p]}, per message: ${[...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${(n / (3 * MESSAGES)).toFixed(2)} ${key}`).join('; ')}`);
    }
  }
  if (TRACE) {
    console.log(`\nTraced the message phases into ${TRACE} (every page sees each of the ${3 * MESSAGES} messages, sent or received).`);
    printTrace(await summariseTrace(TRACE), 3 * MESSAGES);
  }
} catch (error) {
  if (error !== CONNECT_DONE) throw error;
} finally {
  await browser.close();
  await floor.close();
  await demo.close();
  await db.end();
  child.disconnect();
}

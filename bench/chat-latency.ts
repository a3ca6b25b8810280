/**
 * `npm run bench:latency`: how long a message takes from one person's widget to the other's
 * screen, through everything real: the demo pages in Chromium, the widget's stores and realtime
 * controller, supabase-js, the local stack and PostgreSQL. Prints a table; it is not a test.
 *
 * A visitor on the demo shop and an agent in the console (two browser contexts) send each other
 * BENCH_MESSAGES messages in turn. The clock starts when the send reaches the sending root element
 * (a `parley-send` event, as the composer dispatches on Enter) and stops when the text is in the
 * other side's message log (a MutationObserver in that page). Both pages read one machine clock.
 *
 * Between messages both pages settle (BENCH_SETTLE_MS, default 250 ms, then an idle callback on
 * each page), as two people reading before they answer would: what is measured is one message's
 * way, not a queue behind the previous message's aftermath (its read receipt, its confirmation).
 * The relay floor settles the same way. BENCH_SETTLE_MS=0 measures messages back to back.
 *
 * In the same run, interleaved, the same two-page measurement through a plain relay (HTTP POST,
 * then a WebSocket frame, appended to a log: bench/relay-floor.ts) gives the floor; the chat's p50
 * is printed as a multiple of it. Each message's time is also split where it goes: in the sending
 * page until supabase-js calls fetch for insert_message; from there to the row's timestamp in its
 * transaction (the browser's network stack and the local stack's REST path); from that timestamp to
 * the postgres_changes frame reaching the other page (commit, logical decoding, the RLS check,
 * encoding, the socket); and in the receiving page until the text is in its log.
 *
 * The pages are the demo's production build (bench/render-build.ts), what a site and an agent
 * run; BENCH_LATENCY_DEV=1 uses Vite's dev server (Lit's development build, unbundled modules).
 */
import pg from 'pg';
import type { Page } from 'playwright-core';
import { startRelayFloor } from './relay-floor.ts';
import { launchChromium, serveDemo, startChildStack } from './browser-bench.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 250);

/** Ids at and above this are floor messages. */
const FLOOR_IDS = 1_000_000;

/**
 * In-page: the element at the end of a path of selectors, each inside the previous one's shadow
 * root; when each bench message is sent, leaves the page as a request, arrives as a frame, and
 * shows in the log (epoch milliseconds, sub-millisecond precision).
 */
const PAGE_HELPERS = `
  const now = () => performance.timeOrigin + performance.now();
  const mark = (text, map) => {
    for (const match of text.matchAll(/bench-(\\d+)-end/g)) if (!map.has(match[1])) map.set(match[1], now());
  };
  window.__deep = (path) => {
    let node = document;
    for (const selector of path) {
      const root = node === document ? document : node.shadowRoot;
      node = root && root.querySelector(selector);
      if (!node) return null;
    }
    return node;
  };
  window.__arrivals = new Map();
  window.__requests = new Map();
  window.__frames = new Map();
  window.__watch = (path) => {
    const log = window.__deep(path);
    if (!log) throw new Error('no message log at ' + path.join(' > '));
    new MutationObserver(() => mark(log.textContent || '', window.__arrivals))
      .observe(log, { subtree: true, childList: true, characterData: true });
  };
  window.__send = (path, text) => {
    const composer = window.__deep(path);
    if (!composer) throw new Error('no composer at ' + path.join(' > '));
    const sentAt = now();
    composer.dispatchEvent(new CustomEvent('parley-send', { detail: { text }, bubbles: true, composed: true, cancelable: true }));
    return sentAt;
  };
  const pageFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input);
    if (url.includes('/rpc/insert_message') && typeof init?.body === 'string') mark(init.body, window.__requests);
    return pageFetch.apply(this, arguments);
  };
  const PageSocket = window.WebSocket;
  window.WebSocket = class extends PageSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (typeof event.data === 'string' && event.data.includes('"table":"messages"')) mark(event.data, window.__frames);
      });
    }
  };
`;

const VISITOR_ROOT = ['parley-launcher', 'parley-launcher-app'];
const AGENT_ROOT = ['parley-inbox'];
const logOf = (root: readonly string[]): string[] => [...root, 'parley-thread', '[role="log"]'];
const composerOf = (root: readonly string[]): string[] => [...root, 'parley-composer'];

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface PageMarks {
  __arrivals: Map<string, number>;
  __requests: Map<string, number>;
  __frames: Map<string, number>;
  __send(path: string[], text: string): number;
  __floorSend(text: string): number;
  __watch(path: string[]): void;
}

/** One message, sent on `from` and awaited on `to`: its send time and the other screen's time. */
interface Sample {
  readonly id: number;
  readonly sentAt: number;
  readonly shownAt: number;
}

async function arrival(to: Page, id: number): Promise<number> {
  const handle = await to.waitForFunction((key) => (window as unknown as PageMarks).__arrivals.get(key) ?? 0, String(id), { timeout: 15_000, polling: 5 });
  return handle.jsonValue();
}

async function exchange(from: Page, fromRoot: readonly string[], to: Page, id: number): Promise<Sample> {
  const sentAt = await from.evaluate(([path, body]) => (window as unknown as PageMarks).__send(path, body), [composerOf(fromRoot), `bench-${id}-end`] as const);
  return { id, sentAt, shownAt: await arrival(to, id) };
}

/** Lets the pages finish what the last message brought about before the next one is sent. */
async function settle(pages: readonly Page[]): Promise<void> {
  if (SETTLE_MS <= 0) return;
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await Promise.all(pages.map((page) => page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1000 })))));
}

async function floorExchange(from: Page, to: Page, id: number): Promise<Sample> {
  const sentAt = await from.evaluate((body) => (window as unknown as PageMarks).__floorSend(body), `bench-${id}-end`);
  return { id, sentAt, shownAt: await arrival(to, id) };
}

/** What a page recorded per message id. */
async function marksOf(page: Page): Promise<{ requests: Map<string, number>; frames: Map<string, number> }> {
  const [requests, frames] = await page.evaluate(() => {
    const marks = window as unknown as PageMarks;
    return [[...marks.__requests], [...marks.__frames]];
  });
  return { requests: new Map(requests), frames: new Map(frames) };
}

const { boot, child } = await startChildStack();
const demo = await serveDemo(boot, { dev: process.env.BENCH_LATENCY_DEV === '1' });
const base = demo.base;
const floor = await startRelayFloor();
const db = new pg.Pool({ connectionString: boot.databaseUrl, max: 1 });

const browser = await launchChromium();
try {
  const visitor = await (await browser.newContext()).newPage();
  const agent = await (await browser.newContext()).newPage();
  await visitor.addInitScript(PAGE_HELPERS);
  await agent.addInitScript(PAGE_HELPERS);

  await visitor.goto(`${base}/customer/`);
  await visitor.locator('parley-launcher').getByRole('button', { name: /^Open chat/ }).click();
  const box = visitor.locator('parley-launcher').getByRole('textbox', { name: 'Message' });
  await box.waitFor();
  await visitor.waitForFunction((path) => {
    const composer = (window as unknown as { __deep(p: string[]): Element | null }).__deep(path);
    return composer !== null && !composer.hasAttribute('disabled');
  }, composerOf(VISITOR_ROOT));
  await box.fill('Hello, starting the benchmark');
  await box.press('Enter');

  await agent.goto(`${base}/console/`);
  const inbox = agent.locator('parley-inbox');
  await inbox.getByLabel('Email').fill('agent@parley.test');
  await inbox.getByLabel('Password').fill('parley-agent');
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  await inbox.getByRole('option').filter({ hasText: 'Hello, starting the benchmark' }).click();
  await inbox.getByRole('log').getByText('Hello, starting the benchmark').waitFor();
  await visitor.evaluate((path) => (window as unknown as PageMarks).__watch(path), logOf(VISITOR_ROOT));
  await agent.evaluate((path) => (window as unknown as PageMarks).__watch(path), logOf(AGENT_ROOT));

  const floorA = await (await browser.newContext()).newPage();
  const floorB = await (await browser.newContext()).newPage();
  for (const page of [floorA, floorB]) {
    await page.addInitScript(PAGE_HELPERS);
    await page.goto(floor.url);
    await page.evaluate(() => (window as unknown as { __ready: Promise<void> }).__ready);
    await page.evaluate(() => (window as unknown as PageMarks).__watch(['#log']));
  }

  // Interleaved, so the chat and its floor see the same machine load.
  const toAgent: Sample[] = [];
  const toVisitor: Sample[] = [];
  const floorSamples: Sample[] = [];
  for (let i = 0; i < MESSAGES; i += 1) {
    toAgent.push(await exchange(visitor, VISITOR_ROOT, agent, 2 * i));
    await settle([visitor, agent]);
    toVisitor.push(await exchange(agent, AGENT_ROOT, visitor, 2 * i + 1));
    await settle([visitor, agent]);
    floorSamples.push(await floorExchange(floorA, floorB, FLOOR_IDS + 2 * i));
    await settle([floorA, floorB]);
    floorSamples.push(await floorExchange(floorB, floorA, FLOOR_IDS + 2 * i + 1));
    await settle([floorA, floorB]);
  }

  const stamps = new Map((await db.query<{ content: string; at: number }>(
    "select content, extract(epoch from created_at) * 1000 as at from public.messages where content like 'bench-%-end'",
  )).rows.map((row) => [/bench-(\d+)-end/.exec(row.content)?.[1] ?? '', Number(row.at)]));
  const [visitorMarks, agentMarks] = [await marksOf(visitor), await marksOf(agent)];

  const totals = (samples: readonly Sample[]) => samples.map((sample) => sample.shownAt - sample.sentAt);
  const p50 = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);
  const row = (label: string, values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    const cells = [50, 95, 99].map((p) => percentile(sorted, p).toFixed(0));
    return `| ${label} | ${values.length} | ${cells.join(' | ')} | ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} |`;
  };
  console.log(`\nMessage latency, send to the other side's screen (ms), ${MESSAGES} each way, ${SETTLE_MS > 0 ? `pages settled ${SETTLE_MS} ms + idle between messages` : 'back to back'}:\n`);
  console.log('| direction | messages | p50 | p95 | p99 | max |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('visitor → agent', totals(toAgent)));
  console.log(row('agent → visitor', totals(toVisitor)));
  console.log(row('relay floor (HTTP POST → WebSocket → log)', totals(floorSamples)));
  const floorP50 = p50(totals(floorSamples));
  const ratios = [toAgent, toVisitor].map((samples) => p50(totals(samples)) / floorP50);
  console.log(`\nAt p50, visitor → agent is ${ratios[0]?.toFixed(1)}× the floor and agent → visitor ${ratios[1]?.toFixed(1)}× `
    + `(target ≤ 2.5×) → ${ratios.every((ratio) => ratio <= 2.5) ? 'met' : 'NOT met'}`);

  // Where each message's time goes, from the marks both pages and the database recorded.
  const shares = (samples: readonly Sample[], sender: typeof visitorMarks, receiver: typeof visitorMarks) => {
    const split = { page: [] as number[], request: [] as number[], feed: [] as number[], screen: [] as number[] };
    for (const { id, sentAt, shownAt } of samples) {
      const key = String(id);
      const [requestAt, stamp, frameAt] = [sender.requests.get(key), stamps.get(key), receiver.frames.get(key)];
      if (requestAt === undefined || stamp === undefined || frameAt === undefined) continue;
      split.page.push(requestAt - sentAt);
      split.request.push(stamp - requestAt);
      split.feed.push(frameAt - stamp);
      split.screen.push(shownAt - frameAt);
    }
    const cells = [split.page, split.request, split.feed, split.screen].map((values) => p50(values).toFixed(1));
    return `| ${cells.join(' | ')} | ${split.page.length} |`;
  };
  console.log('\nWhere the time goes, p50 per share (ms):\n');
  console.log('| direction | sending page until fetch | fetch → row stamped in its transaction | transaction → frame at the other page | receiving page until the log shows it | messages |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(`| visitor → agent ${shares(toAgent, visitorMarks, agentMarks)}`);
  console.log(`| agent → visitor ${shares(toVisitor, agentMarks, visitorMarks)}`);
} finally {
  await browser.close();
  await floor.close();
  await demo.close();
  await db.end();
  child.disconnect();
}

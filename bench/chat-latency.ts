/**
 * `npm run bench:latency`: how long a message takes from one person's widget to the other's
 * screen, through everything real: the demo pages in Chromium, the widget's stores and realtime
 * controller, supabase-js, the local stack and PostgreSQL. Prints a table; it is not a test.
 *
 * A visitor on the demo shop and an agent in the console (two browser contexts) send each other
 * BENCH_MESSAGES messages in turn. The clock starts when the send reaches the sending root element
 * (a `parley-send` event, as the composer dispatches on Enter) and stops when the text is in the
 * other side's message log (a MutationObserver in that page). Both pages read one machine clock.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { createDemoServer } from '../demo/dev-server.ts';
import type { ChildStackBoot } from '../supabase/local/src/child.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100);

/** In-page: the element at the end of a path of selectors, each inside the previous one's shadow root. */
const PAGE_HELPERS = `
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
  window.__watch = (path) => {
    const log = window.__deep(path);
    if (!log) throw new Error('no message log at ' + path.join(' > '));
    new MutationObserver(() => {
      const text = log.textContent || '';
      for (const match of text.matchAll(/bench-(\\d+)-end/g)) {
        if (!window.__arrivals.has(match[1])) window.__arrivals.set(match[1], Date.now());
      }
    }).observe(log, { subtree: true, childList: true, characterData: true });
  };
  window.__send = (path, text) => {
    const composer = window.__deep(path);
    if (!composer) throw new Error('no composer at ' + path.join(' > '));
    const sentAt = Date.now();
    composer.dispatchEvent(new CustomEvent('parley-send', { detail: { text }, bubbles: true, composed: true, cancelable: true }));
    return sentAt;
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

async function exchange(from: Page, fromRoot: readonly string[], to: Page, index: number): Promise<number> {
  const text = `bench-${index}-end`;
  const sentAt = await from.evaluate(([path, body]) => (window as unknown as { __send(p: string[], t: string): number }).__send(path, body), [composerOf(fromRoot), text] as const);
  const handle = await to.waitForFunction((id) => (window as unknown as { __arrivals: Map<string, number> }).__arrivals.get(id) ?? 0, String(index), { timeout: 15_000, polling: 5 });
  return (await handle.jsonValue()) - sentAt;
}

const child = fork(fileURLToPath(new URL('../supabase/local/src/child.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const boot = await new Promise<ChildStackBoot>((resolve) => child.once('message', (m) => resolve(m as ChildStackBoot)));
const demo = await createDemoServer({ supabaseUrl: boot.url, supabaseKey: boot.keys.anon, port: 0, logLevel: 'warn' });
await demo.listen();
const address = demo.httpServer?.address();
if (!address || typeof address === 'string') throw new Error('the demo server has no port');
const base = `http://127.0.0.1:${address.port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
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
  await visitor.evaluate((path) => (window as unknown as { __watch(p: string[]): void }).__watch(path), logOf(VISITOR_ROOT));
  await agent.evaluate((path) => (window as unknown as { __watch(p: string[]): void }).__watch(path), logOf(AGENT_ROOT));

  const toAgent: number[] = [];
  const toVisitor: number[] = [];
  for (let i = 0; i < MESSAGES; i += 1) {
    toAgent.push(await exchange(visitor, VISITOR_ROOT, agent, 2 * i));
    toVisitor.push(await exchange(agent, AGENT_ROOT, visitor, 2 * i + 1));
  }

  const row = (label: string, values: number[]): string => {
    const sorted = [...values].sort((a, b) => a - b);
    const cells = [50, 95, 99].map((p) => percentile(sorted, p).toFixed(0));
    return `| ${label} | ${values.length} | ${cells.join(' | ')} | ${(sorted.at(-1) ?? Number.NaN).toFixed(0)} |`;
  };
  console.log(`\nMessage latency, send to the other side's screen (ms), ${MESSAGES} each way:\n`);
  console.log('| direction | messages | p50 | p95 | p99 | max |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('visitor → agent', toAgent));
  console.log(row('agent → visitor', toVisitor));
} finally {
  await browser.close();
  await demo.close();
  child.disconnect();
}

/**
 * Issue #9: after the server crashes and restarts on the same port, both roots are back as soon as
 * it answers, not when realtime-js's own backoff (1, 2, 5, then every 10 s) gets round to it.
 * Each page records, with its own clock, every realtime socket it opens and closes and every change
 * of its `<parley-status>`; the test then checks an order, not a duration: `connected` came before
 * the retry realtime-js had scheduled would even have started.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  agentLog, expectRealtimeTransport, inbox, launcher, person, serverOutage, unique, visitorLog, visitorSends, visitorWritesAgentOpens,
} from './helpers.ts';

/** realtime-js's `RECONNECT_INTERVALS` (SUPABASE-WIRE.md §1.4): the delay before retry n, the last repeating. */
const REALTIME_JS_RETRY_MS = [1000, 2000, 5000, 10000];

interface Entry {
  readonly t: number;
  readonly e: string;
}

/** Runs in the page before its scripts: logs realtime sockets and `<parley-status>` changes. */
function recorder(): void {
  const log: Entry[] = [];
  (window as unknown as { __parleyLog: Entry[] }).__parleyLog = log;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if (!String(url).includes('/realtime/v1/websocket')) return;
      log.push({ t: Date.now(), e: 'socket' });
      this.addEventListener('open', () => log.push({ t: Date.now(), e: 'open' }));
      this.addEventListener('close', () => log.push({ t: Date.now(), e: 'close' }));
    }
  };
  const find = (root: Document | ShadowRoot): Element | null => {
    const hit = root.querySelector('parley-status');
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      const inner = el.shadowRoot ? find(el.shadowRoot) : null;
      if (inner) return inner;
    }
    return null;
  };
  let last: string | null = null;
  setInterval(() => {
    const status = find(document)?.getAttribute('status') ?? null;
    if (status !== last) log.push({ t: Date.now(), e: `status:${status}` });
    last = status;
  }, 10);
}

async function entries(page: Page): Promise<Entry[]> {
  return page.evaluate(() => (window as unknown as { __parleyLog: Entry[] }).__parleyLog);
}

test('after a server restart both roots are connected before realtime-js would even have retried', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  await visitor.context.addInitScript(recorder);
  await agent.context.addInitScript(recorder);

  const first = unique('Is the store open on Sunday?');
  await visitorWritesAgentOpens(visitor.page, agent.page, first);
  const statuses = [launcher(visitor.page).locator('parley-status'), inbox(agent.page).locator('parley-status')];
  for (const status of statuses) await expect(status).toHaveAttribute('status', 'connected');
  const pages = [visitor.page, agent.page];

  const downAt = Date.now();
  await serverOutage(true);
  try {
    for (const status of statuses) await expect(status).toHaveAttribute('status', 'reconnecting');
    // Let realtime-js's backoff move on: the dropped socket and two failed retries (after 1 s and
    // 2 s more), so its next retry is 5 s away when the server comes back.
    for (const page of pages) {
      await expect.poll(async () => (await entries(page)).filter((x) => x.t >= downAt && x.e === 'close').length,
        { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    }
  } finally {
    await serverOutage(false);
  }
  const upAt = Date.now();
  for (const status of statuses) await expect(status).toHaveAttribute('status', 'connected', { timeout: 20_000 });

  for (const [i, page] of pages.entries()) {
    const log = await entries(page);
    const closes = log.filter((x) => x.e === 'close' && x.t >= downAt && x.t <= upAt);
    const lastClose = closes.at(-1);
    if (!lastClose) throw new Error('no socket closed during the outage');
    const retry = REALTIME_JS_RETRY_MS[Math.min(closes.length, REALTIME_JS_RETRY_MS.length) - 1] ?? 10000;
    const realtimeJsRetryAt = lastClose.t + retry;
    const connectedAt = log.find((x) => x.e === 'status:connected' && x.t >= upAt)?.t;
    const reopenedAt = log.find((x) => x.e === 'open' && x.t >= upAt)?.t;
    test.info().annotations.push({
      type: i === 0 ? 'visitor' : 'agent',
      description: `connected ${(connectedAt ?? NaN) - upAt} ms after the server was back; realtime-js's own retry was due ${realtimeJsRetryAt - upAt} ms after`,
    });
    expect(reopenedAt, 'a socket opened after the restart').toBeDefined();
    expect(connectedAt, 'connected after the restart').toBeDefined();
    expect(connectedAt as number).toBeLessThan(realtimeJsRetryAt);
  }

  // And the connection is really live again, both ways.
  const after = unique('still there?');
  await visitorSends(visitor.page, after);
  await expect(agentLog(agent.page).getByText(after, { exact: true })).toHaveCount(1);
  await expect(visitorLog(visitor.page).getByText(after, { exact: true })).toHaveCount(1);
  expectRealtimeTransport(visitor.page);
  expectRealtimeTransport(agent.page);
  await visitor.context.close();
  await agent.context.close();
});

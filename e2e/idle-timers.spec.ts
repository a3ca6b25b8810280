/**
 * Issue 12: an idle widget does no work, so no timer of Parley's runs while nothing changes.
 *
 * The visitor's page gets Playwright's fake clock before its scripts run, and on top of it a spy
 * that notes, for every timer callback that fires (timeouts, intervals, animation frames, idle
 * callbacks), who scheduled it: the innermost script frame at the call, Parley's sources (`/src/`),
 * a library (`/node_modules/`, here supabase-js) or the page (the demo shop, and Vite's dev client,
 * whose connection check is an interval of its own). With the panel open after
 * a message, the clock is paused and moved on five minutes, 5 s at a time, each step waiting for the
 * reply to any heartbeat it sent (the network is real: without that, fake minutes pass between a
 * heartbeat and its reply, realtime-js takes the socket for dead and the reconnect is work, not
 * idleness), and nothing of Parley's may fire.
 *
 * supabase-js's own timers are counted apart: realtime-js re-arms its heartbeat timeout on every
 * reply (how a dead socket is noticed, and what keeps a live chat live); the test requires it to
 * show up, which proves the spy sees the timers the fake clock fires. auth-js's 30 s interval that
 * checks whether the session needs renewing is off (`autoRefreshToken: false`): the heartbeat asks
 * for the token and renews it near its expiry (test/browser/session-flows.test.ts), so no interval
 * of supabase-js's may fire (the demo page's own, Vite's connection check, is not ours).
 */
import { expect, test } from '@playwright/test';
import { openChat, openCustomerPage, person, unique, visitorSends } from './helpers.ts';

interface TimerSpy {
  /** Fired callbacks by who scheduled them, since counting started. */
  readonly fired: { parley: number; library: number; page: number };
  /** `who: api @ script:line` for each scheduling site that fired, with its count. */
  readonly sites: [string, number][];
}

type SpyWindow = Window & { __timerSpy: { start(): void; report(): TimerSpy } };

/** Runs in the page after the fake clock is installed, so it wraps the clock's functions. */
function installTimerSpy(): void {
  const fired = { parley: 0, library: 0, page: 0 };
  const sites = new Map<string, number>();
  let counting = false;
  const scheduler = (): { who: keyof typeof fired; site: string } => {
    // The first frame with a URL is the code that asked for the timer (this spy has none).
    const frame = (new Error().stack ?? '').split('\n').find((line) => /https?:\/\//.test(line)) ?? '';
    const site = frame.replace(/^\s*at\s+/, '').replace(/\?[^:)]*/, '').slice(-160);
    const who = frame.includes('/node_modules/') ? 'library' : frame.includes('/src/') ? 'parley' : 'page';
    return { who, site };
  };
  const target = window as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const api of ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback']) {
    const original = target[api] as (...args: unknown[]) => unknown;
    target[api] = function (this: unknown, handler: unknown, ...rest: unknown[]): unknown {
      if (typeof handler !== 'function') return original.call(this, handler, ...rest);
      const { who, site } = scheduler();
      const wrapped = function (this: unknown, ...args: unknown[]): unknown {
        if (counting) {
          fired[who] += 1;
          const key = `${who}: ${api} @ ${site}`;
          sites.set(key, (sites.get(key) ?? 0) + 1);
        }
        return (handler as (...a: unknown[]) => unknown).apply(this, args);
      };
      return original.call(this, wrapped, ...rest);
    };
  }
  (window as unknown as SpyWindow).__timerSpy = {
    start() {
      counting = true;
      fired.parley = fired.library = fired.page = 0;
      sites.clear();
    },
    report: () => ({ fired: { ...fired }, sites: [...sites].sort((a, b) => b[1] - a[1]) }),
  };
}

test('an open, idle launcher fires no timer of its own while the clock moves on five minutes', async ({ browser }) => {
  const { context, page } = await person(browser);
  try {
    // Heartbeats go over the real network: the clock moves on only once each has its reply.
    let heartbeats = 0;
    let replies = 0;
    page.on('websocket', (socket) => {
      const phoenix = (payload: string | Buffer): boolean => typeof payload === 'string' && payload.includes('"phoenix"');
      socket.on('framesent', ({ payload }) => {
        if (phoenix(payload) && payload.includes('heartbeat')) heartbeats += 1;
      });
      socket.on('framereceived', ({ payload }) => {
        if (phoenix(payload) && payload.includes('phx_reply')) replies += 1;
      });
    });
    await page.clock.install();
    await page.addInitScript(installTimerSpy);
    await openCustomerPage(page);
    await openChat(page);
    await visitorSends(page, unique('Anyone there while I wait?'));
    // Confirmed by the server: nothing is left in flight before the clock stops.
    await expect(page.locator('parley-launcher').locator('[part~="pending"]')).toHaveCount(0);
    await expect(page.locator('parley-launcher').locator('[part~="message"]')).not.toHaveCount(0);

    // From now on time moves only when the test says so, and every callback it fires is noted.
    const now = await page.evaluate(() => Date.now());
    await page.clock.pauseAt(now + 1000);
    await page.evaluate(() => (window as unknown as SpyWindow).__timerSpy.start());
    for (let i = 0; i < 60; i += 1) {
      await page.clock.runFor(5_000);
      await expect.poll(() => replies, 'the heartbeat answered').toBeGreaterThanOrEqual(heartbeats);
    }
    const report = await page.evaluate(() => (window as unknown as SpyWindow).__timerSpy.report());

    test.info().annotations.push({ type: 'timers fired in 5 idle minutes', description: JSON.stringify(report) });
    expect(report.fired.library, `the spy sees supabase-js's timers (${JSON.stringify(report.sites)})`).toBeGreaterThan(0);
    expect(report.sites.filter(([site]) => site.startsWith('parley:')), "Parley's timers that fired").toEqual([]);
    expect(report.fired.parley).toBe(0);
    expect(report.sites.filter(([site]) => site.startsWith('library: setInterval')), "supabase-js's intervals that fired").toEqual([]);
  } finally {
    await context.close();
  }
});

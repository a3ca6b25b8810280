/**
 * What Parley costs a host page that has it but is not being used: the demo shop loaded with
 * `/parley.js` and loaded with `/parley.js` answered by an empty module (the same page without
 * Parley, the floor), main-thread task time from the document's start until the page is idle.
 *
 * - A returning visitor (a browser context that already holds a visitor session): the launcher's
 *   watch connects on idle from its worker so replies badge the bubble (or, where no worker runs,
 *   the chat itself). "Idle" is taken after the first realtime join
 *   is acknowledged (a `phx_reply` with status ok on a channel topic, seen in the page's
 *   WebSocket frames by the bench, not by the page) and the main thread then stays quiet.
 * - A first visit (a fresh context): nothing should happen beyond drawing the bubble.
 *
 * Runs alternate with and without Parley, after one unmeasured pair that warms the dev server's
 * transforms and the context's caches; each figure is the median of the runs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Meter, medianCost, type Cost } from './render-metrics.ts';

export interface VisitCost {
  readonly cost: Cost;
  /** A realtime channel join was acknowledged (null when none was waited for). */
  readonly joined: boolean | null;
  /** The unread badge's text once idle, or null without one. */
  readonly badge: string | null;
}

export interface ConnectFigures {
  /** Medians over the runs, field by field. */
  readonly parley: Cost;
  readonly floor: Cost;
  readonly runs: readonly { readonly parley: VisitCost; readonly floor: VisitCost }[];
}

const JOIN_TIMEOUT_MS = 15_000;

/** Resolves with true on the first acknowledged channel join in `page`, false after the timeout. */
function joinSeen(page: Page): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), JOIN_TIMEOUT_MS);
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        // Heartbeat replies are phx_reply too, on the `phoenix` topic.
        if (typeof payload === 'string' && payload.includes('phx_reply') && payload.includes('"ok"') && !payload.includes('"phoenix"')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    });
  });
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

/**
 * One returning visit under the CDP Profiler (BENCH_RENDER_PROFILE=1): self time by function and by
 * script, where the main thread's time goes, to find what to cut.
 */
export async function profileVisit(context: BrowserContext, url: string): Promise<string[]> {
  const page = await context.newPage();
  try {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    const meter = await Meter.attach(page);
    const joined = joinSeen(page);
    const requests = new Map<string, number>();
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (!pathname.includes('/rest/') && !pathname.includes('/auth/')) return;
      const key = `${request.method()} ${pathname}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    });
    // Whether the page's scripts came from the HTTP cache (where V8's code cache for them lives).
    const scripts: string[] = [];
    await cdp.send('Network.enable');
    cdp.on('Network.responseReceived', ({ response, type }) => {
      if (type !== 'Script') return;
      const from = response.fromDiskCache ? 'disk cache' : response.fromPrefetchCache ? 'prefetch cache' : `network ${response.status}`;
      scripts.push(`${response.url.replace(/^.*\//, '')}: ${from}`);
    });
    await cdp.send('Profiler.start');
    await page.goto(url, { waitUntil: 'load' });
    await joined;
    await meter.quiet();
    const { profile } = await cdp.send('Profiler.stop') as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    const byNode = new Map<number, number>();
    profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    const parents = new Map<number, ProfileNode>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
    const frame = (node: ProfileNode): string => {
      const { functionName, url: script, lineNumber } = node.callFrame;
      const file = script.replace(/^.*\//, '').replace(/\?.*$/, '') || '(native)';
      return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    };
    const byFunction = new Map<string, number>();
    const byScript = new Map<string, number>();
    for (const node of profile.nodes) {
      const ms = byNode.get(node.id) ?? 0;
      const { functionName, url: script } = node.callFrame;
      if (['(idle)', '(program)', '(root)'].includes(functionName)) continue;
      const file = script.replace(/^.*\//, '').replace(/\?.*$/, '') || '(native)';
      // A native function's time is its caller's doing: name both.
      const parent = parents.get(node.id);
      const key = script === '' && parent ? `${frame(node)} <- ${frame(parent)}` : frame(node);
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
      byScript.set(file, (byScript.get(file) ?? 0) + ms);
    }
    const top = (map: Map<string, number>, n: number): string[] =>
      [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `${ms.toFixed(1).padStart(7)} ms  ${name}`);
    const calls = [...requests].map(([name, n]) => `${String(n).padStart(3)} x  ${name}`);
    return ['scripts:', ...scripts, 'requests to the project:', ...calls, 'self time by script:', ...top(byScript, 12), 'self time by function:', ...top(byFunction, 40)];
  } finally {
    await page.close();
  }
}

async function visit(context: BrowserContext, url: string, script: string, withParley: boolean, waitForJoin: boolean): Promise<VisitCost> {
  const page = await context.newPage();
  try {
    if (!withParley) {
      await page.route(script, (route) => route.fulfill({ contentType: 'text/javascript', body: 'export {};' }));
    }
    const meter = await Meter.attach(page);
    const joined = waitForJoin ? joinSeen(page) : Promise.resolve(null);
    await page.goto(url, { waitUntil: 'load' });
    const didJoin = await joined;
    await meter.quiet();
    const cost = await meter.read();
    const badge = withParley
      ? await page.evaluate(() => {
        const stub = document.querySelector('parley-launcher');
        // The stub's own badge while its watch runs, else the full launcher's.
        const app = [...(stub?.shadowRoot?.querySelectorAll('*') ?? [])].find((element) => element.shadowRoot);
        const badge = stub?.shadowRoot?.querySelector('[part~="badge"]:not([hidden])') ?? app?.shadowRoot?.querySelector('[part~="badge"]');
        return badge?.textContent?.trim() ?? null;
      })
      : null;
    await meter.detach();
    return { cost, joined: didJoin, badge };
  } finally {
    await page.close();
  }
}

/**
 * Alternating runs on `url`, each in a new page of `context` (the returning visitor), or of a
 * new context per page when `context` is null (first visits). `script` is the URL glob of the
 * page's Parley script (parley.js on the dev server, the shop's entry chunk in a build).
 */
export async function connectCost(
  browser: Browser, context: BrowserContext | null, url: string, script: string, runs: number,
): Promise<ConnectFigures> {
  const returning = context !== null;
  const one = async (withParley: boolean): Promise<VisitCost> => {
    const target = context ?? await browser.newContext();
    try {
      return await visit(target, url, script, withParley, returning && withParley);
    } finally {
      if (!context) await target.close();
    }
  };
  await one(true);
  await one(false);
  const measured: { parley: VisitCost; floor: VisitCost }[] = [];
  for (let i = 0; i < runs; i += 1) {
    const parley = await one(true);
    const floor = await one(false);
    measured.push({ parley, floor });
  }
  return {
    parley: medianCost(measured.map((run) => run.parley.cost)),
    floor: medianCost(measured.map((run) => run.floor.cost)),
    runs: measured,
  };
}

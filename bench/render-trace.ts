/**
 * `BENCH_RENDER_TRACE=1 npm run bench:render`: where a message's main-thread time goes. The
 * browser records a Chromium trace over the message phases; this reads it back and, per page
 * (renderer process), sums the self time of every event on the main thread by name, and counts
 * layouts and style recalculations forced by script (those with a stack: a layout read after a
 * write) by the function that forced them, and what dirtied each layout: the invalidations
 * (element, reason, the script frame that made them) recorded since the layout before it.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: {
    readonly name?: string;
    readonly data?: {
      readonly message?: string;
      readonly nodeName?: string;
      readonly reason?: string;
      readonly stackTrace?: readonly StackFrame[];
    };
    readonly beginData?: { readonly stackTrace?: readonly StackFrame[]; readonly partialLayout?: boolean };
  };
}

interface StackFrame { readonly functionName?: string; readonly url?: string; readonly lineNumber?: number }

/** Chromium trace categories for main-thread work, paint included, with stacks of forced layouts. */
export const TRACE_CATEGORIES = [
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack', 'v8', 'blink', 'cc',
  'disabled-by-default-devtools.timeline.invalidationTracking',
];

export interface PageTrace {
  /** Self milliseconds by event name, most first. */
  readonly self: readonly (readonly [string, number])[];
  /** Layouts and style recalcs forced by script, by the script frame that forced them, most first. */
  readonly forced: readonly (readonly [string, number])[];
  /** Layouts by what dirtied them (each distinct cause counted once per layout), most first. */
  readonly layoutCauses: readonly (readonly [string, number])[];
  readonly layouts: number;
  /** Layouts that started at relayout boundaries (Chromium's subtree layout), not at the page's root. */
  readonly subtreeLayouts: number;
  /** The median layout's milliseconds. */
  readonly layoutMedianMs: number;
}

const frameName = (frames: readonly StackFrame[] | undefined, depth: number): string =>
  (frames ?? []).slice(0, depth).map((f) => `${f.functionName || '(anonymous)'}@${(f.url ?? '').replace(/^.*\//, '')}:${f.lineNumber ?? 0}`).join(' < ');

/** Each layout's causes: the layout invalidations on `tid` since the layout before it. */
function layoutCauses(events: readonly TraceEvent[], pid: number, tid: number | undefined): { causes: Map<string, number>; layouts: number } {
  const causes = new Map<string, number>();
  let pending = new Set<string>();
  let layouts = 0;
  const ordered = events.filter((event) => event.pid === pid && event.tid === tid
    && (event.name === 'LayoutInvalidationTracking' || (event.name === 'Layout' && event.ph === 'X')))
    .sort((a, b) => a.ts - b.ts);
  for (const event of ordered) {
    if (event.name === 'Layout') {
      layouts += 1;
      for (const cause of pending.size > 0 ? pending : new Set(['(no invalidation recorded)'])) causes.set(cause, (causes.get(cause) ?? 0) + 1);
      pending = new Set();
      continue;
    }
    const data = event.args?.data;
    pending.add(`${data?.nodeName ?? '?'} ${data?.reason ?? '?'}${data?.stackTrace ? ` ← ${frameName(data.stackTrace, 2)}` : ''}`);
  }
  return { causes, layouts };
}

/** Marks the trace with `page`'s name from inside it (a `TimeStamp` event), so its renderer can be told apart. */
export const traceLabel = (page: Page, name: string): Promise<void> =>
  page.evaluate((label) => console.timeStamp(label), `${LABEL}${name}`);

const LABEL = 'bench-render:';

/** Reads `path` and summarises the main thread of each renderer labelled with `traceLabel`. */
export async function summariseTrace(path: string): Promise<Record<string, PageTrace>> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const pidOf = new Map<number, string>();
  for (const event of events) {
    const message = event.name === 'TimeStamp' ? event.args?.data?.message : undefined;
    if (message?.startsWith(LABEL)) pidOf.set(event.pid, message.slice(LABEL.length));
  }
  const mainThread = new Map<number, number>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain') mainThread.set(event.pid, event.tid);
  }
  const out: Record<string, PageTrace> = {};
  for (const [pid, page] of pidOf) {
    const tid = mainThread.get(pid);
    const own = events.filter((event) => event.pid === pid && event.tid === tid && event.ph === 'X' && event.dur !== undefined)
      .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const self = new Map<string, number>();
    const forced = new Map<string, number>();
    const stack: { end: number; name: string }[] = [];
    for (const event of own) {
      const end = event.ts + (event.dur ?? 0);
      while (stack.length > 0 && (stack[stack.length - 1] as { end: number }).end <= event.ts) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (event.dur ?? 0) / 1000);
      self.set(event.name, (self.get(event.name) ?? 0) + (event.dur ?? 0) / 1000);
      stack.push({ end, name: event.name });
      const frames = event.args?.beginData?.stackTrace;
      if ((event.name === 'Layout' || event.name === 'UpdateLayoutTree') && frames && frames.length > 0) {
        const key = `${event.name}: ${frameName(frames, 3)}`;
        forced.set(key, (forced.get(key) ?? 0) + 1);
      }
    }
    const { causes, layouts } = layoutCauses(events, pid, tid);
    const layoutEvents = own.filter((event) => event.name === 'Layout');
    const durations = layoutEvents.map((event) => (event.dur ?? 0) / 1000).sort((a, b) => a - b);
    out[page] = {
      subtreeLayouts: layoutEvents.filter((event) => event.args?.beginData?.partialLayout === true).length,
      layoutMedianMs: durations[Math.floor(durations.length / 2)] ?? 0,
      self: [...self].filter(([, ms]) => ms >= 0.5).sort((a, b) => b[1] - a[1]),
      forced: [...forced].sort((a, b) => b[1] - a[1]),
      layoutCauses: [...causes].sort((a, b) => b[1] - a[1]),
      layouts,
    };
  }
  return out;
}

/** Prints each page's summary, per message (`n` messages in the traced window). */
export function printTrace(summary: Readonly<Record<string, PageTrace>>, n: number, top = 14): void {
  for (const [page, { self, forced, layoutCauses: causes, layouts, subtreeLayouts, layoutMedianMs }] of Object.entries(summary)) {
    console.log(`\nTrace, ${page}: main-thread self ms per message (${n} messages)`);
    for (const [name, ms] of self.slice(0, top)) console.log(`  ${(ms / n).toFixed(2).padStart(7)}  ${name}`);
    if (forced.length > 0) console.log('  forced by script (count per message):');
    for (const [where, count] of forced.slice(0, 8)) console.log(`  ${(count / n).toFixed(2).padStart(7)}  ${where}`);
    console.log(`  ${(layouts / n).toFixed(2)} layouts per message, ${subtreeLayouts} of ${layouts} from relayout boundaries (the rest from the page's root), `
      + `median ${layoutMedianMs.toFixed(2)} ms; what dirtied them (layouts per message):`);
    for (const [cause, count] of causes.slice(0, 16)) console.log(`  ${(count / n).toFixed(2).padStart(7)}  ${cause}`);
  }
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

/** A CPU profile (CDP Profiler) started on `page`; `stop` returns self ms by function, most first. */
export async function startProfile(page: Page): Promise<{ stop(): Promise<[string, number][]> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = await cdp.send('Profiler.stop');
      await cdp.detach().catch(() => undefined);
      const nodes = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node as ProfileNode]));
      const self = new Map<string, number>();
      const deltas = profile.timeDeltas ?? [];
      for (const [i, id] of (profile.samples ?? []).entries()) {
        const node = nodes.get(id);
        if (!node) continue;
        const { functionName, url, lineNumber } = node.callFrame;
        const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
      }
      return [...self].sort((a, b) => b[1] - a[1]);
    },
  };
}

/** Prints a profile's top functions by self time, per message. */
export function printProfile(page: string, self: readonly (readonly [string, number])[], n: number, top = 25): void {
  console.log(`\nCPU profile, ${page}: self ms per message (${n} messages)`);
  for (const [name, ms] of self.slice(0, top)) console.log(`  ${(ms / n).toFixed(2).padStart(7)}  ${name}`);
}

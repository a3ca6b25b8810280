/**
 * The tables `bench:render` prints, each with issue 12's target beside the figure.
 */
import type { ConnectFigures } from './render-connect.ts';
import type { Cost } from './render-metrics.ts';
import { COMPOSING_ENDS, CONSOLE_HEARTBEAT, NAMED_TIMERS, REALTIME_HEARTBEAT, RELATIVE_TIME, type ThreadSize, type TimerCounts } from './render-page.ts';

/** Issue 12, item 2. */
export const TARGETS = { messageMs: 8, messageLayouts: 1, threadNodes: 5000, connectMs: 50 } as const;

export interface MessageRow {
  readonly root: string;
  readonly direction: 'received' | 'sent';
  /** Per message, on the chat's page. */
  readonly chat: Cost;
  /** Per message, on the floor page, for the same messages (received) or its own sends (sent). */
  readonly floor: Cost;
}

export interface IdleRow {
  readonly page: string;
  readonly cost: Cost;
  readonly timers: TimerCounts;
  /** Fired timer callbacks by where they were scheduled, most first. */
  readonly sites: readonly (readonly [string, number])[];
  /** Animations and transitions running at the end of the idle window. */
  readonly animations: readonly string[];
}

export interface SizeRow {
  readonly root: string;
  readonly where: string;
  readonly size: ThreadSize;
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '—');
const count = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '—');
const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');

export function printMessages(rows: readonly MessageRow[], n: number): void {
  console.log(`\nPer message, ${n} messages per row, one at a time (CDP Performance: TaskDuration, ScriptDuration, LayoutCount, RecalcStyleCount deltas / ${n}):\n`);
  console.log('| root | message | main-thread ms | CPU ms | script ms | layouts | style recalcs | floor ms | floor CPU ms | floor layouts | × floor | target < 8 ms, ≤ 1 layout |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const { root, direction, chat, floor } of rows) {
    const ratio = floor.taskMs > 0 ? `${(chat.taskMs / floor.taskMs).toFixed(1)}×` : '—';
    const met = chat.taskMs < TARGETS.messageMs && chat.layouts <= TARGETS.messageLayouts;
    console.log(`| ${root} | ${direction} | ${ms(chat.taskMs)} | ${ms(chat.cpuMs)} | ${ms(chat.scriptMs)} | ${count(chat.layouts)} `
      + `| ${count(chat.styleRecalcs)} | ${ms(floor.taskMs)} | ${ms(floor.cpuMs)} | ${count(floor.layouts)} | ${ratio} | ${verdict(met)} |`);
  }
  console.log('\nMain-thread ms is TaskDuration (wall time of the main thread\'s tasks; the target\'s measure); CPU ms is ThreadTime '
    + '(the same tasks\' CPU time, which another process on the machine does not inflate). Floor: a plain supabase-js page '
    + 'subscribed to the same conversation that appends each row as a text node (received: the same messages at the same '
    + 'time; sent: its own insert_message calls, shown when they come back).');
}

/** Timers Vite's dev client sets (its server ping): not Parley's, and gone from a production page. */
const DEV_SERVER = '/@vite/';

export function printIdle(rows: readonly IdleRow[], idleMs: number): void {
  console.log(`\nIdle, ${(idleMs / 1000).toFixed(1)} s with nothing happening (timer callbacks fired: setTimeout / setInterval / requestAnimationFrame / requestIdleCallback):\n`);
  console.log('| page | main-thread ms | CPU ms | script ms | layouts | style recalcs | timers fired | most fired, scheduled at | running animations | target: no idle work |');
  console.log('|---|---:|---:|---:|---:|---:|---|---|---|---|');
  for (const { page, cost, timers, sites, animations } of rows) {
    const total = timers.timeout + timers.interval + timers.raf + timers.idle;
    const notParleys = sites.filter(([site]) => site.includes(DEV_SERVER) || NAMED_TIMERS.some((name) => site.includes(name))).reduce((sum, [, n]) => sum + n, 0);
    const top = sites.slice(0, 3).map(([site, n]) => `${n}× ${site}`).join('; ') || '—';
    const running = animations.length > 0 ? `${animations.length}: ${[...new Set(animations)].slice(0, 3).join('; ')}` : '0';
    const met = total - notParleys === 0 && animations.length === 0;
    console.log(`| ${page} | ${ms(cost.taskMs)} | ${ms(cost.cpuMs)} | ${ms(cost.scriptMs)} | ${cost.layouts} | ${cost.styleRecalcs} `
      + `| ${total} (${timers.timeout} / ${timers.interval} / ${timers.raf} / ${timers.idle}) | ${top} | ${running} `
      + `| ${page === 'floor' ? '—' : verdict(met)} |`);
  }
  console.log(`\nThe target counts timers and running animations (work that would recur forever); timers scheduled from ${DEV_SERVER} `
    + `(Vite's dev client) are not Parley's, nor is the ${REALTIME_HEARTBEAT} `
    + '(a message every 25 s that keeps the socket, and the unread badge, alive), nor the console\'s '
    + `${CONSOLE_HEARTBEAT} (every 30 s, what keeps the agent shown online), nor what changes the screen: the console's `
    + `${RELATIVE_TIME} (one timer when a time the list shows changes, "now" becoming "1 min") and ${COMPOSING_ENDS} `
    + '(8 s after the agent\'s last keystroke, the visitor\'s "is replying" goes). '
    + 'Main-thread time while idle is mostly V8 collecting what the messages left '
    + '(a trace of this window shows major GCs by the memory reducer), so it falls as the per-message figures do.');
}

export function printSizes(rows: readonly SizeRow[], history: number): void {
  console.log(`\nThread DOM size with a ${history}-message conversation (every node in parley-thread's shadow root, text and comments included):\n`);
  console.log('| root | where | message rows rendered | messages held | nodes | nodes per rendered message | target < 5,000 nodes |');
  console.log('|---|---|---:|---:|---:|---:|---|');
  for (const { root, where, size } of rows) {
    const per = size.rows > 0 ? (size.nodes / size.rows).toFixed(1) : '—';
    console.log(`| ${root} | ${where} | ${size.rows} | ${size.held} | ${size.nodes.toLocaleString('en')} | ${per} | ${verdict(size.nodes < TARGETS.threadNodes)} |`);
  }
}

function connectRow(label: string, { parley, floor }: ConnectFigures, target: boolean): string {
  const cost = parley.taskMs - floor.taskMs;
  const cell = (value: Cost): string => `${ms(value.taskMs)} (${ms(value.cpuMs)} / ${ms(value.scriptMs)})`;
  return `| ${label} | ${cell(parley)} | ${cell(floor)} | ${ms(cost)} (${ms(parley.cpuMs - floor.cpuMs)}) `
    + `| ${target ? verdict(cost < TARGETS.connectMs) : '—'} |`;
}

export function printConnect(returning: ConnectFigures, firstVisit: ConnectFigures, runs: number): void {
  console.log(`\nHost page main-thread ms (CPU ms / script ms) from the document's start until idle, demo shop with and without /parley.js, median of ${runs}:\n`);
  console.log('| visit | with Parley | without Parley (floor) | Parley\'s cost (CPU) | target < 50 ms |');
  console.log('|---|---:|---:|---:|---|');
  console.log(connectRow('returning visitor, watched on idle', returning, true));
  console.log(connectRow('first visit', firstVisit, false));
  const joined = returning.runs.filter((run) => run.parley.joined).length;
  const badges = [...new Set(returning.runs.map((run) => run.parley.badge ?? 'none'))].join(', ');
  console.log(`\nReturning visitor: a realtime join was acknowledged in ${joined} of ${returning.runs.length} runs; unread badge: ${badges}.`);
}

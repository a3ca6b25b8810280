/**
 * What `bench:render` puts into every page it measures (an init script, so it runs before the
 * page's own scripts), and the typed calls the bench makes into it.
 *
 * - Timers: setTimeout, setInterval, requestAnimationFrame and requestIdleCallback are wrapped to
 *   count their callbacks as they fire. While `trace(true)` is on, each fired callback is also
 *   counted under where it was scheduled (the first stack frame in the project's sources), so the
 *   idle table can say which code keeps waking the page. Stacks are taken only while tracing, so
 *   the message phases do not pay for them.
 * - Arrivals: `watch(path)` observes an element (its shadow root when it has one) and notes every
 *   `bench-<id>-end` marker that appears in added nodes or changed text; `shown(id)` resolves once
 *   that marker has appeared. No polling: a waiting page does nothing until the DOM changes.
 * - Sends: `send(root, text)` sends through the root's composer as Enter does (`value`, then
 *   `send()`; a bare `parley-send` where the composer has no `send()`), and resolves once the
 *   thread holds the message as confirmed and has rendered that.
 * - DOM size: `threadSize(root)` counts every node under `parley-thread`'s shadow root (elements,
 *   text, comments, and any shadow root nested in it), its message rows and the messages it holds.
 *   `scroll(root, 'top' | 'bottom')` moves its log to one end the way a reader does, so it pages.
 * - `animations()` lists the animations and transitions running anywhere in the page (shadow trees
 *   included): an idle page that keeps one running repaints without any timer.
 *
 * The in-page code is a string: tsx compiles this file with names kept, and a serialized function
 * would call a `__name` helper the page does not have.
 */
import type { Page } from 'playwright-core';

/** The site name idle timers of realtime-js's socket heartbeat are counted under. */
export const REALTIME_HEARTBEAT = 'realtime-js heartbeat';
/** The site name of the conversation list's timer, due when a relative time it shows moves on. */
export const RELATIVE_TIME = 'relative time moving on';
/** The console's availability heartbeat: an open console's row, which says the agent is online. */
export const CONSOLE_HEARTBEAT = 'console availability heartbeat';
/** The end of an agent's composing state, 8 s after their last keystroke (others' "is replying" goes). */
export const COMPOSING_ENDS = 'composing ends';
/** Timers that keep a connection or a presence alive, or change what is on screen: not idle work. */
export const NAMED_TIMERS = [REALTIME_HEARTBEAT, RELATIVE_TIME, CONSOLE_HEARTBEAT, COMPOSING_ENDS] as const;

export const PAGE_HELPERS = `(() => {
  const counts = { timeout: 0, interval: 0, raf: 0, idle: 0 };
  const sites = new Map();
  let tracing = false;
  // Known timers by their callback's source (a production build's stack shows only a minified chunk).
  const NAMED = [
    ['sendHeartbeat', ${JSON.stringify(REALTIME_HEARTBEAT)}],
    ['scheduleRefresh', ${JSON.stringify(RELATIVE_TIME)}],
    ['.beat()', ${JSON.stringify(CONSOLE_HEARTBEAT)}],
    ['setComposing(null)', ${JSON.stringify(COMPOSING_ENDS)}],
  ];
  const siteOf = () => {
    const frames = (new Error().stack || '').split('\\n').slice(3).map((line) => line.trim());
    const frame = frames.find((line) => line.includes('/src/')) || frames[0] || 'unknown';
    return frame.replace(/^at\\s+/, '').replace(/https?:\\/\\/[^/]+/, '').replace(/\\?[^:)]*/, '');
  };
  const wrap = (name, kind) => {
    const original = window[name];
    if (typeof original !== 'function') return;
    window[name] = function (callback, ...rest) {
      if (typeof callback !== 'function') return original.call(window, callback, ...rest);
      // Intervals and long timeouts are rare and may be set long before the idle window opens.
      const source = String(callback);
      const named = NAMED.find(([mark]) => source.includes(mark));
      const site = named ? named[1] : tracing || kind === 'interval' || (kind === 'timeout' && Number(rest[0]) >= 500) ? siteOf() : null;
      return original.call(window, function (...args) {
        counts[kind] += 1;
        if (tracing && site) sites.set(kind + ' ' + site, (sites.get(kind + ' ' + site) || 0) + 1);
        return callback.apply(this, args);
      }, ...rest);
    };
  };
  wrap('setTimeout', 'timeout');
  wrap('setInterval', 'interval');
  wrap('requestAnimationFrame', 'raf');
  wrap('requestIdleCallback', 'idle');

  const deep = (path) => {
    let node = document;
    for (const selector of path) {
      const root = node === document ? document : node.shadowRoot;
      node = root && root.querySelector(selector);
      if (!node) return null;
    }
    return node;
  };
  const need = (path) => {
    const node = deep(path);
    if (!node) throw new Error('nothing at ' + path.join(' > '));
    return node;
  };

  const seen = new Set();
  const waiters = new Map();
  const note = (text) => {
    if (!text || !text.includes('bench-')) return;
    for (const match of text.matchAll(/bench-(\\d+)-end/g)) {
      const id = match[1];
      if (seen.has(id)) continue;
      seen.add(id);
      const resolve = waiters.get(id);
      waiters.delete(id);
      if (resolve) resolve();
    }
  };

  /** Resolves once the thread holds 'text' as a confirmed message and has rendered since. */
  const confirmed = (thread, text) => new Promise((resolve) => {
    const done = () => {
      const state = thread.thread;
      if (!state) return true;
      if (state.pending.some((message) => message.content === text)) return false;
      for (let i = state.messages.length - 1; i >= 0 && i >= state.messages.length - 50; i -= 1) {
        if (state.messages[i].content === text) return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      Promise.resolve(thread.updateComplete).then(() => resolve());
    });
    observer.observe(thread.shadowRoot || thread, { subtree: true, childList: true, characterData: true, attributes: true });
  });

  window.__bench = {
    counts: () => ({ ...counts }),
    trace(on) {
      tracing = on;
      if (on) sites.clear();
      return [...sites].sort((a, b) => b[1] - a[1]);
    },
    exists: (path) => deep(path) !== null,
    watch(path) {
      const target = need(path);
      new MutationObserver((records) => {
        for (const record of records) {
          if (record.type === 'characterData') note(record.target.data);
          else for (const node of record.addedNodes) note(node.textContent);
        }
      }).observe(target.shadowRoot || target, { subtree: true, childList: true, characterData: true });
    },
    shown: (id) => (seen.has(id) ? Promise.resolve() : new Promise((resolve) => waiters.set(id, resolve))),
    send(root, text) {
      const thread = need([...root, 'parley-thread']);
      const composer = need([...root, 'parley-composer']);
      const done = confirmed(thread, text);
      if (typeof composer.send === 'function') {
        composer.value = text;
        if (!composer.send()) throw new Error('the composer did not send');
      } else {
        composer.dispatchEvent(new CustomEvent('parley-send', { detail: { text, visibility: 'public' }, bubbles: true, composed: true, cancelable: true }));
      }
      return done;
    },
    threadSize(root) {
      const thread = need([...root, 'parley-thread']);
      let nodes = 0;
      const walk = (from) => {
        const walker = document.createTreeWalker(from, NodeFilter.SHOW_ALL);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          nodes += 1;
          if (node.shadowRoot) walk(node.shadowRoot);
        }
      };
      walk(thread.shadowRoot);
      const state = thread.thread || { messages: [], pending: [] };
      const earlier = (thread.earlier || []).reduce((sum, section) => sum + section.thread.messages.length, 0);
      const log = thread.shadowRoot.querySelector('[part~="log"]');
      return {
        nodes,
        rows: thread.shadowRoot.querySelectorAll('[part~="message"]').length,
        held: state.messages.length + state.pending.length + earlier,
        hasMore: Boolean(state.hasMore),
        scrollTop: log ? Math.round(log.scrollTop) : -1,
        fromBottom: log ? Math.round(log.scrollHeight - log.scrollTop - log.clientHeight) : -1,
      };
    },
    async scroll(root, to) {
      const log = need([...root, 'parley-thread']).shadowRoot.querySelector('[part~="log"]');
      if (!log) throw new Error('parley-thread has no log part');
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
      // Setting the position it already has fires no scroll event, and the thread pages on scroll.
      const end = () => (to === 'top' ? 0 : log.scrollHeight - log.clientHeight);
      if (Math.abs(log.scrollTop - end()) < 2) {
        log.scrollTop = to === 'top' ? 300 : end() - 300;
        await frame();
        await frame();
      }
      log.scrollTop = to === 'top' ? 0 : log.scrollHeight;
    },
    animations() {
      const found = new Set(document.getAnimations());
      const visit = (root) => {
        for (const element of root.querySelectorAll('*')) {
          if (!element.shadowRoot) continue;
          for (const animation of element.shadowRoot.getAnimations()) found.add(animation);
          visit(element.shadowRoot);
        }
      };
      visit(document);
      return [...found].filter((animation) => animation.playState === 'running').map((animation) => {
        const target = animation.effect && animation.effect.target;
        const name = animation.animationName || animation.transitionProperty || animation.id || 'animation';
        if (!target) return name;
        const part = target.getAttribute('part');
        const host = target.getRootNode().host;
        return name + ' on ' + (host ? host.localName + ' ' : '') + target.localName + (part ? '[part=' + part + ']' : target.className ? '.' + String(target.className).split(' ')[0] : '');
      });
    },
  };
})();`;

/** How fired timer callbacks are counted, by kind. */
export interface TimerCounts {
  readonly timeout: number;
  readonly interval: number;
  readonly raf: number;
  readonly idle: number;
}

export interface ThreadSize {
  /** Every node under the thread's shadow root. */
  readonly nodes: number;
  /** Rendered message rows (`part="message"`). */
  readonly rows: number;
  /** Messages the thread was given (confirmed, pending and earlier conversations'). */
  readonly held: number;
  readonly hasMore: boolean;
  readonly scrollTop: number;
  /** Pixels between the bottom of the log's viewport and the end of its content. */
  readonly fromBottom: number;
}

interface BenchHelpers {
  counts(): TimerCounts;
  trace(on: boolean): [string, number][];
  exists(path: readonly string[]): boolean;
  watch(path: readonly string[]): void;
  shown(id: string): Promise<void>;
  send(root: readonly string[], text: string): Promise<void>;
  threadSize(root: readonly string[]): ThreadSize;
  scroll(root: readonly string[], to: 'top' | 'bottom'): Promise<void>;
  animations(): string[];
}

/** The helpers as the page holds them. */
type BenchWindow = Window & { __bench: BenchHelpers };

/** The text of bench message `id`: a short chat line carrying its marker. */
export function benchText(id: number): string {
  return `Render bench bench-${id}-end: could you check my order, please?`;
}

export const timerCounts = (page: Page): Promise<TimerCounts> =>
  page.evaluate(() => (window as unknown as BenchWindow).__bench.counts());
/** Starts tracing where fired timers were scheduled; stopping returns the counts by site, most first. */
export const traceTimers = (page: Page, on: boolean): Promise<[string, number][]> =>
  page.evaluate((value) => (window as unknown as BenchWindow).__bench.trace(value), on);
export const exists = (page: Page, path: readonly string[]): Promise<boolean> =>
  page.evaluate((p) => (window as unknown as BenchWindow).__bench.exists(p), [...path]);
export const watch = (page: Page, path: readonly string[]): Promise<void> =>
  page.evaluate((p) => (window as unknown as BenchWindow).__bench.watch(p), [...path]);
export const shown = (page: Page, id: number): Promise<void> =>
  page.evaluate((key) => (window as unknown as BenchWindow).__bench.shown(key), String(id));
export const sendFrom = (page: Page, root: readonly string[], text: string): Promise<void> =>
  page.evaluate(([path, body]) => (window as unknown as BenchWindow).__bench.send(path, body), [[...root], text] as const);
export const threadSize = (page: Page, root: readonly string[]): Promise<ThreadSize> =>
  page.evaluate((p) => (window as unknown as BenchWindow).__bench.threadSize(p), [...root]);
export const scrollThread = (page: Page, root: readonly string[], to: 'top' | 'bottom'): Promise<void> =>
  page.evaluate(([path, where]) => (window as unknown as BenchWindow).__bench.scroll(path, where), [[...root], to] as const);
/** Running animations and transitions anywhere in the page, shadow trees included: what they animate. */
export const runningAnimations = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as BenchWindow).__bench.animations());

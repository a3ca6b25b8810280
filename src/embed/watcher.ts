/**
 * The stub's side of the watch worker (watch-worker.ts), loaded on idle for a returning visitor:
 * starts it, lends it the page's localStorage for the visitor's auth session (only under that
 * session's key), tells it about single-page navigations, draws its unread count on the stub's
 * bubble and hands its other news to the stub. The worker's script is a chunk of its
 * own, imported from a `blob:` module worker so it also loads where parley.js comes from another
 * origin (a CDN); a page whose Content-Security-Policy forbids `blob:` workers fails the start,
 * and the stub connects the full launcher instead, as before.
 */
import workerUrl from './watch-worker.ts?worker&url';
import type { RealtimeTransport } from '../data/types.ts';
import { BADGE_CSS } from '../elements/launcher/bubble.ts';
import { UNREAD_LABELS } from '../i18n/unread-labels.ts';
import { localeOf } from '../i18n/locale.ts';
import { authStorageKey, outboxKeyFor } from '../session/storage-key.ts';
import { tokenDeclarations } from '../theme/tokens.ts';
import { parseFromWorker, type ToWorker, type WatchPage } from './watch-protocol.ts';

export interface WatchOptions {
  readonly supabaseUrl: string;
  readonly supabaseKey: string;
  readonly realtime: RealtimeTransport;
  readonly language: string;
  /** The host's `strings.unread`, else the language's. */
  readonly unread: string | undefined;
}

export interface WatchEvents {
  /** What the bubble's name gains for the unread count (", 3 unread"), empty at zero. */
  label(unread: string): void;
  /** The team wrote. */
  reply(): void;
  /** The watch is over: nothing to watch, or (`failed`) it could not run. */
  end(failed: boolean): void;
}

interface NavigationLike extends EventTarget {
  readonly currentEntry?: unknown;
}

function currentPage(): WatchPage {
  return { href: location.href, title: document.title, referrer: document.referrer, width: screen.width, height: screen.height };
}

const BADGE_STYLE = `@layer parley {
.badge { ${tokenDeclarations('sizes', ['font-family'])} ${tokenDeclarations('light', ['danger', 'surface'])} }
@media (prefers-color-scheme: dark) {
  :host(:not([theme='light'])) .badge { ${tokenDeclarations('dark', ['danger', 'surface'])} }
}
:host([theme='dark']) .badge { ${tokenDeclarations('dark', ['danger', 'surface'])} }
${BADGE_CSS}
}`;

/** Draws `count` on `bubble` (in its shadow root, whose sheets gain the badge's on first use). */
function drawBadge(bubble: HTMLElement, count: number): void {
  let badge = bubble.querySelector<HTMLElement>('.badge');
  if (!badge && count > 0) {
    const root = bubble.getRootNode();
    if (root instanceof ShadowRoot) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(BADGE_STYLE);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
    badge = document.createElement('span');
    badge.className = 'badge';
    badge.setAttribute('part', 'badge');
    badge.setAttribute('aria-hidden', 'true');
    bubble.append(badge);
  }
  if (!badge) return;
  badge.hidden = count === 0;
  badge.textContent = count > 99 ? '99+' : String(count);
}

/** Whether the project's outbox holds unsent messages (the outbox removes its key when empty). */
function hasPendingOutbox(supabaseUrl: string): boolean {
  try {
    return localStorage.getItem(outboxKeyFor(supabaseUrl)) !== null;
  } catch {
    return false;
  }
}

/** What the stub calls: {@link watch}. */
export type Watch = typeof watch;

/**
 * Starts watching for the stub whose bubble is `bubble`; returns the stop function, or calls
 * `events.end(true)` and returns null where the watch cannot run: no module worker on this page,
 * or unsent messages in the outbox (the full launcher sends them).
 */
export function watch(bubble: HTMLElement, options: WatchOptions, events: WatchEvents): (() => void) | null {
  if (typeof Worker !== 'function' || typeof URL.createObjectURL !== 'function' || hasPendingOutbox(options.supabaseUrl)) {
    events.end(true);
    return null;
  }
  const prefix = authStorageKey(options.supabaseUrl);
  const source = URL.createObjectURL(new Blob([`import ${JSON.stringify(new URL(workerUrl, import.meta.url).href)};`], { type: 'text/javascript' }));
  let worker: Worker;
  try {
    worker = new Worker(source, { type: 'module' });
  } catch {
    URL.revokeObjectURL(source);
    events.end(true);
    return null;
  }
  const send = (message: ToWorker): void => worker.postMessage(message);
  const navigation = (globalThis as { navigation?: unknown }).navigation;
  const target: EventTarget = navigation instanceof EventTarget ? navigation as NavigationLike : window;
  const navigated = navigation instanceof EventTarget ? 'currententrychange' : 'popstate';
  const onNavigate = (): void => send({ type: 'page', page: currentPage() });
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    worker.terminate();
    URL.revokeObjectURL(source);
    target.removeEventListener(navigated, onNavigate);
  };
  worker.onerror = () => {
    stop();
    events.end(true);
  };
  worker.onmessage = ({ data }: MessageEvent<unknown>) => {
    const message = parseFromWorker(data);
    if (!message || stopped) return;
    if (message.type === 'unread') {
      drawBadge(bubble, message.count);
      const template = options.unread ?? UNREAD_LABELS[localeOf(options.language)];
      return events.label(message.count > 0 ? `, ${template.replace('{count}', message.digits)}` : '');
    }
    if (message.type === 'reply') return events.reply();
    if (message.type === 'end') {
      stop();
      return events.end(message.failed);
    }
    // The worker may only touch the visitor's auth session (auth-js adds suffixes to its key).
    if (!message.key.startsWith(prefix)) return;
    try {
      if (message.type === 'get') send({ type: 'stored', id: message.id, value: localStorage.getItem(message.key) });
      else if (message.type === 'set') localStorage.setItem(message.key, message.value);
      else localStorage.removeItem(message.key);
    } catch {
      if (message.type === 'get') send({ type: 'stored', id: message.id, value: null });
    }
  };
  target.addEventListener(navigated, onNavigate);
  const { supabaseUrl, supabaseKey, realtime, language } = options;
  send({ type: 'start', supabaseUrl, supabaseKey, realtime, language, page: currentPage() });
  return stop;
}

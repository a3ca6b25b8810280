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
import type { ParleyLauncherStub } from './launcher-stub.ts';
import { UNREAD_LABELS } from '../i18n/unread-labels.ts';
import { localeOf } from '../i18n/locale.ts';
import { authStorageKey, outboxKeyFor } from '../session/storage-key.ts';
import { tokenDeclarations } from '../theme/tokens.ts';
import { parseFromWorker, type ToWorker, type WatchPage } from './watch-protocol.ts';

/** What the stub does next: hand over for a reply, connect the full launcher instead, or stay a bubble. */
export type WatchNext = 'reply' | 'connect' | 'end';

function currentPage(): WatchPage {
  return { href: location.href, title: document.title, referrer: document.referrer, width: screen.width, height: screen.height };
}

/**
 * The full launcher's badge rules (launcher.styles.ts), for the stub's bubble: a copy, because a
 * string both used would sit in parley.js, which every page view loads, for the few returning
 * visitors; test/elements/embed-watch.test.ts compares the two badges' computed styles.
 */
const BADGE_STYLE = `@layer parley {
.badge {
  ${tokenDeclarations('light', ['danger', 'surface'])}
  position: absolute;
  inset-block-start: -0.25rem;
  inset-inline-end: -0.25rem;
  min-inline-size: 1.25rem;
  padding: 0 0.3rem;
  border-radius: 999px;
  background: var(--_danger);
  color: var(--_surface);
  font-size: 0.75rem;
  font-weight: 700;
  line-height: 1.25rem;
  text-align: center;
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme='light'])) .badge { ${tokenDeclarations('dark', ['danger', 'surface'])} }
}
:host([theme='dark']) .badge { ${tokenDeclarations('dark', ['danger', 'surface'])} }
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
 * Starts watching for `stub`, whose bubble is `bubble`: `label` hears the unread count and what the
 * bubble's name gains for it (", 3 unread"; empty at zero), `next` what the stub should do once the
 * watch has news or is over. Returns the stop function, or null (after `next('connect')`) where
 * the watch cannot run: no module worker on this page, or unsent messages in the outbox (the full
 * launcher sends them).
 */
export function watch(
  stub: ParleyLauncherStub, bubble: HTMLElement, label: (text: string, count: number) => void, next: (next: WatchNext) => void,
): (() => void) | null {
  const { supabaseUrl, supabaseKey, realtime } = stub;
  const language = stub.closest<HTMLElement>('[lang]')?.lang || navigator.language;
  if (typeof Worker !== 'function' || typeof URL.createObjectURL !== 'function' || hasPendingOutbox(supabaseUrl)) {
    next('connect');
    return null;
  }
  const prefix = authStorageKey(supabaseUrl);
  const source = URL.createObjectURL(new Blob([`import ${JSON.stringify(new URL(workerUrl, import.meta.url).href)};`], { type: 'text/javascript' }));
  let worker: Worker;
  try {
    worker = new Worker(source, { type: 'module' });
  } catch {
    URL.revokeObjectURL(source);
    next('connect');
    return null;
  }
  const send = (message: ToWorker): void => worker.postMessage(message);
  const navigation = (globalThis as { navigation?: unknown }).navigation;
  const target: EventTarget = navigation instanceof EventTarget ? navigation : window;
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
    next('connect');
  };
  worker.onmessage = ({ data }: MessageEvent<unknown>) => {
    const message = parseFromWorker(data);
    if (!message || stopped) return;
    if (message.type === 'unread') {
      drawBadge(bubble, message.count);
      const template = stub.strings?.unread ?? UNREAD_LABELS[localeOf(language)];
      return label(message.count > 0 ? `, ${template.replace('{count}', message.digits)}` : '', message.count);
    }
    if (message.type === 'reply') return next('reply');
    if (message.type === 'end') {
      stop();
      return next(message.failed ? 'connect' : 'end');
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
  send({ type: 'start', supabaseUrl, supabaseKey, realtime, language, page: currentPage() });
  return stop;
}

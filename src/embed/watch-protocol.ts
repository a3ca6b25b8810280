/**
 * The messages between the launcher stub and its watch worker (watcher.ts, watch-worker.ts): the
 * returning visitor's idle connect, off the host page's main thread. Each side checks what it
 * receives; anything else is dropped.
 */
import type { RealtimeTransport } from '../data/types.ts';

/** The page the visitor is on, as the worker records it (the rest it reads from its own navigator). */
export interface WatchPage {
  readonly href: string;
  readonly title: string;
  readonly referrer: string;
  readonly width: number;
  readonly height: number;
}

export type ToWorker =
  | {
    readonly type: 'start';
    readonly supabaseUrl: string;
    readonly supabaseKey: string;
    readonly realtime: RealtimeTransport;
    /** The page's language, for the unread count's digits. */
    readonly language: string;
    readonly page: WatchPage;
  }
  /** A single-page navigation. */
  | { readonly type: 'page'; readonly page: WatchPage }
  /** The answer to a `get`: the page's localStorage value. */
  | { readonly type: 'stored'; readonly id: number; readonly value: string | null };

export type FromWorker =
  /** auth-js's storage, which lives in the page's localStorage: `get` waits for `stored` with its id. */
  | { readonly type: 'get'; readonly id: number; readonly key: string }
  | { readonly type: 'set'; readonly key: string; readonly value: string }
  | { readonly type: 'remove'; readonly key: string }
  /** Unread replies, and the count as the page's language writes it. */
  | { readonly type: 'unread'; readonly count: number; readonly digits: string }
  /** The team wrote: the stub hands over to the full launcher. */
  | { readonly type: 'reply' }
  /** Nothing to watch (no stored session, no conversation) or the watch failed: `failed` asks the stub to connect itself. */
  | { readonly type: 'end'; readonly failed: boolean };

type Fields = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const isText = (value: unknown, max = 8192): value is string => typeof value === 'string' && value.length <= max;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function isPage(value: unknown): value is WatchPage {
  return isObject(value) && isText(value.href) && isText(value.title) && isText(value.referrer)
    && isCount(value.width) && isCount(value.height);
}

/** A message for the worker, or null. */
export function parseToWorker(data: unknown): ToWorker | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'start':
      return isText(data.supabaseUrl) && isText(data.supabaseKey) && isText(data.language, 64) && isPage(data.page)
        && (data.realtime === 'postgres-changes' || data.realtime === 'broadcast') ? data as ToWorker : null;
    case 'page':
      return isPage(data.page) ? data as ToWorker : null;
    case 'stored':
      return isCount(data.id) && (data.value === null || isText(data.value, 1 << 20)) ? data as ToWorker : null;
    default:
      return null;
  }
}

/** A message from the worker, or null. */
export function parseFromWorker(data: unknown): FromWorker | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'get':
      return isCount(data.id) && isText(data.key, 256) ? data as FromWorker : null;
    case 'set':
      return isText(data.key, 256) && isText(data.value, 1 << 20) ? data as FromWorker : null;
    case 'remove':
      return isText(data.key, 256) ? data as FromWorker : null;
    case 'unread':
      return isCount(data.count) && isText(data.digits, 16) ? data as FromWorker : null;
    case 'reply':
      return data as FromWorker;
    case 'end':
      return typeof data.failed === 'boolean' ? data as FromWorker : null;
    default:
      return null;
  }
}

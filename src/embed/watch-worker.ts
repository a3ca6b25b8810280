/**
 * The watch worker: a returning visitor's idle connect run off the host page's main thread
 * (issue 12: the idle connect costs the page almost nothing). It opens the visitor's stored session
 * (auth-js's storage is the page's localStorage, reached through the stub), finds their
 * conversations, keeps them live over realtime like the full launcher does, records the page view,
 * and tells the stub the unread count for its bubble. When the team writes, the stub hands over to
 * the full launcher, which then does everything a connected launcher does (the tab's reply alert,
 * the panel); this worker ends with it.
 *
 * It never signs anyone in and never sends: a visitor without a stored session, or without a
 * conversation, ends the watch.
 */
import { createClient, type SupportedStorage } from '@supabase/supabase-js';
import { recordVisit } from '../data/customer-profile.ts';
import { formatString } from '../i18n/strings.ts';
import { rootSession } from '../session/index.ts';
import { authStorageKey } from '../session/storage-key.ts';
import { captureContext, type PageLike } from '../session/visit-capture.ts';
import { startVisitor } from '../session/visitor-start.ts';
import { unreadBesides } from '../state/reads.ts';
import { parseToWorker, type FromWorker, type ToWorker, type WatchPage } from './watch-protocol.ts';

/** customer_visits.url's bound (as visit-recorder.ts compares). */
const URL_BOUND = 2048;

type Start = Extract<ToWorker, { type: 'start' }>;

/** This worker's global scope (the project's types are the page's). */
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  readonly navigator: PageLike['navigator'];
};

const post = (message: FromWorker): void => scope.postMessage(message);

/** Reads waiting for the page's answer, by id. */
const reads = new Map<number, (value: string | null) => void>();
let nextRead = 0;
let started = false;
let lastUrl: string | null = null;
let record: ((page: WatchPage) => void) | null = null;

/** auth-js's storage: the page's localStorage, one message away (writes keep their order). */
const pageStorage: SupportedStorage = {
  getItem: (key) => new Promise((resolve) => {
    const id = nextRead++;
    reads.set(id, resolve);
    post({ type: 'get', id, key });
  }),
  setItem: (key, value) => post({ type: 'set', key, value }),
  removeItem: (key) => post({ type: 'remove', key }),
};

/** The page as captureContext reads it: address, title, referrer and screen from the page, the rest from here. */
function pageLike(page: WatchPage): PageLike {
  return {
    location: { href: page.href },
    document: { title: page.title, referrer: page.referrer },
    navigator: scope.navigator,
    screen: { width: page.width, height: page.height },
  };
}

async function watch(start: Start): Promise<void> {
  const client = createClient(start.supabaseUrl, start.supabaseKey, {
    // No lock, as on the page: auth-js coordinates renewals without one, and the project's refresh
    // token reuse interval covers this worker and another tab of the visitor renewing at once.
    auth: {
      storageKey: authStorageKey(start.supabaseUrl), storage: pageStorage,
      persistSession: true, autoRefreshToken: false, detectSessionInUrl: false,
    },
    realtime: { worker: false },
  });
  const { data } = await client.auth.getSession();
  if (!data.session) {
    post({ type: 'end', failed: false });
    return;
  }
  const session = rootSession({ client, realtime: start.realtime });
  const current = await startVisitor(session, new AbortController().signal);
  if (current === null) {
    await session.dispose();
    post({ type: 'end', failed: false });
    return;
  }
  const { $unread, $conversations } = session.state;
  let last = -1;
  $unread.subscribe((unread) => {
    const count = unreadBesides(unread, null).total;
    if (count === last) return;
    last = count;
    post({ type: 'unread', count, digits: formatString('{count}', { count }, start.language) });
  });
  let held = $conversations.get();
  $conversations.listen((map) => {
    const before = held;
    held = map;
    if (Object.values(map).some((row) => row.inbound_count > (before[row.id]?.inbound_count ?? Infinity))) post({ type: 'reply' });
  });
  // The page view, as the full launcher records it for a visitor with a conversation.
  record = (page) => {
    const url = (page.href.split('#')[0] ?? '').slice(0, URL_BOUND);
    if (url === lastUrl) return;
    // After a single-page navigation the page this one came from is the referrer.
    const previous = lastUrl;
    lastUrl = url;
    recordVisit(client, captureContext(pageLike(page), previous ?? undefined)).catch(() => undefined);
  };
  record(start.page);
}

scope.onmessage = (event) => {
  const message = parseToWorker(event.data);
  if (!message) return;
  if (message.type === 'stored') {
    reads.get(message.id)?.(message.value);
    reads.delete(message.id);
  } else if (message.type === 'page') {
    record?.(message.page);
  } else if (!started) {
    started = true;
    watch(message).catch(() => post({ type: 'end', failed: true }));
  }
};

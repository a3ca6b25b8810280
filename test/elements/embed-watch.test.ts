import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ParleyLauncherStub, type LauncherApp } from '../../src/embed/launcher-stub.ts';
import type { ParleyLauncher } from '../../src/elements/launcher/launcher.ts';
import type { FromWorker, ToWorker } from '../../src/embed/watch-protocol.ts';
import { authStorageKey, outboxKeyFor } from '../../src/session/storage-key.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { fakeIdle } from '../browser-helpers/idle.ts';
import '../browser-helpers/console-guard.ts';

// The stub's side of the watch (src/embed/watcher.ts) against a fake worker: what it starts the
// worker with, what it draws and lends, and when it hands over. The worker itself runs on the
// local stack in test/browser/embed-live.test.ts.
ParleyLauncherStub.define('parley-launcher');

/** Stands in for the page's `Worker`: records what the stub posts; `emit` plays the worker's side. */
class FakeWorker {
  static created: FakeWorker[] = [];
  readonly received: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<unknown>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  constructor(readonly url: string, readonly options: WorkerOptions) {
    FakeWorker.created.push(this);
  }

  postMessage(message: ToWorker): void {
    this.received.push(structuredClone(message));
  }

  terminate(): void {
    this.terminated = true;
  }

  emit(message: FromWorker | Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent('message', { data: message }));
  }
}

const url = 'http://127.0.0.1:9';
const authKey = authStorageKey(url);
const appOf = (el: Element): ParleyLauncher | null => el.shadowRoot?.querySelector<ParleyLauncher>('parley-launcher-app') ?? null;
const bubble = (el: Element): HTMLButtonElement => el.shadowRoot?.querySelector('.base > [part~="bubble"]') as HTMLButtonElement;
const badge = (el: Element): HTMLElement | null => el.shadowRoot?.querySelector<HTMLElement>('.base [part~="badge"]') ?? null;

describe('<parley-launcher> embed stub: the returning visitor\'s watch', () => {
  const OriginalWorker = window.Worker;
  let idle: ReturnType<typeof fakeIdle>;
  let loads = 0;
  let connects: boolean[] = [];

  beforeEach(() => {
    FakeWorker.created = [];
    window.Worker = FakeWorker as unknown as typeof Worker;
    idle = fakeIdle();
    loads = 0;
    connects = [];
    // The full launcher, its connect() recorded instead of run (nothing listens on :9).
    ParleyLauncherStub.loadApp = async (): Promise<LauncherApp> => {
      loads += 1;
      const module = await import('../../src/embed/app.ts');
      const app = customElements.get(module.appTag)?.prototype as ParleyLauncher;
      app.connect = (replyHeard?: boolean) => void connects.push(replyHeard === true);
      return module;
    };
    localStorage.setItem(authKey, '{}');
  });

  afterEach(() => {
    window.Worker = OriginalWorker;
    idle.restore();
    for (const key of Object.keys(localStorage)) if (key.includes('127.0.0.1:9')) localStorage.removeItem(key);
  });

  /** A returning visitor's stub, once idle has started its watch. */
  async function watched(template = html`<parley-launcher supabase-url=${url} supabase-key="anon"></parley-launcher>`): Promise<{ el: ParleyLauncherStub; worker: FakeWorker }> {
    const el = await fixture<ParleyLauncherStub>(template);
    expect(FakeWorker.created.length, 'no worker before idle').to.equal(0);
    await idle.run();
    await waitUntil(() => FakeWorker.created.length === 1, 'a worker starts on idle');
    return { el, worker: FakeWorker.created[0] as FakeWorker };
  }

  it('starts a module worker on idle, with the project, the transport, the language and the page', async () => {
    const { worker } = await watched(html`<parley-launcher supabase-url=${url} supabase-key="anon" realtime="broadcast" lang="de"></parley-launcher>`);
    expect(worker.options.type).to.equal('module');
    expect(worker.url.startsWith('blob:'), 'a blob: worker, so parley.js may come from another origin').to.equal(true);
    const [start] = worker.received;
    expect(start).to.deep.include({ type: 'start', supabaseUrl: url, supabaseKey: 'anon', realtime: 'broadcast', language: 'de' });
    expect(start?.type === 'start' && start.page).to.deep.equal({
      href: location.href, title: document.title, referrer: document.referrer, width: screen.width, height: screen.height,
    });
    expect(loads, 'the chat is not loaded').to.equal(0);
  });

  it('draws the unread count on its bubble and names it, in the page\'s language', async () => {
    const { el, worker } = await watched();
    expect(badge(el)).to.equal(null);
    worker.emit({ type: 'unread', count: 3, digits: '3' });
    expect(badge(el)?.textContent).to.equal('3');
    expect(badge(el)?.checkVisibility()).to.equal(true);
    expect(bubble(el).getAttribute('aria-label')).to.equal('Open chat, 3 unread');
    worker.emit({ type: 'unread', count: 120, digits: '120' });
    expect(badge(el)?.textContent).to.equal('99+');
    expect(bubble(el).getAttribute('aria-label')).to.equal('Open chat, 120 unread');
    worker.emit({ type: 'unread', count: 0, digits: '0' });
    expect(badge(el)?.checkVisibility()).to.equal(false);
    expect(bubble(el).getAttribute('aria-label')).to.equal('Open chat');
    // The host's strings win; another language's label and digits.
    el.strings = { unread: '{count} new' };
    worker.emit({ type: 'unread', count: 2, digits: '2' });
    expect(bubble(el).getAttribute('aria-label')).to.equal('Open chat, 2 new');
    const { el: german, worker: second } = await (async () => {
      FakeWorker.created = [];
      return watched(html`<parley-launcher supabase-url=${url} supabase-key="anon" lang="ar"></parley-launcher>`);
    })();
    second.emit({ type: 'unread', count: 4, digits: '٤' });
    expect(bubble(german).getAttribute('aria-label')).to.equal('فتح المحادثة, غير مقروءة: ٤');
    expect(badge(german)?.textContent).to.equal('4');
    expect(loads).to.equal(0);
  });

  it('draws the same badge as the full launcher', async () => {
    const { el, worker } = await watched();
    worker.emit({ type: 'unread', count: 5, digits: '5' });
    const module = await import('../../src/embed/app.ts');
    const full = document.createElement(module.appTag) as ParleyLauncher;
    document.body.append(full);
    await full.updateComplete;
    try {
      // The full launcher's rules on a badge in its own bubble.
      const theirs = document.createElement('span');
      theirs.className = 'badge';
      theirs.textContent = '5';
      full.shadowRoot?.querySelector('[part~="bubble"]')?.append(theirs);
      const properties = ['position', 'top', 'right', 'min-width', 'padding-left', 'border-top-left-radius', 'background-color', 'color',
        'font-family', 'font-size', 'font-weight', 'line-height', 'text-align'] as const;
      const style = (node: Element) => Object.fromEntries(properties.map((p) => [p, getComputedStyle(node).getPropertyValue(p)]));
      expect(style(badge(el) as HTMLElement)).to.deep.equal(style(theirs));
      el.setAttribute('theme', 'dark');
      full.theme = 'dark';
      await full.updateComplete;
      expect(style(badge(el) as HTMLElement), 'dark').to.deep.equal(style(theirs));
    } finally {
      full.remove();
    }
  });

  it('is accessible with its badge, in light and dark', async () => {
    const { el, worker } = await watched();
    worker.emit({ type: 'unread', count: 2, digits: '2' });
    await expectAccessibleInBothThemes(el);
  });

  it('lends the worker the visitor\'s auth session in localStorage, and nothing else', async () => {
    const { worker } = await watched();
    localStorage.setItem(outboxKeyFor(url).replace('outbox', 'other'), 'kept');
    worker.emit({ type: 'set', key: authKey, value: '{"renewed":true}' });
    worker.emit({ type: 'set', key: `${authKey}-user`, value: 'u' });
    expect(localStorage.getItem(authKey)).to.equal('{"renewed":true}');
    expect(localStorage.getItem(`${authKey}-user`)).to.equal('u');
    worker.emit({ type: 'get', id: 7, key: authKey });
    expect(worker.received.at(-1)).to.deep.equal({ type: 'stored', id: 7, value: '{"renewed":true}' });
    // Other keys: not read, not written, not removed.
    const answered = worker.received.length;
    worker.emit({ type: 'get', id: 8, key: 'parley-settings:127.0.0.1:9' });
    worker.emit({ type: 'set', key: 'parley-other:127.0.0.1:9', value: 'x' });
    worker.emit({ type: 'remove', key: 'parley-other:127.0.0.1:9' });
    expect(worker.received.length).to.equal(answered);
    expect(localStorage.getItem('parley-other:127.0.0.1:9')).to.equal('kept');
    // Malformed messages change nothing.
    for (const bad of [null, 'set', { type: 'set', key: authKey }, { type: 'unread', count: -1, digits: '-1' }, { type: 'get', id: 'x', key: authKey }, { type: 'end' }]) {
      worker.emit(bad as Record<string, unknown>);
    }
    expect(localStorage.getItem(authKey)).to.equal('{"renewed":true}');
    expect(worker.received.length).to.equal(answered);
    worker.emit({ type: 'remove', key: `${authKey}-user` });
    expect(localStorage.getItem(`${authKey}-user`)).to.equal(null);
    expect(worker.terminated).to.equal(false);
  });

  it('tells the worker about single-page navigations', async () => {
    const { worker } = await watched();
    const before = location.href;
    history.pushState({}, '', '?watched-page');
    try {
      await waitUntil(() => worker.received.some((m) => m.type === 'page' && m.page.href.endsWith('?watched-page')), 'the navigation is told');
    } finally {
      history.replaceState({}, '', before);
    }
  });

  it('hands over to the full launcher when the team writes, and the worker ends once it is mounted', async () => {
    const { el, worker } = await watched();
    worker.emit({ type: 'unread', count: 1, digits: '1' });
    worker.emit({ type: 'reply' });
    await waitUntil(() => appOf(el) !== null && connects.includes(true), 'the full launcher connects');
    expect(connects[0], 'for a reply heard by the watch').to.equal(true);
    expect(worker.terminated).to.equal(true);
    expect(el.open).to.equal(false);
    expect(FakeWorker.created.length).to.equal(1);
  });

  it('connects the full launcher instead when the watch fails, and stays a bubble when there is nothing to watch', async () => {
    const { el, worker } = await watched();
    worker.onerror?.(new Event('error'));
    await waitUntil(() => connects.length > 0, 'connected instead');
    expect(connects[0]).to.equal(false);
    expect(worker.terminated).to.equal(true);
    expect(appOf(el)).to.not.equal(null);

    FakeWorker.created = [];
    const { el: other, worker: second } = await watched();
    second.emit({ type: 'end', failed: false });
    expect(second.terminated).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(appOf(other)).to.equal(null);
    expect(loads).to.equal(1);
  });

  it('connects the full launcher instead for unsent messages, a host token or an identify() call', async () => {
    // (The full launcher also connects itself on idle for a returning visitor: only whether it did counts.)
    localStorage.setItem(outboxKeyFor(url), '[]');
    const pending = await fixture<ParleyLauncherStub>(html`<parley-launcher supabase-url=${url} supabase-key="anon"></parley-launcher>`);
    await idle.run();
    await waitUntil(() => appOf(pending) !== null && connects.length > 0, 'the full launcher sends them');
    expect(FakeWorker.created.length).to.equal(0);
    localStorage.removeItem(outboxKeyFor(url));

    const tokened = document.createElement('parley-launcher');
    Object.assign(tokened, { supabaseUrl: url, supabaseKey: 'anon', accessToken: () => Promise.resolve(null) });
    document.body.append(tokened);
    try {
      const before = connects.length;
      await idle.run();
      await waitUntil(() => appOf(tokened) !== null && connects.length > before, 'the full launcher uses the host token');
      expect(FakeWorker.created.length).to.equal(0);
    } finally {
      tokened.remove();
    }

    const { el, worker } = await watched();
    el.identify({ name: 'Ada' });
    await waitUntil(() => appOf(el) !== null && worker.terminated, 'the full launcher writes the identity');
    expect(loads).to.equal(3);
  });

  it('ends the worker when it is removed, and opening loads the chat as before', async () => {
    const { el, worker } = await watched();
    el.remove();
    expect(worker.terminated).to.equal(true);
    FakeWorker.created = [];
    const { el: again, worker: second } = await watched();
    again.open = true;
    await waitUntil(() => appOf(again)?.open === true, 'opens');
    expect(second.terminated).to.equal(true);
    expect(loads).to.equal(1);
    again.open = false;
    await waitUntil(() => appOf(again)?.open === false, 'closed');
  });
});

import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import { ParleyLauncherStub, type LauncherApp } from '../../src/embed/launcher-stub.ts';
import { ParleyLauncher as ParleyLauncherClass } from '../../src/elements/launcher/launcher.ts';
import type { ParleyLauncher } from '../../src/elements/launcher/launcher.ts';
import { launcherStrings } from '../../src/i18n/strings.ts';
import { authStorageKey } from '../../src/session/storage-key.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { fakeIdle } from '../browser-helpers/idle.ts';
import '../browser-helpers/console-guard.ts';

// The embed's own registration (src/embed/parley.ts), without importing the entry's side effects twice.
ParleyLauncherStub.define('parley-launcher');

declare global {
  interface HTMLElementTagNameMap {
    'parley-launcher-stub-test': ParleyLauncherStub;
  }
}

const realLoader = (): Promise<LauncherApp> => import('../../src/embed/app.ts');
let loads = 0;

/** The real chunk from the sources, counted. */
function countingLoader(): Promise<LauncherApp> {
  loads += 1;
  return realLoader();
}

const stubBubble = (el: Element): HTMLButtonElement => {
  const button = el.shadowRoot?.querySelector('.base > [part~="bubble"]');
  if (!(button instanceof HTMLButtonElement)) throw new Error('no stub bubble');
  return button;
};

const appOf = (el: Element): ParleyLauncher | null => el.shadowRoot?.querySelector<ParleyLauncher>('parley-launcher-app') ?? null;

function appPart(el: Element, name: string): HTMLElement | null {
  return appOf(el)?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

/** Counts every way the page could touch the network or persist something, until restored. */
function watchSideEffects(): { readonly count: () => Record<string, number>; restore: () => void } {
  const counts = { fetch: 0, xhr: 0, websocket: 0, beacon: 0, storage: 0, cookie: 0, indexedDB: 0 };
  const originalFetch = window.fetch;
  const OriginalSocket = window.WebSocket;
  const originalOpen = XMLHttpRequest.prototype.open;
  const originalBeacon = navigator.sendBeacon.bind(navigator);
  const storage = Storage.prototype;
  const { setItem, removeItem, clear } = storage;
  const originalIdbOpen = indexedDB.open.bind(indexedDB);
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  window.fetch = (...args: Parameters<typeof fetch>) => {
    counts.fetch += 1;
    return originalFetch(...args);
  };
  window.WebSocket = class extends OriginalSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      counts.websocket += 1;
      super(...args);
    }
  };
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['open']>) {
    counts.xhr += 1;
    return (originalOpen as (...a: unknown[]) => void).apply(this, args);
  } as XMLHttpRequest['open'];
  navigator.sendBeacon = (...args: Parameters<Navigator['sendBeacon']>) => {
    counts.beacon += 1;
    return originalBeacon(...args);
  };
  storage.setItem = function (this: Storage, ...args: Parameters<Storage['setItem']>) {
    counts.storage += 1;
    setItem.apply(this, args);
  };
  storage.removeItem = function (this: Storage, ...args: Parameters<Storage['removeItem']>) {
    counts.storage += 1;
    removeItem.apply(this, args);
  };
  storage.clear = function (this: Storage) {
    counts.storage += 1;
    clear.apply(this);
  };
  indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
    counts.indexedDB += 1;
    return originalIdbOpen(...args);
  };
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => cookie?.get?.call(document) as string,
    set: (value: string) => {
      counts.cookie += 1;
      cookie?.set?.call(document, value);
    },
  });
  return {
    count: () => ({ ...counts }),
    restore() {
      window.fetch = originalFetch;
      window.WebSocket = OriginalSocket;
      XMLHttpRequest.prototype.open = originalOpen;
      navigator.sendBeacon = originalBeacon;
      Object.assign(storage, { setItem, removeItem, clear });
      indexedDB.open = originalIdbOpen;
      Reflect.deleteProperty(document, 'cookie');
    },
  };
}

describe('<parley-launcher> embed stub (src/embed)', () => {
  let idleCallbacks: ReturnType<typeof fakeIdle>;
  /** The browser goes idle. */
  const idle = (): Promise<void> => idleCallbacks.run();

  beforeEach(() => {
    loads = 0;
    ParleyLauncherStub.loadApp = countingLoader;
    idleCallbacks = fakeIdle();
  });

  afterEach(async () => {
    idleCallbacks.restore();
    await emulateMedia({ colorScheme: 'light' });
  });

  describe('renders', () => {
    it('is defined once, even when define() runs again', () => {
      expect(customElements.get('parley-launcher')).to.equal(ParleyLauncherStub);
      expect(() => ParleyLauncherStub.define('parley-launcher')).not.to.throw();
    });

    it('renders the full launcher bubble: same name, ARIA and parts', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher></parley-launcher>`);
      const button = stubBubble(el);
      expect(button.getAttribute('aria-label')).to.equal(launcherStrings.open);
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
      expect(button.getAttribute('aria-controls')).to.equal('panel');
      expect(button.type).to.equal('button');
      expect(button.closest('[part~="base"]')).to.not.equal(null);
      expect(loads).to.equal(0);
    });

    for (const scheme of ['light', 'dark'] as const) {
      it(`looks like the full launcher's bubble (${scheme} scheme, and forced by theme)`, async () => {
        await realLoader();
        await emulateMedia({ colorScheme: scheme });
        for (const theme of [undefined, 'light', 'dark'] as const) {
          const stub = await fixture<ParleyLauncherStub>(html`<parley-launcher theme=${theme ?? ''}></parley-launcher>`);
          if (!theme) stub.removeAttribute('theme');
          const full = document.createElement('parley-launcher-app');
          if (theme) full.theme = theme;
          document.body.append(full);
          await full.updateComplete;
          try {
            const ours = stubBubble(stub);
            const theirs = full.shadowRoot?.querySelector<HTMLElement>('[part~="bubble"]');
            if (!theirs) throw new Error('no full bubble');
            const properties = ['width', 'height', 'background-color', 'color', 'border-radius', 'box-shadow', 'border-top-width',
              'cursor', 'display', 'position', 'outline-color'] as const;
            const style = (node: Element) => Object.fromEntries(properties.map((p) => [p, getComputedStyle(node).getPropertyValue(p)]));
            expect(style(ours), `bubble, theme ${theme ?? 'unset'}`).to.deep.equal(style(theirs));
            expect(ours.getBoundingClientRect().toJSON()).to.deep.equal(theirs.getBoundingClientRect().toJSON());
            expect(ours.querySelector('svg')?.getAttribute('viewBox')).to.equal(theirs.querySelector('svg')?.getAttribute('viewBox'));
            expect(ours.querySelector('path')?.getAttribute('d')).to.equal(theirs.querySelector('path')?.getAttribute('d'));
            const svgSize = (node: Element) => getComputedStyle(node.querySelector('svg') as Element).width;
            expect(svgSize(ours)).to.equal(svgSize(theirs));
          } finally {
            full.remove();
          }
        }
      });
    }

    it('reads --parley-* tokens from the page like the full launcher', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher style="--parley-color-accent: rgb(1, 2, 3); --parley-launcher-offset: 7px"></parley-launcher>`);
      expect(getComputedStyle(stubBubble(el)).backgroundColor).to.equal('rgb(1, 2, 3)');
      const box = stubBubble(el).getBoundingClientRect();
      expect(window.innerHeight - box.bottom).to.equal(7);
    });

    it('nothing but the bubble before the first open: no request, no chunk, no storage or cookie', async () => {
      const watch = watchSideEffects();
      try {
        const el = await fixture<ParleyLauncherStub>(
          html`<parley-launcher supabase-url="http://127.0.0.1:9" supabase-key="anon" theme="dark" lang="fr"></parley-launcher>`,
        );
        el.strings = { open: 'Ouvrir' };
        await idle();
        el.remove();
        document.body.append(el);
        await idle();
        expect(watch.count()).to.deep.equal({ fetch: 0, xhr: 0, websocket: 0, beacon: 0, storage: 0, cookie: 0, indexedDB: 0 });
        expect(loads).to.equal(0);
        expect(appOf(el) === null, 'nothing mounted').to.equal(true);
        el.remove();
      } finally {
        watch.restore();
      }
    });
  });

  describe('is accessible', () => {
    it('in light and dark', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher></parley-launcher>`);
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('properties', () => {
    it('takes string overrides, also set before the element was defined', async () => {
      const early = document.createElement('parley-launcher-stub-test');
      early.strings = { open: 'Chat öffnen' };
      document.body.append(early);
      class Late extends ParleyLauncherStub {}
      Late.define('parley-launcher-stub-test');
      try {
        expect(stubBubble(early).getAttribute('aria-label')).to.equal('Chat öffnen');
        expect(early.strings).to.deep.equal({ open: 'Chat öffnen' });
      } finally {
        early.remove();
      }
    });

    it('forwards attributes, properties and parts, and keeps forwarding changes', async () => {
      const client = { auth: {} } as unknown as ParleyLauncher['client'];
      const accessToken = async (): Promise<string | null> => 'token';
      const el = await fixture<ParleyLauncherStub>(html`
        <parley-launcher
          id="chat"
          class="site-widget"
          data-role="x"
          supabase-url="http://127.0.0.1:9"
          supabase-key="anon"
          theme="dark"
          pre-chat="required"
          lang="fr"
          dir="rtl"
        ></parley-launcher>
      `);
      el.strings = { open: 'Ouvrir', title: 'Discutons' };
      const elementStrings = { composer: { placeholder: 'Écrivez…' } };
      el.elementStrings = elementStrings;
      el.accessToken = accessToken;
      el.client = client;
      const app = await el.load();
      expect(el.open, 'load() does not open').to.equal(false);
      expect(app.getAttribute('supabase-url')).to.equal('http://127.0.0.1:9');
      expect(app.supabaseKey).to.equal('anon');
      expect(app.theme).to.equal('dark');
      expect(app.getAttribute('pre-chat')).to.equal('required');
      expect(app.lang).to.equal('fr');
      expect(app.getAttribute('dir')).to.equal('rtl');
      for (const local of ['id', 'class', 'data-role']) expect(app.hasAttribute(local), local).to.equal(false);
      expect(app.strings).to.deep.equal({ open: 'Ouvrir', title: 'Discutons' });
      expect(app.client === client, 'client forwarded').to.equal(true);
      expect(app.elementStrings === elementStrings, 'elementStrings forwarded').to.equal(true);
      expect(app.accessToken === accessToken, 'accessToken forwarded').to.equal(true);
      expect(appPart(el, 'bubble')?.getAttribute('aria-label')).to.equal('Ouvrir');
      // The stub's properties now read and write the full launcher's.
      el.strings = { open: 'Ouvrir le chat' };
      expect(app.strings).to.deep.equal({ open: 'Ouvrir le chat' });
      el.client = undefined;
      expect(app.client === undefined, 'client cleared').to.equal(true);
      el.theme = 'light';
      el.supabaseUrl = 'http://127.0.0.1:8';
      el.setAttribute('pre-chat', 'optional');
      el.removeAttribute('dir');
      await waitUntil(() => app.theme === 'light' && app.supabaseUrl === 'http://127.0.0.1:8', 'changes forwarded');
      expect(app.getAttribute('pre-chat')).to.equal('optional');
      expect(app.hasAttribute('dir')).to.equal(false);
      const exported = (app.getAttribute('exportparts') ?? '').split(/\s*,\s*/);
      for (const part of ['base', 'bubble', 'badge', 'panel', 'header', 'close-button']) expect(exported).to.include(part);
    });

    it('keeps identify() calls made before the chat loads and replays them in order, refusing bad input at once', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher supabase-url="http://127.0.0.1:9" supabase-key="anon"></parley-launcher>`);
      const input: { name: string; plan?: string } = { name: 'Ada' };
      el.identify(input);
      input.plan = 'changed after the call';
      el.identify({ email: 'ada@example.com', plan: 'pro' });
      expect(() => el.identify({ plan: { tier: 'pro' } } as unknown as { plan: string }), 'bad input').to.throw(TypeError, /attribute "plan"/);
      expect(() => el.identify({ email: 'nope' }), 'bad email').to.throw(TypeError, /not an email address/);
      const calls: unknown[] = [];
      const original = Object.getOwnPropertyDescriptor(ParleyLauncherClass.prototype, 'identify') as PropertyDescriptor;
      Object.defineProperty(ParleyLauncherClass.prototype, 'identify', { configurable: true, value(value: unknown) { calls.push(value); } });
      try {
        await el.load();
        expect(calls, 'replayed in order once mounted, as they were when called').to.deep.equal([{ name: 'Ada' }, { email: 'ada@example.com', plan: 'pro' }]);
        el.identify({ name: 'Ada L' });
        expect(calls.at(-1), 'then straight through').to.deep.equal({ name: 'Ada L' });
      } finally {
        Object.defineProperty(ParleyLauncherClass.prototype, 'identify', original);
      }
      expect(el.open, 'identify never opens the chat').to.equal(false);
    });

    it('inherits the page language when set on an ancestor', async () => {
      const wrapper = await fixture<HTMLElement>(html`<div lang="de"><parley-launcher></parley-launcher></div>`);
      const el = wrapper.querySelector('parley-launcher') as unknown as ParleyLauncherStub;
      const app = await el.load();
      expect(app.lang).to.equal('de');
    });

    it('lets the page style the loaded launcher through its parts', async () => {
      const style = document.createElement('style');
      style.textContent = 'parley-launcher.styled::part(panel) { outline: 3px solid rgb(9, 8, 7); }';
      document.head.append(style);
      try {
        const el = await fixture<ParleyLauncherStub>(html`<parley-launcher class="styled" open></parley-launcher>`);
        await waitUntil(() => appPart(el, 'panel') !== null, 'the panel renders');
        expect(getComputedStyle(appPart(el, 'panel') as HTMLElement).outlineColor).to.equal('rgb(9, 8, 7)');
      } finally {
        style.remove();
      }
    });

    it('opens from the open attribute set in the markup', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher open></parley-launcher>`);
      await waitUntil(() => appOf(el)?.open === true, 'opens');
      expect(loads).to.equal(1);
    });
  });

  describe('events', () => {
    it('dispatches no events of its own: the page reads `open`, and the loaded launcher documents none either', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher></parley-launcher>`);
      const dispatched: string[] = [];
      const dispatch = el.dispatchEvent.bind(el);
      el.dispatchEvent = (event: Event) => {
        dispatched.push(event.type);
        return dispatch(event);
      };
      el.show();
      await waitUntil(() => appOf(el)?.open === true, 'opens');
      el.hide();
      await waitUntil(() => appOf(el)?.open === false, 'closes');
      expect(dispatched).to.deep.equal([]);
    });
  });

  describe('interaction', () => {
    it('loads the full launcher on click, opens it with focus in the panel, and hides its own bubble', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher></parley-launcher>`);
      stubBubble(el).focus();
      await sendKeys({ press: 'Enter' });
      expect(el.open).to.equal(true);
      await waitUntil(() => appOf(el)?.open === true, 'the full launcher opens');
      expect(loads).to.equal(1);
      const app = appOf(el) as ParleyLauncher;
      await waitUntil(() => appPart(el, 'panel')?.contains(app.shadowRoot?.activeElement ?? null) === true, 'focus moves into the panel');
      expect(appPart(el, 'panel')?.getAttribute('role')).to.equal('dialog');
      expect(stubBubble(el).closest<HTMLElement>('.base')?.hidden).to.equal(true);
      expect(stubBubble(el).checkVisibility()).to.equal(false);
      expect(appPart(el, 'bubble')?.getAttribute('aria-expanded')).to.equal('true');
      expect(el.matches(':state(open)')).to.equal(true);
      // Every element the panel renders came with the chunk.
      expect([...(app.shadowRoot?.querySelectorAll(':not(:defined)') ?? [])].map((n) => n.localName)).to.deep.equal([]);
      // Without a client or url + key the session cannot start; the panel says so, as the full launcher does.
      await waitUntil(() => app.phase === 'error', 'error phase without configuration');
    });

    it('closes on Escape and returns focus to the bubble; opening again uses the loaded launcher', async () => {
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher></parley-launcher>`);
      el.show();
      await waitUntil(() => appPart(el, 'panel')?.contains(appOf(el)?.shadowRoot?.activeElement ?? null) === true, 'focus in the panel');
      await sendKeys({ press: 'Escape' });
      await waitUntil(() => !el.open, 'closed');
      const app = appOf(el) as ParleyLauncher;
      await app.updateComplete;
      expect(app.open).to.equal(false);
      expect(el.hasAttribute('open')).to.equal(false);
      expect(el.matches(':state(open)')).to.equal(false);
      // Compared as booleans: a failure message holding these elements would serialise the whole widget.
      expect(app.shadowRoot?.activeElement === appPart(el, 'bubble'), 'focus on the bubble').to.equal(true);
      expect(document.activeElement === el, 'the page sees focus on <parley-launcher>').to.equal(true);
      appPart(el, 'bubble')?.click();
      await waitUntil(() => el.open, 'the full bubble opens it again, and the stub follows');
      el.hide();
      await app.updateComplete;
      expect(app.open).to.equal(false);
      expect(loads).to.equal(1);
    });

    it('goes back to a closed bubble when the chunk fails to load, and tries again on the next click', async () => {
      let fail = true;
      ParleyLauncherStub.loadApp = () => {
        loads += 1;
        return fail ? Promise.reject(new Error('offline')) : realLoader();
      };
      const el = await fixture<ParleyLauncherStub>(html`<parley-launcher></parley-launcher>`);
      const logged: unknown[][] = [];
      const { error } = console;
      console.error = (...args: unknown[]) => logged.push(args);
      try {
        stubBubble(el).click();
        await waitUntil(() => !el.open, 'closed again');
      } finally {
        console.error = error;
      }
      expect(String(logged[0]?.[0])).to.contain('could not be loaded');
      expect(appOf(el) === null, 'nothing mounted').to.equal(true);
      expect(stubBubble(el).getAttribute('aria-expanded')).to.equal('false');
      fail = false;
      stubBubble(el).click();
      await waitUntil(() => appOf(el)?.open === true, 'opens on the second try');
      expect(loads).to.equal(2);
    });

    describe('a returning visitor on a page that allows no worker', () => {
      // Loading the chunk and starting the session are real; only the idle wait is faked. The
      // watch (test/elements/embed-watch.test.ts) needs a worker: a policy that forbids them
      // (worker-src without blob:) makes the constructor throw, as here.
      const loading = { timeout: 8000 };
      const url = 'http://127.0.0.1:9';
      const OriginalWorker = window.Worker;
      beforeEach(() => {
        window.Worker = function refused() {
          throw new DOMException('Refused by the Content-Security-Policy', 'SecurityError');
        } as unknown as typeof Worker;
      });
      afterEach(() => {
        window.Worker = OriginalWorker;
        localStorage.removeItem(authStorageKey(url));
      });

      it('loads and connects the full launcher on idle instead of watching, closed, when the auth session is stored', async () => {
        localStorage.setItem(authStorageKey(url), '{}');
        const el = await fixture<ParleyLauncherStub>(html`<parley-launcher supabase-url=${url} supabase-key="anon"></parley-launcher>`);
        expect(loads, 'nothing before idle').to.equal(0);
        await idle();
        await waitUntil(() => appOf(el) !== null, 'loaded on idle', loading);
        const app = appOf(el) as ParleyLauncher;
        expect(app.open).to.equal(false);
        expect(el.open).to.equal(false);
        // connect(): the session starts while the panel stays closed (here it fails: nothing listens on :9).
        await waitUntil(() => app.phase !== 'idle', 'the session starts');
        await app.updateComplete;
        expect(appPart(el, 'panel'), 'the bubble only: no panel is built before it opens').to.equal(null);
        expect(appPart(el, 'bubble')?.checkVisibility()).to.equal(true);
        expect(stubBubble(el).checkVisibility()).to.equal(false);
        // Opening builds the panel on the session the idle connect started, not a second one.
        const session = app.session;
        el.open = true;
        await waitUntil(() => appPart(el, 'panel')?.checkVisibility() === true, 'the panel opens');
        expect(app.session).to.equal(session);
        expect(app.shadowRoot?.querySelector('parley-thread') instanceof HTMLElement && customElements.get('parley-thread') !== undefined).to.equal(true);
        // Closed again, so this tab's stored panel state does not reopen the next tests' launchers.
        el.open = false;
        await waitUntil(() => !app.open, 'closed');
        await app.updateComplete;
      });

      it('waits for the first open without a stored session, or with a host client', async () => {
        const plain = await fixture<ParleyLauncherStub>(html`<parley-launcher supabase-url=${url} supabase-key="anon"></parley-launcher>`);
        localStorage.setItem(authStorageKey(url), '{}');
        const hosted = document.createElement('parley-launcher');
        hosted.supabaseUrl = url;
        hosted.client = { auth: {} } as unknown as ParleyLauncher['client'];
        document.body.append(hosted);
        try {
          await idle();
          expect(loads).to.equal(0);
          expect(appOf(plain) === null, 'nothing mounted').to.equal(true);
        } finally {
          hosted.remove();
        }
      });

      it('moves focus to the full bubble when the swap happens while the stub bubble has it', async () => {
        localStorage.setItem(authStorageKey(url), '{}');
        const el = document.createElement('parley-launcher');
        Object.assign(el, { supabaseUrl: url, supabaseKey: 'anon' });
        document.body.append(el);
        try {
          // In the same task as mounting, so before the idle callback can run.
          stubBubble(el).focus();
          expect(el.shadowRoot?.activeElement === stubBubble(el), 'the stub bubble has focus').to.equal(true);
          await idle();
          await waitUntil(() => appOf(el) !== null && stubBubble(el).closest<HTMLElement>('.base')?.hidden === true, 'swapped', loading);
          expect(appOf(el)?.shadowRoot?.activeElement === appPart(el, 'bubble'), 'focus on the full bubble').to.equal(true);
        } finally {
          el.remove();
        }
      });
    });
  });
});

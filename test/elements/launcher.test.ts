import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { LitElement, html as litHtml } from 'lit';
import { atom } from 'nanostores';
import { StoreController } from '../../src/elements/store-controller.ts';
import '../../src/define.ts';
import { ParleyLauncher } from '../../src/define.ts';
import { launcherStrings } from '../../src/i18n/strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';

function part(el: ParleyLauncher, name: string): HTMLElement | null {
  return el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

function bubble(el: ParleyLauncher): HTMLButtonElement {
  const button = part(el, 'bubble');
  if (!(button instanceof HTMLButtonElement)) throw new Error('no bubble');
  return button;
}

describe('<parley-launcher>', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  it('is defined once, even when define() runs again', () => {
    expect(customElements.get('parley-launcher')).to.equal(ParleyLauncher);
    expect(() => ParleyLauncher.define('parley-launcher')).not.to.throw();
  });

  it('renders a labelled bubble and no panel before the first open', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
    const button = bubble(el);
    expect(button.getAttribute('aria-label')).to.equal(launcherStrings.open);
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
    expect(part(el, 'panel')).to.equal(null);
    expect(part(el, 'badge'), 'no badge at zero unread').to.equal(null);
  });

  it('is accessible closed, in light and dark', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
    await expectAccessibleInBothThemes(el);
  });

  it('opens a labelled dialog with status, thread and composer; accessible in light and dark', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
    bubble(el).click();
    await el.updateComplete;
    const panel = part(el, 'panel');
    expect(panel?.getAttribute('role')).to.equal('dialog');
    expect(panel?.hidden).to.equal(false);
    const title = el.shadowRoot?.getElementById(panel?.getAttribute('aria-labelledby') ?? '');
    expect(title?.textContent?.trim()).to.equal(launcherStrings.title);
    expect(panel?.querySelector('parley-status')).to.not.equal(null);
    expect(panel?.querySelector('parley-thread')).to.not.equal(null);
    expect(panel?.querySelector('parley-composer')).to.not.equal(null);
    expect(bubble(el).getAttribute('aria-expanded')).to.equal('true');
    expect(el.hasAttribute('open')).to.equal(true);
    expect(el.matches(':state(open)')).to.equal(true);
    // Neither a client nor url + key: the session cannot start, and the panel says so.
    await waitUntil(() => el.phase === 'error', 'error phase without configuration');
    await el.updateComplete;
    expect(panel?.querySelector('parley-status')?.status).to.equal('error');
    expect(panel?.querySelector('parley-composer')?.disabled).to.equal(true);
    await expectAccessibleInBothThemes(el);
  });

  it('closes on Escape and returns focus to the bubble', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
    bubble(el).focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.open).to.equal(true);
    await waitUntil(() => part(el, 'panel')?.contains(el.shadowRoot?.activeElement ?? null) === true, 'focus moves into the panel');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(part(el, 'panel')?.hidden).to.equal(true);
    expect(el.shadowRoot?.activeElement).to.equal(bubble(el));
  });

  it('the close button closes and returns focus too', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
    await el.updateComplete;
    part(el, 'close-button')?.focus();
    part(el, 'close-button')?.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.shadowRoot?.activeElement).to.equal(bubble(el));
  });

  it('returns focus to the bubble when the host closes the panel with focus inside it', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
    await el.updateComplete;
    part(el, 'close-button')?.focus();
    el.removeAttribute('open');
    await el.updateComplete;
    expect(el.shadowRoot?.activeElement).to.equal(bubble(el));
  });

  it('leaves focus alone when closed while focus is elsewhere', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
    await el.updateComplete;
    const outside = document.createElement('button');
    document.body.append(outside);
    outside.focus();
    el.open = false;
    await el.updateComplete;
    expect(document.activeElement).to.equal(outside);
    outside.remove();
  });

  it('takes string overrides', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher .strings=${{ open: 'Ouvrir le chat' }}></parley-launcher>`);
    expect(bubble(el).getAttribute('aria-label')).to.equal('Ouvrir le chat');
  });

  it('passes its theme down', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher theme="dark" open></parley-launcher>`);
    await el.updateComplete;
    expect(part(el, 'panel')?.querySelector('parley-thread')?.getAttribute('theme')).to.equal('dark');
    expect(part(el, 'panel')?.querySelector('parley-composer')?.getAttribute('theme')).to.equal('dark');
  });

  it('fills the viewport below 480px wide and floats above it', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
    await el.updateComplete;
    const panel = part(el, 'panel') as HTMLElement;
    try {
      const bubble = part(el, 'bubble') as HTMLElement;
      await setViewport({ width: 400, height: 700 });
      let box = panel.getBoundingClientRect();
      expect([box.left, box.top, box.width, box.height]).to.deep.equal([0, 0, 400, 700]);
      // Full screen, the bubble would sit on the composer; the panel's close button replaces it.
      expect(getComputedStyle(bubble).display).to.equal('none');
      await setViewport({ width: 1000, height: 800 });
      box = panel.getBoundingClientRect();
      expect(box.width).to.be.lessThan(500);
      expect(box.right).to.be.lessThan(1000);
      expect(getComputedStyle(bubble).display).not.to.equal('none');
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('makes no network request and creates no client before the first open', async () => {
    const original = window.fetch;
    const OriginalSocket = window.WebSocket;
    let fetches = 0;
    let sockets = 0;
    window.fetch = (...args: Parameters<typeof fetch>) => {
      fetches += 1;
      return original(...args);
    };
    window.WebSocket = class extends OriginalSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        sockets += 1;
        super(...args);
      }
    };
    try {
      const el = await fixture<ParleyLauncher>(
        html`<parley-launcher supabase-url="http://127.0.0.1:9" supabase-key="anon"></parley-launcher>`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      el.remove();
      document.body.append(el);
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(el.session).to.equal(undefined);
      expect(fetches).to.equal(0);
      expect(sockets).to.equal(0);
      el.remove();
    } finally {
      window.fetch = original;
      window.WebSocket = OriginalSocket;
    }
  });
});

class StoreHost extends LitElement {
  readonly count = atom(0);
  readonly other = atom('a');
  readonly stores = new StoreController(this, this.count);
  renders = 0;

  protected override render(): unknown {
    this.renders += 1;
    return litHtml`${this.count.get()} ${this.other.get()}`;
  }
}
customElements.define('store-controller-host', StoreHost);

describe('StoreController', () => {
  it('re-renders on store changes while connected, and stops listening when disconnected', async () => {
    const el = await fixture<StoreHost>(html`<store-controller-host></store-controller-host>`);
    expect(el.shadowRoot?.textContent?.trim()).to.equal('0 a');
    el.count.set(1);
    await el.updateComplete;
    expect(el.shadowRoot?.textContent?.trim()).to.equal('1 a');
    el.stores.setStores(el.other);
    await el.updateComplete;
    el.other.set('b');
    await el.updateComplete;
    expect(el.shadowRoot?.textContent?.trim()).to.equal('1 b');
    el.remove();
    const renders = el.renders;
    expect(el.other.lc, 'no listeners once disconnected').to.equal(0);
    expect(el.count.lc).to.equal(0);
    el.other.set('c');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(el.renders).to.equal(renders);
  });
});

/** Calls to Storage (localStorage and sessionStorage) while `fn` runs, as `method key`. */
async function storageCalls(fn: () => Promise<void>): Promise<string[]> {
  const calls: string[] = [];
  const proto = Storage.prototype;
  const originals = { getItem: proto.getItem, setItem: proto.setItem, removeItem: proto.removeItem, clear: proto.clear, key: proto.key };
  proto.getItem = function (this: Storage, key: string) {
    calls.push(`getItem ${key}`);
    return originals.getItem.call(this, key);
  };
  proto.setItem = function (this: Storage, key: string, value: string) {
    calls.push(`setItem ${key}`);
    originals.setItem.call(this, key, value);
  };
  proto.removeItem = function (this: Storage, key: string) {
    calls.push(`removeItem ${key}`);
    originals.removeItem.call(this, key);
  };
  proto.clear = function (this: Storage) {
    calls.push('clear');
    originals.clear.call(this);
  };
  proto.key = function (this: Storage, index: number) {
    calls.push(`key ${index}`);
    return originals.key.call(this, index);
  };
  try {
    await fn();
  } finally {
    Object.assign(proto, originals);
  }
  return calls;
}

describe('<parley-launcher> storage', () => {
  it('touches no storage before the first open; then keeps the outbox under a key of the project', async () => {
    let el: ParleyLauncher | undefined;
    const before = await storageCalls(async () => {
      el = await fixture<ParleyLauncher>(
        html`<parley-launcher supabase-url="http://127.0.0.1:9" supabase-key="anon" pre-chat="required"></parley-launcher>`,
      );
      el.remove();
      document.body.append(el);
      await el.updateComplete;
    });
    expect(before).to.deep.equal([]);
    const opened = await storageCalls(async () => {
      el?.show();
      await waitUntil(() => el?.session !== undefined, 'session created');
    });
    expect(opened).to.include('getItem parley-outbox:127.0.0.1:9');
    el?.remove();
  });
});

import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
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
    part(el, 'close-button')?.click();
    await el.updateComplete;
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.shadowRoot?.activeElement).to.equal(bubble(el));
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

// Issue 15, translations in the browser: an element renders its language's table once it arrives,
// the host's `strings` still win, a language Parley lacks stays English, and a root hands its
// language to its children (and mirrors itself for Arabic) even where the page says otherwise.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/define.ts';
import type { ParleyComposer, ParleyLauncher, ParleyStatus } from '../../src/define.ts';
import { composerStrings, launcherStrings, statusStrings } from '../../src/i18n/strings.ts';
import ar from '../../src/i18n/locales/ar.widget.ts';
import de from '../../src/i18n/locales/de.widget.ts';
import ja from '../../src/i18n/locales/ja.widget.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';

const label = (el: ParleyStatus): string => el.shadowRoot?.querySelector('[part~="label"]')?.textContent?.trim() ?? '';

function composerIn(el: ParleyLauncher): ParleyComposer {
  const composer = el.shadowRoot?.querySelector<ParleyComposer>('parley-composer');
  if (!composer) throw new Error('no composer');
  return composer;
}
const textarea = (composer: ParleyComposer): HTMLTextAreaElement | null => composer.shadowRoot?.querySelector('textarea') ?? null;

describe('translations', () => {
  it('renders the element\'s language once its table arrives', async () => {
    expect(de.status.connected, 'the German table is a translation').to.not.equal(statusStrings.connected);
    const el = await fixture<ParleyStatus>(html`<parley-status lang="de-AT" status="connected"></parley-status>`);
    await waitUntil(() => label(el) === de.status.connected, 'German');
  });

  it('takes the nearest lang, and leaves a language Parley lacks in English', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div lang="ja"><parley-status status="offline"></parley-status></div>`);
    const el = wrapper.querySelector('parley-status') as ParleyStatus;
    await waitUntil(() => label(el) === ja.status.offline, 'Japanese from the wrapper');
    const other = await fixture<ParleyStatus>(html`<parley-status lang="sw" status="offline"></parley-status>`);
    await other.updateComplete;
    expect(label(other)).to.equal(statusStrings.offline);
  });

  it('lets the host\'s strings win over the translation, key by key', async () => {
    const el = await fixture<ParleyStatus>(html`<parley-status lang="de" status="connected" .strings=${{ connected: 'Online!' }}></parley-status>`);
    el.status = 'offline';
    await waitUntil(() => label(el) === de.status.offline, 'German where the host set nothing');
    el.status = 'connected';
    await el.updateComplete;
    expect(label(el)).to.equal('Online!');
  });

  it('hands a root\'s language to its children on an English page, mirrored for Arabic', async () => {
    expect(ar.composer.placeholder).to.not.equal(composerStrings.placeholder);
    const el = await fixture<ParleyLauncher>(html`<parley-launcher lang="ar" open></parley-launcher>`);
    await waitUntil(() => el.shadowRoot?.querySelector('parley-composer') != null, 'the panel');
    const composer = composerIn(el);
    await waitUntil(() => textarea(composer)?.placeholder === ar.composer.placeholder, 'the composer in Arabic');
    const base = el.shadowRoot?.querySelector('[part~="base"]') as HTMLElement;
    expect(base.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(textarea(composer) as HTMLElement).direction).to.equal('rtl');
    expect(el.shadowRoot?.querySelector('[part~="bubble"]')?.getAttribute('aria-label')).to.equal(ar.launcher.hide);
    await expectAccessibleInBothThemes(el);
  });

  it('keeps English and the page\'s direction for an English root', async () => {
    const el = await fixture<ParleyLauncher>(html`<parley-launcher lang="en" open></parley-launcher>`);
    await waitUntil(() => el.shadowRoot?.querySelector('parley-composer') != null, 'the panel');
    const base = el.shadowRoot?.querySelector('[part~="base"]') as HTMLElement;
    expect(base.hasAttribute('dir')).to.equal(false);
    expect(el.shadowRoot?.querySelector('[part~="bubble"]')?.getAttribute('aria-label')).to.equal(launcherStrings.hide);
    await waitUntil(() => textarea(composerIn(el))?.placeholder === composerStrings.placeholder, 'English composer');
  });
});

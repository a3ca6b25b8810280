import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import { homeView, type HomeItem } from '../../src/elements/launcher/home.ts';
import { launcherStrings } from '../../src/i18n/strings.ts';

const item = (id: string, preview: string | null): HomeItem => ({ id, preview, at: new Date().toISOString(), unread: 0 });
const noop = { open: () => undefined, write: () => undefined, continueByEmail: () => undefined };

async function mountHome(items: HomeItem[], dir: 'ltr' | 'rtl'): Promise<HTMLElement> {
  const host = await fixture<HTMLDivElement>(html`<div dir=${dir} style="width: 360px"></div>`);
  render(homeView({ t: launcherStrings, language: 'en', welcome: null, team: [], avatars: true, items, offer: false }, noop), host);
  return host;
}

function previews(host: HTMLElement): HTMLElement[] {
  return [...host.querySelectorAll<HTMLElement>('[part~="conversation"] .preview')];
}

describe('the launcher home screen', () => {
  describe('renders', () => {
    it("each conversation's preview in its own text's direction, whatever the widget's", async () => {
      for (const dir of ['ltr', 'rtl'] as const) {
        const host = await mountHome([item('a', 'أين طلبي؟'), item('b', 'Where is my order?')], dir);
        const [arabic, english] = previews(host);
        expect(getComputedStyle(arabic as Element).direction, `Arabic in a ${dir} widget`).to.equal('rtl');
        expect(getComputedStyle(english as Element).direction, `English in a ${dir} widget`).to.equal('ltr');
      }
    });

    it('a conversation without a preview says so', async () => {
      const host = await mountHome([item('a', null)], 'rtl');
      const [empty] = previews(host);
      expect(empty?.textContent).to.equal(launcherStrings.noPreview);
    });
  });
});

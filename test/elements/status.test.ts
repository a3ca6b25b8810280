import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/define.ts';
import { CONNECTION_STATUSES, ParleyStatus } from '../../src/elements/status/status.ts';
import { ParleyRetryEvent } from '../../src/define.ts';
import { statusStrings } from '../../src/i18n/strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';

function part(el: ParleyStatus, name: string): HTMLElement | null {
  return el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

describe('<parley-status>', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
  });

  describe('renders', () => {
    it('is defined once, even when define() runs again', () => {
      expect(customElements.get('parley-status')).to.equal(ParleyStatus);
      expect(() => ParleyStatus.define('parley-status')).not.to.throw();
    });

    it('shows an indicator and a polite status label', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status status="connected"></parley-status>`);
      const label = part(el, 'label');
      expect(label?.textContent?.trim()).to.equal('Connected');
      expect(label?.getAttribute('role')).to.equal('status');
      expect(label?.getAttribute('aria-live')).to.equal('polite');
      expect(part(el, 'indicator')?.getAttribute('aria-hidden')).to.equal('true');
    });

    it('honours the hidden attribute over page CSS', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status hidden style="display: block"></parley-status>`);
      expect(getComputedStyle(el).display).to.equal('none');
    });

    it('writes no Lit dev-mode warnings', async () => {
      const output = await collectConsoleOutput(async () => {
        const el = await fixture<ParleyStatus>(html`<parley-status></parley-status>`);
        for (const status of CONNECTION_STATUSES) {
          el.status = status;
          await el.updateComplete;
        }
        el.strings = { offline: 'Hors ligne' };
        el.theme = 'dark';
        await el.updateComplete;
        el.remove();
      });
      expect(output).to.deep.equal([]);
    });
  });

  describe('is accessible', () => {
    for (const status of CONNECTION_STATUSES) {
      it(`in ${status}, light and dark`, async () => {
        const el = await fixture<ParleyStatus>(html`<parley-status status=${status}></parley-status>`);
        await expectAccessibleInBothThemes(el);
      });
    }
  });

  describe('properties', () => {
    it('defaults to connecting', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status></parley-status>`);
      expect(el.status).to.equal('connecting');
      expect(el.getAttribute('status')).to.equal('connecting');
    });

    it('reflects each status to the attribute, the label and a custom state', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status></parley-status>`);
      for (const status of CONNECTION_STATUSES) {
        el.status = status;
        await el.updateComplete;
        expect(el.getAttribute('status')).to.equal(status);
        expect(part(el, 'label')?.textContent?.trim()).to.equal(statusStrings[status]);
        expect(el.matches(`:state(${status})`), `:state(${status})`).to.equal(true);
        const others = CONNECTION_STATUSES.filter((s) => s !== status);
        expect(others.some((s) => el.matches(`:state(${s})`))).to.equal(false);
      }
    });

    it('shows polling with its own label and a steady, half-filled dot, unlike reconnecting', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status status="polling"></parley-status>`);
      const indicator = part(el, 'indicator') as HTMLElement;
      expect(part(el, 'label')?.textContent?.trim()).to.equal(statusStrings.polling);
      expect(getComputedStyle(indicator).backgroundImage).to.contain('linear-gradient');
      expect(getComputedStyle(indicator).animationName).to.equal('none');
      el.status = 'reconnecting';
      await el.updateComplete;
      expect(getComputedStyle(indicator).backgroundImage).to.equal('none');
      expect(getComputedStyle(indicator).animationName).to.not.equal('none');
    });

    it('reads the status attribute', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status></parley-status>`);
      el.setAttribute('status', 'offline');
      await el.updateComplete;
      expect(el.status).to.equal('offline');
    });

    it('falls back to connecting for a value outside the vocabulary', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status status="bogus"></parley-status>`);
      expect(el.status).to.equal('connecting');
      expect(el.getAttribute('status')).to.equal('connecting');
    });

    it('takes label overrides from strings and keeps the other defaults', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status status="error"></parley-status>`);
      el.strings = { error: 'Échec de connexion', retry: 'Réessayer' };
      await el.updateComplete;
      expect(part(el, 'label')?.textContent?.trim()).to.equal('Échec de connexion');
      expect(part(el, 'retry-button')?.textContent?.trim()).to.equal('Réessayer');
      el.status = 'connected';
      await el.updateComplete;
      expect(part(el, 'label')?.textContent?.trim()).to.equal('Connected');
    });

    it('follows prefers-color-scheme unless theme="light", and theme="dark" forces dark', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status></parley-status>`);
      const background = (): string => getComputedStyle(part(el, 'base') as HTMLElement).backgroundColor;
      const light = background();
      await emulateMedia({ colorScheme: 'dark' });
      const dark = background();
      expect(dark).not.to.equal(light);
      el.theme = 'light';
      await el.updateComplete;
      expect(background()).to.equal(light);
      await emulateMedia({ colorScheme: 'light' });
      el.theme = 'dark';
      await el.updateComplete;
      expect(background()).to.equal(dark);
    });

    it('lets the page theme it through --parley-* properties on an ancestor', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div style="--parley-color-surface-raised: rgb(1, 2, 3)"><parley-status></parley-status></div>`,
      );
      const el = wrapper.querySelector('parley-status') as ParleyStatus;
      await el.updateComplete;
      expect(getComputedStyle(part(el, 'base') as HTMLElement).backgroundColor).to.equal('rgb(1, 2, 3)');
    });
  });

  describe('events', () => {
    it('emits a composed parley-retry from the Retry button', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status status="error"></parley-status>`);
      const heard = oneEvent(document, 'parley-retry');
      part(el, 'retry-button')?.click();
      const event = await heard;
      expect(event).to.be.instanceOf(ParleyRetryEvent);
      expect(event.composed).to.equal(true);
      expect(event.target).to.equal(el);
    });

    it('emits nothing when the status is set programmatically', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status></parley-status>`);
      let count = 0;
      el.addEventListener('parley-retry', () => (count += 1));
      for (const status of CONNECTION_STATUSES) {
        el.status = status;
        await el.updateComplete;
      }
      expect(count).to.equal(0);
    });
  });

  describe('interaction', () => {
    it('offers Retry only in error', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status></parley-status>`);
      for (const status of CONNECTION_STATUSES) {
        el.status = status;
        await el.updateComplete;
        expect(part(el, 'retry-button') !== null, status).to.equal(status === 'error');
      }
    });

    it('retries from the keyboard', async () => {
      const el = await fixture<ParleyStatus>(html`<parley-status status="error"></parley-status>`);
      const button = part(el, 'retry-button') as HTMLButtonElement;
      expect(button.getAttribute('aria-label')).to.equal(statusStrings.retryLabel);
      button.focus();
      const heard = oneEvent(el, 'parley-retry');
      await sendKeys({ press: 'Enter' });
      expect(await heard).to.be.instanceOf(ParleyRetryEvent);
    });
  });
});

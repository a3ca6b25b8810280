import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/define.ts';
import { ParleyInbox } from '../../src/define.ts';
import { inboxStrings } from '../../src/i18n/strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';

// Nothing listens here: the sign-in form is shown from storage alone, without a request. The
// console's signed-in behaviour runs against the local stack (test/browser/inbox-live.test.ts).
const NOWHERE = 'http://127.0.0.1:9';

function root(el: ParleyInbox): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

async function signedOut(): Promise<ParleyInbox> {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley-agent-auth')) localStorage.removeItem(key);
  const el = await fixture<ParleyInbox>(html`<parley-inbox supabase-url=${NOWHERE} supabase-key="anon"></parley-inbox>`);
  await waitUntil(() => el.phase === 'signed-out', 'sign-in form', { timeout: 4000 });
  await el.updateComplete;
  return el;
}

async function unconfigured(): Promise<ParleyInbox> {
  const el = await fixture<ParleyInbox>(html`<parley-inbox></parley-inbox>`);
  await waitUntil(() => el.phase === 'error', 'error phase');
  await el.updateComplete;
  return el;
}

describe('<parley-inbox>', () => {
  describe('renders', () => {
    it('is defined once, even when define() runs again', () => {
      expect(customElements.get('parley-inbox')).to.equal(ParleyInbox);
      expect(() => ParleyInbox.define('parley-inbox')).not.to.throw();
    });

    it('without a project or client shows why it cannot start, with a retry', async () => {
      const el = await unconfigured();
      const alert = root(el).querySelector('[role="alert"]');
      expect(alert?.textContent?.trim()).to.equal(inboxStrings.unavailable);
      expect(root(el).querySelector('button')?.textContent?.trim()).to.equal(inboxStrings.retry);
    });

    it('shows a labelled sign-in form when nobody is signed in', async () => {
      const el = await signedOut();
      const form = root(el).querySelector('form');
      expect(form?.getAttribute('aria-labelledby')).to.equal('sign-in-title');
      expect(root(el).getElementById('sign-in-title')?.textContent?.trim()).to.equal(inboxStrings.signInTitle);
      const email = root(el).querySelector<HTMLInputElement>('#email');
      expect(email?.type).to.equal('email');
      expect(email?.autocomplete).to.equal('username');
      expect(root(el).querySelector<HTMLInputElement>('#password')?.autocomplete).to.equal('current-password');
      expect(root(el).activeElement, 'the email field takes focus').to.equal(email);
      expect(el.session, 'the session exists before sign-in, for the form').to.not.equal(undefined);
    });

    it('writes no Lit dev-mode warnings', async () => {
      const output = await collectConsoleOutput(async () => {
        const el = await signedOut();
        el.strings = { signIn: 'Los' };
        await el.updateComplete;
        el.remove();
      });
      expect(output).to.deep.equal([]);
    });
  });

  describe('is accessible', () => {
    it('when it cannot start, light and dark', async () => {
      await expectAccessibleInBothThemes(await unconfigured());
    });

    it('with the sign-in form, light and dark', async () => {
      await expectAccessibleInBothThemes(await signedOut());
    });
  });

  describe('properties', () => {
    it('takes strings overrides', async () => {
      const el = await signedOut();
      el.strings = { signInTitle: 'Anmelden', signIn: 'Los' };
      await el.updateComplete;
      expect(root(el).getElementById('sign-in-title')?.textContent?.trim()).to.equal('Anmelden');
      expect(root(el).querySelector('button[type="submit"]')?.textContent?.trim()).to.equal('Los');
    });

    it('reads conversation-id; phase and agent are read-only state, empty before sign-in', async () => {
      const el = await signedOut();
      el.setAttribute('conversation-id', '00000000-0000-4000-c000-000000000001');
      await el.updateComplete;
      expect(el.conversationId).to.equal('00000000-0000-4000-c000-000000000001');
      expect(el.phase).to.equal('signed-out');
      expect(el.agent).to.equal(null);
      expect(el.matches(':state(signed-in)')).to.equal(false);
    });
  });

  describe('events', () => {
    it('handles the sign-in form inside: its submit never navigates the page', async () => {
      const el = await signedOut();
      const form = root(el).querySelector('form') as HTMLFormElement;
      const submit = new SubmitEvent('submit', { cancelable: true });
      form.dispatchEvent(submit);
      expect(submit.defaultPrevented).to.equal(true);
    });
  });

  describe('interaction', () => {
    it('refuses an empty form with a message tied to the fields, and sends nothing', async () => {
      const el = await signedOut();
      root(el).querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
      await el.updateComplete;
      const error = root(el).getElementById('sign-in-error');
      expect(error?.textContent?.trim()).to.equal(inboxStrings.missingCredentials);
      expect(error?.getAttribute('role')).to.equal('alert');
      const email = root(el).querySelector<HTMLInputElement>('#email');
      expect(email?.getAttribute('aria-invalid')).to.equal('true');
      expect(email?.getAttribute('aria-describedby')).to.equal('sign-in-error');
      expect(el.phase, 'no request was made').to.equal('signed-out');
    });

    it('Try again starts over and, still without a project, says why again', async () => {
      const el = await unconfigured();
      root(el).querySelector('button')?.click();
      await el.updateComplete;
      expect(el.phase).to.equal('error');
      expect(el.session).to.equal(undefined);
      expect(root(el).querySelector('[role="alert"]')?.textContent?.trim()).to.equal(inboxStrings.unavailable);
    });

    it('disposes its session when removed and starts over when added again', async () => {
      const el = await signedOut();
      const first = el.session;
      el.remove();
      expect(el.session).to.equal(undefined);
      expect(el.phase).to.equal('idle');
      document.body.append(el);
      await waitUntil(() => el.phase === 'signed-out', 'sign-in form again');
      expect(el.session).to.not.equal(first);
      el.remove();
    });
  });
});

import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { ParleyEmailSignIn, type ParleyEmailCodeVerifyEvent } from '../../src/elements/email-sign-in/email-sign-in.ts';
import { emailSignInStrings as en } from '../../src/i18n/email-sign-in-strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';

ParleyEmailSignIn.define('parley-email-sign-in');

function part<T extends HTMLElement = HTMLElement>(el: ParleyEmailSignIn, name: string): T | null {
  return el.shadowRoot?.querySelector<T>(`[part~="${name}"]`) ?? null;
}

function must<T extends HTMLElement = HTMLElement>(el: ParleyEmailSignIn, name: string): T {
  const found = part<T>(el, name);
  if (!found) throw new Error(`no part ${name}`);
  return found;
}

async function submit(el: ParleyEmailSignIn, field: 'email-input' | 'code-input', value: string): Promise<void> {
  must<HTMLInputElement>(el, field).value = value;
  must(el, 'submit-button').click();
  await el.updateComplete;
}

/** Events of `type` the element emitted while `fn` ran. */
async function heard(el: ParleyEmailSignIn, type: string, fn: () => Promise<void>): Promise<Event[]> {
  const events: Event[] = [];
  const listener = (event: Event) => events.push(event);
  el.addEventListener(type, listener);
  try {
    await fn();
  } finally {
    el.removeEventListener(type, listener);
  }
  return events;
}

describe('<parley-email-sign-in>', () => {
  describe('renders', () => {
    it('asks for the address first, with the intro and a labelled email field', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in></parley-email-sign-in>`);
      const text = el.shadowRoot?.textContent ?? '';
      expect(text).to.contain(en.title).and.contain(en.intro);
      const input = must<HTMLInputElement>(el, 'email-input');
      expect(input.type).to.equal('email');
      expect(input.autocomplete).to.equal('email');
      expect(el.shadowRoot?.querySelector(`label[for="${input.id}"]`)?.textContent).to.equal(en.emailLabel);
      expect(must(el, 'submit-button').textContent?.trim()).to.equal(en.sendCode);
      expect(part(el, 'code-input')).to.equal(null);
      expect(part(el, 'notice')).to.equal(null);
    });

    it('says the link expired instead of the intro when opened from one', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in expired></parley-email-sign-in>`);
      expect(must(el, 'notice').textContent).to.equal(en.expired);
      expect(el.shadowRoot?.textContent).to.not.contain(en.intro);
    });

    it('the code step names the address as text, with a one-time-code numeric field', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in step="code" email="<b>x</b>@example.com"></parley-email-sign-in>`);
      expect(el.shadowRoot?.textContent).to.contain('We sent a code to <b>x</b>@example.com.');
      expect(el.shadowRoot?.querySelector('b'), 'text, never markup').to.equal(null);
      const code = must<HTMLInputElement>(el, 'code-input');
      expect(code.autocomplete).to.equal('one-time-code');
      expect(code.inputMode).to.equal('numeric');
      expect(code.maxLength).to.equal(6);
      expect(must(el, 'submit-button').textContent?.trim()).to.equal(en.verify);
      expect(part(el, 'resend-button')).to.not.equal(null);
      expect(part(el, 'other-email-button')).to.not.equal(null);
    });
  });

  describe('is accessible', () => {
    it('in both steps, with an error, in both themes', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in></parley-email-sign-in>`);
      await expectAccessibleInBothThemes(el);
      await submit(el, 'email-input', 'nope');
      await expectAccessibleInBothThemes(el);
      el.step = 'code';
      el.email = 'robin@example.com';
      el.error = 'wrong-code';
      await el.updateComplete;
      await expectAccessibleInBothThemes(el);
    });

    it('ties the error to the field and announces it', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in></parley-email-sign-in>`);
      await submit(el, 'email-input', 'nope');
      const input = must<HTMLInputElement>(el, 'email-input');
      const error = must(el, 'error');
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(input.getAttribute('aria-describedby')).to.equal(error.id);
      expect(error.getAttribute('role')).to.equal('alert');
    });
  });

  describe('properties', () => {
    it('shows each error as a person reads it, the wait in seconds for a rate limit', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in step="code" email="a@b.co"></parley-email-sign-in>`);
      const shown: Record<string, string> = {};
      for (const error of ['wrong-code', 'failed', 'missing-code', 'rate-limited'] as const) {
        el.error = error;
        el.retryAfter = 42;
        await el.updateComplete;
        shown[error] = must(el, 'error').textContent ?? '';
      }
      expect(shown).to.deep.equal({
        'wrong-code': en.wrongCode, failed: en.failed, 'missing-code': en.missingCode,
        'rate-limited': 'Too many tries. Please try again in 42 s.',
      });
      el.error = null;
      await el.updateComplete;
      expect(part(el, 'error')).to.equal(null);
    });

    it('busy disables the buttons and says so', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in step="code" email="a@b.co" busy></parley-email-sign-in>`);
      expect(must<HTMLButtonElement>(el, 'submit-button').disabled).to.equal(true);
      expect(must(el, 'submit-button').textContent?.trim()).to.equal(en.busy);
      expect(must<HTMLButtonElement>(el, 'resend-button').disabled).to.equal(true);
      expect(must<HTMLInputElement>(el, 'code-input').disabled).to.equal(true);
    });

    it('takes translated strings and host overrides', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in .strings=${{ title: 'Welcome back' }}></parley-email-sign-in>`);
      expect(el.shadowRoot?.querySelector('h3')?.textContent).to.equal('Welcome back');
    });
  });

  describe('events', () => {
    it('a well-formed address asks for a code (trimmed); a bad one shows an error and asks nothing', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in></parley-email-sign-in>`);
      const refused = await heard(el, 'parley-email-code-request', () => submit(el, 'email-input', 'robin@'));
      expect(refused).to.have.length(0);
      expect(el.error).to.equal('invalid-email');
      expect(must(el, 'error').textContent).to.equal(en.invalidEmail);
      const asked = oneEvent(el, 'parley-email-code-request');
      await submit(el, 'email-input', '  robin@example.com ');
      const event = await asked;
      expect(event.detail).to.deep.equal({ email: 'robin@example.com' });
      expect(event.bubbles && event.composed).to.equal(true);
      expect(el.error).to.equal(null);
    });

    it('six digits verify; anything else asks for the code', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in step="code" email="robin@example.com"></parley-email-sign-in>`);
      for (const bad of ['', '12345', '12345a', '1234567']) {
        const events = await heard(el, 'parley-email-code-verify', () => submit(el, 'code-input', bad));
        expect(events, bad).to.have.length(0);
        expect(el.error).to.equal('missing-code');
      }
      const verify = oneEvent(el, 'parley-email-code-verify') as Promise<ParleyEmailCodeVerifyEvent>;
      await submit(el, 'code-input', '123 456');
      expect((await verify).detail).to.deep.equal({ email: 'robin@example.com', code: '123456' });
    });

    it('Send a new code asks again for the same address; Use another email goes back; Back cancels', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in step="code" email="robin@example.com"></parley-email-sign-in>`);
      const again = oneEvent(el, 'parley-email-code-request');
      must(el, 'resend-button').click();
      expect((await again).detail).to.deep.equal({ email: 'robin@example.com' });
      must(el, 'other-email-button').click();
      await el.updateComplete;
      expect(el.step).to.equal('email');
      expect(must<HTMLInputElement>(el, 'email-input').value, 'the address stays to correct').to.equal('robin@example.com');
      const cancel = oneEvent(el, 'parley-email-cancel');
      must(el, 'cancel-button').click();
      await cancel;
    });

    it('busy sends nothing twice', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in busy></parley-email-sign-in>`);
      const events = await heard(el, 'parley-email-code-request', async () => {
        el.shadowRoot?.querySelector('form')?.requestSubmit();
        await el.updateComplete;
      });
      expect(events).to.have.length(0);
    });
  });

  describe('interaction', () => {
    it('moves the caret to the code field when the code step comes', async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in></parley-email-sign-in>`);
      el.step = 'code';
      await el.updateComplete;
      expect(el.shadowRoot?.activeElement).to.equal(part(el, 'code-input'));
    });
  });

  it('writes no Lit dev-mode warnings', async () => {
    const output = await collectConsoleOutput(async () => {
      const el = await fixture<ParleyEmailSignIn>(html`<parley-email-sign-in></parley-email-sign-in>`);
      el.step = 'code';
      el.error = 'wrong-code';
      el.theme = 'dark';
      await el.updateComplete;
      el.remove();
    });
    expect(output).to.deep.equal([]);
  });
});

// "Continue by email" in the launcher on the local stack (issue 15, item 3): offered on the home
// screen to an anonymous visitor of the widget's own client with nothing unsent, never to a host's
// client; the code signs in as the email user, whose conversations the home screen then lists with
// this device's one (merged), and the session (list, realtime, user) is the new user's. The code is
// the one GoTrue would mail, taken through the service role's generateLink (the catcher is the
// node and e2e suites' business).
import { expect, waitUntil } from '@open-wc/testing';
import type { SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyLauncher } from '../../src/define.ts';
import { launcherStrings } from '../../src/i18n/strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack, mountOnStack } from '../browser-stack/stack.ts';

const wait = (predicate: () => boolean, message: string, timeout = 10000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

const $ = (el: ParleyLauncher, selector: string): HTMLElement | null => el.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
const offer = (el: ParleyLauncher) => $(el, '[part~="continue-by-email"]') as HTMLButtonElement | null;
const form = (el: ParleyLauncher) => el.shadowRoot?.querySelector('parley-email-sign-in') ?? null;
const formPart = <T extends HTMLElement>(el: ParleyLauncher, part: string): T | null =>
  form(el)?.shadowRoot?.querySelector<T>(`[part~="${part}"]`) ?? null;
const previews = (el: ParleyLauncher): string[] =>
  [...(el.shadowRoot?.querySelectorAll('[part~="conversation"] .preview') ?? [])].map((n) => n.textContent?.trim() ?? '');

function say(el: ParleyLauncher, message: string): void {
  const composer = el.shadowRoot?.querySelector('parley-composer') as (HTMLElement & { value: string; send(): boolean }) | null;
  if (!composer) throw new Error('no composer');
  composer.value = message;
  composer.send();
}

async function ready(el: ParleyLauncher): Promise<void> {
  el.open = true;
  await wait(() => el.phase === 'ready' && el.session?.state.$connection.get() === 'connected', 'the launcher is started');
}

describe('continue by email', function () {
  // Each test signs users in and out against the stack: more than mocha's 5 s on a loaded machine.
  this.timeout(30000);
  const cleanup: (() => unknown)[] = [];
  let admin: SupabaseClient;

  before(async () => {
    admin = await browserClient((await browserStack()).serviceRoleKey);
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    for (const key of Object.keys(localStorage)) if (key.startsWith('parley-') || key.startsWith('sb-')) localStorage.removeItem(key);
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('parley-')) sessionStorage.removeItem(key);
  });

  /** A confirmed email user with a conversation of their own, as another device left it. */
  async function emailUserWithHistory(text: string): Promise<{ email: string; id: string }> {
    const email = `continue-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const created = await admin.auth.admin.createUser({ email, password: 'password1', email_confirm: true });
    if (created.error || !created.data.user) throw new Error(created.error?.message ?? 'no user');
    const elsewhere = await browserClient();
    const signedIn = await elsewhere.auth.signInWithPassword({ email, password: 'password1' });
    if (signedIn.error) throw new Error(signedIn.error.message);
    const started = await elsewhere.rpc('start_conversation', {});
    if (started.error) throw new Error(started.error.message);
    const sent = await elsewhere.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: (started.data as { id: string }).id, p_content: text });
    if (sent.error) throw new Error(sent.error.message);
    await elsewhere.auth.signOut();
    return { email, id: created.data.user.id };
  }

  it('signs in with the mailed code: the history and this device\'s conversation, as the email user, live', async () => {
    const { email, id } = await emailUserWithHistory('Written on my laptop');
    const el = await mountOnStack('parley-launcher', cleanup);
    await ready(el);
    say(el, 'Written on this phone');
    await wait(() => el.session?.state.$outbox.get().length === 0 && el.conversationId !== null, 'sent');
    ($(el, '[part~="back-button"]') as HTMLButtonElement).click();
    await wait(() => offer(el) !== null, 'the home screen offers continue by email');
    expect(offer(el)?.textContent?.trim()).to.equal(launcherStrings.continueByEmail);
    const anonymous = el.session?.state.$session.get().userId;

    offer(el)?.click();
    await wait(() => formPart(el, 'email-input') !== null, 'the form shows');
    expect($(el, '[part~="home"]'), 'in place of the home screen').to.equal(null);
    expect(el.shadowRoot?.querySelector('parley-composer'), 'without the composer').to.equal(null);
    await wait(() => form(el)?.shadowRoot?.activeElement === formPart(el, 'email-input'), 'the caret is in the email field');
    await expectAccessibleInBothThemes(el);

    const input = formPart<HTMLInputElement>(el, 'email-input');
    if (!input) throw new Error('no email field');
    input.value = email;
    formPart<HTMLButtonElement>(el, 'submit-button')?.click();
    await wait(() => formPart(el, 'code-input') !== null, 'the code step');
    // The code GoTrue would mail now (a newer one replaces the mailed one).
    const link = await admin.auth.admin.generateLink({ type: 'magiclink', email });
    const code = link.data.properties?.email_otp ?? '';
    const codeInput = formPart<HTMLInputElement>(el, 'code-input');
    if (!codeInput) throw new Error('no code field');
    codeInput.value = code;
    formPart<HTMLButtonElement>(el, 'submit-button')?.click();

    await wait(() => el.session?.state.$session.get().userId === id, 'the session is the email user\'s', 15000);
    await wait(() => previews(el).length === 2, 'the home screen lists both conversations', 15000);
    expect(previews(el)).to.have.members(['Written on my laptop', 'Written on this phone']);
    expect(offer(el), 'signed in by email: no offer').to.equal(null);
    expect(form(el)).to.equal(null);
    const { data } = await admin.from('conversations').select('customer_id').eq('customer_id', anonymous ?? '');
    expect(data, 'nothing left with the anonymous user').to.deep.equal([]);
  });

  it('a wrong code says so and changes nothing; Back returns home', async () => {
    const { email } = await emailUserWithHistory('Mine');
    const el = await mountOnStack('parley-launcher', cleanup);
    await ready(el);
    await wait(() => offer(el) !== null, 'offered');
    const before = el.session?.state.$session.get().userId;
    offer(el)?.click();
    await wait(() => formPart(el, 'email-input') !== null, 'the form shows');
    const input = formPart<HTMLInputElement>(el, 'email-input');
    if (input) input.value = email;
    formPart<HTMLButtonElement>(el, 'submit-button')?.click();
    await wait(() => formPart(el, 'code-input') !== null, 'the code step');
    const codeInput = formPart<HTMLInputElement>(el, 'code-input');
    if (codeInput) codeInput.value = '000000';
    formPart<HTMLButtonElement>(el, 'submit-button')?.click();
    await wait(() => formPart(el, 'error') !== null, 'the error');
    expect(formPart(el, 'error')?.textContent).to.contain('That code is wrong or has expired');
    expect(el.session?.state.$session.get().userId).to.equal(before);
    formPart<HTMLButtonElement>(el, 'cancel-button')?.click();
    await wait(() => $(el, '[part~="home"]') !== null && offer(el) !== null, 'home again, still offered');
  });

  it('an unknown address gets the same "we sent a code" as a known one', async () => {
    const el = await mountOnStack('parley-launcher', cleanup);
    await ready(el);
    await wait(() => offer(el) !== null, 'offered');
    offer(el)?.click();
    await wait(() => formPart(el, 'email-input') !== null, 'the form shows');
    const input = formPart<HTMLInputElement>(el, 'email-input');
    if (input) input.value = `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`;
    formPart<HTMLButtonElement>(el, 'submit-button')?.click();
    await wait(() => formPart(el, 'code-input') !== null, 'the code step, as for anyone');
    expect(formPart(el, 'error')).to.equal(null);
  });

  it('is not offered while a message is unsent', async () => {
    const el = await mountOnStack('parley-launcher', cleanup);
    await ready(el);
    await wait(() => offer(el) !== null, 'offered');
    const state = el.session?.state;
    if (!state) throw new Error('no session');
    const pending = state.enqueueSend({ conversationId: crypto.randomUUID(), content: 'not sent yet' });
    el.requestUpdate();
    await wait(() => offer(el) === null, 'an unsent message: no offer');
    state.markFailed(pending.id, 'offline');
    state.discard(pending.id);
    el.requestUpdate();
    await wait(() => offer(el) !== null, 'offered again once nothing is unsent');
  });

  it('is never offered with the host\'s own client', async () => {
    const client = await browserClient();
    const { error } = await client.auth.signInAnonymously();
    if (error) throw new Error(error.message);
    const el = document.createElement('parley-launcher');
    el.client = client;
    document.body.append(el);
    cleanup.push(() => el.remove());
    await ready(el);
    expect($(el, '[part~="home"]')).to.not.equal(null);
    expect(offer(el)).to.equal(null);
  });
});

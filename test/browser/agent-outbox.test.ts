// Issue #8: an agent's reply that has not reached the server survives a reload and a sign-out, is
// sent exactly once after the next sign-in, and is never readable by another person on the browser.
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyInbox } from '../../src/define.ts';
import { createSession } from '../../src/session/index.ts';
import { agentOutboxKey, openAgentOutbox } from '../../src/session/agent-outbox.ts';
import { inboxStrings } from '../../src/i18n/strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack, mountOnStack } from '../browser-stack/stack.ts';

const SAM = '00000000-0000-4000-a000-000000000002';

const wait = (predicate: () => boolean, message: string, timeout = 10000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

function part<T extends HTMLElement = HTMLElement>(el: ParleyInbox, selector: string): T | null {
  return el.shadowRoot?.querySelector<T>(selector) ?? null;
}

/** Makes the page's fetch fail `insert_message` before it leaves, as a dropped network would. */
function blockInserts(cleanup: (() => unknown)[]): { blocked: boolean; attempts: number } {
  const original = window.fetch;
  const net = { blocked: true, attempts: 0 };
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/rest/v1/rpc/insert_message')) {
      net.attempts += 1;
      if (net.blocked) return Promise.reject(new TypeError('Failed to fetch'));
    }
    return original(input, init);
  };
  cleanup.push(() => {
    window.fetch = original;
  });
  return net;
}

function clearStorage(): void {
  sessionStorage.clear();
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley-')) localStorage.removeItem(key);
}

/** Every value in localStorage, to check a reply's text is nowhere in it. */
function storedText(): string {
  return Object.keys(localStorage).map((k) => localStorage.getItem(k) ?? '').join('\n');
}

describe('the agent\'s unsent replies (#8)', function () {
  this.timeout(60000);
  const cleanup: (() => unknown)[] = [];
  let visitor: SupabaseClient;
  let conversationId: string;

  beforeEach(async () => {
    clearStorage();
    visitor = await browserClient();
    await visitor.auth.signInAnonymously();
    conversationId = crypto.randomUUID();
    await visitor.rpc('start_conversation', { p_id: conversationId });
    await visitor.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'Hello?' });
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await visitor.removeAllChannels();
    clearStorage();
  });

  async function mount(): Promise<ParleyInbox> {
    const el = await mountOnStack('parley-inbox', cleanup);
    await wait(() => el.phase === 'signed-out' || el.phase === 'ready', 'started');
    return el;
  }

  async function signIn(el: ParleyInbox, email: string, password: string): Promise<void> {
    await wait(() => el.phase === 'signed-out', 'the form');
    (part<HTMLInputElement>(el, '#email') as HTMLInputElement).value = email;
    (part<HTMLInputElement>(el, '#password') as HTMLInputElement).value = password;
    part(el, 'button[type="submit"]')?.click();
    await wait(() => el.phase === 'ready', `signed in as ${email}`);
  }

  async function reply(el: ParleyInbox, text: string): Promise<void> {
    el.conversationId = conversationId;
    await wait(() => part(el, 'parley-composer') !== null, 'the conversation');
    // The console may still re-render the conversation it restored: type only into a focused field.
    await wait(() => {
      const composer = part(el, 'parley-composer');
      composer?.focus();
      return composer?.matches(':focus-within') === true;
    }, 'the field has focus');
    await sendKeys({ type: text });
    await wait(() => (part(el, 'parley-composer') as HTMLElement & { value: string }).value === text, 'typed');
    await sendKeys({ press: 'Enter' });
    // Queued while the requests fail; online it may have left the outbox already, held as sent.
    await wait(() => {
      const state = el.session?.state;
      if (!state) return false;
      const thread = state.thread(conversationId).get();
      return state.$outbox.get().some((e) => e.content === text)
        || [...thread.pending, ...thread.messages].some((m) => m.content === text);
    }, 'queued or sent');
  }

  async function agentRows(text: string): Promise<number> {
    const { data } = await visitor.from('messages').select('id').eq('conversation_id', conversationId).eq('content', text);
    return data?.length ?? 0;
  }

  async function arrivesOnce(text: string): Promise<void> {
    await waitUntil(async () => (await agentRows(text)) > 0, `"${text}" arrives`, { timeout: 15000, interval: 100 });
    expect(await agentRows(text)).to.equal(1);
  }

  it('a reply sent while the requests fail survives a reload, encrypted, and arrives once', async () => {
    const stack = await browserStack();
    const net = blockInserts(cleanup);
    const first = await mount();
    await signIn(first, 'agent@parley.test', 'parley-agent');
    const text = `Reply that could not leave ${Math.random().toString(36).slice(2, 8)}`;
    await reply(first, text);
    await wait(() => net.attempts > 0, 'an attempt that never left');
    await wait(() => localStorage.getItem(agentOutboxKey(stack.url, SAM)) !== null, 'stored');
    expect(storedText(), 'never in clear text').not.to.contain(text);
    first.remove();

    net.blocked = false;
    const second = await mount();
    await wait(() => second.phase === 'ready', 'signed in again from storage');
    await arrivesOnce(text);
    await wait(() => second.session?.state.$outbox.get().length === 0, 'the outbox is empty');
    await wait(() => localStorage.getItem(agentOutboxKey(stack.url, SAM)) === null, 'nothing left in storage');
    // Later resyncs and sends do not bring it back.
    await reply(second, 'And one more');
    await arrivesOnce('And one more');
    expect(await agentRows(text)).to.equal(1);
  });

  it('signing out with an unsent reply asks first; another agent gets none of it; signing in again sends it once', async () => {
    const stack = await browserStack();
    const net = blockInserts(cleanup);
    const el = await mount();
    await signIn(el, 'agent@parley.test', 'parley-agent');
    const text = `Reply written offline ${Math.random().toString(36).slice(2, 8)}`;
    await reply(el, text);

    // Closing the tab would ask too.
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented, 'beforeunload asks while a reply is unsent').to.equal(true);

    part(el, '[part~="sign-out-button"]')?.click();
    await el.updateComplete;
    const dialog = part(el, '[part~="sign-out-confirm"]');
    expect(dialog?.getAttribute('role')).to.equal('alertdialog');
    expect(dialog?.textContent).to.contain(inboxStrings.unsentOne);
    await wait(() => el.shadowRoot?.activeElement === part(el, '[part~="cancel-sign-out-button"]'), 'focus on Cancel');
    await expectAccessibleInBothThemes(el);
    part(el, '[part~="cancel-sign-out-button"]')?.focus();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(part(el, '[part~="sign-out-confirm"]'), 'Escape cancels').to.equal(null);
    expect(el.phase).to.equal('ready');

    part(el, '[part~="sign-out-button"]')?.click();
    await el.updateComplete;
    part(el, '[part~="confirm-sign-out-button"]')?.click();
    await wait(() => el.phase === 'signed-out', 'signed out');
    const sealed = localStorage.getItem(agentOutboxKey(stack.url, SAM));
    expect(sealed, 'kept for the next sign-in').to.not.equal(null);
    expect(storedText(), 'never in clear text').not.to.contain(text);
    const noUnload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(noUnload);
    expect(noUnload.defaultPrevented, 'nothing to lose once signed out').to.equal(false);

    // Another agent on the same browser: nothing of Sam's outbox, and their key cannot open it.
    net.blocked = false;
    await signIn(el, 'jordan@parley.test', 'parley-agent');
    expect(el.session?.state.$outbox.get()).to.deep.equal([]);
    const jordan = await browserClient();
    await jordan.auth.signInWithPassword({ email: 'jordan@parley.test', password: 'parley-agent' });
    const { data: jordanKey } = await jordan.rpc('agent_outbox_key');
    const key = await crypto.subtle.importKey('raw', Uint8Array.from(atob(jordanKey as string), (c) => c.charCodeAt(0)), 'AES-GCM', false, ['decrypt']);
    const file = JSON.parse(sealed as string) as { iv: string; data: string };
    let opened = true;
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: Uint8Array.from(atob(file.iv), (c) => c.charCodeAt(0)) }, key,
      Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0))).catch(() => {
      opened = false;
    });
    expect(opened, 'another agent\'s key cannot decrypt it').to.equal(false);
    expect(await agentRows(text), 'not sent by anyone meanwhile').to.equal(0);
    part(el, '[part~="sign-out-button"]')?.click();
    await wait(() => el.phase === 'signed-out', 'Jordan signs out without a question');

    await signIn(el, 'agent@parley.test', 'parley-agent');
    await arrivesOnce(text);
    await wait(() => el.session?.state.$outbox.get().length === 0, 'delivered');
  });

  it('keeps the outbox in memory where the page has no WebCrypto, and says so', async () => {
    const client = await browserClient();
    await client.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
    const session = createSession({ client, authScope: 'agent' });
    cleanup.push(() => session.dispose());
    const stack = await browserStack();
    const outbox = await openAgentOutbox({
      session, agentId: SAM, projectUrl: stack.url, storage: localStorage, subtle: null,
      fetchKey: () => Promise.reject(new Error('not asked for')),
    });
    cleanup.push(() => outbox.dispose());
    expect(outbox.persistent).to.equal(false);
    session.state.setSession({ userId: SAM, role: 'agent' });
    session.state.enqueueSend({ conversationId, content: 'kept in memory' });
    await outbox.flush();
    expect(localStorage.getItem(agentOutboxKey(stack.url, SAM))).to.equal(null);
    expect(outbox.unsent()).to.equal(1);
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented, 'warns before unload instead').to.equal(true);
  });
});

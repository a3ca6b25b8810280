import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ParleyLauncherStub, type LauncherApp } from '../../src/embed/launcher-stub.ts';
import type { ParleyLauncher } from '../../src/elements/launcher/launcher.ts';
import { authStorageKey } from '../../src/session/storage-key.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack } from '../browser-stack/stack.ts';

ParleyLauncherStub.define('parley-launcher');

const wait = (predicate: () => boolean, message: string, timeout = 10000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

const appOf = (el: Element): ParleyLauncher | null => el.shadowRoot?.querySelector<ParleyLauncher>('parley-launcher-app') ?? null;
const appPart = (el: Element, selector: string): HTMLElement | null => appOf(el)?.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;

function clearWidgetAuth(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley-auth')) localStorage.removeItem(key);
}

describe('<parley-launcher> embed stub on the local stack', function () {
  this.timeout(40000);
  const cleanup: (() => unknown)[] = [];
  let loads = 0;

  beforeEach(() => {
    loads = 0;
    ParleyLauncherStub.loadApp = (): Promise<LauncherApp> => {
      loads += 1;
      return import('../../src/embed/app.ts');
    };
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('sends from the first open; on the next page view the watch badges a reply that came meanwhile, and the next one hands over to the chat', async () => {
    clearWidgetAuth();
    cleanup.push(clearWidgetAuth);
    const stack = await browserStack();
    const mount = (): ParleyLauncherStub => {
      const el = document.createElement('parley-launcher') as unknown as ParleyLauncherStub;
      el.setAttribute('supabase-url', stack.url);
      el.setAttribute('supabase-key', stack.anonKey);
      document.body.append(el);
      cleanup.push(() => el.remove());
      return el;
    };

    // First page view: a new visitor, nothing loads until the click.
    const first = mount();
    expect(localStorage.getItem(authStorageKey(stack.url))).to.equal(null);
    first.shadowRoot?.querySelector<HTMLButtonElement>('[part~="bubble"]')?.click();
    await wait(() => appOf(first)?.phase === 'ready', 'signed in and ready');
    const composer = appPart(first, 'parley-composer');
    await wait(() => composer?.matches(':not([disabled])') === true, 'composer enabled');
    composer?.focus();
    await sendKeys({ type: 'Hello from the embed' });
    await sendKeys({ press: 'Enter' });
    await wait(() => appOf(first)?.conversationId != null, 'the first send starts a conversation');
    const conversationId = appOf(first)?.conversationId as string;
    const thread = appPart(first, 'parley-thread')?.shadowRoot;
    await wait(() => [...(thread?.querySelectorAll('.message.mine:not(.pending)') ?? [])]
      .some((row) => row.textContent?.includes('Hello from the embed')), 'the send is confirmed');
    // The session is stored where the stub looks for a returning visitor.
    expect(localStorage.getItem(authStorageKey(stack.url)), 'auth session under authStorageKey()').to.not.equal(null);
    first.hide();
    // The closed panel is what the next page view of this tab finds (#5).
    await appOf(first)?.updateComplete;
    first.remove();
    expect(loads).to.equal(1);

    const agent = await browserClient();
    const { error: signInError } = await agent.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
    if (signInError) throw signInError;
    cleanup.push(() => agent.removeAllChannels());
    const reply = async (text: string): Promise<void> => {
      const { error } = await agent.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: text });
      if (error) throw new Error(error.message);
    };
    // A reply while the visitor is away.
    await reply('Agent reply');

    // Next page view: the stub finds the stored session and watches from a worker on idle: its own
    // bubble shows the reply that came meanwhile, and the chat's code is not loaded for it.
    const next = mount();
    const stubBadge = (): string | undefined => next.shadowRoot?.querySelector('.base:not([hidden]) [part~="badge"]:not([hidden])')?.textContent?.trim();
    await wait(() => stubBadge() === '1', 'the watch badges the reply that came meanwhile');
    expect(next.shadowRoot?.querySelector('[part~="bubble"]')?.getAttribute('aria-label')).to.equal('Open chat, 1 unread');
    expect(loads, 'the chat is not loaded to badge').to.equal(1);
    expect(appOf(next)).to.equal(null);

    // The team writes again: the stub hands over to the full launcher, which badges both, closed.
    // Every frame until then shows a badge: the stub's, then the full launcher's with the watch's
    // count while its session starts, then its own.
    const bare: string[] = [];
    let sampling = true;
    const sample = (): void => {
      const swapped = next.shadowRoot?.querySelector<HTMLElement>('.base')?.hidden === true;
      const shown = swapped ? appPart(next, '[part~="badge"]')?.textContent?.trim() : stubBadge();
      if (!shown) bare.push(`${swapped ? 'full launcher' : 'stub'}, ${appOf(next)?.phase ?? 'not loaded'}`);
      if (sampling) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
    await reply('Agent reply again');
    await wait(() => appOf(next)?.phase === 'ready', 'the reply hands over to the full launcher');
    await wait(() => appPart(next, '[part~="badge"]')?.textContent?.trim() === '2', 'the full launcher badges both replies');
    sampling = false;
    expect(bare, 'frames without a badge').to.deep.equal([]);
    expect(next.open).to.equal(false);
    expect(loads).to.equal(2);
    expect(appOf(next)?.conversationId).to.equal(conversationId);
    expect(appPart(next, '[part~="bubble"]')?.getAttribute('aria-label')).to.contain('2 unread');
  });

  it('renews a stored session that is about to expire from the watch, through the page\'s storage', async () => {
    clearWidgetAuth();
    cleanup.push(clearWidgetAuth);
    const stack = await browserStack();
    const key = authStorageKey(stack.url);
    const visitor = await browserClient();
    const { data, error } = await visitor.auth.signInAnonymously();
    if (error || !data.session) throw error ?? new Error('no session');
    const { error: startError } = await visitor.rpc('start_conversation', { p_id: crypto.randomUUID() });
    if (startError) throw new Error(startError.message);
    // Stored as a launcher stores it, one minute from expiry.
    const expiring = { ...data.session, expires_at: Math.floor(Date.now() / 1000) + 60 };
    localStorage.setItem(key, JSON.stringify(expiring));
    const el = document.createElement('parley-launcher') as unknown as ParleyLauncherStub;
    el.setAttribute('supabase-url', stack.url);
    el.setAttribute('supabase-key', stack.anonKey);
    document.body.append(el);
    cleanup.push(() => el.remove());
    await wait(() => (JSON.parse(localStorage.getItem(key) ?? '{}') as { expires_at?: number }).expires_at !== expiring.expires_at,
      'the watch renewed the session in the page\'s storage');
    // (The access token may be the same: issued in the same second for the same session.)
    const renewed = JSON.parse(localStorage.getItem(key) as string) as { refresh_token: string; expires_at: number };
    expect(renewed.refresh_token).to.not.equal(expiring.refresh_token);
    expect(renewed.expires_at - Date.now() / 1000).to.be.greaterThan(600);
    expect(loads, 'nothing but the watch').to.equal(0);
  });
});

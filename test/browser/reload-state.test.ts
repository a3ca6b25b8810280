// Issue #5: the launcher's open panel and draft, and the console's open conversation and drafts,
// survive a reload of the tab (sessionStorage, per project, and per agent in the console). A reload is
// a new element on the same page here; e2e/reload-state.spec.ts reloads real pages.
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyComposer, ParleyInbox, ParleyLauncher } from '../../src/define.ts';
import { consoleUiKey, launcherUiKey, readConsoleUi, readLauncherUi } from '../../src/session/ui-state.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack, mountOnStack } from '../browser-stack/stack.ts';

const AGENT = '00000000-0000-4000-a000-000000000002';

const wait = (predicate: () => boolean, message: string, timeout = 8000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

function composerOf(el: HTMLElement): ParleyComposer | null {
  return el.shadowRoot?.querySelector('parley-composer') ?? null;
}

async function typeInto(el: HTMLElement, text: string): Promise<void> {
  await wait(() => composerOf(el)?.matches(':not([disabled])') === true, 'composer enabled');
  composerOf(el)?.focus();
  await sendKeys({ type: text });
}

function clearStorage(): void {
  sessionStorage.clear();
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley-')) localStorage.removeItem(key);
}

describe('state that survives a reload of the tab (#5)', function () {
  this.timeout(30000);
  const cleanup: (() => unknown)[] = [];

  beforeEach(clearStorage);
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    clearStorage();
  });

  async function launcher(): Promise<ParleyLauncher> {
    return mountOnStack('parley-launcher', cleanup);
  }

  it('the launcher writes nothing to storage before the first open, then keeps the open panel and the draft', async () => {
    const stack = await browserStack();
    const first = await launcher();
    await first.updateComplete;
    expect(sessionStorage.getItem(launcherUiKey(stack.url)), 'nothing before the first open').to.equal(null);

    first.show();
    await wait(() => first.phase === 'ready', 'ready');
    expect(readLauncherUi(stack.url)).to.deep.equal({ open: true, draft: '', thread: false });
    await typeInto(first, 'Half a question');
    expect(readLauncherUi(stack.url)).to.deep.equal({ open: true, draft: 'Half a question', thread: false });
    first.remove();

    const second = await launcher();
    await wait(() => second.open && second.phase === 'ready', 'opens again by itself');
    await wait(() => composerOf(second)?.value === 'Half a question', 'with the draft');

    // Sending clears the draft; closing is remembered too.
    composerOf(second)?.focus();
    await sendKeys({ press: 'Enter' });
    await wait(() => second.conversationId !== null, 'sent');
    expect(readLauncherUi(stack.url).draft).to.equal('');
    second.hide();
    await second.updateComplete;
    expect(sessionStorage.getItem(launcherUiKey(stack.url)), 'closed without a draft: nothing kept').to.equal(null);
    second.remove();

    const third = await launcher();
    await third.updateComplete;
    expect(third.open).to.equal(false);
  });

  it('the console reopens the conversation the agent had open, with a draft per conversation, and forgets them on sign-out', async () => {
    const stack = await browserStack();
    const visitors: SupabaseClient[] = [];
    const conversations: string[] = [];
    for (const text of ['First customer', 'Second customer']) {
      const client = await browserClient();
      await client.auth.signInAnonymously();
      const id = crypto.randomUUID();
      await client.rpc('start_conversation', { p_id: id });
      await client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: id, p_content: text });
      visitors.push(client);
      conversations.push(id);
    }
    const [a, b] = conversations as [string, string];

    const mount = (): Promise<ParleyInbox> => mountOnStack('parley-inbox', cleanup);
    const first = await mount();
    await wait(() => first.phase === 'signed-out', 'form');
    const form = first.shadowRoot as ShadowRoot;
    (form.querySelector('#email') as HTMLInputElement).value = 'agent@parley.test';
    (form.querySelector('#password') as HTMLInputElement).value = 'parley-agent';
    (form.querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await wait(() => first.phase === 'ready', 'signed in');

    first.conversationId = a;
    await typeInto(first, 'Draft for the first');
    first.conversationId = b;
    await wait(() => composerOf(first)?.value === '', 'the other conversation has no draft');
    await typeInto(first, 'Draft for the second');
    expect(readConsoleUi(stack.url, AGENT)).to.deep.equal({
      open: b, drafts: { [a]: 'Draft for the first', [b]: 'Draft for the second' },
    });
    first.remove();

    const second = await mount();
    await wait(() => second.phase === 'ready' && second.conversationId === b, 'the same conversation opens');
    await wait(() => composerOf(second)?.value === 'Draft for the second', 'with its draft');
    second.conversationId = a;
    await wait(() => composerOf(second)?.value === 'Draft for the first', 'and the other keeps its own');

    await second.signOut();
    await wait(() => second.phase === 'signed-out', 'signed out');
    expect(sessionStorage.getItem(consoleUiKey(stack.url, AGENT)), 'nothing left for the next person').to.equal(null);
    for (const client of visitors) await client.removeAllChannels();
  });
});

import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyInbox } from '../../src/define.ts';
import { inboxStrings } from '../../src/i18n/strings.ts';
import { unreadBesides } from '../../src/state/index.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';
import { shownReceipt } from '../browser-helpers/receipt.ts';
import { trackWindowListeners } from '../browser-helpers/window-listeners.ts';
import { browserClient, browserStack, mountOnStack } from '../browser-stack/stack.ts';

const MAYA = '00000000-0000-4000-a000-000000000001';
const JORDAN = '00000000-0000-4000-a000-000000000003';

const wait = (predicate: () => boolean, message: string, timeout = 8000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

function root(el: ParleyInbox): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

/** The element matching `selector` in the inbox's shadow root; throws when absent. */
function part<T extends Element = HTMLElement>(el: ParleyInbox | ShadowRoot, selector: string): T {
  const found = ('shadowRoot' in el ? root(el) : el).querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

function listRoot(el: ParleyInbox): ShadowRoot | null {
  return root(el).querySelector('parley-conversation-list')?.shadowRoot ?? null;
}

function option(el: ParleyInbox, conversationId: string): HTMLElement | null {
  return listRoot(el)?.querySelector<HTMLElement>(`[role="option"][id$="${conversationId}"]`) ?? null;
}

function threadText(el: ParleyInbox): string {
  return root(el).querySelector('parley-thread')?.shadowRoot?.querySelector('[role="log"]')?.textContent ?? '';
}

async function signedIn(email: string, password: string): Promise<SupabaseClient> {
  const client = await browserClient();
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return client;
}

async function visitorConversation(text: readonly string[]): Promise<{ client: SupabaseClient; id: string }> {
  const client = await browserClient();
  const { error } = await client.auth.signInAnonymously();
  if (error) throw error;
  const id = crypto.randomUUID();
  const started = await client.rpc('start_conversation', { p_id: id });
  if (started.error) throw new Error(started.error.message);
  for (const content of text) {
    const sent = await client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: id, p_content: content });
    if (sent.error) throw new Error(sent.error.message);
  }
  return { client, id };
}

function clearAgentAuth(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley-agent-auth') || key.startsWith('parley-auth')) localStorage.removeItem(key);
}

async function submitSignIn(el: ParleyInbox, email: string, password: string): Promise<void> {
  part<HTMLInputElement>(el, '#email').value = email;
  part<HTMLInputElement>(el, '#password').value = password;
  part<HTMLButtonElement>(el, 'button[type="submit"]').click();
  expect(el.phase, 'the form is busy at once').to.equal('signing-in');
  await wait(() => el.phase !== 'signing-in', 'sign-in answered');
}

function change(select: HTMLSelectElement | HTMLInputElement, value: string | boolean): void {
  if (typeof value === 'boolean') (select as HTMLInputElement).checked = value;
  else select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<parley-inbox> on the local stack', function () {
  this.timeout(40000);
  const cleanup: (() => unknown)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function mount(client?: SupabaseClient): Promise<ParleyInbox> {
    if (!client) return mountOnStack('parley-inbox', cleanup);
    const el = document.createElement('parley-inbox');
    el.client = client;
    el.style.height = '700px';
    document.body.append(el);
    cleanup.push(() => el.remove());
    return el;
  }

  async function readyInbox(email = 'admin@parley.test', password = 'parley-admin'): Promise<{ el: ParleyInbox; client: SupabaseClient }> {
    const client = await signedIn(email, password);
    cleanup.push(() => client.removeAllChannels());
    const el = await mount(client);
    await wait(() => el.phase === 'ready', 'console ready');
    await wait(() => el.session?.state.$connection.get() === 'connected', 'connected');
    return { el, client };
  }

  it('signs an agent in through the form, refuses wrong passwords and non-agents, keeps the sign-in apart, signs out', async () => {
    clearAgentAuth();
    cleanup.push(clearAgentAuth);
    const el = await mount();
    await wait(() => el.phase === 'signed-out', 'sign-in form');

    await submitSignIn(el, 'agent@parley.test', 'wrong password');
    expect(el.phase).to.equal('signed-out');
    expect(root(el).getElementById('sign-in-error')?.textContent?.trim()).to.equal('Invalid login credentials');

    await submitSignIn(el, 'priya.natarajan@example.com', 'parley-customer');
    await wait(() => el.phase === 'signed-out' && root(el).getElementById('sign-in-error')?.textContent?.trim() === inboxStrings.notAgent, 'a customer is refused');
    expect(Object.keys(localStorage).filter((k) => k.startsWith('parley-agent-auth')), 'the refused sign-in is not kept').to.deep.equal([]);

    await submitSignIn(el, 'admin@parley.test', 'parley-admin');
    await wait(() => el.phase === 'ready', 'console');
    await el.updateComplete;
    expect(el.agent?.display_name).to.equal('Maya Chen');
    expect(root(el).querySelector('.who')?.textContent).to.contain('Maya Chen');
    await wait(() => (listRoot(el)?.querySelectorAll('[role="option"]').length ?? 0) >= 20, 'the seeded conversations');
    expect(Object.keys(localStorage).some((k) => k.startsWith('parley-agent-auth')), 'the agent sign-in is stored').to.equal(true);
    expect(Object.keys(localStorage).some((k) => k.startsWith('parley-auth')), 'under a key no launcher reads').to.equal(false);

    // A reload (remount) keeps the agent signed in.
    el.remove();
    document.body.append(el);
    await wait(() => el.phase === 'ready', 'signed in again from storage');

    part<HTMLButtonElement>(el, '[part="sign-out-button"]').click();
    await wait(() => el.phase === 'signed-out', 'signed out');
    expect(Object.keys(localStorage).filter((k) => k.startsWith('parley-agent-auth'))).to.deep.equal([]);
    expect(el.session?.client.getChannels().length ?? 0, 'no channel left after sign-out').to.equal(0);
  });

  it('shows a new visitor conversation live; the agent opens it, replies, and the unread count clears', async () => {
    const { el } = await readyInbox('agent@parley.test', 'parley-agent');
    const visitor = await visitorConversation(['Hello from a brand new visitor']);
    cleanup.push(() => visitor.client.removeAllChannels());

    const badge = (): HTMLElement | null => option(el, visitor.id)?.querySelector<HTMLElement>('[part~="unread-badge"]') ?? null;
    await wait(() => option(el, visitor.id)?.textContent?.includes('Hello from a brand new visitor') === true,
      'the new conversation appears without a reload, with its message');
    await wait(() => badge()?.hidden === false, 'counted unread');
    expect(badge()?.textContent).to.contain('1 unread');

    option(el, visitor.id)?.click();
    await wait(() => el.conversationId === visitor.id, 'selected');
    await wait(() => threadText(el).includes('Hello from a brand new visitor'), 'the thread shows the message');
    await wait(() => badge()?.hidden === true, 'opening it marks it read');

    const composer = part(el, 'parley-composer');
    composer.focus();
    await sendKeys({ type: 'Happy to help!' });
    await sendKeys({ press: 'Enter' });
    await wait(() => threadText(el).includes('Happy to help!'), 'the reply shows at once');

    // The visitor's own view of the database has the reply, exactly once.
    let replies: unknown[] = [];
    await waitUntil(async () => {
      const { data } = await visitor.client.from('messages').select('content,sender_type').eq('conversation_id', visitor.id).eq('sender_type', 'agent');
      replies = data ?? [];
      return replies.length > 0;
    }, 'the visitor can read the reply', { timeout: 8000, interval: 100 });
    expect(replies).to.deep.equal([{ content: 'Happy to help!', sender_type: 'agent' }]);

    // The visitor reads it: the agent sees "Seen" under the reply.
    const replyRow = (): Element | null => root(el).querySelector('parley-thread')?.shadowRoot?.querySelector('.message.mine[data-seq="2"]') ?? null;
    expect(shownReceipt(replyRow())).to.equal(null);
    const read = await visitor.client.rpc('mark_read', { p_conversation_id: visitor.id, p_seq: 2 });
    if (read.error) throw new Error(read.error.message);
    await wait(() => shownReceipt(replyRow()) === 'Seen', 'the receipt');

    // A new visitor message while the conversation is open is read at once: its list item never
    // shows it as unread, not even for a frame, nor does the tab's title.
    let flashed = false;
    // The title counts the other conversations too, which other suites on the shared stack may be
    // writing in meanwhile: it must only ever count those.
    const page = document.title.replace(/^\(\d+\) /, '');
    const titleForOthers = (): string => {
      const others = el.session ? unreadBesides(el.session.state.$unread.get(), visitor.id).total : 0;
      return others > 0 ? `(${others}) ${page}` : page;
    };
    const watcher = new MutationObserver(() => {
      if (badge()?.hidden === false || document.title !== titleForOthers()) flashed = true;
    });
    watcher.observe(el.shadowRoot as ShadowRoot, { subtree: true, attributes: true, childList: true });
    watcher.observe(document.head, { subtree: true, childList: true, characterData: true });
    cleanup.push(() => watcher.disconnect());
    await visitor.client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: visitor.id, p_content: 'Thanks!' });
    await wait(() => threadText(el).includes('Thanks!'), 'live in the thread');
    await wait(() => (el.session?.state.$unread.get().byConversation[visitor.id] ?? 0) === 0, 'nothing unread');
    await el.updateComplete;
    watcher.disconnect();
    expect(flashed, 'the open conversation showed as unread').to.equal(false);
  });

  it("puts a message in the thread and its list row's preview in the same update, received or sent; the confirmation changes no row", async () => {
    const { el } = await readyInbox('agent@parley.test', 'parley-agent');
    const visitor = await visitorConversation(['A first question']);
    cleanup.push(() => visitor.client.removeAllChannels());
    await wait(() => option(el, visitor.id) !== null, 'listed');
    option(el, visitor.id)?.click();
    await wait(() => threadText(el).includes('A first question'), 'opened');
    // The history comes over REST before the thread's channel is live; a message sent now shows once
    // realtime brings it or the channel's first resync fetches it, and either way the channel is live
    // after it (otherwise the next message could reach the list's row before the thread).
    await visitor.client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: visitor.id, p_content: 'One more thing' });
    await wait(() => threadText(el).includes('One more thing'), 'the thread is live');
    const threadRoot = root(el).querySelector('parley-thread')?.shadowRoot as ShadowRoot;
    const list = listRoot(el) as ShadowRoot;

    // One observer on both shadow roots: one callback per batch of DOM changes (a task's renders).
    const batches: { thread: string; preview: string }[] = [];
    const observer = new MutationObserver((records) => {
      const batch = { thread: '', preview: '' };
      for (const record of records) {
        const target = record.target instanceof Element ? record.target : record.target.parentElement;
        if (target?.getRootNode() === threadRoot) for (const node of record.addedNodes) batch.thread += node.textContent ?? '';
        const preview = target?.closest('.preview');
        if (preview && preview.closest('[role="option"]')?.id.endsWith(visitor.id)) batch.preview += preview.textContent ?? '';
      }
      batches.push(batch);
    });
    observer.observe(threadRoot, { subtree: true, childList: true, characterData: true });
    observer.observe(list, { subtree: true, childList: true, characterData: true });
    cleanup.push(() => observer.disconnect());
    const batchOf = (key: 'thread' | 'preview', text: string): number[] =>
      batches.flatMap((b, i) => (b[key].includes(text) ? [i] : []));

    await visitor.client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: visitor.id, p_content: 'Is it   in stock?' });
    await wait(() => batchOf('preview', 'Is it in stock?').length > 0, "the list row's preview");
    expect(batchOf('thread', 'Is it   in stock?'), 'the thread row came with the preview').to.deep.equal(batchOf('preview', 'Is it in stock?'));

    const composer = part(el, 'parley-composer');
    composer.focus();
    await sendKeys({ type: 'Yes, two left' });
    await sendKeys({ press: 'Enter' });
    await wait(() => el.session?.state.$outbox.get().length === 0 && threadText(el).includes('Yes, two left'), 'sent and confirmed');
    await el.updateComplete;
    expect(batchOf('preview', 'Yes, two left'), 'the preview changed once').to.have.length(1);
    expect(batchOf('thread', 'Yes, two left'), 'with the pending row').to.deep.equal(batchOf('preview', 'Yes, two left'));
    observer.disconnect();
  });

  it('changes status, assignee and chatbot through the controls, follows changes made elsewhere, and shows the system messages', async () => {
    const { el, client } = await readyInbox();
    const visitor = await visitorConversation(['Can someone look at my order?']);
    cleanup.push(() => visitor.client.removeAllChannels());
    await wait(() => option(el, visitor.id) !== null, 'listed');
    el.conversationId = visitor.id;
    await wait(() => threadText(el).includes('Can someone look at my order?'), 'opened');
    await el.updateComplete;
    const status = part<HTMLSelectElement>(el, 'select.status');
    const assignee = part<HTMLSelectElement>(el, 'select.assignee');
    expect(status.value).to.equal('open');
    expect(assignee.value).to.equal('');
    expect([...assignee.options].map((o) => o.textContent?.trim())).to.include('Maya Chen (you)');

    change(status, 'pending');
    await wait(() => el.session?.state.$conversations.get()[visitor.id]?.status === 'pending', 'status stored');
    const row = async () => (await client.from('conversations').select('status,assigned_agent_id,chatbot_enabled').eq('id', visitor.id).single()).data;
    expect((await row())?.status).to.equal('pending');
    await wait(() => /pending/i.test(threadText(el)), 'the status system message');

    // Controls stay disabled until the server answered (the realtime row may arrive first).
    const idle = (): Promise<void> => wait(() => root(el).querySelector<HTMLSelectElement>('select.status')?.disabled === false, 'controls idle');
    await idle();
    part<HTMLButtonElement>(el, '[part="assign-me-button"]').click();
    await wait(() => el.session?.state.$conversations.get()[visitor.id]?.assigned_agent_id === MAYA, 'assigned to me');
    await el.updateComplete;
    expect(part<HTMLSelectElement>(el, 'select.assignee').value).to.equal(MAYA);
    expect(root(el).querySelector('[part="assign-me-button"]'), 'no "assign to me" once mine').to.equal(null);

    await idle();
    const chatbot = part<HTMLInputElement>(el, '[part="chatbot-switch"] input');
    change(chatbot, true);
    await wait(() => el.session?.state.$conversations.get()[visitor.id]?.chatbot_enabled === true, 'chatbot on');
    await el.updateComplete;
    expect(part<HTMLInputElement>(el, '[part="chatbot-switch"] input').checked).to.equal(true);
    expect((await row())?.chatbot_enabled).to.equal(true);

    // Another agent reassigns and resolves it: the controls follow.
    const jordan = await signedIn('jordan@parley.test', 'parley-agent');
    await jordan.rpc('assign_conversation', { p_conversation_id: visitor.id, p_agent_id: JORDAN });
    await jordan.rpc('set_conversation_status', { p_conversation_id: visitor.id, p_status: 'resolved' });
    await wait(() => root(el).querySelector<HTMLSelectElement>('select.assignee')?.value === JORDAN, 'assignee follows');
    await wait(() => root(el).querySelector<HTMLSelectElement>('select.status')?.value === 'resolved', 'status follows');
    await wait(() => /Jordan Blake/.test(threadText(el)), 'the assignment system message');
  });

  it('finds a conversation by text in an earlier message, which the list cannot match locally', async () => {
    const { el } = await readyInbox('agent@parley.test', 'parley-agent');
    const word = `zebra${Math.random().toString(36).slice(2, 8)}`;
    const visitor = await visitorConversation([`My order number is ${word}`, 'Any news?']);
    cleanup.push(() => visitor.client.removeAllChannels());
    await wait(() => option(el, visitor.id) !== null, 'listed');

    const search = part<HTMLInputElement>(listRoot(el) ?? root(el), '#search');
    search.focus();
    await sendKeys({ type: word });
    await sendKeys({ press: 'Enter' });
    await wait(() => listRoot(el)?.querySelectorAll('[role="option"]').length === 1, 'only the hit remains');
    expect(option(el, visitor.id)).to.not.equal(null);
  });

  it('runs on a host\'s access token (third-party auth) without a sign-in form or a sign-out button', async () => {
    const issuer = await signedIn('agent@parley.test', 'parley-agent');
    let calls = 0;
    const stack = await browserStack();
    const el = document.createElement('parley-inbox');
    el.setAttribute('supabase-url', stack.url);
    el.setAttribute('supabase-key', stack.anonKey);
    el.accessToken = async () => {
      calls += 1;
      return (await issuer.auth.getSession()).data.session?.access_token ?? null;
    };
    document.body.append(el);
    cleanup.push(() => el.remove());
    await wait(() => el.phase === 'ready', 'ready without a form');
    await wait(() => el.session?.state.$connection.get() === 'connected', 'realtime on the host token');
    expect(el.agent?.display_name).to.equal('Sam Rivera');
    expect(calls).to.be.greaterThan(0);
    await wait(() => (listRoot(el)?.querySelectorAll('[role="option"]').length ?? 0) > 0, 'the list');
    expect(root(el).querySelector('[part="sign-out-button"]')).to.equal(null);
    el.remove();
    await wait(() => el.session === undefined, 'disposed without touching auth-js');
  });

  it('is accessible with a conversation open, in light and dark, and translatable to the last string', async () => {
    const { el } = await readyInbox();
    const visitor = await visitorConversation(['Accessibility check']);
    cleanup.push(() => visitor.client.removeAllChannels());
    await wait(() => option(el, visitor.id) !== null, 'listed');
    el.conversationId = visitor.id;
    await wait(() => threadText(el).includes('Accessibility check'), 'opened');
    await expectAccessibleInBothThemes(el);

    el.strings = { title: 'Posteingang' };
    el.elementStrings = {
      status: { connected: 'Verbunden' },
      conversationList: { searchPlaceholder: 'Suchen…' },
      thread: { beginning: 'Anfang des Gesprächs' },
      composer: { placeholder: 'Antwort schreiben…' },
    };
    await el.updateComplete;
    await wait(() => part(el, 'parley-status').shadowRoot?.querySelector('[part~="label"]')?.textContent?.trim() === 'Verbunden', 'status');
    expect(part(el, '.title').textContent?.trim()).to.equal('Posteingang');
    expect(part<HTMLInputElement>(listRoot(el) ?? root(el), '#search').placeholder).to.equal('Suchen…');
    expect(threadText(el)).to.contain('Anfang des Gesprächs');
    expect(part(el, 'parley-composer').shadowRoot?.querySelector('textarea')?.placeholder).to.equal('Antwort schreiben…');
  });

  it('mounts and unmounts 50 times without leaking channels or window listeners', async () => {
    const client = await signedIn('agent@parley.test', 'parley-agent');
    cleanup.push(() => client.removeAllChannels());
    const { live, restore } = trackWindowListeners();
    cleanup.push(restore);

    const el = await mount(client);
    el.conversationId = '00000000-0000-4000-c000-000000000001';
    await wait(() => el.phase === 'ready', 'ready');
    // The list, the open conversation, the team's presence (who is online, who has it open), and the
    // console's own (the agent's row and the canned replies).
    await wait(() => client.getChannels().length === 4, `list, conversation, presence and console channels joined (${client.getChannels().map((c) => c.topic).join(', ')})`);
    expect(live.size, 'the controller listens to the window while mounted').to.be.greaterThan(0);

    for (let i = 0; i < 50; i += 1) {
      el.remove();
      document.body.append(el);
      await el.updateComplete;
      if (i % 10 === 0) await wait(() => el.phase === 'ready', `ready again (${i})`);
    }
    el.remove();
    await wait(() => client.getChannels().length === 0, `channels released (${client.getChannels().map((c) => c.topic).join(', ')})`);
    await wait(() => live.size === 0, `window listeners removed (${[...live].join(', ')})`);
    expect(el.session).to.equal(undefined);
  });
});

import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import { ParleyLoadOlderEvent } from '../../src/define.ts';
import { createDataApi } from '../../src/data/index.ts';
import { createRealtimeController } from '../../src/realtime/index.ts';
import { createParleyState } from '../../src/state/index.ts';
import type { ParleyLauncher } from '../../src/define.ts';
import '../browser-helpers/console-guard.ts';
import { shownReceipt } from '../browser-helpers/receipt.ts';
import { trackWindowListeners } from '../browser-helpers/window-listeners.ts';
import { browserClient, browserStack } from '../browser-stack/stack.ts';

const wait = (predicate: () => boolean, message: string, timeout = 8000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

function panelPart(el: ParleyLauncher, selector: string): HTMLElement | null {
  return el.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
}

/**
 * The panel opens on the home screen: shows the current conversation (or, with none, the new one
 * "Send us a message" opens), as the visitor would. Unread replies show it at once.
 */
async function openThread(el: ParleyLauncher): Promise<void> {
  await el.updateComplete;
  if (panelPart(el, 'parley-thread')) return;
  const item = panelPart(el, '[part~="conversation"]') ?? panelPart(el, '[part~="send-us-a-message"]');
  if (!item) throw new Error('neither a thread nor the home screen');
  item.click();
  await waitUntil(() => panelPart(el, 'parley-thread') !== null, 'the thread shows');
}

function threadRoot(el: ParleyLauncher): ShadowRoot {
  const root = panelPart(el, 'parley-thread')?.shadowRoot;
  if (!root) throw new Error('no thread');
  return root;
}

async function signedInAgent(): Promise<SupabaseClient> {
  const client = await browserClient();
  const { error } = await client.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
  if (error) throw error;
  return client;
}

/** A new anonymous visitor's client, and their user id. */
async function signedInVisitor(): Promise<{ client: SupabaseClient; visitorId: string }> {
  const client = await browserClient();
  const { data, error } = await client.auth.signInAnonymously();
  if (error || !data.user) throw error ?? new Error('no visitor');
  return { client, visitorId: data.user.id };
}

async function insertAs(client: SupabaseClient, conversationId: string, content: string): Promise<void> {
  const { error } = await client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: content });
  if (error) throw new Error(error.message);
}

async function markReadAs(client: SupabaseClient, conversationId: string, seq: number): Promise<void> {
  const { error } = await client.rpc('mark_read', { p_conversation_id: conversationId, p_seq: seq });
  if (error) throw new Error(error.message);
}

/** Types `text` into the launcher's composer once it takes text, and presses Enter, like a visitor. */
async function typeAndSend(el: ParleyLauncher, text: string): Promise<void> {
  const composer = panelPart(el, 'parley-composer');
  await wait(() => composer?.matches(':not([disabled])') === true, 'composer enabled');
  composer?.focus();
  await sendKeys({ type: text });
  await sendKeys({ press: 'Enter' });
}

function clearWidgetAuth(): void {
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('parley-auth') || key.startsWith('parley-outbox')) localStorage.removeItem(key);
  }
}

/** Page globals a test replaced, put back after it. */
const restoreAfterEach: (() => void)[] = [];

/** Makes the page's fetch fail `insert_message` requests before they leave, as a dropped network would. */
function blockInserts(): { failBefore: number; inserts: number } {
  const original = window.fetch;
  const net = { failBefore: 0, inserts: 0 };
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/rest/v1/rpc/insert_message')) {
      net.inserts += 1;
      if (net.failBefore > 0) {
        net.failBefore -= 1;
        return Promise.reject(new TypeError('Failed to fetch'));
      }
    }
    return original(input, init);
  };
  restoreAfterEach.push(() => {
    window.fetch = original;
  });
  return net;
}

describe('<parley-launcher> on the local stack', function () {
  this.timeout(30000);
  const cleanup: (() => unknown)[] = [];
  // An agent's console beats all along: with nobody online the widget is in away mode (issue 15,
  // tested in launcher-home.test.ts) and asks for an email under the thread after a first message.
  const consoleId = crypto.randomUUID();
  let onlineAgent: SupabaseClient | null = null;
  let beating: ReturnType<typeof setInterval> | undefined;

  before(async () => {
    onlineAgent = await signedInAgent();
    const beat = async (): Promise<void> => {
      await onlineAgent?.rpc('console_heartbeat', { p_session: consoleId, p_idle_seconds: 0, p_away_after: 86400 });
    };
    await beat();
    beating = setInterval(() => void beat(), 30_000);
  });

  after(async () => {
    clearInterval(beating);
    await onlineAgent?.rpc('console_leave', { p_session: consoleId });
    await onlineAgent?.removeAllChannels();
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    for (const fn of restoreAfterEach.splice(0).reverse()) fn();
  });

  function mount(el: ParleyLauncher): ParleyLauncher {
    document.body.append(el);
    cleanup.push(() => el.remove());
    return el;
  }

  it('signs a visitor in on open, sends, receives an agent reply, and badges replies while closed', async () => {
    clearWidgetAuth();
    cleanup.push(clearWidgetAuth);
    const stack = await browserStack();
    const el = mount(document.createElement('parley-launcher'));
    el.setAttribute('supabase-url', stack.url);
    el.setAttribute('supabase-key', stack.anonKey);
    await el.updateComplete;
    expect(el.session).to.equal(undefined);

    panelPart(el, '.bubble')?.click();
    await wait(() => el.phase === 'ready', 'session ready');
    await openThread(el);
    expect(el.conversationId, 'a new visitor has no conversation, and opening starts none').to.equal(null);
    await wait(() => el.session?.state.$connection.get() === 'connected', 'connected');
    await el.updateComplete;
    expect(panelPart(el, 'parley-status')?.getAttribute('status')).to.equal('connected');

    // Record every state the pending row goes through.
    const states = new Set<string>();
    const observer = new MutationObserver(() => {
      for (const row of threadRoot(el).querySelectorAll('[data-state]')) states.add(row.getAttribute('data-state') ?? '');
    });
    observer.observe(threadRoot(el), { subtree: true, childList: true, attributes: true });
    cleanup.push(() => observer.disconnect());

    await typeAndSend(el, 'Hello from the launcher');
    await wait(() => el.conversationId !== null, 'the first send starts a conversation');
    const conversationId = el.conversationId as string;
    await wait(() => [...threadRoot(el).querySelectorAll('.message.mine:not(.pending)')]
      .some((row) => row.textContent?.includes('Hello from the launcher')), 'the send is confirmed');
    expect(states.has('sending'), `pending states seen: ${[...states].join(', ')}`).to.equal(true);
    expect(threadRoot(el).querySelectorAll('.message.pending').length).to.equal(0);
    await wait(() => el.session?.state.thread(conversationId).get().hasMore === false,
      'a new conversation has no earlier history');
    expect(threadRoot(el).textContent).not.to.contain('Load earlier messages');

    const agent = await signedInAgent();
    cleanup.push(() => agent.removeAllChannels());
    expect(threadRoot(el).querySelector('[data-receipt="seen"]'), 'nobody has read it yet').to.equal(null);
    const sentSeq = el.session?.state.thread(conversationId).get().messages.at(-1)?.seq ?? 0;
    await markReadAs(agent, conversationId, sentSeq);
    await wait(() => shownReceipt(threadRoot(el).querySelector(`.message.mine[data-seq="${sentSeq}"]`)) === 'Seen',
      'the visitor sees "Seen" once the agent has read it');
    // Open panel: what it shows is read as it arrives, so the badge never shows, not even for a frame.
    let badged = false;
    const badges = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) if (node instanceof Element && node.matches('.badge')) badged = true;
      }
    });
    badges.observe(el.shadowRoot as ShadowRoot, { subtree: true, childList: true });
    cleanup.push(() => badges.disconnect());
    await insertAs(agent, conversationId, 'Agent reply one');
    await wait(() => [...threadRoot(el).querySelectorAll('.message.theirs')]
      .some((row) => row.textContent?.includes('Agent reply one')), 'the reply shows in the thread');
    await wait(() => el.session?.state.$unread.get().total === 0, 'read while open');
    await el.updateComplete;
    badges.disconnect();
    expect(panelPart(el, '.badge')).to.equal(null);
    expect(badged, 'a badge showed for the reply on screen').to.equal(false);

    el.hide();
    await el.updateComplete;
    await insertAs(agent, conversationId, 'Agent reply two');
    await wait(() => panelPart(el, '.badge')?.textContent?.trim() === '1', 'the badge counts the reply');
    expect(panelPart(el, '.bubble')?.getAttribute('aria-label')).to.contain('1 unread');

    // Reopening shows it and clears the badge.
    el.show();
    await wait(() => panelPart(el, '.badge') === null, 'badge cleared on open');

    // Removal stops realtime and disposes the client the launcher created.
    const session = el.session;
    expect(session?.ownsClient).to.equal(true);
    el.remove();
    expect(el.session).to.equal(undefined);
    await wait(() => session?.client.getChannels().length === 0, 'channels removed');
    await wait(() => session?.client.realtime.isConnected() === false, 'socket closed');
  });

  it("reopens the visitor's latest open conversation and carries typing both ways", async () => {
    const { client, visitorId } = await signedInVisitor();
    cleanup.push(() => client.removeAllChannels());
    const started = await client.rpc('start_conversation', {});
    if (started.error) throw new Error(started.error.message);
    const conversationId = (started.data as { id: string }).id;
    await insertAs(client, conversationId, 'Earlier message');

    const agent = await signedInAgent();
    const agentState = createParleyState();
    const agentRealtime = createRealtimeController({ client: agent, api: createDataApi(agent), state: agentState, typingName: 'Ada' });
    cleanup.push(async () => {
      await agentRealtime.stop();
      agentState.dispose();
      await agent.removeAllChannels();
    });
    await agentRealtime.start();
    const releaseAgent = agentRealtime.open(conversationId);
    cleanup.push(releaseAgent);

    const el = document.createElement('parley-launcher');
    el.client = client;
    mount(el);
    el.show();
    await wait(() => el.phase === 'ready', 'session ready');
    await openThread(el);
    expect(el.conversationId).to.equal(conversationId);
    await wait(() => threadRoot(el).textContent?.includes('Earlier message') === true, 'history shows');
    await wait(() => el.session?.state.$connection.get() === 'connected', 'visitor connected');
    await wait(() => agentState.$connection.get() === 'connected', 'agent connected');

    const composer = panelPart(el, 'parley-composer');
    await wait(() => composer?.matches(':not([disabled])') === true, 'composer enabled');
    composer?.focus();
    // Typing travels as broadcast, at most once (no replay): like a person, keep typing until it shows.
    const agentSeesTyping = (): boolean => (agentState.$typing.get()[conversationId] ?? []).some((e) => e.user_id === visitorId);
    for (let keystroke = 0; keystroke < 6 && !agentSeesTyping(); keystroke += 1) {
      await sendKeys({ type: 'typ' });
      await wait(agentSeesTyping, 'the agent sees the visitor typing', 2500).catch(() => undefined);
    }
    expect(agentSeesTyping(), 'the agent sees the visitor typing').to.equal(true);

    // The broadcast says "Ada"; the visitor reads the name of the agent's public profile, like on replies.
    const typingLine = (): string => threadRoot(el).querySelector('[part~="typing"]')?.textContent?.trim() ?? '';
    const visitorSeesTyping = (): boolean => typingLine() === 'Sam Rivera is typing…';
    for (let burst = 0; burst < 6 && !visitorSeesTyping(); burst += 1) {
      agentRealtime.typing(conversationId);
      await wait(visitorSeesTyping, 'the visitor sees the agent typing', 2500).catch(() => undefined);
    }
    expect(typingLine(), 'the visitor sees the agent typing, by name').to.equal('Sam Rivera is typing…');

    await insertAs(agent, conversationId, 'Sam here, how can I help?');
    const reply = (): HTMLElement | null => [...threadRoot(el).querySelectorAll<HTMLElement>('.message.theirs')]
      .find((row) => row.textContent?.includes('Sam here')) ?? null;
    await wait(() => reply() !== null, 'the reply shows');
    expect(reply()?.querySelector('[part~="sender"]')?.textContent?.trim()).to.equal('Sam Rivera · Agent');
    expect(reply()?.querySelector<HTMLElement>('[part~="avatar"]')?.dataset['initials']).to.equal('SR');
  });

  it('runs on a host\'s access token (third-party auth) instead of an anonymous sign-in', async () => {
    const { client: issuer, visitorId } = await signedInVisitor();
    const stack = await browserStack();
    const el = mount(document.createElement('parley-launcher'));
    el.setAttribute('supabase-url', stack.url);
    el.setAttribute('supabase-key', stack.anonKey);
    el.accessToken = async () => (await issuer.auth.getSession()).data.session?.access_token ?? null;
    el.show();
    await wait(() => el.phase === 'ready', 'session ready');
    await openThread(el);
    await wait(() => el.session?.state.$connection.get() === 'connected', 'connected on the host token');
    expect(el.session?.state.$session.get().userId).to.equal(visitorId);
    await typeAndSend(el, 'Sent with the site\'s token');
    await wait(() => el.conversationId !== null, 'conversation started');
    const { data } = await issuer.from('conversations').select('customer_id').eq('id', el.conversationId as string).single();
    expect(data?.customer_id, 'the conversation belongs to the host\'s user').to.equal(visitorId);
    expect(Object.keys(localStorage).some((k) => k.startsWith('parley-auth')), 'no anonymous session of its own').to.equal(false);
    el.remove();
    await wait(() => el.session === undefined, 'disposed');
  });

  it('connects a returning visitor on idle while closed, so a reply that came in meanwhile badges the bubble', async () => {
    clearWidgetAuth();
    cleanup.push(clearWidgetAuth);
    const stack = await browserStack();
    const make = (): ParleyLauncher => {
      const el = document.createElement('parley-launcher');
      el.setAttribute('supabase-url', stack.url);
      el.setAttribute('supabase-key', stack.anonKey);
      return el;
    };
    const first = mount(make());
    first.show();
    await wait(() => first.phase === 'ready', 'first visit ready');
    await openThread(first);
    await typeAndSend(first, 'Before I leave');
    await wait(() => first.conversationId !== null, 'conversation started');
    const conversationId = first.conversationId as string;
    await wait(() => (first.session?.state.thread(conversationId).get().messages.length ?? 0) === 1, 'sent');
    // Closed before leaving: the next page view of this tab starts closed (an open panel would reopen, #5).
    first.hide();
    await first.updateComplete;
    first.remove();

    const agent = await signedInAgent();
    cleanup.push(() => agent.removeAllChannels());
    await insertAs(agent, conversationId, 'Reply while the visitor was away');

    // The buffer holds 250 entries by default, which earlier tests may have filled.
    performance.clearResourceTimings();
    const since = performance.now();
    const again = mount(make());
    expect(again.open).to.equal(false);
    await wait(() => again.phase === 'ready', 'connected on idle without opening', 10000);
    await wait(() => panelPart(again, '.badge')?.textContent?.trim() === '1', 'the badge counts the reply');
    expect(panelPart(again, '.bubble')?.getAttribute('aria-label')).to.equal('Open chat, 1 unread');
    // An anonymous visitor is no agent: the connect does not ask the agents table.
    const asked = performance.getEntriesByType('resource').filter((entry) => entry.startTime >= since).map((entry) => new URL(entry.name).pathname);
    expect(asked).to.include('/rest/v1/conversations');
    expect(asked).not.to.include('/rest/v1/agents');
  });

  it('says when an agent closed the conversation, keeps its history, and starts the next one when the visitor asks', async () => {
    const { client, visitorId } = await signedInVisitor();
    cleanup.push(() => client.removeAllChannels());
    const el = mount(document.createElement('parley-launcher'));
    el.client = client;
    el.show();
    await wait(() => el.phase === 'ready', 'ready');
    await openThread(el);
    await typeAndSend(el, 'First question');
    await wait(() => el.conversationId !== null, 'conversation started');
    const first = el.conversationId as string;
    await wait(() => (el.session?.state.thread(first).get().messages.length ?? 0) === 1, 'sent');

    const agent = await signedInAgent();
    cleanup.push(() => agent.removeAllChannels());
    const closed = await agent.rpc('set_conversation_status', { p_conversation_id: first, p_status: 'closed' });
    if (closed.error) throw new Error(closed.error.message);
    await wait(() => panelPart(el, '[part~="closed-notice"]') !== null, 'the closed notice replaces the composer');
    expect(panelPart(el, '[part~="closed-notice"]')?.textContent).to.contain('This conversation was closed.');
    expect(panelPart(el, 'parley-composer'), 'no composer for a closed conversation').to.equal(null);
    expect(threadRoot(el).textContent, 'the history stays').to.contain('First question');
    expect(el.conversationId).to.equal(first);

    panelPart(el, '[part~="start-new-button"]')?.click();
    await wait(() => panelPart(el, 'parley-composer') !== null, 'the composer comes back');
    await wait(() => el.shadowRoot?.activeElement === panelPart(el, 'parley-composer'), 'and takes focus');
    await wait(() => threadRoot(el).querySelector('[part~="divider"]')?.textContent?.includes('Conversation closed') === true,
      'the closed conversation ends with its divider above');
    expect(el.conversationId, 'nothing starts before the visitor writes').to.equal(first);

    await typeAndSend(el, 'Another question');
    await wait(() => el.conversationId !== null && el.conversationId !== first, 'a new conversation');
    const second = el.conversationId as string;
    await wait(() => (el.session?.state.thread(second).get().messages.length ?? 0) === 1, 'stored');
    // One history: the old conversation, its divider, then the new one under it.
    const order = (): string => [...threadRoot(el).querySelectorAll<HTMLElement>('.message .bubble, [part~="divider"]')]
      .map((n) => (n.matches('[part~="divider"]') ? 'divider' : n.textContent?.trim()))
      .filter((text) => text === 'divider' || text === 'First question' || text === 'Another question')
      .join(' / ');
    await wait(() => order() === 'First question / divider / Another question', `one history (${order()})`);
    const rows = await agent.from('messages').select('conversation_id,content').in('conversation_id', [first, second]).eq('sender_type', 'customer').order('created_at');
    expect(rows.data).to.deep.equal([
      { conversation_id: first, content: 'First question' },
      { conversation_id: second, content: 'Another question' },
    ]);

    // The agent writes into the old one: the visitor sees it, and reading it clears the count.
    await insertAs(agent, first, 'One more thing about your first question');
    await wait(() => threadRoot(el).textContent?.includes('One more thing about your first question') === true, 'the late reply shows');
    await wait(() => el.session?.state.$unread.get().total === 0, 'seen in the open panel, so read');
    await waitUntil(async () => {
      const marker = await client.from('conversation_reads').select('last_read_public_seq').eq('conversation_id', first).eq('user_id', visitorId).single();
      return ((marker.data as { last_read_public_seq: number } | null)?.last_read_public_seq ?? 0) >= 3;
    }, 'read on the server too', { timeout: 8000, interval: 100 });

    // A reload: the newest conversation, with the history above it.
    el.remove();
    const again = mount(document.createElement('parley-launcher'));
    again.client = client;
    again.show();
    await wait(() => again.phase === 'ready', 'ready again');
    await openThread(again);
    expect(again.conversationId, 'the newest conversation').to.equal(second);
    await wait(() => threadRoot(again).textContent?.includes('First question') === true, 'with its history');
    expect(threadRoot(again).textContent).to.contain('Another question');
    expect(panelPart(again, 'parley-composer')).to.not.equal(null);
  });

  it('an agent writing into an earlier conversation the panel does not show: it shows, and the badge follows what is seen', async () => {
    const { client } = await signedInVisitor();
    cleanup.push(() => client.removeAllChannels());
    const agent = await signedInAgent();
    cleanup.push(() => agent.removeAllChannels());
    // Three conversations, the two older closed: the panel shows the newest and the one before it.
    const ids: string[] = [];
    for (const text of ['Oldest', 'Middle', 'Newest']) {
      const started = await client.rpc('start_conversation', {});
      if (started.error) throw new Error(started.error.message);
      const id = (started.data as { id: string }).id;
      ids.push(id);
      await insertAs(client, id, `${text} question`);
      if (text !== 'Newest') {
        const closed = await agent.rpc('set_conversation_status', { p_conversation_id: id, p_status: 'closed' });
        if (closed.error) throw new Error(closed.error.message);
      }
    }
    const [oldest] = ids as [string];
    const el = mount(document.createElement('parley-launcher'));
    el.client = client;
    el.show();
    await wait(() => el.phase === 'ready', 'ready');
    await openThread(el);
    expect(el.conversationId).to.equal(ids[2]);
    await wait(() => threadRoot(el).textContent?.includes('Middle question') === true, 'the previous conversation shows');
    expect(threadRoot(el).textContent).not.to.contain('Oldest question');

    el.hide();
    await insertAs(agent, oldest, 'Reopening your oldest question');
    await wait(() => panelPart(el, '.badge')?.textContent?.trim() === '1', 'the closed bubble counts it');
    el.show();
    await wait(() => threadRoot(el).textContent?.includes('Reopening your oldest question') === true, 'loaded without scrolling');
    // Seen is in view: where the panel cannot show all three conversations, the visitor scrolls up to it.
    // Kept in view while the thread still lays out (rows arriving below can push it out again).
    const reply = () => [...threadRoot(el).querySelectorAll<HTMLElement>('[part~="bubble"]')].find((node) => node.textContent?.includes('Reopening your oldest question'));
    if (!reply()) throw new Error('no bubble with the reply');
    await wait(() => {
      reply()?.scrollIntoView({ block: 'center' });
      return panelPart(el, '.badge') === null && el.session?.state.$unread.get().total === 0;
    }, 'seen, so the badge clears');
  });

  it('counts nothing as read while the tab is hidden, and marks it read when the tab shows again', async () => {
    const { client } = await signedInVisitor();
    cleanup.push(() => client.removeAllChannels());
    const started = await client.rpc('start_conversation', {});
    if (started.error) throw new Error(started.error.message);
    const conversationId = (started.data as { id: string }).id;
    await insertAs(client, conversationId, 'Question');

    const el = mount(document.createElement('parley-launcher'));
    el.client = client;
    el.show();
    await wait(() => el.phase === 'ready' && el.conversationId === conversationId, 'ready');
    await openThread(el);
    await wait(() => (el.session?.state.$readMarkers.get()[conversationId] ?? 0) === 1, 'what it shows is read');

    let visibility: DocumentVisibilityState = 'hidden';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    cleanup.push(() => Reflect.deleteProperty(document, 'visibilityState'));
    document.dispatchEvent(new Event('visibilitychange'));

    const agent = await signedInAgent();
    cleanup.push(() => agent.removeAllChannels());
    await insertAs(agent, conversationId, 'Answer while the tab is hidden');
    await wait(() => threadRoot(el).textContent?.includes('Answer while the tab is hidden') === true, 'shown');
    await el.updateComplete;
    await Promise.resolve();
    expect(el.session?.state.$readMarkers.get()[conversationId], 'not seen in a hidden tab').to.equal(1);

    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await wait(() => (el.session?.state.$readMarkers.get()[conversationId] ?? 0) === 2, 'read once visible');
  });

  it('loads older history when the thread asks for it', async () => {
    const { client } = await signedInVisitor();
    cleanup.push(() => client.removeAllChannels());
    const started = await client.rpc('start_conversation', {});
    if (started.error) throw new Error(started.error.message);
    const conversationId = (started.data as { id: string }).id;
    for (let i = 1; i <= 55; i += 1) await insertAs(client, conversationId, `History ${i}`);

    const el = document.createElement('parley-launcher');
    el.client = client;
    mount(el);
    el.show();
    await wait(() => el.phase === 'ready', 'session ready');
    await openThread(el);
    const held = (): number => (el.session?.state.thread(conversationId).get().messages.length ?? 0);
    await wait(() => held() === 50, 'the newest page');
    panelPart(el, 'parley-thread')?.dispatchEvent(new ParleyLoadOlderEvent());
    await wait(() => held() === 55, 'the older page');
    expect(el.session?.state.thread(conversationId).get().hasMore).to.equal(false);
  });

  it('uses a host client as is, and retries a failed send through the Retry button', async () => {
    const stack = await browserStack();
    let refuse = 1;
    let inserts = 0;
    const client = createClient(stack.url, stack.anonKey, {
      auth: { storageKey: `parley-test-${crypto.randomUUID()}`, autoRefreshToken: false, persistSession: false },
      global: {
        fetch: (input, init) => {
          const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
          if (url.includes('/rest/v1/rpc/insert_message')) {
            inserts += 1;
            if (refuse > 0) {
              refuse -= 1;
              return Promise.resolve(new Response(
                JSON.stringify({ code: 'P0001', message: 'refused by the test', details: null, hint: null }),
                { status: 400, headers: { 'content-type': 'application/json' } },
              ));
            }
          }
          return fetch(input, init);
        },
      },
    });
    cleanup.push(() => client.removeAllChannels());
    const el = document.createElement('parley-launcher');
    el.client = client;
    mount(el);
    el.show();
    await wait(() => el.phase === 'ready', 'session ready');
    await openThread(el);
    expect(el.session?.client).to.equal(client);
    expect(el.session?.ownsClient).to.equal(false);

    await typeAndSend(el, 'Try this twice');
    await wait(() => threadRoot(el).querySelector('[data-state="failed"]') !== null, 'the refused send shows as failed');
    threadRoot(el).querySelector<HTMLButtonElement>('[part~="retry-button"]')?.click();
    await wait(() => [...threadRoot(el).querySelectorAll('.message.mine:not(.pending)')]
      .some((row) => row.textContent?.includes('Try this twice')), 'the retried send is confirmed');
    expect(inserts).to.equal(2);

    el.remove();
    await wait(() => client.getChannels().length === 0, 'channels released');
    const { data } = await client.auth.getSession();
    expect(data.session, 'a host client keeps its session').to.not.equal(null);
  });

  it('keeps a message sent while the network is down across a remount, and delivers it exactly once', async () => {
    clearWidgetAuth();
    cleanup.push(clearWidgetAuth);
    const stack = await browserStack();
    const outboxKey = `parley-outbox:${new URL(stack.url).host}`;
    const launcher = (): ParleyLauncher => {
      const el = document.createElement('parley-launcher');
      el.setAttribute('supabase-url', stack.url);
      el.setAttribute('supabase-key', stack.anonKey);
      return mount(el);
    };
    const composerOf = async (el: ParleyLauncher) => {
      await wait(() => el.phase === 'ready', 'session ready');
      await openThread(el);
      await el.updateComplete;
      const composer = panelPart(el, 'parley-composer');
      if (!composer) throw new Error('no composer');
      return composer as HTMLElementTagNameMap['parley-composer'];
    };

    const first = launcher();
    expect(localStorage.getItem(outboxKey), 'nothing stored before the panel opens').to.equal(null);
    first.show();
    const composer = await composerOf(first);
    composer.value = 'Opening line';
    expect(composer.send()).to.equal(true);
    await wait(() => first.conversationId !== null && first.session?.state.$outbox.get().length === 0, 'the first message');
    const conversationId = first.conversationId as string;

    const net = blockInserts();
    net.failBefore = Number.POSITIVE_INFINITY;
    composer.value = 'Sent while offline';
    expect(composer.send()).to.equal(true);
    await wait(() => net.inserts >= 1, 'an attempt that never left');
    const stored = JSON.parse(localStorage.getItem(outboxKey) ?? 'null') as { entries: { content: string }[] } | null;
    expect(stored?.entries.map((e) => e.content)).to.deep.equal(['Sent while offline']);

    first.remove();
    net.failBefore = 0;
    const second = launcher();
    second.show();
    await composerOf(second);
    expect(second.conversationId).to.equal(conversationId);
    await wait(() => second.session?.state.$outbox.get().length === 0, 'the restored send is delivered');
    await wait(() => [...threadRoot(second).querySelectorAll('.message.mine:not(.pending)')]
      .some((row) => row.textContent?.includes('Sent while offline')), 'confirmed in the new thread');
    expect(localStorage.getItem(outboxKey), 'an empty outbox leaves nothing behind').to.equal(null);

    const agent = await signedInAgent();
    const { data, error } = await agent.from('messages').select('id').eq('conversation_id', conversationId).eq('content', 'Sent while offline');
    if (error) throw new Error(error.message);
    expect(data).to.have.length(1);
  });

  it('works where merely reading localStorage throws (sandboxed frames), keeping the outbox in memory', async () => {
    let owner: object | null = window;
    while (owner && !Object.getOwnPropertyDescriptor(owner, 'localStorage')) owner = Object.getPrototypeOf(owner) as object | null;
    const descriptor = owner ? Object.getOwnPropertyDescriptor(owner, 'localStorage') : undefined;
    if (!owner || !descriptor) throw new Error('no localStorage property');
    const storageOwner = owner;
    Object.defineProperty(storageOwner, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError');
      },
    });
    restoreAfterEach.push(() => Object.defineProperty(storageOwner, 'localStorage', descriptor));
    expect(() => window.localStorage).to.throw();

    const stack = await browserStack();
    const el = document.createElement('parley-launcher');
    el.setAttribute('supabase-url', stack.url);
    el.setAttribute('supabase-key', stack.anonKey);
    mount(el);
    el.show();
    await wait(() => el.phase === 'ready', 'session ready without storage');
    await openThread(el);
    const composer = panelPart(el, 'parley-composer') as HTMLElementTagNameMap['parley-composer'];
    await wait(() => !composer.disabled, 'composer enabled');
    composer.value = 'No storage here';
    expect(composer.send()).to.equal(true);
    await wait(() => el.conversationId !== null && el.session?.state.$outbox.get().length === 0, 'sent');
  });

  it('starts the conversation with the pre-chat name and email on the customer row', async () => {
    const { client, visitorId } = await signedInVisitor();
    cleanup.push(() => client.removeAllChannels());
    const el = document.createElement('parley-launcher');
    el.client = client;
    el.setAttribute('pre-chat', 'required');
    mount(el);
    el.show();
    await wait(() => el.phase === 'ready', 'session ready');
    await openThread(el);
    // The pre-chat fields load on demand.
    await wait(() => panelPart(el, '#pre-chat-name') !== null, 'the pre-chat fields');
    const field = (name: string): HTMLInputElement => {
      const input = panelPart(el, `#pre-chat-${name}`);
      if (!(input instanceof HTMLInputElement)) throw new Error(`no ${name} field`);
      return input;
    };
    field('name').focus();
    await sendKeys({ type: '  Grace Hopper ' });
    field('email').focus();
    await sendKeys({ type: 'Grace@Example.com' });
    const composer = panelPart(el, 'parley-composer');
    composer?.focus();
    await sendKeys({ type: 'Hello with my details' });
    await sendKeys({ press: 'Enter' });
    await wait(() => el.conversationId !== null && el.session?.state.$outbox.get().length === 0, 'started and sent');

    const agent = await signedInAgent();
    const { data, error } = await agent.from('customers').select('name,email').eq('user_id', visitorId).single();
    if (error) throw new Error(error.message);
    expect(data).to.deep.equal({ name: 'Grace Hopper', email: 'grace@example.com' });
    const conversation = await agent.from('conversations').select('customer_id').eq('id', el.conversationId as string).single();
    expect(conversation.data?.customer_id).to.equal(visitorId);
  });

  it('mounts and unmounts 50 times after one open without leaking channels or window listeners', async () => {
    const { client } = await signedInVisitor();
    cleanup.push(() => client.removeAllChannels());

    const { live, restore } = trackWindowListeners();
    cleanup.push(restore);

    const el = document.createElement('parley-launcher');
    el.client = client;
    mount(el);
    el.show();
    await wait(() => el.phase === 'ready', 'session ready');
    await openThread(el);
    await wait(() => client.getChannels().length > 0, 'joined');
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

// The sign-in and startup flows of src/session on the local stack, without any element: the agent's
// sign-in (stored, password, refusal of a customer, sign-out), the visitor's start and first send,
// and the root-session controller both roots share.
import { expect, waitUntil } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createSession, sessionContext, type Session } from '../../src/session/index.ts';
import {
  enterConsole, hasStoredSignIn, hostSignIn, requireAgent, signInWithPassword, signOut,
} from '../../src/session/agent-sign-in.ts';
import { VisitorChat, startVisitor } from '../../src/session/visitor-start.ts';
import { RootSessionController } from '../../src/session/root-session.ts';
import { authStorageKey } from '../../src/session/storage-key.ts';
import { ContextConsumer } from '@lit/context';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack } from '../browser-stack/stack.ts';

const wait = (predicate: () => boolean, message: string, timeout = 8000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

/** A session on a client of its own (not stored in localStorage), disposed after the test. */
async function freshSession(cleanup: (() => unknown)[], client?: SupabaseClient): Promise<Session> {
  const own = client ?? (await browserClient());
  const session = createSession({ client: own });
  if (!client) cleanup.push(() => own.realtime.disconnect());
  cleanup.push(() => session.dispose());
  return session;
}

class RootHost extends LitElement {
  conversationId: string | null = null;
  ready = false;
  readonly root = new RootSessionController(this, {
    create: () => createSession({ supabaseUrl: 'http://127.0.0.1:9', supabaseKey: 'anon' }),
    conversationId: () => this.conversationId,
    ready: () => this.ready,
  });

  protected override render(): unknown {
    return html`<root-child></root-child>`;
  }
}

class RootChild extends LitElement {
  readonly consumer = new ContextConsumer(this, { context: sessionContext, subscribe: true });
}

customElements.define('root-host', RootHost);
customElements.define('root-child', RootChild);

describe('session flows on the local stack', function () {
  this.timeout(30000);
  const cleanup: (() => unknown)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  describe('agent sign-in', () => {
    it('finds no stored sign-in, signs an agent in with a password and starts the console', async () => {
      const session = await freshSession(cleanup);
      expect(await hasStoredSignIn(session)).to.equal(false);
      expect(hostSignIn(session)).to.equal(false);
      await signInWithPassword(session, 'agent@parley.test', 'parley-agent');
      expect(await hasStoredSignIn(session)).to.equal(true);
      const agent = await enterConsole(session, new AbortController().signal);
      expect(agent?.display_name).to.equal('Sam Rivera');
      await wait(() => session.state.$connection.get() === 'connected', 'realtime started');
    });

    it('refuses a wrong password with words a person can read', async () => {
      const session = await freshSession(cleanup);
      let message = '';
      await signInWithPassword(session, 'agent@parley.test', 'wrong').catch((error: Error) => {
        message = error.message;
      });
      expect(message).to.equal('Invalid login credentials');
    });

    it('refuses a customer account and does not keep its sign-in', async () => {
      clearAgentAuth();
      const stack = await browserStack();
      const session = createSession({ supabaseUrl: stack.url, supabaseKey: stack.anonKey, authScope: 'agent' });
      cleanup.push(() => session.dispose(), clearAgentAuth);
      await signInWithPassword(session, 'priya.natarajan@example.com', 'parley-customer');
      expect(await requireAgent(session)).to.equal(null);
      expect(await hasStoredSignIn(session)).to.equal(false);
      expect(Object.keys(localStorage).filter((k) => k.startsWith('parley-agent-auth'))).to.deep.equal([]);
    });

    it('does not start realtime for a session dropped while it checked the account', async () => {
      const session = await freshSession(cleanup);
      await signInWithPassword(session, 'agent@parley.test', 'parley-agent');
      const abort = new AbortController();
      const entering = enterConsole(session, abort.signal);
      abort.abort();
      expect(await entering).to.equal(null);
      expect(session.state.$session.get().userId, 'realtime never started').to.equal(null);
    });

    it('signs out on this browser', async () => {
      const session = await freshSession(cleanup);
      await signInWithPassword(session, 'agent@parley.test', 'parley-agent');
      await signOut(session);
      expect(await hasStoredSignIn(session)).to.equal(false);
    });
  });

  describe('keeping the session fresh', () => {
    it('renews a token about to expire on the next realtime heartbeat, with no 30 s ticker of its own', async () => {
      clearAgentAuth();
      cleanup.push(clearAgentAuth);
      const stack = await browserStack();
      // auth-js's own renewal is an interval of 30 s that wakes an idle page for nothing.
      const intervals: number[] = [];
      const setInterval = window.setInterval;
      window.setInterval = ((handler: TimerHandler, ms?: number, ...rest: unknown[]) => {
        intervals.push(ms ?? 0);
        return setInterval(handler, ms, ...rest);
      }) as typeof window.setInterval;
      cleanup.push(() => (window.setInterval = setInterval));
      const session = createSession({ supabaseUrl: stack.url, supabaseKey: stack.anonKey, authScope: 'agent' });
      cleanup.push(() => session.dispose());
      await signInWithPassword(session, 'agent@parley.test', 'parley-agent');
      await enterConsole(session, new AbortController().signal);
      await wait(() => session.state.$connection.get() === 'connected', 'realtime started');
      expect(intervals, 'no auth ticker').not.to.include(30_000);

      // The stored session now says it expires in a minute, within auth-js's 90 s margin.
      const key = authStorageKey(stack.url, 'agent');
      const stored = JSON.parse(localStorage.getItem(key) as string) as { access_token: string; expires_at: number };
      localStorage.setItem(key, JSON.stringify({ ...stored, expires_at: Math.floor(Date.now() / 1000) + 60 }));
      const events: string[] = [];
      const { data } = session.client.auth.onAuthStateChange((event) => events.push(event));
      cleanup.push(() => data.subscription.unsubscribe());

      await session.client.realtime.sendHeartbeat();
      await wait(() => events.includes('TOKEN_REFRESHED'), 'renewed on the heartbeat');
      const renewed = JSON.parse(localStorage.getItem(key) as string) as { access_token: string; expires_at: number };
      // A new token (the same text when issued within the second of the first, as here).
      expect(renewed.expires_at - Date.now() / 1000).to.be.greaterThan(600);
      await wait(() => session.client.realtime.accessTokenValue === renewed.access_token, 'realtime sends the renewed token');
      expect(session.state.$connection.get()).to.equal('connected');
    });
  });

  describe('visitor start', () => {
    it('signs a new visitor in anonymously, finds no conversation, and starts one once for two sends', async () => {
      const session = await freshSession(cleanup);
      expect(await startVisitor(session, new AbortController().signal)).to.equal(null);
      const { data } = await session.client.auth.getSession();
      expect(data.session?.user.is_anonymous).to.equal(true);
      const started: string[] = [];
      const chat = new VisitorChat(session, new AbortController().signal, null, (id) => started.push(id));
      expect(chat.next()).to.equal('new');
      await Promise.all([chat.send('First', { name: 'Ada', email: null }), chat.send('Second', { name: null, email: null })]);
      expect(started.length, 'one conversation for two sends').to.equal(1);
      const id = chat.conversationId as string;
      expect(chat.next()).to.equal('current');
      const { data: rows } = await session.client.from('conversations').select('id');
      expect(rows?.map((r: { id: string }) => r.id)).to.deep.equal([id]);
      await wait(() => session.state.$outbox.get().length === 0, 'both sent');
      const { data: messages } = await session.client.from('messages').select('content').eq('conversation_id', id).order('seq');
      expect(messages?.map((m: { content: string }) => m.content).sort()).to.deep.equal(['First', 'Second']);
      // The next start finds it.
      const again = await freshSession(cleanup, session.client);
      expect(await startVisitor(again, new AbortController().signal)).to.equal(id);
    });
  });

  describe('RootSessionController', () => {
    it('provides the session to descendants, aborts its signal when dropped and when the host goes', async () => {
      const host = document.createElement('root-host') as RootHost;
      document.body.append(host);
      cleanup.push(() => host.remove());
      await host.updateComplete;
      const child = host.shadowRoot?.querySelector('root-child') as RootChild;
      expect(child.consumer.value).to.equal(undefined);

      const first = host.root.create();
      expect(child.consumer.value).to.equal(first.session);
      const second = host.root.create();
      expect(first.signal.aborted, 'a new session drops the previous one').to.equal(true);
      expect(child.consumer.value).to.equal(second.session);

      host.root.drop();
      expect(second.signal.aborted).to.equal(true);
      expect(host.root.session).to.equal(undefined);
      expect(child.consumer.value).to.equal(undefined);

      const third = host.root.create();
      host.remove();
      expect(third.signal.aborted, 'removing the host drops the session').to.equal(true);
      expect(host.root.session).to.equal(undefined);
    });
  });
});

function clearAgentAuth(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley-agent-auth')) localStorage.removeItem(key);
}

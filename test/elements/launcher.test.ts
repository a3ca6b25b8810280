import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { LitElement, html as litHtml } from 'lit';
import { atom } from 'nanostores';
import type { SupabaseClient } from '@supabase/supabase-js';
import { StoreController } from '../../src/elements/store-controller.ts';
import '../../src/define.ts';
import { ParleyLauncher } from '../../src/define.ts';
import { PRE_CHAT_MODES } from '../../src/elements/launcher/launcher.ts';
import type { StartConversationOptions } from '../../src/data/index.ts';
import { launcherStrings, type LauncherStrings } from '../../src/i18n/strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';
import { fakeTimers } from '../browser-helpers/fake-timers.ts';
import { browserClient } from '../browser-stack/stack.ts';

function part(el: ParleyLauncher, name: string): HTMLElement | null {
  return el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

/** A returning visitor without unread replies sees the home screen: opens the newest conversation from its list. */
async function openFromHome(el: ParleyLauncher): Promise<void> {
  await waitUntil(() => part(el, 'conversation') !== null, 'the home screen lists the conversation');
  part(el, 'conversation')?.click();
  await el.updateComplete;
}

function bubble(el: ParleyLauncher): HTMLButtonElement {
  const button = part(el, 'bubble');
  if (!(button instanceof HTMLButtonElement)) throw new Error('no bubble');
  return button;
}

/** Undone after each test: clients, elements, listeners. */
const cleanup: (() => unknown)[] = [];

function input(el: ParleyLauncher, name: 'name' | 'email'): HTMLInputElement {
  const field = el.shadowRoot?.querySelector<HTMLInputElement>(`#pre-chat-${name}`);
  if (!field) throw new Error(`no ${name} field`);
  return field;
}

function describedBy(el: ParleyLauncher, field: HTMLInputElement): string {
  const ids = field.getAttribute('aria-describedby')?.split(/\s+/) ?? [];
  return ids.map((id) => el.shadowRoot?.getElementById(id)?.textContent?.trim() ?? `(missing #${id})`).join(' ');
}

async function type(field: HTMLInputElement, text: string): Promise<void> {
  field.focus();
  field.select();
  await sendKeys(text === '' ? { press: 'Backspace' } : { type: text });
}

/** An open launcher on a fresh anonymous visitor (no conversation yet), ready to send. */
async function ready(
  mode: string | null,
  options: { strings?: Partial<LauncherStrings>; before?: (client: SupabaseClient) => Promise<void> } = {},
) {
  const client = await browserClient();
  const { error } = await client.auth.signInAnonymously();
  if (error) throw error;
  cleanup.push(() => client.removeAllChannels());
  await options.before?.(client);
  const el = document.createElement('parley-launcher');
  if (mode !== null) el.setAttribute('pre-chat', mode);
  if (options.strings) el.strings = options.strings;
  el.client = client;
  document.body.append(el);
  cleanup.push(() => el.remove());
  el.show();
  await waitUntil(() => el.phase === 'ready', 'session ready', { timeout: 8000 });
  await el.updateComplete;
  // The pre-chat fields load on demand: they are there before a visitor without a conversation can send.
  if (PRE_CHAT_MODES.some((m) => m !== 'none' && m === mode) && el.conversationId === null) {
    // A chunk of their own: fetched and transformed by the test server, past waitUntil's 1 s on a loaded machine.
    await waitUntil(() => part(el, 'pre-chat') !== null, 'the pre-chat fields loaded', { timeout: 8000 });
  }
  const composer = part(el, 'panel')?.querySelector('parley-composer');
  if (!composer) throw new Error('no composer');
  const api = el.session?.api;
  if (!api) throw new Error('no session');
  const starts: StartConversationOptions[] = [];
  const start = api.startConversation;
  api.startConversation = (o = {}) => {
    starts.push(o);
    return start(o);
  };
  return { el, client, composer, starts };
}

/**
 * An open launcher on a visitor whose only conversation (their question, and a reply from Sam
 * Rivera) an agent then set to `status`.
 */
async function withConversation(status: 'closed' | 'resolved') {
  const client = await browserClient();
  const { error } = await client.auth.signInAnonymously();
  if (error) throw error;
  cleanup.push(() => client.removeAllChannels());
  const started = await client.rpc('start_conversation', {});
  if (started.error) throw new Error(started.error.message);
  const conversationId = (started.data as { id: string }).id;
  const sent = await client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'My first question' });
  if (sent.error) throw new Error(sent.error.message);
  const agent = await browserClient();
  const signedIn = await agent.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
  if (signedIn.error) throw signedIn.error;
  const replied = await agent.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: 'Sam here' });
  if (replied.error) throw new Error(replied.error.message);
  const changed = await agent.rpc('set_conversation_status', { p_conversation_id: conversationId, p_status: status });
  if (changed.error) throw new Error(changed.error.message);
  const el = document.createElement('parley-launcher');
  el.client = client;
  document.body.append(el);
  cleanup.push(() => el.remove());
  el.show();
  await waitUntil(() => el.phase === 'ready', 'session ready', { timeout: 8000 });
  await el.updateComplete;
  return { el, conversationId };
}

/** Calls to Storage (localStorage and sessionStorage) while `fn` runs, as `method key`. */
async function storageCalls(fn: () => Promise<void>): Promise<string[]> {
  const calls: string[] = [];
  const proto = Storage.prototype;
  const originals = { getItem: proto.getItem, setItem: proto.setItem, removeItem: proto.removeItem, clear: proto.clear, key: proto.key };
  proto.getItem = function (this: Storage, key: string) {
    calls.push(`getItem ${key}`);
    return originals.getItem.call(this, key);
  };
  proto.setItem = function (this: Storage, key: string, value: string) {
    calls.push(`setItem ${key}`);
    originals.setItem.call(this, key, value);
  };
  proto.removeItem = function (this: Storage, key: string) {
    calls.push(`removeItem ${key}`);
    originals.removeItem.call(this, key);
  };
  proto.clear = function (this: Storage) {
    calls.push('clear');
    originals.clear.call(this);
  };
  proto.key = function (this: Storage, index: number) {
    calls.push(`key ${index}`);
    return originals.key.call(this, index);
  };
  try {
    await fn();
  } finally {
    Object.assign(proto, originals);
  }
  return calls;
}

describe('<parley-launcher>', function () {
  this.timeout(20000);

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await emulateMedia({ colorScheme: 'light' });
  });

  describe('renders', () => {
    it('is defined once, even when define() runs again', () => {
      expect(customElements.get('parley-launcher')).to.equal(ParleyLauncher);
      expect(() => ParleyLauncher.define('parley-launcher')).not.to.throw();
    });
    it('renders a labelled bubble and no panel before the first open', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
      const button = bubble(el);
      expect(button.getAttribute('aria-label')).to.equal(launcherStrings.open);
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
      expect(part(el, 'panel')).to.equal(null);
      expect(part(el, 'badge'), 'no badge at zero unread').to.equal(null);
    });
    it('fills the viewport below 480px wide and floats above it', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
      await el.updateComplete;
      const panel = part(el, 'panel') as HTMLElement;
      try {
        const bubble = part(el, 'bubble') as HTMLElement;
        await setViewport({ width: 400, height: 700 });
        let box = panel.getBoundingClientRect();
        expect([box.left, box.top, box.width, box.height]).to.deep.equal([0, 0, 400, 700]);
        // Full screen, the bubble would sit on the composer; the panel's close button replaces it.
        expect(getComputedStyle(bubble).display).to.equal('none');
        await setViewport({ width: 1000, height: 800 });
        box = panel.getBoundingClientRect();
        expect(box.width).to.be.lessThan(500);
        expect(box.right).to.be.lessThan(1000);
        expect(getComputedStyle(bubble).display).not.to.equal('none');
      } finally {
        await setViewport({ width: 800, height: 600 });
      }
    });
    // One test per value: each starts a session on the stack, three of them past 20 s on a loaded machine.
    for (const mode of [null, 'none', 'bogus']) {
      it(`shows no fields by default, or for a value outside the vocabulary (pre-chat=${mode})`, async () => {
        const { el } = await ready(mode);
        expect(part(el, 'pre-chat'), `pre-chat=${mode}`).to.equal(null);
        el.remove();
      });
    }
  });

  describe('is accessible', () => {
    it('closed, in light and dark', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
      await expectAccessibleInBothThemes(el);
    });
    it('opens a labelled dialog with status, thread and composer; accessible in light and dark', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
      bubble(el).click();
      await el.updateComplete;
      const panel = part(el, 'panel');
      expect(panel?.getAttribute('role')).to.equal('dialog');
      expect(panel?.hidden).to.equal(false);
      const title = el.shadowRoot?.getElementById(panel?.getAttribute('aria-labelledby') ?? '');
      expect(title?.textContent?.trim()).to.equal(launcherStrings.title);
      expect(panel?.querySelector('parley-status')).to.not.equal(null);
      expect(panel?.querySelector('parley-thread')).to.not.equal(null);
      expect(panel?.querySelector('parley-composer')).to.not.equal(null);
      expect(bubble(el).getAttribute('aria-expanded')).to.equal('true');
      expect(el.hasAttribute('open')).to.equal(true);
      expect(el.matches(':state(open)')).to.equal(true);
      // Neither a client nor url + key: the session cannot start, and the panel says so.
      await waitUntil(() => el.phase === 'error', 'error phase without configuration');
      await el.updateComplete;
      expect(panel?.querySelector('parley-status')?.status).to.equal('error');
      expect(panel?.querySelector('parley-composer')?.disabled).to.equal(true);
      await expectAccessibleInBothThemes(el);
    });
    it('renders labelled optional fields above the composer, accessible in light and dark', async () => {
      const { el, composer } = await ready('optional');
      const group = part(el, 'pre-chat');
      expect(group?.getAttribute('role')).to.equal('group');
      expect(el.shadowRoot?.getElementById(group?.getAttribute('aria-labelledby') ?? '')?.textContent).to.equal(launcherStrings.preChatTitle);
      const name = input(el, 'name');
      const email = input(el, 'email');
      expect(name.labels?.[0]?.textContent).to.equal(launcherStrings.nameLabelOptional);
      expect(email.labels?.[0]?.textContent).to.equal(launcherStrings.emailLabelOptional);
      expect(email.type).to.equal('email');
      expect(name.autocomplete).to.equal('name');
      expect(email.autocomplete).to.equal('email');
      expect(name.required).to.equal(false);
      expect(name.getAttribute('aria-invalid')).to.equal('false');
      expect(group?.compareDocumentPosition(composer) ?? 0).to.equal(Node.DOCUMENT_POSITION_FOLLOWING);
      await expectAccessibleInBothThemes(el);
    });
    it('with the closed notice and the history, light and dark', async () => {
      const { el } = await withConversation('closed');
      await openFromHome(el);
      await waitUntil(() => part(el, 'closed-notice') !== null, 'the closed notice');
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('properties', () => {
    it('takes string overrides', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher .strings=${{ open: 'Ouvrir le chat' }}></parley-launcher>`);
      expect(bubble(el).getAttribute('aria-label')).to.equal('Ouvrir le chat');
    });
    it('passes elementStrings to the status, thread and composer inside, so every visible string can be translated', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
      el.elementStrings = {
        status: { error: 'Connexion impossible' },
        thread: { empty: 'Aucun message.' },
        composer: { placeholder: 'Écrivez un message…' },
      };
      await el.updateComplete;
      const panel = part(el, 'panel');
      const status = panel?.querySelector('parley-status');
      const thread = panel?.querySelector('parley-thread');
      const composer = panel?.querySelector('parley-composer');
      await status?.updateComplete;
      await thread?.updateComplete;
      await composer?.updateComplete;
      expect(status?.shadowRoot?.querySelector('[part~="label"]')?.textContent?.trim()).to.equal('Connexion impossible', 'no project given: the status is error');
      expect(thread?.shadowRoot?.querySelector('.empty')?.textContent?.trim()).to.equal('Aucun message.');
      expect(composer?.shadowRoot?.querySelector('textarea')?.placeholder).to.equal('Écrivez un message…');
    });
    it('passes its theme down', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher theme="dark" open></parley-launcher>`);
      await el.updateComplete;
      expect(part(el, 'panel')?.querySelector('parley-thread')?.getAttribute('theme')).to.equal('dark');
      expect(part(el, 'panel')?.querySelector('parley-composer')?.getAttribute('theme')).to.equal('dark');
    });
    it('has a closed vocabulary', () => {
      expect([...PRE_CHAT_MODES]).to.deep.equal(['none', 'optional', 'required']);
    });
    it('takes every pre-chat string from launcherStrings overrides', async () => {
      const strings = {
        preChatTitle: 'Avant de commencer',
        nameLabel: 'Votre nom',
        emailLabel: 'Votre e-mail',
        nameRequired: 'Indiquez votre nom.',
        emailRequired: 'Indiquez votre e-mail.',
        emailInvalid: 'E-mail invalide.',
      };
      const { el, composer } = await ready('required', { strings });
      composer.value = 'Bonjour';
      await composer.updateComplete;
      composer.send();
      await el.updateComplete;
      expect(part(el, 'pre-chat')?.textContent).to.contain('Avant de commencer');
      expect(input(el, 'name').labels?.[0]?.textContent).to.equal('Votre nom');
      expect(input(el, 'email').labels?.[0]?.textContent).to.equal('Votre e-mail');
      expect(describedBy(el, input(el, 'name'))).to.equal('Indiquez votre nom.');
      expect(describedBy(el, input(el, 'email'))).to.equal('Indiquez votre e-mail.');
      await type(input(el, 'email'), 'x@y');
      await el.updateComplete;
      expect(describedBy(el, input(el, 'email'))).to.equal('E-mail invalide.');
    });
  });

  describe('events', () => {
    it('with required, refuses to send until both are valid: the draft stays, errors describe the fields', async () => {
      const { el, composer, starts } = await ready('required');
      expect(input(el, 'name').labels?.[0]?.textContent).to.equal(launcherStrings.nameLabel);
      expect(input(el, 'name').required).to.equal(true);
      composer.value = 'Hello, who is there?';
      await composer.updateComplete;
      expect(composer.send()).to.equal(false);
      await el.updateComplete;
      expect(composer.value, 'the composer keeps the draft').to.equal('Hello, who is there?');
      expect(input(el, 'name').getAttribute('aria-invalid')).to.equal('true');
      expect(describedBy(el, input(el, 'name'))).to.equal(launcherStrings.nameRequired);
      expect(describedBy(el, input(el, 'email'))).to.equal(launcherStrings.emailRequired);
      await waitUntil(() => el.shadowRoot?.activeElement === input(el, 'name'), 'focus on the first field to fix');
      await expectAccessibleInBothThemes(el);

      await type(input(el, 'name'), 'Ada Lovelace');
      await type(input(el, 'email'), 'ada@example');
      await el.updateComplete;
      expect(input(el, 'name').getAttribute('aria-invalid'), 'errors follow the fields').to.equal('false');
      expect(input(el, 'name').hasAttribute('aria-describedby')).to.equal(false);
      expect(describedBy(el, input(el, 'email'))).to.equal(launcherStrings.emailInvalid);
      expect(composer.send()).to.equal(false);
      await waitUntil(() => el.shadowRoot?.activeElement === input(el, 'email'), 'focus on the email field');
      expect(starts).to.deep.equal([]);
      expect(el.conversationId).to.equal(null);

      await type(input(el, 'email'), 'ada@example.com');
      expect(composer.send()).to.equal(true);
      await waitUntil(() => el.conversationId !== null, 'the conversation starts');
      expect(starts).to.have.length(1);
      expect(starts[0]).to.include({ name: 'Ada Lovelace', email: 'ada@example.com' });
      expect(starts[0]?.id).to.equal(el.conversationId);
      await el.updateComplete;
      expect(part(el, 'pre-chat'), 'the fields are gone once a conversation exists').to.equal(null);
      await waitUntil(() => el.session?.state.$outbox.get().length === 0, 'the message is sent');
    });
    it('with optional, starts without a name or email, but not with an invalid email', async () => {
      const { el, composer, starts } = await ready('optional');
      await type(input(el, 'email'), 'not an email');
      composer.value = 'First message';
      await composer.updateComplete;
      expect(composer.send()).to.equal(false);
      await el.updateComplete;
      expect(describedBy(el, input(el, 'email'))).to.equal(launcherStrings.emailInvalid);
      expect(input(el, 'name').getAttribute('aria-invalid'), 'an empty optional name is fine').to.equal('false');
      await type(input(el, 'email'), '');
      await el.updateComplete;
      expect(input(el, 'email').getAttribute('aria-invalid')).to.equal('false');
      expect(composer.send()).to.equal(true);
      await waitUntil(() => el.conversationId !== null, 'the conversation starts');
      expect(starts).to.have.length(1);
      expect(Object.keys(starts[0] ?? {})).to.deep.equal(['id']);
    });
  });

  describe('interaction', () => {
    it('closes on Escape and returns focus to the bubble', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher></parley-launcher>`);
      bubble(el).focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(el.open).to.equal(true);
      await waitUntil(() => part(el, 'panel')?.contains(el.shadowRoot?.activeElement ?? null) === true, 'focus moves into the panel');
      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      await el.updateComplete;
      expect(el.open).to.equal(false);
      expect(part(el, 'panel')?.hidden).to.equal(true);
      expect(el.shadowRoot?.activeElement).to.equal(bubble(el));
    });
    it('the close button closes and returns focus too', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
      await el.updateComplete;
      part(el, 'close-button')?.focus();
      part(el, 'close-button')?.click();
      await el.updateComplete;
      await el.updateComplete;
      expect(el.open).to.equal(false);
      expect(el.shadowRoot?.activeElement).to.equal(bubble(el));
    });
    it('returns focus to the bubble when the host closes the panel with focus inside it', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
      await el.updateComplete;
      part(el, 'close-button')?.focus();
      el.removeAttribute('open');
      await el.updateComplete;
      expect(el.shadowRoot?.activeElement).to.equal(bubble(el));
    });
    it('leaves focus alone when closed while focus is elsewhere', async () => {
      const el = await fixture<ParleyLauncher>(html`<parley-launcher open></parley-launcher>`);
      await el.updateComplete;
      const outside = document.createElement('button');
      document.body.append(outside);
      outside.focus();
      el.open = false;
      await el.updateComplete;
      expect(document.activeElement).to.equal(outside);
      outside.remove();
    });
    it('makes no network request and creates no client before the first open', async () => {
      const original = window.fetch;
      const OriginalSocket = window.WebSocket;
      let fetches = 0;
      let sockets = 0;
      window.fetch = (...args: Parameters<typeof fetch>) => {
        fetches += 1;
        return original(...args);
      };
      window.WebSocket = class extends OriginalSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          sockets += 1;
          super(...args);
        }
      };
      try {
        const el = await fixture<ParleyLauncher>(
          html`<parley-launcher supabase-url="http://127.0.0.1:9" supabase-key="anon"></parley-launcher>`,
        );
        const timers = fakeTimers();
        try {
          el.remove();
          document.body.append(el);
          await el.updateComplete;
          // Whatever was scheduled (an idle connect would be) runs now: still nothing.
          timers.runAll();
          await el.updateComplete;
        } finally {
          timers.restore();
        }
        expect(el.session).to.equal(undefined);
        expect(fetches).to.equal(0);
        expect(sockets).to.equal(0);
        el.remove();
      } finally {
        window.fetch = original;
        window.WebSocket = OriginalSocket;
      }
    });
    it('before the first open only reads whether this is a returning visitor; then keeps the outbox under a key of the project', async () => {
      let el: ParleyLauncher | undefined;
      const before = await storageCalls(async () => {
        el = await fixture<ParleyLauncher>(
          html`<parley-launcher supabase-url="http://127.0.0.1:9" supabase-key="anon" pre-chat="required"></parley-launcher>`,
        );
        el.remove();
        document.body.append(el);
        await el.updateComplete;
      });
      // Per connect, one read of the workspace settings last read (none here), one of the panel state
      // this tab kept (sessionStorage, #5) and one of the project's visitor-session key, to tell a
      // returning visitor; no write.
      const reads = ['getItem parley-settings:127.0.0.1:9', 'getItem parley-launcher:127.0.0.1:9', 'getItem parley-auth:127.0.0.1:9'];
      expect(before).to.deep.equal([...reads, ...reads]);
      const opened = await storageCalls(async () => {
        el?.show();
        await waitUntil(() => el?.session !== undefined, 'session created');
      });
      expect(opened).to.include('getItem parley-outbox:127.0.0.1:9');
      expect(opened, 'the open panel is kept for a reload from the first open on').to.include('setItem parley-launcher:127.0.0.1:9');
      el?.remove();
      sessionStorage.clear();
    });
    it('shows no fields to a visitor who already has a conversation', async () => {
      const { el } = await ready('required', {
        before: async (client) => {
          const { error } = await client.rpc('start_conversation', {});
          if (error) throw new Error(error.message);
        },
      });
      expect(el.conversationId).to.not.equal(null);
      expect(part(el, 'pre-chat')).to.equal(null);
    });
    it('replaces the composer with a notice once the conversation is closed; "Start a new conversation" brings it back', async () => {
      const { el, conversationId } = await withConversation('closed');
      await openFromHome(el);
      await waitUntil(() => part(el, 'closed-notice') !== null, 'the closed notice');
      expect(part(el, 'closed-notice')?.textContent).to.contain(launcherStrings.closed);
      expect(part(el, 'panel')?.querySelector('parley-composer'), 'no composer').to.equal(null);
      const history = part(el, 'panel')?.querySelector('parley-thread')?.shadowRoot;
      await waitUntil(() => history?.textContent?.includes('My first question') === true, 'the history stays');
      const start = part(el, 'start-new-button') as HTMLButtonElement;
      expect(start.textContent?.trim()).to.equal(launcherStrings.startNew);
      start.click();
      await waitUntil(() => part(el, 'panel')?.querySelector('parley-composer') !== null, 'the composer is back');
      await waitUntil(() => el.shadowRoot?.activeElement?.localName === 'parley-composer', 'with focus');
      expect(part(el, 'closed-notice')).to.equal(null);
      expect(el.conversationId, 'nothing starts before the first message').to.equal(conversationId);
      await waitUntil(() => history?.querySelector('[part~="divider"]') !== null, 'the closed one ends with a divider');
      expect(history?.querySelector('[part~="divider"]')?.textContent).to.contain('Conversation closed');
    });

    it('keeps the composer for a resolved conversation, with a hint that a reply reopens it', async () => {
      const { el } = await withConversation('resolved');
      await waitUntil(() => part(el, 'status-hint') !== null, 'the hint');
      expect(part(el, 'status-hint')?.textContent).to.equal(launcherStrings.resolved);
      expect(part(el, 'panel')?.querySelector('parley-composer')?.disabled).to.equal(false);
    });

    it("names the agent on replies, with an initials avatar, from the team's public profiles", async () => {
      const { el } = await withConversation('resolved');
      const thread = part(el, 'panel')?.querySelector('parley-thread');
      const reply = (): Element | null | undefined => thread?.shadowRoot?.querySelector('.message.theirs');
      await waitUntil(() => reply()?.querySelector('[part~="sender"]')?.textContent?.trim() === 'Sam Rivera · Agent', 'named');
      expect(reply()?.querySelector<HTMLElement>('[part~="avatar"]')?.dataset['initials']).to.equal('SR');
    });
  });
});

class StoreHost extends LitElement {
  readonly count = atom(0);
  readonly other = atom('a');
  readonly stores = new StoreController(this, this.count);
  renders = 0;

  protected override render(): unknown {
    this.renders += 1;
    return litHtml`${this.count.get()} ${this.other.get()}`;
  }
}
customElements.define('store-controller-host', StoreHost);

describe('StoreController', () => {
  it('re-renders on store changes while connected, and stops listening when disconnected', async () => {
    const el = await fixture<StoreHost>(html`<store-controller-host></store-controller-host>`);
    expect(el.shadowRoot?.textContent?.trim()).to.equal('0 a');
    el.count.set(1);
    await el.updateComplete;
    expect(el.shadowRoot?.textContent?.trim()).to.equal('1 a');
    el.stores.setStores(el.other);
    await el.updateComplete;
    el.other.set('b');
    await el.updateComplete;
    expect(el.shadowRoot?.textContent?.trim()).to.equal('1 b');
    el.remove();
    const renders = el.renders;
    expect(el.other.lc, 'no listeners once disconnected').to.equal(0);
    expect(el.count.lc).to.equal(0);
    el.other.set('c');
    await el.updateComplete;
    expect(el.renders).to.equal(renders);
  });
});

// Issue 14 in the console, on the local stack: the route to the settings for admins, the agent's own
// row followed live (a role change shows or hides Settings, a deactivation signs the agent out with
// a notice), and canned replies reaching the composer's "/" picker live. Every agent here is made
// the way the product makes them (an admin's invitation, then a sign-up) so the seeded team is
// never demoted or signed out under other suites.
import { expect, waitUntil } from '@open-wc/testing';
import type { SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyInbox, ParleySettings } from '../../src/define.ts';
import { inboxStrings } from '../../src/i18n/strings.ts';
import { createAdminApi } from '../../src/data/admin-api.ts';
import type { SettingsSource } from '../../src/elements/settings/settings-source.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack } from '../browser-stack/stack.ts';

// The admin API fits the settings screen's structural source: this line does not compile otherwise.
const fits: (client: SupabaseClient) => SettingsSource = createAdminApi;

const wait = (predicate: () => boolean, message: string, timeout = 10000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

function root(el: ParleyInbox): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

const settingsButton = (el: ParleyInbox): HTMLButtonElement | null => root(el).querySelector('[part~="settings-button"]');
const settingsElement = (el: ParleyInbox): ParleySettings | null => root(el).querySelector('parley-settings');
const signInError = (el: ParleyInbox): string => root(el).getElementById('sign-in-error')?.textContent?.trim() ?? '';

async function signedIn(email: string, password: string): Promise<SupabaseClient> {
  const client = await browserClient();
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return client;
}

function clearAgentAuth(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley-agent-auth')) localStorage.removeItem(key);
}

interface NewAgent {
  readonly id: string;
  readonly email: string;
  readonly password: string;
}

describe('<parley-inbox> settings route and own agent row, live', function () {
  this.timeout(60000);
  const cleanup: (() => unknown)[] = [];
  let admin: SupabaseClient;

  before(async () => {
    admin = await signedIn('admin@parley.test', 'parley-admin');
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function rpc(name: string, args: Record<string, unknown>): Promise<void> {
    const { error } = await admin.rpc(name, args);
    if (error) throw new Error(`${name}: ${error.message}`);
  }

  /** Invited by the admin, then signed up: the database trigger makes them an agent with `role`. */
  async function newAgent(role: 'agent' | 'admin', name: string): Promise<NewAgent> {
    const email = `console-${crypto.randomUUID().slice(0, 8)}@parley.test`;
    const password = 'parley-agent';
    await rpc('invite_agent', { p_email: email, p_role: role, p_display_name: name });
    const client = await browserClient();
    const { data, error } = await client.auth.signUp({ email, password });
    if (error || !data.user) throw error ?? new Error('no user');
    return { id: data.user.id, email, password };
  }

  /** A console on the page signed in through its own form, as an agent would. */
  async function console_(who: NewAgent | { email: string; password: string }, view?: 'settings'): Promise<ParleyInbox> {
    clearAgentAuth();
    cleanup.push(clearAgentAuth);
    const stack = await browserStack();
    const el = document.createElement('parley-inbox');
    el.setAttribute('supabase-url', stack.url);
    el.setAttribute('supabase-key', stack.anonKey);
    if (view) el.setAttribute('view', view);
    el.style.height = '700px';
    document.body.append(el);
    cleanup.push(() => el.remove());
    await wait(() => el.phase === 'signed-out', 'sign-in form');
    (root(el).querySelector('#email') as HTMLInputElement).value = who.email;
    (root(el).querySelector('#password') as HTMLInputElement).value = who.password;
    (root(el).querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await wait(() => el.phase === 'ready', 'console ready');
    await wait(() => el.session?.state.$connection.get() === 'connected', 'connected');
    return el;
  }

  it('shows Settings to an admin only, opens <parley-settings> over the admin API with the project filled in, and leads back', async () => {
    expect(fits).to.equal(createAdminApi);
    const agent = await newAgent('agent', 'Plain Agent');
    const plain = await console_(agent, 'settings');
    await plain.updateComplete;
    expect(settingsButton(plain), 'no Settings for an agent').to.equal(null);
    expect(plain.view, 'an agent asking for the settings stays in the inbox').to.equal('inbox');
    expect(settingsElement(plain)).to.equal(null);
    plain.remove();

    const el = await console_({ email: 'admin@parley.test', password: 'parley-admin' });
    await el.updateComplete;
    const button = settingsButton(el);
    expect(button?.textContent?.trim()).to.equal(inboxStrings.settings);
    button?.click();
    await el.updateComplete;
    expect(el.getAttribute('view'), 'the view is reflected for a router').to.equal('settings');
    const settings = settingsElement(el);
    if (!settings) throw new Error('no <parley-settings>');
    const stack = await browserStack();
    expect(settings.supabaseUrl).to.equal(stack.url);
    expect(settings.supabaseKey).to.equal(stack.anonKey);
    expect(settings.agentId).to.equal(el.agent?.user_id);
    await wait(() => settings.store?.$phase.get() === 'ready', 'the settings loaded through the admin API');
    expect(root(el).querySelector('parley-conversation-list'), 'the list gives way to the settings').to.equal(null);
    await wait(() => settings.shadowRoot?.activeElement?.getAttribute('role') === 'tab', 'focus on the open tab');

    (root(el).querySelector('[part~="back-to-inbox-button"]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(el.view).to.equal('inbox');
    expect(settingsElement(el)).to.equal(null);
    expect(root(el).querySelector('parley-conversation-list')).to.not.equal(null);
    await wait(() => root(el).activeElement === settingsButton(el), 'focus back on Settings');
  });

  it('shows or hides Settings at once when an admin changes the agent\'s role, leaving the settings when demoted', async () => {
    const person = await newAgent('admin', 'Second Admin');
    const el = await console_(person, 'settings');
    await wait(() => settingsElement(el) !== null, 'an admin opens the settings');

    await rpc('set_agent_role', { p_agent_id: person.id, p_role: 'agent' });
    await wait(() => settingsButton(el) === null, 'Settings gone once demoted');
    expect(el.view, 'out of the settings').to.equal('inbox');
    expect(settingsElement(el)).to.equal(null);
    expect(el.agent?.role).to.equal('agent');

    // Right after the demotion: a re-read of the row started on the join must not undo what arrives live.
    await rpc('set_agent_role', { p_agent_id: person.id, p_role: 'admin' });
    await wait(() => settingsButton(el) !== null, 'Settings back once promoted');
    expect(el.agent?.role).to.equal('admin');
  });

  it('shows a new display name in the header at once', async () => {
    const person = await newAgent('agent', 'Before Rename');
    const el = await console_(person);
    const own = await signedIn(person.email, person.password);
    const renamed = await own.rpc('update_own_profile', { p_display_name: 'Renamed Agent', p_avatar_url: null });
    expect(renamed.error).to.equal(null);
    await wait(() => (root(el).querySelector('.who')?.textContent ?? '').includes('Renamed Agent'), 'the new name in the header');
  });

  it('cuts an open console off at once when an admin deactivates the agent: signed out, with the notice; signing in again is refused', async () => {
    const person = await newAgent('agent', 'Soon Gone');
    const el = await console_(person);
    expect(el.phase).to.equal('ready');

    await rpc('set_agent_active', { p_agent_id: person.id, p_active: false });
    await wait(() => el.phase === 'signed-out' && signInError(el) === inboxStrings.deactivated, 'signed out with the notice');
    expect(Object.keys(localStorage).filter((k) => k.startsWith('parley-agent-auth')), 'the sign-in is gone').to.deep.equal([]);
    expect(el.session?.client.getChannels().length ?? 0, 'no channel left').to.equal(0);

    (root(el).querySelector('#email') as HTMLInputElement).value = person.email;
    (root(el).querySelector('#password') as HTMLInputElement).value = person.password;
    (root(el).querySelector('button[type="submit"]') as HTMLButtonElement).click();
    await wait(() => el.phase === 'signed-out' && signInError(el) === inboxStrings.notAgent, 'a deactivated agent is no agent');
  });

  it('offers active agents only as assignees (a deactivated one keeps their name elsewhere)', async () => {
    const person = await newAgent('agent', 'Offboarded Agent');
    await rpc('set_agent_active', { p_agent_id: person.id, p_active: false });
    const visitor = await browserClient();
    await visitor.auth.signInAnonymously();
    const conversationId = crypto.randomUUID();
    const { error } = await visitor.rpc('start_conversation', { p_id: conversationId });
    if (error) throw new Error(error.message);
    const el = await console_({ email: 'admin@parley.test', password: 'parley-admin' });
    el.conversationId = conversationId;
    const options = () => [...root(el).querySelectorAll<HTMLOptionElement>('select.assignee option')].map((o) => o.textContent?.trim() ?? '');
    await wait(() => options().includes('Sam Rivera'), 'the assignee menu');
    const team = await admin.from('agents').select('active').eq('user_id', person.id).single();
    expect(team.data?.active, 'still in the team, deactivated').to.equal(false);
    expect(options()).to.not.include('Offboarded Agent');
    await visitor.auth.signOut();
  });

  it('the composer\'s "/" picker sees canned replies created, edited and deleted live', async () => {
    const visitor = await browserClient();
    const anon = await visitor.auth.signInAnonymously();
    if (anon.error) throw anon.error;
    const conversationId = crypto.randomUUID();
    const started = await visitor.rpc('start_conversation', { p_id: conversationId });
    if (started.error) throw new Error(started.error.message);

    const person = await newAgent('agent', 'Canned Reader');
    const el = await console_(person);
    el.conversationId = conversationId;
    await wait(() => root(el).querySelector('parley-composer')?.shadowRoot?.querySelector('textarea') != null, 'the composer');
    const composer = root(el).querySelector('parley-composer');
    const textarea = composer?.shadowRoot?.querySelector('textarea');
    if (!composer || !textarea) throw new Error('no composer');
    const shortcut = `live${crypto.randomUUID().slice(0, 6)}`;
    textarea.value = `/${shortcut}`;
    textarea.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    const options = (): string[] =>
      [...(composer.shadowRoot?.querySelectorAll('[part~="canned-option"]') ?? [])].map((o) => o.textContent?.replace(/\s+/g, ' ').trim() ?? '');
    await composer.updateComplete;
    expect(options(), 'nothing matches yet').to.deep.equal([]);

    const api = createAdminApi(admin);
    const created = await api.createCannedReply({ shortcut, title: 'Live title', body: 'Live body' });
    cleanup.push(() => api.deleteCannedReply(created.id).catch(() => undefined));
    await wait(() => options().some((o) => o.includes(`/${shortcut}`) && o.includes('Live title')), 'a new canned reply in the picker');

    await api.updateCannedReply(created.id, { title: 'Edited title' });
    await wait(() => options().some((o) => o.includes('Edited title')), 'the edit in the picker');

    await api.deleteCannedReply(created.id);
    await wait(() => options().length === 0, 'the deleted reply gone from the picker');
  });
});

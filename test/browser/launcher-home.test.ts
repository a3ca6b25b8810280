// The launcher's home screen and away mode (issue 15, items 1 and 2) on the local stack: greeting,
// the online team (live through the settings topic), the conversation list, and away mode's email
// ask (given: Supabase Auth's updateUser; skipped: not asked again after a reload). The rules
// (away at a fixed clock, the list's order, "has an email") are checked as pure functions first.
import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyLauncher } from '../../src/define.ts';
import type { WidgetSettings } from '../../src/data/admin-types.ts';
import type { ConversationSummary } from '../../src/data/types.ts';
import { isAway } from '../../src/elements/launcher/workspace-settings.ts';
import { homeItems } from '../../src/elements/launcher/home.ts';
import { hasEmail } from '../../src/elements/launcher/away-email.ts';
import { launcherStrings } from '../../src/i18n/strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, browserStack, mountOnStack } from '../browser-stack/stack.ts';

const wait = (predicate: () => boolean, message: string, timeout = 10000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

const $ = (el: ParleyLauncher, selector: string): HTMLElement | null => el.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
const composerOf = (el: ParleyLauncher) => el.shadowRoot?.querySelector('parley-composer') ?? null;
const text = (el: ParleyLauncher, selector: string): string | null => $(el, selector)?.textContent?.trim() ?? null;
const names = (el: ParleyLauncher): string[] =>
  [...(el.shadowRoot?.querySelectorAll('[part~="team"] .agent-name') ?? [])].map((n) => n.textContent?.trim() ?? '');

/** Types into the composer and sends, as the visitor's Enter would. */
function say(composer: HTMLElement | null, message: string): void {
  const c = composer as (HTMLElement & { value: string; send(): boolean }) | null;
  if (!c) throw new Error('no composer');
  c.value = message;
  c.send();
}

async function signedIn(email: string, password: string): Promise<SupabaseClient> {
  const client = await browserClient();
  const { error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return client;
}

const HOURS_OFF = { enabled: false, timezone: 'Europe/Paris', weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, holidays: [] };
/** Open on no day at all: closed whatever the clock says, so the live tests need no fake clock. */
const NEVER_OPEN = { ...HOURS_OFF, enabled: true };

describe('home screen and away rules', () => {
  const settings = (hours: Partial<WidgetSettings['businessHours']>): WidgetSettings => ({
    brandName: 'Lumen', greeting: 'Hi', intro: '', accentColor: '#1f5fd1', showTeamAvatars: true, replyTime: 'minutes',
    awayMessage: 'Back Monday', preChat: 'none', csatEnabled: false, csatScale: 5, defaultLanguage: 'en',
    businessHours: { enabled: true, timezone: 'Europe/Paris', holidays: ['2026-12-25'], weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [], thu: [], fri: [['00:00', '24:00']], sat: [], sun: [] }, ...hours },
  });
  const online = { online: true, agents: [{ id: 'a', display_name: 'Sam', avatar_url: null }] };
  const nobody = { online: false, agents: [] };

  it('is away outside business hours at a fixed clock, on a holiday, or with nobody online', () => {
    // Monday 2026-12-07: 08:30 UTC is 09:30 in Paris (open); 16:30 UTC is 17:30 (closed).
    expect(isAway(settings({}), online, new Date('2026-12-07T08:30:00Z'))).to.equal(false);
    expect(isAway(settings({}), online, new Date('2026-12-07T16:30:00Z'))).to.equal(true);
    expect(isAway(settings({}), online, new Date('2026-12-25T10:00:00Z')), 'Friday is open all day, but a holiday').to.equal(true);
    expect(isAway(settings({}), online, new Date('2026-12-18T10:00:00Z')), 'a Friday that is no holiday').to.equal(false);
    expect(isAway(settings({}), nobody, new Date('2026-12-07T08:30:00Z')), 'open, but nobody online').to.equal(true);
    expect(isAway(settings({}), null, new Date('2026-12-07T08:30:00Z')), 'the team not read yet is not "nobody"').to.equal(false);
    expect(isAway(settings({ enabled: false }), online, new Date('2026-12-07T16:30:00Z')), 'hours off').to.equal(false);
    expect(isAway(null, nobody, new Date('2026-12-07T16:30:00Z')), 'no settings known').to.equal(false);
  });

  it('lists the current conversation first, then the others newest first, with their unread counts', () => {
    const row = (id: string, at: string): ConversationSummary => ({
      id, customer_id: 'c', status: 'closed', assigned_agent_id: null, chatbot_enabled: false, subject: null, last_seq: 1,
      inbound_count: 0, last_message_at: at, last_message_preview: `text ${id}`, created_at: at, updated_at: at, customer: null,
    });
    const items = homeItems(
      { a: row('a', '2026-12-01T10:00:00Z'), b: row('b', '2026-12-03T10:00:00Z'), c: row('c', '2026-12-02T10:00:00Z') },
      'a', { c: 2 },
    );
    expect(items.map((i) => i.id)).to.deep.equal(['a', 'b', 'c']);
    expect(items.map((i) => i.unread)).to.deep.equal([0, 0, 2]);
    expect(items[0]?.preview).to.equal('text a');
  });

  it('counts an email as known when set or waiting for its confirmation', () => {
    expect(hasEmail({ email: '', new_email: undefined })).to.equal(false);
    expect(hasEmail({ email: undefined })).to.equal(false);
    expect(hasEmail({ email: 'a@b.co' })).to.equal(true);
    expect(hasEmail({ email: '', new_email: 'a@b.co' })).to.equal(true);
    expect(hasEmail(null)).to.equal(false);
  });
});

describe('<parley-launcher> home screen and away mode on the local stack', function () {
  this.timeout(60000);
  const cleanup: (() => unknown)[] = [];
  let admin: SupabaseClient;
  let agent: SupabaseClient;
  let original: Record<string, unknown>;
  const consoleId = crypto.randomUUID();

  async function updateSettings(changes: Record<string, unknown>): Promise<void> {
    const { error } = await admin.from('workspace_settings').update(changes).eq('id', true);
    if (error) throw new Error(error.message);
  }

  before(async () => {
    admin = await signedIn('admin@parley.test', 'parley-admin');
    agent = await signedIn('jordan@parley.test', 'parley-agent');
    const { data, error } = await admin.from('workspace_settings').select('greeting,intro,business_hours,away_message,show_team_avatars').single();
    if (error) throw new Error(error.message);
    original = { ...data };
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    for (const key of Object.keys(localStorage)) if (key.startsWith('parley-')) localStorage.removeItem(key);
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('parley-')) sessionStorage.removeItem(key);
    document.documentElement.removeAttribute('dir');
    await emulateMedia({ colorScheme: 'light' });
    await agent.rpc('console_leave', { p_session: consoleId });
  });

  after(async () => {
    await updateSettings(original);
    await admin.auth.signOut();
    await agent.auth.signOut();
  });

  it('opens on the home screen: greeting, the online agent (live), "Send us a message"; the first send shows the thread', async () => {
    await updateSettings({ greeting: 'Hi there', intro: 'We answer fast.', business_hours: HOURS_OFF, show_team_avatars: true });
    const beat = await agent.rpc('console_heartbeat', { p_session: consoleId, p_idle_seconds: 0, p_away_after: 300 });
    if (beat.error) throw new Error(beat.error.message);
    const el = await mountOnStack('parley-launcher', cleanup);
    el.open = true;
    await wait(() => names(el).includes('Jordan Blake'), 'the online agent is on the home screen');
    // The settings and the team's presence arrive separately: either may show first.
    await wait(() => text(el, '[part~="welcome"] .greeting') === 'Hi there', 'the greeting');
    expect(text(el, '[part~="welcome"] .intro')).to.equal('We answer fast.');
    expect($(el, '[part~="team"] .avatar'), 'an avatar (initials) next to the name').to.not.equal(null);
    expect($(el, 'parley-thread'), 'no empty thread ("No messages yet.")').to.equal(null);
    expect($(el, '[part~="subtitle"]')?.matches('[part~="away"]'), 'open and someone online: the reply time').to.equal(false);
    const write = $(el, '[part~="send-us-a-message"]') as HTMLButtonElement;
    expect(write.textContent?.trim()).to.equal(launcherStrings.sendUsMessage);
    await wait(() => el.session?.state.$connection.get() === 'connected', 'connected');
    await expectAccessibleInBothThemes(el);

    // Live: the agent's console goes away, and the team line follows without a reload.
    const left = await agent.rpc('console_leave', { p_session: consoleId });
    if (left.error) throw new Error(left.error.message);
    await wait(() => !names(el).includes('Jordan Blake'), 'the agent who left is gone, live');
    if (names(el).length === 0) {
      await wait(() => $(el, '[part~="subtitle"]')?.matches('[part~="away"]') === true, 'nobody online: the away line');
    }

    // "Send us a message" puts the caret in the composer; sending shows the thread with the message.
    write.click();
    const composer = $(el, 'parley-composer');
    await wait(() => el.shadowRoot?.activeElement === composer, 'the composer has focus');
    say(composer, 'Hello from the home screen');
    await wait(() => $(el, 'parley-thread') !== null && $(el, '[part~="home"]') === null, 'the thread shows');
    await wait(() => (el.session?.state.thread(el.conversationId ?? '').get().messages.length ?? 0) === 1, 'the message is in the thread');

    // Back home: the conversation is listed first, and opening it shows its thread again.
    ($(el, '[part~="back-button"]') as HTMLButtonElement).click();
    await wait(() => $(el, '[part~="conversation"]') !== null, 'the home screen lists the conversation');
    await wait(() => text(el, '[part~="conversation"] .preview') === 'Hello from the home screen', 'its last message as the preview');
    await expectAccessibleInBothThemes(el);
    ($(el, '[part~="conversation"]') as HTMLButtonElement).click();
    await wait(() => $(el, 'parley-thread') !== null, 'the conversation opens');
  });

  it('hides avatars when the workspace says so, names stay', async () => {
    await updateSettings({ business_hours: HOURS_OFF, show_team_avatars: false });
    await agent.rpc('console_heartbeat', { p_session: consoleId, p_idle_seconds: 0, p_away_after: 300 });
    const el = await mountOnStack('parley-launcher', cleanup);
    el.open = true;
    await wait(() => names(el).includes('Jordan Blake'), 'the online agent is named');
    expect($(el, '[part~="team"] .avatar')).to.equal(null);
  });

  it('away: says so, takes the message, asks for an email once; a bad one is refused, a good one goes to Supabase Auth', async () => {
    await updateSettings({ business_hours: NEVER_OPEN, away_message: 'We are out, back soon.' });
    const el = await mountOnStack('parley-launcher', cleanup);
    el.open = true;
    await wait(() => text(el, '[part~="subtitle"]') === 'We are out, back soon.', 'the away message on the home screen');
    expect($(el, '[part~="subtitle"]')?.matches('[part~="away"]')).to.equal(true);
    const composer = composerOf(el);
    await wait(() => composer?.disabled === false, 'the composer takes text');
    say(composer, 'Anyone there?');
    await wait(() => $(el, '[part~="email-ask"]') !== null, 'the thread asks for an email');
    expect(text(el, '[part~="subtitle"]'), 'the thread says so too').to.equal('We are out, back soon.');
    await expectAccessibleInBothThemes(el);

    const input = $(el, '[part~="email-ask-input"]') as HTMLInputElement;
    const form = $(el, '[part~="email-ask"]') as HTMLFormElement;
    input.value = 'not-an-email';
    form.requestSubmit();
    await wait(() => text(el, '[part~="email-ask-error"]') === launcherStrings.emailInvalid, 'a clear error');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    const session = el.session;
    if (!session) throw new Error('no session');
    const { data: before } = await session.client.auth.getUser();
    expect(before.user?.email ?? '', 'nothing sent').to.equal('');

    const address = `visitor-${crypto.randomUUID().slice(0, 8)}@example.com`;
    input.value = address;
    form.requestSubmit();
    await wait(() => $(el, '[part~="email-given"]') !== null, 'where the reply goes');
    expect($(el, '[part~="email-ask"]')).to.equal(null);
    const line = text(el, '[part~="email-given"]') ?? '';
    expect(line).to.contain(address);
    // Through the service role: the auth user has the address (applied, or waiting for its confirmation).
    const stack = await browserStack();
    const service = createClient(stack.url, stack.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const userId = session.state.$session.get().userId ?? '';
    const { data: stored, error } = await service.auth.admin.getUserById(userId);
    if (error) throw new Error(error.message);
    const user = stored.user as { email?: string; new_email?: string } | null;
    expect([user?.email, user?.new_email]).to.include(address);
    expect(line).to.equal(
      (user?.email === address ? launcherStrings.emailSaved : launcherStrings.emailPending).replace('{email}', address),
    );

    // A reload keeps the line and does not ask again.
    el.remove();
    const next = await mountOnStack('parley-launcher', cleanup);
    next.open = true;
    // The tab showed the conversation: the reload shows it again, not the home screen.
    await wait(() => $(next, '[part~="email-given"]') !== null, 'the line is kept');
    expect($(next, '[part~="home"]')).to.equal(null);
    expect($(next, '[part~="email-ask"]')).to.equal(null);
  });

  it('away: "Skip" is remembered for the conversation across a reload', async () => {
    await updateSettings({ business_hours: NEVER_OPEN, away_message: '' });
    const el = await mountOnStack('parley-launcher', cleanup);
    el.open = true;
    await wait(() => text(el, '[part~="subtitle"]') === launcherStrings.away, 'the default away line');
    const composer = composerOf(el);
    await wait(() => composer?.disabled === false, 'the composer takes text');
    say(composer, 'Hello?');
    await wait(() => $(el, '[part~="email-skip"]') !== null, 'the ask, with Skip');
    ($(el, '[part~="email-skip"]') as HTMLButtonElement).click();
    await wait(() => $(el, '[part~="email-ask"]') === null, 'skipped');
    say(composer, 'One more thing');
    await wait(() => (el.session?.state.thread(el.conversationId ?? '').get().messages.length ?? 0) === 2, 'both messages in');
    expect($(el, '[part~="email-ask"]'), 'not asked again').to.equal(null);

    el.remove();
    const next = await mountOnStack('parley-launcher', cleanup);
    next.open = true;
    await wait(() => $(next, 'parley-thread') !== null, 'the thread shows again after the reload');
    const c = composerOf(next);
    await wait(() => c?.disabled === false, 'the composer takes text');
    say(c, 'After the reload');
    await wait(() => (next.session?.state.thread(next.conversationId ?? '').get().messages.length ?? 0) === 3, 'sent');
    await next.updateComplete;
    expect($(next, '[part~="email-ask"]'), 'not asked again after a reload').to.equal(null);
  });

  for (const [name, width, scheme, rtl] of [['home-390-dark-rtl', 390, 'dark', true], ['home-1280-light', 1280, 'light', false]] as const) {
    it(`looks right: ${name}`, async () => {
      await updateSettings({ greeting: 'Hi there 👋', intro: 'Ask us anything about your order.', business_hours: HOURS_OFF, show_team_avatars: true });
      await agent.rpc('console_heartbeat', { p_session: consoleId, p_idle_seconds: 0, p_away_after: 300 });
      await setViewport({ width, height: 800 });
      await emulateMedia({ colorScheme: scheme });
      if (rtl) document.documentElement.dir = 'rtl';
      const el = await mountOnStack('parley-launcher', cleanup);
      el.setAttribute('theme', scheme);
      el.open = true;
      await wait(() => names(el).includes('Jordan Blake'), 'the team shows');
      const home = $(el, '[part~="home"]');
      expect((home?.scrollWidth ?? 0) <= (home?.clientWidth ?? 0) + 1, 'nothing sticks out sideways').to.equal(true);
      await executeServerCommand('parley-screenshot', { name: `launcher-${name}` });
    });
  }
});

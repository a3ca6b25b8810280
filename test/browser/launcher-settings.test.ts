// The workspace settings in the visitor's widget (issue 14): read on open, followed live through
// the public broadcast, remembered for the next page, and overridden by what the host sets. Only
// cosmetic fields change here (other suites share the stack), and they are put back after.
import { expect, waitUntil } from '@open-wc/testing';
import type { SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyLauncher } from '../../src/define.ts';
import { isClosed, lightenForDark, readableOn } from '../../src/elements/launcher/workspace-settings.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient, mountOnStack } from '../browser-stack/stack.ts';

const wait = (predicate: () => boolean, message: string, timeout = 8000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

const part = (el: ParleyLauncher, selector: string): string | null =>
  el.shadowRoot?.querySelector(selector)?.textContent?.trim() ?? null;

async function signedInAdmin(): Promise<SupabaseClient> {
  const client = await browserClient();
  const { error } = await client.auth.signInWithPassword({ email: 'admin@parley.test', password: 'parley-admin' });
  if (error) throw error;
  return client;
}

async function updateSettings(admin: SupabaseClient, changes: Record<string, unknown>): Promise<void> {
  const { error } = await admin.from('workspace_settings').update(changes).eq('id', true);
  if (error) throw new Error(error.message);
}

describe('<parley-launcher> with the workspace settings', function () {
  this.timeout(30000);
  const cleanup: (() => unknown)[] = [];
  let admin: SupabaseClient;
  let agent: SupabaseClient;
  let original: Record<string, unknown>;
  const consoleId = crypto.randomUUID();

  before(async () => {
    admin = await signedInAdmin();
    // Someone online, else the widget is in away mode (issue 15) and the subtitle is the away message.
    agent = await browserClient();
    const signIn = await agent.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
    if (signIn.error) throw signIn.error;
    const beat = await agent.rpc('console_heartbeat', { p_session: consoleId, p_idle_seconds: 0, p_away_after: 300 });
    if (beat.error) throw new Error(beat.error.message);
    const { data, error } = await admin.from('workspace_settings').select('brand_name,greeting,intro,accent_color,reply_time').single();
    if (error) throw new Error(error.message);
    original = { ...data };
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    for (const key of Object.keys(localStorage)) if (key.startsWith('parley-')) localStorage.removeItem(key);
    document.body.style.removeProperty('--parley-color-accent');
  });

  after(async () => {
    await updateSettings(admin, original);
    await agent.rpc('console_leave', { p_session: consoleId });
    await agent.auth.signOut();
    await admin.auth.signOut();
  });

  it('shows them on open, follows a change live, and starts the next page with them', async () => {
    await updateSettings(admin, { brand_name: 'Lumen Prints', greeting: 'Hello from Lumen', intro: 'Ask us anything.', accent_color: '#7b2cbf', reply_time: 'hour' });
    const el = await mountOnStack('parley-launcher', cleanup);
    el.open = true;
    await wait(() => part(el, '.title') === 'Lumen Prints', 'the brand name is the heading');
    expect(part(el, '.subtitle')).to.equal('We usually reply within an hour');
    expect(part(el, '.greeting')).to.equal('Hello from Lumen');
    expect(part(el, '.intro')).to.equal('Ask us anything.');
    expect(el.style.getPropertyValue('--parley-workspace-color-accent')).to.equal('#7b2cbf');
    expect(el.style.getPropertyValue('--parley-workspace-color-on-accent')).to.equal('#ffffff');
    expect(getComputedStyle(el.shadowRoot?.querySelector('.bubble') as Element).backgroundColor).to.equal('rgb(123, 44, 191)');
    await wait(() => el.session?.state.$connection.get() === 'connected', 'connected');

    await updateSettings(admin, { brand_name: 'Lumen <b>Live</b>', reply_time: 'unknown' });
    await wait(() => part(el, '.title') === 'Lumen <b>Live</b>', 'the change arrives live, as text');
    expect(el.shadowRoot?.querySelector('.title b')).to.equal(null);
    expect(el.shadowRoot?.querySelector('.subtitle')).to.equal(null);

    el.strings = { title: 'Chat with the host' };
    await el.updateComplete;
    expect(part(el, '.title')).to.equal('Chat with the host');

    el.remove();
    const next = await mountOnStack('parley-launcher', cleanup);
    await next.updateComplete;
    expect(next.style.getPropertyValue('--parley-workspace-color-accent'), 'the bubble has the colour before any request').to.equal('#7b2cbf');
    next.open = true;
    await next.updateComplete;
    expect(part(next, '.title'), 'the remembered brand shows at once').to.equal('Lumen <b>Live</b>');
  });

  it("leaves the page's own accent colour alone", async () => {
    document.body.style.setProperty('--parley-color-accent', '#c2185b');
    await updateSettings(admin, { brand_name: 'Accent test', accent_color: '#2e7d32' });
    const el = await mountOnStack('parley-launcher', cleanup);
    el.open = true;
    await wait(() => el.session?.state.$connection.get() === 'connected', 'connected');
    await wait(() => part(el, '.title') === 'Accent test', 'settings read');
    await wait(() => el.style.getPropertyValue('--parley-workspace-color-accent') === '#2e7d32', 'the workspace colour is set');
    expect(getComputedStyle(el.shadowRoot?.querySelector('.bubble') as Element).backgroundColor, 'the page\'s colour wins').to.equal('rgb(194, 24, 91)');
  });
});

describe('workspace settings rules in the widget', () => {
  const hours = {
    enabled: true, timezone: 'Europe/Paris', holidays: ['2026-12-25'],
    weekly: { mon: [['09:00', '17:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  } as const;

  it('is closed outside the day\'s ranges in the workspace\'s time zone, and on holidays', () => {
    // Monday 2026-12-07, 08:30 UTC is 09:30 in Paris: open; 16:30 UTC is 17:30: closed.
    expect(isClosed(hours, new Date('2026-12-07T08:30:00Z'))).to.equal(false);
    expect(isClosed(hours, new Date('2026-12-07T16:30:00Z'))).to.equal(true);
    expect(isClosed(hours, new Date('2026-12-08T10:00:00Z')), 'Tuesday has no ranges').to.equal(true);
    expect(isClosed({ ...hours, weekly: { ...hours.weekly, fri: [['00:00', '24:00']] } }, new Date('2026-12-25T10:00:00Z')), 'a holiday').to.equal(true);
    expect(isClosed({ ...hours, enabled: false }, new Date('2026-12-08T10:00:00Z')), 'hours off: never closed').to.equal(false);
  });

  it('picks a readable text colour on the accent and a readable accent on the dark surface', () => {
    expect(readableOn('#1f5fd1')).to.equal('#ffffff');
    expect(readableOn('#ffd60a')).to.equal('#111111');
    expect(lightenForDark('#8ab4f8')).to.equal('#8ab4f8');
    expect(lightenForDark('#1f5fd1')).to.not.equal('#1f5fd1');
  });
});

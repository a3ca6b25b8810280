import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../src/define.ts';
import { ParleySettings, ParleySectionChangeEvent } from '../../src/define.ts';
import { SETTINGS_SECTIONS } from '../../src/elements/events.ts';
import { settingsStrings } from '../../src/i18n/settings-strings.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import { collectConsoleOutput } from '../browser-helpers/console-guard.ts';
import { FakeSettingsSource, FieldRefusal, OTHER_ID, SELF_ID } from '../browser-helpers/settings-source-fake.ts';
import type { KnowledgeArticle } from '../../src/elements/settings/settings-source.ts';

const URL_ = 'https://demo-project.supabase.co';
const KEY = 'sb_publishable_demo_key_123';

async function mount(source = new FakeSettingsSource(), section = 'workspace'): Promise<{ el: ParleySettings; source: FakeSettingsSource }> {
  const el = await fixture<ParleySettings>(html`<parley-settings
    .source=${source}
    section=${section}
    agent-id=${SELF_ID}
    supabase-url=${URL_}
    supabase-key=${KEY}
  ></parley-settings>`);
  await waitUntil(() => el.store?.$phase.get() === 'ready', 'settings never loaded');
  // The Chatbot section loads its own data when it opens.
  await el.updateComplete;
  if (section === 'chatbot' && el.shadowRoot?.querySelector('#tab-chatbot')) await waitUntil(() => el.shadowRoot?.querySelector('[part~="chatbot-form"]'), 'chatbot never loaded');
  await el.updateComplete;
  return { el, source };
}

function $<T extends Element = HTMLElement>(el: ParleySettings, selector: string): T {
  const found = el.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

function $$(el: ParleySettings, selector: string): HTMLElement[] {
  return [...(el.shadowRoot?.querySelectorAll<HTMLElement>(selector) ?? [])];
}

async function fill(el: ParleySettings, selector: string, value: string): Promise<HTMLInputElement> {
  const input = $<HTMLInputElement>(el, selector);
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
  return input;
}

async function leave(el: ParleySettings, input: HTMLElement): Promise<void> {
  input.focus();
  input.blur();
  await el.updateComplete;
}

/** The error shown for a field, read through the field's aria-describedby as a screen reader would. */
function describedError(el: ParleySettings, input: HTMLElement): string | null {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  const node = ids.length > 0 ? el.shadowRoot?.getElementById(ids[0] as string) : null;
  return node?.textContent?.trim() ?? null;
}

async function save(el: ParleySettings, part = 'save-button'): Promise<void> {
  $<HTMLButtonElement>(el, `[part~="${part}"]`).click();
  await el.updateComplete;
}

async function settle(el: ParleySettings, condition: () => boolean, message: string): Promise<void> {
  await waitUntil(condition, message);
  await el.updateComplete;
}

describe('<parley-settings>', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    await setViewport({ width: 800, height: 600 });
    document.documentElement.removeAttribute('dir');
  });

  describe('renders', () => {
    it('is defined once, even when define() runs again', () => {
      expect(customElements.get('parley-settings')).to.equal(ParleySettings);
      expect(() => ParleySettings.define('parley-settings')).not.to.throw();
    });

    it('shows a tab per section and the stored settings in the workspace form', async () => {
      const { el, source } = await mount();
      expect($$(el, '[role="tab"]').map((tab) => tab.textContent?.trim())).to.deep.equal(
        SETTINGS_SECTIONS.map((s) => settingsStrings[s]));
      expect($<HTMLInputElement>(el, '#f-brandName').value).to.equal(source.stored.brandName);
      expect($<HTMLInputElement>(el, '#f-greeting').value).to.equal(source.stored.greeting);
      expect(source.callsOf('settings')).to.have.length(1);
    });

    it('shows the ratings of the last 7 and 30 days, and the scale field', async () => {
      const source = Object.assign(new FakeSettingsSource(), {
        csatSummary: (days: number) => Promise.resolve(days === 7
          ? { days, scale: 5, count: 0, average: null }
          : { days, scale: 5, count: 12, average: 4.25 }),
      });
      const { el } = await mount(source);
      await waitUntil(() => el.shadowRoot?.querySelector('[part~="csat-summary"]') !== null, 'the summary');
      expect($$(el, '[part~="csat-summary"] li').map((li) => li.textContent?.trim())).to.deep.equal([
        'Last 7 days: no ratings', 'Last 30 days: 4.25 of 5 average, 12 ratings',
      ]);
      expect($<HTMLSelectElement>(el, '#f-csatScale').value).to.equal('5');
    });

    it('shows a failed load with a retry that loads again', async () => {
      const source = new FakeSettingsSource();
      source.refuseNext('settings', new FieldRefusal(null, 'You do not have permission to do that.', '42501'));
      const el = await fixture<ParleySettings>(html`<parley-settings .source=${source}></parley-settings>`);
      await settle(el, () => el.store?.$phase.get() === 'error', 'no error phase');
      expect($(el, '[role="alert"]').textContent).to.contain('You do not have permission to do that.');
      $<HTMLButtonElement>(el, '.load-error button').click();
      await settle(el, () => el.store?.$phase.get() === 'ready', 'retry did not load');
      expect(source.callsOf('settings')).to.have.length(2);
    });

    it('renders names and texts as text, never as markup', async () => {
      const source = new FakeSettingsSource();
      const markup = '<img src=x onerror="window.__pwned=1">';
      source.stored = { ...source.stored, brandName: markup, greeting: markup };
      source.members[1] = { ...(source.members[1] as (typeof source.members)[number]), displayName: markup };
      const { el } = await mount(source);
      expect($(el, '[part~="preview-brand"]').textContent).to.equal(markup);
      expect(el.shadowRoot?.querySelector('img')).to.equal(null);
      el.section = 'team';
      await el.updateComplete;
      expect($(el, '[part~="members"]').textContent).to.contain(markup);
      expect(el.shadowRoot?.querySelector('img')).to.equal(null);
    });

    it('writes no Lit dev-mode warnings', async () => {
      const output = await collectConsoleOutput(async () => {
        const { el } = await mount();
        for (const section of SETTINGS_SECTIONS) {
          el.section = section;
          await el.updateComplete;
        }
        el.theme = 'dark';
        await el.updateComplete;
        el.remove();
      });
      expect(output).to.deep.equal([]);
    });
  });

  describe('is accessible', () => {
    for (const section of SETTINGS_SECTIONS) {
      it(`${section}, light and dark`, async () => {
        const { el } = await mount(new FakeSettingsSource(), section);
        await expectAccessibleInBothThemes(el);
      });
    }

    it('with errors shown, light and dark', async () => {
      const { el } = await mount();
      await fill(el, '#f-brandName', '');
      await fill(el, '#f-accentColor', 'blue');
      await save(el);
      await expectAccessibleInBothThemes(el);
    });
  });

  describe('properties', () => {
    it('reflects section and falls back to workspace for an unknown one', async () => {
      const { el } = await mount(new FakeSettingsSource(), 'team');
      expect(el.getAttribute('section')).to.equal('team');
      expect($(el, '[role="tab"][aria-selected="true"]').id).to.equal('tab-team');
      el.setAttribute('section', 'billing');
      await el.updateComplete;
      expect(el.section).to.equal('workspace');
    });

    it('keeps the open tab in view when the tabs scroll sideways on a phone', async () => {
      await setViewport({ width: 390, height: 800 });
      const { el } = await mount(new FakeSettingsSource(), 'embed');
      const nav = $(el, '[part~="nav"]').getBoundingClientRect();
      const tab = $(el, '#tab-embed').getBoundingClientRect();
      expect(nav.right - nav.left).to.be.below(390);
      expect(tab.left).to.be.at.least(nav.left - 1);
      expect(tab.right).to.be.at.most(nav.right + 1);
    });

    it('takes string overrides', async () => {
      const { el } = await mount();
      el.strings = { team: 'Équipe' };
      await el.updateComplete;
      expect($(el, '#tab-team').textContent?.trim()).to.equal('Équipe');
      expect($(el, '#tab-hours').textContent?.trim()).to.equal(settingsStrings.hours);
    });
  });

  describe('events', () => {
    it('emits parley-section-change when the admin picks a tab, not for programmatic sets', async () => {
      const { el } = await mount();
      let count = 0;
      el.addEventListener('parley-section-change', () => (count += 1));
      el.section = 'canned';
      await el.updateComplete;
      expect(count).to.equal(0);
      const heard = oneEvent(el, 'parley-section-change');
      $(el, '#tab-embed').click();
      const event = await heard;
      expect(event).to.be.instanceOf(ParleySectionChangeEvent);
      expect(event.detail.section).to.equal('embed');
      expect(event.composed).to.equal(true);
    });

    it('moves between tabs with the arrow keys, mirrored in rtl', async () => {
      const { el } = await mount();
      $(el, '#tab-workspace').focus();
      await sendKeys({ press: 'ArrowDown' });
      await el.updateComplete;
      expect(el.section).to.equal('hours');
      document.documentElement.dir = 'rtl';
      await sendKeys({ press: 'ArrowLeft' });
      await el.updateComplete;
      expect(el.section).to.equal('team');
      await sendKeys({ press: 'Home' });
      await el.updateComplete;
      expect(el.section).to.equal('workspace');
    });
  });

  describe('workspace form', () => {
    it('explains an error next to the field once it is left, not while typing', async () => {
      const { el } = await mount();
      const input = await fill(el, '#f-brandName', '   ');
      expect(input.getAttribute('aria-invalid')).to.equal('false');
      await leave(el, input);
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(describedError(el, input)).to.equal('Enter a brand name.');
      await fill(el, '#f-brandName', 'Lumen');
      expect(input.getAttribute('aria-invalid')).to.equal('false');
      expect(describedError(el, input)).to.equal(null);
    });

    it('refuses to save invalid values, shows every error and focuses the first', async () => {
      const { el, source } = await mount();
      await fill(el, '#f-greeting', 'g'.repeat(121));
      await fill(el, '#f-accentColor', '#12');
      await fill(el, '#f-defaultLanguage', 'English');
      await save(el);
      await el.updateComplete;
      expect(source.callsOf('updateSettings')).to.have.length(0);
      expect(describedError(el, $(el, '#f-greeting'))).to.contain('120');
      expect(describedError(el, $(el, '#f-accentColor'))).to.contain('#rrggbb');
      expect(describedError(el, $(el, '#f-defaultLanguage'))).to.contain('language tag');
      expect(el.shadowRoot?.activeElement?.id).to.equal('f-greeting');
    });

    it('saves the trimmed values, with Save disabled while saving, then says Saved', async () => {
      const { el, source } = await mount();
      await fill(el, '#f-brandName', '  Lumen Prints  ');
      $<HTMLInputElement>(el, '#f-csatEnabled').click();
      const release = source.holdNext('updateSettings');
      await save(el);
      const button = $<HTMLButtonElement>(el, '[part~="save-button"]');
      expect(button.disabled).to.equal(true);
      expect(button.textContent?.trim()).to.equal(settingsStrings.saving);
      await save(el);
      release();
      await settle(el, () => el.store?.workspace.$state.get().status === 'saved', 'never saved');
      expect(source.callsOf('updateSettings')).to.have.length(1);
      const changes = source.callsOf('updateSettings')[0]?.args[0] as Record<string, unknown>;
      expect(changes.brandName).to.equal('Lumen Prints');
      expect(changes.csatEnabled).to.equal(true);
      expect(changes).not.to.have.property('updatedAt');
      expect(button.disabled).to.equal(false);
      expect($(el, '[part~="form-status"]').textContent?.trim()).to.equal(settingsStrings.saved);
    });

    it('keeps what was typed when the database refuses, with its message on the field it names', async () => {
      const { el, source } = await mount();
      await fill(el, '#f-brandName', 'Lumen');
      await fill(el, '#f-greeting', 'Hello from the database test');
      source.refuseNext('updateSettings', new FieldRefusal('greeting', 'The greeting was refused by the database.', '23514'));
      await save(el);
      await settle(el, () => el.store?.workspace.$state.get().status === 'refused', 'never refused');
      const greeting = $<HTMLInputElement>(el, '#f-greeting');
      expect(greeting.value).to.equal('Hello from the database test');
      expect($<HTMLInputElement>(el, '#f-brandName').value).to.equal('Lumen');
      expect(greeting.getAttribute('aria-invalid')).to.equal('true');
      expect(describedError(el, greeting)).to.equal('The greeting was refused by the database.');
      expect(el.shadowRoot?.activeElement?.id).to.equal('f-greeting');
      await fill(el, '#f-greeting', 'Hello again');
      expect(describedError(el, greeting)).to.equal(null);
    });

    it('shows the reply email minutes, refuses out-of-range ones with the bounds and saves nothing', async () => {
      const source = new FakeSettingsSource();
      source.stored = { ...source.stored, replyEmailAfterMinutes: 15, replyEmailIntervalMinutes: 90 };
      const { el } = await mount(source);
      const after = $<HTMLInputElement>(el, '#f-replyEmailAfterMinutes');
      const interval = $<HTMLInputElement>(el, '#f-replyEmailIntervalMinutes');
      expect([after.value, interval.value]).to.deep.equal(['15', '90']);
      expect(after.getAttribute('inputmode')).to.equal('numeric');
      expect($(el, '[part~="reply-emails"] legend').textContent?.trim()).to.equal(settingsStrings.replyEmails);

      await fill(el, '#f-replyEmailAfterMinutes', '10081');
      await leave(el, after);
      expect(describedError(el, after)).to.equal('Enter whole minutes from 0 to 10080.');
      for (const bad of ['4', '1.5', '12a', '', '-5']) {
        await fill(el, '#f-replyEmailIntervalMinutes', bad);
        await save(el);
        await el.updateComplete;
        expect(describedError(el, interval), bad).to.equal('Enter whole minutes from 5 to 10080.');
      }
      expect(source.callsOf('updateSettings')).to.have.length(0);
      expect(el.shadowRoot?.activeElement?.id).to.equal('f-replyEmailAfterMinutes');
      expect(interval.value, 'what was typed stays').to.equal('-5');
    });

    it('saves the reply email minutes as numbers, 0 turning reply emails off', async () => {
      const { el, source } = await mount();
      await fill(el, '#f-replyEmailAfterMinutes', ' 0 ');
      await fill(el, '#f-replyEmailIntervalMinutes', '10080');
      await save(el);
      await settle(el, () => el.store?.workspace.$state.get().status === 'saved', 'never saved');
      const changes = source.callsOf('updateSettings')[0]?.args[0] as Record<string, unknown>;
      expect(changes.replyEmailAfterMinutes).to.equal(0);
      expect(changes.replyEmailIntervalMinutes).to.equal(10080);
      expect($<HTMLInputElement>(el, '#f-replyEmailAfterMinutes').value).to.equal('0');
    });

    it('puts the database\'s refusal of a reply email bound on its field', async () => {
      const { el, source } = await mount();
      source.refuseNext('updateSettings', new FieldRefusal('replyEmailIntervalMinutes',
        'Reply emails are at least 5 and at most 10080 minutes apart.', 'workspace_settings_reply_email_interval_minutes_range'));
      await save(el);
      await settle(el, () => el.store?.workspace.$state.get().status === 'refused', 'never refused');
      expect(describedError(el, $(el, '#f-replyEmailIntervalMinutes'))).to.equal('Reply emails are at least 5 and at most 10080 minutes apart.');
    });

    it('shows a refusal naming no field on the form', async () => {
      const { el, source } = await mount();
      source.refuseNext('updateSettings', new FieldRefusal(null, 'You do not have permission to do that.', '42501'));
      await save(el);
      await settle(el, () => el.store?.workspace.$state.get().status === 'refused', 'never refused');
      expect($(el, '[part~="form-status"]').textContent?.trim()).to.equal('You do not have permission to do that.');
    });

    it('has a preview that follows the edits', async () => {
      const { el } = await mount();
      await fill(el, '#f-brandName', 'Lumen Prints');
      await fill(el, '#f-greeting', 'Welcome to Lumen');
      await fill(el, '#f-intro', 'Ask us about prints.');
      await fill(el, '#f-accentColor', '#ffcc00');
      const select = $<HTMLSelectElement>(el, '#f-replyTime');
      select.value = 'hour';
      select.dispatchEvent(new Event('change'));
      await el.updateComplete;
      expect($(el, '[part~="preview-brand"]').textContent).to.equal('Lumen Prints');
      expect($(el, '[part~="preview-greeting"]').textContent).to.equal('Welcome to Lumen');
      expect($(el, '[part~="preview-intro"]').textContent).to.equal('Ask us about prints.');
      expect($(el, '.preview-reply').textContent).to.equal(settingsStrings.previewReplyHour);
      const bubble = getComputedStyle($(el, '[part~="preview-bubble"]'));
      expect(bubble.backgroundColor).to.equal('rgb(255, 204, 0)');
      // Dark text on a light accent, so the preview stays readable whatever colour is picked.
      expect(bubble.color).to.equal('rgb(17, 17, 17)');
      $<HTMLInputElement>(el, '#f-showTeamAvatars').click();
      await el.updateComplete;
      expect(el.shadowRoot?.querySelector('.preview-avatars')).to.equal(null);
    });
  });

  describe('business hours', () => {
    it('adds and removes ranges, checks them on blur, and saves the schedule', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'hours');
      $<HTMLButtonElement>(el, 'button[aria-label="Add hours on Saturday"]').click();
      await el.updateComplete;
      const closes = $<HTMLInputElement>(el, 'input[aria-label="Saturday range 1 closes"]');
      await fill(el, 'input[aria-label="Saturday range 1 closes"]', '08:00');
      await leave(el, closes);
      expect(closes.getAttribute('aria-invalid')).to.equal('true');
      expect(describedError(el, closes)).to.contain('the end must be after the start');
      await fill(el, 'input[aria-label="Saturday range 1 closes"]', '13:00');
      $<HTMLButtonElement>(el, 'button[aria-label="Remove Monday range 1"]').click();
      await el.updateComplete;
      $<HTMLInputElement>(el, '#f-businessHours-enabled').click();
      await save(el);
      await settle(el, () => source.callsOf('updateSettings').length === 1, 'not saved');
      const changes = source.callsOf('updateSettings')[0]?.args[0] as { businessHours: typeof source.stored.businessHours };
      expect(changes.businessHours.enabled).to.equal(true);
      expect(changes.businessHours.weekly.sat).to.deep.equal([['09:00', '13:00']]);
      expect(changes.businessHours.weekly.mon).to.deep.equal([]);
    });

    it('adds holidays and shows the database refusing the schedule', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'hours');
      const date = $<HTMLInputElement>(el, '#new-holiday');
      date.value = '2026-12-25';
      $<HTMLButtonElement>(el, '.holiday-add button').click();
      await el.updateComplete;
      expect($(el, '.chips').textContent).to.contain('2026-12-25');
      source.refuseNext('updateSettings', new FieldRefusal('businessHours', 'Business hours are not valid.', '23514'));
      await save(el);
      await settle(el, () => el.store?.hours.$state.get().status === 'refused', 'not refused');
      expect($(el, '#f-businessHours-error').textContent).to.equal('Business hours are not valid.');
      expect($(el, '.chips').textContent).to.contain('2026-12-25');
    });
  });

  describe('team', () => {
    it('changes a role, and shows a last-admin refusal on the row with the stored role back', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'team');
      const other = $<HTMLSelectElement>(el, `#f-role-${OTHER_ID}`);
      other.value = 'admin';
      other.dispatchEvent(new Event('change'));
      await settle(el, () => source.members[1]?.role === 'admin' && el.store?.$team.get()[1]?.role === 'admin', 'role not set');
      expect(source.callsOf('setRole')[0]?.args).to.deep.equal([OTHER_ID, 'admin']);

      source.refuseNext('setRole', new FieldRefusal(null, 'The workspace needs at least one active admin.', 'last_admin'));
      const own = $<HTMLSelectElement>(el, `#f-role-${SELF_ID}`);
      own.value = 'agent';
      own.dispatchEvent(new Event('change'));
      await settle(el, () => el.store?.$rowErrors.get()[SELF_ID] !== undefined, 'no row error');
      expect($(el, `[data-id="${SELF_ID}"] [part~="row-error"]`).textContent).to.equal('The workspace needs at least one active admin.');
      expect($<HTMLSelectElement>(el, `#f-role-${SELF_ID}`).value).to.equal('admin');
    });

    it('deactivates and reactivates a member', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'team');
      $<HTMLButtonElement>(el, `[data-id="${OTHER_ID}"] [part~="deactivate-button"]`).click();
      await settle(el, () => el.shadowRoot?.querySelector(`[data-id="${OTHER_ID}"] [part~="reactivate-button"]`) !== null, 'not deactivated');
      expect($(el, `[data-id="${OTHER_ID}"]`).textContent).to.contain(settingsStrings.inactive);
      $<HTMLButtonElement>(el, `[data-id="${OTHER_ID}"] [part~="reactivate-button"]`).click();
      await settle(el, () => source.callsOf('setActive').length === 2 && el.store?.$busy.get().size === 0, 'not reactivated');
      expect(source.callsOf('setActive').map((c) => c.args)).to.deep.equal([[OTHER_ID, false], [OTHER_ID, true]]);
    });

    it('invites by email after checking it, and revokes an invitation', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'team');
      await fill(el, '#f-email', 'not-an-email');
      await save(el, 'invite-button');
      expect(source.callsOf('invite')).to.have.length(0);
      expect(describedError(el, $(el, '#f-email'))).to.contain('email address');
      await fill(el, '#f-email', ' kim@example.com ');
      const role = $<HTMLSelectElement>(el, '#f-role');
      role.value = 'admin';
      role.dispatchEvent(new Event('change'));
      await save(el, 'invite-button');
      await settle(el, () => source.callsOf('invite').length === 1 && el.store?.invite.$state.get().status === 'saved', 'no invite');
      expect(source.callsOf('invite')[0]?.args).to.deep.equal(['kim@example.com', 'admin']);
      expect($(el, '[part~="invitations"]').textContent).to.contain('kim@example.com');
      expect($<HTMLInputElement>(el, '#f-email').value).to.equal('');

      $<HTMLButtonElement>(el, '[data-id="inv-1"] [part~="revoke-button"]').click();
      await settle(el, () => el.shadowRoot?.querySelector('[data-id="inv-1"]') === null, 'not revoked');
      expect(source.callsOf('revokeInvitation')[0]?.args).to.deep.equal(['inv-1']);
    });

    it('edits the signed-in agent’s own name and avatar', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'team');
      expect($<HTMLInputElement>(el, '#f-displayName').value).to.equal('Ada Admin');
      const avatar = await fill(el, '#f-avatarUrl', 'javascript:alert(1)');
      await leave(el, avatar);
      expect(describedError(el, avatar)).to.contain('https://');
      await fill(el, '#f-avatarUrl', 'https://example.com/ada.png');
      await fill(el, '#f-displayName', ' Ada L. ');
      await save(el, 'profile-save-button');
      await settle(el, () => source.callsOf('updateOwnProfile').length === 1 && el.store?.profile.$state.get().status === 'saved', 'not saved');
      expect(source.callsOf('updateOwnProfile')[0]?.args[0]).to.deep.equal({ displayName: 'Ada L.', avatarUrl: 'https://example.com/ada.png' });
    });
  });

  describe('canned replies', () => {
    it('searches', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'canned');
      expect($$(el, '[part~="canned-reply"]')).to.have.length(2);
      await fill(el, '[part~="canned-search"]', 'refund');
      await settle(el, () => $$(el, '[part~="canned-reply"]').length === 1, 'no filter');
      expect(source.callsOf('cannedReplies').at(-1)?.args).to.deep.equal(['refund']);
    });

    it('creates a reply within the table’s limits, keeping input on a refusal', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'canned');
      $<HTMLButtonElement>(el, '[part~="new-reply-button"]').click();
      await el.updateComplete;
      await fill(el, '#f-shortcut', 'Thanks!');
      await fill(el, '#f-title', 'Thanks');
      await fill(el, '#f-body', 'Thank you for writing.');
      await save(el, 'canned-save-button');
      expect(source.callsOf('createCannedReply')).to.have.length(0);
      expect(describedError(el, $(el, '#f-shortcut'))).to.contain('lower-case');
      await fill(el, '#f-shortcut', 'refund');
      source.refuseNext('createCannedReply', new FieldRefusal('shortcut', 'That shortcut is already taken.', '23505'));
      await save(el, 'canned-save-button');
      await settle(el, () => el.store?.canned.$state.get().status === 'refused', 'not refused');
      expect(describedError(el, $(el, '#f-shortcut'))).to.equal('That shortcut is already taken.');
      expect($<HTMLTextAreaElement>(el, '#f-body').value).to.equal('Thank you for writing.');
      await fill(el, '#f-shortcut', 'thanks');
      await save(el, 'canned-save-button');
      await settle(el, () => el.shadowRoot?.querySelector('[part~="canned-form"]') === null, 'form still open');
      expect(source.callsOf('createCannedReply').at(-1)?.args[0]).to.deep.equal({ shortcut: 'thanks', title: 'Thanks', body: 'Thank you for writing.' });
      expect($(el, '[part~="canned-list"]').textContent).to.contain('/thanks');
    });

    it('edits and deletes after confirming', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'canned');
      $<HTMLButtonElement>(el, '[data-id="c-2"] [part~="edit-button"]').click();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, '#f-shortcut').value).to.equal('hours');
      await fill(el, '#f-title', 'Hours');
      await save(el, 'canned-save-button');
      await settle(el, () => source.callsOf('updateCannedReply').length === 1 && el.store?.$cannedOpen.get() === false, 'not updated');
      expect(source.callsOf('updateCannedReply')[0]?.args[0]).to.equal('c-2');

      $<HTMLButtonElement>(el, '[data-id="c-1"] [part~="delete-button"]').click();
      await el.updateComplete;
      expect(source.callsOf('deleteCannedReply')).to.have.length(0);
      $<HTMLButtonElement>(el, '[data-id="c-1"] [part~="confirm-delete-button"]').click();
      await settle(el, () => el.shadowRoot?.querySelector('[data-id="c-1"]') === null, 'not deleted');
      expect(source.callsOf('deleteCannedReply')[0]?.args).to.deep.equal(['c-1']);
    });
  });

  describe('chatbot', () => {
    it('loads only when opened, and saves when new conversations start with which bot', async () => {
      const { el, source } = await mount();
      expect(source.callsOf('chatbotSettings'), 'not before the section opens').to.have.length(0);
      $<HTMLButtonElement>(el, '#tab-chatbot').click();
      await settle(el, () => el.shadowRoot?.querySelector('[part~="chatbot-form"]') !== null, 'the section');
      expect($<HTMLSelectElement>(el, '#f-start').value).to.equal('never');
      expect(el.shadowRoot?.querySelector('#f-webhookUrl'), 'no webhook address for the built-in bot').to.equal(null);
      const start = $<HTMLSelectElement>(el, '#f-start');
      start.value = 'outside_hours';
      start.dispatchEvent(new Event('change'));
      await fill(el, '#f-name', '  Lumen bot ');
      await save(el, 'chatbot-save-button');
      await settle(el, () => source.callsOf('updateChatbotSettings').length === 1, 'not saved');
      expect(source.callsOf('updateChatbotSettings')[0]?.args[0]).to.deep.equal({ start: 'outside_hours', kind: 'builtin', name: 'Lumen bot', webhookUrl: null });
      await settle(el, () => $(el, '[part~="chatbot-form"] [part~="form-status"]').textContent === settingsStrings.saved, 'no Saved');
    });

    it('asks a webhook bot for its address, then rotates credentials shown once', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'chatbot');
      expect(el.shadowRoot?.querySelector('[part~="chatbot-credentials"]'), 'no credentials for the built-in bot').to.equal(null);
      const kind = $<HTMLSelectElement>(el, '#f-kind');
      kind.value = 'webhook';
      kind.dispatchEvent(new Event('change'));
      await el.updateComplete;
      await save(el, 'chatbot-save-button');
      expect(source.callsOf('updateChatbotSettings'), 'refused in the form').to.have.length(0);
      expect(describedError(el, $(el, '#f-webhookUrl'))).to.equal(settingsStrings.ruleWebhookUrlRequired);
      await fill(el, '#f-webhookUrl', 'ftp://bots.example/hook');
      expect(describedError(el, $(el, '#f-webhookUrl'))).to.equal(settingsStrings.ruleWebhookUrlFormat);
      await fill(el, '#f-webhookUrl', 'https://bots.example/hook');
      await save(el, 'chatbot-save-button');
      await settle(el, () => source.callsOf('updateChatbotSettings').length === 1, 'not saved');
      expect(source.chatbot).to.include({ kind: 'webhook', webhookUrl: 'https://bots.example/hook' });

      $<HTMLButtonElement>(el, '[part~="rotate-button"]').click();
      await settle(el, () => el.shadowRoot?.querySelector('#f-botKey') !== null, 'no credentials shown');
      expect($<HTMLInputElement>(el, '#f-webhookSecret').value).to.equal('whsec_1_secret');
      expect($<HTMLInputElement>(el, '#f-botKey').value).to.equal('bot_1_key');
      $<HTMLButtonElement>(el, '[part~="credentials-done-button"]').click();
      await el.updateComplete;
      expect(el.shadowRoot?.querySelector('#f-botKey'), 'gone once dismissed').to.equal(null);
      source.refuseNext('rotateChatbotCredentials', new FieldRefusal(null, 'Only admins can rotate the credentials.', '42501'));
      $<HTMLButtonElement>(el, '[part~="rotate-button"]').click();
      await settle(el, () => $(el, '[part~="chatbot-credentials"]').textContent?.includes('Only admins') === true, 'no refusal');
    });

    it('searches, adds, edits and deletes knowledge articles, with the table’s limits', async () => {
      const { el, source } = await mount(new FakeSettingsSource(), 'chatbot');
      expect($$(el, '[part~="article"]')).to.have.length(2);
      await fill(el, '[part~="article-search"]', 'refunds');
      await settle(el, () => $$(el, '[part~="article"]').length === 1, 'no filter');
      expect(source.callsOf('knowledgeArticles').at(-1)?.args).to.deep.equal(['refunds']);
      await fill(el, '[part~="article-search"]', '');
      await settle(el, () => $$(el, '[part~="article"]').length === 2, 'filter kept');

      $<HTMLButtonElement>(el, '[part~="new-article-button"]').click();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, '#f-language').value, 'the workspace language').to.equal('en');
      await fill(el, '#f-question', 'Do you ship abroad?');
      await fill(el, '#f-tags', Array.from({ length: 11 }, (_, i) => `tag${i}`).join(', '));
      await save(el, 'article-save-button');
      expect(source.callsOf('createKnowledgeArticle')).to.have.length(0);
      expect(describedError(el, $(el, '#f-answer'))).to.equal(settingsStrings.ruleAnswerRequired);
      expect(describedError(el, $(el, '#f-tags'))).to.equal('At most 10 tags.');
      await fill(el, '#f-answer', 'Yes, to most of Europe.');
      await fill(el, '#f-tags', ' shipping, , abroad, shipping ');
      await save(el, 'article-save-button');
      await settle(el, () => el.shadowRoot?.querySelector('[part~="article-form"]') === null, 'form still open');
      expect(source.callsOf('createKnowledgeArticle')[0]?.args[0]).to.deep.equal({
        question: 'Do you ship abroad?', answer: 'Yes, to most of Europe.', tags: ['shipping', 'abroad'], language: 'en',
      });
      expect($$(el, '[part~="article"]')).to.have.length(3);

      $<HTMLButtonElement>(el, '[data-id="a-2"] [part~="edit-button"]').click();
      await el.updateComplete;
      expect($<HTMLInputElement>(el, '#f-tags').value).to.equal('returns, refunds');
      await fill(el, '#f-answer', 'Yes, within 60 days.');
      await save(el, 'article-save-button');
      await settle(el, () => source.callsOf('updateKnowledgeArticle').length === 1 && el.shadowRoot?.querySelector('[part~="article-form"]') === null, 'not updated');
      expect(source.callsOf('updateKnowledgeArticle')[0]?.args[0]).to.equal('a-2');

      $<HTMLButtonElement>(el, '[data-id="a-1"] [part~="delete-button"]').click();
      await el.updateComplete;
      expect(source.callsOf('deleteKnowledgeArticle')).to.have.length(0);
      $<HTMLButtonElement>(el, '[data-id="a-1"] [part~="confirm-delete-button"]').click();
      await settle(el, () => el.shadowRoot?.querySelector('[data-id="a-1"]') === null, 'not deleted');
      expect(source.callsOf('deleteKnowledgeArticle')[0]?.args).to.deep.equal(['a-1']);
    });

    it('renders articles as text, never as markup', async () => {
      const source = new FakeSettingsSource();
      const markup = '<img src=x onerror="window.__pwned=1">';
      source.articles = [{ ...(source.articles[0] as KnowledgeArticle), question: markup, answer: markup }];
      const { el } = await mount(source, 'chatbot');
      expect($(el, '[part~="article"]').textContent).to.contain(markup);
      expect(el.shadowRoot?.querySelector('[part~="article"] img')).to.equal(null);
    });

    it('has no Chatbot tab when the source has no chatbot API', async () => {
      const source = Object.assign(new FakeSettingsSource(), { chatbotSettings: undefined });
      const { el } = await mount(source, 'chatbot');
      expect(el.section).to.equal('workspace');
      expect($$(el, '[role="tab"]').map((tab) => tab.id)).not.to.include('tab-chatbot');
    });
  });

  describe('embed snippet', () => {
    it('fills in the project URL and key, escaped, and copies it with a visible Copied', async () => {
      await executeServerCommand('parley-grant-clipboard');
      const { el } = await mount(new FakeSettingsSource(), 'embed');
      const snippet = $(el, '[part~="snippet"]').textContent ?? '';
      expect(snippet).to.contain(`supabase-url="${URL_}"`);
      expect(snippet).to.contain(`supabase-key="${KEY}"`);
      expect(snippet).to.contain('<script type="module"');
      el.supabaseKey = 'a"b<c';
      await el.updateComplete;
      expect($(el, '[part~="snippet"]').textContent).to.contain('supabase-key="a&quot;b&lt;c"');
      el.supabaseKey = KEY;
      await el.updateComplete;
      $(el, '[part~="copy-button"]').focus();
      await sendKeys({ press: 'Enter' });
      await settle(el, () => $(el, '[part~="copy-status"]').textContent?.trim() === settingsStrings.copied, 'no Copied');
      expect(await navigator.clipboard.readText()).to.equal($(el, '[part~="snippet"]').textContent);
    });
  });

  describe('screenshots', () => {
    // One test per picture: a loaded machine takes a while over each screenshot.
    for (const width of [1280, 390]) {
      for (const scheme of ['light', 'dark'] as const) {
        for (const section of SETTINGS_SECTIONS) {
          it(`${section} at ${width}px, ${scheme}`, async () => {
            await setViewport({ width, height: 900 });
            await emulateMedia({ colorScheme: scheme });
            document.body.style.background = scheme === 'dark' ? '#17191d' : '#ffffff';
            try {
              const { el } = await mount(new FakeSettingsSource(), section);
              if (section === 'workspace') {
                await fill(el, '#f-brandName', '');
                await leave(el, $(el, '#f-brandName'));
              }
              const base = $(el, '[part~="base"]');
              // Nothing may stick out sideways at phone width.
              expect(base.scrollWidth, `${section} overflows`).to.be.at.most(base.clientWidth + 1);
              await executeServerCommand('parley-screenshot', { name: `settings-${section}-${scheme}-${width}` });
              el.remove();
            } finally {
              document.body.style.background = '';
            }
          });
        }
      }
    }

    it('lays out right to left', async () => {
      await setViewport({ width: 390, height: 900 });
      document.documentElement.dir = 'rtl';
      const { el } = await mount();
      const tabs = $$(el, '[role="tab"]');
      expect(tabs[0]?.getBoundingClientRect().right).to.be.greaterThan(tabs[1]?.getBoundingClientRect().right ?? Infinity);
      await executeServerCommand('parley-screenshot', { name: 'settings-workspace-rtl-390' });
    });
  });
});

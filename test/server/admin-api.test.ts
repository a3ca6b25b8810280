// src/data/admin-api.ts and src/data/widget-settings.ts against the real stack: camelCase objects
// in and out, refused values as ParleyDataError naming the field, nothing stored then.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ParleyDataError, createAdminApi, type AdminApi } from '../../src/data/admin-api.ts';
import { isParleyError } from '../../src/data/errors.ts';
import { parseWidgetSettings, widgetSettings } from '../../src/data/widget-settings.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, type Person } from '../helpers/users.ts';

async function refusal(work: Promise<unknown>): Promise<ParleyDataError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof ParleyDataError, `a ParleyDataError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('admin data API', () => {
  let stack: TestStack;
  let admin: AdminApi;
  let agent: AdminApi;
  let visitor: Person;

  before(async () => {
    stack = await startTestStack();
    const [a, b] = await Promise.all([signInAgent(stack, SEED.admin), signInAgent(stack)]);
    visitor = await signInVisitor(stack);
    admin = createAdminApi(a.client);
    agent = createAdminApi(b.client);
  });
  after(() => stack.close());

  it('reads and updates the settings; the widget sees the public part', async () => {
    const current = await agent.settings();
    assert.equal(current.brandName, 'Lumen Prints', 'the seeded row');
    assert.equal(current.businessHours.weekly.mon[0]?.[1], '20:00');
    const updated = await admin.updateSettings({ brandName: 'Lumen', accentColor: '#0f766e', autoAssign: true, preChat: 'optional' });
    assert.deepEqual([updated.brandName, updated.accentColor, updated.autoAssign, updated.preChat], ['Lumen', '#0f766e', true, 'optional']);
    const widget = await widgetSettings(visitor.client);
    assert.equal(widget.brandName, 'Lumen');
    assert.equal('autoAssign' in widget, false);
    assert.equal('replyEmailAfterMinutes' in widget, false);
    const {
      autoAssign: _a, updatedAt: _u, replyEmailAfterMinutes: _r, replyEmailIntervalMinutes: _i,
      attachmentMaxBytes: _m, attachmentTypes: _t, ...visible
    } = updated;
    assert.deepEqual(widget, visible);
  });

  it('reads and updates the attachment limits, admin only, mapping a refusal to its field', async () => {
    const before = await admin.settings();
    assert.equal(before.attachmentMaxBytes, 10_000_000);
    assert.ok(before.attachmentTypes.includes('application/pdf') && !before.attachmentTypes.includes('image/svg+xml'));
    const updated = await admin.updateSettings({ attachmentMaxBytes: 2_500_000, attachmentTypes: ['image/png', 'application/pdf'] });
    assert.deepEqual([updated.attachmentMaxBytes, updated.attachmentTypes], [2_500_000, ['image/png', 'application/pdf']]);
    const big = await refusal(admin.updateSettings({ attachmentMaxBytes: 10_000_001 }));
    assert.deepEqual([big.field, big.reason], ['attachmentMaxMb', 'workspace_settings_attachment_max_bytes_range']);
    const svg = await refusal(admin.updateSettings({ attachmentTypes: ['image/svg+xml'] }));
    assert.deepEqual([svg.field, svg.reason], ['attachmentTypes', 'workspace_settings_attachment_types_known']);
    await admin.updateSettings({ attachmentMaxBytes: before.attachmentMaxBytes, attachmentTypes: before.attachmentTypes });
  });

  it('reads and updates the reply email minutes, admin only; a null wait reads as 0 (off)', async () => {
    const before = await admin.settings();
    assert.deepEqual([before.replyEmailAfterMinutes, before.replyEmailIntervalMinutes], [10, 60], 'the migration\'s defaults');
    const updated = await admin.updateSettings({ replyEmailAfterMinutes: 0, replyEmailIntervalMinutes: 10080 });
    assert.deepEqual([updated.replyEmailAfterMinutes, updated.replyEmailIntervalMinutes], [0, 10080]);
    await stack.db.query('update public.workspace_settings set reply_email_after_minutes = null');
    assert.equal((await agent.settings()).replyEmailAfterMinutes, 0);
    const after = await refusal(admin.updateSettings({ replyEmailAfterMinutes: 10081 }));
    assert.deepEqual([after.field, after.reason], ['replyEmailAfterMinutes', 'workspace_settings_reply_email_after_minutes_range']);
    const interval = await refusal(admin.updateSettings({ replyEmailIntervalMinutes: 4, brandName: 'Not stored' }));
    assert.deepEqual([interval.field, interval.message],
      ['replyEmailIntervalMinutes', 'Reply emails are at least 5 and at most 10080 minutes apart.']);
    assert.equal((await admin.settings()).brandName, before.brandName, 'nothing of a refused change is stored');
    await admin.updateSettings({ replyEmailAfterMinutes: before.replyEmailAfterMinutes, replyEmailIntervalMinutes: before.replyEmailIntervalMinutes });
  });

  it('maps refusals to fields and stores nothing', async () => {
    const before = await admin.settings();
    const color = await refusal(admin.updateSettings({ accentColor: 'RED' }));
    assert.deepEqual([color.field, color.kind, color.reason], ['accentColor', 'invalid', 'workspace_settings_accent_color_format']);
    const hours = await refusal(admin.updateSettings({
      businessHours: { ...before.businessHours, weekly: { ...before.businessHours.weekly, tue: [['12:00', '10:00']] } },
    }));
    assert.equal(hours.field, 'businessHours');
    assert.match(hours.message, /tue has a range that does not end after it starts/);
    assert.equal((await refusal(admin.updateSettings({ brandName: ' ' }))).field, 'brandName');
    const unknown = await refusal(admin.updateSettings({ nonsense: 1 } as never));
    assert.equal(unknown.field, 'nonsense');
    assert.deepEqual(await admin.settings(), before);

    const notAdmin = await agent.updateSettings({ brandName: 'Mine' }).catch((error: unknown) => error);
    assert.ok(isParleyError(notAdmin));
    assert.equal(notAdmin.kind, 'forbidden');
    assert.deepEqual(await admin.settings(), before);
  });

  it('manages the team: invitations, roles, activity, own profile', async () => {
    const invitation = await admin.invite('New.Person@Parley.test', 'agent', 'New Person');
    assert.equal(invitation.email, 'new.person@parley.test');
    assert.deepEqual((await admin.invitations()).map((i) => i.email).sort(), ['casey@parley.test', 'new.person@parley.test']);
    assert.deepEqual(await agent.invitations(), [], 'agents see no invitations');
    const twice = await refusal(admin.invite('new.person@parley.test', 'admin'));
    assert.deepEqual([twice.field, twice.reason, twice.kind], ['email', 'already_invited', 'conflict']);
    assert.equal((await refusal(admin.invite('nope', 'agent'))).field, 'email');
    assert.equal((await refusal(admin.invite('x@parley.test', 'owner' as never))).field, 'role');
    const revoked = await admin.revokeInvitation(invitation.id);
    assert.ok(revoked.revokedAt);

    const team = await admin.team();
    assert.deepEqual(team.map((m) => m.displayName), ['Jordan Blake', 'Maya Chen', 'Sam Rivera']);
    assert.ok(team.every((m) => m.active));
    const last = await admin.setRole(SEED.admin.id, 'agent').catch((error: unknown) => error);
    assert.ok(isParleyError(last));
    assert.equal(last.reason, 'last_admin');

    const off = await admin.setActive(SEED.jordan.id, false);
    assert.deepEqual([off.active, off.deactivatedAt === null], [false, false]);
    const on = await admin.setActive(SEED.jordan.id, true);
    assert.equal(on.active, true);

    const avatar = await refusal(agent.updateOwnProfile({ displayName: 'Sam', avatarUrl: 'ftp://x' }));
    assert.equal(avatar.field, 'avatarUrl');
    const me = await agent.updateOwnProfile({ displayName: 'Sam R.', avatarUrl: null });
    assert.equal(me.displayName, 'Sam R.');
  });

  it('creates, searches, edits and deletes canned replies with the table\'s limits', async () => {
    const created = await admin.createCannedReply({ shortcut: 'shipping-eu', title: 'EU shipping', body: 'Three to five days.' });
    assert.equal((await agent.cannedReplies('FIVE days')).map((r) => r.id).includes(created.id), true);
    assert.deepEqual(await agent.cannedReplies('no such text anywhere'), []);
    const duplicate = await refusal(admin.createCannedReply({ shortcut: 'shipping-eu', title: 'Again', body: 'x' }));
    assert.deepEqual([duplicate.field, duplicate.kind], ['shortcut', 'conflict']);
    assert.equal((await refusal(admin.createCannedReply({ shortcut: 'Bad', title: 'x', body: 'x' }))).field, 'shortcut');
    assert.equal((await refusal(admin.createCannedReply({ shortcut: 'ok', title: '  ', body: 'x' }))).field, 'title');
    assert.equal((await refusal(admin.updateCannedReply(created.id, { body: '' }))).field, 'body');
    const edited = await admin.updateCannedReply(created.id, { body: 'Two to four days.' });
    assert.equal(edited.body, 'Two to four days.');
    const refused = await agent.updateCannedReply(created.id, { body: 'mine' }).catch((error: unknown) => error);
    assert.ok(isParleyError(refused));
    assert.equal(refused.kind, 'not-found');
    await admin.deleteCannedReply(created.id);
    assert.equal((await agent.cannedReplies('shipping-eu')).length, 0);
  });

  it('the widget refuses a malformed settings payload', () => {
    const good = {
      brand_name: 'Lumen', greeting: 'Hi', intro: '', accent_color: '#4f46e5', show_team_avatars: true, reply_time: 'unknown',
      business_hours: { enabled: false, timezone: 'UTC', weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, holidays: [] },
      away_message: '', pre_chat: 'none', csat_enabled: false, default_language: 'en',
    };
    assert.ok(parseWidgetSettings(good));
    for (const bad of [
      { ...good, accent_color: 'red;background:url(https://evil.example)' },
      { ...good, brand_name: 42 },
      { ...good, pre_chat: 'always' },
      { ...good, business_hours: { ...good.business_hours, weekly: { mon: [] } } },
      { ...good, greeting: 'x'.repeat(121) },
      null, 'settings', [],
    ]) {
      assert.equal(parseWidgetSettings(bad), null, JSON.stringify(bad)?.slice(0, 80));
    }
  });
});

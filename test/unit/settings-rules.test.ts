// The admin forms refuse what the database refuses (issue 14's workspace_settings checks, the
// agents and canned_responses bounds of 20261124000001 and 20261206000004), under the field names
// the data layer maps database errors to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  SETTINGS_LIMITS, charLength, dayRangesError, isIsoDate, isTimeZone, timeZoneChoices, validateBusinessHours,
  validateCannedReply, validateInvite, validateProfile, validateWorkspace, type BusinessHoursInput, type TimeRange, type Weekday,
} from '../../src/data/settings-rules.ts';

function hours(overrides: Partial<BusinessHoursInput> = {}): BusinessHoursInput {
  const open: TimeRange[] = [['09:00', '17:00']];
  const weekly: Record<Weekday, readonly TimeRange[]> = { mon: open, tue: open, wed: open, thu: open, fri: open, sat: [], sun: [] };
  return { enabled: true, timezone: 'Europe/Paris', weekly, holidays: ['2026-12-25'], ...overrides };
}

describe('workspace fields', () => {
  it('accepts the defaults the migration seeds', () => {
    assert.deepEqual(validateWorkspace({
      brandName: 'Support', greeting: 'Hi there 👋', intro: '', accentColor: '#4f46e5', replyTime: 'unknown',
      awayMessage: '', preChat: 'none', defaultLanguage: 'en', businessHours: hours(),
    }), {});
  });

  it('requires a brand name and a greeting once trimmed, within 80 and 120 characters', () => {
    assert.deepEqual(Object.keys(validateWorkspace({ brandName: '   ', greeting: '' })).sort(), ['brandName', 'greeting']);
    assert.deepEqual(validateWorkspace({ brandName: 'x'.repeat(80), greeting: 'y'.repeat(120) }), {});
    assert.match(validateWorkspace({ brandName: 'x'.repeat(81) }).brandName ?? '', /80 characters \(now 81\)/);
    assert.match(validateWorkspace({ greeting: 'y'.repeat(121) }).greeting ?? '', /120/);
  });

  it('counts characters as PostgreSQL does: an emoji is one', () => {
    assert.equal(charLength('👋'), 1);
    assert.deepEqual(validateWorkspace({ greeting: '👋'.repeat(120) }), {});
    assert.ok(validateWorkspace({ greeting: '👋'.repeat(121) }).greeting);
  });

  it('bounds intro and away message to 500 and lets them be empty', () => {
    assert.deepEqual(validateWorkspace({ intro: '', awayMessage: 'z'.repeat(500) }), {});
    assert.deepEqual(Object.keys(validateWorkspace({ intro: 'z'.repeat(501), awayMessage: 'z'.repeat(501) })).sort(), ['awayMessage', 'intro']);
  });

  it('takes only lower-case #rrggbb accent colours', () => {
    for (const good of ['#000000', '#4f46e5', '#ffffff']) assert.deepEqual(validateWorkspace({ accentColor: good }), {}, good);
    for (const bad of ['#4F46E5', '4f46e5', '#fff', 'red', '#4f46e5 ', '#4f46e50']) assert.ok(validateWorkspace({ accentColor: bad }).accentColor, bad);
  });

  it('keeps reply time and pre-chat mode to their vocabularies', () => {
    assert.deepEqual(validateWorkspace({ replyTime: 'hour', preChat: 'required' }), {});
    assert.deepEqual(Object.keys(validateWorkspace({ replyTime: 'week', preChat: 'always' })).sort(), ['preChat', 'replyTime']);
  });

  it('takes BCP 47-ish language tags', () => {
    for (const good of ['en', 'fr', 'pt-BR', 'zh-Hant-TW', 'yue']) assert.deepEqual(validateWorkspace({ defaultLanguage: good }), {}, good);
    for (const bad of ['', 'EN', 'e', 'english', 'pt_BR', 'en-']) assert.ok(validateWorkspace({ defaultLanguage: bad }).defaultLanguage, bad);
  });

  it('takes reply email minutes as the table does: whole, 0..10080 after (0 off), 5..10080 apart', () => {
    assert.deepEqual(validateWorkspace({ replyEmailAfterMinutes: '0', replyEmailIntervalMinutes: '5' }), {});
    assert.deepEqual(validateWorkspace({ replyEmailAfterMinutes: ' 10080 ', replyEmailIntervalMinutes: 10080 }), {});
    for (const bad of ['10081', '-1', '1.5', '1e3', '', 'ten']) {
      assert.equal(validateWorkspace({ replyEmailAfterMinutes: bad }).replyEmailAfterMinutes, 'Enter whole minutes from 0 to 10080.', bad);
    }
    for (const bad of ['4', '0', '10081', '']) {
      assert.equal(validateWorkspace({ replyEmailIntervalMinutes: bad }).replyEmailIntervalMinutes, 'Enter whole minutes from 5 to 10080.', bad);
    }
  });

  it('takes the largest attachment in MB as the table bounds it: 0.001 to 10, decimal comma allowed', () => {
    for (const good of ['10', '0.5', '2,5', ' 1 ', '0.001']) assert.deepEqual(validateWorkspace({ attachmentMaxMb: good }), {}, good);
    for (const bad of ['10.001', '11', '0', '0.0001', '-1', '', 'ten', '1e1']) {
      assert.equal(validateWorkspace({ attachmentMaxMb: bad }).attachmentMaxMb, 'Enter a size in MB from 0.001 to 10.', bad);
    }
  });

  it('checks nothing it was not given', () => {
    assert.deepEqual(validateWorkspace({}), {});
  });
});

describe('business hours', () => {
  it('knows time zones, aliases included, and refuses made-up ones', () => {
    assert.equal(isTimeZone('UTC'), true);
    assert.equal(isTimeZone('America/New_York'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
    assert.equal(isTimeZone(''), false);
    assert.deepEqual(validateBusinessHours(hours({ timezone: 'Nowhere/City' })), { 'businessHours.timezone': 'Choose a time zone from the list.' });
  });

  it('offers UTC first and keeps a stored zone the list lacks', () => {
    const zones = timeZoneChoices('Asia/Calcutta');
    assert.equal(zones[0], 'UTC');
    assert.ok(zones.includes('Asia/Calcutta'));
    assert.equal(new Set(zones).size, zones.length);
  });

  it('takes times from 00:00 to 24:00 with the start before the end', () => {
    assert.equal(dayRangesError([['00:00', '24:00']]), null);
    assert.match(dayRangesError([['17:00', '09:00']]) ?? '', /after the start/);
    assert.match(dayRangesError([['09:00', '09:00']]) ?? '', /after the start/);
    for (const bad of ['24:01', '9:00', '25:00', '12:60', 'noon']) assert.match(dayRangesError([['08:00', bad]]) ?? '', /00:00 to 24:00/, bad);
  });

  it('allows four ranges a day that do not overlap; touching is fine', () => {
    assert.equal(dayRangesError([['13:00', '14:00'], ['08:00', '12:00'], ['12:00', '13:00'], ['20:00', '21:00']]), null);
    assert.match(dayRangesError([['08:00', '12:00'], ['11:00', '13:00']]) ?? '', /overlap/);
    assert.match(dayRangesError([['01:00', '02:00'], ['03:00', '04:00'], ['05:00', '06:00'], ['07:00', '08:00'], ['09:00', '10:00']]) ?? '', /At most 4/);
  });

  it('names the day that is wrong', () => {
    const weekly = { ...hours().weekly, wed: [['10:00', '09:00']] as TimeRange[] };
    assert.deepEqual(Object.keys(validateBusinessHours(hours({ weekly }))), ['businessHours.weekly.wed']);
  });

  it('takes up to 100 real calendar dates as holidays', () => {
    assert.equal(isIsoDate('2028-02-29'), true);
    assert.equal(isIsoDate('2027-02-29'), false);
    assert.equal(isIsoDate('2026-13-01'), false);
    assert.equal(isIsoDate('26-12-25'), false);
    assert.match(validateBusinessHours(hours({ holidays: ['2026-02-30'] }))['businessHours.holidays'] ?? '', /2026-02-30/);
    const many = Array.from({ length: 101 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    assert.deepEqual(validateBusinessHours(hours({ holidays: many.slice(0, 100) })), {});
    assert.match(validateBusinessHours(hours({ holidays: many }))['businessHours.holidays'] ?? '', /At most 100/);
  });

  it('is checked as part of the workspace', () => {
    assert.ok(validateWorkspace({ businessHours: hours({ timezone: 'x' }) })['businessHours.timezone']);
  });
});

describe('canned replies', () => {
  it('follows the table: shortcut pattern, title 1..120 trimmed, body 1..4000', () => {
    assert.deepEqual(validateCannedReply({ shortcut: 'refund-policy_2', title: 'Refunds', body: 'We refund within 14 days.' }), {});
    assert.deepEqual(validateCannedReply({ shortcut: 'a'.repeat(SETTINGS_LIMITS.shortcut), title: 't'.repeat(120), body: 'b'.repeat(4000) }), {});
    for (const bad of ['', '-refund', 'Refund', 'ref und', 'a'.repeat(33), 'réfund']) {
      assert.ok(validateCannedReply({ shortcut: bad, title: 'T', body: 'B' }).shortcut, JSON.stringify(bad));
    }
    assert.deepEqual(Object.keys(validateCannedReply({ shortcut: 'ok', title: '  ', body: '' })).sort(), ['body', 'title']);
    assert.ok(validateCannedReply({ shortcut: 'ok', title: 't'.repeat(121), body: 'B' }).title);
    assert.match(validateCannedReply({ shortcut: 'ok', title: 'T', body: 'b'.repeat(4001) }).body ?? '', /4000/);
  });
});

describe('own profile', () => {
  it('requires a display name of 1..80 once trimmed', () => {
    assert.deepEqual(validateProfile({ displayName: ' Sam ', avatarUrl: null }), {});
    assert.ok(validateProfile({ displayName: '  ', avatarUrl: null }).displayName);
    assert.ok(validateProfile({ displayName: 'n'.repeat(81), avatarUrl: null }).displayName);
  });

  it('takes an empty avatar or an http(s) address of at most 2048 characters', () => {
    assert.deepEqual(validateProfile({ displayName: 'Sam', avatarUrl: '' }), {});
    assert.deepEqual(validateProfile({ displayName: 'Sam', avatarUrl: 'https://example.com/a.png' }), {});
    assert.deepEqual(validateProfile({ displayName: 'Sam', avatarUrl: 'http://example.com/a.png' }), {});
    for (const bad of ['javascript:alert(1)', 'ftp://example.com/a.png', 'example.com/a.png', `https://e.com/${'a'.repeat(2040)}`]) {
      assert.ok(validateProfile({ displayName: 'Sam', avatarUrl: bad }).avatarUrl, bad.slice(0, 30));
    }
  });
});

describe('invitations', () => {
  it('takes an email address and agent or admin', () => {
    assert.deepEqual(validateInvite({ email: 'sam@example.com', role: 'agent' }), {});
    assert.deepEqual(validateInvite({ email: ' lee@example.org ', role: 'admin' }), {});
    assert.deepEqual(Object.keys(validateInvite({ email: 'sam', role: 'owner' })).sort(), ['email', 'role']);
    for (const bad of ['', 'sam@', '@example.com', 'sam@example', 'sam @example.com', `${'a'.repeat(250)}@e.com`]) {
      assert.ok(validateInvite({ email: bad, role: 'agent' }).email, bad.slice(0, 30));
    }
  });
});

describe('rule messages', () => {
  it('speak the messages given (the settings screen\'s language), with the limits filled in', async () => {
    const german = (await import('../../src/i18n/locales/de.console.ts')).default.settings;
    assert.equal(validateWorkspace({ brandName: '' }, german).brandName, german.ruleBrandNameRequired);
    assert.equal(validateWorkspace({ brandName: 'x'.repeat(81) }, german).brandName, 'Höchstens 80 Zeichen (jetzt 81).');
    assert.equal(dayRangesError([['17:00', '09:00']], german), '17:00–09:00: Das Ende muss nach dem Beginn liegen.');
    assert.equal(validateInvite({ email: 'x', role: 'boss' }, german).role, german.ruleRole);
  });
});

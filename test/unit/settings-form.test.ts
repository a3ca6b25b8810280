// A settings form shows an error once its field was left or a save was tried, keeps what was typed
// when the save is refused, and puts the refusal on the field the database named until that field
// (or a part of it) is edited.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCannedReply, validateWorkspace, type BusinessHoursInput } from '../../src/data/settings-rules.ts';
import { SettingsForm } from '../../src/elements/settings/settings-form.ts';

function refusal(field: string | null, message: string): Error {
  return Object.assign(new Error(message), { name: 'ParleyError', kind: 'invalid', field, reason: '23514' });
}

const reply = { shortcut: 'refund', title: 'Refunds', body: 'We refund.' };

describe('settings form', () => {
  it('shows an error once the field is left, not while it is typed', () => {
    const form = new SettingsForm(reply, validateCannedReply);
    form.edit({ title: '' });
    assert.deepEqual(form.$state.get().errors, {});
    form.blur('title');
    assert.deepEqual(Object.keys(form.$state.get().errors), ['title']);
    form.edit({ title: 'Back' });
    assert.deepEqual(form.$state.get().errors, {});
  });

  it('does not save invalid values and shows every error', async () => {
    const form = new SettingsForm({ ...reply, shortcut: 'Bad!', body: '' }, validateCannedReply);
    let saves = 0;
    assert.equal(await form.submit(async () => { saves += 1; }), false);
    assert.equal(saves, 0);
    assert.deepEqual(Object.keys(form.$state.get().errors).sort(), ['body', 'shortcut']);
  });

  it('saves once at a time and restarts from what was stored', async () => {
    const form = new SettingsForm(reply, validateCannedReply);
    let release = (): void => undefined;
    const first = form.submit(() => new Promise<string>((resolve) => (release = () => resolve('stored'))),
      () => ({ ...reply, title: 'Stored title' }));
    assert.equal(form.$state.get().status, 'saving');
    assert.equal(await form.submit(async () => 'second'), false);
    release();
    assert.equal(await first, true);
    assert.equal(form.$state.get().status, 'saved');
    assert.equal(form.values.title, 'Stored title');
  });

  it('keeps typed values on a refusal and shows it on the field named, until that field changes', async () => {
    const form = new SettingsForm(reply, validateCannedReply);
    form.edit({ shortcut: 'taken', body: 'Typed body' });
    assert.equal(await form.submit(async () => { throw refusal('shortcut', 'That shortcut is taken.'); }), false);
    const state = form.$state.get();
    assert.equal(state.status, 'refused');
    assert.equal(state.values.body, 'Typed body');
    assert.deepEqual(state.errors, { shortcut: 'That shortcut is taken.' });
    assert.equal(state.message, null);
    form.edit({ body: 'Other body' });
    assert.deepEqual(form.$state.get().errors, { shortcut: 'That shortcut is taken.' });
    form.edit({ shortcut: 'free' });
    assert.deepEqual(form.$state.get().errors, {});
  });

  it('puts a refusal naming no known field on the form', async () => {
    const form = new SettingsForm(reply, validateCannedReply);
    await form.submit(async () => { throw refusal('nonsense', 'Refused.'); });
    assert.equal(form.$state.get().message, 'Refused.');
    await form.submit(async () => { throw new Error('boom'); });
    assert.equal(form.$state.get().message, 'boom');
    await form.submit(async () => { throw 'not an error'; });
    assert.match(form.$state.get().message ?? '', /Something went wrong/);
  });

  it('clears a refusal of a whole group when a part of it is edited', async () => {
    const businessHours: BusinessHoursInput = {
      enabled: true, timezone: 'UTC', weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] }, holidays: [],
    };
    const form = new SettingsForm({ businessHours }, validateWorkspace);
    await form.submit(async () => { throw refusal('businessHours', 'Business hours are not valid.'); });
    assert.deepEqual(form.$state.get().errors, { businessHours: 'Business hours are not valid.' });
    form.edit({ businessHours: { ...businessHours, weekly: { ...businessHours.weekly, mon: [['09:00', '12:00']] } } }, ['businessHours.weekly.mon']);
    assert.deepEqual(form.$state.get().errors, {});
  });
});

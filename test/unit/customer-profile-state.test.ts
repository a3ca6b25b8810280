// The console's side panel store: loads when the customer or the conversation's version changes,
// drops answers for a customer no longer shown, and saves agents' edits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCustomerProfileState } from '../../src/state/customer-profile.ts';
import type { CustomerProfile } from '../../src/data/customer-profile.ts';
import { ParleyError } from '../../src/data/errors.ts';

const profile = (userId: string, name: string): CustomerProfile => ({
  userId, name, email: null, nameSource: 'visitor', emailSource: null, attributes: {}, metadata: {},
  createdAt: '2026-12-01T00:00:00Z', lastSeenAt: null, visits: [],
});

function fakeApi() {
  const pending: { id: string; resolve: (p: CustomerProfile | null) => void; reject: (e: unknown) => void }[] = [];
  const updates: { id: string; name: string; email: string }[] = [];
  let refuse: ParleyError | null = null;
  return {
    pending, updates,
    refuseNext(error: ParleyError) { refuse = error; },
    api: {
      customerProfile: (id: string) => new Promise<CustomerProfile | null>((resolve, reject) => { pending.push({ id, resolve, reject }); }),
      updateCustomer: async (id: string, values: { readonly name: string; readonly email: string }) => {
        if (refuse) { const e = refuse; refuse = null; throw e; }
        updates.push({ id, ...values });
      },
    },
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('customer profile state', () => {
  it('loads once per customer and version, and drops a late answer for a customer no longer shown', async () => {
    const fake = fakeApi();
    const state = createCustomerProfileState(fake.api);
    state.follow('a', 1);
    state.follow('a', 1);
    assert.equal(fake.pending.length, 1, 'same customer and version: no second load');
    assert.equal(state.$profile.get().loading, true);
    state.follow('b', 1);
    fake.pending[0]?.resolve(profile('a', 'Ada'));
    fake.pending[1]?.resolve(profile('b', 'Bo'));
    await flush();
    assert.equal(state.$profile.get().customerId, 'b');
    assert.equal(state.$profile.get().profile?.name, 'Bo');
    state.follow('b', 2);
    assert.equal(fake.pending.length, 3, 'the conversation moved: reloaded');
    assert.equal(state.$profile.get().profile?.name, 'Bo', 'the profile stays shown while it reloads');
    fake.pending[2]?.reject(new ParleyError({ kind: 'network', message: 'Offline', reason: 'network', status: 0 }));
    await flush();
    assert.equal(state.$profile.get().error, 'Offline');
    state.follow(null, 0);
    assert.equal(state.$profile.get().customerId, null);
  });

  it('reloads the shown profile quietly: an unchanged answer changes nothing, a changed one shows', async () => {
    const fake = fakeApi();
    const state = createCustomerProfileState(fake.api);
    state.follow('a', 1);
    fake.pending[0]?.resolve(profile('a', 'Ada'));
    await flush();
    let changes = 0;
    const unlisten = state.$profile.listen(() => { changes += 1; });
    state.follow('a', 2);
    assert.equal(fake.pending.length, 2, 'the conversation moved: reloaded');
    assert.equal(state.$profile.get().loading, false, 'a reload of the shown profile is not a loading state');
    fake.pending[1]?.resolve(profile('a', 'Ada'));
    await flush();
    assert.equal(changes, 0, 'the same profile again: no change to render');
    state.follow('a', 3);
    fake.pending[2]?.resolve(profile('a', 'Ada Lovelace'));
    await flush();
    assert.equal(changes, 1);
    assert.equal(state.$profile.get().profile?.name, 'Ada Lovelace');
    unlisten();
  });

  it('saves an edit and reloads; a refusal says why', async () => {
    const fake = fakeApi();
    const state = createCustomerProfileState(fake.api);
    state.follow('a', 1);
    fake.pending[0]?.resolve(profile('a', 'Ada'));
    await flush();
    const saving = state.save('a', { name: 'Ada L', email: 'ada@x.test' });
    assert.equal(state.$profile.get().saving, true);
    await flush();
    fake.pending[1]?.resolve(profile('a', 'Ada L'));
    assert.equal(await saving, true);
    assert.deepEqual(fake.updates, [{ id: 'a', name: 'Ada L', email: 'ada@x.test' }]);
    assert.equal(state.$profile.get().profile?.name, 'Ada L');
    fake.refuseNext(new ParleyError({ kind: 'invalid', message: 'Email address is not valid', reason: 'email_invalid', status: 400 }));
    assert.equal(await state.save('a', { name: 'Ada', email: 'nope' }), false);
    assert.equal(state.$profile.get().saveError, 'Email address is not valid');
  });
});

// Issue 14's database, through the real API: who reads and writes the workspace settings, the
// invitations, the team and the canned replies (visitor, agent, admin, anon, deactivated agent);
// bad input refused with a clear error and nothing changed; the last-admin rule; invitations
// accepted by a real sign-up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, type Person } from '../helpers/users.ts';
import { inviteAndSignUp, teamSnapshot, type Invited } from './workspace-helpers.ts';

const WIDGET_KEYS = [
  'accent_color', 'attachment_max_bytes', 'attachment_types', 'away_message', 'brand_name', 'business_hours', 'chatbot_name', 'csat_enabled', 'csat_scale',
  'default_language', 'greeting', 'intro', 'pre_chat', 'reply_time', 'show_team_avatars', 'team',
];

describe('workspace administration (RLS matrix)', () => {
  let stack: TestStack;
  let admin: Person;
  let agent: Person;
  let visitor: Person;
  let deactivated: Invited;

  before(async () => {
    stack = await startTestStack();
    [admin, agent, visitor] = await Promise.all([signInAgent(stack, SEED.admin), signInAgent(stack), signInVisitor(stack)]);
    deactivated = await inviteAndSignUp(stack, admin, 'agent', 'Gone Soon');
    const { error } = await admin.client.rpc('set_agent_active', { p_agent_id: deactivated.id, p_active: false });
    assert.equal(error, null, error?.message);
  });
  after(() => stack.close());

  describe('workspace_settings', () => {
    it('agents and admins read the row; visitors, deactivated agents and anon read nothing', async () => {
      for (const who of [admin, agent]) {
        const { data, error } = await who.client.from('workspace_settings').select('*');
        assert.equal(error, null);
        assert.equal(data?.length, 1);
        assert.equal(data?.[0].brand_name, 'Lumen Prints', 'the seeded row');
        assert.equal(data?.[0].auto_assign, false);
      }
      for (const who of [visitor, deactivated]) {
        const { data, error } = await who.client.from('workspace_settings').select('*');
        assert.equal(error, null);
        assert.deepEqual(data, [], 'RLS hides the row');
      }
      const anon = await stack.client().from('workspace_settings').select('*');
      assert.equal(anon.status, 401);
      assert.equal(anon.error?.code, '42501');
    });

    it('only an admin updates it; who and when are stamped by the database', async () => {
      const before = await teamSnapshot(stack);
      for (const who of [agent, visitor, deactivated]) {
        const { data, error } = await who.client.from('workspace_settings').update({ brand_name: 'Hijacked' }).eq('id', true).select();
        assert.equal(error, null);
        assert.deepEqual(data, [], 'no row matched under RLS');
      }
      const anon = await stack.client().from('workspace_settings').update({ brand_name: 'Hijacked' }).eq('id', true);
      assert.equal(anon.error?.code, '42501');
      for (const who of [admin, agent, visitor]) {
        const inserted = await who.client.from('workspace_settings').insert({ id: false });
        assert.equal(inserted.error?.code, '42501', 'nobody inserts a second row');
        const deleted = await who.client.from('workspace_settings').delete().eq('id', true);
        assert.equal(deleted.error?.code, '42501', 'nobody deletes the row');
      }
      assert.deepEqual(await teamSnapshot(stack), before);

      const { data, error } = await admin.client.from('workspace_settings')
        .update({ brand_name: 'Lumen', updated_by: agent.id, updated_at: '2000-01-01T00:00:00Z' }).eq('id', true).select().single();
      assert.equal(error, null, error?.message);
      assert.equal(data.brand_name, 'Lumen');
      assert.equal(data.updated_by, admin.id, 'updated_by is the caller, whatever the client sent');
      assert.notEqual(new Date(data.updated_at).getUTCFullYear(), 2000);
    });

    it('refuses bad values with the constraint naming the field, and changes nothing', async () => {
      const bad: [Record<string, unknown>, string, RegExp?][] = [
        [{ brand_name: '   ' }, 'workspace_settings_brand_name_length'],
        [{ brand_name: 'x'.repeat(81) }, 'workspace_settings_brand_name_length'],
        [{ greeting: '' }, 'workspace_settings_greeting_length'],
        [{ intro: 'x'.repeat(501) }, 'workspace_settings_intro_length'],
        [{ accent_color: '#ABCDEF' }, 'workspace_settings_accent_color_format'],
        [{ accent_color: 'red' }, 'workspace_settings_accent_color_format'],
        [{ reply_time: 'week' }, 'workspace_settings_reply_time_known'],
        [{ away_message: 'x'.repeat(501) }, 'workspace_settings_away_message_length'],
        [{ pre_chat: 'sometimes' }, 'workspace_settings_pre_chat_known'],
        [{ default_language: 'English' }, 'workspace_settings_default_language_format'],
      ];
      const hours = (change: Record<string, unknown>): Record<string, unknown> => ({
        business_hours: {
          enabled: true, timezone: 'Europe/Paris', holidays: [],
          weekly: { mon: [['09:00', '17:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
          ...change,
        },
      });
      const week = (mon: unknown): Record<string, unknown> => ({ mon, tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });
      const badHours: [Record<string, unknown>, RegExp][] = [
        [hours({ timezone: 'Mars/Olympus' }), /not a known time zone/],
        [hours({ weekly: week([['17:00', '09:00']]) }), /mon has a range that does not end after it starts/],
        [hours({ weekly: week([['09:00', '12:00'], ['11:00', '13:00']]) }), /overlapping/],
        [hours({ weekly: week([['09:00', '24:01']]) }), /HH:MM/],
        [hours({ weekly: week([['1:00', '2:00'], ['3:00', '4:00'], ['05:00', '06:00'], ['07:00', '08:00'], ['09:00', '10:00']]) }), /more than 4 ranges/],
        [hours({ weekly: { mon: [] } }), /weekly must list/],
        [hours({ holidays: ['2026-02-30'] }), /not a calendar date/],
        [hours({ holidays: Array.from({ length: 101 }, () => '2026-12-25') }), /more than 100 holidays/],
        [hours({ enabled: 'yes' }), /enabled must be true or false/],
        [hours({ extra: 1 }), /unknown key/],
      ];
      const before = await teamSnapshot(stack);
      for (const [change, constraint] of bad) {
        const { error, status } = await admin.client.from('workspace_settings').update(change).eq('id', true);
        assert.equal(status, 400, JSON.stringify(change));
        assert.equal(error?.code, '23514');
        assert.match(error?.message ?? '', new RegExp(`"${constraint}"`), JSON.stringify(change));
      }
      for (const [change, problem] of badHours) {
        const { error } = await admin.client.from('workspace_settings').update(change).eq('id', true);
        assert.equal(error?.code, '23514');
        assert.match(error?.message ?? '', /"workspace_settings_business_hours_valid"/);
        assert.match(error?.message ?? '', problem, JSON.stringify(change).slice(0, 200));
      }
      assert.deepEqual(await teamSnapshot(stack), before, 'nothing changed');

      const good = hours({ weekly: week([['00:00', '12:00'], ['12:00', '24:00']]), holidays: ['2026-12-25'] });
      const { error } = await admin.client.from('workspace_settings').update(good).eq('id', true);
      assert.equal(error, null, error?.message);
    });

    it('widget_settings() gives a signed-in visitor exactly the public fields; anon may not call it', async () => {
      for (const who of [visitor, agent, deactivated]) {
        const { data, error } = await who.client.rpc('widget_settings');
        assert.equal(error, null, error?.message);
        assert.deepEqual(Object.keys(data as object).sort(), WIDGET_KEYS);
      }
      const anon = await stack.client().rpc('widget_settings');
      assert.ok(anon.error, 'anon is refused');
      assert.ok(anon.status === 401 || anon.status === 404, `anon status ${anon.status}`);
    });
  });

  describe('invitations and the team', () => {
    it('only admins invite, list and revoke invitations', async () => {
      const before = await teamSnapshot(stack);
      for (const who of [agent, visitor, deactivated]) {
        const invite = await who.client.rpc('invite_agent', { p_email: 'someone@parley.test', p_role: 'admin' });
        assert.equal(invite.status, 403);
        assert.equal(invite.error?.details, 'admin_required');
        const list = await who.client.from('agent_invitations').select('*');
        assert.deepEqual(list.data, [], 'RLS hides invitations');
        const direct = await who.client.from('agent_invitations').insert({ email: 'someone@parley.test' });
        assert.equal(direct.error?.code, '42501');
      }
      const anon = await stack.client().rpc('invite_agent', { p_email: 'someone@parley.test', p_role: 'admin' });
      assert.ok(anon.status === 401 || anon.status === 404);
      const direct = await admin.client.from('agent_invitations').insert({ email: 'someone@parley.test' });
      assert.equal(direct.error?.code, '42501', 'even admins write invitations only through the RPCs');
      assert.deepEqual(await teamSnapshot(stack), before);

      const { data, error } = await admin.client.rpc('invite_agent', { p_email: '  Pat@Parley.TEST ', p_role: 'admin' });
      assert.equal(error, null, error?.message);
      assert.equal(data.email, 'pat@parley.test');
      const listed = await admin.client.from('agent_invitations').select('email, role').eq('id', data.id);
      assert.deepEqual(listed.data, [{ email: 'pat@parley.test', role: 'admin' }]);

      const refusedRevoke = await agent.client.rpc('revoke_invitation', { p_id: data.id });
      assert.equal(refusedRevoke.error?.details, 'admin_required');
      const revoked = await admin.client.rpc('revoke_invitation', { p_id: data.id });
      assert.equal(revoked.error, null);
      assert.ok(revoked.data.revoked_at);
      const missing = await admin.client.rpc('revoke_invitation', { p_id: crypto.randomUUID() });
      assert.equal(missing.error?.details, 'invitation_not_found');
    });

    it('refuses bad invitations clearly and changes nothing', async () => {
      const before = await teamSnapshot(stack);
      const cases: [Record<string, unknown>, string][] = [
        [{ p_email: 'not an email', p_role: 'agent' }, 'email_invalid'],
        [{ p_email: `${'x'.repeat(250)}@parley.test`, p_role: 'agent' }, 'email_invalid'],
        [{ p_email: 'ok@parley.test', p_role: 'owner' }, 'role_invalid'],
        [{ p_email: 'ok@parley.test', p_role: 'agent', p_display_name: 'x'.repeat(81) }, 'display_name_invalid'],
        [{ p_email: SEED.agent.email, p_role: 'agent' }, 'already_agent'],
        [{ p_email: deactivated.email.toUpperCase(), p_role: 'agent' }, 'already_agent'],
        [{ p_email: 'casey@parley.test', p_role: 'admin' }, 'already_invited'],
      ];
      for (const [args, reason] of cases) {
        const { error, status } = await admin.client.rpc('invite_agent', args);
        assert.equal(error?.details, reason, JSON.stringify(args));
        assert.ok(status === 400 || status === 409, `${reason}: ${status}`);
        assert.ok(error?.message, 'a message a person can read');
      }
      assert.deepEqual(await teamSnapshot(stack), before);
    });

    it('an invitation is accepted by signing up with that address: an agent with the invited role', async () => {
      const pending = await admin.client.from('agent_invitations').select('id').eq('email', 'casey@parley.test').single();
      assert.equal(pending.error, null, 'the seed invites casey@parley.test');
      const casey = stack.client();
      const { data, error } = await casey.auth.signUp({ email: 'Casey@parley.test', password: 'parley-agent' });
      assert.equal(error, null, error?.message);
      const { rows } = await stack.db.query('select display_name, role, active from public.agents where user_id = $1', [data.user?.id]);
      assert.deepEqual(rows, [{ display_name: 'Casey Park', role: 'agent', active: true }]);
      const accepted = await admin.client.from('agent_invitations').select('accepted_at, accepted_by').eq('id', pending.data?.id).single();
      assert.equal(accepted.data?.accepted_by, data.user?.id);
      // At once an agent: the team reads conversations over REST.
      const conversations = await casey.from('conversations').select('id').limit(1);
      assert.equal(conversations.data?.length, 1);
      const again = await admin.client.rpc('revoke_invitation', { p_id: pending.data?.id });
      assert.equal(again.error?.details, 'invitation_accepted');

      const newAdmin = await inviteAndSignUp(stack, admin, 'admin');
      assert.equal((await stack.db.query('select role from public.agents where user_id = $1', [newAdmin.id])).rows[0]?.role, 'admin');
    });

    it('a revoked invitation makes nobody an agent; an existing account becomes an agent on its next sign-in', async () => {
      const email = `late-${crypto.randomUUID().slice(0, 8)}@parley.test`;
      const invited = await admin.client.rpc('invite_agent', { p_email: email, p_role: 'agent' });
      await admin.client.rpc('revoke_invitation', { p_id: invited.data.id });
      const person = stack.client();
      const signedUp = await person.auth.signUp({ email, password: 'parley-agent' });
      assert.equal(signedUp.error, null);
      assert.equal((await stack.db.query('select 1 from public.agents where user_id = $1', [signedUp.data.user?.id])).rowCount, 0);

      // Invited again after the account exists: their next sign-in accepts it.
      const second = await admin.client.rpc('invite_agent', { p_email: email, p_role: 'agent' });
      assert.equal(second.error, null, second.error?.message);
      const signedIn = await stack.client().auth.signInWithPassword({ email, password: 'parley-agent' });
      assert.equal(signedIn.error, null);
      assert.equal((await stack.db.query('select role from public.agents where user_id = $1', [signedUp.data.user?.id])).rows[0]?.role, 'agent');
    });

    it('roles and activity change only through the admin RPCs; the last active admin stays', async () => {
      const before = await teamSnapshot(stack);
      for (const who of [agent, visitor, deactivated]) {
        assert.equal((await who.client.rpc('set_agent_role', { p_agent_id: who.id, p_role: 'admin' })).error?.details, 'admin_required');
        assert.equal((await who.client.rpc('set_agent_active', { p_agent_id: SEED.admin.id, p_active: false })).error?.details, 'admin_required');
      }
      for (const write of [
        admin.client.from('agents').update({ role: 'agent' }).eq('user_id', SEED.agent.id),
        admin.client.from('agents').delete().eq('user_id', SEED.agent.id),
        admin.client.from('agents').insert({ user_id: visitor.id, display_name: 'Sneaky' }),
        agent.client.from('agents').update({ role: 'admin' }).eq('user_id', agent.id),
      ]) {
        assert.equal((await write).error?.code, '42501', 'no direct writes to agents');
      }
      assert.equal((await admin.client.rpc('set_agent_role', { p_agent_id: SEED.agent.id, p_role: 'owner' })).error?.details, 'role_invalid');
      assert.equal((await admin.client.rpc('set_agent_role', { p_agent_id: visitor.id, p_role: 'admin' })).error?.details, 'agent_not_found');
      assert.equal((await admin.client.rpc('set_agent_active', { p_agent_id: SEED.agent.id, p_active: null })).error?.details, 'active_invalid');
      assert.deepEqual(await teamSnapshot(stack), before);

      // Make the seeded admin the only active admin, then try to remove them.
      await stack.db.query(`update public.agents set role = 'agent' where role = 'admin' and user_id <> $1`, [SEED.admin.id]);
      const snapshot = await teamSnapshot(stack);
      const demote = await admin.client.rpc('set_agent_role', { p_agent_id: SEED.admin.id, p_role: 'agent' });
      assert.equal(demote.status, 409);
      assert.equal(demote.error?.details, 'last_admin');
      const leave = await admin.client.rpc('set_agent_active', { p_agent_id: SEED.admin.id, p_active: false });
      assert.equal(leave.error?.details, 'last_admin');
      assert.deepEqual(await teamSnapshot(stack), snapshot, 'the last admin is still an active admin');

      // With a second admin, the first may step down.
      const promoted = await admin.client.rpc('set_agent_role', { p_agent_id: SEED.jordan.id, p_role: 'admin' });
      assert.equal(promoted.error, null, promoted.error?.message);
      assert.equal(promoted.data.role, 'admin');
      const jordan = await signInAgent(stack, SEED.jordan);
      const down = await jordan.client.rpc('set_agent_role', { p_agent_id: SEED.admin.id, p_role: 'agent' });
      assert.equal(down.error, null);
      assert.equal((await jordan.client.rpc('set_agent_active', { p_agent_id: jordan.id, p_active: false })).error?.details, 'last_admin');
      const back = await jordan.client.rpc('set_agent_role', { p_agent_id: SEED.admin.id, p_role: 'admin' });
      assert.equal(back.error, null);
    });

    it('an agent edits their own profile, with the table\'s limits; others cannot', async () => {
      const before = await teamSnapshot(stack);
      const bad: [Record<string, unknown>, string][] = [
        [{ p_display_name: '  ', p_avatar_url: null }, 'display_name_invalid'],
        [{ p_display_name: 'x'.repeat(81), p_avatar_url: null }, 'display_name_invalid'],
        [{ p_display_name: 'Sam', p_avatar_url: 'javascript:alert(1)' }, 'avatar_url_invalid'],
        [{ p_display_name: 'Sam', p_avatar_url: `https://example.com/${'a'.repeat(2048)}` }, 'avatar_url_invalid'],
      ];
      for (const [args, reason] of bad) {
        const { error, status } = await agent.client.rpc('update_own_profile', args);
        assert.equal(status, 400);
        assert.equal(error?.details, reason);
      }
      for (const who of [visitor, deactivated]) {
        assert.equal((await who.client.rpc('update_own_profile', { p_display_name: 'Me' })).error?.details, 'not_agent');
      }
      assert.deepEqual(await teamSnapshot(stack), before);
      const { data, error } = await agent.client.rpc('update_own_profile', { p_display_name: ' Sam R. ', p_avatar_url: 'https://example.com/sam.png' });
      assert.equal(error, null, error?.message);
      assert.deepEqual([data.display_name, data.avatar_url, data.role], ['Sam R.', 'https://example.com/sam.png', 'agent']);
    });
  });

  describe('deactivated agents and canned replies', () => {
    it('a deactivated agent reads no conversation, message, customer, team or canned reply, and runs no agent RPC', async () => {
      for (const table of ['conversations', 'messages', 'customers', 'canned_responses', 'agent_invitations']) {
        const { data, error } = await deactivated.client.from(table).select('*');
        assert.equal(error, null);
        assert.deepEqual(data, [], table);
      }
      // Of the team, only their own row: how their console learns it was deactivated.
      const team = await deactivated.client.from('agents').select('user_id, active');
      assert.deepEqual(team.data, [{ user_id: deactivated.id, active: false }]);
      const heartbeat = await deactivated.client.rpc('console_heartbeat', { p_session: crypto.randomUUID(), p_idle_seconds: 0, p_away_after: 600 });
      assert.equal(heartbeat.error?.details, 'not_agent');
      const assign = await deactivated.client.rpc('assign_conversation', { p_conversation_id: SEED.customer.conversations[0], p_agent_id: deactivated.id });
      assert.equal(assign.error?.details, 'conversation_not_found');
      // Nobody assigns a conversation to them either.
      const toThem = await admin.client.rpc('assign_conversation', { p_conversation_id: SEED.customer.conversations[0], p_agent_id: deactivated.id });
      assert.equal(toThem.error?.details, 'agent_unknown');
      // Their name stays for visitors' past messages.
      const profiles = await visitor.client.rpc('team_profiles');
      assert.ok((profiles.data as { user_id: string }[]).some((p) => p.user_id === deactivated.id));
    });

    it('canned replies: agents read, admins write with the table\'s limits; visitors, deactivated agents and anon neither', async () => {
      const before = await teamSnapshot(stack);
      for (const who of [visitor, deactivated]) {
        assert.deepEqual((await who.client.from('canned_responses').select('*')).data, []);
      }
      for (const who of [agent, visitor, deactivated]) {
        const inserted = await who.client.from('canned_responses').insert({ shortcut: 'evil', title: 'x', body: 'x' });
        assert.ok(inserted.error, 'insert refused');
        const updated = await who.client.from('canned_responses').update({ body: 'evil' }).neq('shortcut', '').select();
        assert.ok(updated.error || updated.data?.length === 0, 'update refused or matched nothing');
      }
      for (const row of [
        { shortcut: 'Bad Shortcut', title: 'x', body: 'x' },
        { shortcut: 'ok', title: ' ', body: 'x' },
        { shortcut: 'ok', title: 'x', body: '' },
        { shortcut: 'ok', title: 'x', body: 'x'.repeat(4001) },
      ]) {
        const { error } = await admin.client.from('canned_responses').insert(row);
        assert.equal(error?.code, '23514', JSON.stringify(row).slice(0, 80));
      }
      assert.deepEqual(await teamSnapshot(stack), before);
      const created = await admin.client.from('canned_responses').insert({ shortcut: 'hours', title: 'Hours', body: 'We are open 9–5.' }).select().single();
      assert.equal(created.error, null);
      const seen = await agent.client.from('canned_responses').select('shortcut').eq('id', created.data.id);
      assert.deepEqual(seen.data, [{ shortcut: 'hours' }]);
      const removed = await admin.client.from('canned_responses').delete().eq('id', created.data.id).select();
      assert.equal(removed.data?.length, 1);
    });
  });
});

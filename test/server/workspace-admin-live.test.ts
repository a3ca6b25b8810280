// Issue 14's live behaviour over the real Realtime server and supabase-js: a settings change reaching
// an open visitor's channel, a deactivated agent cut off an open channel, canned replies streaming to
// agents, and 50 concurrent starts auto-assigned round-robin without double assignment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { subscribe, subscribeToChanges } from '../helpers/realtime.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';
import { inviteAndSignUp } from './workspace-helpers.ts';

describe('workspace administration, live', () => {
  let stack: TestStack;
  let admin: Person;
  let agent: Person;
  let jordan: Person;

  before(async () => {
    stack = await startTestStack();
    [admin, agent, jordan] = await Promise.all([
      signInAgent(stack, SEED.admin), signInAgent(stack), signInAgent(stack, SEED.jordan),
    ]);
  });
  after(() => stack.close());

  async function updateSettings(changes: Record<string, unknown>): Promise<void> {
    const { error } = await admin.client.from('workspace_settings').update(changes).eq('id', true);
    assert.equal(error, null, error?.message);
  }

  it('a settings change reaches an open visitor\'s public parley:settings channel, public fields only', async () => {
    const visitor = await signInVisitor(stack);
    const received: Record<string, unknown>[] = [];
    const channel = visitor.client.channel('parley:settings')
      .on('broadcast', { event: 'settings' }, ({ payload }) => received.push(payload as Record<string, unknown>));
    await subscribe(channel);

    // auto_assign is not a visitor's business: changing only it sends nothing, so the first
    // broadcast to arrive is the accent colour's.
    await updateSettings({ auto_assign: true });
    await updateSettings({ accent_color: '#0f766e', brand_name: 'Lumen' });
    await waitFor(() => received.length >= 1, 'the settings broadcast');
    const first = received[0] ?? {};
    assert.equal(first.accent_color, '#0f766e');
    assert.equal(first.brand_name, 'Lumen');
    assert.equal('auto_assign' in first, false);
    assert.equal('updated_by' in first, false);
    const { data } = await visitor.client.rpc('widget_settings');
    const { id: _id, ...sent } = first;
    // Who is online comes with the first read and then as its own 'team' event, not with each change.
    const { team: _team, ...settings } = data as Record<string, unknown>;
    assert.deepEqual(sent, settings, 'the broadcast carries what widget_settings() returns, but the team');
    await updateSettings({ auto_assign: false });
    await visitor.client.removeChannel(channel);
  });

  it('the online team is one definition: widget_settings(), the team broadcast and team_online() agree', async () => {
    const visitor = await signInVisitor(stack);
    const teams: unknown[] = [];
    const channel = visitor.client.channel('parley:settings')
      .on('broadcast', { event: 'team' }, ({ payload }) => teams.push(payload));
    await subscribe(channel);
    const session = crypto.randomUUID();
    const beat = await jordan.client.rpc('console_heartbeat', { p_session: session, p_idle_seconds: 0, p_away_after: 600 });
    assert.equal(beat.error, null, beat.error?.message);
    await waitFor(() => teams.some((team) => JSON.stringify(team).includes(SEED.jordan.id)), 'the team event naming Jordan');

    const online = await visitor.client.rpc('team_online');
    const settings = await visitor.client.rpc('widget_settings');
    const { id: _id, ...sent } = teams.at(-1) as Record<string, unknown>;
    assert.deepEqual(sent, online.data, 'the broadcast is team_online()\'s object');
    assert.deepEqual((settings.data as { team?: unknown }).team, online.data, 'widget_settings().team is team_online()\'s object');
    const agents = (online.data as { agents: Record<string, unknown>[] }).agents;
    assert.deepEqual(agents.map((agent) => Object.keys(agent).sort()), agents.map(() => ['avatar_url', 'display_name', 'id']),
      'public profile fields only');
    // No second body to drift from the first (20261231000201_online_team_once.sql dropped the copy).
    const { rows } = await stack.db.query(`select 1 from pg_proc where proname = 'online_team'`);
    assert.equal(rows.length, 0);

    const left = await jordan.client.rpc('console_leave', { p_session: session });
    assert.equal(left.error, null, left.error?.message);
    await visitor.client.removeChannel(channel);
  });

  it('a deactivated agent reads nothing over REST at once and gets no further changes on an open channel', async () => {
    const doomed = await inviteAndSignUp(stack, admin, 'agent', 'Doomed Agent');
    const visitor = await signInVisitor(stack);
    const conversation = await startConversation(visitor);

    const seen = (who: Person) => {
      const contents: string[] = [];
      const channel = who.client.channel(`messages-${crypto.randomUUID()}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${conversation.id}` },
          ({ new: row }) => contents.push(String((row as { content?: unknown }).content)));
      return { contents, channel };
    };
    const doomedView = seen(doomed);
    // Their own agent row streams to them, so an open console hears the deactivation at once.
    const ownRow: { active?: unknown; role?: unknown }[] = [];
    doomedView.channel.on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'agents', filter: `user_id=eq.${doomed.id}` },
      ({ new: row }) => ownRow.push(row as { active?: unknown; role?: unknown }));
    const control = seen(agent);
    const markers: unknown[] = [];
    doomedView.channel.on('broadcast', { event: 'settings' }, ({ payload }) => markers.push(payload));
    await Promise.all([subscribe(doomedView.channel), subscribe(control.channel)]);
    // The marker rides the same socket on a public topic the deactivation does not touch.
    const marker = doomed.client.channel('parley:settings').on('broadcast', { event: 'settings' }, ({ payload }) => markers.push(payload));
    await subscribe(marker);

    await send(visitor, conversation.id, 'before');
    await waitFor(() => doomedView.contents.includes('before') && control.contents.includes('before'), 'both agents see the first message');

    const { error } = await admin.client.rpc('set_agent_active', { p_agent_id: doomed.id, p_active: false });
    assert.equal(error, null, error?.message);
    const rest = await doomed.client.from('conversations').select('id').eq('id', conversation.id);
    assert.deepEqual(rest.data, [], 'no conversation over REST at once');

    await waitFor(() => ownRow.some((row) => row.active === false), 'the agent hears their own deactivation');

    await send(visitor, conversation.id, 'after');
    await updateSettings({ intro: `marker ${crypto.randomUUID()}` });
    await waitFor(() => control.contents.includes('after') && markers.length > 0, 'the control agent\'s copy and the marker');
    assert.deepEqual(doomedView.contents, ['before'], 'the deactivated agent got nothing after deactivation');

    // Names stay on past messages and in the team's public profiles.
    const profiles = await visitor.client.rpc('team_profiles');
    assert.ok((profiles.data as { user_id: string; display_name: string }[]).some((p) => p.display_name === 'Doomed Agent'));
  });

  it('canned replies reach agents live (the composer\'s picker)', async () => {
    const events: string[] = [];
    const channel = agent.client.channel(`canned-${crypto.randomUUID()}`)
      .on('postgres_changes', { event: '*', schema: 'public', table: 'canned_responses' }, (change) => {
        events.push(`${change.eventType}:${String((change.new as { shortcut?: unknown }).shortcut ?? '')}`);
      });
    await subscribeToChanges(channel);
    // Generous on a loaded machine; what arrived is in the message when it fails.
    const arrived = (count: number, what: string): Promise<void> => waitFor(() => events.length >= count, what, 15_000)
      .catch((error: unknown) => { throw new Error(`${String(error)}; got ${JSON.stringify(events)}`); });
    const created = await admin.client.from('canned_responses').insert({ shortcut: 'live', title: 'Live', body: 'Hello' }).select().single();
    assert.equal(created.error, null);
    await arrived(1, 'the insert');
    // Each change is awaited before the next: as on hosted Realtime, an update's visibility is
    // checked against the row as it is when the check runs, so a delete that lands first hides it.
    const updated = await admin.client.from('canned_responses').update({ body: 'Hello again' }).eq('id', created.data.id);
    assert.equal(updated.error, null);
    await arrived(2, 'the update');
    const deleted = await admin.client.from('canned_responses').delete().eq('id', created.data.id);
    assert.equal(deleted.error, null);
    await arrived(3, 'the delete');
    assert.deepEqual(events.slice(0, 2), ['INSERT:live', 'UPDATE:live']);
    assert.equal(events[2]?.startsWith('DELETE'), true);
    await agent.client.removeChannel(channel);
  });

  describe('auto-assignment', () => {
    async function online(who: Person): Promise<void> {
      const { error } = await who.client.rpc('console_heartbeat', { p_session: crypto.randomUUID(), p_idle_seconds: 0, p_away_after: 600 });
      assert.equal(error, null, error?.message);
    }

    it('50 concurrent starts with 3 agents online: each assigned once, spread evenly', async () => {
      await stack.db.query('delete from private.console_sessions');
      await stack.db.query(`update public.agents set availability = 'online'`);
      await Promise.all([admin, agent, jordan].map(online));
      await updateSettings({ auto_assign: true });

      const visitors = await Promise.all(Array.from({ length: 50 }, () => signInVisitor(stack)));
      const started = await Promise.all(visitors.map((v) => startConversation(v)));
      const ids = started.map((c) => c.id);
      assert.equal(new Set(ids).size, 50);
      assert.ok(started.every((c) => c.assigned_agent_id), 'start_conversation returns the assigned row');

      const { rows } = await stack.db.query<{ agent: string; n: number }>(`
        select assigned_agent_id::text as agent, count(*)::int as n from public.conversations
         where id = any ($1::uuid[]) group by 1 order by 1`, [ids]);
      assert.deepEqual(rows.map((r) => r.agent).sort(), [admin.id, agent.id, jordan.id].sort());
      const counts = rows.map((r) => r.n);
      assert.equal(counts.reduce((a, b) => a + b, 0), 50);
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `even spread: ${counts.join(', ')}`);

      // Exactly one assignment per conversation, said once to the customer.
      const joined = await stack.db.query<{ n: number }>(`
        select count(*)::int as n from public.messages
         where conversation_id = any ($1::uuid[]) and metadata ->> 'event' = 'joined' and visibility = 'public'`, [ids]);
      assert.equal(joined.rows[0]?.n, 50);
      const assigned = await stack.db.query<{ n: number }>(`
        select count(*)::int as n from public.messages
         where conversation_id = any ($1::uuid[]) and metadata ->> 'event' = 'assigned' and visibility = 'internal'`, [ids]);
      assert.equal(assigned.rows[0]?.n, 50);
    });

    it('nobody online, or auto-assignment off: the conversation stays unassigned', async () => {
      await updateSettings({ auto_assign: true });
      await stack.db.query('delete from private.console_sessions');
      const alone = await startConversation(await signInVisitor(stack));
      assert.equal(alone.assigned_agent_id, null);

      await online(agent);
      const away = await agent.client.rpc('set_availability', { p_availability: 'away' });
      assert.equal(away.error, null);
      assert.equal((await startConversation(await signInVisitor(stack))).assigned_agent_id, null, 'away agents take none');

      await agent.client.rpc('set_availability', { p_availability: 'online' });
      await updateSettings({ auto_assign: false });
      assert.equal((await startConversation(await signInVisitor(stack))).assigned_agent_id, null, 'off');
      await updateSettings({ auto_assign: true });
      assert.equal((await startConversation(await signInVisitor(stack))).assigned_agent_id, agent.id, 'on again, one online agent');
    });
  });
});

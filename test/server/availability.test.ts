// Agent availability (20261220000101_agent_availability.sql): console tabs register and leave, the
// last tab closing turns the agent offline, idle tabs turn them away, the agent's choice caps what
// presence says, a row past the TTL counts as gone, and visitors learn only whether the team is
// online and the public profiles of online agents. The sessions table is nobody's to read.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, type Person } from '../helpers/users.ts';

interface TeamRow { user_id: string; display_name: string; avatar_url: string | null; chosen: string; availability: string }

describe('agent availability', () => {
  let stack: TestStack;
  let sam: Person;
  let jordan: Person;
  let visitor: Person;

  before(async () => {
    stack = await startTestStack();
    [sam, jordan, visitor] = await Promise.all([signInAgent(stack), signInAgent(stack, SEED.jordan), signInVisitor(stack)]);
  });
  after(() => stack.close());
  beforeEach(async () => {
    await stack.db.query('delete from private.console_sessions');
    await stack.db.query(`update public.agents set availability = 'online'`);
  });

  async function beat(who: Person, session: string, idleSeconds = 0, awayAfter = 600): Promise<TeamRow[]> {
    const { data, error } = await who.client.rpc('console_heartbeat', {
      p_session: session, p_idle_seconds: idleSeconds, p_away_after: awayAfter,
    });
    assert.equal(error, null, error?.message);
    return data as TeamRow[];
  }

  async function leave(who: Person, session: string): Promise<void> {
    const { error } = await who.client.rpc('console_leave', { p_session: session });
    assert.equal(error, null, error?.message);
  }

  function statusOf(team: readonly TeamRow[], id: string): string | undefined {
    return team.find((row) => row.user_id === id)?.availability;
  }

  async function statusNow(id: string): Promise<string | undefined> {
    // Another agent's beat reads the team as everyone sees it.
    return statusOf(await beat(jordan, '00000000-0000-4000-9000-00000000000f'), id);
  }

  it('is offline without a console, online with one, and offline again once the last of two tabs closes', async () => {
    assert.equal(await statusNow(sam.id), 'offline');
    const [tabA, tabB] = [crypto.randomUUID(), crypto.randomUUID()];
    assert.equal(statusOf(await beat(sam, tabA), sam.id), 'online');
    await beat(sam, tabB);
    await leave(sam, tabA);
    assert.equal(await statusNow(sam.id), 'online', 'one tab still open');
    await leave(sam, tabB);
    assert.equal(await statusNow(sam.id), 'offline', 'the last tab closed');
  });

  it('counts a tab that stopped beating as gone after the TTL', async () => {
    const tab = crypto.randomUUID();
    await beat(sam, tab);
    await stack.db.query(`update private.console_sessions set last_seen = now() - private.console_session_ttl() - interval '1 second' where id = $1`, [tab]);
    assert.equal(await statusNow(sam.id), 'offline');
    const { rows } = await stack.db.query('select 1 from private.console_sessions where id = $1', [tab]);
    assert.equal(rows.length, 0, 'the next heartbeat deleted the expired row');
  });

  it('is away once every tab has been idle for the tab\'s away-after, and online again on input', async () => {
    const [tabA, tabB] = [crypto.randomUUID(), crypto.randomUUID()];
    await beat(sam, tabA, 700, 600);
    assert.equal(statusOf(await beat(sam, tabB, 10, 600), sam.id), 'online', 'tab B had input');
    assert.equal(statusOf(await beat(sam, tabB, 601, 600), sam.id), 'away', 'both tabs idle');
    assert.equal(statusOf(await beat(sam, tabA, 0, 600), sam.id), 'online', 'input in tab A');
    assert.equal(statusOf(await beat(sam, tabA, 45, 30), sam.id), 'away', 'each tab judged by its own away-after');
    assert.equal(statusOf(await beat(sam, tabA, 20, 30), sam.id), 'online');
  });

  it('caps presence with the agent\'s choice', async () => {
    const tab = crypto.randomUUID();
    await beat(sam, tab);
    const set = async (value: string): Promise<TeamRow[]> => {
      const { data, error } = await sam.client.rpc('set_availability', { p_availability: value });
      assert.equal(error, null, error?.message);
      return data as TeamRow[];
    };
    assert.deepEqual((await set('away')).find((r) => r.user_id === sam.id)?.availability, 'away');
    assert.equal((await set('offline')).find((r) => r.user_id === sam.id)?.availability, 'offline');
    assert.equal((await set('online')).find((r) => r.user_id === sam.id)?.chosen, 'online');
    await leave(sam, tab);
    assert.equal((await set('online')).find((r) => r.user_id === sam.id)?.availability, 'offline', 'choice cannot exceed presence');
    const refused = await sam.client.rpc('set_availability', { p_availability: 'busy' });
    assert.equal(refused.error?.details, 'availability_invalid');
  });

  it('refuses customers, someone else\'s session and bad arguments', async () => {
    const tab = crypto.randomUUID();
    await beat(sam, tab);
    const byVisitor = await visitor.client.rpc('console_heartbeat', { p_session: crypto.randomUUID(), p_idle_seconds: 0, p_away_after: 600 });
    assert.equal(byVisitor.error?.details, 'not_agent');
    const hijack = await jordan.client.rpc('console_heartbeat', { p_session: tab, p_idle_seconds: 0, p_away_after: 600 });
    assert.equal(hijack.error?.details, 'forbidden');
    const badAway = await sam.client.rpc('console_heartbeat', { p_session: tab, p_idle_seconds: 0, p_away_after: 5 });
    assert.equal(badAway.error?.details, 'away_after_invalid');
    const badIdle = await sam.client.rpc('console_heartbeat', { p_session: tab, p_idle_seconds: -1, p_away_after: 600 });
    assert.equal(badIdle.error?.details, 'idle_invalid');
    // Leaving someone else's tab does nothing.
    await leave(jordan, tab);
    assert.equal(await statusNow(sam.id), 'online');
    const visitorStatus = await visitor.client.rpc('set_availability', { p_availability: 'online' });
    assert.equal(visitorStatus.error?.details, 'not_agent');
  });

  it('tells a signed-in visitor only whether anyone is online and who, by public profile; the anon key nothing', async () => {
    const before = await visitor.client.rpc('team_online');
    assert.equal(before.error, null, before.error?.message);
    assert.deepEqual(before.data, { online: false, agents: [] });
    await beat(sam, crypto.randomUUID());
    await beat(jordan, crypto.randomUUID(), 9999, 600); // away: not listed
    const { data, error } = await visitor.client.rpc('team_online');
    assert.equal(error, null, error?.message);
    assert.deepEqual(data, { online: true, agents: [{ id: sam.id, display_name: 'Sam Rivera', avatar_url: null }] });
    const anon = await stack.client().rpc('team_online');
    assert.equal(anon.error?.code, '42501');
    assert.equal(anon.data, null);
  });

  it('keeps the sessions table and the team\'s roles from customers', async () => {
    await beat(sam, crypto.randomUUID());
    // Not exposed over REST (private schema), and no privilege behind it either.
    const overRest = await visitor.client.schema('private' as 'public').from('console_sessions').select('*');
    assert.ok(overRest.error, 'private schema is not exposed');
    const db = await stack.db.connect();
    try {
      await db.query('begin');
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: visitor.id, role: 'authenticated' })]);
      await db.query('set local role authenticated');
      await assert.rejects(db.query('select * from private.console_sessions'), { code: '42501' });
      await db.query('rollback');
    } finally {
      db.release();
    }
    const agents = await visitor.client.from('agents').select('user_id, availability, role');
    assert.deepEqual(agents.data, [], 'customers read no agents rows');
    const definer = await visitor.client.rpc('team_availability');
    assert.ok(definer.error, 'the full availability list is not an RPC');
  });
});

// Who the visitor is (issue 13, item 3): visits and identity are written only to the caller's own
// customer row, verified values come from the JWT the server checked and never from the payload,
// and agents (only agents) correct name and email.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { createProfileApi } from '../../src/data/customer-profile.ts';

interface CustomerRow {
  user_id: string;
  name: string | null;
  email: string | null;
  name_source: string | null;
  email_source: string | null;
  attributes: Record<string, unknown>;
  last_seen_at: string | null;
}

interface VisitRow {
  customer_id: string;
  url: string;
  title: string | null;
  browser: string | null;
}

const visit = (url: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  p_url: url, p_title: 'Page', p_referrer: null, p_browser: 'Chrome 131', p_os: 'Linux',
  p_language: 'en-GB', p_time_zone: 'Europe/London', p_screen: '1280×800', ...extra,
});

describe('visitor profile: visits, identify and agents\' edits', () => {
  let t: TestStack;
  before(async () => { t = await startTestStack(); });
  after(() => t.close());

  async function customer(id: string): Promise<CustomerRow | undefined> {
    const { rows } = await t.db.query<CustomerRow>(
      'select user_id, name, email, name_source, email_source, attributes, last_seen_at from public.customers where user_id = $1', [id]);
    return rows[0];
  }

  async function visits(id: string): Promise<VisitRow[]> {
    const { rows } = await t.db.query<VisitRow>(
      'select customer_id, url, title, browser from public.customer_visits where customer_id = $1 order by id', [id]);
    return rows;
  }

  /** A host's own signed-in user: an auth user plus a token the host signed with the project's secret. */
  async function hostUser(claims: Record<string, unknown>): Promise<Person & { token: string }> {
    const admin = t.client(t.stack.keys.serviceRole).auth.admin;
    const { data, error } = await admin.createUser({ email: `host-${crypto.randomUUID()}@shop.test`, email_confirm: true });
    assert.equal(error, null);
    const id = data.user?.id as string;
    const token = await new SignJWT({ role: 'authenticated', aud: 'authenticated', ...claims })
      .setProtectedHeader({ alg: 'HS256' }).setSubject(id).setIssuedAt().setExpirationTime('1h')
      .sign(new TextEncoder().encode(t.stack.keys.jwtSecret));
    const client = createClient(t.url, t.stack.keys.anon, {
      accessToken: async () => token,
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    });
    return { client, id, token };
  }

  it('record_visit writes the caller\'s own row only, creating it, and keeps the newest 20', async () => {
    const visitor = await signInVisitor(t);
    const other = await signInVisitor(t);
    await startConversation(other);
    for (let i = 1; i <= 23; i += 1) {
      const { error } = await visitor.client.rpc('record_visit', visit(`https://shop.test/p/${i}`));
      assert.equal(error, null);
    }
    const mine = await visits(visitor.id);
    assert.equal(mine.length, 20, 'the newest 20 are kept');
    assert.equal(mine[0]?.url, 'https://shop.test/p/4');
    assert.equal(mine.at(-1)?.url, 'https://shop.test/p/23');
    assert.ok((await customer(visitor.id))?.last_seen_at, 'last seen is set');
    assert.deepEqual(await visits(other.id), [], 'nothing written for anyone else');

    // There is no way to name another customer: the RPC takes no customer id.
    const named = await visitor.client.rpc('record_visit', { ...visit('https://shop.test/x'), p_customer_id: other.id });
    assert.equal(named.error?.code, 'PGRST202');
    assert.deepEqual(await visits(other.id), []);
  });

  it('cuts over-long fields instead of refusing the visit, and refuses a visit without an address', async () => {
    const visitor = await signInVisitor(t);
    const { error } = await visitor.client.rpc('record_visit', visit(`https://shop.test/${'a'.repeat(5000)}`, { p_title: 't'.repeat(1000), p_browser: 'b'.repeat(500) }));
    assert.equal(error, null);
    const [row] = await visits(visitor.id);
    assert.equal(row?.url.length, 2048);
    assert.equal(row?.title?.length, 300);
    assert.equal(row?.browser?.length, 60);
    const empty = await visitor.client.rpc('record_visit', visit('  '));
    assert.equal(empty.error?.details, 'url_required');
  });

  it('over REST a visitor reads only their own visits and writes none directly; agents read all', async () => {
    const a = await signInVisitor(t);
    const b = await signInVisitor(t);
    await a.client.rpc('record_visit', visit('https://shop.test/a'));
    await b.client.rpc('record_visit', visit('https://shop.test/b'));
    const seen = await a.client.from('customer_visits').select('customer_id,url');
    assert.equal(seen.error, null);
    assert.deepEqual(seen.data?.map((r) => r.url), ['https://shop.test/a']);
    const asOther = await a.client.from('customer_visits').select('url').eq('customer_id', b.id);
    assert.deepEqual(asOther.data, [], 'another customer\'s visits are invisible');

    const insert = await a.client.from('customer_visits').insert({ customer_id: b.id, url: 'https://evil.test' });
    assert.equal(insert.error?.code, '42501', 'no direct insert, not even for oneself');
    const update = await a.client.from('customers').update({ email: 'x@evil.test' }).eq('user_id', b.id);
    assert.equal(update.error?.code, '42501', 'no direct update of a customer row');
    const anon = await t.client().from('customer_visits').select('url');
    assert.equal(anon.error?.code, '42501', 'anon reaches nothing');
    assert.equal((await t.client().rpc('record_visit', visit('https://shop.test/anon'))).error?.code, '42501');

    const agent = await signInAgent(t);
    const all = await agent.client.from('customer_visits').select('url').in('customer_id', [a.id, b.id]).order('url');
    assert.deepEqual(all.data?.map((r) => r.url), ['https://shop.test/a', 'https://shop.test/b']);
    const agentVisit = await agent.client.rpc('record_visit', visit('https://shop.test/agent'));
    assert.equal(agentVisit.error?.details, 'agent_not_customer');
  });

  it("the console reads a customer with their newest pages first, in one request; a visitor reads only their own", async () => {
    const visitor = await signInVisitor(t);
    for (let i = 1; i <= 3; i += 1) await visitor.client.rpc('record_visit', visit(`https://shop.test/page/${i}`));
    const agent = await signInAgent(t);
    const urls: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    }) as typeof fetch;
    let profile;
    try {
      profile = await createProfileApi(agent.client).customerProfile(visitor.id);
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.equal(urls.filter((url) => url.includes('/rest/v1/')).length, 1, `one request: ${urls.join(', ')}`);
    assert.equal(profile?.userId, visitor.id);
    assert.deepEqual(profile?.visits.map((v) => v.url), ['https://shop.test/page/3', 'https://shop.test/page/2', 'https://shop.test/page/1']);

    const other = await signInVisitor(t);
    await other.client.rpc('record_visit', visit('https://shop.test/other'));
    assert.equal(await createProfileApi(visitor.client).customerProfile(other.id), null, "another customer's row is not visible");
    const own = await createProfileApi(visitor.client).customerProfile(visitor.id);
    assert.equal(own?.visits.length, 3);
  });

  it('identify without a token stores name, email and attributes as unverified, merging attributes', async () => {
    const visitor = await signInVisitor(t);
    const first = await visitor.client.rpc('identify_customer', {
      p_name: ' Ada Lovelace ', p_email: 'ADA@Example.com', p_attributes: { plan: 'pro', seats: 3, beta: true },
    });
    assert.equal(first.error, null);
    let row = await customer(visitor.id);
    assert.equal(row?.name, 'Ada Lovelace');
    assert.equal(row?.email, 'ada@example.com');
    assert.equal(row?.name_source, 'visitor');
    assert.equal(row?.email_source, 'visitor');
    assert.deepEqual(row?.attributes, { plan: 'pro', seats: 3, beta: true });

    await visitor.client.rpc('identify_customer', { p_attributes: { seats: 4, beta: null } });
    row = await customer(visitor.id);
    assert.deepEqual(row?.attributes, { plan: 'pro', seats: 4 }, 'merged; null removes');
    assert.equal(row?.name, 'Ada Lovelace', 'name kept when not given');
  });

  it('identify refuses bad input with a reason and changes nothing', async () => {
    const visitor = await signInVisitor(t);
    await visitor.client.rpc('identify_customer', { p_name: 'Kept', p_attributes: { plan: 'pro' } });
    const cases: [Record<string, unknown>, string][] = [
      [{ p_attributes: { nested: { a: 1 } } }, 'attribute_not_scalar'],
      [{ p_attributes: { list: [1, 2] } }, 'attribute_not_scalar'],
      [{ p_attributes: { long: 'x'.repeat(257) } }, 'attribute_too_long'],
      [{ p_attributes: { ['k'.repeat(65)]: 1 } }, 'attribute_name_invalid'],
      [{ p_attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`a${i}`, i])) }, 'attributes_too_many'],
      [{ p_attributes: [1] }, 'attributes_invalid'],
      [{ p_email: 'not-an-email' }, 'email_invalid'],
      [{ p_name: 'n'.repeat(121) }, 'name_too_long'],
    ];
    for (const [args, reason] of cases) {
      const { error } = await visitor.client.rpc('identify_customer', { p_name: 'Changed', ...args });
      assert.equal(error?.details, reason, JSON.stringify(args).slice(0, 60));
    }
    const row = await customer(visitor.id);
    assert.equal(row?.name, 'Kept');
    assert.deepEqual(row?.attributes, { plan: 'pro' });
  });

  it('name and email claims of a verified token are stored as verified; the payload cannot claim it', async () => {
    const host = await hostUser({ name: 'Grace Hopper', email: 'Grace@Navy.test' });
    const { data, error } = await host.client.rpc('identify_customer', { p_name: 'Someone Else', p_email: 'other@evil.test' });
    assert.equal(error, null);
    assert.equal((data as CustomerRow).user_id, host.id);
    let row = await customer(host.id);
    assert.equal(row?.name, 'Grace Hopper');
    assert.equal(row?.email, 'grace@navy.test');
    assert.equal(row?.name_source, 'token');
    assert.equal(row?.email_source, 'token');

    // A token that says its email is not verified gives no verified email.
    const unverified = await hostUser({ email: 'maybe@shop.test', email_verified: false });
    await unverified.client.rpc('identify_customer', { p_email: 'maybe@shop.test' });
    row = await customer(unverified.id);
    assert.equal(row?.email_source, 'visitor');

    // An anonymous visitor's payload is never verified, whatever it says.
    const visitor = await signInVisitor(t);
    await visitor.client.rpc('identify_customer', { p_name: 'Grace Hopper', p_email: 'grace@navy.test' });
    row = await customer(visitor.id);
    assert.equal(row?.email_source, 'visitor');
    assert.equal(row?.name_source, 'visitor');
  });

  it('agents (only agents) correct name and email; a visitor\'s identify then keeps the agent\'s value', async () => {
    const visitor = await signInVisitor(t);
    const started = await startConversation(visitor, { p_name: 'Pre Chat', p_email: 'pre@chat.test' });
    assert.equal((await customer(visitor.id))?.email_source, 'visitor', 'the pre-chat form is unverified');
    const agent = await signInAgent(t);
    const edited = await agent.client.rpc('update_customer', { p_customer_id: started.customer_id, p_name: 'Pat Chat', p_email: 'pat@chat.test' });
    assert.equal(edited.error, null);
    let row = await customer(visitor.id);
    assert.equal(row?.email, 'pat@chat.test');
    assert.equal(row?.email_source, 'agent');
    assert.equal(row?.name_source, 'agent');

    await visitor.client.rpc('identify_customer', { p_name: 'Old Name', p_email: 'old@chat.test' });
    row = await customer(visitor.id);
    assert.equal(row?.email, 'pat@chat.test', 'the team\'s correction stands');

    const refused = await visitor.client.rpc('update_customer', { p_customer_id: visitor.id, p_name: 'Me', p_email: null });
    assert.equal(refused.error?.details, 'not_agent');
    const other = await signInVisitor(t);
    const stranger = await other.client.rpc('update_customer', { p_customer_id: visitor.id, p_name: 'Hijack', p_email: null });
    assert.equal(stranger.error?.details, 'not_agent');
    assert.equal((await customer(visitor.id))?.name, 'Pat Chat');

    const bad = await agent.client.rpc('update_customer', { p_customer_id: visitor.id, p_name: 'Pat', p_email: 'nope' });
    assert.equal(bad.error?.details, 'email_invalid');
    const missing = await agent.client.rpc('update_customer', { p_customer_id: crypto.randomUUID(), p_name: 'x', p_email: null });
    assert.equal(missing.error?.details, 'customer_not_found');

    const cleared = await agent.client.rpc('update_customer', { p_customer_id: visitor.id, p_name: 'Pat Chat', p_email: '' });
    assert.equal(cleared.error, null);
    row = await customer(visitor.id);
    assert.equal(row?.email, null);
    assert.equal(row?.email_source, null);
    assert.equal(row?.name_source, 'agent', 'an unchanged name keeps its source');
  });

  it('a verified claim wins over an agent\'s edit (the host\'s signed identity is the truth)', async () => {
    const host = await hostUser({ email: 'ceo@shop.test' });
    await host.client.rpc('identify_customer', {});
    const agent = await signInAgent(t);
    await agent.client.rpc('update_customer', { p_customer_id: host.id, p_name: 'Chief', p_email: 'typo@shop.test' });
    assert.equal((await customer(host.id))?.email_source, 'agent');
    await host.client.rpc('identify_customer', {});
    const row = await customer(host.id);
    assert.equal(row?.email, 'ceo@shop.test');
    assert.equal(row?.email_source, 'token');
    assert.equal(row?.name, 'Chief', 'no name claim: the agent\'s name stays');
  });
});

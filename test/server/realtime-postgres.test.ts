// postgres_changes end to end with the real supabase-js client (SUPABASE-WIRE §7 items 2, 4, 5, 6,
// 9): binding echo and routing, which token authorizes a channel, RLS and DELETE semantics, value
// typing equal to REST, commit order, reconnects without loss or duplicates, isolation at volume.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import { decodeJwt } from 'jose';
import { startProxy, type CuttableProxy } from '../helpers/proxy.ts';
import { subscribe } from '../helpers/realtime.ts';
import { memoryStorage, startTestStack, type TestStack } from '../helpers/stack.ts';
import { send, signInAgent, signInVisitor, startConversation, type Message, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

type Change = RealtimePostgresChangesPayload<Record<string, unknown>>;

describe('postgres_changes', () => {
  let stack: TestStack;
  let proxy: CuttableProxy;

  before(async () => {
    stack = await startTestStack();
    proxy = await startProxy(stack.url);
    await stack.db.query(`
      create table public.gadgets (
        id uuid primary key default gen_random_uuid(),
        owner uuid default auth.uid(),
        n int8, flag boolean, data jsonb, tags text[], at timestamptz default now(), price numeric, label text);
      alter table public.gadgets enable row level security;
      create policy "owners read" on public.gadgets for select to authenticated using (owner = auth.uid());
      grant select on public.gadgets to authenticated;
      alter publication supabase_realtime add table public.gadgets;
      create table public.plain (id int primary key, room int, body text);
      grant select on public.plain to anon, authenticated;
      alter publication supabase_realtime add table public.plain;
      create table public.unpublished (id int primary key);`);
  });
  after(async () => {
    await proxy.close();
    await stack.close();
  });

  function collect(client: SupabaseClient, topic: string) {
    const changes: Record<string, Change[]> = {};
    const systems: Record<string, unknown>[] = [];
    const channel = client.channel(topic).on('system', {}, (payload) => systems.push(payload));
    const on = (name: string, filter: { event: '*' | 'INSERT' | 'UPDATE' | 'DELETE'; schema: string; table?: string; filter?: string }) => {
      changes[name] = [];
      channel.on('postgres_changes', filter, (payload: Change) => changes[name]?.push(payload));
      return api;
    };
    const api = { channel, changes, systems, on };
    return api;
  }

  const subscribedToPostgres = (systems: Record<string, unknown>[]) =>
    waitFor(() => systems.some((s) => s.extension === 'postgres_changes'), 'the postgres_changes system message');

  it('echoes bindings and routes each change only to matching bindings (§7.2)', async () => {
    const listener = collect(stack.client(), 'routing')
      .on('inserts', { event: 'INSERT', schema: 'public', table: 'plain', filter: 'room=eq.1' })
      .on('everything', { event: '*', schema: 'public', table: 'plain' });
    const log = await subscribe(listener.channel);
    assert.deepEqual(log.statuses, ['SUBSCRIBED']);
    await subscribedToPostgres(listener.systems);
    assert.deepEqual(listener.systems[0], { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'routing' });

    await stack.db.query("insert into public.plain values (1, 1, 'a'), (2, 2, 'b')");
    await stack.db.query("update public.plain set body = 'c' where id = 1");
    await stack.db.query('delete from public.plain where id = 2');
    await stack.stack.realtime.flush();
    await waitFor(() => listener.changes.everything?.length === 4, 'four changes');
    assert.deepEqual(listener.changes.inserts?.map((c) => [c.eventType, c.new]), [['INSERT', { id: 1, room: 1, body: 'a' }]]);
    assert.deepEqual(listener.changes.everything?.map((c) => c.eventType), ['INSERT', 'INSERT', 'UPDATE', 'DELETE']);
    // Without replica identity full, a DELETE's old image is the primary key only.
    assert.deepEqual(listener.changes.everything?.[3]?.old, { id: 2 });
  });

  it('a table outside the publication gives a system error while the channel stays SUBSCRIBED (§7.9)', async () => {
    const listener = collect(stack.client(), 'unpublished').on('x', { event: 'INSERT', schema: 'public', table: 'unpublished' });
    const log = await subscribe(listener.channel);
    await subscribedToPostgres(listener.systems);
    assert.equal(listener.systems[0]?.status, 'error');
    assert.match(String(listener.systems[0]?.message), /^Unable to subscribe to changes with given parameters/);
    assert.deepEqual(log.statuses, ['SUBSCRIBED']);
    assert.equal(listener.channel.state, 'joined');
  });

  it('values are typed exactly as REST returns them (§7.6)', async () => {
    const owner = await signInVisitor(stack);
    await owner.client.realtime.setAuth();
    const listener = collect(owner.client, 'typing').on('all', { event: '*', schema: 'public', table: 'gadgets' });
    await subscribe(listener.channel);
    await subscribedToPostgres(listener.systems);
    const { rows } = await stack.db.query(
      `insert into public.gadgets (owner, n, flag, data, tags, price, label)
       values ($1, 9007199254740991, true, '{"a":[1,"x",null],"b":{"c":false}}', array['x','y z','"q"', null], 12.50, E'line\\nbreak')
       returning id`, [owner.id]);
    await waitFor(() => listener.changes.all?.length === 1, 'the insert');
    const viaRest = await owner.client.from('gadgets').select('*').eq('id', rows[0].id).single();
    assert.equal(viaRest.error, null);
    assert.deepEqual(listener.changes.all?.[0]?.new, viaRest.data);
    assert.match(String(listener.changes.all?.[0]?.commit_timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('RLS filters inserts per subscriber; DELETE carries only the key on RLS tables (§7.5)', async () => {
    const [alice, bob] = await Promise.all([signInVisitor(stack), signInVisitor(stack)]);
    await Promise.all([alice.client.realtime.setAuth(), bob.client.realtime.setAuth()]);
    const listeners = [alice, bob].map((person, i) => collect(person.client, `rls-${i}`)
      .on('all', { event: '*', schema: 'public', table: 'gadgets' }));
    for (const listener of listeners) {
      await subscribe(listener.channel);
      await subscribedToPostgres(listener.systems);
    }
    const { rows } = await stack.db.query('insert into public.gadgets (owner, label) values ($1, $2) returning id', [alice.id, 'secret']);
    // Visibility is checked when the change is dispatched, as on Supabase: let the insert go first.
    await stack.stack.realtime.flush();
    await stack.db.query('delete from public.gadgets where id = $1', [rows[0].id]);
    await stack.stack.realtime.flush();
    await waitFor(() => listeners[0]?.changes.all?.length === 2 && listeners[1]?.changes.all?.length === 1, 'the changes');
    const [aliceChanges, bobChanges] = listeners.map((l) => l.changes.all ?? []);
    assert.deepEqual(aliceChanges?.map((c) => c.eventType), ['INSERT', 'DELETE']);
    assert.deepEqual(bobChanges?.map((c) => c.eventType), ['DELETE'], 'DELETE is not RLS-checked, as on Supabase');
    assert.deepEqual(bobChanges?.[0]?.old, { id: rows[0].id }, 'only the primary key leaks');
  });

  it('a join without access_token acts as anon; after getSession it acts as the user; refresh keeps it (§7.4)', async () => {
    const storage = memoryStorage();
    const first = stack.client(undefined, { storage });
    const signedIn = await first.auth.signInAnonymously();
    assert.ok(signedIn.data.user);
    const visitor: Person = { client: first, id: signedIn.data.user.id };
    const conversation = await startConversation(visitor);

    // A client restored from storage that subscribes at once joins with the apikey's claims (anon).
    const restored = stack.client(undefined, { storage });
    const early = collect(restored, 'early').on('m', { event: 'INSERT', schema: 'public', table: 'messages' });
    await subscribe(early.channel);
    await subscribedToPostgres(early.systems);

    await restored.auth.getSession();
    const late = collect(restored, 'late').on('m', { event: 'INSERT', schema: 'public', table: 'messages' });
    await subscribe(late.channel);
    await subscribedToPostgres(late.systems);
    await send(visitor, conversation.id, 'first');
    await waitFor(() => late.changes.m?.length === 1, 'delivery as the user');
    await stack.stack.realtime.flush();
    assert.ok((early.changes.m ?? []).every((change) => !('content' in change.new)), 'the anon-joined channel saw no message');

    // Tokens carry iat/exp in seconds: a refresh within the same second yields the same token.
    const current = (await restored.auth.getSession()).data.session?.access_token ?? '';
    const issuedAt = decodeJwt(current).iat ?? 0;
    await waitFor(() => Date.now() / 1000 >= issuedAt + 1, 'the next second', 2_000);
    const systemsBefore = late.systems.length;
    const refreshed = await restored.auth.refreshSession();
    assert.notEqual(refreshed.data.session?.access_token, current);
    assert.equal(refreshed.error, null);
    await waitFor(() => late.systems.length > systemsBefore, 'resubscription with the new token');
    await send(visitor, conversation.id, 'second');
    await waitFor(() => late.changes.m?.length === 2, 'delivery after refresh');
  });

  it('events of one transaction arrive in commit order', async () => {
    const listener = collect(stack.client(), 'order').on('all', { event: '*', schema: 'public', table: 'plain' });
    await subscribe(listener.channel);
    await subscribedToPostgres(listener.systems);
    const client = await stack.db.connect();
    try {
      await client.query('begin');
      for (let id = 100; id < 110; id++) await client.query('insert into public.plain values ($1, 9, $2)', [id, `t${id}`]);
      await client.query("update public.plain set body = 'last' where id = 100");
      await client.query('commit');
    } finally {
      client.release();
    }
    await waitFor(() => listener.changes.all?.length === 11, 'eleven changes');
    assert.deepEqual(listener.changes.all?.map((c) => [c.eventType, (c.new as { id: number }).id]),
      [...Array.from({ length: 10 }, (_, i) => ['INSERT', 100 + i]), ['UPDATE', 100]]);
  });

  it('a cut socket rejoins by itself and then receives each later event exactly once', async () => {
    const visitor = await signInVisitor(stack);
    const agent = await signInAgent(stack);
    const conversation = await startConversation(visitor);
    const watcher = stack.client(undefined, { url: proxy.url });
    await watcher.auth.signInWithPassword({ email: 'jordan@parley.test', password: 'parley-agent' });
    await watcher.realtime.setAuth();
    const statuses: string[] = [];
    const received: Message[] = [];
    const channel = watcher.channel('cut').on('postgres_changes',
      { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${conversation.id}` },
      (payload) => received.push(payload.new as Message));
    channel.subscribe((status) => statuses.push(status));
    await waitFor(() => statuses.includes('SUBSCRIBED'), 'the join');
    await stack.stack.realtime.flush();

    proxy.cut();
    await waitFor(() => statuses.filter((s) => s === 'SUBSCRIBED').length === 2, 'the rejoin', 8_000);
    await waitFor(() => stack.stack.realtime.stats().channels >= 1, 'the channel on the server');
    for (let i = 0; i < 5; i++) await send(i % 2 ? agent : visitor, conversation.id, `after ${i}`);
    await stack.stack.realtime.flush();
    await waitFor(() => received.length >= 5, 'five messages');
    await send(visitor, conversation.id, 'sentinel');
    await waitFor(() => received.some((m) => m.content === 'sentinel'), 'the sentinel');
    assert.deepEqual(received.map((m) => m.seq), [1, 2, 3, 4, 5, 6]);
  });

  it('every single-row commit from concurrent writers arrives once, in seq order, from the first', async () => {
    // SUBSCRIBED must mean subscribed: the first inserts right after it are delivered too. And a
    // commit is streamed a moment before snapshots see it; checks made then must not drop rows.
    const visitor = await signInVisitor(stack);
    const conversation = await startConversation(visitor);
    await visitor.client.realtime.setAuth();
    const received: Message[] = [];
    const channel = visitor.client.channel('race').on('postgres_changes',
      { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${conversation.id}` },
      (payload) => received.push(payload.new as Message));
    await subscribe(channel);
    const writers = 2;
    const perWriter = 750;
    await Promise.all(Array.from({ length: writers }, async () => {
      const client = await stack.db.connect();
      try {
        for (let i = 0; i < perWriter; i++) {
          await client.query(`select private.append_message($1, gen_random_uuid(), 'system', null, 'tick', '{}')`, [conversation.id]);
        }
      } finally {
        client.release();
      }
    }));
    await stack.stack.realtime.flush();
    await waitFor(() => received.length >= writers * perWriter, 'every message', 10_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; received ${received.length} of ${writers * perWriter}`);
    });
    assert.deepEqual(received.map((m) => m.seq), Array.from({ length: writers * perWriter }, (_, i) => i + 1));
  });

  it('realtime.send() in the database reaches private channel subscribers allowed to read it', async () => {
    const [customer, stranger] = await Promise.all([signInVisitor(stack), signInVisitor(stack)]);
    const conversation = await startConversation(customer);
    const topic = `conversation:${conversation.id}`;
    await customer.client.realtime.setAuth();
    const received: { event: string; payload: Record<string, unknown>; meta?: { id?: string } }[] = [];
    const channel = customer.client.channel(topic, { config: { private: true } })
      .on('broadcast', { event: '*' }, (message) => received.push(message as unknown as (typeof received)[number]));
    await subscribe(channel);
    const publicTwin: unknown[] = [];
    await subscribe(stranger.client.channel(topic).on('broadcast', { event: '*' }, (m) => publicTwin.push(m)));

    await stack.db.query("select realtime.send(jsonb_build_object('note', 'from the database'), 'notice', $1, true)", [topic]);
    await waitFor(() => received.length === 1, 'the database broadcast');
    assert.equal(received[0]?.event, 'notice');
    assert.equal(received[0]?.payload.note, 'from the database');
    assert.match(String(received[0]?.meta?.id), /^[0-9a-f-]{36}$/);
    assert.equal(received[0]?.payload.id, received[0]?.meta?.id);
    await stack.stack.realtime.flush();
    assert.deepEqual(publicTwin, [], 'a public channel of the same name hears nothing');
  });

  it('isolation: over 1,000 inserts in 20 conversations a customer sees only their own; the agent sees all', async () => {
    const customers: Person[] = [];
    for (let i = 0; i < 20; i++) customers.push(await signInVisitor(stack));
    const conversations = await Promise.all(customers.map((person) => startConversation(person)));
    const agent = await signInAgent(stack);
    const received = new Map<string, Message[]>();
    const channels = [...customers, agent].map((person) => {
      const list: Message[] = [];
      received.set(person.id, list);
      return person.client.channel(`iso-${person.id}`).on('postgres_changes',
        { event: 'INSERT', schema: 'public', table: 'messages' }, (payload) => list.push(payload.new as Message));
    });
    for (const [index, channel] of channels.entries()) {
      const person = index < customers.length ? customers[index] : agent;
      await person?.client.realtime.setAuth();
      await subscribe(channel);
    }
    await stack.stack.realtime.flush();

    // 1,000 messages, 50 per conversation, interleaved, written as the service role's chatbot.
    await stack.db.query('update public.conversations set chatbot_enabled = true where id = any($1)', [conversations.map((c) => c.id)]);
    for (let batch = 0; batch < 10; batch++) {
      await stack.db.query(`
        select private.append_message(c.id, gen_random_uuid(), 'chatbot', null, 'bot ' || n, '{}')
          from unnest($1::uuid[]) with ordinality as c(id, ord), generate_series(1, 5) as n
         order by n, ord`, [conversations.map((c) => c.id)]);
    }
    await stack.stack.realtime.flush();
    await waitFor(() => (received.get(agent.id)?.length ?? 0) === 1000, 'the agent receiving all 1,000', 20_000);
    for (const [index, person] of customers.entries()) {
      await waitFor(() => (received.get(person.id)?.length ?? 0) >= 50, `customer ${index} receiving 50`);
      const mine = received.get(person.id) ?? [];
      assert.equal(mine.length, 50);
      assert.ok(mine.every((m) => m.conversation_id === conversations[index]?.id), `customer ${index} saw a stranger's message`);
      assert.deepEqual(mine.map((m) => m.seq), Array.from({ length: 50 }, (_, i) => i + 1));
    }
  });
});

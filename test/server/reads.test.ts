// Read state that survives everything (issue 10): unread counters on the conversation and on each
// read marker, so unread is exact after a reload without holding messages. Own messages are never
// unread, system lines and notes never count, mark_read takes each side's own numbering, and a note
// never moves the preview or last_message_at. Checked through the data layer of each audience.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { unreadFor } from '../../src/data/audience.ts';
import { createDataApi, type DataApi } from '../../src/data/team-api.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, type Person } from '../helpers/users.ts';

describe('read state', () => {
  let stack: TestStack;
  let visitor: Person;
  let agent: Person;
  let customerApi: DataApi;
  let teamApi: DataApi;

  before(async () => {
    stack = await startTestStack();
    [visitor, agent] = await Promise.all([signInVisitor(stack), signInAgent(stack)]);
    customerApi = createDataApi(visitor.client, { audience: 'customer' });
    teamApi = createDataApi(agent.client, { audience: 'team' });
  });
  after(() => stack.close());

  const say = (api: DataApi, conversationId: string, content: string, visibility?: 'internal') =>
    api.sendMessage({ id: crypto.randomUUID(), conversationId, content, ...(visibility ? { visibility } : {}) });

  /** Unread for the api's signed-in user, from fresh requests only (as after a reload). */
  async function unread(api: DataApi, conversationId: string): Promise<number> {
    const conversation = await api.getConversation(conversationId);
    const [marker] = await api.myReadMarkers([conversationId]);
    return unreadFor(conversation, marker);
  }

  it('counts only the other side\'s public messages; own messages, notes and system lines never', async () => {
    const { id } = await customerApi.startConversation();
    await say(customerApi, id, 'one');
    await say(customerApi, id, 'two');
    assert.equal(await unread(teamApi, id), 2, 'the customer\'s two messages');
    assert.equal(await unread(customerApi, id), 0, 'own messages are read');

    await say(teamApi, id, 'internal thought', 'internal');
    assert.equal(await unread(teamApi, id), 0, 'writing, even a note, reads what came before');
    assert.equal(await unread(customerApi, id), 0, 'a note is nothing to the customer');

    await teamApi.setStatus(id, 'pending');
    await teamApi.assign(id, SEED.jordan.id);
    await teamApi.setStatus(id, 'resolved');
    assert.equal(await unread(customerApi, id), 0, 'system lines, public or not, are not unread');
    assert.equal(await unread(teamApi, id), 0);

    await say(teamApi, id, 'reply one');
    await say(teamApi, id, 'reply two');
    assert.equal(await unread(customerApi, id), 2);
    await say(customerApi, id, 'thanks!');
    assert.equal(await unread(customerApi, id), 0, 'replying implies having read');
    assert.equal(await unread(teamApi, id), 1, 'the customer\'s reply (the reopening line does not count)');
  });

  it('mark_read takes each side\'s own numbering and fills in the rest', async () => {
    const { id } = await customerApi.startConversation();
    await say(customerApi, id, 'c1');            // seq 1, public 1
    await say(teamApi, id, 'n1', 'internal');     // seq 2
    await say(teamApi, id, 'a1');                 // seq 3, public 2
    await say(teamApi, id, 'n2', 'internal');     // seq 4
    await say(customerApi, id, 'c2');            // seq 5, public 3
    await say(teamApi, id, 'a2');                 // seq 6, public 4
    await say(customerApi, id, 'c3');            // seq 7, public 5
    await say(teamApi, id, 'n3', 'internal');     // seq 8

    const raw = async (userId: string) => (await stack.db.query(
      `select last_read_seq::int, last_read_public_seq::int, read_customer_messages::int, read_team_messages::int
         from public.conversation_reads where conversation_id = $1 and user_id = $2`, [id, userId])).rows[0];

    // The visitor's marker sits on their own c3 (seq 7, public 5); mark_read never moves it back.
    const back = await customerApi.markRead(id, 2);
    assert.deepEqual([back.last_read_seq, back.read_inbound_count], [5, 2]);
    assert.deepEqual(await raw(visitor.id), { last_read_seq: 7, last_read_public_seq: 5, read_customer_messages: 3, read_team_messages: 2 });

    // The agent reads in team units; their own note (seq 8) is already read.
    const atNote = await teamApi.markRead(id, 4);
    assert.equal(atNote.last_read_seq, 8, 'the agent\'s own note at seq 8 already moved the marker');
    assert.deepEqual(await raw(SEED.agent.id), { last_read_seq: 8, last_read_public_seq: 5, read_customer_messages: 3, read_team_messages: 2 });

    // Another agent reads in team units, stopping on a note: the public position is the one before.
    const jordan = createDataApi((await signInAgent(stack, SEED.jordan)).client);
    const partly = await jordan.markRead(id, 4);
    assert.deepEqual([partly.last_read_seq, partly.read_inbound_count], [4, 1]);
    assert.deepEqual(await raw(SEED.jordan.id), { last_read_seq: 4, last_read_public_seq: 2, read_customer_messages: 1, read_team_messages: 1 });
    assert.equal(unreadFor(await jordan.getConversation(id), partly), 2);
    const far = await jordan.markRead(id, 99);
    assert.deepEqual([far.last_read_seq, far.read_inbound_count], [8, 3], 'never past the last message');

    // Everyone's markers in each audience's units: "seen" for the customer counts public seqs.
    const seenByCustomer = await customerApi.readMarkers(id);
    const jordanSeen = seenByCustomer.find((m) => m.user_id === SEED.jordan.id);
    assert.equal(jordanSeen?.last_read_seq, 5);
    assert.equal(jordanSeen?.read_inbound_count, 2, 'public team messages up to there');
  });

  it('the customer reads in public units: a partial read leaves the later reply unread', async () => {
    const { id } = await customerApi.startConversation();
    await say(customerApi, id, 'question');       // public 1
    await say(teamApi, id, 'first answer');       // public 2
    await say(teamApi, id, 'note', 'internal');
    await say(teamApi, id, 'second answer');      // public 3
    assert.equal(await unread(customerApi, id), 2);
    const marker = await customerApi.markRead(id, 2);
    assert.deepEqual([marker.last_read_seq, marker.read_inbound_count], [2, 1]);
    assert.equal(await unread(customerApi, id), 1);
    const rawRow = await stack.db.query('select last_read_seq::int from public.conversation_reads where conversation_id = $1 and user_id = $2', [id, visitor.id]);
    assert.equal(rawRow.rows[0].last_read_seq, 2, 'the team position of public 2 is seq 2');
    const all = await customerApi.markRead(id, 3);
    assert.equal(all.last_read_seq, 3);
    assert.equal(await unread(customerApi, id), 0);
  });

  it('previews and last_message_at move only with public, non-system messages', async () => {
    const { id } = await customerApi.startConversation();
    await say(customerApi, id, 'Where is my order?');
    const before = await customerApi.getConversation(id);
    await say(teamApi, id, 'Secret: customer flagged for fraud review', 'internal');
    await teamApi.setStatus(id, 'pending');
    await teamApi.assign(id, SEED.agent.id);
    for (const api of [customerApi, teamApi]) {
      const now = await api.getConversation(id);
      assert.equal(now.last_message_preview, 'Where is my order?');
      assert.equal(now.last_message_at, before.last_message_at);
    }
    const { items } = await customerApi.listConversations();
    assert.ok(items.every((item) => !item.last_message_preview?.includes('fraud')));
    await say(teamApi, id, 'It ships today');
    const moved = await customerApi.getConversation(id);
    assert.equal(moved.last_message_preview, 'It ships today');
    assert.ok(Date.parse(moved.last_message_at) > Date.parse(before.last_message_at));
  });

  it('myReadMarkers returns only the caller\'s markers; a reloaded console counts right', async () => {
    const other = await signInVisitor(stack);
    const otherApi = createDataApi(other.client, { audience: 'customer' });
    const a = (await otherApi.startConversation()).id;
    const b = (await otherApi.startConversation()).id;
    const c = (await otherApi.startConversation()).id;
    for (const id of [a, b, c]) await say(otherApi, id, 'hello');
    await say(otherApi, b, 'anyone?');
    await teamApi.markRead(a, 1);
    await say(teamApi, c, 'on it');

    const reloaded = createDataApi(agent.client, { audience: 'team' });
    const markers = await reloaded.myReadMarkers([a, b, c, a]);
    assert.deepEqual(markers.map((m) => [m.conversation_id, m.user_id, m.last_read_seq]).sort(),
      [[a, SEED.agent.id, 1], [c, SEED.agent.id, 2]].sort());
    const counts = await Promise.all([a, b, c].map(async (id) =>
      unreadFor(await reloaded.getConversation(id), markers.find((m) => m.conversation_id === id))));
    assert.deepEqual(counts, [0, 2, 0]);
    assert.deepEqual(await reloaded.myReadMarkers([]), []);
    const visitorMarkers = await otherApi.myReadMarkers([a, b, c]);
    assert.deepEqual(visitorMarkers.map((m) => m.user_id), [other.id, other.id, other.id]);

    // The list brings the same markers with its rows, so the console never shows a flash of "all unread".
    const page = await reloaded.listConversations({ query: 'anyone' });
    assert.deepEqual(page.items.map((row) => row.id), [b]);
    assert.deepEqual(page.reads, markers.filter((m) => m.conversation_id === b));
    const all = await reloaded.listConversations({ limit: 100 });
    for (const marker of all.reads) {
      assert.equal(marker.user_id, SEED.agent.id, 'only the viewer\'s own markers');
      assert.ok(all.items.some((row) => row.id === marker.conversation_id));
    }
    assert.ok(all.reads.some((m) => m.conversation_id === a) && all.reads.some((m) => m.conversation_id === c));
  });

  it('customerConversations (newest first) and myConversations (oldest first)', async () => {
    const person = await signInVisitor(stack);
    const api = createDataApi(person.client, { audience: 'customer' });
    const first = (await api.startConversation({ subject: 'First' })).id;
    const second = (await api.startConversation({ subject: 'Second' })).id;
    await say(api, first, 'newer activity in the first one');
    assert.deepEqual((await api.myConversations()).map((c) => c.id), [first, second]);
    const forConsole = await teamApi.customerConversations(person.id);
    assert.deepEqual(forConsole.map((c) => c.id), [first, second]);
    assert.equal(forConsole[0]?.inbound_count, 1, 'the team\'s counter');
    assert.deepEqual((await teamApi.customerConversations(person.id, { limit: 1 })).map((c) => c.id), [first]);
    assert.deepEqual(await teamApi.myConversations(), [], 'an agent has no conversations of their own');
    assert.deepEqual((await api.customerConversations(SEED.customer.id)), [], 'RLS: not someone else\'s');
    // The launcher's start: the same rows with the visitor's own markers, in one request.
    await say(teamApi, second, 'a reply');
    await api.markRead(first, 1);
    await teamApi.markRead(first, 1);
    const history = await api.history();
    assert.deepEqual(history.items.map((c) => c.id), [first, second]);
    assert.deepEqual(history.reads.map((m) => [m.conversation_id, m.user_id, m.last_read_seq]), [[first, person.id, 1]],
      'only the visitor\'s own markers (not the agent\'s), and none for a conversation never read');
    assert.equal(history.items[1] && unreadFor(history.items[1], undefined), 1);
  });
});

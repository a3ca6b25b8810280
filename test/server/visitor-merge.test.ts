// Continue by email's merge (20261231000101_visitor_merge.sql) on the real stack: an anonymous
// visitor's conversations move to the email user they sign in as, once, with a secret only that
// anonymous session could take; every refusal names its reason and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { send, signInAgent, signInVisitor, snapshot, startConversation, type Person } from '../helpers/users.ts';
import { uniqueEmail } from './auth-helpers.ts';

describe('visitor merge', () => {
  let stack: TestStack;
  let agent: Person;

  before(async () => {
    stack = await startTestStack();
    agent = await signInAgent(stack);
  });
  after(() => stack.close());

  /** A permanent email user, signed in (what verifyOtp leaves the widget with). */
  async function emailUser(): Promise<Person & { email: string }> {
    const email = uniqueEmail('merge');
    const created = await stack.client(stack.stack.keys.serviceRole).auth.admin.createUser({ email, password: 'password1', email_confirm: true });
    assert.equal(created.error, null);
    const client = stack.client();
    const { data, error } = await client.auth.signInWithPassword({ email, password: 'password1' });
    assert.equal(error, null);
    assert.ok(data.user);
    return { client, id: data.user.id, email };
  }

  async function secretOf(person: Person): Promise<string> {
    const { data, error } = await person.client.rpc('begin_visitor_merge');
    assert.equal(error, null, error?.message);
    assert.match(String(data), /^[0-9a-f]{64}$/);
    return String(data);
  }

  async function refusal(person: Person, secret: unknown): Promise<string | undefined> {
    const before = await snapshot(stack);
    const { error } = await person.client.rpc('complete_visitor_merge', { p_secret: secret });
    assert.deepEqual(await snapshot(stack), before, 'a refused merge changes nothing');
    return error?.details;
  }

  it('moves the anonymous visitor\'s conversations, messages and read markers to the email user, once', async () => {
    const visitor = await signInVisitor(stack);
    const conversation = await startConversation(visitor, { p_name: 'Robin' });
    const mine = await send(visitor, conversation.id, 'My parcel is late');
    const reply = await send(agent, conversation.id, 'Looking into it');
    assert.equal((await visitor.client.rpc('mark_read', { p_conversation_id: conversation.id, p_seq: reply.seq })).error, null);
    const secret = await secretOf(visitor);
    const stored = await stack.db.query('select secret_hash from private.visitor_merge_secrets');
    assert.ok(stored.rows.every((row: { secret_hash: string }) => row.secret_hash !== secret), 'only the hash is stored');

    const target = await emailUser();
    const earlier = await startConversation(target);
    const { data: moved, error } = await target.client.rpc('complete_visitor_merge', { p_secret: secret });
    assert.equal(error, null, error?.message);
    assert.equal(moved, 1);

    const { data: rows } = await target.client.from('conversations').select('id').order('created_at');
    assert.deepEqual(rows?.map((row) => row.id).sort(), [conversation.id, earlier.id].sort());
    const { data: messages } = await target.client.from('messages').select('id, sender_id').eq('conversation_id', conversation.id).order('seq');
    assert.equal(messages?.find((m) => m.id === mine.id)?.sender_id, target.id, 'the visitor\'s messages are the email user\'s now');
    assert.equal(messages?.find((m) => m.id === reply.id)?.sender_id, agent.id, 'the agent\'s stay the agent\'s');
    const { data: reads } = await target.client.from('conversation_reads').select('last_read_seq').eq('conversation_id', conversation.id).eq('user_id', target.id);
    assert.deepEqual(reads, [{ last_read_seq: reply.seq }], 'nothing counts as unread again');
    const { data: customer } = await target.client.from('customers').select('name').eq('user_id', target.id).single();
    assert.equal(customer?.name, 'Robin');
    const { data: left } = await visitor.client.from('conversations').select('id');
    assert.deepEqual(left, [], 'the anonymous session sees nothing any more');

    assert.equal(await refusal(target, secret), 'secret_unknown', 'a secret works once');
  });

  it('refuses a guessed, malformed or expired secret, and an anonymous caller', async () => {
    const visitor = await signInVisitor(stack);
    await startConversation(visitor);
    const secret = await secretOf(visitor);
    const target = await emailUser();
    assert.equal(await refusal(target, 'f'.repeat(64)), 'secret_unknown');
    assert.equal(await refusal(target, 'not hex'), 'secret_invalid');
    assert.equal(await refusal(target, null), 'secret_invalid');
    const other = await signInVisitor(stack);
    assert.equal(await refusal(other, secret), 'target_anonymous', 'merging into another anonymous visitor is no sign-in');
    assert.equal(await refusal(visitor, secret), 'same_user');

    await stack.db.query(`update private.visitor_merge_secrets set expires_at = now() - interval '1 second'`
      + ' where source_user = $1', [visitor.id]);
    assert.equal(await refusal(target, secret), 'secret_unknown', 'expired');
    const { data } = await target.client.from('conversations').select('id');
    assert.deepEqual(data, []);
  });

  it('a newer secret replaces the older one', async () => {
    const visitor = await signInVisitor(stack);
    await startConversation(visitor);
    const first = await secretOf(visitor);
    const second = await secretOf(visitor);
    const target = await emailUser();
    assert.equal(await refusal(target, first), 'secret_unknown');
    assert.equal((await target.client.rpc('complete_visitor_merge', { p_secret: second })).data, 1);
  });

  it('never takes a permanent user\'s conversations', async () => {
    const permanent = await emailUser();
    await startConversation(permanent);
    const { error } = await permanent.client.rpc('begin_visitor_merge');
    assert.equal(error?.details, 'not_anonymous');

    // A secret taken while anonymous, then the visitor confirmed an email (same id, now permanent).
    const visitor = await signInVisitor(stack);
    await startConversation(visitor);
    const secret = await secretOf(visitor);
    await stack.db.query(`update auth.users set is_anonymous = false, email = $2, email_confirmed_at = now() where id = $1`,
      [visitor.id, uniqueEmail('became')]);
    const thief = await emailUser();
    assert.equal(await refusal(thief, secret), 'source_not_anonymous');
  });

  it('needs a signed-in caller', async () => {
    const anon = stack.client();
    assert.equal((await anon.rpc('begin_visitor_merge')).error?.code, '42501');
    assert.equal((await anon.rpc('complete_visitor_merge', { p_secret: 'f'.repeat(64) })).error?.code, '42501');
  });
});

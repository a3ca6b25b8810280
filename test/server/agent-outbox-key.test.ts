// The agent's outbox key (supabase/migrations/20261206000002_agent_outbox_key.sql): each agent gets
// their own 32-byte key from agent_outbox_key(), the same one on every call and every device; nobody
// else reaches it (not another agent, not a customer, not anon, not through the API's tables).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, type Person } from '../helpers/users.ts';

describe('agent_outbox_key()', () => {
  let stack: TestStack;
  let sam: Person;
  let jordan: Person;

  before(async () => {
    stack = await startTestStack();
    [sam, jordan] = await Promise.all([signInAgent(stack), signInAgent(stack, SEED.jordan)]);
  });
  after(() => stack.close());

  it('gives an agent a 32-byte key, created on the first call and the same ever after', async () => {
    const first = await sam.client.rpc('agent_outbox_key');
    assert.equal(first.error, null);
    assert.equal(typeof first.data, 'string');
    assert.equal(Buffer.from(first.data as string, 'base64').length, 32);
    const again = await sam.client.rpc('agent_outbox_key');
    assert.equal(again.data, first.data);
    // Another device of the same agent (a new sign-in) gets the same key.
    const elsewhere = await signInAgent(stack);
    assert.equal((await elsewhere.client.rpc('agent_outbox_key')).data, first.data);
  });

  it('gives each agent their own key', async () => {
    const a = await sam.client.rpc('agent_outbox_key');
    const b = await jordan.client.rpc('agent_outbox_key');
    assert.equal(b.error, null);
    assert.notEqual(a.data, b.data);
  });

  it('refuses customers and anon', async () => {
    const visitor = await signInVisitor(stack);
    const refused = await visitor.client.rpc('agent_outbox_key');
    assert.equal(refused.data, null);
    assert.equal(refused.error?.details, 'not_agent');
    const anon = await stack.client().rpc('agent_outbox_key');
    assert.equal(anon.data, null);
    assert.ok(anon.error, 'anon cannot call it');
  });

  it('keeps the keys out of the API: the table is not reachable over REST', async () => {
    for (const table of ['agent_outbox_keys', 'private.agent_outbox_keys']) {
      const { data, error } = await sam.client.from(table).select('*');
      assert.equal(data, null, table);
      assert.ok(error, `${table} is not exposed`);
    }
    const other = await sam.client.schema('private').from('agent_outbox_keys').select('*');
    assert.equal(other.data, null);
    assert.ok(other.error);
  });

  it('denies the API roles the table itself, whatever schemas a project exposes', async () => {
    for (const role of ['anon', 'authenticated']) {
      const db = await stack.db.connect();
      try {
        await db.query('begin');
        await db.query(`set local role ${role}`);
        await assert.rejects(db.query('select * from private.agent_outbox_keys'), /permission denied/, role);
      } finally {
        await db.query('rollback');
        db.release();
      }
    }
  });
});

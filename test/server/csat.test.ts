// CSAT (issue 15, item 4) through the real API: who may rate which conversation and when (own
// conversation only, only while resolved, once per resolution, only with CSAT on), what agents read
// (the ratings, the latest one on the conversation row, the internal thread line, the summary), and
// that a refused rating changes nothing.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';

describe('CSAT: rating a resolved conversation', () => {
  let stack: TestStack;
  let admin: Person;
  let agent: Person;
  let visitor: Person;
  let other: Person;

  before(async () => {
    stack = await startTestStack();
    [admin, agent, visitor, other] = await Promise.all([
      signInAgent(stack, SEED.admin), signInAgent(stack), signInVisitor(stack), signInVisitor(stack),
    ]);
  });
  after(() => stack.close());
  beforeEach(() => setCsat(true, 5));

  async function setCsat(enabled: boolean, scale: 3 | 5): Promise<void> {
    const { error } = await admin.client.from('workspace_settings').update({ csat_enabled: enabled, csat_scale: scale }).eq('id', true);
    assert.equal(error, null, error?.message);
  }

  /** A fresh conversation of `who`, with one message, marked resolved by the agent. */
  async function resolved(who: Person = visitor): Promise<string> {
    const { id } = await startConversation(who);
    await send(who, id, 'Where is my order?');
    await setStatus(id, 'resolved');
    return id;
  }

  async function setStatus(id: string, status: string): Promise<void> {
    const { error } = await agent.client.rpc('set_conversation_status', { p_conversation_id: id, p_status: status });
    assert.equal(error, null, error?.message);
  }

  function rate(who: Person, id: string, score: number, comment?: string) {
    return who.client.rpc('rate_conversation', { p_conversation_id: id, p_score: score, ...(comment === undefined ? {} : { p_comment: comment }) });
  }

  /** What a refused rating must leave alone: the ratings, the conversations and the messages. */
  async function state(): Promise<unknown> {
    const { rows } = await stack.db.query(`
      select (select count(*) from public.conversation_ratings)::int as ratings,
             (select md5(string_agg(c::text, ',' order by id)) from public.conversations c) as conversations,
             (select count(*) from public.messages)::int as messages`);
    return rows[0];
  }

  async function refused(who: Person, id: string, score: number, reason: string, comment?: string): Promise<void> {
    const before = await state();
    const { data, error } = await rate(who, id, score, comment);
    assert.equal(data, null);
    assert.equal(error?.details, reason, `expected ${reason}, got ${error?.details}: ${error?.message}`);
    assert.ok(error?.message, 'a readable message');
    assert.deepEqual(await state(), before, 'nothing changed');
  }

  it('the visitor rates their resolved conversation once: the row, the rating and an internal line', async () => {
    const id = await resolved();
    const { data, error } = await rate(visitor, id, 4, '  Quick and kind.  ');
    assert.equal(error, null, error?.message);
    assert.equal(data.rating_score, 4);
    assert.equal(data.rating_scale, 5);
    assert.equal(data.resolutions, 1);
    assert.equal(data.rating_resolution, 1, 'the rating belongs to this resolution');
    assert.ok(data.rated_at);

    const ratings = await agent.client.from('conversation_ratings').select('*').eq('conversation_id', id);
    assert.equal(ratings.error, null);
    assert.equal(ratings.data?.length, 1);
    assert.equal(ratings.data?.[0].comment, 'Quick and kind.', 'trimmed');
    assert.equal(ratings.data?.[0].customer_id, visitor.id);

    const team = await agent.client.from('messages').select('content,visibility,metadata,sender_type').eq('conversation_id', id)
      .eq('sender_type', 'system').order('seq');
    const line = team.data?.at(-1);
    assert.equal(line?.content, 'Rated 4/5 · Quick and kind.');
    assert.equal(line?.visibility, 'internal');
    assert.deepEqual(line?.metadata, { event: 'rated', score: 4, scale: 5, comment: 'Quick and kind.', resolution: 1 });
    const own = await visitor.client.from('messages').select('content').eq('conversation_id', id).like('content', 'Rated%');
    assert.deepEqual(own.data, [], 'the visitor does not get the team line (their card says thanks)');

    await refused(visitor, id, 5, 'already_rated');
    await refused(visitor, id, 2, 'already_rated', 'changed my mind');
  });

  it('a visitor rates only their own conversation; anon is refused', async () => {
    const id = await resolved();
    await refused(other, id, 5, 'not_found');
    const before = await state();
    const anon = await stack.client().rpc('rate_conversation', { p_conversation_id: id, p_score: 5 });
    assert.equal(anon.error?.code, '42501', 'anon may not call it');
    await refused(visitor, crypto.randomUUID(), 5, 'not_found');
    assert.deepEqual(await state(), before);
    // An agent is not the customer either.
    await refused(agent, id, 5, 'not_found');
  });

  it('only while resolved, and only with CSAT on', async () => {
    const { id } = await startConversation(visitor);
    await send(visitor, id, 'Hello?');
    await refused(visitor, id, 5, 'not_resolved');
    await setStatus(id, 'pending');
    await refused(visitor, id, 5, 'not_resolved');
    await setStatus(id, 'closed');
    await refused(visitor, id, 5, 'not_resolved');

    const resolvedId = await resolved();
    await setCsat(false, 5);
    await refused(visitor, resolvedId, 5, 'csat_disabled');
    await setCsat(true, 5);
    const { error } = await rate(visitor, resolvedId, 5);
    assert.equal(error, null, error?.message);
  });

  it('refuses scores outside the scale and overlong comments; a blank comment is none', async () => {
    const id = await resolved();
    for (const score of [0, 6, -1]) await refused(visitor, id, score, 'score_invalid');
    await refused(visitor, id, 3, 'comment_invalid', 'x'.repeat(501));
    await setCsat(true, 3);
    await refused(visitor, id, 4, 'score_invalid');
    const { data, error } = await rate(visitor, id, 3, '   ');
    assert.equal(error, null, error?.message);
    assert.equal(data.rating_scale, 3);
    const { data: rows } = await agent.client.from('conversation_ratings').select('comment,score,scale').eq('conversation_id', id);
    assert.deepEqual(rows, [{ comment: null, score: 3, scale: 3 }]);
  });

  it('resolved, reopened by the visitor writing, resolved again: asked again, the first rating kept', async () => {
    const id = await resolved();
    assert.equal((await rate(visitor, id, 2)).error, null);
    await send(visitor, id, 'Actually, one more thing');
    const reopened = await visitor.client.from('conversations').select('status,resolutions,rating_score,rating_resolution').eq('id', id).single();
    assert.deepEqual(reopened.data, { status: 'open', resolutions: 1, rating_score: 2, rating_resolution: 1 }, 'writing reopens and keeps the rating');
    await refused(visitor, id, 5, 'not_resolved');
    await setStatus(id, 'resolved');
    const { data, error } = await rate(visitor, id, 5, 'Sorted now');
    assert.equal(error, null, error?.message);
    assert.equal(data.resolutions, 2);
    assert.equal(data.rating_resolution, 2);
    assert.equal(data.rating_score, 5);
    await refused(visitor, id, 1, 'already_rated');
    const { data: rows } = await agent.client.from('conversation_ratings').select('resolution,score').eq('conversation_id', id).order('resolution');
    assert.deepEqual(rows, [{ resolution: 1, score: 2 }, { resolution: 2, score: 5 }]);
  });

  it('ratings are read by agents and their own visitor only, and written by nobody directly', async () => {
    const id = await resolved();
    assert.equal((await rate(visitor, id, 4)).error, null);
    const own = await visitor.client.from('conversation_ratings').select('score').eq('conversation_id', id);
    assert.deepEqual(own.data, [{ score: 4 }]);
    const others = await other.client.from('conversation_ratings').select('score').eq('conversation_id', id);
    assert.deepEqual(others.data, [], 'RLS hides another visitor\'s rating');
    const anon = await stack.client().from('conversation_ratings').select('score');
    assert.equal(anon.error?.code, '42501');

    const before = await state();
    for (const who of [visitor, agent, admin]) {
      const inserted = await who.client.from('conversation_ratings')
        .insert({ conversation_id: id, resolution: 9, customer_id: visitor.id, score: 5, scale: 5 });
      assert.equal(inserted.error?.code, '42501', 'no direct insert');
      const updated = await who.client.from('conversation_ratings').update({ score: 1 }).eq('conversation_id', id);
      assert.equal(updated.error?.code, '42501', 'no update');
      const deleted = await who.client.from('conversation_ratings').delete().eq('conversation_id', id);
      assert.equal(deleted.error?.code, '42501', 'no delete');
    }
    assert.deepEqual(await state(), before);
  });

  it('csat_summary: average and count of the last 7 and 30 days, agents only', async () => {
    await stack.db.query('delete from public.conversation_ratings');
    const [a, b, c] = [await resolved(), await resolved(other), await resolved()];
    assert.equal((await rate(visitor, a, 5)).error, null);
    assert.equal((await rate(other, b, 2)).error, null);
    assert.equal((await rate(visitor, c, 4)).error, null);
    // Back-date one rating past a week (behind the API: nothing else moves rated_at).
    await stack.db.query(`update public.conversation_ratings set rated_at = now() - interval '10 days' where conversation_id = $1`, [c]);

    const week = await agent.client.rpc('csat_summary', { p_days: 7 });
    assert.equal(week.error, null, week.error?.message);
    assert.deepEqual(week.data, { days: 7, scale: 5, count: 2, average: 3.5 });
    const month = await admin.client.rpc('csat_summary', { p_days: 30 });
    assert.deepEqual(month.data, { days: 30, scale: 5, count: 3, average: 3.67 });

    // On a 3-step scale a 5/5 counts as 3/3 and a 2/5 as 1.5/3.
    await setCsat(true, 3);
    const mapped = await agent.client.rpc('csat_summary', { p_days: 7 });
    assert.deepEqual(mapped.data, { days: 7, scale: 3, count: 2, average: 2.25 });

    const refusedVisitor = await visitor.client.rpc('csat_summary', { p_days: 7 });
    assert.equal(refusedVisitor.error?.details, 'not_agent');
    const anon = await stack.client().rpc('csat_summary', { p_days: 7 });
    assert.equal(anon.error?.code, '42501');
    const bad = await agent.client.rpc('csat_summary', { p_days: 0 });
    assert.equal(bad.error?.details, 'days_invalid');
  });
});

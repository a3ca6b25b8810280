// The chatbot's database side (issue 17) through the real supabase-js: which conversations start
// with the bot on, the built-in bot answering from the knowledge base or handing over, quick
// replies (who may offer and tap them, and their bounds), request_handover, the webhook bot's
// bot_reply (key, job, replay), and who may read and write the knowledge base. The worker's RPCs
// are driven here by hand with the service role; supabase/worker/bot has its own tests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';

interface Row {
  id: string;
  seq: number;
  sender_type: string;
  content: string;
  visibility: string;
  metadata: Record<string, unknown>;
}

interface Job {
  message_id: string;
  conversation_id: string;
  text: string;
  quick_reply: string | null;
  language: string;
  customer: { name?: string; email?: string };
  recent: { sender_type: string; text: string }[];
  attempts: number;
}

const ALWAYS_CLOSED = {
  enabled: true, timezone: 'UTC', holidays: [],
  weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
};
const ALWAYS_OPEN = {
  enabled: true, timezone: 'UTC', holidays: [],
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [['00:00', '24:00']]])),
};

describe('chatbot', () => {
  let stack: TestStack;
  let admin: Person;
  let agent: Person;
  let service: SupabaseClient;

  before(async () => {
    stack = await startTestStack();
    [admin, agent] = await Promise.all([signInAgent(stack, SEED.admin), signInAgent(stack)]);
    service = stack.client(stack.stack.keys.serviceRole);
  });
  after(() => stack.close());

  async function settings(values: Record<string, unknown>): Promise<void> {
    const { error } = await admin.client.from('workspace_settings').update(values).eq('id', true);
    assert.equal(error, null, error?.message);
  }

  /** A visitor in a conversation whose bot is on (started under chatbot_start 'always'). */
  async function botConversation(): Promise<{ visitor: Person; id: string }> {
    await settings({ chatbot_start: 'always' });
    try {
      const visitor = await signInVisitor(stack);
      const conversation = await startConversation(visitor);
      assert.equal(conversation.chatbot_enabled, true);
      return { visitor, id: conversation.id };
    } finally {
      await settings({ chatbot_start: 'never' });
    }
  }

  async function say(who: Person, conversationId: string, content: string, metadata?: Record<string, unknown>) {
    return who.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: content, ...(metadata ? { p_metadata: metadata } : {}),
    });
  }

  async function thread(conversationId: string): Promise<Row[]> {
    const { rows } = await stack.db.query<Row>(
      'select id, seq, sender_type, content, visibility, metadata from public.messages where conversation_id = $1 order by seq',
      [conversationId]);
    return rows;
  }

  async function conversation(id: string): Promise<{ chatbot_enabled: boolean; handed_over_at: Date | null }> {
    const { rows } = await stack.db.query<{ chatbot_enabled: boolean; handed_over_at: Date | null }>(
      'select chatbot_enabled, handed_over_at from public.conversations where id = $1', [id]);
    assert.ok(rows[0]);
    return rows[0];
  }

  async function jobs(conversationId: string): Promise<{ message_id: string; state: string; outcome: string | null }[]> {
    const { rows } = await stack.db.query<{ message_id: string; state: string; outcome: string | null }>(
      'select message_id, state, outcome from private.bot_jobs where conversation_id = $1 order by created_at', [conversationId]);
    return rows;
  }

  async function claim(): Promise<Job[]> {
    const { data, error } = await service.rpc('claim_bot_jobs', { p_limit: 100, p_lease_seconds: 60 });
    assert.equal(error, null, error?.message);
    return data as Job[];
  }

  async function answer(messageId: string): Promise<{ outcome: string; article_id?: string }> {
    const { data, error } = await service.rpc('answer_bot_job', { p_message_id: messageId });
    assert.equal(error, null, error?.message);
    return data as { outcome: string; article_id?: string };
  }

  const handovers = (rows: Row[]) => rows.filter((row) => row.metadata.event === 'handover');

  it('the seed\'s bot conversations are history: nothing for a worker to answer', async () => {
    const { rows } = await stack.db.query<{ bots: number }>('select count(*)::int as bots from public.conversations where chatbot_enabled');
    assert.ok((rows[0]?.bots ?? 0) > 0, 'the seed has bot conversations');
    assert.deepEqual(await claim(), []);
  });

  it('answers a question from the knowledge base once, with quick replies, and thanks for "That helped"', async () => {
    const { visitor, id } = await botConversation();
    const question = await send(visitor, id, 'How do I return a print?');
    const claimed = (await claim()).filter((job) => job.conversation_id === id);
    assert.equal(claimed.length, 1);
    const [job] = claimed;
    assert.ok(job);
    assert.equal(job.message_id, question.id);
    assert.equal(job.text, 'How do I return a print?');
    assert.equal(job.language, 'en');
    assert.equal(job.attempts, 1);
    assert.deepEqual(job.recent, [{ sender_type: 'customer', text: 'How do I return a print?' }]);
    assert.deepEqual(await claim().then((all) => all.filter((j) => j.conversation_id === id)), [], 'leased: not claimed twice');

    const result = await answer(question.id);
    assert.equal(result.outcome, 'answered');
    assert.ok(result.article_id);
    assert.deepEqual(await answer(question.id), result, 'a second attempt reports the same outcome');
    const rows = await thread(id);
    const bot = rows.filter((row) => row.sender_type === 'chatbot');
    assert.equal(bot.length, 1, 'answered exactly once');
    assert.match(bot[0]?.content ?? '', /returned within 30 days/);
    assert.deepEqual(bot[0]?.metadata.quick_replies, [{ id: 'helped', label: 'That helped' }, { id: 'handover', label: 'Talk to a person' }]);
    assert.equal(bot[0]?.metadata.article_id, result.article_id);
    assert.equal(bot[0]?.visibility, 'public');
    // The visitor reads it (RLS) and the bot stays on.
    const { data: seen } = await visitor.client.from('messages').select('id').eq('conversation_id', id).eq('sender_type', 'chatbot');
    assert.equal(seen?.length, 1);
    assert.equal((await conversation(id)).chatbot_enabled, true);

    const { data: tapped, error } = await say(visitor, id, 'That helped', { quick_reply: 'helped' });
    assert.equal(error, null, error?.message);
    const helped = tapped as Row;
    assert.equal((await claim()).filter((j) => j.message_id === helped.id).length, 1);
    assert.deepEqual(await answer(helped.id), { outcome: 'answered' });
    await answer(helped.id);
    const thanks = (await thread(id)).filter((row) => row.sender_type === 'chatbot').slice(1);
    assert.deepEqual(thanks.map((row) => [row.content, row.metadata]), [['Glad I could help.', {}]]);
    assert.deepEqual((await jobs(id)).map((j) => [j.state, j.outcome]), [['done', 'answered'], ['done', 'answered']]);
  });

  it('hands over when no article is a confident match', async () => {
    const { visitor, id } = await botConversation();
    const question = await send(visitor, id, 'Can I pay with bitcoin?');
    await claim();
    assert.deepEqual(await answer(question.id), { outcome: 'handover' });
    const after = await conversation(id);
    assert.equal(after.chatbot_enabled, false);
    assert.ok(after.handed_over_at);
    const rows = await thread(id);
    assert.equal(rows.filter((row) => row.sender_type === 'chatbot').length, 0);
    const [line, ...more] = handovers(rows);
    assert.equal(more.length, 0);
    assert.deepEqual([line?.sender_type, line?.visibility, line?.content, line?.metadata],
      ['system', 'public', 'A person will reply here soon.', { event: 'handover', reason: 'low_confidence' }]);
    // The visitor sees the line; a later message of theirs makes no job.
    const { data: seen } = await visitor.client.from('messages').select('content').eq('conversation_id', id).eq('sender_type', 'system');
    assert.deepEqual(seen?.map((row) => row.content), ['A person will reply here soon.']);
    await send(visitor, id, 'Hello?');
    assert.equal((await jobs(id)).length, 1);
  });

  it('answers in the visitor\'s language when the knowledge base has it, else in another', async () => {
    const { visitor, id } = await botConversation();
    const { error } = await visitor.client.rpc('record_visit', { p_url: 'https://shop.test/', p_language: 'de-DE' });
    assert.equal(error, null, error?.message);
    const german = await send(visitor, id, 'Wie kann ich etwas zurückgeben?');
    const [job] = (await claim()).filter((j) => j.message_id === german.id);
    assert.equal(job?.language, 'de');
    assert.equal((await answer(german.id)).outcome, 'answered');
    const english = await send(visitor, id, 'How long does shipping take?');
    await claim();
    assert.equal((await answer(english.id)).outcome, 'answered');
    const bot = (await thread(id)).filter((row) => row.sender_type === 'chatbot');
    assert.match(bot[0]?.content ?? '', /innerhalb von 30 Tagen/);
    assert.deepEqual(bot[0]?.metadata.quick_replies, [{ id: 'helped', label: 'Das hat geholfen' }, { id: 'handover', label: 'Mit einer Person sprechen' }]);
    assert.match(bot[1]?.content ?? '', /leave the studio/);
  });

  it('hands over at once when the visitor taps "Talk to a person", and makes no job of it', async () => {
    const { visitor, id } = await botConversation();
    await send(visitor, id, 'How do I return a print?');
    const { error } = await say(visitor, id, 'Talk to a person', { quick_reply: 'handover' });
    assert.equal(error, null, error?.message);
    assert.equal((await conversation(id)).chatbot_enabled, false);
    assert.deepEqual(handovers(await thread(id)).map((row) => row.metadata.reason), ['asked']);
    // The question's job ends without an answer: the bot is off.
    assert.deepEqual((await jobs(id)).map((j) => j.state), ['done']);
    assert.equal((await claim()).filter((j) => j.conversation_id === id).length, 0);
  });

  it('request_handover: the customer or an agent, once; nobody else', async () => {
    const { visitor, id } = await botConversation();
    const stranger = await signInVisitor(stack);
    const refused = await stranger.client.rpc('request_handover', { p_conversation_id: id });
    assert.equal(refused.error?.code, 'PT404');
    assert.equal((await conversation(id)).chatbot_enabled, true);

    const { data, error } = await visitor.client.rpc('request_handover', { p_conversation_id: id });
    assert.equal(error, null, error?.message);
    assert.equal((data as { chatbot_enabled: boolean }).chatbot_enabled, false);
    assert.ok((data as { handed_over_at: string | null }).handed_over_at);
    const again = await agent.client.rpc('request_handover', { p_conversation_id: id });
    assert.equal(again.error, null);
    assert.equal(handovers(await thread(id)).length, 1, 'idempotent');

    const second = await botConversation();
    const byAgent = await agent.client.rpc('request_handover', { p_conversation_id: second.id });
    assert.equal(byAgent.error, null);
    assert.equal((await conversation(second.id)).chatbot_enabled, false);
  });

  it('an agent turning the bot off mid-conversation: the pending answer is skipped, with no line', async () => {
    const { visitor, id } = await botConversation();
    const question = await send(visitor, id, 'How do I return a print?');
    const { error } = await agent.client.rpc('set_chatbot_enabled', { p_conversation_id: id, p_enabled: false });
    assert.equal(error, null, error?.message);
    assert.deepEqual(await answer(question.id), { outcome: 'skipped' });
    const rows = await thread(id);
    assert.equal(rows.filter((row) => row.sender_type === 'chatbot').length, 0);
    assert.equal(handovers(rows).length, 0);
    assert.equal((await conversation(id)).handed_over_at, null);
  });

  it('chatbot_start: never, always, and outside business hours', async () => {
    const started = async () => (await startConversation(await signInVisitor(stack))).chatbot_enabled;
    try {
      await settings({ chatbot_start: 'never' });
      assert.equal(await started(), false);
      await settings({ chatbot_start: 'always' });
      assert.equal(await started(), true);
      await settings({ chatbot_start: 'outside_hours', business_hours: ALWAYS_CLOSED });
      assert.equal(await started(), true, 'closed all week');
      await settings({ business_hours: ALWAYS_OPEN });
      assert.equal(await started(), false, 'open all week');
      const { rows } = await stack.db.query<{ today: string }>(`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD') as today`);
      await settings({ business_hours: { ...ALWAYS_OPEN, holidays: [rows[0]?.today] } });
      assert.equal(await started(), true, 'a holiday');
      await settings({ business_hours: { ...ALWAYS_CLOSED, enabled: false } });
      assert.equal(await started(), false, 'hours off: never outside them');
    } finally {
      await settings({ chatbot_start: 'never', business_hours: { ...ALWAYS_OPEN, enabled: false } });
    }
  });

  it('outside business hours is judged in the workspace\'s time zone, as the widget judges it', async () => {
    const hours = (timezone: string, extra: Record<string, unknown> = {}) => JSON.stringify({
      ...ALWAYS_CLOSED, timezone, weekly: { ...ALWAYS_CLOSED.weekly, mon: [['09:00', '17:00'], ['20:00', '24:00']] }, ...extra,
    });
    const outside = async (value: string, at: string) => (await stack.db.query<{ outside: boolean }>(
      'select private.outside_business_hours($1::jsonb, $2::timestamptz) as outside', [value, at])).rows[0]?.outside;
    // Monday 2027-01-04 10:00 UTC: 10:00 in London, 19:00 in Tokyo, 05:00 in New York.
    const monday = '2027-01-04T10:00:00Z';
    assert.equal(await outside(hours('Europe/London'), monday), false);
    assert.equal(await outside(hours('Asia/Tokyo'), monday), true);
    assert.equal(await outside(hours('America/New_York'), monday), true);
    assert.equal(await outside(hours('Asia/Tokyo'), '2027-01-04T14:59:00Z'), false, '23:59 in a range ending at 24:00');
    assert.equal(await outside(hours('Europe/London', { holidays: ['2027-01-04'] }), monday), true, 'a holiday');
    // Tuesday 01:30 UTC is Monday 20:30 in New York, inside its evening range: the zone's date decides.
    const evening = '2027-01-05T01:30:00Z';
    assert.equal(await outside(hours('America/New_York'), evening), false);
    assert.equal(await outside(hours('America/New_York', { holidays: ['2027-01-04'] }), evening), true, 'the zone\'s date is a holiday');
    assert.equal(await outside(hours('America/New_York', { holidays: ['2027-01-05'] }), evening), false, 'the UTC date is not the zone\'s');
    assert.equal(await outside(hours('Europe/London', { enabled: false }), '2027-01-03T10:00:00Z'), false, 'hours off');
  });

  it('settings: the kinds, a webhook URL when the kind needs one, the bot\'s name for the widget', async () => {
    const refused = async (values: Record<string, unknown>, constraint: string) => {
      const { error } = await admin.client.from('workspace_settings').update(values).eq('id', true);
      assert.equal(error?.code, '23514', JSON.stringify(values));
      assert.match(error?.message ?? '', new RegExp(constraint));
    };
    await refused({ chatbot_start: 'sometimes' }, 'workspace_settings_chatbot_start_known');
    await refused({ chatbot_kind: 'webhook' }, 'workspace_settings_chatbot_webhook_url_required');
    await refused({ chatbot_webhook_url: 'ftp://bot.test/hook' }, 'workspace_settings_chatbot_webhook_url_format');
    await refused({ chatbot_webhook_url: `https://bot.test/${'a'.repeat(2000)}` }, 'workspace_settings_chatbot_webhook_url_format');
    await refused({ chatbot_name: ' ' }, 'workspace_settings_chatbot_name_length');
    await settings({ chatbot_name: 'Lumi' });
    const visitor = await signInVisitor(stack);
    const { data } = await visitor.client.rpc('widget_settings');
    assert.equal((data as { chatbot_name: string }).chatbot_name, 'Lumi');
    assert.equal(Object.keys(data as object).some((key) => key.startsWith('chatbot_') && key !== 'chatbot_name'), false);
    await settings({ chatbot_name: 'Assistant' });
  });

  it('quick replies: bounded, offered only by the team or the bot, tapped only by the customer', async () => {
    const { visitor, id } = await botConversation();
    const valid = [{ id: 'yes', label: 'Yes please' }, { id: 'no_thanks', label: 'No, thanks' }];
    const ok = await say(agent, id, 'Shall I send a label?', { quick_replies: valid });
    assert.equal(ok.error, null, ok.error?.message);
    const bad: unknown[] = [
      [], [{ id: 'Yes', label: 'Yes' }], [{ id: 'a'.repeat(33), label: 'Yes' }], [{ id: 'yes', label: ' ' }],
      [{ id: 'yes', label: 'x'.repeat(41) }], [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }],
      [1, 2, 3, 4, 5].map((n) => ({ id: `o${n}`, label: `Option ${n}` })), [{ id: 'yes', label: 'Yes', html: '<b>' }],
      [{ id: 'yes' }], 'yes', { id: 'yes', label: 'Yes' },
    ];
    for (const quickReplies of bad) {
      const { error } = await say(agent, id, 'Pick one', { quick_replies: quickReplies });
      assert.equal(error?.code, 'PT400', JSON.stringify(quickReplies));
      assert.equal(error?.details, 'quick_replies_invalid');
      assert.match(error?.message ?? '', /^Quick replies are not valid: /);
    }
    const note = await agent.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: id, p_content: 'note', p_metadata: { quick_replies: valid }, p_visibility: 'internal',
    });
    assert.equal(note.error?.details, 'quick_replies_invalid');
    const customer = await say(visitor, id, 'Pick one', { quick_replies: valid });
    assert.deepEqual([customer.error?.code, customer.error?.details], ['PT403', 'quick_replies_forbidden']);
    const agentTap = await say(agent, id, 'Yes please', { quick_reply: 'yes' });
    assert.deepEqual([agentTap.error?.code, agentTap.error?.details], ['PT403', 'quick_replies_forbidden']);
    const badTap = await say(visitor, id, 'Yes please', { quick_reply: 'Not an id' });
    assert.deepEqual([badTap.error?.code, badTap.error?.details], ['PT400', 'quick_replies_invalid']);
    const tap = await say(visitor, id, 'Yes please', { quick_reply: 'yes' });
    assert.equal(tap.error, null);
    assert.deepEqual((tap.data as Row).metadata, { quick_reply: 'yes' });
    assert.equal((await thread(id)).length, 2, 'only the valid offer and the valid tap were stored');
  });

  describe('webhook bot replies', () => {
    let key: string;
    let anon: SupabaseClient;

    before(async () => {
      await settings({ chatbot_kind: 'webhook', chatbot_webhook_url: 'https://bot.test/hook' });
      const { data, error } = await admin.client.rpc('rotate_chatbot_credentials');
      assert.equal(error, null, error?.message);
      const credentials = data as { webhook_secret: string; bot_key: string };
      assert.match(credentials.webhook_secret, /^whsec_[0-9a-f]{64}$/);
      assert.match(credentials.bot_key, /^pbk_[0-9a-f]{64}$/);
      key = credentials.bot_key;
      anon = stack.client();
    });
    after(() => settings({ chatbot_kind: 'builtin', chatbot_webhook_url: null }));

    function reply(messageId: string, text: string, extra: Record<string, unknown> = {}, botKey = key) {
      return anon.rpc('bot_reply', { p_bot_key: botKey, p_message_id: messageId, p_text: text, ...extra });
    }

    /** A customer message whose job the worker delivered to the bot. */
    async function delivered(): Promise<{ visitor: Person; id: string; messageId: string }> {
      const { visitor, id } = await botConversation();
      const message = await send(visitor, id, 'Do you frame prints?');
      await claim();
      const { data, error } = await service.rpc('mark_bot_job_sent', { p_message_id: message.id, p_deadline_seconds: 30 });
      assert.equal(error, null, error?.message);
      assert.equal(data, true);
      return { visitor, id, messageId: message.id };
    }

    it('only admins rotate credentials; the secret and key hash stay out of reach', async () => {
      for (const who of [agent, await signInVisitor(stack)]) {
        const { error } = await who.client.rpc('rotate_chatbot_credentials');
        assert.equal(error?.details, 'admin_required');
      }
      const config = await service.rpc('chatbot_worker_config');
      assert.equal(config.error, null);
      assert.equal((config.data as { kind: string }).kind, 'webhook');
      assert.match((config.data as { webhook_secret: string }).webhook_secret, /^whsec_/);
      const denied = await admin.client.rpc('chatbot_worker_config');
      assert.notEqual(denied.error, null);
      const { rows } = await stack.db.query<{ bot_key_hash: string }>('select bot_key_hash from private.chatbot_credentials');
      assert.notEqual(rows[0]?.bot_key_hash, key, 'the key is stored hashed');
    });

    it('posts as chatbot into the job\'s conversation, once; a replay returns the same message', async () => {
      const { visitor, id, messageId } = await delivered();
      const first = await reply(messageId, 'Yes: oak, walnut or black.', { p_quick_replies: [{ id: 'oak', label: 'Oak' }] });
      assert.equal(first.error, null, first.error?.message);
      const posted = first.data as Row & { conversation_id: string };
      assert.equal(posted.sender_type, 'chatbot');
      assert.equal(posted.conversation_id, id);
      assert.deepEqual(posted.metadata, { quick_replies: [{ id: 'oak', label: 'Oak' }] });
      const replay = await reply(messageId, 'Yes: oak, walnut or black.', { p_quick_replies: [{ id: 'oak', label: 'Oak' }] });
      assert.equal(replay.error, null);
      assert.equal((replay.data as Row).id, posted.id);
      const second = await reply(messageId, 'Something else');
      assert.deepEqual([second.error?.code, second.error?.details], ['PT403', 'bot_job_unknown']);
      assert.equal((await thread(id)).filter((row) => row.sender_type === 'chatbot').length, 1);
      assert.deepEqual((await jobs(id)).map((j) => [j.state, j.outcome]), [['done', 'answered']]);
      const { data: seen } = await visitor.client.from('messages').select('content').eq('conversation_id', id).eq('sender_type', 'chatbot');
      assert.deepEqual(seen?.map((row) => row.content), ['Yes: oak, walnut or black.']);
    });

    it('refuses a wrong key, an unknown job and a conversation the bot was not given', async () => {
      const { id, messageId } = await delivered();
      const before = await thread(id);
      for (const wrong of [`pbk_${'0'.repeat(64)}`, '', key.slice(0, -1), 'x'.repeat(5000)]) {
        const { error } = await reply(messageId, 'Hi', {}, wrong);
        assert.deepEqual([error?.code, error?.details], ['PT401', 'bot_key_invalid']);
      }
      const unknown = await reply(crypto.randomUUID(), 'Hi');
      assert.deepEqual([unknown.error?.code, unknown.error?.details], ['PT403', 'bot_job_unknown']);
      // A conversation without the bot: its messages make no job, so the bot cannot post there.
      const visitor = await signInVisitor(stack);
      const plain = await startConversation(visitor);
      const other = await send(visitor, plain.id, 'Hello team');
      const notGiven = await reply(other.id, 'Hi from the bot');
      assert.deepEqual([notGiven.error?.code, notGiven.error?.details], ['PT403', 'bot_job_unknown']);
      // An agent's message in a bot conversation is not a job either.
      const agentMessage = await send(agent, id, 'I am here too');
      const notACustomer = await reply(agentMessage.id, 'Hi');
      assert.equal(notACustomer.error?.details, 'bot_job_unknown');
      assert.equal((await thread(plain.id)).filter((row) => row.sender_type === 'chatbot').length, 0);
      assert.equal((await thread(id)).length, before.length + 1, 'only the agent\'s message was added');
      const badReplies = await reply(messageId, 'Pick', { p_quick_replies: [{ id: 'X', label: 'x' }] });
      assert.equal(badReplies.error?.details, 'quick_replies_invalid');
      const empty = await reply(messageId, '  ');
      assert.equal(empty.error?.details, 'content_empty');
    });

    it('hands over when the bot says so, and refuses a reply once an agent turned the bot off', async () => {
      const first = await delivered();
      const handed = await reply(first.messageId, 'Let me get a colleague.', { p_handover: true });
      assert.equal(handed.error, null, handed.error?.message);
      assert.equal((await conversation(first.id)).chatbot_enabled, false);
      assert.deepEqual(handovers(await thread(first.id)).map((row) => row.metadata.reason), ['bot']);

      const second = await delivered();
      await agent.client.rpc('set_chatbot_enabled', { p_conversation_id: second.id, p_enabled: false });
      const late = await reply(second.messageId, 'Too late');
      assert.deepEqual([late.error?.code, late.error?.details], ['PT409', 'chatbot_disabled']);
      assert.equal((await thread(second.id)).filter((row) => row.sender_type === 'chatbot').length, 0);
    });

    it('a bot that misses its deadline or fails hands the conversation over', async () => {
      const late = await delivered();
      await stack.db.query(`update private.bot_jobs set deadline = now() - interval '1 second' where message_id = $1`, [late.messageId]);
      await claim();
      assert.deepEqual((await jobs(late.id)).map((j) => j.state), ['failed']);
      assert.deepEqual(handovers(await thread(late.id)).map((row) => row.metadata.reason), ['bot_failed']);
      const afterDeadline = await reply(late.messageId, 'Sorry, I was slow');
      assert.equal(afterDeadline.error?.details, 'bot_job_unknown');

      const { visitor, id } = await botConversation();
      const message = await send(visitor, id, 'Anyone there?');
      await claim();
      const failed = await service.rpc('fail_bot_job', { p_message_id: message.id, p_error: 'HTTP 500' });
      assert.equal(failed.data, true);
      assert.equal((await service.rpc('fail_bot_job', { p_message_id: message.id })).data, false, 'once');
      assert.deepEqual(handovers(await thread(id)).map((row) => row.metadata.reason), ['bot_failed']);
    });
  });

  it('the knowledge base: agents read it, admins write it, visitors see nothing', async () => {
    const visitor = await signInVisitor(stack);
    const { data: hidden } = await visitor.client.from('knowledge_articles').select('id');
    assert.deepEqual(hidden, []);
    const { data: read, error: readError } = await agent.client.from('knowledge_articles').select('question, tags, language');
    assert.equal(readError, null);
    assert.ok((read?.length ?? 0) >= 8);
    const article = { question: 'Do you sell gift cards?', answer: 'Yes, from £10.', tags: ['gift card'] };
    const byAgent = await agent.client.from('knowledge_articles').insert(article);
    assert.equal(byAgent.error?.code, '42501');
    const byVisitor = await visitor.client.from('knowledge_articles').insert(article);
    assert.equal(byVisitor.error?.code, '42501');

    const { data: created, error } = await admin.client.from('knowledge_articles').insert(article).select('id, language, updated_by').single();
    assert.equal(error, null, error?.message);
    assert.deepEqual([created.language, created.updated_by], ['en', SEED.admin.id]);
    const articleId = String(created.id);
    const edit = await agent.client.from('knowledge_articles').update({ answer: 'No.' }).eq('id', articleId).select('id');
    assert.deepEqual(edit.data, [], 'an agent changes nothing');
    const removed = await agent.client.from('knowledge_articles').delete().eq('id', articleId).select('id');
    assert.deepEqual(removed.data, []);
    for (const bad of [{ tags: ['x'.repeat(41)] }, { tags: Array.from({ length: 11 }, (_, n) => `t${n}`) }, { tags: [' '] },
      { question: ' ' }, { answer: 'x'.repeat(4001) }, { language: 'English' }]) {
      const refused = await admin.client.from('knowledge_articles').update(bad).eq('id', articleId);
      assert.equal(refused.error?.code, '23514', JSON.stringify(bad));
    }
    const updated = await admin.client.from('knowledge_articles').update({ answer: 'Yes, from £10 to £200.' }).eq('id', articleId).select('answer');
    assert.deepEqual(updated.data, [{ answer: 'Yes, from £10 to £200.' }]);
    const gone = await admin.client.from('knowledge_articles').delete().eq('id', articleId).select('id');
    assert.equal(gone.data?.length, 1);
  });

  it('the worker\'s RPCs are the service role\'s alone', async () => {
    for (const [name, args] of [
      ['claim_bot_jobs', { p_limit: 1, p_lease_seconds: 60 }], ['answer_bot_job', { p_message_id: crypto.randomUUID() }],
      ['mark_bot_job_sent', { p_message_id: crypto.randomUUID(), p_deadline_seconds: 30 }],
      ['fail_bot_job', { p_message_id: crypto.randomUUID(), p_error: 'x' }], ['complete_bot_job', { p_message_id: crypto.randomUUID() }],
      ['chatbot_worker_config', {}],
    ] as const) {
      const { error } = await admin.client.rpc(name, args);
      assert.equal(error?.code, '42501', name);
    }
  });
});

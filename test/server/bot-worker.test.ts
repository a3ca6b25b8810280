// The bot worker (issue 17) against the real stack: the built-in bot woken by Postgres changes, the
// webhook bot (the example bot of supabase/worker/bot/example-bot.ts) signed end to end, and what
// must be refused or handed over: a wrong signature, a replayed request, a bot that never answers,
// a bot posting into a conversation it was not given. A worker that dies mid-stream and a second
// instance still answer every message exactly once.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createExampleBot } from '../../supabase/worker/bot/example-bot.ts';
import { signWebhook, verifyWebhook } from '../../supabase/worker/bot/signature.ts';
import { createBotWorker, type BotWorker, type BotWorkerOptions } from '../../supabase/worker/bot/worker.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

const WORKER_CLI = new URL('../../supabase/worker/cli.ts', import.meta.url).pathname;

interface Captured {
  readonly body: string;
  readonly headers: Record<string, string>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

describe('bot worker', () => {
  let stack: TestStack;
  let admin: Person;
  let service: SupabaseClient;
  const workers: BotWorker[] = [];
  const servers: http.Server[] = [];

  before(async () => {
    stack = await startTestStack();
    admin = await signInAgent(stack, SEED.admin);
    service = stack.client(stack.stack.keys.serviceRole);
  });
  after(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await Promise.all(servers.map(stop));
    await stack.close();
  });

  function worker(options: Partial<BotWorkerOptions> = {}): BotWorker {
    const created = createBotWorker({ supabaseUrl: stack.url, serviceRoleKey: stack.stack.keys.serviceRole, realtime: false, ...options });
    workers.push(created);
    return created;
  }

  async function settings(values: Record<string, unknown>): Promise<void> {
    const { error } = await admin.client.from('workspace_settings').update(values).eq('id', true);
    assert.equal(error, null, error?.message);
  }

  async function botConversation(): Promise<{ visitor: Person; id: string }> {
    await settings({ chatbot_start: 'always' });
    try {
      const visitor = await signInVisitor(stack);
      const { id, chatbot_enabled: enabled } = await startConversation(visitor);
      assert.equal(enabled, true);
      return { visitor, id };
    } finally {
      await settings({ chatbot_start: 'never' });
    }
  }

  async function botReplies(conversationId: string): Promise<{ content: string; sender_type: string }[]> {
    const { rows } = await stack.db.query<{ content: string; sender_type: string }>(
      `select content, sender_type from public.messages where conversation_id = $1 and sender_type = 'chatbot' order by seq`, [conversationId]);
    return rows;
  }

  async function handoverReasons(conversationId: string): Promise<unknown[]> {
    const { rows } = await stack.db.query<{ reason: unknown }>(
      `select metadata ->> 'reason' as reason from public.messages where conversation_id = $1 and metadata ->> 'event' = 'handover'`, [conversationId]);
    return rows.map((row) => row.reason);
  }

  it('the built-in bot answers at once when the change feed wakes it', async () => {
    const live = worker({ realtime: true, pollMs: 3_600_000 });
    await live.start();
    const { visitor, id } = await botConversation();
    await send(visitor, id, 'How do I return a print?');
    await waitFor(async () => (await botReplies(id)).length === 1, 'the bot\'s answer');
    assert.match((await botReplies(id))[0]?.content ?? '', /returned within 30 days/);
    await send(visitor, id, 'Can I pay with bitcoin?');
    await waitFor(async () => (await handoverReasons(id)).length === 1, 'the handover');
    assert.deepEqual(await handoverReasons(id), ['low_confidence']);
    assert.equal((await botReplies(id)).length, 1);
    // The tests below drive their own workers.
    await live.close();
  });

  it('signatures: a wrong secret, a changed body, an old timestamp and a replay are refused', () => {
    const body = '{"type":"message.created"}';
    const headers = signWebhook('whsec_right', body, 1_000_000);
    const seen = new Map<string, number>();
    assert.deepEqual(verifyWebhook('whsec_wrong', body, headers, { now: 1_000_000 }), { ok: false, reason: 'signature' });
    assert.deepEqual(verifyWebhook('whsec_right', `${body} `, headers, { now: 1_000_000 }), { ok: false, reason: 'signature' });
    assert.deepEqual(verifyWebhook('whsec_right', body, headers, { now: 1_000_301 }), { ok: false, reason: 'expired' });
    assert.deepEqual(verifyWebhook('whsec_right', body, {}, { now: 1_000_000 }), { ok: false, reason: 'missing' });
    assert.deepEqual(verifyWebhook('whsec_right', body, headers, { now: 1_000_010, seen }), { ok: true });
    assert.deepEqual(verifyWebhook('whsec_right', body, headers, { now: 1_000_020, seen }), { ok: false, reason: 'replayed' });
    const resigned = { ...headers, 'X-Parley-Timestamp': '1000020' };
    assert.deepEqual(verifyWebhook('whsec_right', body, resigned, { now: 1_000_020 }), { ok: false, reason: 'signature' }, 're-dated');
  });

  describe('webhook bot', () => {
    let credentials: { webhook_secret: string; bot_key: string };
    let botUrl: string;
    const captured: Captured[] = [];

    before(async () => {
      const { data, error } = await admin.client.rpc('rotate_chatbot_credentials');
      assert.equal(error, null, error?.message);
      credentials = data as { webhook_secret: string; bot_key: string };
      const bot = createExampleBot({ secret: credentials.webhook_secret, botKey: credentials.bot_key, anonKey: stack.stack.keys.anon });
      // Keeps a copy of each request as it arrived, to replay it below.
      bot.prependListener('request', (req: http.IncomingMessage) => {
        let body = '';
        req.on('data', (chunk) => { body += String(chunk); });
        req.on('end', () => captured.push({ body, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])) }));
      });
      servers.push(bot);
      botUrl = await listen(bot);
      await settings({ chatbot_kind: 'webhook', chatbot_webhook_url: botUrl });
    });
    after(() => settings({ chatbot_kind: 'builtin', chatbot_webhook_url: null }));

    it('delivers signed, and the example bot answers and hands over through bot_reply', async () => {
      const { visitor, id } = await botConversation();
      const message = await send(visitor, id, 'Do you frame prints?');
      const summary = await worker().runOnce();
      assert.equal(summary.sent, 1);
      await waitFor(async () => (await botReplies(id)).length === 1, 'the example bot\'s reply');
      assert.deepEqual(await botReplies(id), [{ content: 'You said: Do you frame prints?', sender_type: 'chatbot' }]);
      const request = captured.at(-1);
      assert.ok(request);
      const body = JSON.parse(request.body) as { type: string; job: { message_id: string; text: string }; reply_url: string };
      assert.equal(body.type, 'message.created');
      assert.equal(body.job.message_id, message.id);
      assert.equal(body.reply_url, `${stack.url}/rest/v1/rpc/bot_reply`);
      assert.match(request.headers['x-parley-signature'] ?? '', /^v1=[0-9a-f]{64}$/);

      await send(visitor, id, 'I would rather talk to a person');
      await worker().runOnce();
      await waitFor(async () => (await handoverReasons(id)).length === 1, 'the bot\'s handover');
      assert.deepEqual(await handoverReasons(id), ['bot']);
    });

    it('a replayed request is refused and posts nothing', async () => {
      const { visitor, id } = await botConversation();
      await send(visitor, id, 'Do you ship to Norway?');
      await worker().runOnce();
      await waitFor(async () => (await botReplies(id)).length === 1, 'the first reply');
      const request = captured.at(-1);
      assert.ok(request);
      const replay = await fetch(botUrl, { method: 'POST', headers: request.headers, body: request.body });
      assert.deepEqual([replay.status, await replay.text()], [401, 'replayed']);
      const old = await fetch(botUrl, { method: 'POST', body: request.body,
        headers: signWebhook(credentials.webhook_secret, request.body, Math.floor(Date.now() / 1000) - 301) });
      assert.deepEqual([old.status, await old.text()], [401, 'expired']);
      assert.equal((await botReplies(id)).length, 1);
    });

    it('a worker signing with the wrong secret is refused by the bot, and the visitor goes to a person', async () => {
      const { visitor, id } = await botConversation();
      await stack.db.query(`update private.chatbot_credentials set webhook_secret = 'whsec_' || repeat('0', 64)`);
      try {
        await send(visitor, id, 'Hello bot');
        const summary = await worker().runOnce();
        assert.equal(summary.failed, 1);
        assert.deepEqual(await handoverReasons(id), ['bot_failed']);
        assert.equal((await botReplies(id)).length, 0);
      } finally {
        await stack.db.query(`update private.chatbot_credentials set webhook_secret = $1`, [credentials.webhook_secret]);
      }
    });

    it('a bot that never answers: bounded attempts, then a person', async () => {
      let requests = 0;
      const silent = http.createServer(() => { requests += 1; });
      servers.push(silent);
      await settings({ chatbot_webhook_url: await listen(silent) });
      try {
        const { visitor, id } = await botConversation();
        await send(visitor, id, 'Anyone?');
        const summary = await worker({ webhookTimeoutMs: 200, webhookAttempts: 2 }).runOnce();
        assert.equal(summary.failed, 1);
        assert.equal(requests, 2);
        assert.deepEqual(await handoverReasons(id), ['bot_failed']);
      } finally {
        await settings({ chatbot_webhook_url: botUrl });
      }
    });

    it('a bot that takes the message but never replies: a person after the deadline', async () => {
      const mute = http.createServer((_req, res) => res.writeHead(202).end());
      servers.push(mute);
      await settings({ chatbot_webhook_url: await listen(mute) });
      try {
        const { visitor, id } = await botConversation();
        const message = await send(visitor, id, 'Hello?');
        assert.equal((await worker().runOnce()).sent, 1);
        assert.deepEqual(await handoverReasons(id), []);
        // The deadline passes (moved in the database, not waited for); the next round hands over.
        await stack.db.query(`update private.bot_jobs set deadline = now() - interval '1 second' where message_id = $1`, [message.id]);
        await worker().runOnce();
        assert.deepEqual(await handoverReasons(id), ['bot_failed']);
      } finally {
        await settings({ chatbot_webhook_url: botUrl });
      }
    });

    it('a bot posting into a conversation it was not given is refused', async () => {
      const { visitor, id } = await botConversation();
      const delivered = await send(visitor, id, 'Question one');
      await worker().runOnce();
      await waitFor(async () => (await botReplies(id)).length === 1, 'the reply to the delivered message');
      // Another visitor's conversation, without the bot: the key does not reach it.
      const other = await signInVisitor(stack);
      const plain = await startConversation(other);
      const foreign = await send(other, plain.id, 'Private question');
      const anon = stack.client();
      const { error } = await anon.rpc('bot_reply', { p_bot_key: credentials.bot_key, p_message_id: foreign.id, p_text: 'Hi from the bot' });
      assert.deepEqual([error?.code, error?.details], ['PT403', 'bot_job_unknown']);
      const again = await anon.rpc('bot_reply', { p_bot_key: credentials.bot_key, p_message_id: delivered.id, p_text: 'A second answer' });
      assert.equal(again.error?.details, 'bot_job_unknown', 'one reply per message');
      assert.equal((await botReplies(plain.id)).length, 0);
    });
  });

  /** `npm run worker` in its own process, resolved once its change feed is subscribed. */
  async function workerProcess(): Promise<ChildProcess> {
    const child = fork(WORKER_CLI, [], {
      execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, SUPABASE_URL: stack.url, SUPABASE_SERVICE_ROLE_KEY: stack.stack.keys.serviceRole, REPLY_MAIL: 'off', BOT_POLL_MS: '200' },
    });
    let output = '';
    child.stdout?.on('data', (chunk) => { output += String(chunk); });
    await waitFor(() => output.includes('bot worker following'), 'the worker process to start', 30_000);
    return child;
  }

  it('a worker process killed (SIGKILL) mid-stream and a restarted one answer every message exactly once', async () => {
    const conversations: { visitor: Person; id: string }[] = [];
    for (let n = 0; n < 3; n++) conversations.push(await botConversation());
    const sent: string[] = [];
    const ask = async (question: string) => {
      for (const { visitor, id } of conversations) sent.push((await send(visitor, id, question)).id);
    };
    const answered = async () => (await stack.db.query<{ n: number }>(
      `select count(*)::int as n from public.messages where id = any (select md5('bot:' || s)::uuid from unnest($1::text[]) s)`, [sent])).rows[0]?.n ?? 0;

    const first = await workerProcess();
    await ask('How do I return a print?');
    await waitFor(async () => await answered() >= 1, 'the first answers');
    // Killed while messages keep coming: whatever it held stays leased, half done or not begun.
    await ask('How long does shipping take?');
    first.kill('SIGKILL');
    await once(first, 'exit');
    await ask('Can I cancel my order?');
    // Its leases run out (moved in the database rather than waited for); a new process takes over.
    await stack.db.query(`update private.bot_jobs set claimed_until = now() - interval '1 second' where state = 'pending'`);
    const second = await workerProcess();
    try {
      await waitFor(async () => await answered() === sent.length, 'every message answered', 20_000);
    } finally {
      second.kill('SIGTERM');
      await once(second, 'exit');
    }
    const { rows } = await stack.db.query<{ answers: number }>(`
      select count(*) filter (where sender_type = 'chatbot')::int as answers from public.messages where conversation_id = any ($1::uuid[])`,
    [conversations.map((c) => c.id)]);
    assert.equal(sent.length, 9);
    assert.deepEqual(rows[0], { answers: 9 }, 'exactly one answer per message');
  });

  it('a worker killed mid-stream, a restart and a second instance answer every message exactly once', async () => {
    const conversations: { visitor: Person; id: string }[] = [];
    for (let n = 0; n < 4; n++) conversations.push(await botConversation());
    const questions = ['How do I return a print?', 'How long does shipping take?', 'Which cover should I choose?', 'Can I cancel my order?'];
    const sent: string[] = [];
    const ask = async (round: number) => {
      for (const [index, { visitor, id }] of conversations.entries()) {
        sent.push((await send(visitor, id, questions[(index + round) % questions.length] ?? '')).id);
      }
    };
    await ask(0);
    // The first worker claims the round and dies before answering: its jobs stay leased to it.
    const { data: claimed } = await service.rpc('claim_bot_jobs', { p_limit: 100, p_lease_seconds: 60 });
    assert.equal((claimed as unknown[]).length, 4);
    await ask(1);
    // Its lease runs out (moved in the database); a restarted worker and a second one share the rest.
    await stack.db.query(`update private.bot_jobs set claimed_until = now() - interval '1 second' where state = 'pending'`);
    const restarted = worker({ realtime: true, batchSize: 3 });
    const second = worker({ realtime: true, batchSize: 3 });
    await Promise.all([restarted.start(), second.start()]);
    await ask(2);
    await Promise.all([restarted.runOnce(), second.runOnce(), restarted.runOnce(), second.runOnce()]);
    await waitFor(async () => {
      const { rows: open } = await stack.db.query(`select 1 from private.bot_jobs where message_id = any ($1::uuid[]) and state <> 'done'`, [sent]);
      return open.length === 0;
    }, 'every job done', 10_000);
    const { rows } = await stack.db.query<{ message_id: string; replies: number; state: string }>(`
      select j.message_id, j.state, (select count(*) from public.messages m where m.id = md5('bot:' || j.message_id::text)::uuid)::int as replies
        from private.bot_jobs j where j.message_id = any ($1::uuid[])`, [sent]);
    assert.equal(rows.length, 12);
    assert.deepEqual(rows.filter((row) => row.replies !== 1 || row.state !== 'done'), [], 'each message answered once');
    for (const { id } of conversations) {
      const replies = await botReplies(id);
      assert.equal(replies.length, 3, 'one answer per question');
    }
    const { rows: counts } = await stack.db.query<{ answered: number; messages: number }>(`
      select count(*) filter (where sender_type = 'chatbot')::int as answered, count(*)::int as messages
        from public.messages where conversation_id = any ($1::uuid[])`, [conversations.map((c) => c.id)]);
    assert.deepEqual(counts[0], { answered: 12, messages: 24 });
  });
});

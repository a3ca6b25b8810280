// Reply emails (issue 15, item 3) on the real stack: the worker claims through the service-role RPCs,
// sends over SMTP to the stack's mail catcher, and the tests read what arrived from the catcher's
// JSON. Time moves in the database (message and job timestamps), never by waiting.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createReplyMailer, type ReplyMailer } from '../../supabase/worker/reply-mail/worker.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, send, signInAgent, signInVisitor, startConversation, type Person } from '../helpers/users.ts';
import { mailsTo, type CaughtMailJson } from './auth-email-helpers.ts';

interface Visitor extends Person {
  readonly email: string;
  readonly conversationId: string;
}

type MailWithHeaders = CaughtMailJson & { readonly headers: Record<string, string>; readonly html: string | null };

describe('reply emails', () => {
  let stack: TestStack;
  let agent: Person;
  const workers: ReplyMailer[] = [];

  before(async () => {
    stack = await startTestStack();
    agent = await signInAgent(stack);
  });
  after(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    await stack.close();
  });

  async function worker(smtpUrl = stack.stack.mail.smtpUrl): Promise<ReplyMailer> {
    const mailer = createReplyMailer({
      supabaseUrl: stack.url, serviceRoleKey: stack.stack.keys.serviceRole, smtpUrl,
      from: 'Acme Support <support@acme.test>', siteUrl: 'http://shop.test/help',
    });
    workers.push(mailer);
    await mailer.listen(0);
    return mailer;
  }

  /** A visitor with a conversation and a message of their own; `confirmed` gives them a confirmed permanent email. */
  async function visitor(kind: 'confirmed' | 'anonymous' | 'unconfirmed' = 'confirmed'): Promise<Visitor> {
    const person = await signInVisitor(stack);
    const conversation = await startConversation(person);
    await send(person, conversation.id, 'Where is my order?');
    const email = `visitor-${crypto.randomUUID().slice(0, 8)}@example.test`;
    if (kind !== 'anonymous') {
      await stack.db.query(
        `update auth.users set email = $2, is_anonymous = false, email_confirmed_at = case when $3 then now() end where id = $1`,
        [person.id, email, kind === 'confirmed']);
    }
    return { ...person, email, conversationId: conversation.id };
  }

  /** The conversation's replies were written `minutes` ago. */
  async function age(conversationId: string, minutes = 11): Promise<void> {
    await stack.db.query(`update public.messages set created_at = created_at - make_interval(mins => $2) where conversation_id = $1`,
      [conversationId, minutes]);
  }

  async function jobs(conversationId: string): Promise<{ status: string; attempts: number; due: boolean; last_error: string | null }[]> {
    const { rows } = await stack.db.query<{ status: string; attempts: number; due: boolean; last_error: string | null }>(
      `select status, attempts, next_attempt_at <= now() as due, last_error from private.reply_email_jobs
        where conversation_id = $1 order by created_at`, [conversationId]);
    return rows;
  }

  const mails = async (to: string) => await mailsTo(stack, to) as MailWithHeaders[];

  it('mails an unseen agent reply once, however often and however many workers run', async () => {
    const one = await worker();
    const two = await worker();
    const v = await visitor();
    await send(agent, v.conversationId, 'It ships tomorrow. <b>Not bold</b>');
    await one.runOnce();
    assert.deepEqual(await mails(v.email), [], 'not before the delay');
    await age(v.conversationId);
    await Promise.all([one.runOnce(), two.runOnce(), one.runOnce(), two.runOnce()]);
    await one.runOnce();
    const [mail, ...more] = await mails(v.email);
    assert.equal(more.length, 0, 'exactly one mail');
    assert.ok(mail);
    const brand = (await stack.db.query<{ brand_name: string }>('select brand_name from public.workspace_settings')).rows[0]?.brand_name;
    assert.equal(mail.subject, `New reply from ${brand}`);
    assert.match(mail.text, /It ships tomorrow\. <b>Not bold<\/b>/, 'the reply, as text');
    assert.equal(mail.html, null, 'no HTML part');
    const back = new URL(mail.links.find((link) => link.includes('#parley-conversation=')) ?? '');
    assert.equal(`${back.origin}${back.pathname}`, 'http://shop.test/help');
    const fragment = new URLSearchParams(back.hash.slice(1));
    assert.deepEqual([...fragment.keys()], ['parley-conversation', 'parley-token']);
    assert.equal(fragment.get('parley-conversation'), v.conversationId);
    const [job] = await stack.db.query<{ id: string }>('select id from private.reply_email_jobs where conversation_id = $1', [v.conversationId])
      .then((result) => result.rows);
    assert.equal(mail.headers['message-id'], `<reply-${job?.id}@acme.test>`);
    assert.match(mail.headers['list-unsubscribe'] ?? '', /^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[0-9a-f]{64}>$/);
    assert.equal(mail.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    assert.deepEqual((await jobs(v.conversationId)).map((j) => j.status), ['sent']);

    // The token signs the reader in as the visitor (on any device), and only once.
    const reader = stack.client();
    const signedIn = await reader.auth.verifyOtp({ token_hash: fragment.get('parley-token') ?? '', type: 'magiclink' });
    assert.equal(signedIn.error, null);
    assert.equal(signedIn.data.user?.id, v.id);
    const { data: rows } = await reader.from('conversations').select('id');
    assert.deepEqual(rows?.map((row) => row.id), [v.conversationId]);
    const again = await stack.client().auth.verifyOtp({ token_hash: fragment.get('parley-token') ?? '', type: 'magiclink' });
    assert.equal(again.error?.code, 'otp_expired');
  });

  it('names the files of a reply that is only files (the link opens them)', async () => {
    const mailer = await worker();
    const v = await visitor();
    await send(agent, v.conversationId, 'placeholder');
    // The reply as insert_message stores a files-only message (its checks need Storage; the mail does not).
    await stack.db.query(
      `update public.messages set content = '', attachments = $2::jsonb
        where conversation_id = $1 and sender_type = 'agent'`,
      [v.conversationId, JSON.stringify([
        { key: `${v.conversationId}/${crypto.randomUUID()}/invoice.pdf`, name: 'Invoice\u202e.pdf', size: 1200, type: 'application/pdf' },
        { key: `${v.conversationId}/${crypto.randomUUID()}/photo.png`, name: 'photo 2.png', size: 5000, type: 'image/png', width: 10, height: 10 },
      ])]);
    await age(v.conversationId);
    await mailer.runOnce();
    const [mail, ...more] = await mails(v.email);
    assert.equal(more.length, 0);
    assert.ok(mail);
    assert.match(mail.text, /wrote:\n\nAttached: Invoice .pdf, photo 2\.png\n/, 'the names, one line, controls out');
    assert.doesNotMatch(mail.text, /placeholder/);
  });

  it('sends the plain link when no sign-in link can be generated', async () => {
    const mailer = await worker();
    const v = await visitor();
    await send(agent, v.conversationId, 'Here is your answer.');
    await age(v.conversationId);
    // Auth fails for this user only (a real failure of the admin call, arranged in the database).
    await stack.db.query(`create or replace function public.test_refuse_recovery() returns trigger language plpgsql as $$
      begin raise exception 'recovery tokens are refused in this test'; end $$`);
    await stack.db.query(`create trigger test_refuse_recovery before update of recovery_token on auth.users
      for each row when (new.id = '${v.id}') execute function public.test_refuse_recovery()`);
    try {
      const summary = await mailer.runOnce();
      assert.equal(summary.sent, 1);
    } finally {
      await stack.db.query('drop trigger test_refuse_recovery on auth.users');
      await stack.db.query('drop function public.test_refuse_recovery()');
    }
    const [mail, ...more] = await mails(v.email);
    assert.equal(more.length, 0);
    assert.ok(mail?.links.includes(`http://shop.test/help#parley-conversation=${v.conversationId}`), mail?.text);
  });

  it('links back to the visitor\'s last page when the visitor context knows it', async () => {
    const mailer = await worker();
    const v = await visitor();
    const { error } = await v.client.rpc('record_visit', { p_url: 'https://shop.test/cart?x=1#top' });
    assert.equal(error, null);
    await send(agent, v.conversationId, 'Your cart is saved.');
    await age(v.conversationId);
    await mailer.runOnce();
    const [mail] = await mails(v.email);
    const back = mail?.links.find((link) => link.startsWith(`https://shop.test/cart?x=1#parley-conversation=${v.conversationId}&parley-token=`));
    assert.ok(back, mail?.text);
  });

  it('sends nothing for a reply the visitor has seen, for a note, or to an anonymous or unconfirmed visitor', async () => {
    const mailer = await worker();
    const seen = await visitor();
    const reply = await send(agent, seen.conversationId, 'Seen already');
    assert.equal((await seen.client.rpc('mark_read', { p_conversation_id: seen.conversationId, p_seq: reply.seq })).error, null);
    const noted = await visitor();
    const note = await agent.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: noted.conversationId, p_content: 'Internal: check the warehouse', p_visibility: 'internal',
    });
    assert.equal(note.error, null);
    const anonymous = await visitor('anonymous');
    const unconfirmed = await visitor('unconfirmed');
    for (const v of [anonymous, unconfirmed]) await send(agent, v.conversationId, 'A reply nobody can be mailed');
    for (const v of [seen, noted, anonymous, unconfirmed]) await age(v.conversationId);
    await mailer.runOnce();
    for (const v of [seen, noted, anonymous, unconfirmed]) {
      assert.deepEqual(await mails(v.email), [], v.email);
      assert.deepEqual(await jobs(v.conversationId), []);
    }
  });

  it('sends no second mail within the interval, and one more with only the new reply after it', async () => {
    const mailer = await worker();
    const v = await visitor();
    await send(agent, v.conversationId, 'First answer');
    await age(v.conversationId);
    await mailer.runOnce();
    await send(agent, v.conversationId, 'Second answer');
    await age(v.conversationId);
    await mailer.runOnce();
    assert.equal((await mails(v.email)).length, 1, 'one mail within the interval');
    await stack.db.query(`update private.reply_email_jobs set created_at = created_at - interval '61 minutes' where conversation_id = $1`,
      [v.conversationId]);
    await mailer.runOnce();
    await mailer.runOnce();
    const [latest, first, ...more] = await mails(v.email);
    assert.equal(more.length, 0);
    assert.match(first?.text ?? '', /First answer/);
    assert.match(latest?.text ?? '', /Second answer/);
    assert.doesNotMatch(latest?.text ?? '', /First answer/, 'an earlier mail\'s reply is not mailed again');
  });

  it('retries with backoff while SMTP is down, then delivers once', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const down = await worker(`smtp://127.0.0.1:${closedPort}`);
    const up = await worker();
    const v = await visitor();
    await send(agent, v.conversationId, 'Answer during an outage');
    await age(v.conversationId);
    assert.equal((await down.runOnce()).retrying, 1);
    let [job] = await jobs(v.conversationId);
    assert.deepEqual([job?.status, job?.attempts, job?.due], ['pending', 1, false], 'waits out its backoff');
    assert.match(job?.last_error ?? '', /ECONNREFUSED|connect/i);
    assert.equal((await up.runOnce()).sent, 0, 'not before its backoff ends');
    await stack.db.query(`update private.reply_email_jobs set next_attempt_at = now() where conversation_id = $1`, [v.conversationId]);
    assert.equal((await down.runOnce()).retrying, 1);
    [job] = await jobs(v.conversationId);
    assert.deepEqual([job?.status, job?.attempts], ['pending', 2]);
    assert.equal(await stack.db.query<{ minutes: number }>(
      `select round(extract(epoch from next_attempt_at - updated_at) / 60)::int as minutes from private.reply_email_jobs where conversation_id = $1`,
      [v.conversationId]).then((r) => r.rows[0]?.minutes), 2, 'the backoff doubles');
    await stack.db.query(`update private.reply_email_jobs set next_attempt_at = now() where conversation_id = $1`, [v.conversationId]);
    assert.equal((await up.runOnce()).sent, 1);
    await up.runOnce();
    assert.equal((await mails(v.email)).length, 1);
    assert.deepEqual((await jobs(v.conversationId)).map((j) => [j.status, j.attempts]), [['sent', 3]]);
  });

  it('never resends a job whose worker stopped mid-exchange', async () => {
    const mailer = await worker();
    const v = await visitor();
    await send(agent, v.conversationId, 'Lost in transit?');
    await age(v.conversationId);
    const service = stack.client(stack.stack.keys.serviceRole);
    const claimed = await service.rpc('claim_reply_emails', { p_limit: 100 });
    assert.equal(claimed.error, null);
    const row = (claimed.data as { job_id: string; attempt: number; conversation_id: string }[])
      .find((r) => r.conversation_id === v.conversationId);
    assert.ok(row);
    assert.equal((await service.rpc('begin_reply_email', { p_job: row.job_id, p_attempt: row.attempt })).data, true);
    // The worker dies here; its lease runs out.
    await stack.db.query(`update private.reply_email_jobs set lease_until = now() - interval '1 second' where id = $1`, [row.job_id]);
    await mailer.runOnce();
    await mailer.runOnce();
    assert.deepEqual(await mails(v.email), []);
    assert.deepEqual((await jobs(v.conversationId)).map((j) => j.status), ['unknown']);
  });

  it('the unsubscribe link works and stops further mails; a bad token is refused and changes nothing', async () => {
    const mailer = await worker();
    const v = await visitor();
    await send(agent, v.conversationId, 'Here is your answer');
    await age(v.conversationId);
    await mailer.runOnce();
    const [mail] = await mails(v.email);
    const link = mail?.links.find((candidate) => candidate.includes('/unsubscribe?token='));
    assert.ok(link, mail?.text);
    const shown = await fetch(link);
    assert.equal(shown.status, 200);
    assert.match(await shown.text(), /<form method="post"/);
    const { rows: before } = await stack.db.query('select unsubscribed_at from private.reply_email_recipients where customer_id = $1', [v.id]);
    assert.equal(before[0]?.unsubscribed_at, null, 'opening the link (as a mail scanner would) changes nothing');

    const bad = await fetch(link.replace(/token=[0-9a-f]+/, 'token=nope'), { method: 'POST' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /not valid/);
    const unknown = await fetch(link.replace(/token=[0-9a-f]+/, `token=${'0'.repeat(64)}`), { method: 'POST' });
    assert.equal(unknown.status, 404);
    const anon = stack.client();
    const refused = await anon.rpc('unsubscribe_reply_emails', { p_token: 'x' });
    assert.deepEqual([refused.error?.code, refused.error?.details], ['PT400', 'token_invalid']);
    assert.equal((await stack.db.query('select count(*)::int as n from private.reply_email_recipients where unsubscribed_at is not null'))
      .rows[0]?.n, 0, 'nobody unsubscribed by a bad token');

    const done = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /unsubscribed/);
    const again = await anon.rpc('unsubscribe_reply_emails', { p_token: new URL(link).searchParams.get('token') });
    assert.equal(again.error, null, 'a second click is fine');

    await send(agent, v.conversationId, 'Another answer');
    await age(v.conversationId);
    await stack.db.query(`update private.reply_email_jobs set created_at = created_at - interval '61 minutes' where conversation_id = $1`,
      [v.conversationId]);
    await mailer.runOnce();
    assert.equal((await mails(v.email)).length, 1, 'no mail after unsubscribing');
  });

  it('writes the mail and its unsubscribe page in the workspace\'s default language, right to left for Arabic', async () => {
    const mailer = await worker();
    const v = await visitor();
    await stack.db.query(`update public.workspace_settings set default_language = 'ar-EG'`);
    try {
      await send(agent, v.conversationId, 'طلبك في الطريق');
      await send(agent, v.conversationId, 'Tracking: 1Z999');
      await age(v.conversationId);
      await mailer.runOnce();
      const [mail] = await mails(v.email);
      assert.ok(mail);
      const brand = (await stack.db.query<{ brand_name: string }>('select brand_name from public.workspace_settings')).rows[0]?.brand_name;
      assert.equal(mail.subject, `رد جديد من ${brand}`);
      assert.ok(mail.text.includes(`عدد الردود الجديدة من ${brand}: 2.`), mail.text);
      assert.match(mail.text, /كتب Sam Rivera:\n\nطلبك في الطريق/);
      assert.match(mail.text, /تابع المحادثة: http:\/\/shop\.test\/help#parley-conversation=/);
      assert.equal(mail.headers['content-language'], 'ar');
      const link = mail.links.find((candidate) => candidate.includes('/unsubscribe?token='));
      assert.ok(link, mail.text);
      assert.equal(new URL(link).searchParams.get('lang'), 'ar');
      assert.equal(mail.headers['list-unsubscribe'], `<${link}>`);

      const shown = await (await fetch(link)).text();
      assert.match(shown, /^<!doctype html><html lang="ar" dir="rtl">/);
      assert.match(shown, /<title>إيقاف الردود عبر البريد؟<\/title>/);
      assert.match(shown, /<button[^>]*>إلغاء الاشتراك<\/button>/);
      const action = /<form method="post" action="([^"]+)"/.exec(shown)?.[1]?.replaceAll('&#38;', '&');
      if (!action?.includes('lang=ar')) assert.fail(`the button posts back in the same language: ${action}`);
      const done = await fetch(new URL(action, link), { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
      assert.equal(done.status, 200);
      assert.match(await done.text(), /تم إلغاء اشتراكك/);
      const { rows } = await stack.db.query('select unsubscribed_at from private.reply_email_recipients where customer_id = $1', [v.id]);
      assert.notEqual(rows[0]?.unsubscribed_at, null);

      // A language Parley lacks, or none, reads as English, left to right.
      for (const lang of ['xx', '<script>', '']) {
        const page = await (await fetch(link.replace(/lang=ar/, `lang=${encodeURIComponent(lang)}`))).text();
        assert.match(page, /^<!doctype html><html lang="en" dir="ltr">/, lang);
        assert.match(page, /Stop reply emails\?/);
      }
    } finally {
      await stack.db.query(`update public.workspace_settings set default_language = 'en'`);
    }
  });

  it('the settings are bounded, each refusal naming its constraint, and an admin sets them', async () => {
    const admin = await signInAgent(stack, SEED.admin);
    for (const [change, constraint] of [
      [{ reply_email_after_minutes: -1 }, 'workspace_settings_reply_email_after_minutes_range'],
      [{ reply_email_after_minutes: 10081 }, 'workspace_settings_reply_email_after_minutes_range'],
      [{ reply_email_interval_minutes: 4 }, 'workspace_settings_reply_email_interval_minutes_range'],
    ] as const) {
      const { error } = await admin.client.from('workspace_settings').update(change).eq('id', true);
      assert.match(error?.message ?? '', new RegExp(constraint), JSON.stringify(change));
    }
    const { data, error } = await admin.client.from('workspace_settings')
      .select('reply_email_after_minutes, reply_email_interval_minutes').single();
    assert.equal(error, null);
    assert.deepEqual(data, { reply_email_after_minutes: 10, reply_email_interval_minutes: 60 }, 'defaults, unchanged by the refusals');
  });

  it('visitors and agents cannot read the jobs or call the worker\'s RPCs', async () => {
    const v = await visitor();
    for (const who of [v, agent]) {
      for (const [name, args] of [
        ['claim_reply_emails', { p_limit: 10 }],
        ['begin_reply_email', { p_job: crypto.randomUUID(), p_attempt: 1 }],
        ['complete_reply_email', { p_job: crypto.randomUUID(), p_attempt: 1, p_ok: true }],
      ] as const) {
        const { error } = await who.client.rpc(name, args);
        assert.equal(error?.code, '42501', `${name}: ${error?.message}`);
      }
      const read = await who.client.schema('private').from('reply_email_jobs').select('*');
      assert.equal(read.error?.code, 'PGRST106');
    }
  });
});

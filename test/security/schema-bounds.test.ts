// The schema bounds what it stores, for every writer: oversized or deeply nested metadata, messages
// that show nothing, and text padded past its column's bound are refused by the RPCs with a reason a
// client can act on, and by the tables themselves when the service role or an admin writes directly.
// Each attack leaves every row as it was, and a visitor and an agent still chat live afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PostgrestError, SupabaseClient } from '@supabase/supabase-js';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { SEED, signInAgent, signInVisitor, startConversation, type Conversation, type Person } from '../helpers/users.ts';
import { survives } from './survival.ts';

/** `{"a":{"a":…}}` with `levels` objects. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

interface Answer {
  readonly error: PostgrestError | null;
  readonly status: number;
}

/** A refused RPC: 400 with Parley's PT400 and the reason in `details`. */
function assertRefused(answer: Answer, reason: string, what: string): void {
  assert.equal(answer.status, 400, `${what}: status`);
  assert.equal(answer.error?.code, 'PT400', `${what}: code`);
  assert.equal(answer.error?.details, reason, `${what}: reason`);
}

/** A direct write refused by a table's check constraint, named in the message. */
function assertViolates(answer: Answer, constraint: string, what: string): void {
  assert.equal(answer.status, 400, `${what}: status`);
  assert.equal(answer.error?.code, '23514', `${what}: code`);
  assert.match(answer.error?.message ?? '', new RegExp(`"${constraint}"`), `${what}: constraint`);
}

describe('security: the schema bounds what it stores', () => {
  let stack: TestStack;
  let visitor: Person;
  let agent: Person;
  let admin: Person;
  let service: SupabaseClient;
  let conversation: Conversation;
  const profile = { plan: 'pro', notes: 'n'.repeat(9000) };

  before(async () => {
    stack = await startTestStack();
    [visitor, agent, admin] = await Promise.all([signInVisitor(stack), signInAgent(stack), signInAgent(stack, SEED.admin)]);
    service = stack.client(stack.stack.keys.serviceRole);
    conversation = await startConversation(visitor, { p_metadata: profile });
  });
  after(() => stack.close());

  function sendWith(person: Person, content: string, metadata?: unknown, extra: Record<string, unknown> = {}): Promise<Answer> {
    return Promise.resolve(person.client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: conversation.id, p_content: content,
      ...(metadata === undefined ? {} : { p_metadata: metadata }), ...extra,
    }));
  }

  it('insert_message refuses metadata past 16 KiB or 8 levels', async () => {
    await survives(stack, async () => {
      assertRefused(await sendWith(visitor, 'hi', { blob: 'x'.repeat(100_000) }), 'metadata_too_large', '100 kB');
      assertRefused(await sendWith(visitor, 'hi', { blob: 'é'.repeat(8200) }), 'metadata_too_large', '16.4 kB of 2-byte characters');
      assertRefused(await sendWith(visitor, 'hi', nested(9)), 'metadata_too_deep', '9 levels');
      assertRefused(await sendWith(visitor, 'hi', { list: [[[[[[[[1]]]]]]]] }), 'metadata_too_deep', '9 levels of arrays');
      assertRefused(await sendWith(visitor, 'hi', nested(60)), 'metadata_too_deep', '60 levels');
      assertRefused(await sendWith(agent, 'note', nested(12), { p_visibility: 'internal' }), 'metadata_too_deep', 'agent note');
    });
  });

  it('start_conversation refuses metadata past the bounds, alone or merged into the customer\'s', async () => {
    const stranger = await signInVisitor(stack);
    await survives(stack, async () => {
      const start = (person: Person, metadata: unknown): Promise<Answer> =>
        Promise.resolve(person.client.rpc('start_conversation', { p_metadata: metadata }));
      assertRefused(await start(stranger, { blob: 'x'.repeat(100_000) }), 'metadata_too_large', 'new customer, 100 kB');
      assertRefused(await start(stranger, nested(9)), 'metadata_too_deep', 'new customer, 9 levels');
      // Each call alone fits; merged with what the customer already has, it would not.
      const merged = await start(visitor, { history: 'h'.repeat(9000) });
      assertRefused(merged, 'metadata_too_large', 'merged');
      assert.match(merged.error?.message ?? '', /^Customer metadata is larger than 16384 bytes$/);
      const { rows } = await stack.db.query('select metadata from public.customers where user_id = $1', [visitor.id]);
      assert.deepEqual(rows[0]?.metadata, profile, 'the customer\'s metadata is unchanged');
    });
  });

  it('a message of whitespace or invisible characters is refused, by the RPC and by the table', async () => {
    await survives(stack, async () => {
      const blanks = ['', ' \t\r\n', '\u00a0\u3000\u2003', '\u200b', '\u200c\u200d', '\u2060', '\ufeff',
        '\u200b \u2060\n\ufeff', '\u3164\u115f', '\u{e0020}\u{e0041}', '\ufe0f'];
      for (const content of blanks) assertRefused(await sendWith(visitor, content), 'content_empty', JSON.stringify(content));
      assertRefused(await sendWith(agent, '\u200b\u200b', undefined, { p_visibility: 'internal' }), 'content_empty', 'agent note');

      // The service role may write messages directly; the table itself refuses what shows nothing.
      const row = { conversation_id: conversation.id, seq: 1000, sender_type: 'system', visibility: 'internal' };
      assertViolates(await service.from('messages').insert({ ...row, content: '\u200b\u2060' }), 'messages_content_visible', 'direct insert');
      assertViolates(await service.from('messages').insert({ ...row, content: 'ok', metadata: nested(9) }), 'messages_metadata_bounded', 'direct deep metadata');
      assertViolates(await service.from('messages').insert({ ...row, content: 'ok', metadata: { blob: 'x'.repeat(20_000) } }),
        'messages_metadata_bounded', 'direct large metadata');
    });
  });

  it('text columns stay bounded when admins and the service role write the tables directly', async () => {
    const team = async (): Promise<unknown[]> =>
      (await stack.db.query('select a.*, (select json_agg(c order by id) from public.canned_responses c) canned from public.agents a order by user_id')).rows;
    const teamBefore = await team();
    await survives(stack, async () => {
      const padded = (text: string, to: number): string => text + ' '.repeat(to - text.length);
      // Admins change agents only through RPCs now (20261230000001_workspace_admin.sql); the bound
      // still holds for every writer, the service role included.
      assertViolates(await service.from('agents').update({ display_name: padded('Ada', 10_000) }).eq('user_id', admin.id),
        'agents_display_name_length', 'padded display name');
      assertViolates(await service.from('agents').update({ avatar_url: `https://example.com/${'a'.repeat(5000)}.png` }).eq('user_id', admin.id),
        'agents_avatar_url_length', 'avatar URL');
      assertViolates(await admin.client.from('canned_responses').insert({ shortcut: 'pad', title: padded('Padded', 5000), body: 'Hello' }),
        'canned_responses_title_length', 'padded canned title');
      assertViolates(await service.from('customers').update({ name: padded('Priya', 1000) }).eq('user_id', visitor.id),
        'customers_name_length', 'padded customer name');
      assertViolates(await service.from('customers').update({ metadata: { blob: 'x'.repeat(20_000) } }).eq('user_id', visitor.id),
        'customers_metadata_bounded', 'customer metadata');
      assertViolates(await service.from('conversations').update({ last_message_preview: 'p'.repeat(10_000) }).eq('id', conversation.id),
        'conversations_last_message_preview_length', 'preview');
      assert.deepEqual(await team(), teamBefore, 'agents and canned replies are unchanged');
    });
  });
});

// Messages with attachments (migration 20270105000101_message_attachments.sql): insert_message
// vouches for each file against the uploaded object, so a message never points at a file that is
// missing, someone else's, in another conversation, or not what it claims to be. Uploads go through
// src/data/storage-client.ts (the real storage-js with the session's token, as the widget does).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { storageFor } from '../../src/data/storage-client.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import {
  SEED, signInAgent, signInVisitor, snapshot, startConversation, type Conversation, type Person,
} from '../helpers/users.ts';
import { ok, sql } from './storage-helpers.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

interface Row {
  content: string;
  attachments: unknown[];
}

describe('messages with attachments', () => {
  let stack: TestStack;
  let alice: Person;
  let bob: Person;
  let agent: Person;
  let conversation: Conversation;
  let bobConversation: Conversation;

  /** Uploads `bytes` as `person` into `into` and returns the attachment a message would claim. */
  async function upload(person: Person, into: Conversation, name = 'shot.png', type = 'image/png', bytes = PNG) {
    const key = `${into.id}/${randomUUID()}/${name}`;
    ok(await (await storageFor(person.client)).upload(key, new Blob([bytes], { type })));
    return { key, name, size: bytes.byteLength, type };
  }

  function sendWith(person: Person, into: Conversation, attachments: unknown, content = '', id = randomUUID()) {
    return person.client.rpc('insert_message', {
      p_id: id, p_conversation_id: into.id, p_content: content, p_attachments: attachments,
    });
  }

  /** Sends and expects a refusal with `reason` that changes nothing. */
  async function refused(person: Person, into: Conversation, attachments: unknown, reason: string, content = 'look') {
    const before = await snapshot(stack);
    const { error } = await sendWith(person, into, attachments, content);
    assert.equal(error?.details, reason, `${JSON.stringify(attachments)}: ${error?.message}`);
    assert.deepEqual(await snapshot(stack), before, 'nothing changed');
  }

  before(async () => {
    stack = await startTestStack();
    [alice, bob, agent] = await Promise.all([signInVisitor(stack), signInVisitor(stack), signInAgent(stack)]);
    conversation = await startConversation(alice);
    bobConversation = await startConversation(bob);
  });
  after(() => stack.close());

  it('uploads through storageFor as the signed-in person', async () => {
    const file = await upload(alice, conversation);
    const [row] = await sql(stack, 'select owner_id, metadata from storage.objects where name = $1', [file.key]);
    assert.equal(row?.owner_id, alice.id);
    assert.equal((row?.metadata as { size: number }).size, PNG.byteLength);
  });

  it('uses the host token of a third-party-auth client for every request', async () => {
    const { data } = await alice.client.auth.getSession();
    const token = data.session?.access_token ?? '';
    let asked = 0;
    const hosted = createClient(stack.url, stack.stack.keys.anon, {
      accessToken: () => { asked += 1; return Promise.resolve(token); },
      realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    });
    const file = await upload({ client: hosted, id: alice.id }, conversation, 'hosted.png');
    assert.ok(asked > 0);
    const [row] = await sql(stack, 'select owner_id from storage.objects where name = $1', [file.key]);
    assert.equal(row?.owner_id, alice.id);
  });

  it('sends files with no text; both sides read them; the preview names them', async () => {
    const image = { ...(await upload(alice, conversation, 'Screen.png')), width: 800, height: 600 };
    const pdf = await upload(alice, conversation, 'invoice.pdf', 'application/pdf', new TextEncoder().encode('%PDF-1.7\n'));
    const claimed = [{ ...image, name: 'Écran 2026/12/01 à 10.00.png' }, { ...pdf, name: 'Facture n°1.pdf' }];
    const id = randomUUID();
    const { data, error } = await sendWith(alice, conversation, claimed, '  ', id);
    assert.equal(error, null);
    assert.equal((data as Row).content, '');
    assert.deepEqual((data as Row).attachments, claimed);
    const seen = ok(await agent.client.from('messages').select('content,attachments').eq('id', id).single<Row>());
    assert.deepEqual(seen.attachments, claimed);
    const [row] = await sql(stack, 'select last_message_preview from public.conversations where id = $1', [conversation.id]);
    assert.equal(row?.last_message_preview, '📎 Écran 2026/12/01 à 10.00.png, Facture n°1.pdf');

    // A retry with the same id and list is the stored row; another list under that id is a conflict.
    const again = await sendWith(alice, conversation, claimed, '', id);
    assert.equal(again.error, null);
    assert.equal((await sendWith(alice, conversation, claimed.slice(0, 1), '', id)).error?.details, 'id_conflict');
  });

  it('sends text with a file, and an agent can send one back', async () => {
    const file = await upload(agent, conversation, 'guide.pdf', 'application/pdf');
    const { data, error } = await sendWith(agent, conversation, [file], 'Here is the guide');
    assert.equal(error, null);
    assert.equal((data as Row).content, 'Here is the guide');
  });

  it('refuses an empty message without files', async () => {
    await refused(alice, conversation, [], 'content_empty', '');
    await refused(alice, conversation, [], 'content_empty', ' \u200b');
  });

  it('refuses a file that was not uploaded', async () => {
    await refused(alice, conversation, [{ key: `${conversation.id}/${randomUUID()}/ghost.png`, name: 'ghost.png', size: 12, type: 'image/png' }],
      'attachment_missing');
  });

  it("refuses someone else's file, even in the same conversation", async () => {
    const agents = await upload(agent, conversation, 'agent.png');
    await refused(alice, conversation, [agents], 'attachment_forbidden');
  });

  it("refuses a key of another conversation, the sender's own included", async () => {
    const bobs = await upload(bob, bobConversation);
    await refused(alice, conversation, [bobs], 'attachment_key_invalid');
    const aliceElsewhere = await startConversation(alice);
    const own = await upload(alice, aliceElsewhere);
    await refused(alice, conversation, [own], 'attachment_key_invalid');
    await refused(alice, conversation, [{ ...own, key: `${conversation.id}/../${own.key}` }], 'attachment_key_invalid');
  });

  it('refuses a size or type that differs from the uploaded object', async () => {
    const file = await upload(alice, conversation);
    await refused(alice, conversation, [{ ...file, size: file.size + 1 }], 'attachment_mismatch');
    await refused(alice, conversation, [{ ...file, type: 'application/pdf' }], 'attachment_mismatch');
    await refused(alice, conversation, [{ ...file, type: 'image/svg+xml' }], 'attachment_type_forbidden');
  });

  it('refuses a file over the size limit', async () => {
    const file = await upload(alice, conversation);
    await refused(alice, conversation, [{ ...file, size: 10_000_001 }], 'attachment_too_large');
  });

  it('refuses more than 10 files, the same file twice, and malformed entries', async () => {
    const file = await upload(alice, conversation);
    const eleven = await Promise.all(Array.from({ length: 11 }, () => upload(alice, conversation)));
    await refused(alice, conversation, eleven, 'attachments_too_many');
    await refused(alice, conversation, [file, file], 'attachment_duplicate');
    await refused(alice, conversation, { file }, 'attachments_invalid');
    for (const bad of [
      { ...file, name: '' }, { ...file, name: 'n'.repeat(256) }, { ...file, size: -1 }, { ...file, size: '12' },
      { ...file, width: 0 }, { ...file, url: 'https://example.com' }, { key: file.key },
    ]) {
      await refused(alice, conversation, [bad], 'attachment_invalid');
    }
  });

  it('refuses a stranger as for any message, before looking at the files', async () => {
    const file = await upload(alice, conversation);
    await refused(bob, conversation, [file], 'conversation_not_found');
  });
});

describe('attachment limits in the workspace settings', () => {
  let stack: TestStack;
  let alice: Person;
  let admin: Person;
  let conversation: Conversation;

  before(async () => {
    stack = await startTestStack();
    [alice, admin] = await Promise.all([signInVisitor(stack), signInAgent(stack, SEED.admin)]);
    conversation = await startConversation(alice);
  });
  after(() => stack.close());

  const bucket = async () => (await sql(stack,
    `select file_size_limit::int as max, allowed_mime_types as types from storage.buckets where id = 'attachments'`))[0];

  it('hands the visitor the limits and keeps the bucket in step when an admin narrows them', async () => {
    const initial = ok(await alice.client.rpc('widget_settings')) as { attachment_max_bytes: number; attachment_types: string[] };
    assert.equal(initial.attachment_max_bytes, 10_000_000);
    assert.ok(initial.attachment_types.includes('application/pdf'));
    assert.deepEqual(await bucket(), { max: 10_000_000, types: initial.attachment_types });

    ok(await admin.client.from('workspace_settings').update({ attachment_max_bytes: 5000, attachment_types: ['image/png'] }).eq('id', true).select());
    const narrowed = ok(await alice.client.rpc('widget_settings')) as { attachment_max_bytes: number; attachment_types: string[] };
    assert.equal(narrowed.attachment_max_bytes, 5000);
    assert.deepEqual(narrowed.attachment_types, ['image/png']);
    assert.deepEqual(await bucket(), { max: 5000, types: ['image/png'] });

    // Storage now refuses what the settings refuse, before any message is sent.
    const files = await storageFor(alice.client);
    const { error: big } = await files.upload(`${conversation.id}/${randomUUID()}/big.png`, new Blob([new Uint8Array(5001)], { type: 'image/png' }));
    assert.equal((big as { statusCode?: string } | null)?.statusCode, '413');
    const { error: pdf } = await files.upload(`${conversation.id}/${randomUUID()}/a.pdf`, new Blob(['%PDF-'], { type: 'application/pdf' }));
    assert.equal((pdf as { statusCode?: string } | null)?.statusCode, '415');
  });

  it('makes insert_message refuse files beyond the settings even when the bucket let them in', async () => {
    ok(await admin.client.from('workspace_settings').update({ attachment_max_bytes: 10_000_000, attachment_types: ['image/png', 'application/pdf'] }).eq('id', true).select());
    const key = `${conversation.id}/${randomUUID()}/doc.pdf`;
    ok(await (await storageFor(alice.client)).upload(key, new Blob(['%PDF-1.7'], { type: 'application/pdf' })));
    ok(await admin.client.from('workspace_settings').update({ attachment_max_bytes: 1000, attachment_types: ['image/png'] }).eq('id', true).select());
    const { error } = await alice.client.rpc('insert_message', {
      p_id: randomUUID(), p_conversation_id: conversation.id, p_content: '',
      p_attachments: [{ key, name: 'doc.pdf', size: 8, type: 'application/pdf' }],
    });
    assert.equal(error?.details, 'attachment_type_forbidden');
  });

  it('refuses limits beyond the bucket and unknown types, naming the setting', async () => {
    for (const change of [{ attachment_max_bytes: 10_000_001 }, { attachment_max_bytes: 0 }, { attachment_types: ['image/svg+xml'] }, { attachment_types: ['text/html'] }]) {
      const { error } = await admin.client.from('workspace_settings').update(change).eq('id', true);
      assert.match(error?.message ?? '', /workspace_settings_attachment_(max_bytes_range|types_known)/, JSON.stringify(change));
    }
  });

  it('turns attachments off with an empty list: Storage and insert_message both refuse', async () => {
    ok(await admin.client.from('workspace_settings').update({ attachment_max_bytes: 10_000_000, attachment_types: [] }).eq('id', true).select());
    const { error } = await (await storageFor(alice.client)).upload(`${conversation.id}/${randomUUID()}/a.png`, new Blob([PNG], { type: 'image/png' }));
    assert.equal((error as { statusCode?: string } | null)?.statusCode, '415');
  });
});

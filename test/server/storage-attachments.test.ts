// The attachments bucket (migration 20270105000001_attachments_bucket.sql) through storage-js: keys
// `<conversation>/<uuid>/<safe name>`, read and uploaded only by the conversation's customer and
// the agents, never overwritten, deleted only by their uploader; the RLS matrix for visitor A,
// visitor B, an agent and anon, plus the bucket's own limits (private, no SVG or HTML).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInAgent, signInVisitor, startConversation, type Conversation, type Person } from '../helpers/users.ts';
import { assertFails, ok, sql, text } from './storage-helpers.ts';

const BUCKET = 'attachments';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const png = () => new Blob([PNG], { type: 'image/png' });

describe('attachments bucket', () => {
  let stack: TestStack;
  let alice: Person;
  let bob: Person;
  let agent: Person;
  let anon: ReturnType<TestStack['client']>;
  let aliceConversation: Conversation;
  let bobConversation: Conversation;
  const keyIn = (conversation: Conversation, name = 'screenshot.png') => `${conversation.id}/${randomUUID()}/${name}`;

  before(async () => {
    stack = await startTestStack();
    [alice, bob, agent] = await Promise.all([signInVisitor(stack), signInVisitor(stack), signInAgent(stack)]);
    aliceConversation = await startConversation(alice, { p_name: 'Alice' });
    bobConversation = await startConversation(bob, { p_name: 'Bob' });
    anon = stack.client();
  });
  after(() => stack.close());

  it('is a private bucket with a size limit and no SVG or HTML', async () => {
    const [bucket] = await sql(stack, 'select public, file_size_limit::int as limit, allowed_mime_types from storage.buckets where id = $1', [BUCKET]);
    assert.equal(bucket?.public, false);
    assert.equal(bucket?.limit, 10_000_000);
    const types = bucket?.allowed_mime_types as string[];
    assert.ok(types.includes('image/png') && types.includes('application/pdf'));
    assert.ok(!types.some((type) => /svg|html|javascript|^(text|application)\/xml/.test(type)), `no active content: ${types.join(', ')}`);
    const files = alice.client.storage.from(BUCKET);
    assertFails(await files.upload(keyIn(aliceConversation, 'x.svg'), new Blob(['<svg/>'], { type: 'image/svg+xml' })), '415', 'InvalidMimeType');
    assertFails(await files.upload(keyIn(aliceConversation, 'x.html'), new Blob(['<p>'], { type: 'text/html' })), '415', 'InvalidMimeType');
    const key = keyIn(aliceConversation);
    ok(await files.upload(key, png()));
    const publicRead = await fetch(files.getPublicUrl(key).data.publicUrl);
    assert.equal(publicRead.status, 400);
    assert.equal((await publicRead.json() as { code: string }).code, 'NoSuchBucket', 'never through a public URL');
  });

  describe('the RLS matrix', () => {
    it("visitor A uploads into and reads A's conversation, and shares it through a signed URL", async () => {
      const key = keyIn(aliceConversation);
      const uploaded = ok(await alice.client.storage.from(BUCKET).upload(key, png()));
      assert.equal(uploaded.path, key);
      assert.deepEqual(new Uint8Array(await ok(await alice.client.storage.from(BUCKET).download(key)).arrayBuffer()), PNG);
      const { signedUrl } = ok(await alice.client.storage.from(BUCKET).createSignedUrl(key, 60));
      assert.equal((await fetch(signedUrl)).status, 200);
      const [row] = await sql(stack, 'select owner_id from storage.objects where bucket_id = $1 and name = $2', [BUCKET, key]);
      assert.equal(row?.owner_id, alice.id);
    });

    it("visitor B neither reads, lists, signs, uploads into, overwrites nor deletes in A's conversation", async () => {
      const key = keyIn(aliceConversation);
      ok(await alice.client.storage.from(BUCKET).upload(key, png()));
      const files = bob.client.storage.from(BUCKET);
      assertFails(await files.download(key), '404', 'NoSuchKey');
      assert.deepEqual(ok(await files.list(aliceConversation.id)), []);
      assertFails(await files.createSignedUrl(key, 60), '404', 'NoSuchKey');
      assertFails(await files.upload(keyIn(aliceConversation), png()), '403', 'AccessDenied');
      assertFails(await files.createSignedUploadUrl(keyIn(aliceConversation)), '403', 'AccessDenied');
      assertFails(await files.upload(key, png(), { upsert: true }), '403', 'AccessDenied');
      assert.deepEqual(ok(await files.remove([key])), []);
      assert.equal((await alice.client.storage.from(BUCKET).exists(key)).data, true);
      // B's own conversation works for B, and A cannot reach into it either.
      const own = keyIn(bobConversation);
      ok(await files.upload(own, png()));
      assertFails(await alice.client.storage.from(BUCKET).download(own), '404', 'NoSuchKey');
    });

    it('an agent reads every conversation and uploads into it, but neither overwrites nor deletes the visitor\'s file', async () => {
      const visitorKey = keyIn(aliceConversation);
      ok(await alice.client.storage.from(BUCKET).upload(visitorKey, png()));
      const files = agent.client.storage.from(BUCKET);
      assert.deepEqual(new Uint8Array(await ok(await files.download(visitorKey)).arrayBuffer()), PNG);
      assert.ok(ok(await files.list(aliceConversation.id)).length >= 1);
      const agentKey = keyIn(aliceConversation, 'invoice.pdf');
      ok(await files.upload(agentKey, new Blob(['%PDF-1.4 agent reply'], { type: 'application/pdf' })));
      assert.equal(await text(alice.client, BUCKET, agentKey), '%PDF-1.4 agent reply', 'the customer reads the agent\'s file');

      assertFails(await files.upload(visitorKey, png()), '409', 'KeyAlreadyExists');
      assertFails(await files.upload(visitorKey, png(), { upsert: true }), '403', 'AccessDenied');
      assertFails(await files.update(visitorKey, png()), '403', 'AccessDenied');
      assert.deepEqual(ok(await files.remove([visitorKey])), []);
      assertFails(await alice.client.storage.from(BUCKET).upload(agentKey, png(), { upsert: true }), '403', 'AccessDenied');
      assert.deepEqual(ok(await alice.client.storage.from(BUCKET).remove([agentKey])), []);
      // No UPDATE policy: the rename finds no row it may change, as the real server reports it.
      assertFails(await files.move(visitorKey, keyIn(aliceConversation)), '404', 'NoSuchKey');
      assert.equal((await alice.client.storage.from(BUCKET).exists(visitorKey)).data, true);
      assert.equal(await text(agent.client, BUCKET, agentKey), '%PDF-1.4 agent reply');
    });

    it('nobody overwrites their own file either, and the uploader alone deletes it', async () => {
      const key = keyIn(aliceConversation);
      ok(await alice.client.storage.from(BUCKET).upload(key, png()));
      assertFails(await alice.client.storage.from(BUCKET).upload(key, png()), '409', 'KeyAlreadyExists',
        'The resource already exists');
      assertFails(await alice.client.storage.from(BUCKET).upload(key, png(), { upsert: true }), '403', 'AccessDenied');
      assert.deepEqual(ok(await alice.client.storage.from(BUCKET).remove([key])).map((row) => row.name), [key]);
      assertFails(await alice.client.storage.from(BUCKET).download(key), '404', 'NoSuchKey');
    });

    it('anon (no session) can do nothing', async () => {
      const key = keyIn(aliceConversation);
      ok(await alice.client.storage.from(BUCKET).upload(key, png()));
      const files = anon.storage.from(BUCKET);
      assertFails(await files.download(key), '404', 'NoSuchKey');
      assertFails(await files.upload(keyIn(aliceConversation), png()), '403', 'AccessDenied');
      assert.deepEqual(ok(await files.list(aliceConversation.id)), []);
      assertFails(await files.createSignedUrl(key, 60), '404', 'NoSuchKey');
      assert.deepEqual(ok(await files.remove([key])), []);
    });

    it('refuses keys outside the attachment shape, and conversations that do not exist', async () => {
      const files = alice.client.storage.from(BUCKET);
      for (const key of [
        `${aliceConversation.id}/screenshot.png`,
        `${aliceConversation.id}/${randomUUID()}/sub/screenshot.png`,
        `${aliceConversation.id}/not-a-uuid/screenshot.png`,
        `${aliceConversation.id}/${randomUUID()}/.hidden`,
        `${aliceConversation.id.toUpperCase()}/${randomUUID()}/screenshot.png`,
        `${randomUUID()}/${randomUUID()}/screenshot.png`,
        'screenshot.png',
      ]) {
        assertFails(await files.upload(key, png()), '403', 'AccessDenied', undefined);
      }
      assert.deepEqual(await sql(stack, "select name from storage.objects where bucket_id = $1 and name not like '%/%/%'", [BUCKET]), []);
    });
  });
});

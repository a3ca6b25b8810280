// Who may read and write Storage objects is decided by RLS on storage.objects under the caller's
// role, as on hosted (SUPABASE-STORAGE.md §3): two users with a policy that admits only the owner's
// folder, anon, the service role bypassing RLS, owners taken from the JWT, upserts needing
// SELECT + INSERT + UPDATE, removes filtered rather than refused, and limits in the server's order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor, type Person } from '../helpers/users.ts';
import { assertFails, newBucket, ok, sql, text } from './storage-helpers.ts';

describe('storage RLS', () => {
  let stack: TestStack;
  let service: ReturnType<TestStack['client']>;
  let alice: Person;
  let bob: Person;
  let anon: ReturnType<TestStack['client']>;
  let folders: string;
  const rows = async (bucket: string) =>
    sql(stack, 'select name, owner::text, owner_id from storage.objects where bucket_id = $1 order by name', [bucket]);

  before(async () => {
    stack = await startTestStack();
    service = stack.client(stack.stack.keys.serviceRole);
    [alice, bob] = await Promise.all([signInVisitor(stack), signInVisitor(stack)]);
    anon = stack.client();
    folders = await newBucket(stack);
    // Each signed-in user owns the folder named after their id, and nothing else.
    const own = `bucket_id = '${folders}' and (storage.foldername(name))[1] = auth.uid()::text`;
    await sql(stack, `
      create policy "folders read" on storage.objects for select to authenticated using (${own});
      create policy "folders insert" on storage.objects for insert to authenticated with check (${own});
      create policy "folders update" on storage.objects for update to authenticated using (${own}) with check (${own});
      create policy "folders delete" on storage.objects for delete to authenticated using (${own});`);
  });
  after(() => stack.close());

  describe("a policy admitting only the owner's folder", () => {
    it('lets each user write and read their own folder, owning what they upload', async () => {
      ok(await alice.client.storage.from(folders).upload(`${alice.id}/a.txt`, 'alice'));
      ok(await bob.client.storage.from(folders).upload(`${bob.id}/b.txt`, 'bob'));
      assert.equal(await text(alice.client, folders, `${alice.id}/a.txt`), 'alice');
      assert.deepEqual(ok(await alice.client.storage.from(folders).list(alice.id)).map((item) => item.name), ['a.txt']);
      const stored = await sql(stack, 'select owner::text, owner_id from storage.objects where bucket_id = $1 and name = $2',
        [folders, `${alice.id}/a.txt`]);
      assert.deepEqual(stored, [{ owner: alice.id, owner_id: alice.id }], 'the owner is the JWT sub');
    });

    it("keeps one user out of the other's folder for every operation", async () => {
      const key = `${alice.id}/private.txt`;
      ok(await alice.client.storage.from(folders).upload(key, 'secret'));
      const files = bob.client.storage.from(folders);
      assertFails(await files.upload(`${alice.id}/intruder.txt`, 'x'), '403', 'AccessDenied', 'new row violates row-level security policy');
      assertFails(await files.upload(key, 'overwrite', { upsert: true }), '403', 'AccessDenied');
      assertFails(await files.download(key), '404', 'NoSuchKey', 'Object not found');
      assertFails(await files.info(key), '404', 'NoSuchKey');
      assert.equal((await files.exists(key)).data, false);
      assert.deepEqual(ok(await files.list(alice.id)), []);
      assert.deepEqual(ok(await files.list()).map((item) => item.name), [bob.id], 'only folders holding visible objects are listed');
      assertFails(await files.createSignedUrl(key, 60), '404', 'NoSuchKey');
      const batch = ok(await files.createSignedUrls([key, `${bob.id}/b.txt`], 60));
      assert.deepEqual(batch.map((item) => [item.path, item.error, item.signedUrl === null]), [
        [key, 'Either the object does not exist or you do not have access to it', true],
        [`${bob.id}/b.txt`, null, false],
      ]);
      assertFails(await files.createSignedUploadUrl(`${alice.id}/planted.txt`), '403', 'AccessDenied');
      assertFails(await files.move(key, `${bob.id}/stolen.txt`), '404', 'NoSuchKey');
      assertFails(await files.copy(key, `${bob.id}/stolen.txt`), '404', 'NoSuchKey');
      assert.deepEqual(ok(await files.remove([key])), [], 'a hidden row is simply not removed');
      assert.equal(await text(alice.client, folders, key), 'secret');
      // Moving one's own file into someone else's folder fails the UPDATE's check.
      assertFails(await alice.client.storage.from(folders).move(key, `${bob.id}/gift.txt`), '403', 'AccessDenied');
      assert.deepEqual((await rows(folders)).filter((row) => String(row.name).includes('intruder') || String(row.name).includes('gift')), []);
    });

    it('gives anon nothing: no upload, no download, an empty list', async () => {
      const files = anon.storage.from(folders);
      assertFails(await files.upload(`${alice.id}/anon.txt`, 'x'), '403', 'AccessDenied');
      assertFails(await files.download(`${alice.id}/a.txt`), '404', 'NoSuchKey');
      assert.deepEqual(ok(await files.list(alice.id)), []);
    });

    it('lets the service role bypass RLS, writing without an owner', async () => {
      const files = service.storage.from(folders);
      assert.equal(await text(service, folders, `${alice.id}/a.txt`), 'alice');
      ok(await files.upload('loose/file.txt', 'by service'));
      const [row] = await sql(stack, 'select owner, owner_id from storage.objects where bucket_id = $1 and name = $2', [folders, 'loose/file.txt']);
      assert.deepEqual(row, { owner: null, owner_id: null });
      assert.ok(ok(await files.list()).some((item) => item.name === 'loose'));
    });

    it('lets a signed upload URL write as its signer, and its signer only where RLS allowed', async () => {
      const key = `${alice.id}/via-token.txt`;
      const signed = ok(await alice.client.storage.from(folders).createSignedUploadUrl(key));
      assert.deepEqual(ok(await anon.storage.from(folders).uploadToSignedUrl(key, signed.token, 'from anyone holding the URL')),
        { path: key, fullPath: `${folders}/${key}` });
      const [row] = await sql(stack, 'select owner_id from storage.objects where bucket_id = $1 and name = $2', [folders, key]);
      assert.equal(row?.owner_id, alice.id);
      assert.equal(await text(alice.client, folders, key), 'from anyone holding the URL');
    });
  });

  describe('upserts and duplicates (policies on owner_id only)', () => {
    let shared: string;
    before(async () => {
      shared = await newBucket(stack);
      const mine = `bucket_id = '${shared}' and owner_id = auth.uid()::text`;
      await sql(stack, `
        create policy "shared read" on storage.objects for select to authenticated using (${mine});
        create policy "shared insert" on storage.objects for insert to authenticated with check (${mine});
        create policy "shared update" on storage.objects for update to authenticated using (${mine}) with check (${mine});
        create policy "shared delete for all" on storage.objects for delete to authenticated using (bucket_id = '${shared}');`);
    });

    it("reports someone else's key as a duplicate without upsert, and refuses the overwrite with it", async () => {
      ok(await alice.client.storage.from(shared).upload('k.txt', 'alice v1'));
      const duplicate = await bob.client.storage.from(shared).upload('k.txt', 'bob');
      assertFails(duplicate, '409', 'KeyAlreadyExists', 'The resource already exists');
      assertFails(await bob.client.storage.from(shared).upload('k.txt', 'bob', { upsert: true }), '403', 'AccessDenied');
      assertFails(await bob.client.storage.from(shared).update('k.txt', 'bob'), '403', 'AccessDenied');
      ok(await alice.client.storage.from(shared).upload('k.txt', 'alice v2', { upsert: true }));
      assert.equal(await text(alice.client, shared, 'k.txt'), 'alice v2');
      const [row] = await sql(stack, 'select owner_id from storage.objects where bucket_id = $1 and name = $2', [shared, 'k.txt']);
      assert.equal(row?.owner_id, alice.id);
    });

    it('filters a remove by SELECT too: a delete policy for everyone still removes nothing hidden', async () => {
      ok(await alice.client.storage.from(shared).upload('keep.txt', 'kept'));
      assert.deepEqual(ok(await bob.client.storage.from(shared).remove(['keep.txt'])), []);
      assert.equal(await text(alice.client, shared, 'keep.txt'), 'kept');
      assert.deepEqual(ok(await alice.client.storage.from(shared).remove(['keep.txt'])).map((row) => row.name), ['keep.txt']);
    });
  });

  describe('limits in the order the server checks them', () => {
    it('refuses a raw body over the limit before RLS, a multipart one after the probe', async () => {
      const small = await newBucket(stack, { fileSizeLimit: '1KB' });
      const own = `bucket_id = '${small}' and (storage.foldername(name))[1] = auth.uid()::text`;
      await sql(stack, `create policy "small insert" on storage.objects for insert to authenticated with check (${own})`);
      const raw = new Uint8Array(1001);
      assertFails(await anon.storage.from(small).upload('x.bin', raw), '413', 'EntityTooLarge', undefined);
      assertFails(await alice.client.storage.from(small).upload(`${alice.id}/x.bin`, new Blob([raw])), '413', 'EntityTooLarge');
      assertFails(await bob.client.storage.from(small).upload(`${alice.id}/x.bin`, new Blob([raw])), '403', 'AccessDenied');
      assert.deepEqual(await rows(small), []);
    });

    it('answers a refused large upload while the body is still coming, and the client goes on', async () => {
      const bucket = await newBucket(stack);
      const large = new Uint8Array(4 * 1024 * 1024);
      assertFails(await anon.storage.from(bucket).upload('raw.bin', large), '403', 'AccessDenied');
      assertFails(await anon.storage.from(bucket).upload('multi.bin', new Blob([large])), '403', 'AccessDenied');
      ok(await service.storage.from(bucket).upload('after.bin', new Blob([large])));
      assert.deepEqual((await rows(bucket)).map((row) => row.name), ['after.bin']);
    });
  });
});

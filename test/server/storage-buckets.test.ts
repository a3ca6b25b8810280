// Storage buckets and the storage schema through the unmodified storage-js (supabase-js's
// `client.storage`): bucket management by the service role, RLS on storage.buckets for everyone
// else, the error shapes of SUPABASE-STORAGE.md §2 and §5, the schema policies rely on, and the
// bytes on disk going with `--reset`.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createLocalStack } from '../../supabase/local/src/index.ts';
import { signJwt } from '../../supabase/local/src/keys.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { assertFails, bareClient, newBucket, ok, sql } from './storage-helpers.ts';

describe('storage buckets', () => {
  let stack: TestStack;
  let service: ReturnType<TestStack['client']>;

  before(async () => {
    stack = await startTestStack();
    service = stack.client(stack.stack.keys.serviceRole);
  });
  after(() => stack.close());

  it('creates, gets, lists, updates, empties and deletes a bucket', async () => {
    assert.deepEqual(ok(await service.storage.createBucket('photos', {
      public: true, fileSizeLimit: '5MB', allowedMimeTypes: ['image/*', 'application/pdf'],
    })), { name: 'photos' });
    const bucket = ok(await service.storage.getBucket('photos'));
    assert.equal(bucket.id, 'photos');
    assert.equal(bucket.public, true);
    assert.equal(bucket.file_size_limit, 5_000_000, 'units are decimal');
    assert.deepEqual(bucket.allowed_mime_types, ['image/*', 'application/pdf']);
    assert.equal(bucket.owner, '', 'a bucket made with the service key has no owner');
    assert.match(bucket.created_at, /^\d{4}-\d\d-\d\dT/);

    const listed = ok(await service.storage.listBuckets({ search: 'phot' }));
    assert.deepEqual(listed.map((b) => [b.id, b.type]), [['photos', 'STANDARD']]);

    ok(await service.storage.updateBucket('photos', { public: false, fileSizeLimit: 1000, allowedMimeTypes: ['text/plain'] }));
    const updated = ok(await service.storage.getBucket('photos'));
    assert.deepEqual([updated.public, updated.file_size_limit, updated.allowed_mime_types], [false, 1000, ['text/plain']]);

    ok(await service.storage.from('photos').upload('a.txt', new Blob(['a'], { type: 'text/plain' })));
    assertFails(await service.storage.deleteBucket('photos'), '409', 'ResourceNotEmpty', 'The bucket you tried to delete is not empty');
    assert.deepEqual(ok(await service.storage.emptyBucket('photos')), { message: 'Successfully emptied' });
    assert.deepEqual(ok(await service.storage.from('photos').list()), []);
    assert.deepEqual(ok(await service.storage.deleteBucket('photos')), { message: 'Successfully deleted' });
    assertFails(await service.storage.getBucket('photos'), '404', 'NoSuchBucket', 'Bucket not found');
  });

  it('refuses a taken id, a bad name, a bad limit and a limit above the global one', async () => {
    const name = await newBucket(stack);
    assertFails(await service.storage.createBucket(name), '409', 'BucketAlreadyExists', 'The resource already exists');

    // storage-js checks names itself, so the server's check is reached directly.
    const bad = await fetch(`${stack.url}/storage/v1/bucket`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.stack.keys.serviceRole}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'no#hash' }),
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { statusCode: '400', code: 'InvalidBucketName', error: 'Invalid Input', message: 'Bucket name invalid' });

    assertFails(await service.storage.createBucket('too-big', { public: false, fileSizeLimit: '1GB' }), '413', 'EntityTooLarge');
    assertFails(await service.storage.createBucket('odd-limit', { public: false, fileSizeLimit: 'lots' }), '400', 'InvalidRequest', /Invalid file size format/);
    assertFails(await service.storage.getBucket('too-big'), '404', 'NoSuchBucket');
  });

  it('leaves buckets to RLS for anon and signed-in users: with no policy they see and make none', async () => {
    const name = await newBucket(stack);
    const anon = stack.client();
    assertFails(await anon.storage.createBucket('mine'), '403', 'AccessDenied', 'new row violates row-level security policy');
    assert.deepEqual(ok(await anon.storage.listBuckets()), []);
    assertFails(await anon.storage.getBucket(name), '404', 'NoSuchBucket');
    assertFails(await anon.storage.deleteBucket(name), '404', 'NoSuchBucket');
    assert.ok(ok(await service.storage.getBucket(name)), 'still there');

    // A policy lets signed-in users read buckets.
    await sql(stack, 'create policy "read buckets" on storage.buckets for select to authenticated using (true)');
    const visitor = stack.client();
    ok(await visitor.auth.signInAnonymously());
    assert.ok(ok(await visitor.storage.listBuckets()).some((bucket) => bucket.id === name));
    assert.equal(ok(await visitor.storage.getBucket(name)).id, name);
  });

  it('answers a missing token, a bad token and an unknown route in the shapes of the real server', async () => {
    const noToken = await fetch(`${stack.url}/storage/v1/bucket`, { headers: { apikey: stack.stack.keys.anon } });
    assert.equal(noToken.status, 400);
    assert.deepEqual(await noToken.json(), {
      statusCode: '400', code: 'InvalidRequest', error: 'Bad Request', message: "headers must have required property 'authorization'",
    });

    const forged = bareClient(stack.url, stack.stack.keys.anon, { Authorization: `Bearer ${stack.stack.keys.anon.slice(0, -4)}AAAA` });
    assertFails(await forged.storage.listBuckets(), '403', 'AccessDenied', 'invalid signature');

    // Signed with the project secret, but claiming a role the API never runs as.
    const superuser = await signJwt(stack.stack.keys.jwtSecret, { role: 'postgres', exp: Math.floor(Date.now() / 1000) + 600 });
    const asSuperuser = bareClient(stack.url, stack.stack.keys.anon, { Authorization: `Bearer ${superuser}` });
    assertFails(await asSuperuser.storage.listBuckets(), '403', 'AccessDenied', 'role "postgres" is not allowed');

    const unknown = await fetch(`${stack.url}/storage/v1/nowhere`, { headers: { apikey: stack.stack.keys.anon } });
    assert.equal(unknown.status, 404, 'an unknown route keeps its real status');
    assert.deepEqual(await unknown.json(), {
      statusCode: '404', code: 'InvalidRequest', error: 'Not Found', message: 'Route GET:/storage/v1/nowhere not found',
    });
  });

  it('lets a browser send the upload headers (CORS preflight)', async () => {
    const preflight = await fetch(`${stack.url}/storage/v1/object/b/k`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://example.test',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization,apikey,x-client-info,x-upsert,x-metadata,cache-control,content-type',
      },
    });
    assert.equal(preflight.status, 200);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /DELETE/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-upsert/);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://example.test');
  });

  describe('the storage schema', () => {
    it('has the helpers policies use, with hosted semantics', async () => {
      const [row] = await sql(stack, `select storage.foldername('a/b/c.png') as folders, storage.filename('a/b/c.png') as file,
        storage.extension('a/b/c.tar.gz') as ext, storage.extension('README') as bare`);
      assert.deepEqual(row, { folders: ['a', 'b'], file: 'c.png', ext: 'gz', bare: 'README' });
    });

    it('belongs to supabase_storage_admin with RLS on, and grants the API roles', async () => {
      const rows = await sql(stack, `select c.relname, pg_get_userbyid(c.relowner) as owner, c.relrowsecurity as rls,
          has_table_privilege('anon', c.oid, 'insert') as anon_insert,
          has_table_privilege('authenticated', c.oid, 'delete') as authenticated_delete
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'storage' and c.relname in ('buckets', 'objects') order by 1`);
      assert.deepEqual(rows, [
        { relname: 'buckets', owner: 'supabase_storage_admin', rls: true, anon_insert: true, authenticated_delete: true },
        { relname: 'objects', owner: 'supabase_storage_admin', rls: true, anon_insert: true, authenticated_delete: true },
      ]);
      const [{ generated } = {}] = await sql(stack, `select attgenerated = 's' as generated from pg_attribute
        where attrelid = 'storage.objects'::regclass and attname = 'path_tokens'`);
      assert.equal(generated, true);
    });

    it('refuses direct deletes, which would orphan the bytes', async () => {
      const name = await newBucket(stack);
      ok(await service.storage.from(name).upload('x.txt', new Blob(['x'], { type: 'text/plain' })));
      await assert.rejects(sql(stack, 'delete from storage.objects where bucket_id = $1', [name]),
        /Direct deletion from storage tables is not allowed/);
      await assert.rejects(sql(stack, 'delete from storage.buckets where id = $1', [name]), /Direct deletion/);
    });
  });
});

describe('storage bytes and --reset', { skip: process.env.DATABASE_URL ? 'uses an embedded cluster' : false }, () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'parley-storage-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  const files = async (folder: string): Promise<string[]> =>
    (await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => [])).filter((entry) => entry.isFile()).map((entry) => entry.name);

  it('keeps object bytes beside the database across restarts, and reset removes them', async () => {
    const dataDir = path.join(root, 'db');
    const storageDir = path.join(root, 'storage');
    const start = (reset: boolean) => createLocalStack({ dataDir, fsync: false, reset, seedFile: null });
    let stack = await start(false);
    try {
      const url = await stack.listen(0);
      const service = bareClient(url, stack.keys.serviceRole);
      ok(await service.storage.createBucket('kept'));
      ok(await service.storage.from('kept').upload('k.txt', new Blob(['kept bytes'], { type: 'text/plain' })));
      const [version] = await files(storageDir);
      const db = new pg.Client({ connectionString: stack.databaseUrl });
      await db.connect();
      const [row] = (await db.query<{ version: string }>("select version from storage.objects where name = 'k.txt'")).rows;
      await db.end();
      assert.equal(version, row?.version, 'the file is named by the version, never by the key');
    } finally {
      await stack.close();
    }
    stack = await start(false);
    try {
      const url = await stack.listen(0);
      const service = bareClient(url, stack.keys.serviceRole);
      assert.equal(await ok(await service.storage.from('kept').download('k.txt')).text(), 'kept bytes');
    } finally {
      await stack.close();
    }
    stack = await start(true);
    try {
      assert.deepEqual(await files(storageDir), [], 'reset removes the bytes');
      const url = await stack.listen(0);
      const service = bareClient(url, stack.keys.serviceRole);
      assertFails(await service.storage.getBucket('kept'), '404', 'NoSuchBucket');
    } finally {
      await stack.close();
    }
  });
});

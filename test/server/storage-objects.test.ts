// Storage objects through the unmodified storage-js, as the service role (RLS has its own suite):
// upload and upsert, download and its headers, info and exists, list, remove, move, copy, public
// URLs, bucket limits and key rules, in the shapes SUPABASE-STORAGE.md §6–8, §10 and §11 give.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { assertFails, newBucket, ok, sql, text } from './storage-helpers.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
/** The project's upload limit in this suite: small, so bodies far over it are cheap to send. */
const GLOBAL_LIMIT = 256 * 1024;

describe('storage objects', () => {
  let stack: TestStack;
  let service: ReturnType<TestStack['client']>;
  const auth = () => ({ authorization: `Bearer ${stack.stack.keys.serviceRole}`, apikey: stack.stack.keys.serviceRole });
  const objectUrl = (bucket: string, key: string) => `${stack.url}/storage/v1/object/${bucket}/${key}`;
  const rowCount = async (bucket: string) => Number((await sql(stack, 'select count(*) as n from storage.objects where bucket_id = $1', [bucket]))[0]?.n);

  before(async () => {
    stack = await startTestStack({ storageFileSizeLimit: GLOBAL_LIMIT });
    service = stack.client(stack.stack.keys.serviceRole);
  });
  after(() => stack.close());

  describe('upload and download', () => {
    it('takes a Blob as multipart: its own type wins over the contentType option, cache control is max-age', async () => {
      const bucket = await newBucket(stack);
      const uploaded = ok(await service.storage.from(bucket).upload('dir/pic.png', new Blob([PNG], { type: 'image/png' }), { contentType: 'text/plain' }));
      assert.equal(uploaded.path, 'dir/pic.png');
      assert.equal(uploaded.fullPath, `${bucket}/dir/pic.png`);
      assert.match(uploaded.id, /^[0-9a-f-]{36}$/);
      const response = await fetch(objectUrl(bucket, 'dir/pic.png'), { headers: auth() });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/png');
      assert.equal(response.headers.get('cache-control'), 'max-age=3600');
      assert.equal(response.headers.get('accept-ranges'), 'bytes');
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('content-length'), String(PNG.length));
      assert.match(response.headers.get('etag') ?? '', /^"[0-9a-f]{32}"$/);
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);
      const blob = ok(await service.storage.from(bucket).download('dir/pic.png'));
      assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), PNG);
    });

    it('takes a raw body typed by its Content-Type, with metadata, and streams a large one', async () => {
      const bucket = await newBucket(stack);
      ok(await service.storage.from(bucket).upload('note.txt', 'plain words', { metadata: { author: 'sam', nested: { some_key: 1 } } }));
      assert.equal(await text(service, bucket, 'note.txt'), 'plain words');
      const info = ok(await service.storage.from(bucket).info('note.txt'));
      assert.equal(info.contentType, 'text/plain;charset=UTF-8', 'storage-js types a string so; the server stores it verbatim');
      assert.equal(info.size, 11);
      assert.equal(info.cacheControl, 'max-age=3600');
      assert.deepEqual(info.metadata, { author: 'sam', nested: { someKey: 1 } }, 'storage-js camel-cases all keys');
      assert.equal(info.bucketId, bucket);
      assert.equal(info.name, 'note.txt');
      assert.ok(info.lastModified && info.createdAt && info.etag);

      const large = new Uint8Array(GLOBAL_LIMIT).map((_, i) => i % 251);
      ok(await service.storage.from(bucket).upload('large.bin', large, { contentType: 'application/octet-stream' }));
      const back = new Uint8Array(await ok(await service.storage.from(bucket).download('large.bin')).arrayBuffer());
      assert.equal(back.length, large.length);
      assert.deepEqual(back, large);
    });

    it('refuses an existing key without upsert (409), replaces it with upsert, and update() always upserts', async () => {
      const bucket = await newBucket(stack);
      const first = ok(await service.storage.from(bucket).upload('k.txt', 'one'));
      assertFails(await service.storage.from(bucket).upload('k.txt', 'two'), '409', 'KeyAlreadyExists', 'The resource already exists');
      assert.equal(await text(service, bucket, 'k.txt'), 'one');
      const second = ok(await service.storage.from(bucket).upload('k.txt', 'two', { upsert: true }));
      assert.equal(second.id, first.id, 'an upsert keeps the row');
      assert.equal(await text(service, bucket, 'k.txt'), 'two');
      ok(await service.storage.from(bucket).update('k.txt', 'three'));
      assert.equal(await text(service, bucket, 'k.txt'), 'three');
      ok(await service.storage.from(bucket).update('new.txt', 'created'));
      assert.equal(await text(service, bucket, 'new.txt'), 'created');
    });

    it('answers a missing object, a missing bucket and exists() as storage-js expects', async () => {
      const bucket = await newBucket(stack);
      assertFails(await service.storage.from(bucket).download('nope.png'), '404', 'NoSuchKey', 'Object not found');
      assertFails(await service.storage.from('no-such-bucket').download('x'), '404', 'NoSuchBucket', 'Bucket not found');
      assertFails(await service.storage.from(bucket).info('nope.png'), '404', 'NoSuchKey');
      ok(await service.storage.from(bucket).upload('here.txt', 'x'));
      assert.deepEqual((await service.storage.from(bucket).exists('here.txt')).data, true);
      const missing = await service.storage.from(bucket).exists('nope');
      assert.equal(missing.data, false);
      await assert.rejects(service.storage.from('no-such-bucket').exists('x'), (error: { code?: string }) => error.code === 'NoSuchBucket');
    });

    it('answers a row whose bytes are gone with the renderer\'s 404 and no-store', async () => {
      const bucket = await newBucket(stack);
      await sql(stack, "insert into storage.objects (bucket_id, name, metadata) values ($1, 'ghost.txt', '{}')", [bucket]);
      const response = await fetch(objectUrl(bucket, 'ghost.txt'), { headers: auth() });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), { statusCode: '404', code: 'NoSuchKey', error: 'Not found', message: 'The resource was not found' });
    });

    it('serves one byte range (206), refuses a bad one with a real 416, and answers a matching ETag with 304', async () => {
      const bucket = await newBucket(stack);
      ok(await service.storage.from(bucket).upload('r.txt', '0123456789'));
      const ranged = await fetch(objectUrl(bucket, 'r.txt'), { headers: { ...auth(), range: 'bytes=2-4' } });
      assert.equal(ranged.status, 206);
      assert.equal(ranged.headers.get('content-range'), 'bytes 2-4/10');
      assert.equal(await ranged.text(), '234');
      const suffix = await fetch(objectUrl(bucket, 'r.txt'), { headers: { ...auth(), range: 'bytes=-3' } });
      assert.equal(await suffix.text(), '789');
      const clamped = await fetch(objectUrl(bucket, 'r.txt'), { headers: { ...auth(), range: 'bytes=8-99' } });
      assert.equal(clamped.headers.get('content-range'), 'bytes 8-9/10');
      const beyond = await fetch(objectUrl(bucket, 'r.txt'), { headers: { ...auth(), range: 'bytes=10-' } });
      assert.equal(beyond.status, 416);
      assert.equal((await beyond.json() as { code: string }).code, 'InvalidRange');
      const multi = await fetch(objectUrl(bucket, 'r.txt'), { headers: { ...auth(), range: 'bytes=0-1,3-4' } });
      assert.equal(multi.status, 416);
      await multi.body?.cancel();
      const etag = (await fetch(objectUrl(bucket, 'r.txt'), { headers: auth() })).headers.get('etag') ?? '';
      const cached = await fetch(objectUrl(bucket, 'r.txt'), { headers: { ...auth(), 'if-none-match': etag } });
      assert.equal(cached.status, 304);
    });

    it('serves HTML, whatever its case, as text/plain, and a download as an attachment', async () => {
      const bucket = await newBucket(stack, { public: true });
      for (const [key, type] of [['page.html', 'text/html'], ['shout.html', 'Text/HTML']] as const) {
        ok(await service.storage.from(bucket).upload(key, '<script>alert(1)</script>', { contentType: type }));
        const viaDownload = await fetch(objectUrl(bucket, key), { headers: auth() });
        assert.equal(viaDownload.headers.get('content-type'), 'text/plain');
        await viaDownload.body?.cancel();
        const viaPublic = await fetch(service.storage.from(bucket).getPublicUrl(key).data.publicUrl);
        assert.equal(viaPublic.headers.get('content-type'), 'text/plain');
        await viaPublic.body?.cancel();
      }
      const named = await fetch(service.storage.from(bucket).getPublicUrl('page.html', { download: 'Report 1.html' }).data.publicUrl);
      assert.equal(named.headers.get('content-disposition'), "attachment; filename=Report%201.html; filename*=UTF-8''Report%201.html");
      await named.body?.cancel();
      const bare = await fetch(service.storage.from(bucket).getPublicUrl('page.html', { download: true }).data.publicUrl);
      assert.equal(bare.headers.get('content-disposition'), 'attachment;');
      await bare.body?.cancel();
    });
  });

  describe('public and private buckets', () => {
    it('reads a public bucket without RLS or an apikey; a private one never through /object/public', async () => {
      const open = await newBucket(stack, { public: true });
      const closed = await newBucket(stack);
      ok(await service.storage.from(open).upload('p.txt', 'public bytes'));
      ok(await service.storage.from(closed).upload('p.txt', 'private bytes'));
      const anon = stack.client();
      assert.equal(await text(anon, open, 'p.txt'), 'public bytes', 'no SELECT policy exists, yet a public bucket reads');
      const publicUrl = anon.storage.from(open).getPublicUrl('p.txt').data.publicUrl;
      assert.equal(publicUrl, `${stack.url}/storage/v1/object/public/${open}/p.txt`);
      const fetched = await fetch(publicUrl);
      assert.equal(fetched.status, 200);
      assert.equal(await fetched.text(), 'public bytes');

      assertFails(await anon.storage.from(closed).download('p.txt'), '404', 'NoSuchKey', 'Object not found');
      const throughPublic = await fetch(`${stack.url}/storage/v1/object/public/${closed}/p.txt`);
      assert.equal(throughPublic.status, 400);
      assert.equal((await throughPublic.json() as { code: string }).code, 'NoSuchBucket');
      const noToken = await fetch(objectUrl(closed, 'p.txt'));
      assert.equal(noToken.status, 400);
      assert.equal((await noToken.json() as { code: string }).code, 'NoSuchBucket', 'a private bucket with no valid JWT');
    });
  });

  describe('list, remove, move and copy', () => {
    it('lists the direct children of a folder, case-insensitively, with synthetic folders', async () => {
      const bucket = await newBucket(stack);
      for (const key of ['a/x.png', 'a/b/y.png', 'A/z.png', 'a_b/w.png', 'top.png']) {
        ok(await service.storage.from(bucket).upload(key, new Blob([PNG], { type: 'image/png' })));
      }
      const listed = ok(await service.storage.from(bucket).list('a'));
      assert.deepEqual(listed.map((item) => [item.name, item.id === null]), [['b', true], ['x.png', false], ['z.png', false]]);
      assert.equal(listed[1]?.metadata?.mimetype, 'image/png');
      assert.equal(listed[1]?.metadata?.size, PNG.length);
      assert.equal(listed[0]?.metadata, null);
      assert.deepEqual(ok(await service.storage.from(bucket).list('a', { search: 'x' })).map((item) => item.name), ['x.png']);
      assert.deepEqual(ok(await service.storage.from(bucket).list('a_')).map((item) => item.name), [], '_ is not a wildcard');
      assert.deepEqual(ok(await service.storage.from(bucket).list()).map((item) => item.name).sort(), ['A', 'a', 'a_b', 'top.png'],
        'at the root, A and a are two folders');
      assert.deepEqual(ok(await service.storage.from(bucket).list('a', { limit: 1, offset: 1 })).map((item) => item.name), ['x.png']);
      const byDate = ok(await service.storage.from(bucket).list('a', { sortBy: { column: 'created_at', order: 'desc' } }));
      assert.equal(byDate[0]?.name, 'b', 'other columns list folders first');
      assert.deepEqual(ok(await service.storage.from('no-such-bucket').list()), []);
    });

    it('removes exact names only, answering with the rows it deleted', async () => {
      const bucket = await newBucket(stack);
      ok(await service.storage.from(bucket).upload('d/a.txt', 'a'));
      ok(await service.storage.from(bucket).upload('d', 'd'));
      const removed = ok(await service.storage.from(bucket).remove(['d', 'missing']));
      assert.deepEqual(removed.map((row) => row.name), ['d']);
      assert.equal(removed[0]?.bucket_id, bucket);
      assert.equal(await text(service, bucket, 'd/a.txt'), 'a');
      assertFails(await service.storage.from(bucket).download('d'), '404', 'NoSuchKey');
      assert.deepEqual(ok(await service.storage.from(bucket).remove(['missing'])), []);
    });

    it('moves within and across buckets keeping the id, and refuses a missing source or a taken destination', async () => {
      const bucket = await newBucket(stack);
      const other = await newBucket(stack);
      const { id } = ok(await service.storage.from(bucket).upload('from.txt', 'moving'));
      ok(await service.storage.from(bucket).upload('taken.txt', 'taken'));
      assert.deepEqual(ok(await service.storage.from(bucket).move('from.txt', 'to/here.txt')), { message: 'Successfully moved' });
      assert.equal((ok(await service.storage.from(bucket).info('to/here.txt'))).id, id);
      assertFails(await service.storage.from(bucket).download('from.txt'), '404', 'NoSuchKey');
      assertFails(await service.storage.from(bucket).move('from.txt', 'x.txt'), '404', 'NoSuchKey');
      assertFails(await service.storage.from(bucket).move('to/here.txt', 'taken.txt'), '409', 'KeyAlreadyExists');
      ok(await service.storage.from(bucket).move('to/here.txt', 'there.txt', { destinationBucket: other }));
      assert.equal(await text(service, other, 'there.txt'), 'moving');
    });

    it('copies to a new id with the bucket in the answer\'s path, and refuses a taken destination', async () => {
      const bucket = await newBucket(stack);
      const { id } = ok(await service.storage.from(bucket).upload('src.txt', 'copied', { metadata: { keep: 'me' } }));
      const copied = ok(await service.storage.from(bucket).copy('src.txt', 'dst.txt'));
      assert.deepEqual(copied, { path: `${bucket}/dst.txt` });
      const info = ok(await service.storage.from(bucket).info('dst.txt'));
      assert.notEqual(info.id, id);
      assert.deepEqual(info.metadata, { keep: 'me' });
      assert.equal(await text(service, bucket, 'dst.txt'), 'copied');
      assertFails(await service.storage.from(bucket).copy('src.txt', 'dst.txt'), '409', 'KeyAlreadyExists');
      assertFails(await service.storage.from(bucket).copy('nope.txt', 'x.txt'), '404', 'NoSuchKey');
      // Removing the source leaves the copy's own bytes.
      ok(await service.storage.from(bucket).remove(['src.txt']));
      assert.equal(await text(service, bucket, 'dst.txt'), 'copied');
    });
  });

  describe('limits and key rules', () => {
    it('refuses a body over the bucket limit (decimal units) with 413, raw before reading and multipart while streaming, leaving no row', async () => {
      const bucket = await newBucket(stack, { fileSizeLimit: '1KB' });
      assertFails(await service.storage.from(bucket).upload('raw.bin', new Uint8Array(1001)), '413', 'EntityTooLarge', 'The object exceeded the maximum allowed size');
      assertFails(await service.storage.from(bucket).upload('multi.bin', new Blob([new Uint8Array(1001)])), '413', 'EntityTooLarge');
      ok(await service.storage.from(bucket).upload('fits.bin', new Blob([new Uint8Array(1000)])));
      assert.equal(await rowCount(bucket), 1);
      // The project's limit, far exceeded by a streamed multipart body: refused, and the client goes on.
      const unlimited = await newBucket(stack);
      assertFails(await service.storage.from(unlimited).upload('huge.bin', new Blob([new Uint8Array(GLOBAL_LIMIT * 8)])), '413', 'EntityTooLarge');
      assert.equal(await rowCount(unlimited), 0);
      ok(await service.storage.from(unlimited).upload('next.bin', new Blob([new Uint8Array(GLOBAL_LIMIT)])));
    });

    it('answers a declared size over the limit without waiting for the body', async () => {
      const bucket = await newBucket(stack);
      const url = new URL(objectUrl(bucket, 'huge.bin'));
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(url, {
          method: 'POST',
          headers: { ...auth(), 'content-type': 'application/octet-stream', 'content-length': String(GLOBAL_LIMIT * 100) },
        }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => { body += chunk; });
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 0, body });
            request.destroy();
          });
        });
        request.on('error', reject);
        // A sliver of the declared body: the answer comes anyway, so the rest was never needed.
        request.write(Buffer.alloc(1024));
      });
      assert.equal(answer.status, 400);
      assert.equal((JSON.parse(answer.body) as { statusCode: string }).statusCode, '413');
      assert.equal(await rowCount(bucket), 0);
    });

    it('checks MIME types exactly, parameters included, with wildcards', async () => {
      const texts = await newBucket(stack, { allowedMimeTypes: ['text/plain'] });
      assertFails(await service.storage.from(texts).upload('s.txt', 'string'), '415', 'InvalidMimeType', 'mime type text/plain;charset=UTF-8 is not supported');
      ok(await service.storage.from(texts).upload('t.txt', 'string', { contentType: 'text/plain' }));
      const images = await newBucket(stack, { allowedMimeTypes: ['image/*'] });
      ok(await service.storage.from(images).upload('i.png', new Blob([PNG], { type: 'image/png' })));
      assertFails(await service.storage.from(images).upload('i.pdf', new Blob(['%PDF'], { type: 'application/pdf' })), '415', 'InvalidMimeType');
    });

    it('refuses keys the real server refuses, and dot segments', async () => {
      const bucket = await newBucket(stack);
      assertFails(await service.storage.from(bucket).upload('Résumé.pdf', 'x'), '400', 'InvalidKey', 'Invalid key: Résumé.pdf');
      assertFails(await service.storage.from(bucket).upload('a~b', 'x'), '400', 'InvalidKey');
      ok(await service.storage.from(bucket).upload("it's (1) & more.txt", 'allowed'));
      ok(await service.storage.from(bucket).upload('src.txt', 'x'));
      assertFails(await service.storage.from(bucket).copy('src.txt', '../x'), '400', 'InvalidKey');
      assertFails(await service.storage.from(bucket).move('src.txt', 'a/./b'), '400', 'InvalidKey');
      assert.equal(await rowCount(bucket), 2);
    });
  });
});

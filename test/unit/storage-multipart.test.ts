// The local Storage service's streaming multipart reader: parts and fields come out whole however
// the body is cut into chunks (a boundary split across chunks included), a file's bytes are never
// taken for a boundary, and a body that ends early or has no boundary is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multipartBoundary, partText, readMultipart } from '../../supabase/local/src/storage/multipart.ts';
import { StorageError } from '../../supabase/local/src/storage/errors.ts';

/** What undici sends for storage-js's FormData: the fields first, then the file under an empty name. */
async function encode(fields: Record<string, string>, file: Uint8Array<ArrayBuffer>, type = 'image/png'): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('', new Blob([file], { type }));
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type') ?? '' };
}

async function* chunked(body: Buffer, sizes: (index: number) => number): AsyncGenerator<Buffer> {
  for (let offset = 0, index = 0; offset < body.length; index++) {
    const size = Math.max(1, sizes(index));
    yield body.subarray(offset, offset + size);
    offset += size;
  }
}

async function parse(body: Buffer, contentType: string, sizes: (index: number) => number) {
  const boundary = multipartBoundary(contentType);
  assert.ok(boundary);
  const parts: { name: string; filename: string | null; contentType: string | null; bytes: Buffer }[] = [];
  for await (const part of readMultipart(chunked(body, sizes), boundary)) {
    const chunks: Buffer[] = [];
    for await (const chunk of part.body) chunks.push(chunk);
    parts.push({ name: part.name, filename: part.filename, contentType: part.contentType, bytes: Buffer.concat(chunks) });
  }
  return parts;
}

describe('storage multipart reader', () => {
  // Bytes that look like the start of a boundary, to tempt a careless search.
  const bytes = Buffer.concat([Buffer.from('\r\n--\r\n-'), Buffer.alloc(3000, 7), Buffer.from('\r\n--')]);
  const file = new Uint8Array(new ArrayBuffer(bytes.length));
  file.set(bytes);

  for (const [label, sizes] of [
    ['one chunk', () => 1 << 30],
    ['one byte at a time', () => 1],
    ['odd chunk sizes', (i: number) => (i * 37) % 101 + 1],
  ] as const) {
    it(`reads the fields and the file whole in ${label}`, async () => {
      const { body, contentType } = await encode({ cacheControl: '3600', metadata: '{"a":1}' }, file);
      const parts = await parse(body, contentType, sizes);
      assert.deepEqual(parts.map((part) => [part.name, part.filename, part.contentType]), [
        ['cacheControl', null, null],
        ['metadata', null, null],
        ['', 'blob', 'image/png'],
      ]);
      assert.equal(parts[0]?.bytes.toString(), '3600');
      assert.equal(parts[1]?.bytes.toString(), '{"a":1}');
      assert.deepEqual(new Uint8Array(parts[2]?.bytes ?? []), file);
    });
  }

  it('refuses a body cut off before its closing boundary, and a content type without a boundary', async () => {
    const { body, contentType } = await encode({}, file);
    await assert.rejects(parse(body.subarray(0, body.length - 20), contentType, () => 64),
      (error: unknown) => error instanceof StorageError && error.code === 'InvalidRequest');
    assert.throws(() => multipartBoundary('multipart/form-data'), StorageError);
    assert.equal(multipartBoundary('application/json'), null);
  });

  it('limits a field read as text', async () => {
    const { body, contentType } = await encode({ metadata: 'x'.repeat(100) }, file);
    const boundary = multipartBoundary(contentType) ?? '';
    const parts = readMultipart(chunked(body, () => 10), boundary);
    const first = await parts.next();
    assert.ok(!first.done);
    await assert.rejects(partText(first.value, 50), (error: unknown) => error instanceof StorageError && error.code === 'EntityTooLarge');
  });
});

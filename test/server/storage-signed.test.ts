// Signed URLs through the unmodified storage-js (SUPABASE-STORAGE.md §8, §10): download URLs bound
// to one object, with an expiry and no apikey; tampered, swapped, expired and wrong-scope tokens
// refused in the server's shapes; signed upload URLs; and tokens that never pass as an access token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUrlSigner } from '../../supabase/local/src/storage/tokens.ts';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { assertFails, bareClient, newBucket, ok, text } from './storage-helpers.ts';

interface ErrorBody { statusCode: string; code: string; error: string; message: string }

describe('storage signed URLs', () => {
  let stack: TestStack;
  let service: ReturnType<TestStack['client']>;
  let bucket: string;
  const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 9, 8, 7]);
  const refusal = async (url: string, init?: RequestInit): Promise<ErrorBody> => {
    const response = await fetch(url, init);
    assert.equal(response.status, 400);
    return await response.json() as ErrorBody;
  };

  before(async () => {
    stack = await startTestStack();
    service = stack.client(stack.stack.keys.serviceRole);
    bucket = await newBucket(stack);
    ok(await service.storage.from(bucket).upload('dir/my file.png', new Blob([PNG], { type: 'image/png' })));
    ok(await service.storage.from(bucket).upload('other.png', new Blob([PNG], { type: 'image/png' })));
  });
  after(() => stack.close());

  it('signs a download bound to one object that needs no apikey, naming the file and sending Expires', async () => {
    const { signedUrl } = ok(await service.storage.from(bucket).createSignedUrl('dir/my file.png', 60, { download: 'r.png' }));
    assert.ok(signedUrl.startsWith(`${stack.url}/storage/v1/object/sign/${bucket}/dir/my%20file.png?token=`));
    const response = await fetch(signedUrl);
    assert.equal(response.status, 200);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);
    assert.match(response.headers.get('content-disposition') ?? '', /filename=r\.png/);
    assert.ok(response.headers.get('expires'));
    assert.equal(response.headers.get('cache-control'), null, 'Expires instead of Cache-Control');
    const expires = Date.parse(response.headers.get('expires') ?? '');
    const token = new URL(signedUrl).searchParams.get('token') ?? '';
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number };
    assert.equal(expires, exp * 1000, 'Expires is the token expiry');
  });

  it('signs many at once, in order, with an error for a missing path', async () => {
    const signed = ok(await service.storage.from(bucket).createSignedUrls(['other.png', 'missing.png', 'dir/my file.png'], 60));
    assert.deepEqual(signed.map((item) => [item.path, item.error]), [
      ['other.png', null],
      ['missing.png', 'Either the object does not exist or you do not have access to it'],
      ['dir/my file.png', null],
    ]);
    assert.equal(signed[1]?.signedUrl, null);
    const [first, , third] = signed;
    assert.deepEqual(new Uint8Array(await (await fetch(first?.signedUrl ?? '')).arrayBuffer()), PNG);
    assert.equal((await fetch(third?.signedUrl ?? '')).status, 200);
  });

  it('refuses a swapped path, a tampered token, an expired one, a missing one and a bad expiry', async () => {
    const { signedUrl } = ok(await service.storage.from(bucket).createSignedUrl('other.png', 60));
    const swapped = await refusal(signedUrl.replace('/other.png?', '/dir/my%20file.png?'));
    assert.deepEqual(swapped, { statusCode: '400', code: 'InvalidSignature', error: 'InvalidSignature', message: 'Invalid signature' });
    const prefix = await refusal(signedUrl.replace('/other.png?', '/other.png.bak?'));
    assert.equal(prefix.code, 'InvalidSignature', 'the path must match exactly, not by prefix');

    const token = new URL(signedUrl).searchParams.get('token') ?? '';
    const [header = '', , signature = ''] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ url: `${bucket}/dir/my file.png`, scope: 'download', exp: 4102444800 })).toString('base64url');
    const tampered = await refusal(`${stack.url}/storage/v1/object/sign/${bucket}/dir/my%20file.png?token=${header}.${forgedPayload}.${signature}`);
    assert.deepEqual([tampered.code, tampered.message], ['InvalidJWT', 'invalid signature']);

    // Signed by the stack's own scheme an hour ago, valid for a minute: expired.
    const past = createUrlSigner(stack.stack.keys.jwtSecret, () => Date.now() - 3_600_000);
    const old = await past.signDownload(`${bucket}/other.png`, 60);
    const expired = await refusal(`${stack.url}/storage/v1/object/sign/${bucket}/other.png?token=${old}`);
    assert.deepEqual([expired.statusCode, expired.code, expired.message], ['400', 'InvalidJWT', 'jwt expired']);

    const missing = await refusal(`${stack.url}/storage/v1/object/sign/${bucket}/other.png`);
    assert.deepEqual([missing.code, missing.message], ['InvalidRequest', "querystring must have required property 'token'"]);

    assertFails(await service.storage.from(bucket).createSignedUrl('other.png', 0), '400', 'InvalidRequest', 'body/expiresIn must be >= 1');
    assertFails(await service.storage.from(bucket).createSignedUrl('missing.png', 60), '404', 'NoSuchKey');
  });

  it('signs uploads: anyone holding the URL uploads once (no upsert), a download token cannot upload, an upload token cannot download', async () => {
    const signed = ok(await service.storage.from(bucket).createSignedUploadUrl('up/once.txt'));
    assert.ok(signed.signedUrl.startsWith(`${stack.url}/storage/v1/object/upload/sign/${bucket}/up/once.txt?token=`));
    const stranger = stack.client();
    ok(await stranger.storage.from(bucket).uploadToSignedUrl('up/once.txt', signed.token, new Blob(['first'], { type: 'text/plain' })));
    assert.equal(await text(service, bucket, 'up/once.txt'), 'first');
    assertFails(await stranger.storage.from(bucket).uploadToSignedUrl('up/once.txt', signed.token, 'second'), '409', 'KeyAlreadyExists');
    assertFails(await stranger.storage.from(bucket).uploadToSignedUrl('up/elsewhere.txt', signed.token, 'moved'), '400', 'InvalidSignature');
    assertFails(await service.storage.from(bucket).createSignedUploadUrl('up/once.txt'), '409', 'KeyAlreadyExists',
      'The resource already exists');

    const replace = ok(await service.storage.from(bucket).createSignedUploadUrl('up/once.txt', { upsert: true }));
    ok(await stranger.storage.from(bucket).uploadToSignedUrl('up/once.txt', replace.token, 'replaced'));
    assert.equal(await text(service, bucket, 'up/once.txt'), 'replaced');

    const download = new URL(ok(await service.storage.from(bucket).createSignedUrl('up/once.txt', 60)).signedUrl).searchParams.get('token') ?? '';
    assertFails(await stranger.storage.from(bucket).uploadToSignedUrl('up/once.txt', download, 'sneaky'), '400', 'InvalidSignature',
      'Token is not scoped for upload');
    const asDownload = await refusal(`${stack.url}/storage/v1/object/sign/${bucket}/up/once.txt?token=${replace.token}`);
    assert.equal(asDownload.code, 'InvalidSignature');
    assert.equal(await text(service, bucket, 'up/once.txt'), 'replaced');
  });

  it('never lets a signed-URL token pass as an access token', async () => {
    const { signedUrl } = ok(await service.storage.from(bucket).createSignedUrl('other.png', 60));
    const token = new URL(signedUrl).searchParams.get('token') ?? '';
    const replayed = bareClient(stack.url, stack.stack.keys.anon, { Authorization: `Bearer ${token}` });
    assertFails(await replayed.storage.from(bucket).list(), '403', 'AccessDenied');
    const rest = await fetch(`${stack.url}/rest/v1/messages?select=id`, { headers: { apikey: stack.stack.keys.anon, authorization: `Bearer ${token}` } });
    assert.equal(rest.status, 401);
  });
});

import { header, sendJson } from '../http/respond.ts';
import { field, readJsonObject } from './body.ts';
import type { StorageExchange } from './context.ts';
import { asAdmin, asCaller } from './database.ts';
import { serveObject } from './download.ts';
import { errors } from './errors.ts';
import { requireCaller } from './identity.ts';
import { checkKey } from './limits.ts';
import { findObject, probeWrite, subOf } from './rows.ts';
import { upload } from './upload.ts';

const NOT_VISIBLE = 'Either the object does not exist or you do not have access to it';

/** The token's `url` claim: the bucket and the key as routed (decoded once), never the raw request path. */
const signedPath = (bucket: string, key: string) => `${bucket}/${key}`;

/** `createSignedUrl()`: only for an object the caller can SELECT. */
export async function signObject(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const expiresIn = field.integer(await readJsonObject(x.req), 'expiresIn', 1);
  if (expiresIn === undefined) throw errors.invalidRequest("body must have required property 'expiresIn'");
  const row = await asCaller(x.ctx.pool, caller, { operation: 'storage.object.sign' }, 'rollback',
    (client) => findObject(client, x.bucket, x.key));
  if (!row) throw errors.noSuchKey();
  const token = await x.ctx.signer.signDownload(signedPath(x.bucket, x.key), expiresIn);
  sendJson(x.res, 200, { signedURL: `/object/sign/${signedPath(x.bucket, x.key)}?token=${token}` });
}

/** `createSignedUrls()`: one answer per path, in order; a path the caller cannot see gets an error. */
export async function signObjects(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const body = await readJsonObject(x.req);
  const expiresIn = field.integer(body, 'expiresIn', 1);
  if (expiresIn === undefined) throw errors.invalidRequest("body must have required property 'expiresIn'");
  const paths = field.strings(body, 'paths', 1, 1000);
  const visible = await asCaller(x.ctx.pool, caller, { operation: 'storage.object.sign' }, 'rollback', async (client) =>
    new Set((await client.query<{ name: string }>(
      'select name from storage.objects where bucket_id = $1 and name = any($2::text[])', [x.bucket, paths])).rows
      .map((row) => row.name)));
  const answers = await Promise.all(paths.map(async (path) => {
    if (!visible.has(path)) return { error: NOT_VISIBLE, path, signedURL: null };
    const token = await x.ctx.signer.signDownload(signedPath(x.bucket, path), expiresIn);
    return { error: null, path, signedURL: `/object/sign/${signedPath(x.bucket, path)}?token=${token}` };
  }));
  sendJson(x.res, 200, answers);
}

/** Fetching a signed URL: no apikey and no bearer; the token alone, bound to this exact object. */
export async function downloadSigned(x: StorageExchange): Promise<void> {
  const token = x.url.searchParams.get('token');
  if (!token) throw errors.invalidRequest("querystring must have required property 'token'");
  const grant = await x.ctx.signer.verifyDownload(token, signedPath(x.bucket, x.key));
  const row = await asAdmin(x.ctx.pool, { operation: 'storage.object.get_signed' }, (client) => findObject(client, x.bucket, x.key));
  if (!row) throw errors.noSuchKey();
  await serveObject(x.ctx.disk, x.req, x.res, x.url, row, { expires: grant.exp });
}

/**
 * `createSignedUploadUrl()`: the caller's RLS is probed now (so an existing key without upsert is
 * already a 409), and the token carries the caller as the future owner.
 */
export async function signUpload(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const upsert = header(x.req, 'x-upsert') === 'true';
  checkKey(x.key);
  await asCaller(x.ctx.pool, caller, { operation: 'storage.object.upload_sign' }, 'rollback', (client) => probeWrite(client, {
    bucket: x.bucket, name: x.key, sub: subOf(caller), metadata: {}, userMetadata: null, version: '', upsert,
  }));
  const path = signedPath(x.bucket, x.key);
  const token = await x.ctx.signer.signUpload(path, subOf(caller), upsert);
  sendJson(x.res, 200, { url: `/object/upload/sign/${path}?token=${token}`, token });
}

/** `uploadToSignedUrl()`: written as admin with the token's owner and upsert flag (the request's x-upsert is ignored). */
export async function uploadSigned(x: StorageExchange): Promise<void> {
  const token = x.url.searchParams.get('token');
  if (!token) throw errors.invalidRequest("querystring must have required property 'token'");
  const grant = await x.ctx.signer.verifyUpload(token, signedPath(x.bucket, x.key));
  await upload(x.ctx, x.req, { bucket: x.bucket, key: x.key, upsert: grant.upsert, uploader: { kind: 'signed', owner: grant.owner } });
  sendJson(x.res, 200, { Key: signedPath(x.bucket, x.key) });
}

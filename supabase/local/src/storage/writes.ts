import { randomUUID } from 'node:crypto';
import { header, sendJson } from '../http/respond.ts';
import { field, readJsonObject } from './body.ts';
import type { StorageExchange } from './context.ts';
import { asAdmin, asCaller } from './database.ts';
import { errors } from './errors.ts';
import { requireCaller } from './identity.ts';
import { checkKey } from './limits.ts';
import { findBucket, findObject, ownerColumns, probeWrite, subOf, writeObject, type ObjectRow } from './rows.ts';
import { upload } from './upload.ts';

/** `upload()` (POST, upsert only with `x-upsert: true`) and `update()` (PUT, always upsert). */
export async function uploadObject(x: StorageExchange, method: 'POST' | 'PUT'): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const upsert = method === 'PUT' || header(x.req, 'x-upsert') === 'true';
  const row = await upload(x.ctx, x.req, { bucket: x.bucket, key: x.key, upsert, uploader: { kind: 'caller', caller } });
  sendJson(x.res, 200, { Id: row.id, Key: `${x.bucket}/${x.key}` });
}

/**
 * `remove()`: a DELETE of exactly the named keys (not prefixes), run for real as the caller, so
 * RLS filters what goes (SELECT and DELETE policies both apply); what RLS hides is simply not in
 * the answer. The files of the deleted rows go after the commit.
 */
export async function removeObjects(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const prefixes = field.strings(await readJsonObject(x.req), 'prefixes', 1, 1000);
  const rows = await asCaller(x.ctx.pool, caller, { operation: 'storage.object.delete' }, 'commit', async (client) =>
    (await client.query<ObjectRow>(
      `delete from storage.objects where bucket_id = $1 and name = any($2::text[])
       returning name, bucket_id, owner, owner_id, version, id, updated_at, created_at, last_accessed_at, metadata, user_metadata`,
      [x.bucket, prefixes],
    )).rows);
  await x.ctx.disk.remove(rows.map((row) => row.version));
  sendJson(x.res, 200, rows);
}

interface Transfer {
  readonly sourceBucket: string;
  readonly sourceKey: string;
  readonly destinationBucket: string;
  readonly destinationKey: string;
}

async function readTransfer(x: StorageExchange): Promise<{ body: Record<string, unknown>; transfer: Transfer }> {
  const body = await readJsonObject(x.req);
  const sourceBucket = field.string(body, 'bucketId') ?? '';
  const transfer = {
    sourceBucket,
    sourceKey: field.string(body, 'sourceKey') ?? '',
    destinationKey: field.string(body, 'destinationKey') ?? '',
    destinationBucket: field.string(body, 'destinationBucket', false) ?? sourceBucket,
  };
  checkKey(transfer.destinationKey);
  return { body, transfer };
}

/**
 * `move()`: the row is renamed (same id, same bytes) by an UPDATE run as the caller, so the
 * SELECT and UPDATE policies decide; a source the caller cannot see is NoSuchKey, an existing
 * destination a 409. The mover becomes the owner.
 */
export async function moveObject(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const { transfer } = await readTransfer(x);
  const { owner, ownerId } = ownerColumns(subOf(caller));
  await asCaller(x.ctx.pool, caller, { operation: 'storage.object.move' }, 'commit', async (client) => {
    if (!await findObject(client, transfer.sourceBucket, transfer.sourceKey)) throw errors.noSuchKey();
    const { rowCount } = await client.query(
      `update storage.objects set name = $3, bucket_id = $4,
         owner = case when $6::text is null then owner else $5::uuid end, owner_id = coalesce($6::text, owner_id)
       where bucket_id = $1 and name = $2`,
      [transfer.sourceBucket, transfer.sourceKey, transfer.destinationKey, transfer.destinationBucket, owner, ownerId],
    );
    if (rowCount === 0) throw errors.noSuchKey();
  });
  sendJson(x.res, 200, { message: 'Successfully moved' });
}

/**
 * `copy()`: the source is read as the caller, the destination's INSERT (or upsert, with
 * `x-upsert: true`) is probed as the caller and rolled back, then the bytes are copied to a new
 * version and the row written as admin. The answer's `Key` includes the bucket.
 */
export async function copyObject(x: StorageExchange): Promise<void> {
  const { ctx } = x;
  const caller = await requireCaller(ctx, x.req);
  const { body, transfer } = await readTransfer(x);
  const upsert = header(x.req, 'x-upsert') === 'true';
  const copyMetadata = field.boolean(body, 'copyMetadata') ?? true;
  const givenMetadata = body.metadata;
  if (givenMetadata !== undefined && givenMetadata !== null && (typeof givenMetadata !== 'object' || Array.isArray(givenMetadata))) {
    throw errors.invalidRequest('body/metadata must be object');
  }
  const source = await asCaller(ctx.pool, caller, { operation: 'storage.object.copy' }, 'rollback',
    (client) => findObject(client, transfer.sourceBucket, transfer.sourceKey));
  if (!source) throw errors.noSuchKey();
  if (!await asAdmin(ctx.pool, { operation: 'storage.object.copy' }, (client) => findBucket(client, transfer.destinationBucket))) {
    throw errors.noSuchBucket();
  }
  const version = randomUUID();
  const write = {
    bucket: transfer.destinationBucket, name: transfer.destinationKey, sub: subOf(caller), version, upsert,
    metadata: source.metadata ?? {},
    userMetadata: copyMetadata ? source.user_metadata : (givenMetadata as Record<string, unknown> | null | undefined) ?? null,
  };
  await asCaller(ctx.pool, caller, { operation: 'storage.object.copy' }, 'rollback', (client) => probeWrite(client, write));
  if (source.version === null || await ctx.disk.stat(source.version) === null) throw errors.bytesMissing();
  await ctx.disk.copy(source.version, version);
  let previous: string | null = null;
  let row: ObjectRow;
  try {
    row = await asAdmin(ctx.pool, { operation: 'storage.object.copy' }, async (client) => {
      if (upsert) previous = (await findObject(client, write.bucket, write.name))?.version ?? null;
      return writeObject(client, write);
    });
  } catch (error) {
    await ctx.disk.remove([version]);
    throw error;
  }
  if (previous !== null) await ctx.disk.remove([previous]);
  sendJson(x.res, 200, { Id: row.id, Key: `${write.bucket}/${write.name}`, ...row });
}

import { sendJson } from '../http/respond.ts';
import { field, readJsonObject } from './body.ts';
import type { StorageExchange } from './context.ts';
import { asAdmin, asCaller } from './database.ts';
import { serveObject } from './download.ts';
import { errors } from './errors.ts';
import { optionalCaller, requireCaller } from './identity.ts';
import { findBucket, findObject, type ObjectRow } from './rows.ts';

/** How a download route decides who reads: a token optional, required, or the public route (none). */
export type ReadMode = 'optional' | 'authenticated' | 'public';

/**
 * The object a read route may return, as supabase/storage decides it: a public bucket is read as
 * admin (RLS never applies to it); a private bucket needs a valid token and a row the caller's
 * SELECT policies show. A hidden row is a missing one. `/object/public/` needs a public bucket.
 */
export async function readableObject(x: StorageExchange, mode: ReadMode, operation: string): Promise<ObjectRow> {
  const { ctx } = x;
  const bucket = await asAdmin(ctx.pool, { operation }, (client) => findBucket(client, x.bucket));
  if (!bucket) throw errors.noSuchBucket();
  if (mode === 'public' && !bucket.public) throw errors.noSuchBucket();
  let row: ObjectRow | null;
  if (mode === 'public' || (mode === 'optional' && bucket.public)) {
    row = await asAdmin(ctx.pool, { operation }, (client) => findObject(client, x.bucket, x.key));
  } else {
    let caller;
    if (mode === 'authenticated') {
      caller = await requireCaller(ctx, x.req);
    } else {
      const optional = await optionalCaller(ctx, x.req);
      if (!optional.verified) throw errors.noSuchBucket();
      caller = optional.caller;
    }
    row = await asCaller(ctx.pool, caller, { operation }, 'rollback', (client) => findObject(client, x.bucket, x.key));
  }
  if (!row) throw errors.noSuchKey();
  return row;
}

export async function downloadObject(x: StorageExchange, mode: ReadMode): Promise<void> {
  const row = await readableObject(x, mode, 'storage.object.get');
  await serveObject(x.ctx.disk, x.req, x.res, x.url, row);
}

/** `info()`: the object's head, as the server's info renderer shapes it (storage-js camel-cases it). */
export async function objectInfo(x: StorageExchange): Promise<void> {
  const row = await readableObject(x, 'optional', 'storage.object.info');
  const metadata = row.metadata ?? {};
  sendJson(x.res, 200, {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: metadata.size ?? null,
    content_type: metadata.mimetype ?? null,
    cache_control: metadata.cacheControl ?? null,
    etag: metadata.eTag ?? null,
    metadata: row.user_metadata ?? {},
    last_modified: row.updated_at,
    created_at: row.created_at,
  });
}

const SORT_COLUMNS = ['name', 'updated_at', 'created_at', 'last_accessed_at'] as const;

/**
 * `list()`: the direct children of a folder through `storage.search`, under the caller's role, so
 * RLS decides which files (and so which folders) show. The prefix and `search` together are one
 * case-insensitive name prefix; a missing bucket lists nothing, as on hosted.
 */
export async function listObjects(x: StorageExchange): Promise<void> {
  const { ctx } = x;
  const caller = await requireCaller(ctx, x.req);
  const body = await readJsonObject(x.req);
  const rawPrefix = field.string(body, 'prefix') ?? '';
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const limit = Math.min(field.integer(body, 'limit', 1) ?? 100, 1500);
  const offset = field.integer(body, 'offset', 0) ?? 0;
  const search = field.string(body, 'search', false) ?? '';
  const sortBy = body.sortBy ?? {};
  if (typeof sortBy !== 'object' || sortBy === null || Array.isArray(sortBy)) throw errors.invalidRequest('body/sortBy must be object');
  const sort = sortBy as Record<string, unknown>;
  const column = field.string(sort, 'column', false) ?? 'name';
  const order = field.string(sort, 'order', false) ?? 'asc';
  if (!(SORT_COLUMNS as readonly string[]).includes(column)) {
    throw errors.invalidRequest('body/sortBy/column must be equal to one of the allowed values');
  }
  if (!['asc', 'desc'].includes(order.toLowerCase())) throw errors.invalidRequest('body/sortBy/order must be asc or desc');
  const rows = await asCaller(ctx.pool, caller, { operation: 'storage.object.list' }, 'rollback', async (client) =>
    (await client.query(
      'select * from storage.search($1, $2, $3, 1, $4, $5, $6, $7)',
      [prefix, x.bucket, limit, offset, search, column, order],
    )).rows);
  sendJson(x.res, 200, rows);
}

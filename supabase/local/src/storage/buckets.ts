import { sendJson } from '../http/respond.ts';
import { field, readJsonObject } from './body.ts';
import type { StorageExchange } from './context.ts';
import { asAdmin, asCaller } from './database.ts';
import { errors } from './errors.ts';
import { requireCaller } from './identity.ts';
import { checkBucketName, parseAllowedMimeTypes, parseFileSizeLimit } from './limits.ts';
import { ownerColumns, subOf, type BucketRow } from './rows.ts';

/**
 * Bucket routes. Every statement runs as the caller, so RLS on storage.buckets decides: with no
 * policies (hosted's default) only the service role manages buckets; a hidden bucket is a missing one.
 */

const bucketOperation = (name: string) => ({ operation: `storage.bucket.${name}`, duplicate: errors.bucketExists });

/** Fields as the server's response schema serialises them: a null owner becomes "". */
function renderBucket(row: BucketRow, withType: boolean): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner ?? '',
    public: row.public,
    ...(withType ? { type: row.type } : {}),
    file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit),
    allowed_mime_types: row.allowed_mime_types,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function checkSizeLimit(limit: number | null, globalLimit: number): void {
  if (limit !== null && limit > globalLimit) {
    throw errors.tooLarge();
  }
}

export async function createBucket(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const body = await readJsonObject(x.req);
  const name = field.string(body, 'name') ?? '';
  const id = field.string(body, 'id', false) ?? name;
  checkBucketName(name);
  checkBucketName(id);
  const fileSizeLimit = parseFileSizeLimit(body.file_size_limit);
  checkSizeLimit(fileSizeLimit, x.ctx.fileSizeLimit);
  const allowed = parseAllowedMimeTypes(body.allowed_mime_types);
  const isPublic = field.boolean(body, 'public') ?? false;
  const { owner, ownerId } = ownerColumns(subOf(caller));
  await asCaller(x.ctx.pool, caller, bucketOperation('create'), 'commit', (client) => client.query(
    `insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [id, name, owner, ownerId, isPublic, fileSizeLimit, allowed]));
  sendJson(x.res, 200, { name });
}

export async function getBucket(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const row = await asCaller(x.ctx.pool, caller, bucketOperation('get'), 'rollback', async (client) =>
    (await client.query<BucketRow>('select * from storage.buckets where id = $1', [x.bucket])).rows[0]);
  if (!row) throw errors.noSuchBucket();
  sendJson(x.res, 200, renderBucket(row, false));
}

const BUCKET_SORT = ['id', 'name', 'created_at', 'updated_at'] as const;

export async function listBuckets(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const query = x.url.searchParams;
  const integer = (name: string, fallback: number | null) => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw errors.invalidRequest(`querystring/${name} must be integer`);
    return Number(raw);
  };
  const limit = integer('limit', null);
  const offset = integer('offset', 0) ?? 0;
  const column = query.get('sortColumn') ?? 'name';
  const order = (query.get('sortOrder') ?? 'asc').toLowerCase();
  if (!(BUCKET_SORT as readonly string[]).includes(column)) throw errors.invalidRequest('querystring/sortColumn must be equal to one of the allowed values');
  if (order !== 'asc' && order !== 'desc') throw errors.invalidRequest('querystring/sortOrder must be equal to one of the allowed values');
  const search = query.get('search') ?? '';
  const rows = await asCaller(x.ctx.pool, caller, bucketOperation('list'), 'rollback', async (client) =>
    (await client.query<BucketRow>(
      `select * from storage.buckets where ($1 = '' or name ilike '%' || $1 || '%')
       order by ${column} ${order} limit $2 offset $3`,
      [search, limit, offset])).rows);
  sendJson(x.res, 200, rows.map((row) => renderBucket(row, true)));
}

export async function updateBucket(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const body = await readJsonObject(x.req);
  const isPublic = field.boolean(body, 'public');
  const sizeGiven = 'file_size_limit' in body;
  const fileSizeLimit = parseFileSizeLimit(body.file_size_limit);
  checkSizeLimit(fileSizeLimit, x.ctx.fileSizeLimit);
  const mimeGiven = 'allowed_mime_types' in body;
  const allowed = parseAllowedMimeTypes(body.allowed_mime_types);
  const updated = await asCaller(x.ctx.pool, caller, bucketOperation('update'), 'commit', async (client) =>
    (await client.query(
      `update storage.buckets set public = coalesce($2, public),
         file_size_limit = case when $3 then $4::bigint else file_size_limit end,
         allowed_mime_types = case when $5 then $6::text[] else allowed_mime_types end,
         updated_at = now()
       where id = $1`,
      [x.bucket, isPublic ?? null, sizeGiven, fileSizeLimit, mimeGiven, allowed])).rowCount);
  if (!updated) throw errors.noSuchBucket();
  sendJson(x.res, 200, { message: 'Successfully updated' });
}

/** Empties a bucket the caller can see: the rows RLS lets it delete go, with their files. */
export async function emptyBucket(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  const versions = await asCaller(x.ctx.pool, caller, bucketOperation('empty'), 'commit', async (client) => {
    const found = await client.query('select 1 from storage.buckets where id = $1', [x.bucket]);
    if (found.rowCount === 0) throw errors.noSuchBucket();
    return (await client.query<{ version: string | null }>(
      'delete from storage.objects where bucket_id = $1 returning version', [x.bucket])).rows.map((row) => row.version);
  });
  await x.ctx.disk.remove(versions);
  sendJson(x.res, 200, { message: 'Successfully emptied' });
}

export async function deleteBucket(x: StorageExchange): Promise<void> {
  const caller = await requireCaller(x.ctx, x.req);
  await asCaller(x.ctx.pool, caller, bucketOperation('delete'), 'rollback', async (client) => {
    const found = await client.query('select 1 from storage.buckets where id = $1', [x.bucket]);
    if (found.rowCount === 0) throw errors.noSuchBucket();
  });
  // Counted as admin: objects the caller cannot see still keep the bucket.
  const occupied = await asAdmin(x.ctx.pool, bucketOperation('delete'), async (client) =>
    (await client.query('select 1 from storage.objects where bucket_id = $1 limit 1', [x.bucket])).rowCount !== 0);
  if (occupied) throw errors.bucketNotEmpty();
  const deleted = await asCaller(x.ctx.pool, caller, bucketOperation('delete'), 'commit', async (client) =>
    (await client.query('delete from storage.buckets where id = $1', [x.bucket])).rowCount);
  if (!deleted) throw errors.noSuchBucket();
  sendJson(x.res, 200, { message: 'Successfully deleted' });
}

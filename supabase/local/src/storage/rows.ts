import type pg from 'pg';
import type { Caller } from './identity.ts';

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  public: boolean;
  /** bigint: pg hands it over as text. */
  file_size_limit: string | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
  type: string;
}

/** What the upload path stores in `metadata`, the file backend's head of the object. */
export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: Partial<ObjectMetadata> | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

const OBJECT_COLUMNS = 'id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at';

export async function findBucket(client: pg.PoolClient, id: string): Promise<BucketRow | null> {
  const { rows } = await client.query<BucketRow>('select * from storage.buckets where id = $1', [id]);
  return rows[0] ?? null;
}

/** The object as the connection's role sees it: a row RLS hides is the same as a missing one. */
export async function findObject(client: pg.PoolClient, bucket: string, name: string): Promise<ObjectRow | null> {
  const { rows } = await client.query<ObjectRow>(
    `select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`, [bucket, name]);
  return rows[0] ?? null;
}

/** `owner` (uuid, deprecated) only holds a `sub` that is a UUID; `owner_id` holds any. */
export function ownerColumns(sub: string | undefined): { owner: string | null; ownerId: string | null } {
  if (sub === undefined || sub === '') return { owner: null, ownerId: null };
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sub);
  return { owner: isUuid ? sub : null, ownerId: sub };
}

export function subOf(caller: Caller): string | undefined {
  return typeof caller.claims.sub === 'string' ? caller.claims.sub : undefined;
}

export interface ObjectWrite {
  readonly bucket: string;
  readonly name: string;
  readonly sub: string | undefined;
  readonly metadata: Partial<ObjectMetadata>;
  readonly userMetadata: Record<string, unknown> | null;
  readonly version: string;
  readonly upsert: boolean;
}

/**
 * The statement a write runs: an INSERT, or with upsert an INSERT … ON CONFLICT DO UPDATE, which
 * needs INSERT, UPDATE and SELECT policies. Run as the caller it is the permission probe; run as
 * admin it is the write. A writer without `sub` keeps the row's old owner.
 */
export async function writeObject(client: pg.PoolClient, write: ObjectWrite): Promise<ObjectRow> {
  const row = (await runWrite(client, write, true))[0];
  if (!row) throw new Error('writeObject: no row returned');
  return row;
}

/**
 * The permission probe: the caller's write, without RETURNING when it is a plain INSERT, so only
 * INSERT policies judge it (RETURNING would make SELECT policies judge the new row too), as the
 * real server's probe. The upsert returns its row, so it needs SELECT as on hosted.
 */
export async function probeWrite(client: pg.PoolClient, write: ObjectWrite): Promise<void> {
  await runWrite(client, write, write.upsert);
}

async function runWrite(client: pg.PoolClient, write: ObjectWrite, returning: boolean): Promise<ObjectRow[]> {
  const { owner, ownerId } = ownerColumns(write.sub);
  const values = [write.bucket, write.name, owner, ownerId, JSON.stringify(write.metadata),
    write.userMetadata === null ? null : JSON.stringify(write.userMetadata), write.version];
  const insert = `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata, version)
    values ($1, $2, $3, $4, $5, $6, $7)`;
  const upsert = write.upsert
    ? ` on conflict (bucket_id, name) do update set metadata = excluded.metadata,
        user_metadata = excluded.user_metadata, version = excluded.version,
        owner = case when excluded.owner_id is null then storage.objects.owner else excluded.owner end,
        owner_id = coalesce(excluded.owner_id, storage.objects.owner_id)`
    : '';
  return (await client.query<ObjectRow>(`${insert}${upsert}${returning ? ` returning ${OBJECT_COLUMNS}` : ''}`, values)).rows;
}

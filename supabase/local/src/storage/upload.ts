import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header } from '../http/respond.ts';
import type { StorageContext } from './context.ts';
import { asAdmin, asCaller } from './database.ts';
import { errors } from './errors.ts';
import type { Caller } from './identity.ts';
import { checkKey, checkMimeType, isEmptyFolder, uploadLimit } from './limits.ts';
import { multipartBoundary, partText, readMultipart } from './multipart.ts';
import { findBucket, findObject, probeWrite, subOf, writeObject, type ObjectMetadata, type ObjectRow } from './rows.ts';

/** Whose upload this is: a caller whose RLS is probed first, or a signed upload URL's grant. */
export type Uploader =
  | { readonly kind: 'caller'; readonly caller: Caller }
  | { readonly kind: 'signed'; readonly owner: string | undefined };

export interface UploadRequest {
  readonly bucket: string;
  readonly key: string;
  readonly upsert: boolean;
  readonly uploader: Uploader;
}

/** What the body says about the file, read before its bytes. */
interface Incoming {
  readonly mimetype: string;
  readonly cacheControl: string;
  readonly userMetadata: Record<string, unknown> | null;
  /** The bytes, streamed once. */
  readonly source: AsyncIterable<Buffer>;
  /** Content-Length when the body is the file itself, else null (multipart is checked as it streams). */
  readonly declaredSize: number | null;
}

const FIELD_LIMIT = 1024 * 1024;
const MAX_FIELDS = 10;

/**
 * An upload, in the order supabase/storage checks it (uploader.ts): the bucket (as admin), the
 * body's type and declared size, the key, the caller's RLS probe (the real INSERT, or the upsert,
 * in a transaction that is rolled back), the bytes (streamed to disk, 413 past the limit), then
 * the row written as admin. A failure after the bytes were staged removes them.
 */
export async function upload(ctx: StorageContext, req: IncomingMessage, request: UploadRequest): Promise<ObjectRow> {
  const bucket = await asAdmin(ctx.pool, { operation: 'storage.object.upload' }, (client) => findBucket(client, request.bucket));
  if (!bucket) throw errors.noSuchBucket();
  const limit = uploadLimit(ctx.fileSizeLimit, bucket.file_size_limit === null ? null : Number(bucket.file_size_limit), request.key);
  const incoming = await openBody(req);
  if (!isEmptyFolder(request.key)) checkMimeType(incoming.mimetype, bucket.allowed_mime_types);
  if (incoming.declaredSize !== null && incoming.declaredSize > limit) throw errors.tooLargeDeclared();
  checkKey(request.key);

  const version = randomUUID();
  const contentLength = Number(header(req, 'content-length') ?? 0) || 0;
  const sub = request.uploader.kind === 'caller' ? subOf(request.uploader.caller) : request.uploader.owner;
  const write = {
    bucket: request.bucket, name: request.key, sub, userMetadata: incoming.userMetadata, version, upsert: request.upsert,
  };
  if (request.uploader.kind === 'caller') {
    // Policies see only the type and the request's length at this point, as on hosted.
    await asCaller(ctx.pool, request.uploader.caller, { operation: 'storage.object.upload' }, 'rollback',
      (client) => probeWrite(client, { ...write, metadata: { mimetype: incoming.mimetype, contentLength } }));
  }
  const staged = await ctx.disk.stage(incoming.source, limit);
  let previous: string | null = null;
  try {
    const metadata: ObjectMetadata = {
      eTag: staged.eTag, size: staged.size, mimetype: incoming.mimetype, cacheControl: incoming.cacheControl,
      lastModified: new Date().toUTCString(), contentLength: staged.size, httpStatusCode: 200,
    };
    const row = await asAdmin(ctx.pool, { operation: 'storage.object.upload' }, async (client) => {
      if (request.upsert) {
        await client.query('select pg_advisory_xact_lock(hashtext($1))', [`${request.bucket}/${request.key}`]);
        previous = (await findObject(client, request.bucket, request.key))?.version ?? null;
      }
      const written = await writeObject(client, { ...write, metadata });
      await ctx.disk.place(staged, version);
      return written;
    });
    if (previous !== null && previous !== version) await ctx.disk.remove([previous]);
    return row;
  } catch (error) {
    await ctx.disk.discard(staged);
    await ctx.disk.remove([version]);
    throw error;
  }
}

/**
 * The file in the body. Multipart (storage-js sends Blobs and Files so): the fields before the
 * first file part, whose type is the `contentType` field or else the part's own; cache control from
 * the `cacheControl` field. Anything else: the body is the file, typed by Content-Type.
 */
async function openBody(req: IncomingMessage): Promise<Incoming> {
  // The stream must survive an early stop (a 413 mid-body), so the answer can still be sent.
  const chunks = req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;
  const boundary = multipartBoundary(header(req, 'content-type'));
  if (boundary === null) {
    const length = header(req, 'content-length');
    return {
      mimetype: header(req, 'content-type') || 'application/octet-stream',
      cacheControl: header(req, 'cache-control') || 'no-cache',
      userMetadata: parseMetadataHeader(header(req, 'x-metadata')),
      source: chunks,
      declaredSize: length === undefined ? null : Number(length),
    };
  }
  const fields = new Map<string, string>();
  for await (const part of readMultipart(chunks, boundary)) {
    if (part.filename === null && part.contentType === null) {
      const value = await partText(part, FIELD_LIMIT);
      if (fields.size < MAX_FIELDS) fields.set(part.name, value);
      continue;
    }
    const cacheControl = fields.get('cacheControl');
    const metadata = fields.get('metadata') ?? fields.get('userMetadata');
    return {
      mimetype: fields.get('contentType') || part.contentType || 'application/octet-stream',
      cacheControl: cacheControl ? `max-age=${cacheControl}` : 'no-cache',
      userMetadata: metadata === undefined ? null : parseMetadata(metadata),
      source: part.body,
      declaredSize: null,
    };
  }
  throw errors.invalidRequest('No content provided');
}

function parseMetadataHeader(value: string | undefined): Record<string, unknown> | null {
  if (value === undefined || value === '') return null;
  return parseMetadata(Buffer.from(value, 'base64').toString('utf8'));
}

function parseMetadata(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalidRequest('Invalid metadata');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw errors.invalidRequest('Invalid metadata');
  return value as Record<string, unknown>;
}

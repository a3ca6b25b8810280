import { loadApiRoles } from '../http/bearer.ts';
import type { ApiRequest, ServiceHandler, StackContext } from '../http/context.ts';
import { decodePathSegment } from '../http/url.ts';
import { settleBody } from './body.ts';
import { createBucket, deleteBucket, emptyBucket, getBucket, listBuckets, updateBucket } from './buckets.ts';
import type { StorageContext, StorageExchange } from './context.ts';
import { createDiskStore } from './disk.ts';
import { errors, sendStorageError, StorageError } from './errors.ts';
import { downloadObject, listObjects, objectInfo } from './reads.ts';
import { downloadSigned, signObject, signObjects, signUpload, uploadSigned } from './signed.ts';
import { createUrlSigner } from './tokens.ts';
import { copyObject, moveObject, removeObjects, uploadObject } from './writes.ts';

export interface StorageSettings {
  /** Folder of the object bytes. */
  readonly root: string;
  /** The project's upload limit in bytes. */
  readonly fileSizeLimit: number;
}

type Handler = (x: StorageExchange) => Promise<void>;

/**
 * One route: its method, a pattern of literal segments, `:bucket` and a trailing `*` (the key,
 * slashes included). Literal routes come first, so as in supabase/storage a bucket named `sign`
 * or `list` is shadowed on some calls.
 */
interface Route {
  readonly methods: readonly string[];
  readonly pattern: readonly string[];
  readonly handle: Handler;
}

const route = (methods: string | readonly string[], pattern: string, handle: Handler): Route =>
  ({ methods: typeof methods === 'string' ? [methods] : methods, pattern: pattern.split('/').filter(Boolean), handle });

const ROUTES: readonly Route[] = [
  route('GET', 'bucket', listBuckets),
  route('POST', 'bucket', createBucket),
  route('POST', 'bucket/:bucket/empty', emptyBucket),
  route('GET', 'bucket/:bucket', getBucket),
  route('PUT', 'bucket/:bucket', updateBucket),
  route('DELETE', 'bucket/:bucket', deleteBucket),
  route('POST', 'object/move', moveObject),
  route('POST', 'object/copy', copyObject),
  route('POST', 'object/list/:bucket', listObjects),
  route('POST', 'object/upload/sign/:bucket/*', signUpload),
  route('PUT', 'object/upload/sign/:bucket/*', uploadSigned),
  route('POST', 'object/sign/:bucket', signObjects),
  route('POST', 'object/sign/:bucket/*', signObject),
  route(['GET', 'HEAD'], 'object/sign/:bucket/*', downloadSigned),
  route(['GET', 'HEAD'], 'object/public/:bucket/*', (x) => downloadObject(x, 'public')),
  route(['GET', 'HEAD'], 'object/authenticated/:bucket/*', (x) => downloadObject(x, 'authenticated')),
  route('GET', 'object/info/:bucket/*', objectInfo),
  route(['GET', 'HEAD'], 'object/:bucket/*', (x) => downloadObject(x, 'optional')),
  route('POST', 'object/:bucket/*', (x) => uploadObject(x, 'POST')),
  route('PUT', 'object/:bucket/*', (x) => uploadObject(x, 'PUT')),
  route('DELETE', 'object/:bucket', removeObjects),
];

function match(route: Route, segments: readonly string[]): { bucket: string; key: string } | null {
  let bucket = '';
  for (let i = 0; i < route.pattern.length; i++) {
    const part = route.pattern[i];
    if (part === '*') {
      const rest = segments.slice(i);
      if (rest.length === 0 || rest.every((segment) => segment === '')) return null;
      return { bucket, key: rest.map(decodePathSegment).join('/') };
    }
    const segment = segments[i];
    if (segment === undefined || segment === '') return null;
    if (part === ':bucket') bucket = decodePathSegment(segment);
    else if (part !== segment) return null;
  }
  return segments.length === route.pattern.length ? { bucket, key: '' } : null;
}

/**
 * `/storage/v1`: the supabase/storage API subset storage-js uses, on the stack's database, with
 * object bytes in `settings.root`. Errors leave as Storage renders them.
 */
export function createStorageService(context: StackContext, settings: StorageSettings): ServiceHandler {
  let roles: Promise<ReadonlySet<string>> | undefined;
  const ctx: StorageContext = {
    pool: context.pool,
    keys: context.keys,
    switchableRoles() {
      roles ??= loadApiRoles(context.pool).then((loaded) => loaded.switchable);
      // A failed read is retried by the next request rather than remembered.
      roles.catch(() => {
        roles = undefined;
      });
      return roles;
    },
    disk: createDiskStore(settings.root),
    signer: createUrlSigner(context.keys.jwtSecret),
    fileSizeLimit: settings.fileSizeLimit,
  };
  return async (request: ApiRequest) => {
    const { req, res, url } = request;
    const method = (req.method ?? 'GET').toUpperCase();
    const segments = request.path.split('/').slice(1);
    try {
      for (const candidate of ROUTES) {
        if (!candidate.methods.includes(method)) continue;
        const params = match(candidate, segments);
        if (params === null) continue;
        await candidate.handle({ ctx, req, res, url, ...params });
        await settleBody(req);
        return;
      }
      throw errors.noRoute(method, `/storage/v1${request.path}`);
    } catch (error) {
      const answer = error instanceof StorageError ? error : null;
      if (answer === null) context.log(`storage: ${method} ${request.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const refusal = answer ?? errors.internal();
      // A declared size over the limit is answered before any byte is read, closing the connection.
      // Otherwise what the client still sends is read and dropped first: answering mid-body on a
      // kept-alive connection lets the client send its next request into the unread body.
      if (refusal.headers.Connection !== 'close') await settleBody(req);
      if (res.destroyed) return;
      sendStorageError(res, refusal);
    }
  };
}

import type { ServerResponse } from 'node:http';
import { isPgError } from '../rest/errors.ts';
import type { Refuse } from '../http/refusal.ts';
import { describe } from '../http/refusal.ts';
import { sendJson } from '../http/respond.ts';

/**
 * A Storage API error as supabase/storage renders it: `statusCode` is a string in the body, and the
 * HTTP status is 400 for every error but a 500 (a legacy choice storage-js depends on), except the
 * few that carry their real status (`httpStatus`: 416 for a bad range, 404 for an unknown route).
 */
export class StorageError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly error: string,
    message: string,
    readonly httpStatus: number = statusCode === 500 ? 500 : 400,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'StorageError';
  }

  body(): { statusCode: string; code: string; error: string; message: string } {
    return { statusCode: String(this.statusCode), code: this.code, error: this.error, message: this.message };
  }
}

export const errors = {
  noSuchKey: () => new StorageError(404, 'NoSuchKey', 'not_found', 'Object not found'),
  bytesMissing: () => new StorageError(404, 'NoSuchKey', 'Not found', 'The resource was not found', 400, { 'Cache-Control': 'no-store' }),
  noSuchBucket: () => new StorageError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  keyExists: () => new StorageError(409, 'KeyAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketExists: () => new StorageError(409, 'BucketAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketNotEmpty: () => new StorageError(409, 'ResourceNotEmpty', 'ResourceNotEmpty', 'The bucket you tried to delete is not empty'),
  accessDenied: (message: string) => new StorageError(403, 'AccessDenied', 'Unauthorized', message),
  tooLarge: () => new StorageError(413, 'EntityTooLarge', 'Payload too large', 'The object exceeded the maximum allowed size'),
  /** A declared size over the limit: answered before the body is read, so the connection cannot be reused. */
  tooLargeDeclared: () => new StorageError(413, 'EntityTooLarge', 'Payload too large', 'The object exceeded the maximum allowed size',
    400, { Connection: 'close' }),
  mimeType: (type: string) => new StorageError(415, 'InvalidMimeType', 'invalid_mime_type', `mime type ${type} is not supported`),
  invalidKey: (key: string) => new StorageError(400, 'InvalidKey', 'InvalidKey', `Invalid key: ${key}`),
  bucketName: () => new StorageError(400, 'InvalidBucketName', 'Invalid Input', 'Bucket name invalid'),
  invalidJwt: (message: string) => new StorageError(400, 'InvalidJWT', 'InvalidJWT', message),
  invalidSignature: (message = 'Invalid signature') => new StorageError(400, 'InvalidSignature', 'InvalidSignature', message),
  /** A body, query or header that fails the route's schema, worded as Fastify's validator words it. */
  invalidRequest: (message: string) => new StorageError(400, 'InvalidRequest', 'Bad Request', message),
  invalidRange: () => new StorageError(400, 'InvalidRange', 'invalid_range', 'invalid range provided', 416),
  fileSizeFormat: () => new StorageError(400, 'InvalidRequest', 'InvalidRequest', 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B'),
  noRoute: (method: string, path: string) =>
    new StorageError(404, 'InvalidRequest', 'Not Found', `Route ${method}:${path} not found`, 404),
  timeout: () => new StorageError(544, 'DatabaseTimeout', 'DatabaseTimeout', 'The connection to the database timed out'),
  internal: () => new StorageError(500, 'InternalError', 'Internal', 'Internal server error'),
} as const;

/**
 * A PostgreSQL error from a statement run for a request, as supabase/storage maps them
 * (src/storage/database/errors.ts): RLS refusals are AccessDenied, unique violations a 409;
 * anything else is the server's fault.
 */
export function fromPgError(error: unknown, duplicate: () => StorageError = errors.keyExists): StorageError | null {
  if (!isPgError(error)) return null;
  switch (error.code) {
    case '42501':
      return errors.accessDenied(/row-level security/.test(error.message)
        ? 'new row violates row-level security policy'
        : error.message);
    case '23505':
      return duplicate();
    case '23503':
      return errors.noSuchBucket();
    case '57014':
      return errors.timeout();
    default:
      return null;
  }
}

export function sendStorageError(res: ServerResponse, error: StorageError): void {
  sendJson(res, error.httpStatus, error.body(), { ...error.headers });
}

/** Text the gateway refused (bad percent-encoding, NUL), in Storage's error shape. */
export const refuseStorageInput: Refuse = (error) => ({ body: errors.invalidRequest(describe(error)).body() });

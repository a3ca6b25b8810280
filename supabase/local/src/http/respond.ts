import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeUtf8 } from '../input.ts';

export const CORS_ALLOW_HEADERS = [
  'apikey', 'authorization', 'x-client-info', 'content-type', 'prefer', 'accept', 'accept-profile',
  'content-profile', 'range', 'x-retry-count', 'x-supabase-api-version', 'traceparent', 'tracestate', 'baggage',
].join(', ');
export const CORS_EXPOSE_HEADERS = [
  'Content-Range', 'Content-Location', 'Location', 'Range-Unit', 'Preference-Applied',
  'X-Supabase-Api-Version', 'X-Sb-Error-Code',
].join(', ');

/** Every response, errors included, carries CORS headers: browsers hide a bare error from scripts. */
export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(200, {
    'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': requested && requested.length > 0 ? requested : CORS_ALLOW_HEADERS,
    'Access-Control-Max-Age': '3600',
    'Content-Length': '0',
  });
  res.end();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Length': '0', ...headers });
  res.end();
}

export class BodyTooLargeError extends Error {}

/**
 * Past the limit a body is still read to its end and thrown away, so the 413 leaves the connection
 * usable for the client's next request (a socket closed mid-body loses it, and a body left unread
 * would be parsed as the next request). Only this much is drained; beyond it the socket is closed.
 */
export const DRAIN_LIMIT = 64 * 1024 * 1024;

/** Reads a request body as strict UTF-8 text, refusing bodies over `limit` bytes (InputError names the body). */
export async function readBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<string> {
  return decodeUtf8(await readRawBody(req, limit), 'request body');
}

/**
 * Reads a request body, refusing bodies over `limit` bytes with BodyTooLargeError — at once when
 * Content-Length says so — and rejecting (never throwing later) when the client goes away mid-body.
 */
export function readRawBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let drained = 0;
    const tooLarge = () => {
      settled = true;
      chunks.length = 0;
      reject(new BodyTooLargeError(`request body exceeds ${limit} bytes`));
    };
    if (req.destroyed) {
      // Closed before the handler got here (the client left, or the parser gave up on the framing).
      reject(new Error('the request was closed before its body was read'));
      return;
    }
    if (Number(req.headers['content-length']) > limit) tooLarge();
    req.on('data', (chunk: Buffer) => {
      if (settled) {
        drained += chunk.length;
        if (drained > DRAIN_LIMIT) req.socket.destroy();
        return;
      }
      size += chunk.length;
      if (size > limit) tooLarge();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    const gone = (error?: Error) => {
      if (settled) return;
      settled = true;
      reject(error ?? new Error('the client closed the connection before the request body ended'));
    };
    req.on('error', gone);
    req.on('close', () => gone());
  });
}

/** First value of a header that clients may repeat. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

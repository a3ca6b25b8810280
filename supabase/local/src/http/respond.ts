import type { IncomingMessage, ServerResponse } from 'node:http';

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

/** Reads a request body as UTF-8 text, refusing bodies over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<string> {
  return (await readRawBody(req, limit)).toString('utf8');
}

export async function readRawBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(`request body exceeds ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** First value of a header that clients may repeat. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

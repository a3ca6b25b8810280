import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { InputError } from '../input.ts';
import type { Refuse } from './refusal.ts';

/** What Node's HTTP parser hands to `clientError`: llhttp's code, the chunk it failed in and where. */
export interface ParserError extends Error {
  readonly code?: string;
  readonly bytesParsed?: number;
  readonly rawPacket?: Buffer;
  /** llhttp's own wording, e.g. "Invalid character in chunk size". */
  readonly reason?: string;
}

/** Statuses Node itself would answer these parser errors with; everything else is a 400. */
const STATUS: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Answers a request Node's parser refused (a NUL or control character in a header, a raw non-ASCII
 * byte in the URL, headers over the size limit) with an error that names the part, in the shape of
 * the service the request was for, instead of Node's bare `400 Bad Request`. The connection is
 * closed afterwards: the parser cannot find the next request after a broken one.
 */
export function answerClientError(error: ParserError, socket: Duplex, refuseFor: (path: string) => Refuse): void {
  // Like Node's own handler: nothing to say on a dead socket, nor once a response has started on it.
  const written = (socket as { bytesWritten?: number }).bytesWritten ?? 0;
  if (error.code === 'ECONNRESET' || !socket.writable || written > 0) {
    socket.destroy();
    return;
  }
  const raw = error.rawPacket ?? Buffer.alloc(0);
  const text = raw.toString('latin1');
  const target = /^[A-Z]+ (\S+)/.exec(text)?.[1] ?? '';
  const status = STATUS[error.code ?? ''] ?? 400;
  let body: unknown;
  let headers: Readonly<Record<string, string>> = {};
  if (status === 400) {
    const refusal = refuseFor(target.split('?')[0] ?? '')(whatFailed(error, raw, text), null);
    body = refusal.body;
    headers = refusal.headers ?? {};
  } else {
    body = { message: STATUS_CODES[status] ?? 'Bad Request' };
  }
  const json = JSON.stringify(body);
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    'Access-Control-Allow-Origin: *',
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  // Written and closed at once, as Node's own handler does: a handler may still hold a response for
  // this socket (a chunked body broken halfway), and must find it destroyed rather than half-open.
  socket.write(`${head.join('\r\n')}\r\n\r\n${json}`);
  socket.destroy();
}

/** The part of the request the parser stopped in (request target, a header, the body's framing) and why. */
function whatFailed(error: ParserError, raw: Buffer, text: string): InputError {
  const offset = error.bytesParsed ?? -1;
  const code = error.code ?? '';
  const startsRequest = /^[A-Z]+ /.test(text);
  const headEnd = startsRequest ? text.indexOf('\r\n\r\n') : -1;
  if (/CHUNK|BODY|EOF/.test(code) || (headEnd >= 0 && offset > headEnd)) {
    return new InputError(`malformed body framing (${(error.reason ?? code).toLowerCase()})`, 'request body');
  }
  if (offset < 0 || offset >= raw.length) return new InputError('malformed request', null);
  const byte = raw[offset] ?? 0;
  const reason = byte === 0 ? 'NUL character'
    : byte >= 0x80 ? `raw byte 0x${byte.toString(16).toUpperCase()} (percent-encode non-ASCII text)`
      : `invalid character 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  if (lineStart === 0 && startsRequest) return new InputError(reason, 'request target');
  const line = text.slice(lineStart, offset);
  const colon = line.indexOf(':');
  const name = (colon < 0 ? line : line.slice(0, colon)).replace(/[^\x21-\x7e]/g, '').toLowerCase().slice(0, 64);
  return new InputError(reason, colon < 0 ? `header name ${JSON.stringify(name)}` : `header ${JSON.stringify(name)}`);
}

import { errors } from './errors.ts';

/** One part of a `multipart/form-data` body; `body` must be read to its end before the next part. */
export interface Part {
  readonly name: string;
  readonly filename: string | null;
  readonly contentType: string | null;
  readonly body: AsyncIterable<Buffer>;
}

const HEADER_LIMIT = 16 * 1024;
const CRLF = Buffer.from('\r\n');

/** The boundary of a `multipart/form-data` content type, or null for any other type. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || boundary.length > 200) throw errors.invalidRequest('the multipart body has no boundary');
  return boundary;
}

/**
 * A streaming `multipart/form-data` reader: parts come one at a time and a part's bytes as they
 * arrive, so a large file is never held in memory, and reading stops wherever the caller stops
 * (the fields before the file are all the server uses). At most `delimiter` bytes are kept back
 * while looking for the next boundary.
 */
export async function* readMultipart(source: AsyncIterable<Buffer>, boundary: string): AsyncGenerator<Part> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const chunks = source[Symbol.asyncIterator]();
  // The first boundary has no CRLF before it; pretending it does makes every boundary alike.
  let buffer: Buffer = CRLF;
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      return false;
    }
    buffer = buffer.length === 0 ? next.value : Buffer.concat([buffer, next.value]);
    return true;
  };
  const malformed = () => errors.invalidRequest('the multipart body is malformed');

  // Up to the first boundary: a preamble, ignored.
  for (;;) {
    const at = buffer.indexOf(delimiter);
    if (at >= 0) {
      buffer = buffer.subarray(at + delimiter.length);
      break;
    }
    buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length));
    if (!await more()) throw malformed();
  }
  for (;;) {
    while (buffer.length < 2) if (!await more()) throw malformed();
    // After a boundary: `--` ends the body, CRLF starts another part.
    if (buffer[0] === 0x2d && buffer[1] === 0x2d) return;
    if (buffer[0] !== 0x0d || buffer[1] !== 0x0a) throw malformed();
    buffer = buffer.subarray(2);
    let headerEnd = buffer.indexOf('\r\n\r\n');
    while (headerEnd < 0) {
      if (buffer.length > HEADER_LIMIT || !await more()) throw malformed();
      headerEnd = buffer.indexOf('\r\n\r\n');
    }
    const headers = parseHeaders(buffer.subarray(0, headerEnd).toString('utf8'));
    buffer = buffer.subarray(headerEnd + 4);
    let finished = false;
    async function* body(): AsyncGenerator<Buffer> {
      for (;;) {
        const at = buffer.indexOf(delimiter);
        if (at >= 0) {
          if (at > 0) yield buffer.subarray(0, at);
          buffer = buffer.subarray(at + delimiter.length);
          finished = true;
          return;
        }
        const keep = delimiter.length - 1;
        if (buffer.length > keep) {
          const ready = buffer.subarray(0, buffer.length - keep);
          buffer = buffer.subarray(buffer.length - keep);
          yield ready;
        }
        if (!await more()) throw malformed();
      }
    }
    const disposition = headers.get('content-disposition') ?? '';
    yield {
      name: dispositionParam(disposition, 'name') ?? '',
      filename: dispositionParam(disposition, 'filename'),
      contentType: headers.get('content-type') ?? null,
      body: body(),
    };
    if (!finished) throw new Error('readMultipart: a part was not read to its end');
  }
}

/** Reads a part's body as text, refusing more than `limit` bytes with 413. */
export async function partText(part: Part, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.body) {
    size += chunk.length;
    if (size > limit) throw errors.tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionParam(disposition: string, param: string): string | null {
  const match = new RegExp(`;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${param}=([^;\\s]*)`, 'i').exec(disposition);
  if (!match) return null;
  return (match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1');
}

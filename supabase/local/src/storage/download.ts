import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { header } from '../http/respond.ts';
import type { DiskStore } from './disk.ts';
import { errors } from './errors.ts';
import type { ObjectRow } from './rows.ts';

export interface ServeOptions {
  /** A signed URL's expiry (seconds since the epoch): sent as `Expires` instead of Cache-Control. */
  readonly expires?: number;
}

/**
 * Sends an object's bytes with the headers supabase/storage's renderer sends (ETag, Last-Modified,
 * Cache-Control, Accept-Ranges, X-Robots-Tag; `?download` as an attachment), answering
 * conditional requests with 304 and one `Range` with 206. Stored types that are HTML are served as
 * text/plain (compared case-insensitively, unlike hosted), and nothing is sniffed.
 */
export async function serveObject(
  disk: DiskStore, req: IncomingMessage, res: ServerResponse, url: URL, row: ObjectRow, options: ServeOptions = {},
): Promise<void> {
  const file = row.version === null ? null : await disk.stat(row.version);
  if (file === null || row.version === null) throw errors.bytesMissing();
  const metadata = row.metadata ?? {};
  const eTag = metadata.eTag ?? `"${row.version}"`;
  const lastModified = (metadata.lastModified ? new Date(metadata.lastModified) : row.updated_at).toUTCString();
  const headers: Record<string, string> = {
    'Content-Type': servedType(metadata.mimetype ?? 'application/octet-stream'),
    'Accept-Ranges': 'bytes',
    ETag: eTag,
    'Last-Modified': lastModified,
    'X-Robots-Tag': 'none',
    'X-Content-Type-Options': 'nosniff',
  };
  if (options.expires !== undefined) headers.Expires = new Date(options.expires * 1000).toUTCString();
  else headers['Cache-Control'] = metadata.cacheControl ?? 'no-cache';
  const download = url.searchParams.get('download');
  if (download !== null) {
    const name = encodeURIComponent(download);
    headers['Content-Disposition'] = download === '' ? 'attachment;' : `attachment; filename=${name}; filename*=UTF-8''${name}`;
  }

  if (notModified(req, eTag, lastModified)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const range = parseRange(header(req, 'range'), file.size);
  if (range === 'invalid') throw errors.invalidRange();
  const head = (req.method ?? 'GET').toUpperCase() === 'HEAD';
  if (range === null) {
    res.writeHead(200, { ...headers, 'Content-Length': String(file.size) });
  } else {
    res.writeHead(206, {
      ...headers,
      'Content-Length': String(range.end - range.start + 1),
      'Content-Range': `bytes ${range.start}-${range.end}/${file.size}`,
    });
  }
  if (head || file.size === 0) {
    res.end();
    return;
  }
  await pipeline(disk.read(row.version, range ?? undefined), res);
}

/** Types a browser would run as a page are sent as text; everything else as stored. */
function servedType(type: string): string {
  return type.toLowerCase().includes('text/html') ? 'text/plain' : type;
}

function notModified(req: IncomingMessage, eTag: string, lastModified: string): boolean {
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined) return ifNoneMatch.split(',').some((tag) => tag.trim() === eTag || tag.trim() === '*');
  const ifModifiedSince = header(req, 'if-modified-since');
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

/** One `bytes=` range, clamped to the file; null when there is none, 'invalid' for what gets a 416. */
function parseRange(value: string | undefined, size: number): { start: number; end: number } | null | 'invalid' {
  if (value === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

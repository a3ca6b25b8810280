/**
 * Where a mailed link may send the browser (GoTrue's `utilities.GetReferrer`, `IsRedirectURLValid`):
 * the requested `redirect_to` when it is on the site URL's origin, on a loopback address, or
 * matches an allow-list glob; otherwise the site URL. Anything else would make the stack an open
 * redirect that hands sessions to a stranger's page.
 */
import type { IncomingMessage } from 'node:http';
import type { MailSettings } from '../http/context.ts';
import { header } from '../http/respond.ts';

/** The allowed target of this request: `redirect_to` (query), then the Referer, then the site URL. */
export function referrer(settings: MailSettings, req: IncomingMessage, url: URL): string {
  for (const candidate of [url.searchParams.get('redirect_to'), header(req, 'referer')]) {
    if (candidate && isRedirectUrlValid(settings, candidate)) return candidate;
  }
  return settings.siteUrl;
}

export function isRedirectUrlValid(settings: MailSettings, target: string): boolean {
  let base: URL;
  let wanted: URL;
  try {
    base = new URL(settings.siteUrl);
    wanted = new URL(target);
  } catch {
    return false;
  }
  const hostname = wanted.hostname.replace(/^\[|\]$/g, '');
  if (base.hostname === wanted.hostname && base.protocol === wanted.protocol
    && (base.port === wanted.port || isLoopback(hostname) || hostname === 'localhost')) return true;
  const http = wanted.protocol === 'http:' || wanted.protocol === 'https:';
  // WHATWG URL already turns a decimal IPv4 into dotted form; GoTrue refuses such hosts outright.
  if (/^[0-9]+$/.test(target.replace(/^[a-z][a-z0-9+.-]*:\/\/([^/:?#]*).*$/i, '$1'))) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname) || hostname.includes(':')) return isLoopback(hostname);
  if (http && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(hostname)) return false;
  const withoutFragment = target.split('#', 1)[0] ?? target;
  return settings.redirectUrls.some((pattern) => globPattern(pattern).test(withoutFragment));
}

function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/** gobwas/glob with `.` and `/` as separators, as GoTrue compiles its allow list. */
function globPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^./]*';
    else if (c === '?') source += '[^./]';
    else if (c === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) source += '\\{';
      else {
        source += `(?:${pattern.slice(i + 1, end).split(',').map(escapeRegExp).join('|')})`;
        i = end;
      }
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

import type { IncomingMessage } from 'node:http';
import { header } from '../http/respond.ts';
import { RestError } from './errors.ts';

// Content and profile negotiation as PostgREST does it: `Accept` is parsed like WAI's
// `parseHttpAccept` and decoded like MediaType.hs; the first type a builtin handler produces wins
// (Plan/Negotiate.hs); the schema comes from Accept-Profile / Content-Profile (ApiRequest.hs).

/** What the response body is. `vnd.pgrst.plan` has no handler: db-plan-enabled is off, as on Supabase. */
export type Output =
  | { readonly kind: 'json'; readonly stripNulls: boolean }
  | { readonly kind: 'object'; readonly stripNulls: boolean }
  | { readonly kind: 'csv' }
  | { readonly kind: 'geojson' };

export const CONTENT_TYPES: Record<Output['kind'], string> = {
  json: 'application/json; charset=utf-8',
  object: 'application/vnd.pgrst.object+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
};

export function negotiateOutput(accept: string | undefined): Output {
  const accepted = accept === undefined ? ['*/*'] : parseAccept(accept);
  const media = accepted.map(decodeMediaType);
  for (const type of media) if (type.output) return type.output;
  throw new RestError(406, 'PGRST107', `None of these media types are available: ${media.map((type) => type.mime).join(', ')}`);
}

/** Media types by quality, then by specificity (more parameters, fewer stars); spaces removed. */
export function parseAccept(value: string): string[] {
  return value.split(',')
    .map((part, index) => {
      const stripped = part.replace(/ /g, '');
      const at = stripped.indexOf(';q=');
      const type = at < 0 ? stripped : stripped.slice(0, at);
      const qText = at < 0 ? '' : (/^[^;]*/.exec(stripped.slice(at + 3))?.[0] ?? '');
      const q = /^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(qText) ? Number(qText) : 1;
      const specificity = (type.match(/;/g) ?? []).length - (type.match(/\*/g) ?? []).length;
      return { type, q, specificity, index };
    })
    .sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.index - b.index)
    .map((entry) => entry.type);
}

interface Decoded {
  /** How PostgREST prints the type in PGRST107. */
  readonly mime: string;
  readonly output: Output | null;
}

function decodeMediaType(text: string): Decoded {
  const parsed = /^([A-Za-z0-9.*]+)\/([A-Za-z0-9.*+-]+)((?:\s*;\s*[A-Za-z0-9-]+\s*=\s*(?:"[^"]*"|[A-Za-z0-9|-]+))*)/.exec(text);
  if (!parsed) return { mime: text, output: null };
  const type = `${(parsed[1] ?? '').toLowerCase()}/${(parsed[2] ?? '').toLowerCase()}`;
  const params = new Map<string, string>();
  for (const match of (parsed[3] ?? '').matchAll(/;\s*([A-Za-z0-9-]+)\s*=\s*(?:"([^"]*)"|([A-Za-z0-9|-]+))/g)) {
    params.set((match[1] ?? '').toLowerCase(), match[2] ?? match[3] ?? '');
  }
  const stripped = params.get('nulls') === 'stripped';
  switch (type) {
    case '*/*':
      return { mime: '*/*', output: { kind: 'json', stripNulls: false } };
    case 'application/json':
      return { mime: 'application/json', output: { kind: 'json', stripNulls: false } };
    case 'application/vnd.pgrst.array+json':
    case 'application/vnd.pgrst.array':
      return stripped
        ? { mime: 'application/vnd.pgrst.array+json;nulls=stripped', output: { kind: 'json', stripNulls: true } }
        : { mime: 'application/json', output: { kind: 'json', stripNulls: false } };
    case 'application/vnd.pgrst.object+json':
    case 'application/vnd.pgrst.object':
      return {
        mime: `application/vnd.pgrst.object+json${stripped ? ';nulls=stripped' : ''}`,
        output: { kind: 'object', stripNulls: stripped },
      };
    case 'text/csv':
      return { mime: 'text/csv', output: { kind: 'csv' } };
    case 'application/geo+json':
      return { mime: 'application/geo+json', output: { kind: 'geojson' } };
    case 'application/vnd.pgrst.plan':
    case 'application/vnd.pgrst.plan+text':
    case 'application/vnd.pgrst.plan+json': {
      const format = type.endsWith('+json') ? 'json' : 'text';
      const target = decodeMediaType(params.get('for') ?? 'application/json').mime;
      const options = (params.get('options') ?? '').split('|')
        .filter((option) => ['analyze', 'verbose', 'settings', 'buffers', 'wal'].includes(option));
      const ordered = ['analyze', 'verbose', 'settings', 'buffers', 'wal'].filter((option) => options.includes(option));
      return {
        mime: `application/vnd.pgrst.plan+${format}; for="${target}"${ordered.length > 0 ? `; options=${ordered.join('|')}` : ''}`,
        output: null,
      };
    }
    default:
      return { mime: KNOWN_MIME[type] ?? text, output: null };
  }
}

/** Types PostgREST recognises but has no builtin handler for; printed without their parameters. */
const KNOWN_MIME: Record<string, string> = {
  'text/plain': 'text/plain', 'text/xml': 'text/xml', 'application/openapi+json': 'application/openapi+json',
  'application/x-www-form-urlencoded': 'application/x-www-form-urlencoded', 'application/octet-stream': 'application/octet-stream',
};

export interface Profile {
  readonly schema: string;
  /** Whether the response names the schema in Content-Profile (asked for, or several are exposed). */
  readonly announce: boolean;
}

/** The request's schema: Content-Profile on writes, Accept-Profile otherwise; 406 PGRST106 if not exposed. */
export function negotiateProfile(req: IncomingMessage, method: string, schemas: readonly string[]): Profile {
  const writes = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(method);
  const asked = header(req, writes ? 'content-profile' : 'accept-profile');
  const first = schemas[0] ?? 'public';
  if (asked === undefined) return { schema: first, announce: schemas.length !== 1 };
  if (!schemas.includes(asked)) {
    throw new RestError(406, 'PGRST106', `Invalid schema: ${asked}`, null, `Only the following schemas are exposed: ${schemas.join(', ')}`);
  }
  return { schema: asked, announce: true };
}

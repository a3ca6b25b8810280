import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import { apiKeyClaims, JwtError, verifyJwt, type ApiKeys, type ApiRole, type Claims } from '../keys.ts';
import { header } from './respond.ts';

/** Database roles, read from the catalog once: which exist, and which `authenticator` may become. */
export interface ApiRoles {
  readonly existing: ReadonlySet<string>;
  readonly switchable: ReadonlySet<string>;
}

/** Reads the roles from the catalog; call again after migrations that create roles. */
export async function loadApiRoles(pool: pg.Pool): Promise<ApiRoles> {
  const { rows } = await pool.query<{ rolname: string; switchable: boolean }>(`
    select rolname, case when rolname = 'authenticator' then false
      when exists (select from pg_roles a where a.rolname = 'authenticator')
      then pg_has_role('authenticator', oid, 'member') else false end as switchable
    from pg_roles`);
  return {
    existing: new Set(rows.map((row) => row.rolname)),
    switchable: new Set(rows.filter((row) => row.switchable).map((row) => row.rolname)),
  };
}

/** A PostgREST-shaped refusal of the request's credentials. */
export interface BearerFailure {
  readonly status: number;
  readonly body: { code: string; details: string | null; hint: string | null; message: string };
  readonly headers: Record<string, string>;
}

export type BearerResult = { ok: true; claims: Claims } | { ok: false; failure: BearerFailure };

/**
 * The claims a request runs with, as PostgREST behind Supabase's gateway decides them:
 * `Authorization: Bearer <jwt>` wins; no bearer, or the apikey sent again as bearer (supabase-js does
 * that without a session, also for `sb_` keys, which are not JWTs), means the apikey's own claims.
 */
export async function resolveBearer(
  keys: ApiKeys,
  req: IncomingMessage,
  apikey: string,
  apikeyRole: ApiRole,
  roles: ApiRoles,
): Promise<BearerResult> {
  const authorization = header(req, 'authorization');
  let token: string | undefined;
  if (authorization !== undefined) {
    const match = /^bearer\s*(.*)$/i.exec(authorization.trim());
    if (!match) return fail(401, 'PGRST301', 'Expected 3 parts in JWT; got 1');
    token = (match[1] ?? '').trim();
    if (token === '') return fail(401, 'PGRST301', 'Empty JWT is sent in Authorization header');
  }
  if (token === undefined || token === apikey || token.startsWith('sb_')) {
    if (!apikey.startsWith('sb_')) return verify(keys, apikey, roles);
    if (token !== undefined && token !== apikey) return fail(401, 'PGRST301', 'Expected 3 parts in JWT; got 1');
    return { ok: true, claims: apiKeyClaims(apikeyRole) };
  }
  return verify(keys, token, roles);
}

async function verify(keys: ApiKeys, token: string, roles: ApiRoles): Promise<BearerResult> {
  const parts = token.split('.').length;
  if (parts !== 3) return fail(401, 'PGRST301', `Expected 3 parts in JWT; got ${parts}`);
  let claims: Claims;
  try {
    claims = await verifyJwt(keys.jwtSecret, token);
  } catch (error) {
    if (error instanceof JwtError && error.reason === 'expired') {
      return fail(401, 'PGRST303', 'JWT expired', {
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="JWT expired"',
      });
    }
    if (error instanceof JwtError && error.reason === 'signature') {
      return fail(401, 'PGRST301', 'JWSError JWSInvalidSignature');
    }
    // PostgREST uses its anon role for a token without a role claim.
    if (error instanceof JwtError && error.reason === 'claims') {
      return { ok: true, claims: { ...decodePayload(token), role: 'anon' } };
    }
    return fail(401, 'PGRST301', 'JWT couldn\'t be decoded');
  }
  // What PostgREST answers when `set role` fails: unknown role → 401 (22023), not granted → 403 (42501).
  if (!roles.existing.has(claims.role)) {
    return refuse(401, '22023', `role "${claims.role}" does not exist`);
  }
  if (!roles.switchable.has(claims.role)) {
    return refuse(403, '42501', `permission denied to set role "${claims.role}"`);
  }
  return { ok: true, claims };
}

function decodePayload(token: string): Record<string, unknown> {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function fail(status: number, code: string, message: string, headers: Record<string, string> = {}): BearerResult {
  return {
    ok: false,
    failure: {
      status,
      body: { code, details: null, hint: null, message },
      headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"`, ...headers },
    },
  };
}

function refuse(status: number, code: string, message: string): BearerResult {
  return { ok: false, failure: { status, body: { code, details: null, hint: null, message }, headers: {} } };
}

import type { IncomingMessage } from 'node:http';
import { header } from '../http/respond.ts';
import { apiKeyClaims, apiKeyRole, JwtError, verifyJwt, type Claims } from '../keys.ts';
import type { StorageContext } from './context.ts';
import { errors } from './errors.ts';

/** Who a Storage request runs as: the verified claims, and whether they came from a token at all. */
export interface Caller {
  readonly claims: Claims;
  /** The raw bearer token, for `request.jwt`; empty when the request had none. */
  readonly token: string;
}

/** Unauthenticated anon: what a missing or invalid token becomes on routes where a token is optional. */
export const ANONYMOUS: Caller = { claims: { role: 'anon' }, token: '' };

/**
 * The caller of a route that needs a token, as supabase/storage's jwt plugin decides it: the
 * `Authorization` header (a case-insensitive `Bearer ` stripped) verified with the project secret;
 * `sub` is the owner and `role` (anon when missing) the database role. Opaque `sb_…` keys are
 * swapped for their role's claims, as the gateway does. Throws the StorageError to answer.
 */
export async function requireCaller(ctx: StorageContext, req: IncomingMessage): Promise<Caller> {
  const caller = await verifiedCaller(ctx, req);
  // As PostgREST: only a role the authenticator may become (anon, authenticated, service_role), so a
  // token claiming `postgres` never runs as the superuser.
  if (!(await ctx.switchableRoles()).has(caller.claims.role)) {
    throw errors.accessDenied(`role "${caller.claims.role}" is not allowed`);
  }
  return caller;
}

async function verifiedCaller(ctx: StorageContext, req: IncomingMessage): Promise<Caller> {
  const keys = ctx.keys;
  const authorization = header(req, 'authorization');
  if (authorization === undefined || authorization === '') {
    throw errors.invalidRequest("headers must have required property 'authorization'");
  }
  const token = authorization.replace(/^bearer /i, '').trim();
  if (token.startsWith('sb_')) {
    const role = apiKeyRole(keys, token);
    if (role === null) throw errors.accessDenied('Invalid API key');
    return { claims: apiKeyClaims(role), token };
  }
  try {
    return { claims: await verifyJwt(keys.jwtSecret, token), token };
  } catch (error) {
    if (error instanceof JwtError && error.reason === 'claims') return { claims: { ...payloadOf(token), role: 'anon' }, token };
    throw errors.accessDenied(jwtMessage(error));
  }
}

/** The caller of a route where a token is optional: a missing or invalid one is unauthenticated anon. */
export async function optionalCaller(ctx: StorageContext, req: IncomingMessage): Promise<{ caller: Caller; verified: boolean }> {
  try {
    return { caller: await requireCaller(ctx, req), verified: true };
  } catch {
    return { caller: ANONYMOUS, verified: false };
  }
}

/** The messages of `jsonwebtoken`, the library the real server verifies with. */
export function jwtMessage(error: unknown): string {
  if (error instanceof JwtError) {
    if (error.reason === 'expired') return 'jwt expired';
    if (error.reason === 'signature') return 'invalid signature';
  }
  return 'jwt malformed';
}

function payloadOf(token: string): Record<string, unknown> {
  try {
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? { ...payload } : {};
  } catch {
    return {};
  }
}

import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../http/context.ts';
import { apiKeyRole, JwtError, verifyJwt, type Claims, type JwtFailure } from '../keys.ts';
import { AuthError, badRequest, forbidden } from './errors.ts';
import { bearerToken } from './request.ts';
import { findUserById, isUuid, type UserRow } from './users.ts';

export interface Authenticated {
  readonly claims: Claims;
  readonly user: UserRow;
  /** Null for tokens without a session, e.g. ones minted by hand. */
  readonly sessionId: string | null;
}

// golang-jwt's wording, which GoTrue puts after "invalid JWT: unable to parse or verify signature, ".
const JWT_FAILURES: Record<JwtFailure, string> = {
  expired: 'token has invalid claims: token is expired',
  signature: 'token signature is invalid: signature is invalid',
  malformed: 'token is malformed: could not parse the token',
  claims: 'token has invalid claims: missing role',
};

const noBearer = () => new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');

export async function verifiedClaims(context: StackContext, token: string): Promise<Claims> {
  try {
    return await verifyJwt(context.keys.jwtSecret, token);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${JWT_FAILURES[error.reason]}`);
  }
}

/** GoTrue's `requireAuthentication`: a valid user JWT whose user and session still exist. */
export async function authenticate(context: StackContext, req: IncomingMessage): Promise<Authenticated> {
  const token = bearerToken(req);
  if (token === undefined) throw noBearer();
  const claims = await verifiedClaims(context, token);
  if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!isUuid(claims.sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(context.pool, claims.sub);
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  let sessionId: string | null = null;
  if (claims.session_id && claims.session_id !== '00000000-0000-0000-0000-000000000000') {
    if (!isUuid(claims.session_id)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
    const { rowCount } = await context.pool.query('select 1 from auth.sessions where id = $1', [claims.session_id]);
    if (!rowCount) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
    sessionId = claims.session_id;
  }
  if (user.banned_until !== null && user.banned_until.getTime() > Date.now()) {
    throw forbidden('user_banned', 'User is banned');
  }
  return { claims, user, sessionId };
}

const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);

/**
 * GoTrue's `requireAdminCredentials`: the bearer must carry an admin role. New-style `sb_secret_…`
 * keys are not JWTs; the platform gateway swaps them for a service_role JWT, so they count as one.
 * A user JWT in Authorization wins over a service apikey, as in GoTrue.
 */
export async function requireAdmin(context: StackContext, req: IncomingMessage, apikey: string): Promise<void> {
  // Without an Authorization header the gateway's apikey stands in, as Kong forwards it.
  const token = bearerToken(req) ?? apikey;
  const keyRole = apiKeyRole(context.keys, token);
  const role = keyRole ?? (await verifiedClaims(context, token)).role;
  if (!ADMIN_ROLES.has(role)) throw forbidden('not_admin', 'User not allowed');
}

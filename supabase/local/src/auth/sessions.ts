import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { StackContext } from '../http/context.ts';
import { signJwt, type Claims } from '../keys.ts';
import { badRequest } from './errors.ts';
import { withTransaction } from './transaction.ts';
import { findUserById, touchLastSignIn, userJson, type JsonObject, type UserRow } from './users.ts';

type Queryable = pg.Pool | pg.PoolClient;

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  not_after: Date | null;
}

/** A fresh opaque refresh token: 32 URL-safe characters, well above GoTrue's 12-character minimum. */
export function newRefreshToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * GoTrue's shape check before any lookup (`token_refresh.go`): at least 12 characters, and a
 * 12-character token must be a legacy lower-case alphanumeric one.
 */
export function checkRefreshTokenFormat(token: string): void {
  const valid = token.length === 12
    ? /^[a-z0-9]{12}$/.test(token)
    : token.length > 12 && token.length <= 255 && /^[A-Za-z0-9_-]+$/.test(token);
  if (!valid) throw badRequest('validation_failed', 'Refresh token is not valid');
}

/** Starts a session with its first refresh token and answers with the session JSON. */
export async function signIn(context: StackContext, db: Queryable, user: UserRow): Promise<JsonObject> {
  const { rows } = await db.query<SessionRow>(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, refreshed_at)
     values ($1, $2, now(), now(), 'aal1', timezone('utc', now()))
     returning id, user_id, created_at, not_after`,
    [randomUUID(), user.id],
  );
  const session = rows[0];
  if (!session) throw new Error('insert into auth.sessions returned no row');
  const refreshToken = await insertRefreshToken(db, session, null);
  const signedIn = await touchLastSignIn(db, user);
  return sessionJson(context, db, signedIn, session, refreshToken);
}

export async function insertRefreshToken(db: Queryable, session: SessionRow, parent: string | null): Promise<string> {
  const token = newRefreshToken();
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
    [token, session.user_id, parent, session.id],
  );
  return token;
}

/** The access-token response of `internal/tokens/service.go`. */
export async function sessionJson(
  context: StackContext,
  db: Queryable,
  user: UserRow,
  session: SessionRow,
  refreshToken: string,
): Promise<JsonObject> {
  const { token, expiresAt } = await accessToken(context, user, session);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: context.settings.jwtExpirySeconds,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: await userJson(db, user),
  };
}

async function accessToken(context: StackContext, user: UserRow, session: SessionRow) {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + context.settings.jwtExpirySeconds;
  const claims: Claims = {
    iss: context.settings.issuer,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    exp: expiresAt,
    iat: issuedAt,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role || 'authenticated',
    aal: 'aal1',
    // GoTrue records the sign-in method per session (mfa_amr_claims); the user kind says the same
    // for the two methods this service offers, and the session start is the sign-in time.
    amr: [{ method: user.is_anonymous ? 'anonymous' : 'password', timestamp: Math.floor(session.created_at.getTime() / 1000) }],
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  };
  return { token: await signJwt(context.keys.jwtSecret, claims), expiresAt };
}

interface RefreshTokenRow {
  id: string;
  token: string;
  revoked: boolean | null;
  updated_at: Date | null;
  parent: string | null;
  session_id: string | null;
}

/**
 * The refresh_token grant with rotation, following GoTrue's `RefreshTokenGrant`: the presented
 * token is swapped for a child in the same session. A revoked token is accepted again only if it is
 * the parent of the session's active token (the client lost the answer) or within the reuse
 * interval of its rotation — both get the active token back; any other reuse looks like theft and
 * revokes the whole session's tokens.
 */
export async function refreshGrant(context: StackContext, presented: string): Promise<JsonObject> {
  checkRefreshTokenFormat(presented);
  // A family revocation must commit even though the request fails, so it comes back as a value.
  const result = await withTransaction(context.pool, (db) => refreshInTransaction(context, db, presented));
  if (result instanceof Error) throw result;
  return result;
}

async function refreshInTransaction(
  context: StackContext,
  db: pg.PoolClient,
  presented: string,
): Promise<JsonObject | Error> {
  const { rows: tokens } = await db.query<RefreshTokenRow>(
    `select id, token, revoked, updated_at, parent, session_id from auth.refresh_tokens where token = $1 for update`,
    [presented],
  );
  const token = tokens[0];
  if (!token) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  const { rows: sessions } = token.session_id === null ? { rows: [] } : await db.query<SessionRow>(
    `select id, user_id, created_at, not_after from auth.sessions where id = $1 for update`,
    [token.session_id],
  );
  const session = sessions[0];
  if (!session) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
  const user = await findUserById(db, session.user_id);
  if (!user) throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
  if (user.banned_until !== null && user.banned_until.getTime() > Date.now()) {
    throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
  }
  if (session.not_after !== null && session.not_after.getTime() <= Date.now()) {
    throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');
  }

  let issued: string;
  if (token.revoked) {
    const { rows: active } = await db.query<{ token: string; parent: string | null }>(
      `select token, parent from auth.refresh_tokens where session_id = $1 and revoked = false
       order by id desc limit 1`,
      [session.id],
    );
    const current = active[0];
    const rotatedAt = token.updated_at?.getTime() ?? 0;
    const withinInterval = Date.now() <= rotatedAt + context.settings.refreshTokenReuseIntervalSeconds * 1000;
    if (current && (current.parent === token.token || withinInterval)) {
      issued = current.token;
    } else {
      await db.query(
        `update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false`,
        [session.id],
      );
      return badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used');
    }
  } else {
    await db.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`, [token.id]);
    issued = await insertRefreshToken(db, session, token.token);
  }
  await db.query(
    `update auth.sessions set refreshed_at = timezone('utc', now()), updated_at = now() where id = $1`,
    [session.id],
  );
  return sessionJson(context, db, user, session, issued);
}

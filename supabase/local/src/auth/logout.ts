import type { StackContext } from '../http/context.ts';
import type { Authenticated } from './authenticate.ts';
import { badRequest } from './errors.ts';

const SCOPES = ['global', 'local', 'others'] as const;
type LogoutScope = (typeof SCOPES)[number];

function isScope(value: string): value is LogoutScope {
  return (SCOPES as readonly string[]).includes(value);
}

/** `POST /logout?scope=…`: deletes sessions; their refresh tokens go with them (on delete cascade). */
export async function logout(context: StackContext, url: URL, auth: Authenticated): Promise<void> {
  const requested = url.searchParams.get('scope') ?? 'global';
  const scope = requested === '' ? 'global' : requested;
  if (!isScope(scope)) throw badRequest('validation_failed', `Unsupported logout scope "${requested}"`);
  const userId = auth.user.id;
  // A token without a session can only log out everywhere, as GoTrue falls back to.
  if (scope === 'global' || auth.sessionId === null) {
    await context.pool.query('delete from auth.sessions where user_id = $1', [userId]);
  } else if (scope === 'local') {
    await context.pool.query('delete from auth.sessions where id = $1', [auth.sessionId]);
  } else {
    await context.pool.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, auth.sessionId]);
  }
  // Refresh tokens minted without a session (older seeds) would outlive the logout otherwise.
  if (scope === 'global') {
    await context.pool.query('delete from auth.refresh_tokens where user_id = $1 and session_id is null', [userId]);
  }
}

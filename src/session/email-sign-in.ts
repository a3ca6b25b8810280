/**
 * Continue by email (issue 15, item 3): a visitor signs the widget's own client in as the email
 * user they are on other devices, with a 6-digit code (`signInWithOtp` + `verifyOtp`) or with the
 * token of a reply email's link (`verifyOtp({ token_hash })`). When the visitor was anonymous here,
 * their conversations follow them (begin_visitor_merge before, complete_visitor_merge after: the
 * secret is taken while this client is still the anonymous user, so only this browser can hand
 * them over). Only for a client the widget created: a host's client and its sign-in are the host's.
 * Loaded on demand with the form (continue-email-chunk.ts).
 */
import type { AuthError, SupabaseClient } from '@supabase/supabase-js';
import type { Session } from './index.ts';

/** Why a step failed, as the form says it. */
export type EmailSignInFailure =
  | { readonly kind: 'invalid-email' }
  | { readonly kind: 'wrong-code' }
  | { readonly kind: 'rate-limited'; readonly seconds: number }
  | { readonly kind: 'failed' };

export type EmailSignInResult = { readonly ok: true } | ({ readonly ok: false } & EmailSignInFailure);

const FAILED: EmailSignInResult = { ok: false, kind: 'failed' };

/** GoTrue's 429s: "…after N seconds." per user and kind, or the hourly quota (no number: a minute). */
function failure(error: AuthError): EmailSignInResult {
  if (error.status === 429) {
    const seconds = Number(/after (\d+) seconds/.exec(error.message)?.[1] ?? 60);
    return { ok: false, kind: 'rate-limited', seconds: Math.max(1, seconds) };
  }
  if (error.code === 'validation_failed' || error.code === 'email_address_invalid') return { ok: false, kind: 'invalid-email' };
  if (error.code === 'otp_expired' || error.status === 403) return { ok: false, kind: 'wrong-code' };
  return FAILED;
}

/**
 * Mails a code (and link) to `email`. An address without an account answers like one with an
 * account (`shouldCreateUser: false`'s refusal is not shown), so the form never tells who has one.
 */
export async function requestEmailCode(session: Session, email: string): Promise<EmailSignInResult> {
  if (!session.ownsClient) return FAILED;
  try {
    const { error } = await session.client.auth.signInWithOtp({ email, options: { shouldCreateUser: false } });
    if (!error || error.code === 'otp_disabled' || error.code === 'user_not_found') return { ok: true };
    return failure(error);
  } catch {
    return FAILED;
  }
}

/** Signs in with the code mailed to `email`, taking this visitor's conversations along. */
export function verifyEmailCode(session: Session, email: string, code: string): Promise<EmailSignInResult> {
  return switchUser(session, (client) => client.auth.verifyOtp({ email, token: code, type: 'email' }));
}

/** Signs in with a reply email's link token (a magic-link token hash), taking this visitor's conversations along. */
export function verifyLinkToken(session: Session, tokenHash: string): Promise<EmailSignInResult> {
  return switchUser(session, (client) => client.auth.verifyOtp({ token_hash: tokenHash, type: 'magiclink' }));
}

async function switchUser(
  session: Session, verify: (client: SupabaseClient) => Promise<{ error: AuthError | null; data: { user: { id: string } | null } }>,
): Promise<EmailSignInResult> {
  if (!session.ownsClient) return FAILED;
  const { client } = session;
  try {
    const { data } = await client.auth.getSession();
    const before = data.session?.user;
    let secret: string | null = null;
    if (before?.is_anonymous) {
      const begun = await client.rpc('begin_visitor_merge');
      // Without a secret the sign-in still works; only this device's anonymous conversations stay behind.
      secret = !begun.error && typeof begun.data === 'string' ? begun.data : null;
    }
    const { data: verified, error } = await verify(client);
    if (error || !verified.user) return error ? failure(error) : FAILED;
    if (secret !== null && verified.user.id !== before?.id) {
      await client.rpc('complete_visitor_merge', { p_secret: secret });
    }
    return { ok: true };
  } catch {
    return FAILED;
  }
}

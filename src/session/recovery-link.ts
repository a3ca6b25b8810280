/**
 * A password-recovery link opened on the console's page: GoTrue redirects to it with the recovery
 * session in the fragment (`#access_token=…&refresh_token=…&type=recovery`). The console's own
 * client does not read fragments (`detectSessionInUrl: false`: a host page's fragment is its own),
 * so this takes exactly that one kind of fragment, once, as the sign-in, and removes it from the
 * address bar so a reload or a shared URL does not carry the tokens.
 */
import { toParleyError } from '../data/errors.ts';
import type { Session } from './index.ts';

interface RecoveryTokens {
  readonly access_token: string;
  readonly refresh_token: string;
}

/** Read when the console's code loads, before anything else may rewrite the address. */
let pending: RecoveryTokens | null = readRecoveryFragment();
let adopted = false;

function readRecoveryFragment(): RecoveryTokens | null {
  if (typeof location === 'undefined') return null;
  const fragment = new URLSearchParams(location.hash.slice(1));
  const accessToken = fragment.get('access_token');
  const refreshToken = fragment.get('refresh_token');
  if (fragment.get('type') !== 'recovery' || !accessToken || !refreshToken) return null;
  return { access_token: accessToken, refresh_token: refreshToken };
}

/** Signs the session in from a recovery link on this page, once; true when it did. */
export async function adoptRecoveryLink(session: Session): Promise<boolean> {
  const tokens = pending;
  if (!tokens || !session.ownsClient) return false;
  pending = null;
  history.replaceState(history.state, '', location.href.split('#', 1)[0]);
  const { error } = await session.client.auth.setSession(tokens);
  if (error) throw toParleyError(error);
  adopted = true;
  return true;
}

/** Whether this page was signed in from a recovery link (the console then asks for a new password). */
export function signedInForRecovery(): boolean {
  return adopted;
}

/**
 * The agent's sign-in, for the console (`<parley-inbox>`): the stored sign-in, the password form,
 * the check that the account is an agent (a customer's account is refused and not kept), sign-out,
 * and the start of the console once an agent is in. With third-party auth (`accessToken`) the host's
 * token is the sign-in: there is nothing to store, submit or sign out, and `client.auth` is never used.
 */
import { toParleyError } from '../data/errors.ts';
import { currentIdentity, thirdPartyToken } from '../data/identity.ts';
import type { Agent } from '../data/types.ts';
import type { Session } from './index.ts';
import { adoptRecoveryLink } from './recovery-link.ts';

/** Whether the session's sign-in is the host's (third-party `accessToken`), which Parley never signs out. */
export function hostSignIn(session: Session): boolean {
  return thirdPartyToken(session.client) !== null;
}

/** Whether someone is signed in already: a stored sign-in, a recovery link just opened, or a host token that names a user. */
export async function hasStoredSignIn(session: Session): Promise<boolean> {
  if (hostSignIn(session)) return (await currentIdentity(session.client)) !== null;
  if (await adoptRecoveryLink(session)) return true;
  const { data, error } = await session.client.auth.getSession();
  if (error) throw toParleyError(error);
  return data.session !== null;
}

/** Signs in with email and password. Throws a ParleyError whose message a person can read. */
export async function signInWithPassword(session: Session, email: string, password: string): Promise<void> {
  const { error } = await session.client.auth.signInWithPassword({ email, password });
  if (error) throw toParleyError(error);
}

/** Signs out on this browser (the server is told when it can be; signed out locally either way). */
export async function signOut(session: Session): Promise<void> {
  if (hostSignIn(session)) return;
  try {
    await session.client.auth.signOut({ scope: 'local' });
  } catch {
    // Signed out locally even when the server could not be told.
  }
}

/**
 * The signed-in account's agent row. An account without one (a visitor's or a customer's) is
 * signed out when the sign-in is the session's own, so the console never keeps it, and null returned.
 */
export async function requireAgent(session: Session): Promise<Agent | null> {
  const agent = await session.api.currentAgent();
  if (agent) return agent;
  if (session.ownsClient && !hostSignIn(session)) {
    await session.client.auth.signOut({ scope: 'local' }).catch(() => undefined);
  }
  return null;
}

/**
 * Calls `onSignedOut` when the sign-in ends elsewhere (another tab signed out, the refresh token was
 * revoked). Returns the unsubscribe function; nothing to follow with a host's sign-in.
 */
export function onSignedOut(session: Session, onSignedOut: () => void): () => void {
  if (hostSignIn(session)) return () => undefined;
  const { data } = session.client.auth.onAuthStateChange((event) => {
    if (event === 'SIGNED_OUT') onSignedOut();
  });
  return () => data.subscription.unsubscribe();
}

/**
 * An account is signed in: checks it is an agent, runs `prepare` (what must be in the state before
 * realtime starts: the agent's stored outbox) and starts realtime. Null for a refused account (see
 * {@link requireAgent}). Stops early, returning null, once `signal` aborts.
 */
export async function enterConsole(
  session: Session, signal: AbortSignal, prepare?: (agent: Agent) => Promise<void>,
): Promise<Agent | null> {
  const agent = await requireAgent(session);
  if (!agent || signal.aborted) return null;
  await prepare?.(agent);
  if (signal.aborted) return null;
  await session.realtime.start();
  return signal.aborted ? null : agent;
}

/**
 * The closed vocabularies the stores share with realtime, session and the elements (STYLE.md §4).
 * They live apart from the store factory so that the pure reducers can name a role or a status
 * without importing the factory that uses those reducers.
 */

/** What `<parley-status>` reflects; the realtime controller maps channel and socket states here. */
export const CONNECTION_STATUSES = ['connecting', 'connected', 'reconnecting', 'polling', 'offline', 'error'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const SESSION_ROLES = ['visitor', 'agent', 'admin'] as const;
export type SessionRole = (typeof SESSION_ROLES)[number];

/** The signed-in user; both null before sign-in. */
export interface SessionState {
  readonly userId: string | null;
  readonly role: SessionRole | null;
  /** Supabase Auth's anonymous sign-in (a visitor not signed in by email); absent: not known to be. */
  readonly anonymous?: boolean;
}

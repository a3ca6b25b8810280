/**
 * Where a created client keeps the visitor's auth session. Its own module, free of supabase-js, so
 * the launcher stub (src/embed) can tell a returning visitor from a new one by reading one
 * localStorage key, without loading the client.
 */

/**
 * The localStorage key of the auth session for a Supabase project URL: `parley-auth:<host>` for a
 * visitor, `parley-agent-auth:<host>` for an agent (kept apart so a launcher and an inbox on one
 * origin never take over each other's sign-in).
 */
export function authStorageKey(supabaseUrl: string, scope: 'visitor' | 'agent' = 'visitor'): string {
  const prefix = scope === 'agent' ? 'parley-agent-auth' : 'parley-auth';
  try {
    return `${prefix}:${new URL(supabaseUrl).host}`;
  } catch {
    return prefix;
  }
}

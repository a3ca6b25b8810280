/**
 * Where a created client keeps the visitor's auth session. Its own module, free of supabase-js, so
 * the launcher stub (src/embed) can tell a returning visitor from a new one by reading one
 * localStorage key, without loading the client.
 */

/** The localStorage key of the auth session for a Supabase project URL: `parley-auth:<host>`. */
export function authStorageKey(supabaseUrl: string): string {
  try {
    return `parley-auth:${new URL(supabaseUrl).host}`;
  } catch {
    return 'parley-auth';
  }
}

/**
 * Whether the client signs in with the host's own token (third-party auth). A module without
 * imports, so the visit recorder's chunk (src/session/visit-recorder.ts) can take it without
 * pulling the data layer's error handling out of the chat chunk into a shared third file.
 */
import type { SupabaseClient } from '@supabase/supabase-js';

type TokenSource = () => Promise<string | null>;

/** The host's token callback when the client was created with `accessToken`, else null. */
export function thirdPartyToken(client: SupabaseClient): TokenSource | null {
  // supabase-js keeps the option on the client (and replaces `auth` with a throwing proxy).
  const source: unknown = (client as unknown as { accessToken?: unknown }).accessToken;
  return typeof source === 'function' ? (source as TokenSource) : null;
}

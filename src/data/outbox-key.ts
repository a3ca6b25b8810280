/**
 * The signed-in agent's outbox key (supabase/migrations/20261206000002_agent_outbox_key.sql): raw
 * AES-256 key bytes only that agent can fetch, created on the first call. Its own module so the
 * data API's main file stays the audience-mapped chat surface.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ParleyError, toParleyError } from './errors.ts';

/** The caller's 32 key bytes. Throws a ParleyError (not signed in, not an agent, network). */
export async function fetchAgentOutboxKey(client: SupabaseClient): Promise<Uint8Array> {
  let data: unknown;
  try {
    const result = await client.rpc('agent_outbox_key');
    if (result.error) throw result.error;
    data = result.data;
  } catch (error) {
    throw toParleyError(error);
  }
  const bytes = typeof data === 'string' ? decodeBase64(data) : null;
  if (bytes?.length !== 32) throw new ParleyError({ kind: 'server', message: 'The server sent no usable outbox key' });
  return bytes;
}

function decodeBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

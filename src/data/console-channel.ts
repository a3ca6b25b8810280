/**
 * The console's own channel (issue 14): the signed-in agent's own agent row and the canned replies,
 * over postgres_changes. Every person reads their own agent row, even once deactivated
 * (20261230000001_workspace_admin.sql), so an open console hears at once that an admin changed its
 * role, deactivated it, or that its name changed; canned replies reach agents by RLS. Console only:
 * the visitor's widget never imports this module.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { randomId } from '../ids.ts';
import { run } from './answer.ts';
import type { Agent } from './types.ts';

/** The signed-in agent's own row, with whether an admin left it active. */
export interface OwnAgent extends Agent {
  readonly active: boolean;
}

const OWN_AGENT_COLUMNS = 'user_id,display_name,avatar_url,role,active';

/** An agents row as the console may trust it; null for anything else (a malformed frame). */
export function parseOwnAgent(row: unknown): OwnAgent | null {
  if (typeof row !== 'object' || row === null) return null;
  const r = row as Record<string, unknown>;
  if (typeof r.user_id !== 'string' || typeof r.display_name !== 'string' || typeof r.active !== 'boolean') return null;
  if (r.avatar_url !== null && typeof r.avatar_url !== 'string') return null;
  if (r.role !== 'agent' && r.role !== 'admin') return null;
  return { user_id: r.user_id, display_name: r.display_name, avatar_url: r.avatar_url, role: r.role, active: r.active };
}

/** Reads the agent's own row; null when there is none (or it does not parse). */
export async function readOwnAgent(client: SupabaseClient, userId: string): Promise<OwnAgent | null> {
  const row = await run<unknown>(
    client.from('agents').select(OWN_AGENT_COLUMNS).eq('user_id', userId).maybeSingle().retry(false));
  return row === null ? null : parseOwnAgent(row);
}

export interface ConsoleChannelHandlers {
  /** The agent's own row was updated (role, active, display name, avatar). */
  onAgent(agent: OwnAgent): void;
  /** A canned reply was created, edited or deleted (a DELETE carries only the id: read them again). */
  onCannedChange(): void;
  /** The database subscription exists: the resync point after SUBSCRIBED on hosted Supabase. */
  onDatabaseReady(): void;
}

/**
 * The channel: UPDATEs of the agent's own row (filtered server-side by user_id) and every change of
 * canned_responses. Its topic is unique per call, as the list's is (two consoles on one client).
 */
export function consoleChannel(client: SupabaseClient, userId: string, handlers: ConsoleChannelHandlers): RealtimeChannel {
  return client
    .channel(`parley-console:${randomId()}`)
    .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'agents', filter: `user_id=eq.${userId}` }, (payload) => {
      const agent = parseOwnAgent(payload.new);
      // The filter is the server's; another agent's row must never pass for this one's.
      if (agent && agent.user_id === userId) handlers.onAgent(agent);
    })
    .on('postgres_changes', { event: '*', schema: 'public', table: 'canned_responses' }, () => handlers.onCannedChange())
    .on('system', {}, (payload: unknown) => {
      if (typeof payload !== 'object' || payload === null) return;
      const { extension, status } = payload as { extension?: unknown; status?: unknown };
      if (extension === 'postgres_changes' && status === 'ok') handlers.onDatabaseReady();
    });
}

/**
 * What the React and Vue demo apps share: their own supabase-js client, which they hand to
 * `<parley-inbox>` as the `client` property (the inbox signs the agent in on it), and a query the
 * app runs on that same client once the agent is signed in.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { supabaseKey, supabaseUrl } from 'virtual:parley-stack';
import type { ParleyConversationSelectEvent, ParleySendEvent } from '../../src/elements/events.ts';

/** The app's client; `storageKey` keeps each demo app's sign-in apart from the other pages'. */
export function createHostClient(storageKey: string): SupabaseClient {
  return createClient(supabaseUrl, supabaseKey, { auth: { storageKey } });
}

export interface ConversationCard {
  readonly id: string;
  readonly status: string;
  readonly subject: string | null;
  readonly customer: string;
}

/** The selected conversation as the app itself reads it, under the signed-in agent's RLS. */
export async function loadConversation(client: SupabaseClient, id: string, signal: AbortSignal): Promise<ConversationCard | null> {
  const { data, error } = await client
    .from('conversations')
    .select('id, status, subject, customer:customers(name, email)')
    .eq('id', id)
    .abortSignal(signal)
    .maybeSingle<{ id: string; status: string; subject: string | null; customer: { name: string | null; email: string | null } | null }>();
  if (error || !data) return null;
  const customer = data.customer?.name?.trim() || data.customer?.email?.trim() || 'Visitor';
  return { id: data.id, status: data.status, subject: data.subject, customer };
}

export interface LoggedEvent {
  readonly key: number;
  readonly type: string;
  readonly summary: string;
  readonly time: string;
}

let counter = 0;

/** One line of the sidebar's event log. */
export function describeEvent(event: ParleySendEvent | ParleyConversationSelectEvent): LoggedEvent {
  const { detail } = event;
  const summary = 'text' in detail ? `“${detail.text.length > 24 ? `${detail.text.slice(0, 23)}…` : detail.text}”` : `id ${detail.id.slice(0, 8)}…`;
  counter += 1;
  return { key: counter, type: event.type, summary, time: new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) };
}

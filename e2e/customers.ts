/** Customers made outside the browser, through supabase-js in Node, to give a spec conversations. */
import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { environment } from './helpers.ts';

/** An anonymous customer named `name`, signed in as the widget would sign them in. */
export async function customer(name: string): Promise<SupabaseClient> {
  const { apiUrl, anonKey } = environment();
  const client = createClient(apiUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    // Node 20 has no WebSocket of its own (this client never subscribes, but supabase-js builds one).
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  const { error } = await client.auth.signInAnonymously({ options: { data: { name } } });
  if (error) throw error;
  return client;
}

/** Starts a conversation as the customer with one message; returns its id. */
export async function startWith(client: SupabaseClient, name: string, text: string): Promise<string> {
  const id = randomUUID();
  const started = await client.rpc('start_conversation', { p_id: id, p_name: name });
  if (started.error) throw started.error;
  const sent = await client.rpc('insert_message', { p_id: randomUUID(), p_conversation_id: id, p_content: text });
  if (sent.error) throw sent.error;
  return id;
}

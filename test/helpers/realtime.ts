import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { waitFor } from './wait.ts';

/** Every status a channel's subscribe callback reported, with the error texts. */
export interface StatusLog {
  readonly statuses: string[];
  readonly errors: string[];
}

/** Subscribes and resolves once SUBSCRIBED; rejects on CHANNEL_ERROR before that. */
export async function subscribe(channel: RealtimeChannel, timeoutMs = 5_000): Promise<StatusLog> {
  const log: StatusLog = { statuses: [], errors: [] };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not subscribed after ${timeoutMs} ms: ${log.statuses.join(', ')}`)), timeoutMs);
    channel.subscribe((status, error) => {
      log.statuses.push(status);
      if (error) log.errors.push(error.message);
      if (status === 'SUBSCRIBED') {
        clearTimeout(timer);
        resolve();
      } else if (status === 'CHANNEL_ERROR' && !log.statuses.includes('SUBSCRIBED')) {
        clearTimeout(timer);
        reject(new Error(`channel error: ${error?.message}`));
      }
    });
  });
  return log;
}

/**
 * Subscribes a channel with postgres_changes bindings and resolves once the server said its
 * database subscription is ready (the `system` "Subscribed to PostgreSQL" message): a change
 * committed between SUBSCRIBED and that message may not be delivered, on Supabase as here.
 */
export async function subscribeToChanges(channel: RealtimeChannel, timeoutMs = 5_000): Promise<StatusLog> {
  let ready = false;
  channel.on('system', {}, (payload: { extension?: unknown; status?: unknown }) => {
    if (payload.extension === 'postgres_changes' && payload.status === 'ok') ready = true;
  });
  const log = await subscribe(channel, timeoutMs);
  await waitFor(() => ready, 'the database subscription to be ready', timeoutMs);
  return log;
}

/** Waits until the client's realtime socket is open. */
export function socketOpen(client: SupabaseClient): Promise<void> {
  return waitFor(() => client.realtime.isConnected(), 'the realtime socket to open');
}

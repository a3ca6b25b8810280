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

/** Waits until the client's realtime socket is open. */
export function socketOpen(client: SupabaseClient): Promise<void> {
  return waitFor(() => client.realtime.isConnected(), 'the realtime socket to open');
}

// A `phx_join` payload as Realtime reads it (SUPABASE-WIRE §1.5; `payloads/join.ex`, `config.ex`):
// lenient about shapes, which fall back to defaults, and about booleans given as strings.

import { createHash } from 'node:crypto';
import type { ChangeBinding } from './types.ts';

export interface JoinConfig {
  readonly broadcastSelf: boolean;
  readonly broadcastAck: boolean;
  readonly presenceEnabled: boolean;
  readonly presenceKey: string;
  readonly isPrivate: boolean;
  readonly postgresChanges: readonly Record<string, unknown>[];
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Realtime accepts real booleans or the strings "true"/"false" in any case. */
function flag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

export function parseConfig(config: Record<string, unknown>): JoinConfig {
  const broadcast = asRecord(config.broadcast);
  const presence = asRecord(config.presence);
  const changes = Array.isArray(config.postgres_changes) ? config.postgres_changes : [];
  return {
    broadcastSelf: flag(broadcast.self),
    broadcastAck: flag(broadcast.ack),
    presenceEnabled: flag(presence.enabled),
    presenceKey: typeof presence.key === 'string' ? presence.key : '',
    isPrivate: flag(config.private),
    postgresChanges: changes.map(asRecord),
  };
}

/** `access_token` (or its alias `user_token`); `sb_…` keys and absence mean the socket's apikey. */
export function pickToken(payload: Record<string, unknown>): string | null {
  const token = payload.access_token ?? payload.user_token;
  return typeof token === 'string' && token !== '' && !token.startsWith('sb_') ? token : null;
}

export function toBinding(params: Record<string, unknown>): ChangeBinding {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const select = Array.isArray(params.select) ? params.select.filter((c): c is string => typeof c === 'string') : undefined;
  return {
    id: bindingId(params),
    event: text(params.event) ?? '*',
    schema: text(params.schema) ?? '',
    ...(text(params.table) !== undefined ? { table: text(params.table) } : {}),
    ...(text(params.filter) !== undefined ? { filter: text(params.filter) } : {}),
    ...(select ? { select } : {}),
  };
}

/** Like `:erlang.phash2(params)`: a stable non-negative integer below 2^27 for equal param maps. */
function bindingId(params: Record<string, unknown>): number {
  const canonical = JSON.stringify(Object.keys(params).sort().map((key) => [key, params[key]]));
  return createHash('sha1').update(canonical).digest().readUInt32BE(0) & 0x7ffffff;
}

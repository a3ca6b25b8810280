import type pg from 'pg';
import type { Claims } from '../keys.ts';

export type Extension = 'broadcast' | 'presence';

/**
 * Private channels are authorized by RLS on realtime.messages, the way Supabase Realtime probes
 * it (SUPABASE-WIRE §1.12): rows inserted and read back under the caller's role and claims with
 * `realtime.topic` set, inside a transaction that is always rolled back.
 */
export async function readPermissions(
  pool: pg.Pool, claims: Claims, topic: string, extensions: readonly Extension[],
): Promise<Set<Extension>> {
  return withRollback(pool, async (client) => {
    const { rows } = await client.query<{ id: string; extension: Extension }>(
      `insert into realtime.messages (topic, extension, payload, private)
       select $1, unnest($2::text[]), '{}'::jsonb, true returning id, extension`,
      [topic, extensions]);
    await actAs(client, claims, topic);
    const visible = await client.query<{ extension: Extension }>(
      'select extension from realtime.messages where id = any($1::uuid[])', [rows.map((row) => row.id)]);
    return new Set(visible.rows.map((row) => row.extension));
  }, new Set<Extension>());
}

export async function canWrite(pool: pg.Pool, claims: Claims, topic: string, extension: Extension): Promise<boolean> {
  return withRollback(pool, async (client) => {
    await actAs(client, claims, topic);
    await client.query(
      `insert into realtime.messages (topic, extension, payload, event, private) values ($1, $2, '{}'::jsonb, 'probe', true)`,
      [topic, extension]);
    return true;
  }, false);
}

async function actAs(client: pg.PoolClient, claims: Claims, topic: string): Promise<void> {
  await client.query(
    `select set_config('role', $1, true), set_config('realtime.topic', $2, true),
            set_config('request.jwt.claims', $3, true), set_config('request.jwt.claim.sub', $4, true),
            set_config('request.jwt.claim.role', $1, true), set_config('request.headers', '{}', true)`,
    [claims.role, topic, JSON.stringify(claims), claims.sub ?? '']);
}

/** Any failure (no privilege, a policy raising, a role that does not exist) means "not allowed". */
async function withRollback<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, denied: T): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    return await work(client);
  } catch {
    return denied;
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

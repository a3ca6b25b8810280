import type pg from 'pg';
import { fromPgError, StorageError } from './errors.ts';
import type { Caller } from './identity.ts';

/**
 * What a transaction does once its work returns: keep it, or roll it back (the permission probes
 * of writes, whose real statement runs only to let RLS refuse it).
 */
export type Finish = 'commit' | 'rollback';

export interface RunOptions {
  /** `storage.operation` for policies that read it (`storage.object.upload`, …). */
  readonly operation: string;
  /** Maps a unique violation; a key's 409 by default. */
  readonly duplicate?: () => StorageError;
}

/**
 * Runs `work` as the caller, as supabase/storage's scope does: one transaction whose first
 * statement sets the role and the request GUCs (`request.jwt.claims`, so `auth.uid()` works), and
 * `storage.allow_delete_query` so the API's own deletes pass the delete guard. RLS decides what the
 * statements see and may write. PostgreSQL errors become Storage errors.
 */
export async function asCaller<T>(
  pool: pg.Pool,
  caller: Caller,
  options: RunOptions,
  finish: Finish,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, options, finish, async (client) => {
    const claims = caller.claims;
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claim.role', $1, true),
        set_config('request.jwt.claims', $2, true), set_config('request.jwt.claim.sub', $3, true),
        set_config('request.jwt', $4, true), set_config('storage.operation', $5, true),
        set_config('storage.allow_delete_query', 'true', true)`,
      [claims.role, JSON.stringify(claims), typeof claims.sub === 'string' ? claims.sub : '', caller.token, options.operation],
    );
    return work(client);
  });
}

/** Runs `work` as the storage admin (the superuser): what the server does after a caller's probe passed. */
export async function asAdmin<T>(
  pool: pg.Pool,
  options: RunOptions,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, options, 'commit', async (client) => {
    await client.query(`select set_config('storage.allow_delete_query', 'true', true), set_config('storage.operation', $1, true)`, [options.operation]);
    return work(client);
  });
}

async function inTransaction<T>(
  pool: pg.Pool,
  options: RunOptions,
  finish: Finish,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    try {
      const value = await work(client);
      await client.query(finish);
      return value;
    } catch (error) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
      if (error instanceof StorageError) throw error;
      const mapped = fromPgError(error, options.duplicate);
      if (mapped) throw mapped;
      throw error;
    }
  } finally {
    client.release(broken);
  }
}


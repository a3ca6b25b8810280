import type { IncomingMessage } from 'node:http';
import type pg from 'pg';
import type { Claims } from '../keys.ts';
import { fromPgError, isPgError, RestError } from './errors.ts';
import { ident } from './sql.ts';

export interface RequestScope {
  readonly claims: Claims;
  readonly method: string;
  readonly path: string;
  readonly req: IncomingMessage;
  readonly readOnly: boolean;
  /** Statement timeout of the role (`alter role … set statement_timeout`), applied like PostgREST's role settings. */
  readonly statementTimeout: string | null;
  /** The request's schema, then db-extra-search-path. */
  readonly searchPath: readonly string[];
}

/** Decides after the statement whether to keep its effects (`Prefer: tx=rollback`, a failed singular check). */
export interface Outcome<T> {
  readonly value: T;
  readonly commit: boolean;
}

/**
 * Runs `work` the way PostgREST runs a request: one transaction on a pooled connection, with the role
 * and the request GUCs set transaction-locally in a single statement (`Query/PreQuery.hs`).
 */
export async function inRequestTransaction<T>(
  pool: pg.Pool,
  scope: RequestScope,
  work: (client: pg.PoolClient) => Promise<Outcome<T>>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(scope.readOnly ? 'begin isolation level read committed read only' : 'begin isolation level read committed');
    try {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(scope.req.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      await client.query(
        `select set_config('search_path', $7, true), set_config('timezone', 'UTC', true),
          set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true),
          set_config('request.path', $4, true), set_config('request.headers', $5, true),
          set_config('request.cookies', '{}', true), set_config('statement_timeout', coalesce($6, current_setting('statement_timeout')), true),
          set_config('role', $1, true)`,
        [scope.claims.role, JSON.stringify(scope.claims), scope.method, scope.path, JSON.stringify(headers), scope.statementTimeout,
          [...new Set(scope.searchPath)].map(ident).join(', ')],
      );
      const outcome = await work(client);
      await client.query(outcome.commit ? 'commit' : 'rollback');
      return outcome.value;
    } catch (error) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
      if (isPgError(error)) throw fromPgError(error, scope.claims.role !== 'anon');
      if (error instanceof RestError) throw error;
      broken = true;
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

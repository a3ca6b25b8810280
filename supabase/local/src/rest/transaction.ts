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

export interface TransactionOptions {
  /**
   * Send COMMIT right behind `work`'s statement instead of after its answer (one round trip less
   * before the change is committed, and before realtime sees it). Only for work that sends its one
   * statement before it first awaits, and whose answer cannot turn the request into an error or a
   * rollback: what the statement returns is what the request answers.
   */
  readonly commitAhead?: boolean;
}

/**
 * Runs `work` the way PostgREST runs a request: one transaction on a pooled connection, with the role
 * and the request GUCs set transaction-locally in a single statement (`Query/PreQuery.hs`). BEGIN and
 * that statement are one simple-protocol message (run in order, literals quoted by the driver), and
 * on a pipelining pool (the REST service's) the first statement of `work` is written right behind
 * it, so a request's first answer costs one round trip. If the settings fail, the transaction is
 * aborted and nothing of `work` runs in it; their error is the one reported.
 */
export async function inRequestTransaction<T>(
  pool: pg.Pool,
  scope: RequestScope,
  work: (client: pg.PoolClient) => Promise<Outcome<T>>,
  options: TransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  let settingsFailure: Promise<unknown> = Promise.resolve(null);
  try {
    try {
      const begin = client.query(`${scope.readOnly ? 'begin isolation level read committed read only' : 'begin isolation level read committed'};
        ${requestSettings(client, scope)}`);
      settingsFailure = begin.then(() => null, (error: unknown) => error);
      const working = work(client);
      // Written behind the work's statement: PostgreSQL commits the moment the statement ends, and
      // turns the COMMIT into a ROLLBACK if it (or the settings) failed.
      const ahead = options.commitAhead ? client.query('commit').then(() => null, (error: unknown) => error) : null;
      const outcome = await working;
      const failed = await settingsFailure;
      if (failed) throw failed;
      if (ahead) {
        const commitFailure = await ahead;
        if (commitFailure) throw commitFailure;
        if (!outcome.commit) throw new Error('a transaction committed ahead asked for a rollback');
        return outcome.value;
      }
      await client.query(outcome.commit ? 'commit' : 'rollback');
      return outcome.value;
    } catch (thrown) {
      // A failure of the settings is what made `work` fail (its statements ran in an aborted
      // transaction), so it is the error to report.
      const error = (await settingsFailure) ?? thrown;
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

/** The statement setting the request's GUCs, its values quoted as literals. */
function requestSettings(client: pg.PoolClient, scope: RequestScope): string {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(scope.req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const text = (value: string) => {
    // The gateway refuses NUL in paths and headers, and JSON escapes it; query text must never hold one.
    if (value.includes('\u0000')) throw new RestError(400, 'PGRST100', 'A request value holds a NUL character');
    return client.escapeLiteral(value);
  };
  const timeout = scope.statementTimeout === null ? "current_setting('statement_timeout')" : text(scope.statementTimeout);
  return `select set_config('search_path', ${text([...new Set(scope.searchPath)].map(ident).join(', '))}, true),
    set_config('timezone', 'UTC', true),
    set_config('request.jwt.claims', ${text(JSON.stringify(scope.claims))}, true),
    set_config('request.method', ${text(scope.method)}, true),
    set_config('request.path', ${text(scope.path)}, true),
    set_config('request.headers', ${text(JSON.stringify(headers))}, true),
    set_config('request.cookies', '{}', true),
    set_config('statement_timeout', ${timeout}, true),
    set_config('role', ${text(scope.claims.role)}, true)`;
}

// Pattern filters (`like`, `ilike`, `match`, `imatch`) are evaluated by PostgreSQL, as Realtime's
// `realtime.check_equality_op` evaluates them, never by a JavaScript RegExp: a backtracking engine
// lets one subscriber's pattern stall the event loop for everyone (`^(.|.)*x$`, `%%%%…x`), and
// JavaScript's regex dialect is not PostgreSQL's (POSIX classes, `\m`, ILIKE's case folding).
// Each dispatch batch sends its distinct (pattern, value) pairs in one query, under a statement
// timeout; a pattern that runs out of time on its own is quarantined.

import pg from 'pg';
import type { PatternOp, Tri } from './filters.ts';

/** How long one batch's pattern query may run: sane patterns over a batch take milliseconds. */
export const PATTERN_TIMEOUT_MS = 1000;

/** `check_equality_op`'s spelling of each operator. */
const OPERATORS: Record<PatternOp, string> = { like: 'LIKE', ilike: 'ILIKE', match: '~', imatch: '~*' };

/** One pattern filter of one binding, for its column's type (a `regtype` name from the catalog). */
export class PatternTest {
  /** Tests with the same type, operator and pattern share their verdicts within a batch. */
  readonly key: string;
  /** Why evaluating it failed (a timeout, an error): from then on it matches nothing. */
  quarantined: string | null = null;

  constructor(readonly op: PatternOp, readonly regtype: string, readonly pattern: string) {
    this.key = `${regtype}\u0000${op}\u0000${pattern}`;
  }

  /** Both sides cast to the column type, as `check_equality_op` does (so citext, bpchar behave). */
  get condition(): string {
    return `t.v::${this.regtype} ${OPERATORS[this.op]} (t.p::${this.regtype})`;
  }

  /** Fails as the pattern would at WAL time (`subscription_check_filters` probes regexes with ''). */
  get probe(): string {
    return `select '' ${OPERATORS[this.op]} $1::text`;
  }
}

export interface PatternVerdicts {
  /** PostgreSQL's answer for this value, or null when the pattern could not be evaluated. */
  result(test: PatternTest, value: string): Tri;
}

interface Pending {
  readonly tests: Set<PatternTest>;
  readonly values: Set<string>;
}

/** The pattern verdicts one dispatch batch needs: asked for first, then fetched in one go. */
export class PatternBatch implements PatternVerdicts {
  private readonly pending = new Map<string, Pending>();
  private readonly matched = new Map<string, Set<string>>();

  request(test: PatternTest, value: string): void {
    if (test.quarantined !== null) return;
    let pending = this.pending.get(test.key);
    if (!pending) this.pending.set(test.key, (pending = { tests: new Set(), values: new Set() }));
    pending.tests.add(test);
    pending.values.add(value);
  }

  result(test: PatternTest, value: string): Tri {
    if (test.quarantined !== null) return null;
    const matched = this.matched.get(test.key);
    return matched ? matched.has(value) : null;
  }

  /**
   * Asks PostgreSQL about every requested pair in one query. If it fails, each pattern is asked
   * alone, so only a pattern at fault is quarantined (and logged). Throws only when the database
   * cannot be reached.
   */
  async evaluate(pool: pg.Pool, log: (line: string) => void, timeoutMs = PATTERN_TIMEOUT_MS): Promise<void> {
    const keys = [...this.pending.keys()];
    if (keys.length === 0 || await this.query(pool, keys, timeoutMs) === null) {
      this.pending.clear();
      return;
    }
    for (const key of keys) {
      const failure = await this.query(pool, [key], timeoutMs);
      if (failure === null) continue;
      const pending = this.pending.get(key) as Pending;
      for (const test of pending.tests) test.quarantined = failure;
      const { op, pattern } = first(pending.tests);
      log(`realtime: the postgres_changes filter ${op}.${pattern.slice(0, 200)} could not be evaluated (${failure}); it matches nothing from now on`);
    }
    this.pending.clear();
  }

  /** Records the matches for these keys; resolves to null, or to the reason the query failed. */
  private async query(pool: pg.Pool, keys: readonly string[], timeoutMs: number): Promise<string | null> {
    // One SELECT per condition (type and operator), each over its own value and pattern arrays.
    const groups = new Map<string, { values: string[]; patterns: string[]; owners: { key: string; value: string }[] }>();
    for (const key of keys) {
      const pending = this.pending.get(key) as Pending;
      const { condition, pattern } = first(pending.tests);
      let group = groups.get(condition);
      if (!group) groups.set(condition, (group = { values: [], patterns: [], owners: [] }));
      for (const value of pending.values) {
        group.values.push(value);
        group.patterns.push(pattern);
        group.owners.push({ key, value });
      }
    }
    const selects: string[] = [];
    const params: string[][] = [];
    for (const [condition, group] of groups) {
      selects.push(`select ${selects.length} as g, t.i from unnest($${params.length + 1}::text[], $${params.length + 2}::text[]) with ordinality as t(v, p, i) where ${condition}`);
      params.push(group.values, group.patterns);
    }
    const owners = [...groups.values()].map((group) => group.owners);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`begin; set local statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      const { rows } = await client.query<{ g: number; i: string }>(selects.join(' union all '), params);
      await client.query('commit');
      for (const key of keys) this.matched.set(key, new Set());
      for (const row of rows) {
        const owner = owners[row.g]?.[Number(row.i) - 1];
        if (owner) this.matched.get(owner.key)?.add(owner.value);
      }
      return null;
    } catch (error) {
      // A statement timeout or a pattern PostgreSQL refuses is the pattern's fault; anything else
      // (a lost connection) is not, and fails the batch so the feed retries it.
      if (!isPgError(error)) {
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
      await client.query('rollback').catch(() => undefined);
      return `${error.code}: ${error.message}`;
    } finally {
      client.release(broken);
    }
  }
}

/** An error PostgreSQL answered (it has an SQLSTATE), as opposed to a failed connection. */
function isPgError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

function first<T>(items: Set<T>): T {
  return items.values().next().value as T;
}

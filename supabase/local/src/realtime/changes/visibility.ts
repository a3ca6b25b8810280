// RLS for postgres_changes (WALRUS step 5): which inserted or updated rows each (claims, table)
// may see, asked in batches through `realtime.parley_visible` rather than one query per change.

import type pg from 'pg';

/** A subscriber's claims as the checks group them. */
export interface ClaimsInfo {
  readonly role: string;
  readonly json: string;
}

/** One RLS query: a claims set and a table, with the primary keys of the changes to check. */
export interface VisibilityCheck {
  readonly role: string;
  readonly claims: string;
  readonly rel: number;
  readonly keys: (string | null)[][];
  readonly changeIndexes: number[];
  readonly visible: Set<number>;
}

/** The checks of one batch, by claims JSON, then relation oid. */
export class VisibilityChecks {
  private readonly byClaims = new Map<string, Map<number, VisibilityCheck>>();

  get size(): number {
    return this.byClaims.size;
  }

  /** Asks for change `changeIndex` (primary key `key`) to be checked for these claims. */
  add(claims: ClaimsInfo, rel: number, changeIndex: number, key: () => (string | null)[]): void {
    let byRelation = this.byClaims.get(claims.json);
    if (!byRelation) this.byClaims.set(claims.json, (byRelation = new Map()));
    let check = byRelation.get(rel);
    if (!check) {
      check = { role: claims.role, claims: claims.json, rel, keys: [], changeIndexes: [], visible: new Set() };
      byRelation.set(rel, check);
    }
    if (check.changeIndexes[check.changeIndexes.length - 1] === changeIndex) return;
    check.changeIndexes.push(changeIndex);
    check.keys.push(key());
  }

  isVisible(claims: ClaimsInfo, rel: number, changeIndex: number): boolean {
    return this.byClaims.get(claims.json)?.get(rel)?.visible.has(changeIndex) ?? false;
  }

  /**
   * Runs the checks, split over parallel connections once there are enough of them: each check is
   * one backend's CPU, and a single backend would cap throughput at one core. `xids` are the
   * batch's transactions, which the function waits to see committed.
   */
  async run(pool: pg.Pool, xids: number[]): Promise<void> {
    const all = [...this.byClaims.values()].flatMap((byRelation) => [...byRelation.values()]);
    if (all.length === 0) return;
    const shards = all.length >= CHECKS_PER_SHARD * 2 ? CHECK_SHARDS : 1;
    const size = Math.ceil(all.length / shards);
    await Promise.all(Array.from({ length: shards }, (_, shard) => runShard(pool, all.slice(shard * size, (shard + 1) * size), xids)));
  }
}

/** Parallel visibility-check queries per batch, and the fewest checks worth a query of their own. */
const CHECK_SHARDS = 2;
const CHECKS_PER_SHARD = 16;

/** A failed query throws: the batch is retried, and if it cannot be checked nobody sees it. */
async function runShard(pool: pg.Pool, checks: VisibilityCheck[], xids: number[]): Promise<void> {
  const { rows } = await pool.query<{ check_index: number; key_index: number }>(
    'select check_index, key_index from realtime.parley_visible($1::jsonb, $2::bigint[])',
    [JSON.stringify(checks.map(({ role, claims, rel, keys }) => ({ role, claims, rel, keys }))), xids],
  );
  for (const row of rows) {
    const check = checks[row.check_index];
    const changeIndex = check?.changeIndexes[row.key_index];
    if (check && changeIndex !== undefined) check.visible.add(changeIndex);
  }
}

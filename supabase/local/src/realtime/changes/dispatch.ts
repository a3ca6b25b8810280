// Dispatching a batch of committed transactions: load what the catalog must say about the tables
// and roles involved, ask PostgreSQL for pattern verdicts and RLS visibility in bulk, then deliver
// every change in commit order.

import type pg from 'pg';
import type { Claims } from '../../keys.ts';
import type { DatabaseBroadcast } from '../types.ts';
import { databaseBroadcast, isMessagesTable } from './broadcasts.ts';
import { loadPrivileges, loadRelationMeta, type RelationMeta } from './catalog.ts';
import { ACTION_BITS } from './filters.ts';
import { deliverChange } from './frames.ts';
import { PatternBatch } from './patterns.ts';
import type { Relation, RowChange } from './pgoutput.ts';
import { anyBindingMatches, forEachCandidate, requestPatterns, type Plan, type Subscription } from './plan.ts';
import type { TypeRegistry } from './values.ts';
import { VisibilityChecks, type ClaimsInfo } from './visibility.ts';

export interface Transaction {
  readonly kind: 'transaction';
  readonly endLsn: bigint;
  /** From BEGIN: the visibility check waits until snapshots see this transaction as committed. */
  readonly xid: number;
  readonly commitTimestamp: string;
  readonly changes: RowChange[];
}

/** A flush request travelling through the WAL: settled once everything before it is dispatched. */
export interface Marker {
  readonly kind: 'marker';
  readonly id: number;
}

export type Item = Transaction | Marker;

export interface DispatcherOptions {
  readonly pool: pg.Pool;
  readonly types: TypeRegistry;
  readonly log: (line: string) => void;
  /** The current plan for a relation (subscriptions change between batches). */
  readonly planFor: (relation: Relation) => Plan;
  readonly onBroadcast: (message: DatabaseBroadcast) => void;
  readonly settleFlush: (id: number) => void;
}

/** Set once the first frame of a batch went out: from then on a failure must not retry the batch. */
export interface DispatchProgress {
  delivering: boolean;
}

export type Dispatch = (batch: readonly Item[], progress: DispatchProgress) => Promise<void>;

export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { pool, types, log } = options;
  const metas = new WeakMap<Relation, RelationMeta>();
  const claimsCache = new WeakMap<Claims, ClaimsInfo>();

  function claimsInfo(claims: Claims): ClaimsInfo {
    let info = claimsCache.get(claims);
    if (!info) {
      info = { role: claims.role, json: JSON.stringify(claims) };
      claimsCache.set(claims, info);
    }
    return info;
  }

  return async function dispatch(batch, progress) {
    const changes: RowChange[] = [];
    for (const item of batch) if (item.kind === 'transaction') changes.push(...item.changes);

    // Catalog data for the tables and roles involved, loaded before the synchronous passes.
    const batchPlans = new Map<Relation, Plan>();
    const claims = new Map<Subscription, ClaimsInfo>();
    const missingMeta: Relation[] = [];
    for (const change of changes) {
      const relation = change.relation;
      if (batchPlans.has(relation) || isMessagesTable(relation)) continue;
      const plan = options.planFor(relation);
      batchPlans.set(relation, plan);
      if (plan.entries.length > 0 && !metas.has(relation)) missingMeta.push(relation);
      for (const entry of plan.entries) {
        if (!claims.has(entry.subscription)) claims.set(entry.subscription, claimsInfo(entry.subscription.subscriber.claims()));
      }
    }
    for (const relation of missingMeta) metas.set(relation, await loadRelationMeta(pool, types, relation));
    const wanted: { role: string; meta: RelationMeta }[] = [];
    const wantedKeys = new Set<string>();
    for (const [relation, plan] of batchPlans) {
      const meta = metas.get(relation);
      if (!meta) continue;
      for (const entry of plan.entries) {
        const role = (claims.get(entry.subscription) as ClaimsInfo).role;
        const key = `${role}\u0000${relation.oid}`;
        if (!meta.privileges.has(role) && !wantedKeys.has(key)) {
          wantedKeys.add(key);
          wanted.push({ role, meta });
        }
      }
    }
    await loadPrivileges(pool, wanted);

    // Pass 1: PostgreSQL's verdicts for the pattern filters the changes' images meet.
    const verdicts = new PatternBatch();
    for (const change of changes) {
      const plan = batchPlans.get(change.relation);
      if (!plan?.hasPatterns) continue;
      const bit = ACTION_BITS[change.tag === 'insert' ? 'INSERT' : change.tag === 'update' ? 'UPDATE' : 'DELETE'];
      requestPatterns(plan, bit, change.tag === 'delete' ? change.oldValues : change.newValues, verdicts);
    }
    await verdicts.evaluate(pool, log);

    // Pass 2: which inserted/updated rows each (claims, table) must be checked for.
    const checks = new VisibilityChecks();
    for (let c = 0; c < changes.length; c++) {
      const change = changes[c] as RowChange;
      if (change.tag === 'delete') continue;
      const plan = batchPlans.get(change.relation);
      const meta = metas.get(change.relation);
      if (!plan || !meta || !meta.rls || !meta.hasPk || plan.entries.length === 0) continue;
      const bit = ACTION_BITS[change.tag === 'insert' ? 'INSERT' : 'UPDATE'];
      forEachCandidate(plan, change.newValues, (entry) => {
        if ((entry.mask & bit) === 0) return;
        const info = claims.get(entry.subscription) as ClaimsInfo;
        const privileges = meta.privileges.get(info.role);
        if (!privileges || privileges.bypassRls || !privileges.pkSelectable) return;
        if (!anyBindingMatches(entry, bit, change.newValues, verdicts)) return;
        checks.add(info, meta.relation.oid, c, () => meta.pkIndexes.map((index) => change.newValues?.[index] ?? null));
      });
    }
    if (checks.size > 0) await checks.run(pool, batch.flatMap((item) => (item.kind === 'transaction' ? [item.xid] : [])));

    // Pass 3: deliver, in commit order.
    progress.delivering = true;
    const facts = { claims, checks, verdicts, log };
    let c = 0;
    for (const item of batch) {
      if (item.kind === 'marker') {
        options.settleFlush(item.id);
        continue;
      }
      for (const change of item.changes) {
        const index = c++;
        if (isMessagesTable(change.relation)) {
          if (change.tag === 'insert') relayBroadcast(change);
          continue;
        }
        const plan = batchPlans.get(change.relation);
        const meta = metas.get(change.relation);
        if (!plan || !meta || !meta.exists || plan.entries.length === 0) continue;
        deliverChange(change, index, item.commitTimestamp, plan, meta, facts);
      }
    }
  };

  function relayBroadcast(change: RowChange): void {
    const message = databaseBroadcast(change, log);
    if (!message) return;
    try {
      options.onBroadcast(message);
    } catch (error) {
      log(`realtime: broadcast handler failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

// Delivering one change: which of a plan's subscribers see it (action, filters, RLS verdict) and
// the frames WALRUS would send them, built once per (role, select) view and shared.

import type { ChangeData } from '../types.ts';
import type { RelationMeta, View } from './catalog.ts';
import { viewFor } from './catalog.ts';
import { ACTION_BITS } from './filters.ts';
import type { PatternVerdicts } from './patterns.ts';
import type { RawValue, RowChange } from './pgoutput.ts';
import { filtersMatch, forEachCandidate, type Plan, type PlanEntry, type Subscription } from './plan.ts';
import type { ClaimsInfo, VisibilityChecks } from './visibility.ts';

/** WALRUS's max_record_bytes. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** What the batch worked out before delivering: claims per subscription, RLS and pattern verdicts. */
export interface BatchFacts {
  readonly claims: ReadonlyMap<Subscription, ClaimsInfo>;
  readonly checks: VisibilityChecks;
  readonly verdicts: PatternVerdicts;
  readonly log: (line: string) => void;
}

/** A change's typed images, converted once and shared by every frame. */
interface Typed {
  newValues?: unknown[];
  oldValues?: unknown[];
}

/** Per plan: whether some subscriber's role cannot see the key (or there is none). */
const errorFramesPossible = new WeakMap<Plan, boolean>();

/** Sends change number `index` of the batch to every subscriber of `plan` that may see it. */
export function deliverChange(change: RowChange, index: number, commitTime: string, plan: Plan, meta: RelationMeta, facts: BatchFacts): void {
  const type = change.tag === 'insert' ? 'INSERT' : change.tag === 'update' ? 'UPDATE' : 'DELETE';
  const bit = ACTION_BITS[type];
  const image = change.tag === 'delete' ? change.oldValues : change.newValues;
  const typed: Typed = {};
  const frames = new Map<View | string, ChangeData>();
  const tooLarge = change.bytes > MAX_RECORD_BYTES;

  /** One subscriber's failure to take a frame is its own: the others still get theirs. */
  const deliver = (entry: PlanEntry, ids: number[], data: ChangeData): void => {
    try {
      entry.subscription.subscriber.deliver(ids, data);
    } catch (error) {
      facts.log(`realtime: delivering a change to one subscriber failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const visit = (entry: PlanEntry): void => {
    if ((entry.mask & bit) === 0 || !entry.subscription.active) return;
    const claims = facts.claims.get(entry.subscription) as ClaimsInfo;
    const privileges = meta.privileges.get(claims.role);
    if (!privileges) return;

    // WALRUS answers errors to every binding of the role for that action, before filters.
    if (type !== 'DELETE' && (!meta.hasPk || !privileges.pkSelectable)) {
      const ids = entry.bindings.filter((binding) => (binding.mask & bit) !== 0).map((binding) => binding.id);
      const error = meta.hasPk ? 'Error 401: Unauthorized' : 'Error 400: Bad Request, no primary key';
      let data = frames.get(error);
      if (!data) {
        data = { schema: meta.relation.schema, table: meta.relation.name, commit_timestamp: null, type, columns: [], errors: [error] };
        data.record = {};
        if (type === 'UPDATE') data.old_record = {};
        frames.set(error, data);
      }
      deliver(entry, ids, data);
      return;
    }

    if (type !== 'DELETE' && meta.rls && !privileges.bypassRls && !facts.checks.isVisible(claims, meta.relation.oid, index)) return;

    // Usually one select group per subscriber; frames differ only when bindings select differently.
    let ids: number[] | null = null;
    let groupKey = '';
    let groupSelect: readonly string[] | null = null;
    for (const binding of entry.bindings) {
      if ((binding.mask & bit) === 0 || !filtersMatch(binding, image, facts.verdicts)) continue;
      if (ids === null) {
        ids = [binding.id];
        groupKey = binding.selectKey;
        groupSelect = binding.select;
      } else if (binding.selectKey === groupKey) {
        ids.push(binding.id);
      } else {
        deliver(entry, [binding.id], frameFor(viewFor(meta, privileges, binding.select, binding.selectKey)));
      }
    }
    if (ids === null) return;
    deliver(entry, ids, frameFor(viewFor(meta, privileges, groupSelect, groupKey)));
  };
  // Error frames go to every binding regardless of filters (as WALRUS does), so they need all entries.
  let errorsPossible = errorFramesPossible.get(plan);
  if (errorsPossible === undefined) {
    errorsPossible = !meta.hasPk || plan.entries.some((entry) =>
      !meta.privileges.get((facts.claims.get(entry.subscription) as ClaimsInfo).role)?.pkSelectable);
    errorFramesPossible.set(plan, errorsPossible);
  }
  if (type !== 'DELETE' && errorsPossible) for (const entry of plan.entries) visit(entry);
  else forEachCandidate(plan, image, visit);

  function frameFor(view: View): ChangeData {
    let data = frames.get(view);
    if (data) return data;
    data = {
      schema: meta.relation.schema,
      table: meta.relation.name,
      commit_timestamp: commitTime,
      type,
      columns: view.columns,
      errors: tooLarge ? ['Error 413: Payload Too Large'] : null,
    };
    if (type === 'INSERT' || type === 'UPDATE') {
      data.record = recordOf(typedNew(), change.newValues, view.fields);
    }
    if (type === 'UPDATE') {
      data.old_record = change.oldValues
        ? recordOf(typedOld(), change.oldValues, view.fields)
        : recordOf(typedNew(), change.newValues, view.pkFields);
    } else if (type === 'DELETE') {
      data.old_record = recordOf(typedOld(), change.oldValues, view.deleteFields);
    }
    frames.set(view, data);
    return data;
  }

  function recordOf(values: unknown[], raw: RawValue[] | null, fields: readonly number[]): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    if (!raw) return record;
    for (const field of fields) {
      if (raw[field] === undefined) continue;
      const value = values[field];
      if (tooLarge && Buffer.byteLength(JSON.stringify(value) ?? 'null') > 64) continue;
      record[meta.names[field] as string] = value;
    }
    return record;
  }

  function typedNew(): unknown[] {
    return (typed.newValues ??= convert(meta, change.newValues));
  }

  function typedOld(): unknown[] {
    return (typed.oldValues ??= convert(meta, change.oldValues));
  }
}

function convert(meta: RelationMeta, raw: RawValue[] | null): unknown[] {
  if (!raw) return [];
  const out = new Array<unknown>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const value = raw[i];
    if (value === null || value === undefined) {
      out[i] = value ?? null;
      continue;
    }
    try {
      out[i] = (meta.converters[i] as (text: string) => unknown)(value);
    } catch {
      out[i] = value;
    }
  }
  return out;
}

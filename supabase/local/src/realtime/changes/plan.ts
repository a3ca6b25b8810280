// Which subscriptions a change to one table concerns: per relation, each subscriber's bindings with
// filter columns resolved to tuple indexes, bucketed by `eq` value where every binding has one, and
// the filter tests WALRUS's `is_visible_through_filters` applies.

import type { ChangeSubscriber } from '../types.ts';
import type { FilterTest } from './filters.ts';
import type { PatternBatch, PatternTest, PatternVerdicts } from './patterns.ts';
import type { RawValue, Relation } from './pgoutput.ts';
import type { CompiledBinding } from './subscribe.ts';

export interface Subscription {
  readonly subscriber: ChangeSubscriber;
  readonly bindings: readonly CompiledBinding[];
  active: boolean;
}

/** One subscriber's bindings that apply to one table, with filter columns resolved to tuple indexes. */
export interface PlanEntry {
  readonly subscription: Subscription;
  readonly bindings: readonly PlanBinding[];
  /** Union of the bindings' action bits. */
  readonly mask: number;
}

export interface PlanFilter {
  /** Index in the tuple, or -1 when the column is not replicated. */
  readonly index: number;
  readonly test: FilterTest;
  readonly equals?: string;
  readonly pattern?: PatternTest;
}

export interface PlanBinding {
  readonly id: number;
  readonly mask: number;
  readonly filters: readonly PlanFilter[];
  readonly select: readonly string[] | null;
  readonly selectKey: string;
}

export interface Plan {
  readonly version: number;
  readonly entries: readonly PlanEntry[];
  /**
   * Entries whose every binding has an `eq` filter on one column, by column and value: a change
   * visits only the entries its own value selects (a conversation's two subscribers, not all 400).
   */
  readonly buckets: ReadonlyMap<number, ReadonlyMap<string, readonly PlanEntry[]>>;
  /** Entries that must be tested against every change. */
  readonly unindexed: readonly PlanEntry[];
  /** Whether some binding has a pattern filter, whose verdicts must be fetched before testing. */
  readonly hasPatterns: boolean;
}

/** The plan for one relation, from the subscriptions as they are at `version`. */
export function buildPlan(relation: Relation, subscriptions: Iterable<Subscription>, version: number): Plan {
  const table = `${relation.schema}.${relation.name}`;
  const indexByName = new Map(relation.columns.map((column, index) => [column.name, index]));
  const entries: PlanEntry[] = [];
  let hasPatterns = false;
  for (const subscription of subscriptions) {
    const bindings: PlanBinding[] = [];
    let mask = 0;
    for (const binding of subscription.bindings) {
      const filters = binding.tables.get(table);
      if (!filters) continue;
      bindings.push({
        id: binding.id,
        mask: binding.mask,
        filters: filters.map((filter) => {
          if (filter.pattern) hasPatterns = true;
          return {
            index: indexByName.get(filter.column) ?? -1,
            test: filter.test,
            ...(filter.equals !== undefined ? { equals: filter.equals } : {}),
            ...(filter.pattern ? { pattern: filter.pattern } : {}),
          };
        }),
        select: binding.select,
        selectKey: binding.selectKey,
      });
      mask |= binding.mask;
    }
    if (bindings.length > 0) entries.push({ subscription, bindings, mask });
  }
  const buckets = new Map<number, Map<string, PlanEntry[]>>();
  const unindexed: PlanEntry[] = [];
  for (const entry of entries) {
    const column = indexColumn(entry.bindings);
    if (column === null) {
      unindexed.push(entry);
      continue;
    }
    let byValue = buckets.get(column);
    if (!byValue) buckets.set(column, (byValue = new Map()));
    const values = new Set(entry.bindings.map((binding) => binding.filters.find((f) => f.index === column)?.equals ?? ''));
    for (const value of values) {
      const list = byValue.get(value);
      if (list) list.push(entry);
      else byValue.set(value, [entry]);
    }
  }
  return { version, entries, buckets, unindexed, hasPatterns };
}

/** Calls `visit` for each entry whose filters could match the row image. */
export function forEachCandidate(plan: Plan, image: readonly RawValue[] | null, visit: (entry: PlanEntry) => void): void {
  for (const entry of plan.unindexed) visit(entry);
  if (!image) return;
  for (const [column, byValue] of plan.buckets) {
    const value = image[column];
    if (typeof value !== 'string') continue;
    const entries = byValue.get(value);
    if (entries) for (const entry of entries) visit(entry);
  }
}

/** The column every binding of the entry filters with `eq`, if there is one. */
function indexColumn(bindings: readonly PlanBinding[]): number | null {
  const first = bindings[0];
  if (!first) return null;
  for (const candidate of first.filters) {
    if (candidate.equals === undefined || candidate.index < 0) continue;
    if (bindings.every((binding) => binding.filters.some((f) => f.index === candidate.index && f.equals !== undefined))) return candidate.index;
  }
  return null;
}

/** WALRUS `is_visible_through_filters`: every filter column present in the image and every test true. */
export function filtersMatch(binding: PlanBinding, image: readonly RawValue[] | null, verdicts: PatternVerdicts): boolean {
  for (const filter of binding.filters) {
    if (!image || filter.index < 0) return false;
    const value = image[filter.index];
    if (value === undefined || filter.test(value, verdicts) !== true) return false;
  }
  return true;
}

export function anyBindingMatches(entry: PlanEntry, bit: number, image: readonly RawValue[] | null, verdicts: PatternVerdicts): boolean {
  for (const binding of entry.bindings) if ((binding.mask & bit) !== 0 && filtersMatch(binding, image, verdicts)) return true;
  return false;
}

/**
 * Asks `batch` for the pattern verdicts this image needs: those of candidate bindings whose other
 * filters already pass (a binding failing those never reads its pattern verdict as true).
 */
export function requestPatterns(plan: Plan, bit: number, image: readonly RawValue[] | null, batch: PatternBatch): void {
  if (!plan.hasPatterns || !image) return;
  forEachCandidate(plan, image, (entry) => {
    if ((entry.mask & bit) === 0) return;
    for (const binding of entry.bindings) {
      if ((binding.mask & bit) === 0 || !binding.filters.some((filter) => filter.pattern)) continue;
      const others = binding.filters.every((filter) => {
        const value = filter.index < 0 ? undefined : image[filter.index];
        return value !== undefined && (filter.pattern !== undefined || filter.test(value, batch) === true);
      });
      if (!others) continue;
      for (const filter of binding.filters) {
        const value = image[filter.index];
        if (filter.pattern && typeof value === 'string') batch.request(filter.pattern, value);
      }
    }
  });
}

// postgres_changes binding parameters and filters, parsed as Realtime's `subscriptions.ex` does
// (`parse_subscription_params`, `split_top_level`, `parse_segment`) and evaluated on the text of
// the WAL image with the semantics of `realtime.check_equality_op`. Pattern operators are
// evaluated by PostgreSQL itself (patterns.ts); here they only read the batch's verdict.

import type { PatternTest, PatternVerdicts } from './patterns.ts';
import type { RawValue } from './pgoutput.ts';

export const FILTER_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is', 'match', 'imatch', 'isdistinct'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** One condition as `realtime.subscription.filters` stores it; `in` values as an array literal `{a,b}`. */
export interface ParsedFilter {
  readonly column: string;
  readonly op: FilterOp;
  readonly value: string;
  readonly negate: boolean;
}

export const ACTION_BITS = { INSERT: 1, UPDATE: 2, DELETE: 4 } as const;
export const ALL_ACTIONS = 7;

export interface ParsedParams {
  readonly action: '*' | 'INSERT' | 'UPDATE' | 'DELETE';
  readonly schema: string;
  readonly table: string;
  readonly filters: readonly ParsedFilter[];
  readonly select: readonly string[] | null;
}

export interface BindingParams {
  readonly event: string;
  readonly schema?: string | undefined;
  readonly table?: string | undefined;
  readonly filter?: string | undefined;
  readonly select?: readonly string[] | undefined;
}

/** Parses one binding; a string is the `system` error text. */
export function parseParams(params: BindingParams): ParsedParams | string {
  const action = actionOf(params.event);
  const select = params.select && params.select.length > 0 ? [...params.select] : null;
  const { schema, table, filter } = params;
  let parsed: ParsedParams;
  if (schema !== undefined && table !== undefined && filter !== undefined) {
    const filters = parseFilters(filter);
    if (typeof filters === 'string') return `Error parsing \`filter\` params: ${filters}`;
    parsed = { action, schema, table, filters, select };
  } else if (schema !== undefined && table !== undefined) {
    parsed = { action, schema, table, filters: [], select };
  } else if (schema !== undefined && filter === undefined) {
    parsed = { action, schema, table: '*', filters: [], select };
  } else if (table !== undefined && filter === undefined) {
    parsed = { action, schema: 'public', table, filters: [], select };
  } else {
    return `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${inspectParams(params)}`;
  }
  if (select && (parsed.schema === '*' || parsed.table === '*')) {
    return 'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.';
  }
  return parsed;
}

export function actionOf(event: string): ParsedParams['action'] {
  if (event === '*') return '*';
  const upper = event.toUpperCase();
  return upper === 'INSERT' || upper === 'UPDATE' || upper === 'DELETE' ? upper : '*';
}

export function actionMask(action: ParsedParams['action']): number {
  return action === '*' ? ALL_ACTIONS : ACTION_BITS[action];
}

/** The parameters as Realtime logs them in its error texts (`params_to_log`). */
export function paramsToLog(params: ParsedParams): string {
  const filters = `[${params.filters.map((f) => `{${inspect(f.column)}, ${inspect(f.op)}, ${inspect(f.value)}, ${f.negate}}`).join(', ')}]`;
  const select = params.select ? `[${params.select.map(inspect).join(', ')}]` : 'nil';
  return `event: ${params.action}, schema: ${params.schema}, table: ${params.table}, filters: ${filters}, select: ${select}`;
}

/** Elixir's `inspect/1` of a string. */
export function inspect(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

function inspectParams(params: BindingParams): string {
  const entries: [string, string][] = [['event', inspect(params.event)]];
  if (params.filter !== undefined) entries.push(['filter', inspect(params.filter)]);
  if (params.schema !== undefined) entries.push(['schema', inspect(params.schema)]);
  if (params.table !== undefined) entries.push(['table', inspect(params.table)]);
  return `%{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => `${inspect(key)} => ${value}`).join(', ')}}`;
}

/** Parses a filter string; a string result is the reason after "Error parsing `filter` params: ". */
export function parseFilters(filter: string): ParsedFilter[] | string {
  const trimmed = filter.trim();
  if (trimmed === '') return [];
  const out: ParsedFilter[] = [];
  for (const segment of splitTopLevel(trimmed)) {
    const parsed = parseSegment(segment);
    if (typeof parsed === 'string') return parsed;
    out.push(parsed);
  }
  return out;
}

/** Splits on commas outside double quotes and parentheses; quotes open only after `.`, `(` or `,`. */
export function splitTopLevel(filter: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  let previous = '';
  for (let i = 0; i < filter.length; i++) {
    const char = filter[i] as string;
    if (quoted) {
      if (char === '\\' && i + 1 < filter.length) {
        const next = filter[++i] as string;
        current += char + next;
        previous = next;
      } else {
        if (char === '"') quoted = false;
        current += char;
        previous = char;
      }
      continue;
    }
    if (char === '"' && (previous === '.' || previous === '(' || previous === ',')) {
      quoted = true;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth = Math.max(0, depth - 1);
    } else if (char === ',' && depth === 0) {
      out.push(current);
      current = '';
      previous = '';
      continue;
    }
    current += char;
    previous = char;
  }
  out.push(current);
  return out;
}

function parseSegment(segment: string): ParsedFilter | string {
  const trimmed = segment.trim();
  if (trimmed === '') return 'filter must not contain empty segments (check for extra commas)';
  const equals = trimmed.indexOf('=');
  if (equals < 0) return `[${inspect(trimmed)}]`;
  const column = trimmed.slice(0, equals);
  let rest = trimmed.slice(equals + 1);
  const negate = rest.startsWith('not.');
  if (negate) rest = rest.slice(4);
  const dot = rest.indexOf('.');
  if (dot < 0) return `[${inspect(rest)}]`;
  const op = rest.slice(0, dot);
  const value = rest.slice(dot + 1);
  if (!(FILTER_OPS as readonly string[]).includes(op)) return `[${inspect(op)}, ${inspect(value)}]`;
  if (op === 'in') {
    if (value.length < 2 || !value.startsWith('(') || !value.endsWith(')')) return '`in` filter value must be wrapped by parentheses';
    return { column, op, value: `{${value.slice(1, -1)}}`, negate };
  }
  return { column, op: op as FilterOp, value: unquote(value), negate };
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  let out = '';
  for (let i = 1; i < value.length; i++) {
    const char = value[i] as string;
    if (char === '"') return i === value.length - 1 ? out : value;
    if (char === '\\') {
      i++;
      if (i >= value.length) return value;
      out += value[i];
    } else {
      out += char;
    }
  }
  return value;
}

/** How a column's values compare in Node: by number, or by their text (which sorts for these types). */
export type CompareKind = 'number' | 'bool' | 'sortable' | 'bpchar' | 'equality';

const NUMBER_TYPES = new Set(['smallint', 'integer', 'bigint', 'real', 'double precision', 'numeric']);
const SORTABLE_TYPES = new Set([
  'text', 'character varying', 'name', 'uuid', 'date', 'time without time zone',
  'timestamp without time zone', 'timestamp with time zone', '"char"',
]);

/** The comparison kind for a column of this `regtype` (base type of a domain). */
export function compareKind(regtype: string): CompareKind {
  if (NUMBER_TYPES.has(regtype)) return 'number';
  if (regtype === 'boolean') return 'bool';
  if (regtype === 'character' || regtype === 'bpchar') return 'bpchar';
  if (SORTABLE_TYPES.has(regtype)) return 'sortable';
  return 'equality';
}

/** SQL-style three-valued result: null when the comparison involves NULL. */
export type Tri = boolean | null;

/** A filter's verdict on one WAL value; pattern filters read theirs from the batch's `verdicts`. */
export type FilterTest = (value: RawValue, verdicts: PatternVerdicts) => Tri;

export const PATTERN_OPS = ['like', 'ilike', 'match', 'imatch'] as const;
export type PatternOp = (typeof PATTERN_OPS)[number];

export function isPatternOp(op: FilterOp): op is PatternOp {
  return (PATTERN_OPS as readonly string[]).includes(op);
}

/** The test for a pattern filter: PostgreSQL's verdict for this value, negated if asked. */
export function compilePatternFilter(filter: ParsedFilter, pattern: PatternTest): FilterTest {
  return (value, verdicts) => {
    if (value == null) return null;
    const verdict = verdicts.result(pattern, value);
    return verdict === null ? null : filter.negate ? !verdict : verdict;
  };
}

/**
 * Compiles one non-pattern filter into a test on the column's WAL text. `canonical` is the filter
 * value as the column type's output function writes it (`in`: the elements), computed at
 * subscribe time.
 */
export function compileFilter(filter: ParsedFilter, kind: CompareKind, canonical: string | (string | null)[] | null): FilterTest {
  const { op, negate } = filter;
  const apply = (result: Tri): Tri => (result === null ? null : negate ? !result : result);

  if (op === 'is') {
    const keyword = filter.value;
    return (value) => {
      const result = keyword === 'null' || keyword === 'unknown' ? value === null
        : keyword === 'true' ? value === 't' : value === 'f';
      return negate ? !result : result;
    };
  }
  if (isPatternOp(op)) throw new Error(`${op} filters are evaluated by PostgreSQL (compilePatternFilter)`);
  const compare = comparator(kind);
  if (op === 'in') {
    const list = (Array.isArray(canonical) ? canonical : []);
    const values = list.filter((item): item is string => item !== null);
    const hasNull = values.length !== list.length;
    return (value) => {
      if (value == null) return null;
      for (const item of values) if (compare(value, item) === 0) return apply(true);
      return hasNull ? null : apply(false);
    };
  }
  const target = typeof canonical === 'string' ? canonical : filter.value;
  if (op === 'isdistinct') {
    return (value) => {
      if (value === undefined) return null;
      const distinct = value === null || compare(value, target) !== 0;
      return negate ? !distinct : distinct;
    };
  }
  const test = ORDER_TESTS[op];
  return (value) => (value == null ? null : apply(test(compare(value, target))));
}

const ORDER_TESTS: Record<'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte', (order: number) => boolean> = {
  eq: (order) => order === 0,
  neq: (order) => order !== 0,
  lt: (order) => order < 0,
  lte: (order) => order <= 0,
  gt: (order) => order > 0,
  gte: (order) => order >= 0,
};

/** Whether `op` can be evaluated in Node for this kind of column. */
export function supportsOp(op: FilterOp, kind: CompareKind): boolean {
  if (op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte') return kind !== 'equality';
  return true;
}

function comparator(kind: CompareKind): (a: string, b: string) => number {
  switch (kind) {
    case 'number':
      return (a, b) => {
        const x = Number(a);
        const y = Number(b);
        // PostgreSQL orders NaN above every number and equal to itself.
        if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
        return x < y ? -1 : x > y ? 1 : 0;
      };
    case 'bpchar':
      return (a, b) => compareText(a.trimEnd(), b.trimEnd());
    default:
      return compareText;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

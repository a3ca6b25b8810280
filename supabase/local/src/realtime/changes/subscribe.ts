// Validating a postgres_changes binding the way Realtime's subscription insert does (publication
// lookup, `realtime.subscription_check_filters`), and compiling its filters per table.

import type pg from 'pg';
import type { ChangeBinding } from '../types.ts';
import {
  actionMask, compareKind, compileFilter, compilePatternFilter, isPatternOp, paramsToLog, parseParams, supportsOp,
  type FilterTest, type ParsedFilter, type ParsedParams,
} from './filters.ts';
import { PATTERN_TIMEOUT_MS, PatternTest } from './patterns.ts';

export class SubscribeError extends Error {
  override readonly name = 'SubscribeError';
}

export interface CompiledFilter {
  readonly column: string;
  readonly test: FilterTest;
  /** Set for like/ilike/match/imatch: the verdicts `test` reads are fetched from PostgreSQL per batch. */
  readonly pattern?: PatternTest;
  /**
   * For `eq` on types whose text form is canonical (one value, one spelling), the WAL text a
   * matching row has: the feed indexes subscriptions by it instead of testing each one.
   */
  readonly equals?: string;
}

/** Types whose output text is unique per value, so text equality is value equality. */
const CANONICAL_TEXT_TYPES = new Set(['uuid', 'text', 'character varying', 'bigint', 'integer', 'smallint']);

export interface CompiledBinding {
  readonly id: number;
  readonly mask: number;
  /** `schema.table` → the binding's filters compiled for that table's column types. */
  readonly tables: ReadonlyMap<string, readonly CompiledFilter[]>;
  readonly select: readonly string[] | null;
  readonly selectKey: string;
}

/** A PostgreSQL error as Postgrex prints it inside Realtime's error texts. */
class DatabaseError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }

  get postgrex(): string {
    return `ERROR ${this.code} (${CONDITION_NAMES[this.code] ?? 'error'}) ${this.message}`;
  }
}

const CONDITION_NAMES: Record<string, string> = {
  P0001: 'raise_exception',
  '22P02': 'invalid_text_representation',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22003': 'numeric_value_out_of_range',
  '22001': 'string_data_right_truncation',
  '2201B': 'invalid_regular_expression',
  '42704': 'undefined_object',
  '42883': 'undefined_function',
  '42846': 'cannot_coerce',
  '22023': 'invalid_parameter_value',
};

interface TableRow {
  schemaname: string;
  tablename: string;
  oid: number;
}

interface ColumnRow {
  name: string;
  regtype: string;
  base_regtype: string;
  selectable: boolean;
}

export async function compileBinding(pool: pg.Pool, binding: ChangeBinding, role: string): Promise<CompiledBinding> {
  const parsed = parseParams(binding);
  if (typeof parsed === 'string') throw new SubscribeError(parsed);

  const { rows: tables } = await pool.query<TableRow>(`
    select p.schemaname::text, p.tablename::text, format('%I.%I', p.schemaname, p.tablename)::regclass::oid::int as oid
      from pg_catalog.pg_publication_tables p
     where p.pubname = 'supabase_realtime'
       and p.schemaname like (case $1 when '*' then '%' else $1 end) escape ''
       and p.tablename like (case $2 when '*' then '%' else $2 end) escape ''
     order by 1, 2`, [parsed.schema, parsed.table]);
  if (tables.length === 0) {
    throw new SubscribeError(`Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [${paramsToLog(parsed)}]`);
  }

  const client = await pool.connect();
  try {
    await client.query('begin');
    // The filter values' canonical text must match what the replication session writes.
    await client.query("set local timezone = 'UTC'; set local datestyle = 'ISO, MDY'; set local intervalstyle = 'postgres'; set local extra_float_digits = 1");
    const roleExists = (await client.query('select 1 from pg_catalog.pg_roles where rolname = $1', [role])).rowCount === 1;
    if (!roleExists) throw new DatabaseError('42704', `role "${role}" does not exist`);
    const compiled = new Map<string, CompiledFilter[]>();
    for (const table of tables) {
      compiled.set(`${table.schemaname}.${table.tablename}`, await compileTable(client, parsed, table.oid, role));
    }
    return {
      id: binding.id,
      mask: actionMask(parsed.action),
      tables: compiled,
      select: parsed.select,
      selectKey: parsed.select ? [...parsed.select].sort().join(',') : '',
    };
  } catch (error) {
    if (error instanceof SubscribeError) throw error;
    const failure = error instanceof DatabaseError ? error
      : isPgError(error) ? new DatabaseError(error.code, error.message) : null;
    if (!failure) throw error;
    throw new SubscribeError(`Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [${paramsToLog(parsed)}]. Exception: ${failure.postgrex}`);
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

async function compileTable(client: pg.PoolClient, parsed: ParsedParams, oid: number, role: string): Promise<CompiledFilter[]> {
  const { rows } = await client.query<ColumnRow>(`
    select a.attname::text as name, a.atttypid::regtype::text as regtype,
           coalesce(nullif(t.typbasetype, 0), a.atttypid)::regtype::text as base_regtype,
           pg_catalog.has_column_privilege($2, a.attrelid, a.attnum, 'SELECT') as selectable
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_type t on t.oid = a.atttypid
     where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
     order by a.attnum`, [oid, role]);
  const selectable = new Map(rows.filter((row) => row.selectable).map((row) => [row.name, row]));
  const filters: CompiledFilter[] = [];
  for (const filter of parsed.filters) {
    const column = selectable.get(filter.column);
    if (!column) throw new DatabaseError('P0001', `invalid column for filter ${filter.column}`);
    const compiled = await compileOne(client, filter, column);
    filters.push(filter.op === 'eq' && !filter.negate && CANONICAL_TEXT_TYPES.has(column.base_regtype) && compiled.canonical !== undefined
      ? { column: filter.column, test: compiled.test, equals: compiled.canonical }
      : { column: filter.column, test: compiled.test, ...(compiled.pattern ? { pattern: compiled.pattern } : {}) });
  }
  for (const name of parsed.select ?? []) {
    if (!selectable.has(name)) throw new DatabaseError('P0001', `invalid column for select ${name}`);
  }
  return filters;
}

async function compileOne(client: pg.PoolClient, filter: ParsedFilter, column: ColumnRow): Promise<{ test: FilterTest; canonical?: string; pattern?: PatternTest }> {
  const kind = compareKind(column.base_regtype);
  if (isPatternOp(filter.op)) {
    const operator = filter.op === 'like' || filter.op === 'ilike' ? '~~' : filter.op === 'imatch' ? '~*' : '~';
    const { rowCount } = await client.query(
      `select 1 from pg_catalog.pg_operator where oprname = $1 and oprleft = $2::regtype
          and ($1 = '~~' or (oprright = $2::regtype and oprresult = 'boolean'::regtype))`, [operator, column.regtype]);
    if (rowCount === 0) throw new DatabaseError('P0001', `operator ${filter.op} requires a text-compatible column type, got ${column.regtype}`);
    const pattern = new PatternTest(filter.op, column.regtype, filter.value);
    // Realtime validates regexes here so a bad one cannot fail at WAL time; LIKE patterns (a
    // trailing escape) likewise. The timeout bounds what compiling a pattern may cost.
    try {
      await client.query(`set local statement_timeout = ${PATTERN_TIMEOUT_MS}`);
      await client.query(pattern.probe, [filter.value]);
      await client.query('set local statement_timeout = 0');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const what = filter.op === 'match' || filter.op === 'imatch' ? 'regular expression' : 'pattern';
      throw new DatabaseError('P0001', `invalid ${what} for ${filter.op} filter: ${reason}`);
    }
    return { test: compilePatternFilter(filter, pattern), pattern };
  }
  switch (filter.op) {
    case 'in': {
      const { rows } = await client.query<{ values: (string | null)[] }>(
        `select coalesce(array_agg(case when e is null then null else format('%s', e) end), '{}') as values
           from unnest($1::${column.regtype}[]) e`, [filter.value]);
      const values = rows[0]?.values ?? [];
      if (values.length > 100) throw new DatabaseError('P0001', 'too many values for `in` filter. Maximum 100');
      return { test: compileFilter(filter, kind, values) };
    }
    case 'is':
      if (!['null', 'true', 'false', 'unknown'].includes(filter.value)) {
        throw new DatabaseError('P0001', 'invalid value for is filter: must be null, true, false, or unknown');
      }
      if (filter.value !== 'null' && column.regtype !== 'boolean') {
        throw new DatabaseError('P0001', `is ${filter.value} filter requires a boolean column, got ${column.regtype}`);
      }
      return { test: compileFilter(filter, kind, null) };
    default: {
      const { rows } = await client.query<{ value: string }>(`select format('%s', $1::${column.regtype}) as value`, [filter.value]);
      if (!supportsOp(filter.op, kind)) {
        throw new DatabaseError('P0001', `operator ${filter.op} on a ${column.regtype} column is not supported by the local Realtime server`);
      }
      const canonical = rows[0]?.value ?? filter.value;
      return { test: compileFilter(filter, kind, canonical), canonical };
    }
  }
}

function isPgError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

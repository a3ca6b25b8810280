import { findNul, InputError, parseBoundedJson } from '../input.ts';
import { RestError } from './errors.ts';
import { invalidBodyInput } from './input.ts';
import type { PlanNode } from './plan.ts';
import { filterSql, type RenderContext } from './render.ts';
import type { Relation } from './schema.ts';
import { ident, literal, qualified } from './sql.ts';

type JsonObject = Record<string, unknown>;

/**
 * Body of a write or an RPC call: an object or an array of objects, anything else is PGRST102.
 * Depth is bounded before parsing (the SQL params are built with JSON.stringify, which recurses),
 * and a NUL anywhere is refused naming the field, as PostgreSQL would refuse it without the name.
 */
export function parseWriteBody(text: string, allowArray: boolean): JsonObject[] {
  let body: unknown;
  try {
    body = parseBoundedJson(text, 'request body');
  } catch (error) {
    if (error instanceof InputError) throw invalidBodyInput(error);
    throw new RestError(400, 'PGRST102', 'Empty or invalid json');
  }
  const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
  let rows: JsonObject[];
  if (isObject(body)) rows = [body];
  else if (allowArray && Array.isArray(body) && body.every(isObject)) rows = body;
  else throw new RestError(400, 'PGRST102', 'Empty or invalid json');
  const nul = findNul(body);
  if (nul !== null) {
    throw new RestError(400, '22P05', 'unsupported Unicode escape sequence',
      `\\u0000 cannot be converted to text (in body field ${JSON.stringify(nul)}).`);
  }
  return rows;
}

export function columnNotFound(relation: Relation, column: string): RestError {
  return new RestError(400, 'PGRST204', `Could not find the '${column}' column of '${relation.name}' in the schema cache`);
}

/** Resolves payload keys against the cache so only catalog names reach the SQL. */
export function payloadColumns(relation: Relation, names: Iterable<string>): string[] {
  const columns: string[] = [];
  for (const name of names) {
    const column = relation.columns.get(name);
    if (!column) throw columnNotFound(relation, name);
    if (!columns.includes(column.name)) columns.push(column.name);
  }
  return columns;
}

export interface InsertOptions {
  readonly columns: readonly string[];
  readonly missingDefault: boolean;
  /** null when the table has no key to resolve on: PostgREST then inserts plainly. */
  readonly resolution: 'merge' | 'ignore' | null;
  readonly conflictTarget: readonly string[];
  readonly returning: boolean;
}

/**
 * Each payload row as a record of the table's type. With `missing=default` every column's default
 * is merged under the row first (`jsonb_build_object(defaults) || row`, as PostgREST does), so a
 * key the row leaves out gets the default rather than NULL.
 */
function payloadRecord(relation: Relation, columns: readonly string[], missingDefault: boolean, row: string): string {
  const type = `null::${qualified(relation)}`;
  const defaults = missingDefault
    ? columns.flatMap((name) => {
      const value = relation.columns.get(name)?.default;
      return value === null || value === undefined ? [] : [`${literal(name)}, ${value}`];
    })
    : [];
  if (defaults.length === 0) return `json_populate_record(${type}, ${row})`;
  return `jsonb_populate_record(${type}, jsonb_build_object(${defaults.join(', ')}) || ${row}::jsonb)`;
}

/** Counts rows an upsert inserts in `pgrst.inserted` (+1 per row offered, −1 per row merged), like PostgREST. */
const COUNT_OFFERED = "set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'";
const COUNT_MERGED = "set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) - 1)::text, true) <> '-1'";

/** INSERT from the JSON body; only the payload's columns are inserted so the others get their defaults. */
export function insertSql(ctx: RenderContext, relation: Relation, alias: string, body: JsonObject[], options: InsertOptions): string {
  const rows = ctx.params.add(JSON.stringify(body));
  const merge = options.resolution === 'merge';
  let sql = `insert into ${qualified(relation)} as ${alias}`
    + (options.columns.length > 0 ? ` (${options.columns.map(ident).join(', ')})` : '')
    + ` select ${options.columns.length > 0 ? options.columns.map((name) => `_p.${ident(name)}`).join(', ') : ''}`
    + ` from json_array_elements(${rows}::json) with ordinality _x(j, n)`
    + ` cross join lateral ${payloadRecord(relation, options.columns, options.missingDefault, '_x.j')} _p`
    + (merge ? ` where ${COUNT_OFFERED}` : '')
    + ' order by _x.n';
  if (options.resolution !== null) {
    sql += ` on conflict (${options.conflictTarget.map(ident).join(', ')})`;
    sql += options.resolution === 'ignore' || options.columns.length === 0
      ? ' do nothing'
      : ` do update set ${options.columns.map((name) => `${ident(name)} = excluded.${ident(name)}`).join(', ')} where ${COUNT_MERGED}`;
  }
  return sql + (options.returning ? ` returning ${alias}.*` : '');
}

/** Rows an upsert inserted rather than merged (after its statement ran in this transaction). */
export const INSERTED_SQL = "select coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) as inserted";

export function updateSql(
  ctx: RenderContext, root: PlanNode, body: JsonObject, columns: readonly string[], returning: boolean, missingDefault: boolean,
): string {
  const table = qualified(root.relation);
  const payload = `${ctx.params.add(JSON.stringify(body))}::json`;
  const where = root.filters.map((filter) => filterSql(ctx, root, filter));
  if (where.length === 0) throw new RestError(400, '21000', 'UPDATE requires a WHERE clause');
  return `update ${table} as ${root.alias} set ${columns.map((name) => `${ident(name)} = _p.${ident(name)}`).join(', ')}`
    + ` from ${payloadRecord(root.relation, columns, missingDefault, payload)} _p where ${where.join(' and ')}`
    + (returning ? ` returning ${root.alias}.*` : '');
}

export function deleteSql(ctx: RenderContext, root: PlanNode, returning: boolean): string {
  const where = root.filters.map((filter) => filterSql(ctx, root, filter));
  if (where.length === 0) throw new RestError(400, '21000', 'DELETE requires a WHERE clause');
  return `delete from ${qualified(root.relation)} as ${root.alias} where ${where.join(' and ')}`
    + (returning ? ` returning ${root.alias}.*` : '');
}

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
  readonly resolution: 'merge' | 'ignore' | null;
  readonly onConflict: readonly string[];
  readonly returning: boolean;
}

/**
 * INSERT from the JSON body: `json_populate_record` against the table's row type lets Postgres do
 * every conversion; only the payload's columns are inserted so the others get their defaults.
 */
export function insertSql(ctx: RenderContext, relation: Relation, alias: string, body: JsonObject[], options: InsertOptions): string {
  const rows = ctx.params.add(JSON.stringify(body));
  const table = qualified(relation.name);
  const values = options.columns.map((name) => {
    const column = relation.columns.get(name);
    const value = `_p.${ident(name)}`;
    if (!options.missingDefault || !column) return value;
    return `case when _x.j::jsonb ? ${literal(name)} then ${value} else ${column.default ?? 'null'} end`;
  });
  let sql = `insert into ${table} as ${alias}`
    + (options.columns.length > 0 ? ` (${options.columns.map(ident).join(', ')})` : '')
    + ` select ${values.join(', ')} from json_array_elements(${rows}::json) with ordinality _x(j, n)`
    + ` cross join lateral json_populate_record(null::${table}, _x.j) _p order by _x.n`;
  if (options.resolution !== null) {
    const target = options.onConflict.length > 0 ? options.onConflict : relation.primaryKey;
    if (target.length === 0) throw new RestError(400, '42P10', 'there is no unique or exclusion constraint matching the ON CONFLICT specification');
    sql += ` on conflict (${target.map(ident).join(', ')})`;
    if (options.resolution === 'ignore') sql += ' do nothing';
    else {
      const updated = options.columns.length > 0 ? options.columns : target;
      sql += ` do update set ${updated.map((name) => `${ident(name)} = excluded.${ident(name)}`).join(', ')}`;
    }
  }
  return sql + (options.returning ? ` returning ${alias}.*` : '');
}

export function updateSql(ctx: RenderContext, root: PlanNode, body: JsonObject, columns: readonly string[], returning: boolean): string {
  const table = qualified(root.relation.name);
  const payload = ctx.params.add(JSON.stringify(body));
  const where = root.filters.map((filter) => filterSql(ctx, root, filter));
  if (where.length === 0) throw new RestError(400, '21000', 'UPDATE requires a WHERE clause');
  return `update ${table} as ${root.alias} set ${columns.map((name) => `${ident(name)} = _p.${ident(name)}`).join(', ')}`
    + ` from json_populate_record(null::${table}, ${payload}::json) _p where ${where.join(' and ')}`
    + (returning ? ` returning ${root.alias}.*` : '');
}

export function deleteSql(ctx: RenderContext, root: PlanNode, returning: boolean): string {
  const where = root.filters.map((filter) => filterSql(ctx, root, filter));
  if (where.length === 0) throw new RestError(400, '21000', 'DELETE requires a WHERE clause');
  return `delete from ${qualified(root.relation.name)} as ${root.alias} where ${where.join(' and ')}`
    + (returning ? ` returning ${root.alias}.*` : '');
}

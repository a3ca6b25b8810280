import type pg from 'pg';
import { RestError } from './errors.ts';
import { fuzzyBest } from './fuzzy.ts';
import type { Relation } from './schema.ts';

// The relationships PostgREST derives from foreign keys (SchemaCache.hs `allM2OandO2ORels`,
// `addInverseRels`, `addM2MRels`) and its search among them for an embed (Plan.hs `findRel`).

export type Cardinality = 'many-to-one' | 'one-to-many' | 'one-to-one' | 'many-to-many';

/** Column pairs (this side, other side). */
export type ColumnPairs = readonly (readonly [string, string])[];

export interface Junction {
  readonly relation: Relation;
  /** The junction's key to the origin, and its (origin column, junction column) pairs. */
  readonly sourceConstraint: string;
  readonly sourceColumns: ColumnPairs;
  /** The junction's key to the target, and its (target column, junction column) pairs. */
  readonly targetConstraint: string;
  readonly targetColumns: ColumnPairs;
}

export interface Relationship {
  readonly table: Relation;
  readonly foreignTable: Relation;
  readonly self: boolean;
  readonly cardinality: Cardinality;
  /** The foreign key's name; for many-to-many the junction's name. */
  readonly constraint: string;
  /** (table column, foreign table column) pairs; empty for many-to-many. */
  readonly columns: ColumnPairs;
  readonly junction: Junction | null;
}

/** The key of a relation's relationships in the cache. */
export function relationKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

interface ForeignKeyRow {
  schema: string; table: string; foreignSchema: string; foreignTable: string; name: string;
  columns: string[]; foreignColumns: string[]; oneToOne: boolean;
}

/** Every relationship between the given relations, indexed by origin (`relationKey`). */
export async function loadRelationships(
  client: pg.PoolClient, relations: ReadonlyMap<string, ReadonlyMap<string, Relation>>,
): Promise<Map<string, Relationship[]>> {
  const { rows } = await client.query<ForeignKeyRow>(`
    with keys as (
      select conrelid, array_agg(key order by key) as cols
      from pg_constraint cross join unnest(conkey) as k(key)
      where contype in ('p', 'u') group by oid, conrelid
    )
    select n.nspname as schema, c.relname as table, fn.nspname as "foreignSchema", f.relname as "foreignTable",
      con.conname as name,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
      array(select a.attname::text from unnest(con.confkey) with ordinality k(attnum, ord)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as "foreignColumns",
      (select array_agg(k order by k) from unnest(con.conkey) k) in (select cols from keys where conrelid = con.conrelid) as "oneToOne"
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_class f on f.oid = con.confrelid join pg_namespace fn on fn.oid = f.relnamespace
    where con.contype = 'f' and con.conparentid = 0
    order by con.conrelid, con.conname`);
  const find = (schema: string, name: string) => relations.get(schema)?.get(name);
  const direct: Relationship[] = [];
  for (const row of rows) {
    const table = find(row.schema, row.table);
    const foreignTable = find(row.foreignSchema, row.foreignTable);
    if (!table || !foreignTable) continue;
    const pairs = row.columns.map((column, i) => [column, row.foreignColumns[i] ?? ''] as const);
    const self = table === foreignTable;
    const base = { self, constraint: row.name, junction: null };
    direct.push({ ...base, table, foreignTable, cardinality: row.oneToOne ? 'one-to-one' : 'many-to-one', columns: pairs });
    direct.push({
      ...base, table: foreignTable, foreignTable: table, cardinality: row.oneToOne ? 'one-to-one' : 'one-to-many',
      columns: pairs.map(([column, foreign]) => [foreign, column] as const),
    });
  }
  // A table whose primary key holds two foreign keys joins their targets many-to-many.
  const manyToOne = direct.filter((rel) => rel.cardinality === 'many-to-one');
  const all = [...direct];
  for (const source of manyToOne) {
    for (const target of manyToOne) {
      if (source.table !== target.table || source.constraint === target.constraint) continue;
      const junction = source.table;
      const keyColumns = [...source.columns, ...target.columns].map(([column]) => column);
      if (!keyColumns.every((column) => junction.primaryKey.includes(column))) continue;
      all.push({
        table: source.foreignTable, foreignTable: target.foreignTable, self: source.foreignTable === target.foreignTable,
        cardinality: 'many-to-many', constraint: junction.name, columns: [],
        junction: {
          relation: junction,
          sourceConstraint: source.constraint, sourceColumns: source.columns.map(([j, t]) => [t, j] as const),
          targetConstraint: target.constraint, targetColumns: target.columns.map(([j, t]) => [t, j] as const),
        },
      });
    }
  }
  const byOrigin = new Map<string, Relationship[]>();
  for (const rel of all) {
    const key = relationKey(rel.table.schema, rel.table.name);
    byOrigin.set(key, [...(byOrigin.get(key) ?? []), rel]);
  }
  for (const list of byOrigin.values()) list.sort(compareRelationships);
  return byOrigin;
}

/** PostgREST's derived `Ord Relationship`: by target, self-ness, cardinality (O2M, M2O, O2O, M2M), key. */
function compareRelationships(a: Relationship, b: Relationship): number {
  const order: Cardinality[] = ['one-to-many', 'many-to-one', 'one-to-one', 'many-to-many'];
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return text(a.foreignTable.schema, b.foreignTable.schema) || text(a.foreignTable.name, b.foreignTable.name)
    || Number(a.self) - Number(b.self)
    || order.indexOf(a.cardinality) - order.indexOf(b.cardinality)
    || text(a.junction?.relation.schema ?? '', b.junction?.relation.schema ?? '')
    || text(a.constraint, b.constraint)
    || text(a.junction?.sourceConstraint ?? '', b.junction?.sourceConstraint ?? '');
}

const single = (pairs: ColumnPairs, side: 0 | 1): string | null => (pairs.length === 1 ? pairs[0]?.[side] ?? null : null);

/**
 * The one relationship `target(…)` / `target!hint(…)` names from `origin`: 300 PGRST201 if several
 * match, 400 PGRST200 if none. `target` may be a table, a foreign key's name or a key column;
 * `hint` a foreign key's name, a column on either side, or a many-to-many junction.
 */
export function findRelationship(
  relationships: ReadonlyMap<string, readonly Relationship[]>, origin: Relation, target: string, hint: string | null,
): Relationship {
  const candidates = (relationships.get(relationKey(origin.schema, origin.name)) ?? [])
    .filter((rel) => rel.foreignTable.schema === origin.schema);
  const matching = candidates.filter((rel) => {
    const toTarget = rel.foreignTable.name === target;
    const toOne = rel.cardinality === 'many-to-one';
    const toMany = rel.cardinality === 'one-to-many';
    if (rel.self) {
      if (hint === null) return (toTarget && toMany) || (single(rel.columns, 0) === target && toOne);
      return toTarget && toMany && single(rel.columns, 1) === hint;
    }
    const byName = rel.junction === null && rel.foreignTable.kind === 'table';
    if (hint === null) return toTarget || (byName && (rel.constraint === target || single(rel.columns, 0) === target));
    return toTarget && ((rel.junction === null && rel.constraint === hint) || single(rel.columns, 0) === hint
      || single(rel.columns, 1) === hint || (rel.junction !== null && rel.junction.relation.name === hint));
  });
  const only = matching[0];
  if (matching.length === 1 && only) return only;
  if (matching.length === 0) {
    throw new RestError(400, 'PGRST200', `Could not find a relationship between '${origin.name}' and '${target}' in the schema cache`,
      `Searched for a foreign key relationship between '${origin.name}' and '${target}'${hint === null ? '' : ` using the hint '${hint}'`} in the schema '${origin.schema}', but no matches were found.`,
      noRelationshipHint(relationships, origin, target));
  }
  throw new RestError(300, 'PGRST201', `Could not embed because more than one relationship was found for '${origin.name}' and '${target}'`,
    matching.map(describe),
    `Try changing '${target}' to one of the following: ${matching.map((rel) => `'${rel.foreignTable.name}!${rel.constraint}'`).join(', ')}. Find the desired relationship in the 'details' key.`);
}

function describe(rel: Relationship): Record<string, string> {
  const list = (pairs: ColumnPairs, side: 0 | 1) => `(${pairs.map((pair) => pair[side]).join(', ')})`;
  const embedding = `${rel.table.name} with ${rel.foreignTable.name}`;
  if (rel.junction) {
    const { relation, sourceConstraint, sourceColumns, targetConstraint, targetColumns } = rel.junction;
    return {
      cardinality: rel.cardinality, embedding,
      relationship: `${relation.name} using ${sourceConstraint}${list(sourceColumns, 1)} and ${targetConstraint}${list(targetColumns, 1)}`,
    };
  }
  return {
    cardinality: rel.cardinality, embedding,
    relationship: `${rel.constraint} using ${rel.table.name}${list(rel.columns, 0)} and ${rel.foreignTable.name}${list(rel.columns, 1)}`,
  };
}

/** `noRelBetweenHint`: a close table name for an unknown origin, else a close target. */
function noRelationshipHint(relationships: ReadonlyMap<string, readonly Relationship[]>, origin: Relation, target: string): string | null {
  const own = relationships.get(relationKey(origin.schema, origin.name));
  if (!own) {
    const parents = [...relationships.values()].flatMap((list) => list.map((rel) => rel.table))
      .filter((rel) => rel.schema === origin.schema).map((rel) => rel.name);
    const parent = fuzzyBest(origin.name, parents, 0.33);
    return parent === null ? null : `Perhaps you meant '${parent}' instead of '${origin.name}'.`;
  }
  const children = own.map((rel) => rel.foreignTable.name);
  if (children.some((name) => name.toLowerCase() === target.toLowerCase())) return null;
  const child = fuzzyBest(target, children, 0.33);
  return child === null ? null : `Perhaps you meant '${child}' instead of '${target}'.`;
}

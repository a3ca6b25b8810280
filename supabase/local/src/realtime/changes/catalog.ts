// What the feed reads from the catalog: tables' columns, primary keys and RLS flag, and what a
// role may select. Cached per pgoutput Relation message, which PostgreSQL re-sends after any
// change to the table's definition or privileges (relcache invalidation), so caches stay fresh.

import type pg from 'pg';
import type { Relation } from './pgoutput.ts';
import type { Converter, TypeRegistry } from './values.ts';

export interface ColumnInfo {
  readonly name: string;
  /** pg_type.typname, as `columns[].type` reports it. */
  readonly type: string;
  readonly pk: boolean;
  /** Index of the column in pgoutput's tuples, or -1 (generated columns are not replicated). */
  readonly index: number;
}

export interface RelationMeta {
  readonly relation: Relation;
  /** False when the table no longer exists: its changes are dropped. */
  readonly exists: boolean;
  readonly rls: boolean;
  readonly hasPk: boolean;
  /** Catalog columns in attribute order. */
  readonly columns: readonly ColumnInfo[];
  /** pgoutput index → column name, converter, primary key flag. */
  readonly names: readonly string[];
  readonly converters: readonly Converter[];
  readonly pkIndexes: readonly number[];
  readonly privileges: Map<string, RolePrivileges>;
}

/** What one role may see of one table, and the frame layouts derived from it. */
export interface RolePrivileges {
  readonly bypassRls: boolean;
  readonly pkSelectable: boolean;
  /** Per catalog column. */
  readonly selectable: readonly boolean[];
  readonly views: Map<string, View>;
}

/** The shape of the frames one (role, select) group receives for one table. */
export interface View {
  readonly columns: { name: string; type: string }[];
  /** pgoutput indexes that go into record / old_record. */
  readonly fields: readonly number[];
  /** pgoutput indexes for a DELETE's old_record (primary key only on RLS tables). */
  readonly deleteFields: readonly number[];
  /** pgoutput indexes of the primary key columns within `fields` (UPDATE old_record without an old image). */
  readonly pkFields: readonly number[];
}

interface MetaRow {
  rls: boolean;
  columns: { name: string; type: string; type_oid: number; pk: boolean }[];
}

export async function loadRelationMeta(pool: pg.Pool, types: TypeRegistry, relation: Relation): Promise<RelationMeta> {
  const { rows } = await pool.query<MetaRow>(`
    select c.relrowsecurity as rls,
           coalesce((
             select json_agg(json_build_object(
                      'name', a.attname, 'type', t.typname, 'type_oid', a.atttypid,
                      'pk', exists (select 1 from pg_catalog.pg_index i
                                     where i.indrelid = c.oid and i.indisprimary and a.attnum = any(i.indkey)))
                    order by a.attnum)
               from pg_catalog.pg_attribute a
               join pg_catalog.pg_type t on t.oid = a.atttypid
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           ), '[]') as columns
      from pg_catalog.pg_class c
     where c.oid = $1`, [relation.oid]);
  const row = rows[0];
  await types.load(relation.columns.map((column) => column.typeOid));
  const indexByName = new Map(relation.columns.map((column, index) => [column.name, index]));
  const columns = (row?.columns ?? []).map((column) => ({
    name: column.name, type: column.type, pk: column.pk, index: indexByName.get(column.name) ?? -1,
  }));
  const pkNames = new Set(columns.filter((column) => column.pk).map((column) => column.name));
  return {
    relation,
    exists: row !== undefined,
    rls: row?.rls ?? false,
    hasPk: pkNames.size > 0,
    columns,
    names: relation.columns.map((column) => column.name),
    converters: relation.columns.map((column) => types.converter(column.typeOid)),
    pkIndexes: relation.columns.flatMap((column, index) => (pkNames.has(column.name) ? [index] : [])),
    privileges: new Map(),
  };
}

interface PrivilegeRow {
  role: string;
  rel: number;
  bypass: boolean;
  selectable: boolean[];
}

/** Loads the privileges of several (role, table) pairs in one round trip. */
export async function loadPrivileges(pool: pg.Pool, wanted: { role: string; meta: RelationMeta }[]): Promise<void> {
  if (wanted.length === 0) return;
  const { rows } = await pool.query<PrivilegeRow>(`
    select w.role, w.rel::int as rel,
           coalesce(r.rolbypassrls or r.rolsuper, false) as bypass,
           coalesce((
             select array_agg(r.oid is not null and pg_catalog.has_column_privilege(r.oid, a.attrelid, a.attnum, 'SELECT') order by a.attnum)
               from pg_catalog.pg_attribute a
              where a.attrelid = w.rel and a.attnum > 0 and not a.attisdropped
           ), '{}') as selectable
      from unnest($1::text[], $2::oid[]) w(role, rel)
      left join pg_catalog.pg_roles r on r.rolname = w.role`,
  [wanted.map((item) => item.role), wanted.map((item) => item.meta.relation.oid)]);
  const byKey = new Map(rows.map((row) => [`${row.role}\u0000${row.rel}`, row]));
  for (const { role, meta } of wanted) {
    const row = byKey.get(`${role}\u0000${meta.relation.oid}`);
    const selectable = meta.columns.map((_, index) => row?.selectable[index] ?? false);
    meta.privileges.set(role, {
      bypassRls: row?.bypass ?? false,
      selectable,
      pkSelectable: meta.columns.every((column, index) => !column.pk || selectable[index]),
      views: new Map(),
    });
  }
}

/** The frame layout for a role and an optional column selection (selected columns plus the primary key). */
export function viewFor(meta: RelationMeta, privileges: RolePrivileges, select: readonly string[] | null, selectKey: string): View {
  let view = privileges.views.get(selectKey);
  if (view) return view;
  const chosen = meta.columns.filter((column, index) =>
    privileges.selectable[index] && (select === null || column.pk || select.includes(column.name)));
  const fields = chosen.filter((column) => column.index >= 0).map((column) => column.index);
  const pkFields = chosen.filter((column) => column.pk && column.index >= 0).map((column) => column.index);
  view = {
    columns: chosen.map((column) => ({ name: column.name, type: column.type })),
    fields,
    deleteFields: meta.rls ? pkFields : fields,
    pkFields,
  };
  privileges.views.set(selectKey, view);
  return view;
}

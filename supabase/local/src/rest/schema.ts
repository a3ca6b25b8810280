import type pg from 'pg';

/** The only schema the API exposes, as `db-schemas = public` on Supabase. */
export const EXPOSED_SCHEMA = 'public';

export interface Column {
  readonly name: string;
  /** `format_type` text, e.g. `timestamp with time zone`, `text[]`. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default expression as the catalog prints it, or null. */
  readonly default: string | null;
  readonly generated: boolean;
}

export interface ForeignKey {
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly foreignTable: string;
  readonly foreignColumns: readonly string[];
}

export interface Relation {
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly columns: ReadonlyMap<string, Column>;
  readonly primaryKey: readonly string[];
}

export type ReturnKind = 'scalar' | 'void' | 'single-composite' | 'setof-composite' | 'setof-scalar';

export interface FunctionArg {
  readonly name: string;
  readonly type: string;
  readonly hasDefault: boolean;
}

export interface Routine {
  readonly name: string;
  readonly args: readonly FunctionArg[];
  readonly returns: ReturnKind;
  /** Columns of the composite result; a table's own relation when it returns one (so embeds work). */
  readonly resultRelation: Relation | null;
  readonly volatility: 'i' | 's' | 'v';
}

export interface SchemaCache {
  readonly relations: ReadonlyMap<string, Relation>;
  readonly foreignKeys: readonly ForeignKey[];
  readonly routines: ReadonlyMap<string, readonly Routine[]>;
  /** Type names a `::cast` in select may use, mapped to the name we write. */
  readonly castTypes: ReadonlyMap<string, string>;
}

const SQL_TYPE_ALIASES: Record<string, string> = {
  int: 'int4', integer: 'int4', smallint: 'int2', bigint: 'int8', boolean: 'bool', real: 'float4',
  float: 'float8', double: 'float8', decimal: 'numeric', varchar: 'varchar', char: 'bpchar',
  character: 'bpchar', timestamptz: 'timestamptz', timestamp: 'timestamp',
};

export async function loadSchemaCache(pool: pg.Pool): Promise<SchemaCache> {
  const client = await pool.connect();
  try {
    const columns = await client.query<{
      table: string; kind: string; name: string; type: string; nullable: boolean; default: string | null;
      generated: boolean; typrelid: number;
    }>(`
      select c.relname as table, c.relkind as kind, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
        not a.attnotnull as nullable, pg_get_expr(d.adbin, d.adrelid) as default, a.attgenerated <> '' as generated
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
      order by c.relname, a.attnum`, [EXPOSED_SCHEMA]);
    const keys = await client.query<{ table: string; columns: string[] }>(`
      select c.relname as table, array_agg(a.attname::text order by k.ord) as columns
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      cross join lateral unnest(con.conkey) with ordinality k(attnum, ord)
      join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
      where n.nspname = $1 and con.contype = 'p'
      group by c.relname`, [EXPOSED_SCHEMA]);
    const foreignKeys = await client.query<ForeignKey>(`
      select con.conname as name, c.relname as table, f.relname as "foreignTable",
        (select array_agg(a.attname::text order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
        (select array_agg(a.attname::text order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as "foreignColumns"
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_class f on f.oid = con.confrelid
      join pg_namespace fn on fn.oid = f.relnamespace
      where con.contype = 'f' and n.nspname = $1 and fn.nspname = $1
      order by con.conname`, [EXPOSED_SCHEMA]);
    const routines = await client.query<{
      name: string; argNames: string[] | null; argTypes: string[]; argModes: string[] | null; defaults: number;
      returnType: string; returnsSet: boolean; typtype: string; typrelid: number; returnRelation: string | null;
      returnRelationSchema: string | null; volatility: 'i' | 's' | 'v'; allArgTypes: string[] | null;
    }>(`
      select p.proname as name, p.proargnames as "argNames", p.proargmodes::text[] as "argModes",
        array(select format_type(t, null) from unnest(p.proargtypes) t) as "argTypes",
        array(select format_type(t, null) from unnest(p.proallargtypes) t) as "allArgTypes",
        p.pronargdefaults as defaults, format_type(p.prorettype, null) as "returnType", p.proretset as "returnsSet",
        t.typtype, t.typrelid::int as typrelid, rc.relname as "returnRelation", rn.nspname as "returnRelationSchema",
        p.provolatile as volatility
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
      join pg_type t on t.oid = p.prorettype
      left join pg_class rc on rc.oid = t.typrelid
      left join pg_namespace rn on rn.oid = rc.relnamespace
      where n.nspname = $1 and p.prokind = 'f'`, [EXPOSED_SCHEMA]);
    const compositeColumns = await client.query<{ typrelid: number; name: string; type: string }>(`
      select a.attrelid::int as typrelid, a.attname as name, format_type(a.atttypid, a.atttypmod) as type
      from pg_attribute a
      where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`, [routines.rows.filter((r) => r.typtype === 'c').map((r) => r.typrelid)]);
    const types = await client.query<{ typname: string }>(`
      select distinct t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname in ('pg_catalog', $1, 'extensions') and t.typtype in ('b', 'd', 'e', 'r', 'c', 'm')
        and t.typname !~ '^(_|pg_)'`, [EXPOSED_SCHEMA]);

    const pkByTable = new Map(keys.rows.map((row) => [row.table, row.columns]));
    const relations = new Map<string, Relation>();
    const relationColumns = new Map<string, Map<string, Column>>();
    for (const row of columns.rows) {
      let map = relationColumns.get(row.table);
      if (!map) {
        map = new Map();
        relationColumns.set(row.table, map);
        relations.set(row.table, {
          name: row.table,
          kind: row.kind === 'v' || row.kind === 'm' ? 'view' : 'table',
          columns: map,
          primaryKey: pkByTable.get(row.table) ?? [],
        });
      }
      map.set(row.name, { name: row.name, type: row.type, nullable: row.nullable, default: row.default, generated: row.generated });
    }

    const byName = new Map<string, Routine[]>();
    for (const row of routines.rows) {
      const modes = row.argModes ?? [];
      const names = row.argNames ?? [];
      const inputs: FunctionArg[] = [];
      const outputs: Column[] = [];
      const allTypes = row.allArgTypes && row.allArgTypes.length > 0 ? row.allArgTypes : row.argTypes;
      allTypes.forEach((type, index) => {
        const mode = modes[index] ?? 'i';
        const name = names[index] ?? '';
        if (mode === 'i' || mode === 'b' || mode === 'v') inputs.push({ name, type, hasDefault: false });
        if (mode === 'o' || mode === 'b' || mode === 't') {
          outputs.push({ name, type, nullable: true, default: null, generated: false });
        }
      });
      const firstDefault = inputs.length - row.defaults;
      const args = inputs.map((arg, index) => ({ ...arg, hasDefault: index >= firstDefault }));
      let resultRelation: Relation | null = null;
      let returns: ReturnKind;
      if (row.typtype === 'c') {
        resultRelation = row.returnRelationSchema === EXPOSED_SCHEMA && row.returnRelation
          ? relations.get(row.returnRelation) ?? null : null;
        if (!resultRelation) {
          const cols = new Map<string, Column>();
          for (const col of compositeColumns.rows.filter((c) => c.typrelid === row.typrelid)) {
            cols.set(col.name, { name: col.name, type: col.type, nullable: true, default: null, generated: false });
          }
          resultRelation = { name: row.name, kind: 'view', columns: cols, primaryKey: [] };
        }
        returns = row.returnsSet ? 'setof-composite' : 'single-composite';
      } else if (row.returnType === 'record' && outputs.length > 0) {
        resultRelation = { name: row.name, kind: 'view', columns: new Map(outputs.map((c) => [c.name, c])), primaryKey: [] };
        returns = row.returnsSet || modes.includes('t') ? 'setof-composite' : 'single-composite';
      } else if (row.returnType === 'void') {
        returns = 'void';
      } else {
        returns = row.returnsSet ? 'setof-scalar' : 'scalar';
      }
      const list = byName.get(row.name) ?? [];
      list.push({ name: row.name, args, returns, resultRelation, volatility: row.volatility });
      byName.set(row.name, list);
    }

    const castTypes = new Map<string, string>(Object.entries(SQL_TYPE_ALIASES));
    for (const row of types.rows) castTypes.set(row.typname, row.typname);
    return { relations, foreignKeys: foreignKeys.rows, routines: byName, castTypes };
  } finally {
    client.release();
  }
}

import type pg from 'pg';

/**
 * The PostgREST settings the stand-in honours. Defaults are supabase/config.toml's `[api]` section;
 * a project overrides them the way PostgREST documents for its in-database configuration
 * (`alter role authenticator set pgrst.db_schemas = 'public, other'`, then
 * `notify pgrst, 'reload config'`), which is also what a hosted project's API settings amount to.
 */
export interface RestConfig {
  /** `db-schemas`: the first is the default; others are chosen with Accept-Profile/Content-Profile. */
  readonly schemas: readonly string[];
  /** `db-max-rows`: a hard limit on the rows of every read (null: none). */
  readonly maxRows: number | null;
  /** `db-extra-search-path`, put after the request's schema in `search_path`. */
  readonly extraSearchPath: readonly string[];
  /** `alter role … set statement_timeout` of each API role, applied in its transactions. */
  readonly roleTimeouts: ReadonlyMap<string, string>;
}

const DEFAULTS = { schemas: ['public'], maxRows: 1000, extraSearchPath: ['public', 'extensions'] } as const;

export async function loadConfig(pool: pg.Pool): Promise<RestConfig> {
  // Database-specific role settings win over global ones, as in PostgREST's `queryDbSettings`.
  const settings = await pool.query<{ key: string; value: string }>(`
    select distinct on (key) replace(k, 'pgrst.', '') as key, v as value
    from (
      select s.setdatabase as database, split_part(c, '=', 1) as k, substr(c, strpos(c, '=') + 1) as v
      from pg_db_role_setting s cross join unnest(s.setconfig) c
      where s.setrole = (select oid from pg_roles where rolname = 'authenticator')
        and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
    ) kv
    where k in ('pgrst.db_schemas', 'pgrst.db_max_rows', 'pgrst.db_extra_search_path')
    order by key, database desc`);
  const timeouts = await pool.query<{ rolname: string; value: string }>(`
    select r.rolname, split_part(c, '=', 2) as value
    from pg_db_role_setting s join pg_roles r on r.oid = s.setrole cross join unnest(s.setconfig) c
    where s.setdatabase = 0 and c like 'statement_timeout=%'`);
  const value = new Map(settings.rows.map((row) => [row.key, row.value]));
  const list = (text: string | undefined) => text?.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const schemas = list(value.get('db_schemas'));
  const maxRows = value.get('db_max_rows');
  return {
    schemas: schemas && schemas.length > 0 ? schemas : DEFAULTS.schemas,
    maxRows: maxRows === undefined ? DEFAULTS.maxRows : /^\d+$/.test(maxRows.trim()) ? Number(maxRows) : null,
    extraSearchPath: list(value.get('db_extra_search_path')) ?? DEFAULTS.extraSearchPath,
    roleTimeouts: new Map(timeouts.rows.map((row) => [row.rolname, row.value])),
  };
}

import type { ServerResponse } from 'node:http';
import type pg from 'pg';
import { loadApiRoles, resolveBearer, type ApiRoles } from '../http/bearer.ts';
import type { ApiRequest, ServiceHandler, StackContext } from '../http/context.ts';
import { BodyTooLargeError, header, readBody, sendEmpty, sendJson } from '../http/respond.ts';
import { decodePathSegment } from '../http/url.ts';
import { InputError } from '../input.ts';
import { RestError, singularity } from './errors.ts';
import { invalidBodyInput } from './input.ts';
import { parseColumnList, parsePrefer, parseSelect } from './parse.ts';
import { applyQuery, buildPlan, lookupRelation, type PlanNode } from './plan.ts';
import { renderCount, renderSelect, type RenderContext } from './render.ts';
import { callSql, resolveRoutine } from './rpc.ts';
import { EXPOSED_SCHEMA, loadSchemaCache, type Relation, type SchemaCache } from './schema.ts';
import { Aliases, Params, qualified } from './sql.ts';
import { listenForSchemaReloads } from './reload.ts';
import { inRequestTransaction, type RequestScope } from './transaction.ts';
import { deleteSql, insertSql, parseWriteBody, payloadColumns, updateSql } from './write.ts';

export interface RestService {
  readonly handle: ServiceHandler;
  /** Re-reads the catalog (tables, columns, relationships, functions) after schema changes. */
  reload(): Promise<void>;
  close(): Promise<void>;
}


const OBJECT_MEDIA = 'application/vnd.pgrst.object+json';

interface State {
  cache: SchemaCache;
  roles: ApiRoles;
  timeouts: Map<string, string>;
}

/** What the request asked for beyond the path: media type, preferences, the plan's query text. */
interface Shape {
  readonly single: boolean;
  readonly stripNulls: boolean;
  readonly csv: boolean;
  readonly prefer: Map<string, string>;
  readonly count: boolean;
  readonly head: boolean;
}

/** The statement's result as the response needs it: JSON text, row count, first row, total. */
interface ResultSet {
  readonly body: string;
  readonly rows: number;
  readonly first: string | null;
  readonly total: number | null;
}

/** PostgREST for schema `public`, run on superuser connections that switch role per transaction. */
export async function createRestService(context: StackContext, databaseUrl: string): Promise<RestService> {
  const state: State = await loadState(context.pool);
  // Requests wait for a reload in flight, so a table created just before is found.
  let reloading: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    const next = reloading.then(async () => {
      Object.assign(state, await loadState(context.pool));
    });
    reloading = next.catch((error: unknown) => {
      context.log(`rest: schema reload failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return next;
  };
  const stopListening = await listenForSchemaReloads(databaseUrl, () => void reload().catch(() => undefined));
  return {
    reload,
    close: stopListening,
    handle: async (request) => {
      try {
        await reloading;
        await handle(context, state, request);
      } catch (error) {
        if (error instanceof RestError) {
          if (!request.res.headersSent) sendJson(request.res, error.status, error.body(), error.headers);
          return;
        }
        throw error;
      }
    },
  };
}

async function loadState(pool: pg.Pool): Promise<State> {
  const [cache, roles, timeouts] = await Promise.all([loadSchemaCache(pool), loadApiRoles(pool), loadTimeouts(pool)]);
  return { cache, roles, timeouts };
}

/** `alter role … set statement_timeout`: PostgREST applies each role's settings in its transaction. */
async function loadTimeouts(pool: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ rolname: string; value: string }>(`
    select r.rolname, split_part(c, '=', 2) as value
    from pg_db_role_setting s join pg_roles r on r.oid = s.setrole cross join unnest(s.setconfig) c
    where s.setdatabase = 0 and c like 'statement_timeout=%'`);
  return new Map(rows.map((row) => [row.rolname, row.value]));
}

async function handle(context: StackContext, state: State, request: ApiRequest): Promise<void> {
  const { req, res } = request;
  const method = (req.method ?? 'GET').toUpperCase();
  const readOnly = method === 'GET' || method === 'HEAD';
  const profile = header(req, readOnly ? 'accept-profile' : 'content-profile');
  if (profile !== undefined && profile !== EXPOSED_SCHEMA) {
    throw new RestError(406, 'PGRST106', `Invalid schema: ${profile}`, null, `Only the following schemas are exposed: ${EXPOSED_SCHEMA}`);
  }
  const bearer = await resolveBearer(context.keys, req, request.apikey, request.apikeyRole, state.roles);
  if (!bearer.ok) {
    sendJson(res, bearer.failure.status, bearer.failure.body, bearer.failure.headers);
    return;
  }
  const claims = bearer.claims;
  const path = request.path;
  const accept = (header(req, 'accept') ?? '').toLowerCase();
  const prefer = parsePrefer(req.headers.prefer);
  const countPref = prefer.get('count');
  const shape: Shape = {
    single: accept.startsWith(OBJECT_MEDIA),
    stripNulls: accept.includes('nulls=stripped'),
    csv: accept.startsWith('text/csv'),
    prefer,
    count: countPref === 'exact' || countPref === 'planned' || countPref === 'estimated',
    head: method === 'HEAD',
  };
  const scope: RequestScope = {
    claims, method, path, req, readOnly, statementTimeout: state.timeouts.get(claims.role) ?? null,
  };
  const rpc = /^\/rpc\/([^/]+)$/.exec(path);
  if (rpc) {
    if (!['GET', 'HEAD', 'POST'].includes(method)) {
      throw new RestError(405, 'PGRST101', `Cannot use the ${method} method on RPC`);
    }
    await handleRpc(context, state, request, scope, shape, decodePathSegment(rpc[1] ?? ''));
    return;
  }
  const table = /^\/([^/]+)$/.exec(path);
  if (!table) {
    if (path === '/' || path === '') throw new RestError(404, 'PGRST126', 'Root endpoint metadata is disabled');
    throw new RestError(404, 'PGRST125', 'Invalid path specified in request URL');
  }
  const relation = lookupRelation(state.cache, decodePathSegment(table[1] ?? ''));
  if (readOnly) await handleRead(context, state, request, scope, shape, relation);
  else if (method === 'POST' || method === 'PATCH' || method === 'DELETE') {
    await handleWrite(context, state, request, scope, shape, relation, method);
  } else throw new RestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
}

function planFor(state: State, relation: Relation, url: URL, aliases: Aliases, skip?: ReadonlySet<string>): PlanNode {
  const root = buildPlan(state.cache, relation, parseSelect(url.searchParams.get('select') ?? '*'), aliases);
  applyQuery(root, url.searchParams, skip);
  return root;
}

/** `select json_agg(...)` around a node's select: the body in Postgres' own JSON, plus counts. */
function aggregate(inner: string, shape: Shape): string {
  const row = shape.stripNulls ? 'json_strip_nulls(row_to_json(_r))' : 'row_to_json(_r)';
  return `select coalesce(json_agg(${row}), '[]')::text as body, count(*)::int as rows, (json_agg(${row})->0)::text as first from (${inner}) _r`;
}

async function runAggregate(client: pg.PoolClient, sql: string, params: Params): Promise<{ body: string; rows: number; first: string | null }> {
  const result = await client.query<{ body: string; rows: number; first: string | null }>(sql, params.values);
  const row = result.rows[0];
  return row ?? { body: '[]', rows: 0, first: null };
}

async function handleRead(
  context: StackContext, state: State, request: ApiRequest, scope: RequestScope, shape: Shape, relation: Relation,
): Promise<void> {
  const aliases = new Aliases();
  const root = planFor(state, relation, request.url, aliases);
  const source = qualified(relation.name);
  const result = await inRequestTransaction(context.pool, scope, async (client) => {
    const params = new Params();
    const ctx: RenderContext = { cache: state.cache, params };
    const set = await runAggregate(client, aggregate(renderSelect(ctx, root, source), shape), params);
    let total: number | null = null;
    if (shape.count) {
      const countParams = new Params();
      const counted = await client.query<{ count: string }>(renderCount({ cache: state.cache, params: countParams }, root, source), countParams.values);
      total = Number(counted.rows[0]?.count ?? 0);
    }
    return { value: { ...set, total }, commit: shape.prefer.get('tx') !== 'rollback' };
  });
  sendRead(request.res, shape, result, root.offset ?? 0);
}

function contentRange(offset: number, rows: number, total: number | null): string {
  const range = rows > 0 ? `${offset}-${offset + rows - 1}` : '*';
  return `${range}/${total === null ? '*' : total}`;
}

function sendRead(res: ServerResponse, shape: Shape, result: ResultSet, offset: number): void {
  const headers: Record<string, string> = { 'Content-Range': contentRange(offset, result.rows, result.total) };
  if (shape.count) headers['Preference-Applied'] = `count=${shape.prefer.get('count') ?? 'exact'}`;
  if (shape.single && result.rows !== 1) throw singularity(result.rows);
  let status = 200;
  if (result.total !== null) {
    if (offset > result.total) {
      throw new RestError(416, 'PGRST103', 'Requested range not satisfiable',
        `An offset of ${offset} was requested, but there are only ${result.total} rows.`, null, headers);
    }
    if (result.rows < result.total) status = 206;
  }
  sendBody(res, status, shape, result, headers);
}

function sendBody(res: ServerResponse, status: number, shape: Shape, result: ResultSet, headers: Record<string, string>): void {
  let text: string;
  let type: string;
  if (shape.single) {
    text = result.first ?? 'null';
    type = `${OBJECT_MEDIA}; charset=utf-8`;
  } else if (shape.csv) {
    text = toCsv(result.body);
    type = 'text/csv; charset=utf-8';
  } else {
    text = result.body;
    type = 'application/json; charset=utf-8';
  }
  res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(shape.head ? undefined : text);
}

function toCsv(json: string): string {
  const rows = JSON.parse(json) as Record<string, unknown>[];
  const first = rows[0];
  if (!first) return '';
  const columns = Object.keys(first);
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\n');
}

async function readJsonBody(request: ApiRequest): Promise<string> {
  try {
    return await readBody(request.req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new RestError(413, 'PGRST102', 'Request body too large');
    if (error instanceof InputError) throw invalidBodyInput(error);
    throw error;
  }
}

async function handleWrite(
  context: StackContext, state: State, request: ApiRequest, scope: RequestScope, shape: Shape, relation: Relation,
  method: 'POST' | 'PATCH' | 'DELETE',
): Promise<void> {
  const { url, res } = request;
  const prefer = shape.prefer;
  const representation = prefer.get('return') === 'representation';
  const headersOnly = prefer.get('return') === 'headers-only';
  const applied: string[] = [];
  const aliases = new Aliases();
  const root = planFor(state, relation, url, aliases);
  const params = new Params();
  const ctx: RenderContext = { cache: state.cache, params };
  let dml: string;
  let inserting = false;
  if (method === 'POST') {
    inserting = true;
    const body = parseWriteBody(await readJsonBody(request), true);
    const columnsParam = url.searchParams.get('columns');
    const names = columnsParam !== null
      ? parseColumnList(columnsParam, 'columns parameter')
      : [...new Set(body.flatMap((row) => Object.keys(row)))];
    const resolutionPref = prefer.get('resolution');
    const resolution = resolutionPref === 'merge-duplicates' ? 'merge' : resolutionPref === 'ignore-duplicates' ? 'ignore' : null;
    if (resolution) applied.push(`resolution=${resolutionPref ?? ''}`);
    const missingDefault = prefer.get('missing') === 'default';
    if (missingDefault) applied.push('missing=default');
    const onConflictParam = url.searchParams.get('on_conflict');
    const onConflict = onConflictParam === null ? [] : parseColumnList(onConflictParam, 'on_conflict parameter');
    for (const name of onConflict) if (!relation.columns.has(name)) throw new RestError(400, '42703', `column ${relation.name}.${name} does not exist`);
    dml = insertSql(ctx, relation, root.alias, body, {
      columns: payloadColumns(relation, names), missingDefault, resolution, onConflict, returning: representation,
    });
  } else if (method === 'PATCH') {
    const rows = parseWriteBody(await readJsonBody(request), false);
    const body = rows[0] ?? {};
    const columns = payloadColumns(relation, Object.keys(body));
    if (columns.length === 0) {
      if (representation) sendJson(res, 200, '[]');
      else sendEmpty(res, 204);
      return;
    }
    dml = updateSql(ctx, root, body, columns, representation);
  } else {
    dml = deleteSql(ctx, root, representation);
  }
  if (representation) applied.push('return=representation');
  else if (headersOnly) applied.push('return=headers-only');
  else if (prefer.get('return') === 'minimal') applied.push('return=minimal');
  if (shape.count) applied.push(`count=${prefer.get('count') ?? 'exact'}`);
  const rollback = prefer.get('tx') === 'rollback';
  if (prefer.has('tx')) applied.push(`tx=${prefer.get('tx') ?? ''}`);
  const strict = prefer.get('handling') === 'strict';
  const maxAffected = prefer.has('max-affected') ? Number(prefer.get('max-affected')) : null;
  if (strict && maxAffected !== null && Number.isInteger(maxAffected)) applied.push('handling=strict', `max-affected=${maxAffected}`);

  const result = await inRequestTransaction(context.pool, scope, async (client) => {
    let set: ResultSet;
    if (representation) {
      root.filters.length = 0;
      const sql = `with _w as (${dml}) ${aggregate(renderSelect(ctx, root, '_w'), shape)}`;
      set = { ...(await runAggregate(client, sql, params)), total: null };
    } else {
      const done = await client.query(dml, params.values);
      set = { body: '', rows: done.rowCount ?? 0, first: null, total: null };
    }
    if (strict && maxAffected !== null && set.rows > maxAffected) {
      throw new RestError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${set.rows} rows`);
    }
    if (shape.single && representation && set.rows !== 1) throw singularity(set.rows);
    return { value: set, commit: !rollback };
  });

  const headers: Record<string, string> = {};
  if (applied.length > 0) headers['Preference-Applied'] = applied.join(', ');
  const total = shape.count ? result.rows : null;
  headers['Content-Range'] = method === 'PATCH' && result.rows > 0
    ? `0-${result.rows - 1}/${total ?? '*'}`
    : `*/${total ?? '*'}`;
  if (representation) {
    sendBody(res, inserting ? 201 : 200, shape, result, headers);
    return;
  }
  sendEmpty(res, inserting ? 201 : 204, headers);
}

async function handleRpc(
  context: StackContext, state: State, request: ApiRequest, scope: RequestScope, shape: Shape, name: string,
): Promise<void> {
  const { url, req } = request;
  let args: Record<string, unknown> = {};
  const skip = new Set<string>();
  const overloads = state.cache.routines.get(name) ?? [];
  if (req.method === 'POST') {
    const text = await readJsonBody(request);
    if (text.trim() !== '') {
      const rows = parseWriteBody(text, false);
      args = rows[0] ?? {};
    }
  } else {
    const argNames = new Set(overloads.flatMap((routine) => routine.args.map((arg) => arg.name)));
    const reserved = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict', 'or', 'and', 'not.or', 'not.and']);
    for (const [key, value] of url.searchParams) {
      if (reserved.has(key)) continue;
      if (argNames.has(key) || overloads.length === 0) {
        args[key] = value;
        skip.add(key);
      }
    }
  }
  const routine = resolveRoutine(state.cache, name, Object.keys(args));
  const params = new Params();
  const ctx: RenderContext = { cache: state.cache, params };
  const { from, call } = callSql(routine, args, params);
  const fromClause = (tail: string) => (from === '' ? tail : `${from} cross join lateral ${tail}`);
  const commit = shape.prefer.get('tx') !== 'rollback';
  const minimal = shape.prefer.get('return') === 'minimal';

  if (routine.returns === 'setof-composite' || routine.returns === 'single-composite') {
    const relation = routine.resultRelation;
    if (!relation) throw new RestError(500, 'PGRSTX00', `Unsupported return type of public.${name}`);
    const root = planFor(state, relation, url, new Aliases(), skip);
    const source = fromClause(call);
    const result = await inRequestTransaction(context.pool, scope, async (client) => {
      const set = await runAggregate(client, aggregate(renderSelect(ctx, root, source), shape), params);
      let total: number | null = null;
      if (shape.count) {
        const countParams = new Params();
        const again = callSql(routine, args, countParams);
        const countSource = again.from === '' ? again.call : `${again.from} cross join lateral ${again.call}`;
        const counted = await client.query<{ count: string }>(renderCount({ cache: state.cache, params: countParams }, root, countSource), countParams.values);
        total = Number(counted.rows[0]?.count ?? 0);
      }
      return { value: { ...set, total }, commit };
    });
    if (minimal) {
      sendEmpty(request.res, 204);
      return;
    }
    if (routine.returns === 'single-composite' && !shape.single) {
      sendBody(request.res, 200, { ...shape, single: true }, { ...result, first: result.first ?? 'null' }, {
        'Content-Range': contentRange(0, result.rows, result.total),
      });
      return;
    }
    sendRead(request.res, shape, result, root.offset ?? 0);
    return;
  }

  const limit = url.searchParams.get('limit');
  const offset = url.searchParams.get('offset');
  const result = await inRequestTransaction(context.pool, scope, async (client) => {
    if (routine.returns === 'setof-scalar') {
      let sql = `select _t0._v from ${fromClause(`${call} as _t0(_v)`)}`;
      if (limit !== null && /^\d+$/.test(limit)) sql += ` limit ${params.add(Number(limit))}`;
      if (offset !== null && /^\d+$/.test(offset)) sql += ` offset ${params.add(Number(offset))}`;
      const rows = await client.query<{ body: string; rows: number; first: string | null }>(
        `select coalesce(json_agg(_s._v), '[]')::text as body, count(*)::int as rows, (json_agg(_s._v)->0)::text as first from (${sql}) _s`,
        params.values,
      );
      const row = rows.rows[0] ?? { body: '[]', rows: 0, first: null };
      return { value: { ...row, total: shape.count ? row.rows : null }, commit };
    }
    const rows = await client.query<{ body: string | null }>(
      `select to_json(${call})::text as body${from === '' ? '' : ` from ${from}`}`, params.values);
    const body = rows.rows[0]?.body ?? 'null';
    return { value: { body, rows: 1, first: body, total: shape.count ? 1 : null }, commit };
  });
  if (routine.returns === 'void' || minimal) {
    sendEmpty(request.res, 204);
    return;
  }
  if (routine.returns === 'setof-scalar') {
    sendRead(request.res, shape, result, 0);
    return;
  }
  sendBody(request.res, 200, { ...shape, single: false }, result, { 'Content-Range': contentRange(0, 1, result.total) });
}


import pg from 'pg';
import { loadApiRoles, resolveBearer } from '../http/bearer.ts';
import type { ApiRequest, ServiceHandler, StackContext } from '../http/context.ts';
import { BodyTooLargeError, header, readBody, sendJson } from '../http/respond.ts';
import { decodePathSegment } from '../http/url.ts';
import { handleCall } from './call.ts';
import { loadConfig } from './config.ts';
import { InputError } from '../input.ts';
import { RestError } from './errors.ts';
import { invalidBodyInput } from './input.ts';
import { handleWrite } from './mutate.ts';
import { negotiateOutput, negotiateProfile } from './negotiate.ts';
import { parseSelect } from './parse.ts';
import { applyQuery, buildPlan, lookupRelation, type PlanNode } from './plan.ts';
import { parsePreferences } from './prefer.ts';
import { handleRead } from './read.ts';
import { listenForSchemaReloads } from './reload.ts';
import type { RestExchange, State } from './request.ts';
import { loadSchemaCache, type Relation } from './schema.ts';
import { Aliases } from './sql.ts';
import type { RequestScope } from './transaction.ts';

export interface RestService {
  readonly handle: ServiceHandler;
  /** Re-reads the configuration and the catalog (tables, columns, relationships, functions) after changes. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** PostgREST for the exposed schemas, run on superuser connections that switch role per transaction. */
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
  // The requests' own connections, pipelining: a request's BEGIN, settings and first statement
  // leave together (transaction.ts). The stack's shared pool keeps one query in flight at a time.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 20, idleTimeoutMillis: 10_000, pipeline: true });
  // An idle connection lost (a server restart) must not crash the process.
  pool.on('error', () => undefined);
  return {
    reload,
    close: async () => {
      await stopListening();
      await pool.end();
    },
    handle: async (request) => {
      try {
        await reloading;
        await handle(context, pool, state, request);
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
  const [config, roles] = await Promise.all([loadConfig(pool), loadApiRoles(pool)]);
  return { config, roles, cache: await loadSchemaCache(pool, config.schemas) };
}

async function handle(context: StackContext, pool: pg.Pool, state: State, request: ApiRequest): Promise<void> {
  const { req, res } = request;
  const method = (req.method ?? 'GET').toUpperCase();
  const readOnly = method === 'GET' || method === 'HEAD';
  const profile = negotiateProfile(req, method, state.config.schemas);
  const bearer = await resolveBearer(context.keys, req, request.apikey, request.apikeyRole, state.roles);
  if (!bearer.ok) {
    sendJson(res, bearer.failure.status, bearer.failure.body, bearer.failure.headers);
    return;
  }
  const claims = bearer.claims;
  const path = request.path;
  const scope: RequestScope = {
    claims, method, path, req, readOnly, statementTimeout: state.config.roleTimeouts.get(claims.role) ?? null,
    searchPath: [profile.schema, ...state.config.extraSearchPath],
  };
  const rpc = /^\/rpc\/([^/]+)$/.exec(path);
  const table = /^\/([^/]+)$/.exec(path);
  if (rpc && !['GET', 'HEAD', 'POST'].includes(method)) {
    throw new RestError(405, 'PGRST101', `Cannot use the ${method} method on RPC`);
  }
  if (!rpc && !table) {
    if (path === '/' || path === '') throw new RestError(404, 'PGRST126', 'Root endpoint metadata is disabled');
    throw new RestError(404, 'PGRST125', 'Invalid path specified in request URL');
  }
  const relation = rpc ? null : lookupRelation(state.cache, profile.schema, decodePathSegment(table?.[1] ?? ''));
  if (relation && !readOnly && method !== 'POST' && method !== 'PATCH' && method !== 'DELETE') {
    throw new RestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
  }
  const exchange: RestExchange = {
    context, pool, state, request, scope, method, profile,
    prefs: parsePreferences(req.headers.prefer),
    output: negotiateOutput(header(req, 'accept')),
    readBody: () => readJsonBody(request),
    plan: (target, skip) => planFor(state, target, request.url, new Aliases(), skip),
  };
  if (rpc) await handleCall(exchange, decodePathSegment(rpc[1] ?? ''));
  else if (relation && readOnly) await handleRead(exchange, relation);
  else if (relation) await handleWrite(exchange, relation, method as 'POST' | 'PATCH' | 'DELETE');
}

function planFor(state: State, relation: Relation, url: URL, aliases: Aliases, skip?: ReadonlySet<string>): PlanNode {
  const root = buildPlan(state.cache, relation, parseSelect(url.searchParams.get('select') ?? '*'), aliases);
  applyQuery(root, url.searchParams, skip);
  return root;
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

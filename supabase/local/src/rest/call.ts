import { BodyTooLargeError, header, readRawBody, sendEmpty } from '../http/respond.ts';
import { RestError, singularity } from './errors.ts';
import { aggregate, runAggregate, sendBody, sendRead, type ResultSet } from './output.ts';
import { OPERATORS, parseColumnList } from './parse.ts';
import { checkStrict, maxAffected, preferenceApplied } from './prefer.ts';
import { contentRange, requestRange } from './range.ts';
import { limitRows } from './read.ts';
import { renderCountSource, renderSelect } from './render.ts';
import type { RestExchange } from './request.ts';
import { callSql, resolveRoutine, type ArgumentSource, type CallArguments } from './rpc.ts';
import { Params } from './sql.ts';
import { inRequestTransaction } from './transaction.ts';
import { parseWriteBody } from './write.ts';

/** Query parameters that are never RPC arguments on GET (QueryParams.hs `reserved`, `reservedEmbeddable`). */
const RESERVED = new Set(['select', 'columns', 'on_conflict']);
const RESERVED_LAST = new Set(['order', 'limit', 'offset', 'and', 'or']);
/** A value PostgREST parses as a filter (`eq.1`, `not.in.(1,2)`, `fts(english).x`) rather than an argument. */
const FILTER_VALUE = new RegExp(`^(not\\.)?(${OPERATORS.join('|')})(\\([^)]*\\))?\\.`);

/** What the call was given: the keys resolution looks at, and the values passed on. */
interface Given {
  readonly source: ArgumentSource;
  readonly keys: ReadonlySet<string>;
  readonly values: Record<string, unknown>;
  readonly raw: string | Buffer | null;
  /** GET parameters used as arguments, so they are not read as filters. */
  readonly consumed: ReadonlySet<string>;
}

/** GET/HEAD/POST /rpc/<name>: resolve the function like PostgREST, call it, shape the result. */
export async function handleCall(exchange: RestExchange, name: string): Promise<void> {
  const { state, prefs, profile } = exchange;
  const given = await readArguments(exchange);
  const routine = resolveRoutine(state.cache, profile.schema, name, given.keys, given.source);
  checkStrict(prefs);
  const limit = maxAffected(prefs);
  if (limit !== null && !routine.returns.startsWith('setof')) {
    throw new RestError(400, 'PGRST128', 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict');
  }
  const only = routine.args[0];
  const args: CallArguments = routine.args.length === 1 && only?.name === '' && given.raw !== null
    ? { kind: 'raw', value: given.raw } : { kind: 'named', values: given.values };
  // Stable and immutable functions run read-only, like GET (MainTx.hs `planTxMode`).
  const scope = { ...exchange.scope, readOnly: exchange.scope.readOnly || routine.volatility !== 'v' };
  const params = new Params();
  const { from, call } = callSql(routine, args, params);
  const fromClause = (tail: string) => (from === '' ? tail : `${from} cross join lateral ${tail}`);
  const commit = prefs.tx !== 'rollback';
  const headers: Record<string, string> = {};
  const applied = preferenceApplied(prefs, 'call');
  if (applied !== null) headers['Preference-Applied'] = applied;

  // Nothing in the answer can undo the call (no max-affected, no single object), so COMMIT can go
  // right behind it: one round trip less before the other person's frame leaves.
  const ahead = { commitAhead: commit && limit === null && exchange.output.kind !== 'object' };
  const checkAffected = (set: ResultSet) => {
    if (limit !== null && set.rows > limit) {
      throw new RestError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${set.rows} rows`);
    }
    if (exchange.output.kind === 'object' && set.rows !== 1) throw singularity(set.rows);
  };

  // The function runs once: its rows are materialised, then shaped, filtered and counted.
  const results = `with _src as materialized (select _f.* from ${fromClause(`${call} as _f`)})`;
  const counted = prefs.count === 'exact' || prefs.count === 'estimated';
  if (routine.returns === 'setof-composite' || routine.returns === 'single-composite') {
    const relation = routine.resultRelation;
    if (!relation) throw new RestError(500, 'PGRSTX00', `Unsupported return type of ${routine.schema}.${name}`);
    const root = exchange.plan(relation, given.consumed);
    limitRows(exchange, root);
    const ctx = { cache: state.cache, params };
    const total = counted ? `(select count(*) from (${renderCountSource(ctx, root, '_src')}) _c)` : 'null';
    const result = await inRequestTransaction(exchange.pool, scope, async (client) => {
      const value = await runAggregate(client, `${results} ${aggregate(renderSelect(ctx, root, '_src'), exchange.output, total)}`, params);
      checkAffected(value);
      return { value, commit };
    }, ahead);
    if (routine.returns === 'single-composite' && exchange.output.kind === 'json') {
      sendBody(exchange, 200, { ...result, body: result.first ?? 'null' }, { ...headers, 'Content-Range': contentRange(0, result.rows, result.total) });
      return;
    }
    sendRead(exchange, result, root.offset ?? 0, headers);
    return;
  }

  const url = exchange.request.url;
  const number = (value: string | null) => (value !== null && /^\d+$/.test(value) ? Number(value) : null);
  const range = requestRange(number(url.searchParams.get('offset')), number(url.searchParams.get('limit')),
    header(exchange.request.req, 'range'), exchange.method, state.config.maxRows);
  const result = await inRequestTransaction(exchange.pool, scope, async (client) => {
    let value: ResultSet;
    if (routine.returns === 'setof-scalar') {
      let page = 'select _src._f as _v from _src';
      if (range.limit !== null) page += ` limit ${params.add(range.limit)}`;
      if (range.offset > 0) page += ` offset ${params.add(range.offset)}`;
      value = await runAggregate(client, `${results} select coalesce(json_agg(_s._v), '[]')::text as body, count(*)::int as rows,
        (json_agg(_s._v)->0)::text as first, ${counted ? '(select count(*) from _src)' : 'null'}::bigint as total from (${page}) _s`, params);
    } else {
      const rows = await client.query<{ body: string | null }>(
        `select to_json(${call})::text as body${from === '' ? '' : ` from ${from}`}`, params.values);
      const body = rows.rows[0]?.body ?? 'null';
      value = { body, rows: 1, first: body, total: counted ? 1 : null };
    }
    checkAffected(value);
    return { value, commit };
  }, ahead);
  if (routine.returns === 'void') {
    sendEmpty(exchange.request.res, 204, headers);
    return;
  }
  if (routine.returns === 'setof-scalar') {
    sendRead(exchange, result, range.offset, headers);
    return;
  }
  sendBody(exchange, 200, result, { ...headers, 'Content-Range': contentRange(0, 1, result.total) });
}

async function readArguments(exchange: RestExchange): Promise<Given> {
  const { request } = exchange;
  const url = request.url;
  if (exchange.method !== 'POST') {
    const values: Record<string, string> = {};
    for (const [key, value] of url.searchParams) {
      if (RESERVED.has(key) || RESERVED_LAST.has(key.split('.').at(-1) ?? '') || FILTER_VALUE.test(value)) continue;
      values[key] = value;
    }
    return { source: 'query', keys: new Set(Object.keys(values)), values, raw: null, consumed: new Set(Object.keys(values)) };
  }
  const type = (header(request.req, 'content-type') ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/octet-stream') return { source: 'binary', keys: new Set(), values: {}, raw: await readBinary(exchange), consumed: new Set() };
  if (type === 'text/plain' || type === 'text/xml') {
    const raw = await exchange.readBody();
    // Postgres refuses NUL in text without saying where it was; say it.
    if (raw.includes('\u0000')) {
      throw new RestError(400, '22021', 'invalid byte sequence for encoding "UTF8": 0x00', 'The request body (the function\'s text argument) contains a NUL character.');
    }
    return { source: type === 'text/plain' ? 'text' : 'xml', keys: new Set(), values: {}, raw, consumed: new Set() };
  }
  const text = await exchange.readBody();
  const rows = text.trim() === '' ? [{}] : parseWriteBody(text, true);
  const first = rows[0] ?? {};
  const keys = Object.keys(first);
  if (rows.some((row) => Object.keys(row).length !== keys.length || !keys.every((key) => Object.hasOwn(row, key)))) {
    throw new RestError(400, 'PGRST102', 'All object keys must match');
  }
  const columns = url.searchParams.get('columns');
  const named = columns === null ? keys : parseColumnList(columns, 'columns parameter');
  return { source: 'json', keys: new Set(named), values: first, raw: text.trim() === '' ? '{}' : text, consumed: new Set() };
}

async function readBinary(exchange: RestExchange): Promise<Buffer> {
  try {
    return await readRawBody(exchange.request.req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new RestError(413, 'PGRST102', 'Request body too large');
    throw error;
  }
}

import { sendEmpty } from '../http/respond.ts';
import { RestError, singularity } from './errors.ts';
import { aggregate, runAggregate, sendBody, type ResultSet } from './output.ts';
import { parseColumnList } from './parse.ts';
import { checkStrict, maxAffected, preferenceApplied } from './prefer.ts';
import { renderSelect, type RenderContext } from './render.ts';
import type { RestExchange } from './request.ts';
import type { Relation } from './schema.ts';
import { Params } from './sql.ts';
import { inRequestTransaction } from './transaction.ts';
import { deleteSql, INSERTED_SQL, insertSql, parseWriteBody, payloadColumns, updateSql } from './write.ts';

type Mutation = 'POST' | 'PATCH' | 'DELETE';

/**
 * POST, PATCH and DELETE on a table, answered as PostgREST's Response.hs does: an insert is 201,
 * but 200 when `resolution=merge-duplicates` inserted no row; max-affected limits updates and deletes.
 */
export async function handleWrite(exchange: RestExchange, relation: Relation, method: Mutation): Promise<void> {
  const { prefs, request } = exchange;
  const url = request.url;
  const representation = prefs.representation === 'representation';
  const root = exchange.plan(relation);
  const params = new Params();
  const ctx: RenderContext = { cache: exchange.state.cache, params };
  let dml: string;
  let resolvable = false;
  let merging = false;
  if (method === 'POST') {
    const body = parseWriteBody(await exchange.readBody(), true);
    const columnsParam = url.searchParams.get('columns');
    const names = columnsParam !== null
      ? parseColumnList(columnsParam, 'columns parameter')
      : [...new Set(body.flatMap((row) => Object.keys(row)))];
    const onConflictParam = url.searchParams.get('on_conflict');
    const onConflict = onConflictParam === null ? [] : parseColumnList(onConflictParam, 'on_conflict parameter');
    for (const name of onConflict) if (!relation.columns.has(name)) throw new RestError(400, '42703', `column ${relation.name}.${name} does not exist`);
    const conflictTarget = onConflict.length > 0 ? onConflict : relation.primaryKey;
    resolvable = conflictTarget.length > 0;
    const resolution = !resolvable ? null : prefs.resolution === 'merge-duplicates' ? 'merge' : prefs.resolution === 'ignore-duplicates' ? 'ignore' : null;
    merging = resolution === 'merge';
    dml = insertSql(ctx, relation, root.alias, body, {
      columns: payloadColumns(relation, names), missingDefault: prefs.missing === 'default', resolution, conflictTarget, returning: representation,
    });
  } else if (method === 'PATCH') {
    const rows = parseWriteBody(await exchange.readBody(), false);
    const body = rows[0] ?? {};
    const columns = payloadColumns(relation, Object.keys(body));
    if (columns.length === 0) {
      if (representation) sendBody(exchange, 200, { body: '[]', rows: 0, first: null, total: null }, {});
      else sendEmpty(request.res, 204);
      return;
    }
    dml = updateSql(ctx, root, body, columns, representation, prefs.missing === 'default');
  } else {
    dml = deleteSql(ctx, root, representation);
  }
  checkStrict(prefs);
  const limit = method === 'POST' ? null : maxAffected(prefs);

  const { set, inserted } = await inRequestTransaction(exchange.pool, exchange.scope, async (client) => {
    let set: ResultSet;
    if (representation) {
      root.filters.length = 0;
      const sql = `with _w as (${dml}) ${aggregate(renderSelect(ctx, root, '_w'), exchange.output)}`;
      set = { ...(await runAggregate(client, sql, params)), total: null };
    } else {
      const done = await client.query(dml, params.values);
      set = { body: '', rows: done.rowCount ?? 0, first: null, total: null };
    }
    if (limit !== null && set.rows > limit) {
      throw new RestError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${set.rows} rows`);
    }
    if (exchange.output.kind === 'object' && representation && set.rows !== 1) throw singularity(set.rows);
    const inserted = merging ? (await client.query<{ inserted: number }>(INSERTED_SQL)).rows[0]?.inserted ?? 0 : null;
    return { value: { set, inserted }, commit: prefs.tx !== 'rollback' };
  });

  const headers: Record<string, string> = {};
  const applied = preferenceApplied(prefs, method === 'POST' ? 'insert' : method === 'PATCH' ? 'update' : 'delete', resolvable);
  if (applied !== null) headers['Preference-Applied'] = applied;
  const total = prefs.count === 'exact' || prefs.count === 'estimated' ? String(set.rows) : '*';
  headers['Content-Range'] = method === 'PATCH' && set.rows > 0 ? `0-${set.rows - 1}/${total}` : `*/${total}`;
  const status = method === 'POST' ? (inserted !== null && inserted <= 0 ? 200 : 201) : representation ? 200 : 204;
  if (representation) sendBody(exchange, status, set, headers);
  else sendEmpty(request.res, status, headers);
}

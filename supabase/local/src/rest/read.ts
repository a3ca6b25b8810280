import type pg from 'pg';
import { header } from '../http/respond.ts';
import { aggregate, runAggregate, sendRead } from './output.ts';
import { capEmbeds, type PlanNode } from './plan.ts';
import { checkStrict, preferenceApplied } from './prefer.ts';
import { requestRange } from './range.ts';
import { renderCountSource, renderSelect, type RenderContext } from './render.ts';
import type { RestExchange } from './request.ts';
import type { Relation } from './schema.ts';
import { Params, qualified } from './sql.ts';
import { inRequestTransaction } from './transaction.ts';

/** GET/HEAD on a table or view. */
export async function handleRead(exchange: RestExchange, relation: Relation): Promise<void> {
  const { state, prefs } = exchange;
  const root = exchange.plan(relation);
  checkStrict(prefs);
  limitRows(exchange, root);
  const source = qualified(relation);
  const result = await inRequestTransaction(exchange.pool, exchange.scope, async (client) => {
    const params = new Params();
    const set = await runAggregate(client, aggregate(renderSelect({ cache: state.cache, params }, root, source), exchange.output), params);
    const total = await countRows(exchange, client, root, source);
    return { value: { ...set, total }, commit: prefs.tx !== 'rollback' };
  });
  const applied = preferenceApplied(prefs, 'read');
  sendRead(exchange, result, root.offset ?? 0, applied === null ? {} : { 'Preference-Applied': applied });
}

/** The top-level range (offset, limit, Range header) and db-max-rows on every node of a read. */
export function limitRows(exchange: RestExchange, root: PlanNode): void {
  const range = requestRange(root.offset, root.limit, header(exchange.request.req, 'range'), exchange.method, exchange.state.config.maxRows);
  root.offset = range.offset > 0 ? range.offset : null;
  root.limit = range.limit;
  capEmbeds(root, exchange.state.config.maxRows);
}

/**
 * The total for `Prefer: count=…` (MainTx.hs): `exact` counts; `planned` is the planner's row
 * estimate for the same query; `estimated` counts up to db-max-rows and takes the larger of that
 * and the estimate beyond it.
 */
async function countRows(exchange: RestExchange, client: pg.PoolClient, root: PlanNode, source: string): Promise<number | null> {
  const mode = exchange.prefs.count;
  if (mode === null) return null;
  const maxRows = exchange.state.config.maxRows;
  const rows = (ctx: RenderContext) => renderCountSource(ctx, root, source);
  const exact = async (limit: number | null) => {
    const params = new Params();
    const inner = rows({ cache: exchange.state.cache, params });
    const sql = `select count(*)::bigint as count from (${inner}${limit === null ? '' : ` limit ${params.add(limit)}`}) _c`;
    const counted = await client.query<{ count: string }>(sql, params.values);
    return Number(counted.rows[0]?.count ?? 0);
  };
  const planned = async () => {
    const params = new Params();
    const plan = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
      `explain (format json) ${rows({ cache: exchange.state.cache, params })}`, params.values);
    return plan.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? null;
  };
  if (mode === 'exact') return exact(null);
  if (mode === 'planned') return planned();
  const limited = await exact(maxRows === null ? null : maxRows + 1);
  if (maxRows !== null && limited <= maxRows) return limited;
  return Math.max(limited, (await planned()) ?? 0);
}

import type pg from 'pg';
import { singularity } from './errors.ts';
import { CONTENT_TYPES, type Output } from './negotiate.ts';
import { contentRange, rangeStatus } from './range.ts';
import type { RestExchange } from './request.ts';
import type { Params } from './sql.ts';

// The response body in the negotiated media type, built in Postgres like PostgREST's aggregates
// (SqlFragment.hs `asJsonF`, `asJsonSingleF`, `asGeoJsonF`), and the headers that describe it.

/** The statement's result as the response needs it: body text, row count, first row, total. */
export interface ResultSet {
  readonly body: string;
  readonly rows: number;
  readonly first: string | null;
  readonly total: number | null;
}

/**
 * `select <body>, <rows>, <first row>, <total>` around a node's select, in the negotiated
 * representation; `total` is an SQL expression (a count subquery) or null.
 */
export function aggregate(inner: string, output: Output, total = 'null'): string {
  const strip = (output.kind === 'json' || output.kind === 'object') && output.stripNulls;
  const row = strip ? 'json_strip_nulls(row_to_json(_r))' : 'row_to_json(_r)';
  // PostGIS provides ST_AsGeoJSON; without it Postgres answers 42883, as it does behind PostgREST.
  const body = output.kind === 'geojson'
    ? "json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(ST_AsGeoJSON(_r)::json), '[]'))::text"
    : `coalesce(json_agg(${row}), '[]')::text`;
  return `select ${body} as body, count(*)::int as rows, (json_agg(${row})->0)::text as first, ${total}::bigint as total from (${inner}) _r`;
}

export async function runAggregate(client: pg.PoolClient, sql: string, params: Params): Promise<ResultSet> {
  const result = await client.query<{ body: string; rows: number; first: string | null; total: string | null }>(sql, params.values);
  const row = result.rows[0];
  return row ? { ...row, total: row.total === null ? null : Number(row.total) } : { body: '[]', rows: 0, first: null, total: null };
}

/** Headers every body-carrying response has: Content-Profile when the schema was negotiated. */
export function profileHeaders(exchange: RestExchange): Record<string, string> {
  return exchange.profile.announce ? { 'Content-Profile': exchange.profile.schema } : {};
}

/** A read's answer: 200/206/416 from the page and the total, Content-Range, then the body. */
export function sendRead(exchange: RestExchange, result: ResultSet, offset: number, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'Content-Range': contentRange(offset, result.rows, result.total), ...extra };
  if (exchange.output.kind === 'object' && result.rows !== 1) throw singularity(result.rows);
  const status = rangeStatus(offset, result.rows, result.total, headers);
  sendBody(exchange, status, result, headers);
}

export function sendBody(exchange: RestExchange, status: number, result: ResultSet, headers: Record<string, string>): void {
  const { output } = exchange;
  const text = output.kind === 'object' ? result.first ?? 'null' : output.kind === 'csv' ? toCsv(result.body) : result.body;
  exchange.request.res.writeHead(status, {
    ...headers, ...profileHeaders(exchange), 'Content-Type': CONTENT_TYPES[output.kind], 'Content-Length': String(Buffer.byteLength(text)),
  });
  exchange.request.res.end(exchange.method === 'HEAD' ? undefined : text);
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

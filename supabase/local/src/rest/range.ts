import { RestError } from './errors.ts';

// Which rows a read returns and how the response describes them (RangeQuery.hs, ApiRequest.hs
// `getRanges`): `offset`/`limit` intersected with a GET's `Range: <from>-<to>` header, then capped
// by db-max-rows; Content-Range and 200/206/416 from the page and the total.

/** Rows `offset .. offset + limit - 1`; `limit` null means no upper bound. */
export interface RowRange {
  readonly offset: number;
  readonly limit: number | null;
}

/** The top-level range of a read; 416 PGRST103 when offset, limit and Range leave nothing. */
export function requestRange(
  offset: number | null, limit: number | null, rangeHeader: string | undefined, method: string, maxRows: number | null,
): RowRange {
  // `limit=0` asks for no rows on purpose; only the Range header cannot.
  if (limit === 0) return { offset: offset ?? 0, limit: 0 };
  let lower = offset ?? 0;
  let upper = limit === null ? Infinity : lower + limit - 1;
  const header = method === 'GET' && rangeHeader !== undefined ? /^(\d+)-(\d*)$/.exec(rangeHeader) : null;
  if (header) {
    const from = Number(header[1]);
    const to = header[2] === '' ? Infinity : Number(header[2]);
    if (from > to) {
      throw new RestError(416, 'PGRST103', 'Requested range not satisfiable',
        'The lower boundary must be lower than or equal to the upper boundary in the Range header.');
    }
    lower = Math.max(lower, from);
    upper = Math.min(upper, to);
    if (lower > upper) {
      throw new RestError(416, 'PGRST103', 'Requested range not satisfiable', 'Limit should be greater than or equal to zero.');
    }
  }
  return capRange({ offset: lower, limit: upper === Infinity ? null : upper - lower + 1 }, maxRows);
}

/** db-max-rows applied to a range (also to each embed's). */
export function capRange(range: RowRange, maxRows: number | null): RowRange {
  if (maxRows === null || range.limit === 0) return range;
  return { offset: range.offset, limit: range.limit === null ? maxRows : Math.min(range.limit, maxRows) };
}

/** `Content-Range: <from>-<to>/<total>`; `*` for an empty page or an unknown total. */
export function contentRange(offset: number, rows: number, total: number | null): string {
  const range = total !== 0 && rows > 0 ? `${offset}-${offset + rows - 1}` : '*';
  return `${range}/${total === null ? '*' : total}`;
}

/** 200, or 206 for a partial page of a counted read; 416 past the end of a counted read. */
export function rangeStatus(offset: number, rows: number, total: number | null, headers: Record<string, string>): number {
  if (total === null) return 200;
  if (offset > total) {
    throw new RestError(416, 'PGRST103', 'Requested range not satisfiable',
      `An offset of ${offset} was requested, but there are only ${total} rows.`, null, headers);
  }
  return rows < total ? 206 : 200;
}

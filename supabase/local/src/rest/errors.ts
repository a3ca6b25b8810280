/** The error body PostgREST sends; postgrest-js hands it to callers as `error` unchanged. */
export interface ErrorBody {
  code: string;
  /** Text, except PGRST201's list of candidate relationships. */
  details: string | object | null;
  hint: string | null;
  message: string;
}

/** An error answered with its own status and body; anything else thrown is a 500. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | object | null = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'RestError';
  }

  body(): ErrorBody {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message };
  }
}

/** PGRST100: a query parameter PostgREST's parser rejects; `column` is 1-based like Parsec's. */
export function parseError(what: string, value: string, column: number, unexpected: string): RestError {
  return new RestError(400, 'PGRST100', `"failed to parse ${what} (${value})" (line 1, column ${column})`, unexpected);
}

export function columnMissing(table: string, column: string): RestError {
  return new RestError(400, '42703', `column ${table}.${column} does not exist`);
}

export function tableMissing(schema: string, name: string, hint: string | null = null): RestError {
  return new RestError(404, 'PGRST205', `Could not find the table '${schema}.${name}' in the schema cache`, null, hint);
}

export function invalidBody(): RestError {
  return new RestError(400, 'PGRST102', 'Empty or invalid json');
}

export function singularity(rows: number): RestError {
  return new RestError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${rows} rows`);
}

interface PgErrorLike {
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
}

export function isPgError(error: unknown): error is PgErrorLike {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string'
    && typeof (error as { severity?: unknown }).severity === 'string';
}

/** PostgREST's SQLSTATE → HTTP status table (`Error.hs` `pgErrorStatus`). */
export function pgErrorStatus(code: string, message: string, authenticated: boolean): number {
  if (code.startsWith('08')) return 503;
  if (code.startsWith('09')) return 500;
  if (code.startsWith('0L') || code.startsWith('0P')) return 403;
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (code === '21000') return message.endsWith('requires a WHERE clause') ? 400 : 500;
  if (code === '22023') return /^role .* does not exist$/.test(message) ? 401 : 400;
  if (code.startsWith('25') || code.startsWith('2D') || code.startsWith('38') || code.startsWith('39')
    || code.startsWith('3B') || code.startsWith('40') || code.startsWith('54') || code.startsWith('55')
    || code.startsWith('58') || code.startsWith('F0') || code.startsWith('HV') || code.startsWith('XX')) return 500;
  if (code === '28000' || code.startsWith('28')) return 403;
  if (code === '53400') return 500;
  if (code.startsWith('53')) return 503;
  if (code === '57P01') return 503;
  if (code.startsWith('57')) return 500;
  if (code === 'P0001') return 400;
  if (code.startsWith('P0')) return 500;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '42P17') return 500;
  if (code === '42501') return authenticated ? 403 : 401;
  if (code.startsWith('PT')) {
    const status = Number(code.slice(2));
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
  }
  return 400;
}

export function fromPgError(error: PgErrorLike, authenticated: boolean): RestError {
  const status = pgErrorStatus(error.code, error.message, authenticated);
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
  return new RestError(status, error.code, error.message, error.detail ?? null, error.hint ?? null, headers);
}

/**
 * One error type for everything the data layer can fail with, so stores and elements decide what
 * to show and whether to retry from `kind` and `retryable` alone, without knowing PostgREST, auth-js
 * or fetch error shapes.
 */

/** What went wrong, from the caller's point of view. A closed vocabulary: switch on it exhaustively. */
export const ERROR_KINDS = [
  'invalid',
  'not-found',
  'forbidden',
  'conflict',
  'closed',
  'unauthenticated',
  'network',
  'server',
] as const;
/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Fields of a ParleyError; only `kind` and `message` are needed for errors raised locally. */
export interface ParleyErrorInit {
  readonly kind: ErrorKind;
  readonly message: string;
  /** Stable machine-readable reason; see {@link ParleyError.reason}. */
  readonly reason?: string | null;
  readonly status?: number;
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/**
 * The only error the data layer throws. `message` is fit to show a person; `reason` is for code.
 */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  readonly kind: ErrorKind;
  /**
   * The RPC's `details` for Parley's own errors (`content_too_long`, `conversation_closed`, …),
   * the same codes for arguments refused before sending, otherwise the PostgREST/Postgres/auth code
   * (`42501`, `PGRST303`, …) or `fetch_failed` / `timeout` / `aborted` for transport failures.
   */
  readonly reason: string | null;
  /** HTTP status of the answer; 0 when there was none (network failure, or refused before sending). */
  readonly status: number;
  /** Whether the same call may succeed later unchanged (network, 5xx, timeouts, expired tokens). */
  readonly retryable: boolean;

  constructor(init: ParleyErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.reason = init.reason ?? null;
    this.status = init.status ?? 0;
    this.retryable = init.retryable ?? false;
  }
}

/** Type guard that survives duplicated bundles, where `instanceof` would not. */
export function isParleyError(error: unknown): error is ParleyError {
  return error instanceof ParleyError || (error instanceof Error && error.name === 'ParleyError' && 'kind' in error);
}

/** An argument refused before any request: the same shape the database would have answered with. */
export function invalid(message: string, reason: string): ParleyError {
  return new ParleyError({ kind: 'invalid', message, reason });
}

const MESSAGES = {
  network: 'Could not reach the chat service. Check your connection and try again.',
  timeout: 'The chat service took too long to answer. Please try again.',
  aborted: 'The request was cancelled.',
  server: 'The chat service had a problem. Please try again in a moment.',
  unknown: 'Something went wrong. Please try again.',
  forbidden: 'You do not have permission to do that.',
  unauthenticated: 'Please sign in to continue.',
  jwtInvalid: 'Your sign-in is no longer valid. Please sign in again.',
  jwtExpired: 'Your session has expired. Please sign in again.',
  notFound: 'We could not find that. It may have been removed, or you may not have access to it.',
  conflict: 'That conflicts with something that already exists.',
  invalid: 'Some of the information sent was not valid.',
  misconfigured: 'The chat service is not set up as this widget expects. Please contact the site owner.',
  busy: 'The chat service is busy. Please try again in a moment.',
  rateLimited: 'Too many attempts from your network. Please wait a minute and try again.',
} as const;

/**
 * Whether the service refused the call for coming too often (HTTP 429, GoTrue's
 * `over_request_rate_limit`): the same call succeeds once the client waited, never at once.
 */
export function isRateLimited(error: ParleyError): boolean {
  return error.status === 429;
}

// Parley's RPCs raise `PTxyz` (HTTP xyz) with a readable message and a snake_case reason in details.
const OWN_CODE = /^PT\d{3}$/;
const REASON = /^[a-z][a-z0-9_]*$/;

interface Fields {
  readonly code: string;
  readonly message: string;
  readonly details: string;
  readonly status: number | undefined;
}

/**
 * Turns whatever supabase-js, fetch or our own code produced into a ParleyError. Pass the
 * response's `status` with a PostgREST `error` (the error object alone does not carry it).
 */
export function toParleyError(error: unknown, status?: number): ParleyError {
  if (isParleyError(error)) return error;
  if (isAuthError(error)) return fromAuth(error);
  const transport = fromTransport(error, status);
  if (transport) return transport;
  if (typeof error === 'object' && error !== null) {
    const fields = readFields(error, status);
    if (fields.code || fields.status) return fromPostgrest(fields, error);
  }
  return new ParleyError({ kind: 'server', message: MESSAGES.unknown, cause: error });
}

function readFields(error: object, status: number | undefined): Fields {
  const record = error as Record<string, unknown>;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const own = typeof record.status === 'number' ? record.status : undefined;
  return { code: text(record.code), message: text(record.message), details: text(record.details), status: status || own };
}

function fromPostgrest(fields: Fields, cause: unknown): ParleyError {
  const { code, details } = fields;
  const status = fields.status ?? statusOfCode(code);
  if (OWN_CODE.test(code) && REASON.test(details)) {
    const kind = details === 'conversation_closed' ? 'closed' : kindOfStatus(status);
    return new ParleyError({ kind, message: fields.message || MESSAGES.unknown, reason: details, status, retryable: status >= 500, cause });
  }
  const make = (kind: ErrorKind, message: string, retryable = false): ParleyError =>
    new ParleyError({ kind, message, reason: code || null, status, retryable, cause });
  switch (code) {
    case '42501':
      // PostgREST answers 401 when the request was anonymous, 403 for a signed-in role.
      return status === 401 ? make('unauthenticated', MESSAGES.unauthenticated) : make('forbidden', MESSAGES.forbidden);
    case 'PGRST301':
      return make('unauthenticated', MESSAGES.jwtInvalid);
    case 'PGRST303':
      // supabase-js refreshes the token on its own; the same call usually succeeds right after.
      return make('unauthenticated', MESSAGES.jwtExpired, true);
    case 'PGRST116':
      return make('not-found', MESSAGES.notFound);
    case '23505':
    case '23503':
      return make('conflict', MESSAGES.conflict);
    case '22P02':
    case '22001':
    case '22003':
    case '22007':
    case '22023':
    case '23502':
    case '23514':
      return make('invalid', MESSAGES.invalid);
    case 'PGRST202':
    case 'PGRST204':
    case 'PGRST205':
    case '42P01':
    case '42703':
    case '42883':
      // A missing function, table or column means the database and this widget disagree.
      return make('server', MESSAGES.misconfigured);
    case '40001':
    case '40P01':
    case '57014':
      return make('server', MESSAGES.busy, true);
  }
  if (code.startsWith('08') || code.startsWith('53')) return make('server', MESSAGES.busy, true);
  const kind = kindOfStatus(status);
  if (status === 429) return make(kind, MESSAGES.rateLimited, true);
  return make(kind, messageOfKind(kind), status >= 500 || status === 408);
}

function statusOfCode(code: string): number {
  if (OWN_CODE.test(code)) return Number(code.slice(2));
  if (code === '42501') return 403;
  if (code === 'PGRST116') return 406;
  if (code === 'PGRST301' || code === 'PGRST303') return 401;
  if (code === '23505' || code === '23503') return 409;
  return code.startsWith('22') || code.startsWith('23') ? 400 : 500;
}

function kindOfStatus(status: number): ErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 406) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 408) return 'network';
  if (status >= 400 && status < 500 && status !== 429) return 'invalid';
  return 'server';
}

function messageOfKind(kind: ErrorKind): string {
  switch (kind) {
    case 'invalid': return MESSAGES.invalid;
    case 'not-found': return MESSAGES.notFound;
    case 'forbidden': return MESSAGES.forbidden;
    case 'conflict': return MESSAGES.conflict;
    case 'closed': return MESSAGES.conflict;
    case 'unauthenticated': return MESSAGES.unauthenticated;
    case 'network': return MESSAGES.network;
    case 'server': return MESSAGES.server;
  }
}

// Browsers say "Failed to fetch" (Chrome), "NetworkError when attempting to fetch resource"
// (Firefox) or "Load failed" (Safari); Node says "fetch failed". postgrest-js prefixes the name.
const FETCH_FAILURE = /failed to fetch|fetch failed|networkerror|load failed|network request failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT/i;

/** A thrown fetch error, or postgrest-js's `{status: 0}` rendering of one. */
function fromTransport(error: unknown, status: number | undefined): ParleyError | null {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const name = typeof record.name === 'string' ? record.name : '';
  const message = typeof record.message === 'string' ? record.message : '';
  const wrapped = status === 0 || record.status === 0
    || (record.code === '' && /^(TypeError|FetchError|AbortError|TimeoutError): /.test(message));
  const timeout = name === 'TimeoutError' || (wrapped && message.startsWith('TimeoutError'));
  const aborted = !timeout && (name === 'AbortError' || (wrapped && message.startsWith('AbortError')));
  if (timeout) return new ParleyError({ kind: 'network', message: MESSAGES.timeout, reason: 'timeout', retryable: true, cause: error });
  if (aborted) return new ParleyError({ kind: 'network', message: MESSAGES.aborted, reason: 'aborted', cause: error });
  const thrown = error instanceof TypeError && FETCH_FAILURE.test(message);
  if (thrown || (wrapped && (FETCH_FAILURE.test(message) || /^(TypeError|FetchError)\b/.test(message)))) {
    return new ParleyError({ kind: 'network', message: MESSAGES.network, reason: 'fetch_failed', retryable: true, cause: error });
  }
  return null;
}

interface AuthErrorLike {
  readonly name: string;
  readonly message: string;
  readonly status?: number;
  readonly code?: string;
}

function isAuthError(error: unknown): error is AuthErrorLike {
  return typeof error === 'object' && error !== null && '__isAuthError' in error;
}

function fromAuth(error: AuthErrorLike): ParleyError {
  const status = typeof error.status === 'number' ? error.status : 0;
  const reason = error.code ?? null;
  if (error.name === 'AuthRetryableFetchError' || status === 0) {
    const kind = status >= 500 ? 'server' : 'network';
    return new ParleyError({ kind, message: messageOfKind(kind), reason: reason ?? 'fetch_failed', status, retryable: true, cause: error });
  }
  if (error.name === 'AuthSessionMissingError') {
    return new ParleyError({ kind: 'unauthenticated', message: MESSAGES.unauthenticated, reason: 'session_missing', status, cause: error });
  }
  const kind = status === 403 ? 'unauthenticated' : kindOfStatus(status);
  // GoTrue's "Request rate limit reached" does not say what to do.
  if (status === 429) {
    return new ParleyError({ kind, message: MESSAGES.rateLimited, reason: reason ?? 'over_request_rate_limit', status, retryable: true, cause: error });
  }
  // GoTrue's 4xx messages ("Invalid login credentials") are written for people; 5xx ones are not.
  const message = status >= 400 && status < 500 && error.message ? error.message : messageOfKind(kind);
  return new ParleyError({ kind, message, reason, status, retryable: status >= 500 || status === 429, cause: error });
}

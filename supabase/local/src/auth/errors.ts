import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, sendJson } from '../http/respond.ts';

/** The header auth-js sends; only with it does GoTrue answer in the 2024-01-01 error shape. */
export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
const API_VERSION_2024 = '2024-01-01';

/**
 * A refusal with GoTrue's status, error code and message. auth-js maps codes to error classes
 * (`weak_password` → AuthWeakPasswordError, `session_not_found` → signed out), so they must match.
 */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level fields, e.g. `weak_password: {reasons}`. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);

/** Whether the request asked for the dated API; versions are ISO dates, so they compare as strings. */
export function wantsDatedApi(req: IncomingMessage): boolean {
  const version = header(req, API_VERSION_HEADER)?.trim();
  return version !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(version) && version >= API_VERSION_2024;
}

/** GoTrue's two error shapes (`internal/api/errors.go`); auth-js reads `code` only when the version is echoed. */
export function sendAuthError(req: IncomingMessage, res: ServerResponse, error: AuthError): void {
  const headers: Record<string, string> = { 'x-sb-error-code': error.code };
  if (wantsDatedApi(req)) {
    headers[API_VERSION_HEADER] = API_VERSION_2024;
    sendJson(res, error.status, { code: error.code, message: error.message, ...error.extra }, headers);
    return;
  }
  sendJson(res, error.status, { code: error.status, error_code: error.code, msg: error.message, ...error.extra }, headers);
}

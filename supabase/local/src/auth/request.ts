import type { IncomingMessage } from 'node:http';
import { describe, type Refuse } from '../http/refusal.ts';
import { BodyTooLargeError, header, readBody } from '../http/respond.ts';
import { findNul, InputError, parseBoundedJson } from '../input.ts';
import { API_VERSION_HEADER, AuthError, badRequest, wantsDatedApi } from './errors.ts';
import type { JsonObject } from './users.ts';

/**
 * Reads a JSON object body; an empty body counts as `{}` like GoTrue's decoder on GET-ish posts.
 * The text must be strict UTF-8 and nest at most MAX_JSON_DEPTH levels (metadata is stored and
 * serialized again by recursive code), and no string or key may hold a NUL, which PostgreSQL
 * cannot store and which would otherwise surface as a 500 from the database.
 */
export async function readJsonObject(req: IncomingMessage): Promise<JsonObject> {
  let text: string;
  try {
    text = await readBody(req, 1024 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AuthError(413, 'request_too_large', 'Request body too large');
    if (error instanceof InputError) throw badRequest('bad_json', `Could not parse request body as JSON: ${error.message}`);
    throw error;
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = parseBoundedJson(text, 'request body');
  } catch (error) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) {
    throw badRequest('bad_json', 'Could not parse request body as JSON: expected a JSON object');
  }
  const nul = findNul(value);
  if (nul !== null) throw badRequest('validation_failed', `Field ${JSON.stringify(nul)} must not contain a NUL character`);
  return value;
}

/** The dated API version `sendAuthError` echoes (auth/errors.ts keeps its copy private). */
const API_VERSION_2024 = '2024-01-01';

/**
 * The gateway's refusal of a path, query parameter or header that is not usable text, in GoTrue's
 * error shape (the dated one when the client asked for it, as `sendAuthError` answers).
 */
export const refuseAuthInput: Refuse = (error, req) => {
  const message = describe(error);
  const headers: Record<string, string> = { 'x-sb-error-code': 'validation_failed' };
  if (req !== null && wantsDatedApi(req)) {
    headers[API_VERSION_HEADER] = API_VERSION_2024;
    return { body: { code: 'validation_failed', message }, headers };
  }
  return { body: { code: 400, error_code: 'validation_failed', msg: message }, headers };
};

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or undefined when absent or null; any other type is a malformed request. */
export function optionalString(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw badRequest('bad_json', `Could not parse request body as JSON: field "${key}" must be a string`);
  }
  return value;
}

export function optionalObject(body: JsonObject, key: string): JsonObject | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    throw badRequest('bad_json', `Could not parse request body as JSON: field "${key}" must be an object`);
  }
  return value;
}

export function optionalBoolean(body: JsonObject, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw badRequest('bad_json', `Could not parse request body as JSON: field "${key}" must be a boolean`);
  }
  return value;
}

/** The token of `Authorization: Bearer …`, matched case-insensitively as GoTrue's regexp does. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
  return match?.[1];
}

/** GoTrue stores phones as digits without a leading `+`. */
export function normalizePhone(raw: string): string {
  const phone = raw.replace(/[\s()-]/g, '').replace(/^\+/, '');
  if (!/^[1-9]\d{4,14}$/.test(phone)) {
    throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)');
  }
  return phone;
}

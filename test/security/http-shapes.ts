// Error shapes the HTTP attack tests expect: PostgREST's for /rest/v1, GoTrue's for /auth/v1.
import assert from 'node:assert/strict';

export interface Answer {
  readonly status: number;
  readonly json: unknown;
}

export async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

function record(value: unknown, what: string): Record<string, unknown> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `${what}: expected a JSON object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/**
 * A PostgREST error `{code, message, details, hint}` with this status, whose message or details
 * match `names` (the field the refusal is about).
 */
export function assertPostgrestError(got: Answer, status: number, names: RegExp, code?: string): void {
  const body = record(got.json, `PostgREST error (HTTP ${got.status})`);
  assert.equal(got.status, status, `HTTP status (${JSON.stringify(body)})`);
  assert.deepEqual(Object.keys(body).sort(), ['code', 'details', 'hint', 'message'], 'PostgREST error keys');
  assert.equal(typeof body.code, 'string');
  if (code !== undefined) assert.equal(body.code, code);
  assert.match(`${String(body.message)} ${String(body.details)}`, names, 'the error names the field');
}

/** GoTrue's error without `X-Supabase-Api-Version`: `{code: <status>, error_code, msg}`. */
export function assertGoTrueError(got: Answer, status: number, names: RegExp, errorCode?: string): void {
  const body = record(got.json, `GoTrue error (HTTP ${got.status})`);
  assert.equal(got.status, status, `HTTP status (${JSON.stringify(body)})`);
  assert.equal(body.code, status, 'GoTrue `code` is the HTTP status');
  assert.equal(typeof body.error_code, 'string');
  if (errorCode !== undefined) assert.equal(body.error_code, errorCode);
  assert.equal(typeof body.msg, 'string');
  assert.match(String(body.msg), names, 'the error names the field');
}

/** `[[[…]]]`, `depth` arrays deep, as JSON text: too deep for any recursive walk. */
export function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** `{"a":{"a":…}}` as a value (for clients that serialize it themselves). */
export function deepObject(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

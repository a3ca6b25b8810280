import { decodeJwt, type JWTPayload } from 'jose';
import path from 'node:path';
import os from 'node:os';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import type { LocalStackOptions } from '../../supabase/local/src/index.ts';

/**
 * A stack with no project migrations or seed: auth only needs the platform bootstrap, and the
 * project's migrations are written concurrently by others.
 */
export function startAuthStack(options: LocalStackOptions = {}): Promise<TestStack> {
  return startTestStack({
    refreshTokenReuseIntervalSeconds: 0,
    seedFile: null,
    migrationsDir: path.join(os.tmpdir(), 'parley-auth-tests-no-migrations'),
    ...options,
  });
}

export function claimsOf(token: string): JWTPayload & Record<string, unknown> {
  return decodeJwt(token);
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}@example.com`;
}

/** Raw request to the auth API, for what supabase-js does not expose (status, headers, odd bodies). */
export async function authFetch(
  stack: TestStack,
  route: string,
  init: { method?: string; body?: string; headers?: Record<string, string>; key?: string | null } = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  const key = init.key === undefined ? stack.stack.keys.anon : init.key;
  if (key !== null) headers.apikey = key;
  const response = await fetch(`${stack.url}/auth/v1${route}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? null : JSON.parse(text) };
}

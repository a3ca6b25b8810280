import assert from 'node:assert/strict';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { TestStack } from '../helpers/stack.ts';

/** What storage-js hands back for a failed call, reduced to what the spec (SUPABASE-STORAGE.md §2) pins down. */
export interface ErrorShape {
  status: number;
  statusCode: string;
  code: string | undefined;
  message: string;
}

export function shapeOf(error: unknown): ErrorShape {
  assert.ok(error && typeof error === 'object', `expected an error, got ${String(error)}`);
  const e = error as { status?: unknown; statusCode?: unknown; code?: unknown; message?: unknown };
  return {
    status: Number(e.status),
    statusCode: String(e.statusCode),
    code: typeof e.code === 'string' ? e.code : undefined,
    message: String(e.message),
  };
}

/** Asserts a storage-js result failed with this body status and code (the HTTP status is 400 unless given). */
export function assertFails(
  result: { error: unknown },
  statusCode: string,
  code: string,
  message?: string | RegExp,
  status = 400,
): void {
  const shape = shapeOf(result.error);
  assert.equal(shape.status, status, `HTTP status of ${JSON.stringify(shape)}`);
  assert.equal(shape.statusCode, statusCode, `statusCode of ${JSON.stringify(shape)}`);
  assert.equal(shape.code, code, `code of ${JSON.stringify(shape)}`);
  if (typeof message === 'string') assert.equal(shape.message, message);
  else if (message) assert.match(shape.message, message);
}

export function ok<T>(result: { data: T | null; error: unknown }): T {
  assert.equal(result.error, null, `unexpected error: ${String((result.error as Error | null)?.message)}`);
  assert.ok(result.data !== null);
  return result.data;
}

/** Runs SQL as the superuser, as a migration would (policies, buckets). */
export async function sql(stack: TestStack, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await stack.db.query(text, values)).rows as Record<string, unknown>[];
}

export async function text(client: SupabaseClient, bucket: string, key: string): Promise<string> {
  const blob = ok(await client.storage.from(bucket).download(key));
  return blob.text();
}

/** Service-role client plus a fresh bucket per test (names must differ: buckets outlive a test). */
let buckets = 0;
export async function newBucket(
  stack: TestStack,
  options: { public?: boolean; fileSizeLimit?: number | string; allowedMimeTypes?: string[] } = {},
): Promise<string> {
  const name = `b${++buckets}-${Math.random().toString(36).slice(2, 8)}`;
  ok(await stack.client(stack.stack.keys.serviceRole).storage.createBucket(name, { public: false, ...options }));
  return name;
}

/** A supabase-js client outside a TestStack (another stack, or headers of its own); no session kept. */
export function bareClient(url: string, key: string, headers: Record<string, string> = {}): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
    global: { headers },
  });
}

import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { createLocalStack, type LocalStack, type LocalStackOptions } from '../../supabase/local/src/index.ts';

export interface ClientOptions {
  /** Reach the stack through another URL, e.g. a cuttable proxy. */
  readonly url?: string;
  readonly realtime?: { heartbeatIntervalMs?: number; timeout?: number };
  /** Persist the session here, as a browser's localStorage would. */
  readonly storage?: SessionStorage;
}

export interface SessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStorage(): SessionStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

export interface TestStack {
  readonly stack: LocalStack;
  readonly url: string;
  /** Superuser pool on the stack's database, for arranging and checking state behind the API. */
  readonly db: pg.Pool;
  /** A fresh supabase-js client (anon key by default) with no stored session. */
  client(key?: string, options?: ClientOptions): SupabaseClient;
  close(): Promise<void>;
}

/**
 * Auth rate limits for test stacks: every client of a local stack comes from 127.0.0.1, and a suite
 * signs in far more often than GoTrue's defaults allow one address. Tests of the limits pass their own.
 */
export const TEST_AUTH_RATE_LIMITS = {
  anonymousUsers: 1_000_000, signInSignUps: 1_000_000, tokenRefresh: 1_000_000, emailSent: 1_000_000, tokenVerifications: 1_000_000,
} as const;

/**
 * A stack on a random port with a fresh database: an ephemeral embedded cluster, or a new database
 * on the server named by DATABASE_URL, dropped again on close. Auth rate limits are raised
 * ({@link TEST_AUTH_RATE_LIMITS}) unless `options.authRateLimits` says otherwise. Email
 * confirmations are off (suites sign users up to use them at once, as the Supabase CLI's config
 * does); the email-flow suites turn them on with `emailConfirmations: true`.
 */
export async function startTestStack(options: LocalStackOptions = {}): Promise<TestStack> {
  const adminUrl = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (adminUrl) {
    const name = `parley_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  const stack = await createLocalStack({
    ...(databaseUrl
      ? { databaseUrl, storageDir: path.join(await mkdtemp(path.join(os.tmpdir(), 'parley-test-')), 'storage'), ephemeral: true }
      : { dataDir: path.join(await mkdtemp(path.join(os.tmpdir(), 'parley-test-')), 'db'), ephemeral: true, fsync: false }),
    log: process.env.PARLEY_DEBUG ? (line) => console.error(line) : () => undefined,
    authRateLimits: TEST_AUTH_RATE_LIMITS,
    emailConfirmations: false,
    ...options,
  });
  const url = await stack.listen(0);
  const db = new pg.Pool({ connectionString: stack.databaseUrl, max: 4 });
  const clients: SupabaseClient[] = [];
  return {
    stack,
    url,
    db,
    client(key = stack.keys.anon, options: ClientOptions = {}) {
      const client = createClient(options.url ?? url, key, {
        auth: options.storage
          ? { persistSession: true, storage: options.storage, autoRefreshToken: false, detectSessionInUrl: false }
          : { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket, ...options.realtime },
      });
      clients.push(client);
      return client;
    },
    async close() {
      // supabase-js's disconnect leaves a 10 s timer behind; the runner's --test-force-exit ends it.
      await Promise.all(clients.map(async (client) => {
        if (client.getChannels().length > 0) await client.removeAllChannels();
        if (client.realtime.connectionState() !== 'closed') void client.realtime.disconnect();
      }));
      await db.end();
      await stack.close();
      await dropDatabase?.();
    },
  };
}

import { createClient, type SupabaseClient } from '@supabase/supabase-js';

/** Where the local stack started by the web-test-runner plugin listens, and its keys. */
export interface BrowserStack {
  readonly url: string;
  readonly anonKey: string;
  readonly serviceRoleKey: string;
}

let cached: Promise<BrowserStack> | undefined;

export function browserStack(): Promise<BrowserStack> {
  cached ??= fetch('/__parley/stack.json').then(async (response) => {
    if (!response.ok) throw new Error(`no local stack: ${response.status} (is localStackPlugin in web-test-runner.config.mjs?)`);
    return (await response.json()) as BrowserStack;
  });
  return cached;
}

/**
 * A supabase-js client for one simulated person in a browser test. Each gets its own storage key so
 * several people can be signed in on one page.
 */
export async function browserClient(key?: string): Promise<SupabaseClient> {
  const stack = await browserStack();
  return createClient(stack.url, key ?? stack.anonKey, {
    auth: { storageKey: `parley-test-${crypto.randomUUID()}`, autoRefreshToken: false, persistSession: false },
  });
}

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

/**
 * A root element (`<parley-inbox>` or `<parley-launcher>`) on the local stack, appended to the page;
 * `cleanup` gets its removal. The inbox gets a height, as a page gives it one.
 */
export async function mountOnStack<K extends 'parley-inbox' | 'parley-launcher'>(
  tag: K,
  cleanup: (() => unknown)[],
): Promise<HTMLElementTagNameMap[K]> {
  const stack = await browserStack();
  const el = document.createElement(tag);
  el.setAttribute('supabase-url', stack.url);
  el.setAttribute('supabase-key', stack.anonKey);
  if (tag === 'parley-inbox') el.style.height = '700px';
  document.body.append(el);
  cleanup.push(() => el.remove());
  return el;
}

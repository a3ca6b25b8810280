/**
 * Where a created client keeps the visitor's auth session, and how a launcher tells a returning
 * visitor from a new one by reading that one localStorage key. Its own module, free of supabase-js
 * and Lit, so the launcher stub (src/embed) can use it without loading either.
 */

/**
 * The localStorage key of the auth session for a Supabase project URL: `parley-auth:<host>` for a
 * visitor, `parley-agent-auth:<host>` for an agent (kept apart so a launcher and an inbox on one
 * origin never take over each other's sign-in).
 */
export function authStorageKey(supabaseUrl: string, scope: 'visitor' | 'agent' = 'visitor'): string {
  const prefix = scope === 'agent' ? 'parley-agent-auth' : 'parley-auth';
  try {
    return `${prefix}:${new URL(supabaseUrl).host}`;
  } catch {
    return prefix;
  }
}

/**
 * The outbox key of a Supabase project, from its URL or any endpoint of it: one per host, like the
 * auth key, so widgets of two projects on one origin never resend each other's messages while a
 * reloaded or remounted widget of the same project finds its unsent ones.
 */
export function outboxKeyFor(url: string): string {
  try {
    return `parley-outbox:${new URL(url).host}`;
  } catch {
    return 'parley-outbox';
  }
}

/** The localStorage key of the workspace settings a launcher last read for a project: `parley-settings:<host>`. */
export function settingsStorageKey(supabaseUrl: string): string {
  return authStorageKey(supabaseUrl).replace('parley-auth', 'parley-settings');
}

/** Where that copy keeps the accent's custom properties, worked out, for the stub. */
export const STORED_PAINT = 'paint';

/**
 * Sets on `host` the workspace's colours remembered for the project (`--parley-workspace-color-*`,
 * each `#rrggbb`), so a bubble drawn before the chat's code loads has them. Anything else is skipped.
 */
export function paintRememberedColors(host: HTMLElement, supabaseUrl: string): void {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(settingsStorageKey(supabaseUrl)) ?? 'null');
    const paint: unknown = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>)[STORED_PAINT] : null;
    if (typeof paint !== 'object' || paint === null) return;
    for (const [name, value] of Object.entries(paint)) {
      if (name.startsWith('--parley-workspace-color-') && /^#[0-9a-f]{6}$/.test(String(value))) host.style.setProperty(name, String(value));
    }
  } catch {
    // No storage, or a damaged copy: the default colours.
  }
}

export type Idle = { cancel(): void };

/** `requestIdleCallback`, or a timeout where it is missing (Safari). */
export function whenIdle(callback: () => void): Idle {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(callback, { timeout: 5000 });
    return { cancel: () => cancelIdleCallback(id) };
  }
  const id = setTimeout(callback, 1500);
  return { cancel: () => clearTimeout(id) };
}

/** Whether this browser holds a visitor session for the project (read only; storage may be blocked). */
export function hasVisitorSession(supabaseUrl: string): boolean {
  try {
    return localStorage.getItem(authStorageKey(supabaseUrl)) !== null;
  } catch {
    return false;
  }
}

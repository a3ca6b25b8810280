/**
 * The Vite plugins the demo pages need on top of Vite's defaults (see vite.config.ts).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Where the demo pages find the local stack. */
export interface DemoStack {
  /** The API URL, e.g. `http://127.0.0.1:54321`. */
  readonly supabaseUrl: string;
  /** The stack's anon key. */
  readonly supabaseKey: string;
}

/**
 * Wires the pages to a running stack without configuration: HTML gets `%PARLEY_SUPABASE_URL%` and
 * `%PARLEY_SUPABASE_KEY%` (Vite's HTML env replacement reads `import.meta.env.*` defines), and
 * scripts import `supabaseUrl` and `supabaseKey` from `virtual:parley-stack`.
 */
export function parleyStack(stack: DemoStack): Plugin {
  const id = 'virtual:parley-stack';
  const resolved = `\0${id}`;
  return {
    name: 'parley-demo:stack',
    config: () => ({
      define: {
        'import.meta.env.PARLEY_SUPABASE_URL': JSON.stringify(stack.supabaseUrl),
        'import.meta.env.PARLEY_SUPABASE_KEY': JSON.stringify(stack.supabaseKey),
      },
    }),
    resolveId: (source) => (source === id ? resolved : undefined),
    load: (source) =>
      source === resolved
        ? `export const supabaseUrl = ${JSON.stringify(stack.supabaseUrl)};\n` +
          `export const supabaseKey = ${JSON.stringify(stack.supabaseKey)};\n`
        : undefined,
  };
}

/**
 * Serves `/parley.js` the way a site owner gets it from `dist/parley.js`: the small launcher stub
 * (src/embed/parley.ts) that loads the chat on first open, here straight from the sources. Falls
 * back to every element (src/define.ts) in a checkout without the embed.
 */
export function parleyEmbed(): Plugin {
  const stub = `${SRC}embed/parley.ts`;
  const entry = existsSync(stub) ? stub : `${SRC}define.ts`;
  return {
    name: 'parley-demo:embed',
    enforce: 'pre',
    resolveId: (source) => (source === '/parley.js' ? entry : undefined),
  };
}

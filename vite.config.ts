/**
 * The three library builds (`npm run build` runs them in order through scripts/build.ts; plain
 * `npx vite build` is the first):
 * - default mode, the embed: `dist/parley.js`, the `<parley-launcher>` stub a site loads with one
 *   script tag, and the chunks it imports on first open. Everything bundled, production mode.
 *   Writes `dist/.vite/manifest.json`, which scripts/size.ts follows.
 * - `--mode iife`: `dist/parley.iife.js`, every element in one classic script (src/define.ts).
 * - `--mode package`: the npm entries `dist/index.js`, `dist/define.js`, `dist/react.js`, with the
 *   runtime dependencies left to the app's bundler (types come from tsconfig.build.json).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type PluginOption, type UserConfig } from 'vite';
import { cssLiterals } from './scripts/vite-css-literals.ts';
import { standardDecorators } from './scripts/vite-decorators.ts';

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/** Dependencies the package entries import rather than bundle (package.json dependencies and peers). */
const external = /^(?:lit|@lit\/[^/]+|nanostores|@supabase\/[^/]+|react|react-dom)(?:\/.*)?$/;

/** Shared by every build. */
const base: UserConfig = {
  publicDir: false,
  plugins: [standardDecorators({ importHelpers: true })],
  // Source maps are not shipped: the package is small and readable, and the embed is a runtime asset.
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: false, reportCompressedSize: false },
};

/**
 * Bundled builds run in the visitor's browser as they are: nanostores reads `process.env.NODE_ENV`,
 * and Lit's default export condition is already its production build.
 */
const production = { 'process.env.NODE_ENV': JSON.stringify('production') };

/** Bundled builds leave out what the widget never uses (see src/embed/no-functions.ts). */
const bundledAlias = [
  { find: /^@supabase\/functions-js$/, replacement: src('embed/no-functions.ts') },
];

/**
 * supabase-js builds a storage client for every client; Parley's own Storage code
 * (src/data/storage-client.ts) imports storage-js on demand, when a file is attached. So only
 * supabase-js's import is swapped for the stub (src/embed/no-storage.ts), keeping storage-js out of
 * the chat chunk while Parley's dynamic import gets the real module in a chunk of its own.
 */
function storageTrim(): Plugin {
  return {
    name: 'parley-storage-trim',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== '@supabase/storage-js' || !importer?.replaceAll('\\', '/').includes('/@supabase/supabase-js/')) return null;
      return src('embed/no-storage.ts');
    },
  };
}

/**
 * Swaps modules a dependency imports by relative path, out of reach of `resolve.alias`, for stubs
 * when that dependency itself asks for them.
 */
function trim(name: string, dependency: string, stubs: Readonly<Record<string, string>>): Plugin {
  return {
    name,
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer?.replaceAll('\\', '/').includes(`/${dependency}/`)) return null;
      return stubs[source] ?? null;
    },
  };
}

/**
 * auth-js's passkey (WebAuthn MFA) and wallet sign-in helpers, which Parley never calls (see
 * src/embed/no-webauthn.ts, no-web3.ts). Bundled builds only; the embed, which holds only the
 * visitor's launcher, also leaves out the admin client (no-auth-admin.ts).
 */
function authTrim(options: { readonly admin: boolean }): Plugin {
  return trim('parley-auth-trim', '@supabase/auth-js', {
    './lib/webauthn': src('embed/no-webauthn.ts'),
    './lib/web3/ethereum': src('embed/no-web3.ts'),
    ...(options.admin ? { './GoTrueAdminApi': src('embed/no-auth-admin.ts') } : {}),
  });
}

/**
 * realtime-js's runtime detection, which in a browser always finds `WebSocket`
 * (src/embed/browser-websocket.ts), and its `postgres_changes` filter builder, which Parley never
 * uses (no-filter-builder.ts); the embed also leaves out presence, which only the console uses
 * (no-presence.ts).
 */
function realtimeTrim(options: { readonly presence: boolean }): Plugin {
  return trim('parley-realtime-trim', '@supabase/realtime-js', {
    './lib/websocket-factory': src('embed/browser-websocket.ts'),
    './RealtimePostgresFilterBuilder': src('embed/no-filter-builder.ts'),
    ...(options.presence ? {} : { './RealtimePresence': src('embed/no-presence.ts') }),
  });
}

/**
 * `embed`: the build of `dist/parley.js`, which holds only the visitor's launcher. The CSS
 * minifier goes first: it reads the source's `css` literals, which the decorators' transform
 * rewrites in modules that have decorators (the base element's host styles).
 */
const bundledPlugins = (embed: boolean): PluginOption[] => [
  cssLiterals(), ...(base.plugins ?? []), authTrim({ admin: embed }), realtimeTrim({ presence: !embed }), storageTrim(),
];

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'iife') {
    return {
      ...base,
      define: production,
      plugins: bundledPlugins(false),
      resolve: { alias: bundledAlias },
      build: {
        ...base.build,
        lib: { entry: src('define.ts'), name: 'Parley', formats: ['iife'], fileName: () => 'parley.iife.js' },
        minify: true,
      },
    };
  }
  if (mode === 'package') {
    return {
      ...base,
      build: {
        ...base.build,
        lib: {
          entry: { index: src('index.ts'), define: src('define.ts'), react: src('react/index.ts') },
          formats: ['es'],
          fileName: (_format, name) => `${name}.js`,
        },
        // The app's bundler minifies; readable output keeps stack traces and debugging useful.
        minify: false,
        rolldownOptions: {
          external: (id) => external.test(id),
          output: { chunkFileNames: 'shared/parley-[hash].js' },
        },
      },
    };
  }
  return {
    ...base,
    // Relative: the watch worker's URL (src/embed/watcher.ts) is then resolved against the chunk
    // that asks for it, wherever the site serves dist/ from, as the chunks' imports are.
    base: './',
    define: production,
    plugins: bundledPlugins(true),
    // The returning visitor's watch worker: its own bundle (supabase-js and the stores, trimmed
    // like the chat's), beside the chunks.
    worker: {
      format: 'es',
      plugins: () => bundledPlugins(true),
      rolldownOptions: { output: { entryFileNames: 'chunks/[name]-[hash].js', chunkFileNames: 'chunks/[name]-[hash].js', minify: true } },
    },
    resolve: { alias: bundledAlias },
    build: {
      ...base.build,
      lib: { entry: { parley: src('embed/parley.ts') }, formats: ['es'], fileName: () => 'parley.js' },
      minify: true,
      manifest: true,
      rolldownOptions: {
        // Lets code the stub shares with the chunk (strings, tokens) live in parley.js, where the
        // chunk imports it from, instead of a third file the first paint must wait for.
        preserveEntrySignatures: 'allow-extension',
        output: {
          chunkFileNames: 'chunks/[name]-[hash].js',
          minify: true,
        },
      },
    },
  };
});

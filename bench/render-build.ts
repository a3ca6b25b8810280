/**
 * The demo pages `bench:render` measures by default: the shop and the console built by Vite in
 * production mode (Lit's production build, minified, no dev client or HMR), into a temporary
 * directory, served statically by Vite's preview server. This is what a site and an agent run;
 * the dev server (BENCH_RENDER_DEV=1) adds Lit's development build, unbundled modules and Vite's
 * client to every page, which the floor page does not pay.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type Plugin, type PreviewServer } from 'vite';
import { parleyStack, type DemoStack } from '../demo/vite-plugins.ts';

const CONFIG = fileURLToPath(new URL('../demo/vite.config.ts', import.meta.url));
const SRC_PATH = /[\\/]src[\\/]/;
const DEMO = fileURLToPath(new URL('../demo/', import.meta.url));

/**
 * The package's `sideEffects` lists dist files only; built from the sources, the pages would lose
 * every element's registration (src/define.ts and the like) to tree shaking.
 */
function sourcesHaveSideEffects(): Plugin {
  return {
    name: 'bench-render:sources-have-side-effects',
    transform: (code, id) => (SRC_PATH.test(id) ? { code, map: null, moduleSideEffects: true } : null),
  };
}

/** How long a content-hashed file may be reused without asking (a year: the usual for hashed names). */
const HASHED_MAX_AGE = 'public, max-age=31536000, immutable';

/**
 * Content-hashed build files (`/assets/*`) with the long-lived caching any production host gives
 * them, not the preview server's `no-cache` (a revalidation every visit): a returning visitor's
 * browser then takes the chunks from its cache, with the compiled code V8 kept for them.
 */
function hashedAssetsCached(): Plugin {
  return {
    name: 'bench-render:hashed-assets-cached',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/assets/')) {
          const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
          // The static server sets Cache-Control in writeHead's headers, after any setHeader.
          res.writeHead = ((status: number, ...rest: unknown[]) => {
            for (const arg of rest) {
              if (arg && typeof arg === 'object' && !Array.isArray(arg)) (arg as Record<string, string>)['Cache-Control'] = HASHED_MAX_AGE;
            }
            res.setHeader('Cache-Control', HASHED_MAX_AGE);
            return writeHead(status, ...rest);
          }) as typeof res.writeHead;
        }
        next();
      });
    },
  };
}

export interface BuiltDemo {
  /** e.g. `http://127.0.0.1:40123`, serving `/customer/` and `/console/`. */
  readonly base: string;
  /** URL glob of the shop's entry chunk: the built `/parley.js` (the shop's only script). */
  readonly parleyScript: string;
  close(): Promise<void>;
}

/** Builds the shop and the console against `stack` and serves them on a free port (unminified for a readable profile). */
export async function serveBuiltDemo(stack: DemoStack, { minify = true } = {}): Promise<BuiltDemo> {
  const outDir = await mkdtemp(join(tmpdir(), 'parley-bench-render-'));
  const plugins = [parleyStack(stack), sourcesHaveSideEffects()];
  try {
    await build({
      configFile: CONFIG,
      plugins,
      mode: 'production',
      logLevel: 'warn',
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
      build: {
        outDir,
        emptyOutDir: true,
        sourcemap: false,
        minify,
        reportCompressedSize: false,
        // As dist/parley.js loads its chunk (a library build: a bare import(), no preload helper).
        // Vite's helper adds a <link rel="modulepreload"> per chunk to the page first, main-thread
        // work of the bench's build that the embed does not do.
        modulePreload: false,
        rolldownOptions: {
          input: { customer: `${DEMO}customer/index.html`, console: `${DEMO}console/index.html` },
        },
      },
    });
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  const server: PreviewServer = await preview({
    configFile: CONFIG,
    plugins: [...plugins, hashedAssetsCached()],
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the preview server has no port');
  return {
    base: `http://127.0.0.1:${address.port}`,
    parleyScript: '**/assets/customer-*.js',
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

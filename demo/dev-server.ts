/**
 * The demo pages as a Vite dev server wired to a stack: `npm start` (scripts/start.ts) and anything
 * else that needs the pages (end-to-end suites) create it here.
 */
import { fileURLToPath } from 'node:url';
import { createServer, type LogLevel, type ViteDevServer } from 'vite';
import { parleyStack, type DemoStack } from './vite-plugins.ts';

export type { DemoStack } from './vite-plugins.ts';

export interface DemoServerOptions extends DemoStack {
  /** Port to listen on when `listen()` is called without one; 0 picks a free port. Default 5173. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Vite's log level. Default `info`. */
  readonly logLevel?: LogLevel;
}

/**
 * Creates the demo's Vite dev server (demo/vite.config.ts plus the stack's URL and key), not yet
 * listening: `await server.listen()`, then `server.resolvedUrls`, and `await server.close()`.
 */
export function createDemoServer(options: DemoServerOptions): Promise<ViteDevServer> {
  const { supabaseUrl, supabaseKey } = options;
  if (!/^https?:\/\//.test(supabaseUrl)) throw new TypeError(`createDemoServer: supabaseUrl must be an http(s) URL, got ${JSON.stringify(supabaseUrl)}`);
  if (!supabaseKey) throw new TypeError('createDemoServer: supabaseKey is required');
  return createServer({
    configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
    plugins: [parleyStack({ supabaseUrl, supabaseKey })],
    logLevel: options.logLevel ?? 'info',
    server: { port: options.port ?? 5173, strictPort: true, host: options.host ?? '127.0.0.1' },
  });
}

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DEMO_DIR = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(import.meta.url);
const SUPABASE_UMD = path.join(path.dirname(require.resolve('@supabase/supabase-js')), 'umd', 'supabase.js');

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: path.join(DEMO_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/demo.js': { file: path.join(DEMO_DIR, 'demo.js'), type: 'text/javascript; charset=utf-8' },
  '/vendor/supabase.js': { file: SUPABASE_UMD, type: 'text/javascript; charset=utf-8' },
};

export interface DemoConfig {
  readonly supabaseUrl: string;
  readonly supabaseKey: string;
}

/** The demo pages, wired to a stack by `/config.js`. Returned un-listened, like the stack. */
export function createDemoServer(config: DemoConfig): http.Server {
  return http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/config.js') {
      const body = `window.PARLEY_CONFIG = ${JSON.stringify(config)};\n`;
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    const entry = STATIC[pathname];
    if (!entry) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    readFile(entry.file).then(
      (body) => {
        res.writeHead(200, { 'Content-Type': entry.type, 'Cache-Control': 'no-store' });
        res.end(body);
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
}

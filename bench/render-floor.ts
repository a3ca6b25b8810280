/**
 * The floor `bench:render` compares each root with: a plain page subscribed to the same data that
 * only appends text. It loads supabase-js (its UMD build, no framework), signs in as an agent,
 * subscribes to the benchmark conversation's message inserts with Postgres Changes and appends
 * each row's text as a text node; sending is one `insert_message` call, and the row comes back
 * through the same subscription like everyone else's. No stores, no rendering library, no
 * grouping, receipts or read markers: what is left is the least a live chat page can cost.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const SUPABASE_UMD = fileURLToPath(new URL('../node_modules/@supabase/supabase-js/dist/umd/supabase.js', import.meta.url));

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>render floor</title>
<style>#log { white-space: pre-line; height: 60vh; overflow: auto; font: 14px system-ui; }</style>
<div id="log" role="log"></div>
<script src="/supabase.js"></script>
<script>
  window.__floorStart = async ({ url, key, email, password, conversationId }) => {
    const client = supabase.createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false } });
    const { error } = await client.auth.signInWithPassword({ email, password });
    if (error) throw new Error(error.message);
    const log = document.getElementById('log');
    await new Promise((resolve, reject) => {
      client.channel('render-floor')
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: 'conversation_id=eq.' + conversationId },
          ({ new: row }) => log.append(document.createTextNode(row.content + '\\n')))
        .subscribe((status, err) => {
          if (status === 'SUBSCRIBED') resolve();
          else if (status !== 'CLOSED') reject(err || new Error(status));
        });
    });
    window.__floorSend = async (text) => {
      const { error } = await client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: text });
      if (error) throw new Error('insert_message: ' + error.message);
    };
  };
</script>`;

export interface FloorLogin {
  readonly url: string;
  readonly key: string;
  readonly email: string;
  readonly password: string;
  readonly conversationId: string;
}

type FloorWindow = Window & {
  __floorStart(login: FloorLogin): Promise<void>;
  __floorSend(text: string): Promise<void>;
};

export interface RenderFloor {
  readonly url: string;
  /** Signs the floor page in and subscribes it; resolves once its channel is joined. */
  start(page: Page, login: FloorLogin): Promise<void>;
  /** Sends one message from the floor page; resolves once the insert is answered (it shows later, see `shown`). */
  send(page: Page, text: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRenderFloor(): Promise<RenderFloor> {
  const umd = await readFile(SUPABASE_UMD);
  const server: Server = createServer((req, res) => {
    if (req.url === '/supabase.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' }).end(umd);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    start: (page, login) => page.evaluate((value) => (window as unknown as FloorWindow).__floorStart(value), login),
    send: (page, text) => page.evaluate((body) => (window as unknown as FloorWindow).__floorSend(body), text),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

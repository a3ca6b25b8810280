/**
 * The floor `bench:latency` compares the chat with: the least a message can take from one page to
 * another through a server, measured the same way. One page POSTs the text over HTTP; the server
 * relays it at once to every WebSocket; the other page appends it to a log. No database, no auth,
 * no stores, no framework.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>relay floor</title>
<div role="log" id="log"></div>
<script>
  const log = document.getElementById('log');
  const socket = new WebSocket(location.origin.replace('http', 'ws') + '/ws');
  window.__ready = new Promise((resolve) => socket.addEventListener('open', resolve));
  socket.addEventListener('message', (event) => {
    const line = document.createElement('div');
    line.textContent = event.data;
    log.append(line);
  });
  window.__floorSend = (text) => {
    const sentAt = performance.timeOrigin + performance.now();
    void fetch('/send', { method: 'POST', body: text });
    return sentAt;
  };
</script>`;

export interface RelayFloor {
  readonly url: string;
  close(): Promise<void>;
}

export async function startRelayFloor(): Promise<RelayFloor> {
  const sockets = new Set<WebSocket>();
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/send') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        for (const socket of sockets) socket.send(text);
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

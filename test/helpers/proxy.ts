import net from 'node:net';

/**
 * A TCP proxy in front of the stack that can cut every connection or swallow traffic, so tests can
 * drop a client's network the way a flaky Wi-Fi does, without touching the server.
 */
export interface CuttableProxy {
  readonly url: string;
  /** Destroys every open connection (the client sees the socket close abnormally). */
  cut(): void;
  /** While on, bytes in both directions are dropped and connections stay open. */
  blackhole(on: boolean): void;
  close(): Promise<void>;
}

export async function startProxy(targetUrl: string): Promise<CuttableProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  let swallowing = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => { if (!swallowing) upstream.write(chunk); });
    upstream.on('data', (chunk) => { if (!swallowing) client.write(chunk); });
    client.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    blackhole(on) {
      swallowing = on;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

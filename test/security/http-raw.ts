// HTTP spoken byte by byte over one TCP socket, for what fetch refuses to send (NUL in headers,
// invalid UTF-8, a body cut off halfway) and to prove which connection a response came back on.
import net from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  readonly json: unknown;
}

/** One client connection; requests go out in order and responses are read one at a time. */
export class RawConnection {
  readonly #socket: net.Socket;
  #buffer = Buffer.alloc(0);
  #ended = false;
  #waiting: (() => void) | null = null;
  /** Socket-level error (a reset), kept so a read that can no longer complete fails with it. */
  error: Error | null = null;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    socket.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#wake();
    });
    socket.on('error', (error) => {
      this.error = error;
      this.#ended = true;
      this.#wake();
    });
  }

  static open(baseUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Whether the server has closed its side. */
  get closed(): boolean {
    return this.#ended;
  }

  write(bytes: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.();
  }

  async #until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.#ended) throw this.error ?? new Error('the server closed the connection');
      await new Promise<void>((resolve) => { this.#waiting = resolve; });
    }
  }

  /** Reads the next response: by Content-Length, or to the end of the connection without one. */
  async response(): Promise<RawResponse> {
    let headEnd = -1;
    await this.#until(() => (headEnd = this.#buffer.indexOf('\r\n\r\n')) >= 0);
    const head = this.#buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const start = headEnd + 4;
    const declared = headers['content-length'];
    let end: number;
    if (declared !== undefined) {
      end = start + Number(declared);
      await this.#until(() => this.#buffer.length >= end);
    } else if (status === 204 || status === 304 || (headers.connection ?? '').toLowerCase() !== 'close') {
      end = start;
    } else {
      await this.#until(() => this.#ended).catch(() => undefined);
      end = this.#buffer.length;
    }
    const body = this.#buffer.subarray(start, end).toString('utf8');
    this.#buffer = this.#buffer.subarray(end);
    let json: unknown;
    try {
      json = body === '' ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    return { status, headers, body, json };
  }

  /** Writes one request and reads its response. */
  async request(bytes: string | Buffer): Promise<RawResponse> {
    await this.write(bytes);
    return this.response();
  }
}

export interface RawRequestParts {
  readonly method?: string;
  /** Request target as sent, byte for byte (latin1 string or raw bytes). */
  readonly target: string | Buffer;
  /** Header lines after Host, without the final blank line; raw bytes allowed. */
  readonly headers?: readonly (string | Buffer)[];
  readonly body?: string | Buffer;
  /** Send `Connection: close` (the default) or keep the connection for another request. */
  readonly keepAlive?: boolean;
  /** Content-Length to declare; the body's length unless given. Omit with `chunked`. */
  readonly contentLength?: number;
}

/** Serializes a request without any of fetch's validation. */
export function rawRequest(parts: RawRequestParts): Buffer {
  const body = parts.body === undefined ? Buffer.alloc(0) : Buffer.from(parts.body);
  const lines: Buffer[] = [
    Buffer.concat([Buffer.from(`${parts.method ?? 'GET'} `), Buffer.from(parts.target), Buffer.from(' HTTP/1.1\r\nHost: localhost\r\n')]),
  ];
  for (const header of parts.headers ?? []) lines.push(Buffer.concat([Buffer.from(header), Buffer.from('\r\n')]));
  lines.push(Buffer.from(`Connection: ${parts.keepAlive ? 'keep-alive' : 'close'}\r\n`));
  if (parts.method !== undefined && parts.method !== 'GET' && parts.method !== 'HEAD') {
    lines.push(Buffer.from(`Content-Length: ${parts.contentLength ?? body.length}\r\n`));
  }
  lines.push(Buffer.from('\r\n'), body);
  return Buffer.concat(lines);
}

/** One request on a fresh connection. */
export async function sendRaw(baseUrl: string, parts: RawRequestParts): Promise<RawResponse> {
  const connection = await RawConnection.open(baseUrl);
  try {
    return await connection.request(rawRequest(parts));
  } finally {
    connection.destroy();
  }
}

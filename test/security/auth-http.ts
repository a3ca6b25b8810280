// Raw /auth/v1 calls from a chosen loopback address: Linux routes all of 127.0.0.0/8 to the
// loopback device, so a test can be "another client" (another IP) of the same local stack.
import http from 'node:http';
import type { TestStack } from '../helpers/stack.ts';

export interface AuthAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface AuthCall {
  readonly method?: 'GET' | 'POST' | 'PUT';
  /** Below /auth/v1, with its query string. */
  readonly path: string;
  readonly body?: unknown;
  /** The address the request leaves from. Default 127.0.0.2: not the address the survival check uses. */
  readonly from?: string;
  /** Default the anon key. */
  readonly apikey?: string;
  readonly headers?: Record<string, string>;
}

export function authCall(stack: TestStack, call: AuthCall): Promise<AuthAnswer> {
  const url = new URL(`${stack.url}/auth/v1${call.path}`);
  const payload = call.body === undefined ? '' : JSON.stringify(call.body);
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      method: call.method ?? 'POST',
      localAddress: call.from ?? '127.0.0.2',
      agent: false,
      headers: {
        apikey: call.apikey ?? stack.stack.keys.anon,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(payload)),
        ...call.headers,
      },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text === '' ? null : JSON.parse(text);
        } catch {
          // Not JSON: the text is the body.
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** Makes `count` calls one after the other and returns their statuses. */
export async function statuses(stack: TestStack, count: number, call: (i: number) => AuthCall): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) result.push((await authCall(stack, call(i))).status);
  return result;
}

/** GoTrue's answer to a refused request, without and with the dated API (auth-js sends the header). */
export const RATE_LIMITED = { code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' } as const;
export const RATE_LIMITED_DATED = { code: 'over_request_rate_limit', message: 'Request rate limit reached' } as const;

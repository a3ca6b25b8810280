// After a 413 the client's connection still works: the oversized body is read and thrown away
// rather than left on the wire (where it would be parsed as the next request) or cut off by
// closing the socket (which loses the connection, and with an early close, the 413 itself).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor } from '../helpers/users.ts';
import { RawConnection, rawRequest } from './http-raw.ts';
import { assertGoTrueError, assertPostgrestError } from './http-shapes.ts';
import { survives } from './survival.ts';

const REST_LIMIT = 5 * 1024 * 1024;
const AUTH_LIMIT = 1024 * 1024;

describe('security: a 413 leaves the connection usable', () => {
  let stack: TestStack;
  let token: string;

  before(async () => {
    stack = await startTestStack();
    const visitor = await signInVisitor(stack);
    token = (await visitor.client.auth.getSession()).data.session?.access_token ?? '';
  });
  after(() => stack.close());

  const headers = () => [`apikey: ${stack.stack.keys.anon}`, `Authorization: Bearer ${token}`, 'Content-Type: application/json'];

  it('on one raw socket: REST and auth 413s (declared and chunked), each followed by a request that succeeds', async () => {
    await survives(stack, async () => {
      const connection = await RawConnection.open(stack.url);
      try {
        const next = async (what: string) => {
          const response = await connection.request(rawRequest({ target: '/rest/v1/conversations?select=id&limit=1', headers: headers(), keepAlive: true }));
          assert.equal(response.status, 200, `the request after ${what}: ${response.body}`);
          assert.ok(Array.isArray(response.json));
        };

        const restTooLarge = await connection.request(rawRequest({
          method: 'POST', target: '/rest/v1/rpc/start_conversation', headers: headers(), keepAlive: true,
          body: `{"p_subject":"${'x'.repeat(REST_LIMIT)}"}`,
        }));
        assertPostgrestError({ status: restTooLarge.status, json: restTooLarge.json }, 413, /too large/i);
        await next('a REST 413');

        const authTooLarge = await connection.request(rawRequest({
          method: 'POST', target: '/auth/v1/signup', headers: headers(), keepAlive: true,
          body: `{"data":{"bio":"${'x'.repeat(AUTH_LIMIT)}"}}`,
        }));
        assertGoTrueError({ status: authTooLarge.status, json: authTooLarge.json }, 413, /too large/i, 'request_too_large');
        await next('an auth 413');

        // No Content-Length to go by: the limit is found while reading.
        const chunk = 'x'.repeat(64 * 1024);
        const chunks = Array.from({ length: Math.ceil(REST_LIMIT / chunk.length) + 2 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
        await connection.write(`POST /rest/v1/rpc/start_conversation HTTP/1.1\r\nHost: localhost\r\n${headers().join('\r\n')}\r\n`
          + `Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n${chunks.join('')}0\r\n\r\n`);
        const chunkedTooLarge = await connection.response();
        assertPostgrestError({ status: chunkedTooLarge.status, json: chunkedTooLarge.json }, 413, /too large/i);
        await next('a chunked 413');
        assert.equal(connection.closed, false, 'the server kept the connection open throughout');
      } finally {
        connection.destroy();
      }
    });
  });

  it('through a keep-alive node:http Agent with one socket: the request after a 413 reuses the socket and succeeds', async () => {
    await survives(stack, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const url = new URL(stack.url);
      const call = (method: string, path: string, body?: string) => new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
        const request = http.request({
          agent, host: url.hostname, port: url.port, method, path,
          headers: { apikey: stack.stack.keys.anon, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (part: string) => { text += part; });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, reused: request.reusedSocket }));
          response.on('error', reject);
        });
        request.on('error', reject);
        request.end(body);
      });
      try {
        const first = await call('GET', '/auth/v1/health');
        assert.equal(first.status, 200);
        const tooLarge = await call('POST', '/auth/v1/token?grant_type=password', `{"email":"a@b.co","password":"${'p'.repeat(3 * AUTH_LIMIT)}"}`);
        assert.equal(tooLarge.status, 413, tooLarge.body);
        assert.equal(tooLarge.reused, true);
        const after = await call('GET', '/rest/v1/conversations?select=id&limit=1');
        assert.equal(after.status, 200, after.body);
        assert.equal(after.reused, true, 'the request after the 413 went over the same socket');
      } finally {
        agent.destroy();
      }
    });
  });
});

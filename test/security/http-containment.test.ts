// Whatever one HTTP request does — a target `new URL` or decodeURIComponent chokes on, odd headers,
// a body cut off halfway, a socket gone before its answer — ends with that request: it gets an
// error or is dropped, the failure is logged, and the stack goes on serving everyone else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';
import { RawConnection, rawRequest, sendRaw, type RawResponse } from './http-raw.ts';
import { assertGoTrueError, assertPostgrestError, type Answer } from './http-shapes.ts';
import { survives } from './survival.ts';

const answerOf = (response: RawResponse): Answer => ({ status: response.status, json: response.json });

describe('security: one HTTP request cannot take the stack down', () => {
  let stack: TestStack;
  let token: string;
  const logged: string[] = [];

  before(async () => {
    stack = await startTestStack({ log: (line) => logged.push(line) });
    const visitor = await signInVisitor(stack);
    token = (await visitor.client.auth.getSession()).data.session?.access_token ?? '';
  });
  after(() => stack.close());

  const anonHeaders = () => [`apikey: ${stack.stack.keys.anon}`, 'Content-Type: application/json'];
  const serviceHeaders = () => [`apikey: ${stack.stack.keys.serviceRole}`, `Authorization: Bearer ${stack.stack.keys.serviceRole}`];

  it('request targets that make new URL or decodeURIComponent throw get a 4xx', async () => {
    await survives(stack, async () => {
      // `//` is a scheme-relative URL to `new URL(target, base)`: it threw outside any try/catch.
      for (const target of ['//', '//rest/v1/messages', '///']) {
        const response = await sendRaw(stack.url, { target, headers: anonHeaders() });
        assert.equal(response.status, 404, `${target}: ${response.body}`);
      }
      const asterisk = await sendRaw(stack.url, { target: '*', headers: anonHeaders() });
      assert.equal(asterisk.status, 400, asterisk.body);
      assert.match(String((asterisk.json as { message?: unknown }).message), /malformed URL in request target/);
      assertPostgrestError(answerOf(await sendRaw(stack.url, { target: '/rest/v1/%', headers: anonHeaders() })), 404,
        /public\.%'/, 'PGRST205');
      assertPostgrestError(answerOf(await sendRaw(stack.url, { method: 'POST', target: '/rest/v1/rpc/%', headers: anonHeaders(), body: '{}' })), 404,
        /public\.%/, 'PGRST202');
      assertPostgrestError(answerOf(await sendRaw(stack.url, { target: '/rest/v1/%zz%', headers: anonHeaders() })), 404,
        /public\.%zz%'/, 'PGRST205');
      assertGoTrueError(answerOf(await sendRaw(stack.url, { target: '/auth/v1/admin/users/%', headers: serviceHeaders() })), 404,
        /User not found/, 'user_not_found');
      const broadcast = await sendRaw(stack.url, {
        method: 'POST', target: '/realtime/v1/api/broadcast/%/events/%', headers: [...anonHeaders(), `Authorization: Bearer ${token}`], body: '{}',
      });
      assert.ok(broadcast.status >= 400 && broadcast.status < 500, `broadcast to a malformed topic: ${broadcast.status} ${broadcast.body}`);
      // Absolute-form targets (proxies send them) address a path here, never another host.
      const absolute = await sendRaw(stack.url, {
        target: 'http://elsewhere.example/rest/v1/messages?select=id&limit=1', headers: [...anonHeaders(), `Authorization: Bearer ${token}`],
      });
      assert.equal(absolute.status, 200, absolute.body);
    });
  });

  it('odd header values get a 4xx or are ignored, never a 500', async () => {
    await survives(stack, async () => {
      const odd: (readonly string[])[] = [
        [`apikey: ${stack.stack.keys.anon}`, `apikey: ${stack.stack.keys.serviceRole}`],
        [`apikey: ${stack.stack.keys.anon}`, 'Authorization: Bearer'],
        [`apikey: ${stack.stack.keys.anon}`, 'Authorization: Bearer a.b.c.d.e'],
        [`apikey: ${stack.stack.keys.anon}`, `Authorization: Bearer ${'x'.repeat(10_000)}`],
        [`apikey: ${stack.stack.keys.anon}`, 'Prefer: =,=,,count=,return=representation=x,tx=', 'Prefer: max-affected=1e999, handling=strict'],
        [`apikey: ${stack.stack.keys.anon}`, 'Accept-Profile:', 'Accept: */*;q=', 'Range: bytes=-'],
        [`apikey: ${stack.stack.keys.anon}`, 'Origin: null', 'X-Supabase-Api-Version: 9999-99-99'],
        [`apikey: ${stack.stack.keys.anon}`, `X-Forwarded-For: ${'1.2.3.4, '.repeat(500)}`],
        [`apikey: ${'\u00e9'.repeat(10)}`],
      ];
      for (const headers of odd) {
        for (const target of ['/rest/v1/messages?select=id', '/auth/v1/user', '/rest/v1/rpc/team_profiles']) {
          const response = await sendRaw(stack.url, { target, headers });
          assert.ok(response.status < 500, `${target} with ${headers.join(' | ').slice(0, 120)}: ${response.status} ${response.body}`);
        }
      }
      // Values Node's parser refuses outright still get an answer naming the header, in the service's shape.
      assertPostgrestError(answerOf(await sendRaw(stack.url, { method: 'POST', target: '/rest/v1/messages', headers: anonHeaders(), contentLength: -1 })),
        400, /invalid character 0x2D in header "content-length"/, 'PGRST100');
      assertGoTrueError(answerOf(await sendRaw(stack.url, { target: '/auth/v1/health', headers: [...anonHeaders(), 'X-Client-Info: a\u0001b'] })),
        400, /invalid character 0x01 in header "x-client-info"/, 'validation_failed');
      assertGoTrueError(answerOf(await sendRaw(stack.url, { target: '/auth/v1/health', headers: [...anonHeaders(), 'X-Cli\u0000ent: 1'] })),
        400, /NUL character in header name "x-cli"/, 'validation_failed');
    });
  });

  it('clients that go away mid-request or break the framing end only their own request', async () => {
    await survives(stack, async () => {
      const before = logged.length;
      // A body cut off halfway, on REST and on auth: the read fails, is logged, nothing is answered.
      for (const target of ['/rest/v1/rpc/start_conversation', '/auth/v1/signup']) {
        const connection = await RawConnection.open(stack.url);
        await connection.write(rawRequest({ method: 'POST', target, headers: anonHeaders(), contentLength: 1_000, body: '{"p_subject":"cut' }));
        connection.destroy();
      }
      const loggedFor = (target: string) => logged.slice(before).filter((line) => line.startsWith(`POST ${target}:`)).length;
      await waitFor(() => loggedFor('/rest/v1/rpc/start_conversation') === 1 && loggedFor('/auth/v1/signup') === 1,
        'both cut-off requests to be logged');

      // Gone before the answer: the response is written to a closed socket.
      for (const target of ['/rest/v1/messages?select=*', '/auth/v1/health']) {
        const connection = await RawConnection.open(stack.url);
        await connection.write(rawRequest({ target, headers: anonHeaders(), keepAlive: true }));
        connection.destroy();
      }

      // A chunked body that turns into garbage halfway: Node's parser gives up on the socket; the
      // answer still comes in the service's error shape, and the handler's pending read ends.
      const broken = await RawConnection.open(stack.url);
      await broken.write(Buffer.from(`POST /rest/v1/rpc/start_conversation HTTP/1.1\r\nHost: localhost\r\napikey: ${stack.stack.keys.anon}\r\n`
        + 'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"p_s\r\nZZ\r\n'));
      const refused = await broken.response();
      broken.destroy();
      assertPostgrestError(answerOf(refused), 400, /malformed body framing .* in request body/, 'PGRST100');
      await waitFor(() => loggedFor('/rest/v1/rpc/start_conversation') === 2, 'the broken chunked request to be logged');
      assert.deepEqual(logged.slice(before).filter((line) => /TypeError|RangeError|URIError/.test(line)), []);
    });
  });
});

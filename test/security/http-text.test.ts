// NUL characters and invalid UTF-8 anywhere in an HTTP request — query parameters, path, headers,
// JSON body fields, RPC arguments, auth credentials and metadata — get a 400 naming the field,
// never a 500 from the database and never a silent U+FFFD that changes what a filter matches.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestStack, type TestStack } from '../helpers/stack.ts';
import { signInVisitor, type Person } from '../helpers/users.ts';
import { sendRaw, type RawResponse } from './http-raw.ts';
import { answer, assertGoTrueError, assertPostgrestError, type Answer } from './http-shapes.ts';
import { survives } from './survival.ts';

const raw = (response: RawResponse): Answer => ({ status: response.status, json: response.json });
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

describe('security: NUL and invalid UTF-8 over HTTP', () => {
  let stack: TestStack;
  let visitor: Person;
  let token: string;

  before(async () => {
    stack = await startTestStack();
    visitor = await signInVisitor(stack);
    token = (await visitor.client.auth.getSession()).data.session?.access_token ?? '';
  });
  after(() => stack.close());

  const headers = () => [`apikey: ${stack.stack.keys.anon}`, `Authorization: Bearer ${token}`, 'Content-Type: application/json'];
  const send = async (method: string, target: string | Buffer, body?: string | Buffer, extra: (string | Buffer)[] = []) =>
    raw(await sendRaw(stack.url, { method, target, headers: [...headers(), ...extra], ...(body === undefined ? {} : { body }) }));

  it('REST query parameters, path and headers: NUL or invalid UTF-8 gets 400 naming the parameter', async () => {
    await survives(stack, async () => {
      const nul = (name: string) => new RegExp(`NUL character in query parameter "${name}"`);
      const utf8 = (name: string) => new RegExp(`invalid UTF-8 in query parameter "${name}"`);
      assertPostgrestError(await send('GET', '/rest/v1/messages?content=eq.a%00b'), 400, nul('content'));
      // Decoded leniently this would be a filter on "a\uFFFDb": a silent 200 [] today.
      assertPostgrestError(await send('GET', '/rest/v1/messages?content=eq.a%FFb'), 400, utf8('content'));
      assertPostgrestError(await send('GET', '/rest/v1/messages?content=in.(a,%C3%28)'), 400, utf8('content'));
      assertPostgrestError(await send('GET', '/rest/v1/messages?select=id,%22a%00%22'), 400, nul('select'));
      assertPostgrestError(await send('GET', '/rest/v1/messages?order=content%FF.desc'), 400, utf8('order'));
      assertPostgrestError(await send('GET', '/rest/v1/messages?or=(content.eq.%00,seq.eq.1)'), 400, nul('or'));
      assertPostgrestError(await send('GET', '/rest/v1/messages?content%00=eq.a'), 400, /NUL character in query parameter "content\\u0000"/);
      assertPostgrestError(await send('GET', '/rest/v1/rpc/search_conversations?p_query=a%00'), 400, nul('p_query'));
      assertPostgrestError(await send('GET', '/rest/v1/messages%00'), 400, /NUL character in path/);
      assertPostgrestError(await send('GET', '/rest/v1/%E0%A4'), 400, /invalid UTF-8 in path/);
      assertPostgrestError(await send('GET', '/rest/v1/messages', undefined, [bytes('Accept-Profile: ', [0xc3, 0x28])]), 400,
        /invalid UTF-8 in header "accept-profile"/);
      // Node's parser refuses these before any handler runs; the answer still names the part.
      assertPostgrestError(await send('GET', '/rest/v1/messages', undefined, ['Prefer: count=exact\u0000']), 400,
        /NUL character in header "prefer"/);
      assertPostgrestError(await send('GET', bytes('/rest/v1/messages?content=eq.', [0xc3, 0x28])), 400, /in request target/);
    });
  });

  it('REST body fields and RPC arguments: NUL gets 400 naming the field, invalid UTF-8 gets 400 PGRST102', async () => {
    await survives(stack, async () => {
      assertPostgrestError(await send('POST', '/rest/v1/rpc/start_conversation', '{"p_subject":"Hi\\u0000there"}'), 400,
        /body field "p_subject"/, '22P05');
      assertPostgrestError(await send('POST', '/rest/v1/rpc/start_conversation', '{"p_subject":"Hi","p_metadata":{"k\\u0000":1}}'), 400,
        /body field "p_metadata\.k\\u0000"/, '22P05');
      assertPostgrestError(await send('POST', '/rest/v1/messages', '[{"content":"a"},{"content":"\\u0000"}]'), 400,
        /body field "\[1\]\.content"/, '22P05');
      assertPostgrestError(await send('PATCH', '/rest/v1/customers?name=eq.x', '{"metadata":{"a":["\\u0000"]}}'), 400,
        /body field "metadata\.a\[0\]"/, '22P05');
      // Decoded leniently this conversation would be created with U+FFFD in its subject.
      assertPostgrestError(await send('POST', '/rest/v1/rpc/start_conversation', bytes('{"p_subject":"Caf', [0xe9], '"}')), 400,
        /invalid UTF-8 in request body/, 'PGRST102');

      // Through supabase-js, as an app would send it.
      const { error } = await visitor.client.rpc('start_conversation', { p_subject: 'NUL \u0000 here' });
      assert.equal(error?.code, '22P05');
      assert.match(error?.details ?? '', /p_subject/);
    });
  });

  it('auth: NUL in email, password or metadata and invalid UTF-8 get 400 naming the field', async () => {
    await survives(stack, async () => {
      const nul = (field: string) => new RegExp(`Field "${field.replace(/[.[\]]/g, '\\$&')}" must not contain a NUL character`);
      assertGoTrueError(await send('POST', '/auth/v1/signup', '{"email":"nul\\u0000@parley.test","password":"long enough"}'), 400,
        nul('email'), 'validation_failed');
      assertGoTrueError(await send('POST', '/auth/v1/signup', '{"email":"nul@parley.test","password":"long\\u0000enough"}'), 400,
        nul('password'), 'validation_failed');
      assertGoTrueError(await send('POST', '/auth/v1/signup', '{"data":{"name":"\\u0000"}}'), 400, nul('data.name'), 'validation_failed');
      assertGoTrueError(await send('POST', '/auth/v1/token?grant_type=password', '{"email":"agent@parley.test\\u0000","password":"parley-agent"}'), 400,
        nul('email'), 'validation_failed');
      assertGoTrueError(await send('POST', '/auth/v1/token?grant_type=password', '{"email":"agent@parley.test","password":"parley-agent\\u0000"}'), 400,
        nul('password'), 'validation_failed');
      assertGoTrueError(await send('PUT', '/auth/v1/user', '{"data":{"tags":["ok","\\u0000"]}}'), 400, nul('data.tags[1]'), 'validation_failed');
      assertGoTrueError(await send('POST', '/auth/v1/signup', bytes('{"data":{"name":"', [0xff, 0xfe], '"}}')), 400,
        /invalid UTF-8/, 'bad_json');
      assertGoTrueError(await send('POST', '/auth/v1/token?grant_type=password%00', '{}'), 400,
        /NUL character in query parameter "grant_type"/, 'validation_failed');
      assertGoTrueError(await send('GET', '/auth/v1/user', undefined, [bytes('X-Client-Info: ', [0xc0, 0x80])]), 400,
        /invalid UTF-8 in header "x-client-info"/, 'validation_failed');

      // auth-js sends X-Supabase-Api-Version and reads GoTrue's dated error shape.
      const { error } = await visitor.client.auth.updateUser({ data: { name: 'a\u0000b' } });
      assert.equal(error?.status, 400);
      assert.equal(error?.code, 'validation_failed');
      assert.match(error?.message ?? '', /"data\.name"/);
    });
  });

  it('auth admin: NUL in user_metadata gets 400 naming the field', async () => {
    await survives(stack, async () => {
      const admin = await fetch(`${stack.url}/auth/v1/admin/users`, {
        method: 'POST',
        headers: { apikey: stack.stack.keys.serviceRole, authorization: `Bearer ${stack.stack.keys.serviceRole}`, 'content-type': 'application/json' },
        body: '{"email":"nul-admin@parley.test","user_metadata":{"bio":"x\\u0000"}}',
      });
      assertGoTrueError(await answer(admin), 400, /Field "user_metadata\.bio" must not contain a NUL character/, 'validation_failed');
    });
  });
});

// Raw Realtime sockets for attack tests: frames built by hand (SUPABASE-WIRE §1.2), as a hostile
// client would send them, rather than through supabase-js, which refuses to build most of them.
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { signJwt } from '../../supabase/local/src/keys.ts';
import type { TestStack } from '../helpers/stack.ts';
import { waitFor } from '../helpers/wait.ts';

export type Vsn = '1.0.0' | '2.0.0';

/** A reply or push as [join_ref, ref, topic, event, payload], whichever serializer carried it. */
export type Message = [string | null, string | null, string, string, Record<string, unknown>];

export interface RawSocket {
  readonly ws: WebSocket;
  readonly vsn: Vsn;
  /** Text frames received, decoded to the 2.0.0 array shape. */
  readonly messages: Message[];
  /** Binary frames received (kind 4). */
  readonly binaries: Buffer[];
  /** Resolves with the close code once the socket closed. */
  readonly closed: Promise<number>;
  /** Sends one frame as the socket's serializer writes it; `payload` may be raw JSON text. */
  push(joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): void;
  /** The phx_reply to `ref`, waited for. */
  reply(ref: string, timeoutMs?: number): Promise<{ status: string; response: unknown }>;
}

/** Raw JSON text to splice into a frame unparsed (for payloads JSON.stringify cannot even build). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Arrays nested `depth` deep: far past what JSON.stringify or a recursive walk survives. */
export function nested(depth: number): RawJson {
  return new RawJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

function json(value: unknown): string {
  return value instanceof RawJson ? value.text : JSON.stringify(value);
}

export async function openSocket(stack: TestStack, vsn: Vsn = '2.0.0', apikey = stack.stack.keys.anon): Promise<RawSocket> {
  const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${apikey}&vsn=${vsn}`);
  const messages: Message[] = [];
  const binaries: Buffer[] = [];
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      binaries.push(data as Buffer);
      return;
    }
    const parsed = JSON.parse(String(data)) as Message | { join_ref: string | null; ref: string | null; topic: string; event: string; payload: Record<string, unknown> };
    messages.push(Array.isArray(parsed) ? parsed : [parsed.join_ref, parsed.ref, parsed.topic, parsed.event, parsed.payload]);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws, vsn, messages, binaries, closed,
    push(joinRef, ref, topic, event, payload) {
      ws.send(vsn === '2.0.0'
        ? `[${JSON.stringify(joinRef)},${JSON.stringify(ref)},${JSON.stringify(topic)},${JSON.stringify(event)},${json(payload)}]`
        : `{"join_ref":${JSON.stringify(joinRef)},"ref":${JSON.stringify(ref)},"topic":${JSON.stringify(topic)},"event":${JSON.stringify(event)},"payload":${json(payload)}}`);
    },
    async reply(ref, timeoutMs = 5_000) {
      const find = () => messages.find((message) => message[1] === ref && message[3] === 'phx_reply');
      await waitFor(() => find() !== undefined, `the reply to ref ${ref}`, timeoutMs);
      return (find() as Message)[4] as { status: string; response: unknown };
    },
  };
}

/** Joins `topic` and asserts the join was accepted. */
export async function join(socket: RawSocket, joinRef: string, topic: string, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<void> {
  socket.push(joinRef, joinRef, topic, 'phx_join', { config, ...extra });
  const reply = await socket.reply(joinRef);
  assert.equal(reply.status, 'ok', `join of ${topic}: ${JSON.stringify(reply.response)}`);
}

/** A kind-3 user broadcast push, as realtime-js encodes `channel.send()` (encoding 1: JSON text). */
export function userBroadcastPush(joinRef: string, ref: string, topic: string, event: string, payloadText: string): Buffer {
  const parts = [joinRef, ref, topic, event, ''].map((part) => Buffer.from(part, 'utf8'));
  const header = Buffer.from([3, ...parts.map((part) => part.length), 1]);
  return Buffer.concat([header, ...parts, Buffer.from(payloadText, 'utf8')]);
}

/** A kind-4 frame's parts (SUPABASE-WIRE §1.2). */
export function decodeUserBroadcast(frame: Buffer): { topic: string; event: string; payload: string } {
  assert.equal(frame[0], 4, 'a kind-4 frame');
  const [topicLength = 0, eventLength = 0, metadataLength = 0] = [frame[1], frame[2], frame[3]];
  let offset = 5;
  const topic = frame.subarray(offset, (offset += topicLength)).toString('utf8');
  const event = frame.subarray(offset, (offset += eventLength)).toString('utf8');
  offset += metadataLength;
  return { topic, event, payload: frame.subarray(offset).toString('utf8') };
}

/** A signed user token, as an anonymous sign-in would hand any visitor. */
export async function userToken(stack: TestStack, sub: string = crypto.randomUUID()): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signJwt(stack.stack.keys.jwtSecret, { role: 'authenticated', sub, aud: 'authenticated', iat: now, exp: now + 600 });
}

/** POSTs to a realtime HTTP endpoint with the anon key. */
export async function postRealtime(stack: TestStack, path: string, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${stack.url}/realtime/v1${path}`, {
    method: 'POST',
    headers: { apikey: stack.stack.keys.anon, 'content-type': contentType },
    body,
  });
}

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ServiceHandler, StackContext } from '../http/context.ts';
import { readRawBody, sendEmpty, sendJson } from '../http/respond.ts';
import { decodeUtf8, InputError, MAX_JSON_DEPTH, parseBoundedJson } from '../input.ts';
import { apiKeyClaims, apiKeyRole, type Claims } from '../keys.ts';
import { canWrite } from './authorization.ts';
import type { RealtimeContext } from './channel.ts';
import { Connection, IDLE_TIMEOUT_MS } from './connection.ts';
import { Hub, hubTopic, MAX_PAYLOAD_BYTES } from './hub.ts';
import type { BroadcastPayload, Vsn } from './serializer.ts';
import { checkToken } from './tokens.ts';
import type { ChangeFeed, DatabaseBroadcast } from './types.ts';

export interface RealtimeService {
  /** Takes over an HTTP upgrade for `/realtime/v1/websocket`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** `/realtime/v1/api/…`: the broadcast endpoints, behind the gateway's apikey check. */
  readonly handleHttp: ServiceHandler;
  /** Routes a `realtime.send()` row from the WAL to its subscribers. */
  deliverDatabaseBroadcast(message: DatabaseBroadcast): void;
  /** Open sockets and joined channels, for tests, benchmarks and `status`. */
  stats(): { sockets: number; channels: number };
  close(): Promise<void>;
}

export interface RealtimeOptions {
  readonly feed: ChangeFeed;
  readonly idleTimeoutMs?: number;
}

/** Realtime's endpoint `max_frame_size`; ws closes a socket sending more with 1009. */
const MAX_FRAME_BYTES = 5_000_000;

export function createRealtimeService(context: StackContext, options: RealtimeOptions): RealtimeService {
  const hub = new Hub();
  const realtime: RealtimeContext = {
    pool: context.pool, jwtSecret: context.keys.jwtSecret, hub, feed: options.feed, log: context.log,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const connections = new Set<Connection>();

  /** The socket's apikey: a known project key, whose claims act for joins without their own token. */
  async function socketClaims(apikey: string | null): Promise<
    { ok: true; claims: Claims } | { ok: false; status: number; error: string }
  > {
    if (!apikey) return { ok: false, status: 401, error: 'API key is missing' };
    const role = apiKeyRole(context.keys, apikey);
    if (role === null) return { ok: false, status: 401, error: 'Failed to validate JWT signature' };
    if (apikey.startsWith('sb_')) return { ok: true, claims: apiKeyClaims(role) };
    const checked = await checkToken(context.keys.jwtSecret, apikey);
    return checked.ok ? { ok: true, claims: checked.claims } : { ok: false, status: 401, error: checked.message };
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/realtime/v1/websocket' && url.pathname !== '/realtime/v1/websocket/') {
      refuseUpgrade(socket, 404, 'Not found');
      return;
    }
    const vsnParam = url.searchParams.get('vsn') ?? '1.0.0';
    if (vsnParam !== '1.0.0' && vsnParam !== '2.0.0') {
      refuseUpgrade(socket, 400, `Unsupported serializer version: ${vsnParam}`);
      return;
    }
    const header = req.headers['x-api-key'] ?? req.headers.apikey;
    const apikey = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('apikey');
    const checked = await socketClaims(apikey);
    if (!checked.ok) {
      refuseUpgrade(socket, checked.status, checked.error);
      return;
    }
    const claims = checked.claims;
    wss.handleUpgrade(req, socket, head, (ws) => {
      try {
        const connection = new Connection(ws, vsnParam as Vsn, claims, realtime, options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
        connections.add(connection);
        ws.once('close', () => connections.delete(connection));
      } catch (error) {
        context.log(`realtime: could not set up a socket: ${error instanceof Error ? error.message : String(error)}`);
        ws.terminate();
      }
    });
  }

  /** Bearer token, else the apikey: who is calling the broadcast endpoints. */
  async function callerClaims(authorization: string | undefined, apikey: string): Promise<Claims | null> {
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    const token = bearer ?? apikey;
    const role = apiKeyRole(context.keys, token);
    if (role !== null && token.startsWith('sb_')) return apiKeyClaims(role);
    const checked = await checkToken(context.keys.jwtSecret, token);
    return checked.ok ? checked.claims : null;
  }

  const handleHttp: ServiceHandler = async ({ req, res, path, apikey }) => {
    if (req.method !== 'POST' || !path.startsWith('/api/broadcast')) {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    const claims = await callerClaims(req.headers.authorization, apikey);
    if (!claims) {
      sendJson(res, 401, { message: 'Unauthorized' });
      return;
    }
    const raw = await readRawBody(req);
    const single = /^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/.exec(path);
    if (single) {
      const [, rawTopic = '', rawEvent = ''] = single;
      const topic = decodeURIComponent(rawTopic);
      const event = decodeURIComponent(rawEvent);
      const isPrivate = new URL(req.url ?? '/', 'http://localhost').searchParams.get('private') === 'true';
      if (isPrivate && !(await canWrite(context.pool, claims, topic, 'broadcast'))) {
        sendJson(res, 403, { message: 'You do not have permissions to write to this Channel topic' });
        return;
      }
      const binary = (req.headers['content-type'] ?? '').startsWith('application/octet-stream');
      let payload: BroadcastPayload;
      if (binary) {
        payload = { json: false, bytes: raw };
      } else {
        const parsed = parseBody(raw, 'payload', MAX_JSON_DEPTH);
        if (parsed instanceof Error) {
          sendJson(res, 400, { message: parsed.message });
          return;
        }
        payload = raw.length === 0 ? { json: true, value: {} } : { json: true, value: parsed.value, text: parsed.text };
      }
      if (raw.length > MAX_PAYLOAD_BYTES) {
        // Realtime's changeset error (SingleBroadcast.validate_payload_size), via its ChangesetView.
        sendJson(res, 422, { errors: { payload: ['Payload size exceeds tenant limit'] } });
        return;
      }
      hub.broadcast(hubTopic(topic, isPrivate), { event, payload, binary: true });
      sendEmpty(res, 202);
      return;
    }
    if (path !== '/api/broadcast' && path !== '/api/broadcast/') {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    // Each message's payload sits three levels down: {"messages": [{"payload": …}]}.
    const parsed = parseBody(raw, 'messages', MAX_JSON_DEPTH + 3);
    if (parsed instanceof Error) {
      sendJson(res, 400, { message: parsed.message });
      return;
    }
    const messages = parseBatch(parsed.value);
    if (typeof messages === 'string') {
      sendJson(res, 422, { message: messages });
      return;
    }
    if (messages.some((message) => message.size > MAX_PAYLOAD_BYTES)) {
      sendJson(res, 422, {
        errors: { messages: messages.map((message) => (message.size > MAX_PAYLOAD_BYTES ? { payload: ['Payload size exceeds tenant limit'] } : {})) },
      });
      return;
    }
    for (const message of messages) {
      // Private messages go out only if the caller could write to the topic, like Realtime does.
      if (message.private && !(await canWrite(context.pool, claims, message.topic, 'broadcast'))) continue;
      hub.broadcast(hubTopic(message.topic, message.private), {
        event: message.event, payload: { json: true, value: message.payload }, binary: false,
      });
    }
    sendEmpty(res, 202);
  };

  return {
    handleUpgrade(req, socket, head) {
      upgrade(req, socket, head).catch((error: unknown) => {
        context.log(`realtime upgrade: ${error instanceof Error ? error.message : String(error)}`);
        refuseUpgrade(socket, 500, 'Internal error');
      });
    },
    handleHttp,
    deliverDatabaseBroadcast(message) {
      hub.broadcast(hubTopic(message.topic, message.private), {
        event: message.event, payload: { json: true, value: message.payload }, meta: { id: message.id }, binary: true,
      });
    },
    stats() {
      let channels = 0;
      for (const connection of connections) channels += connection.channelCount;
      return { sockets: connections.size, channels };
    },
    async close() {
      for (const connection of connections) connection.close();
      connections.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * A JSON request body, refused (as an Error naming the field) when it is not UTF-8 or JSON, or
 * nests deeper than `maxDepth`: Realtime's Plug.Parsers answers a body it cannot parse with 400.
 */
function parseBody(raw: Buffer, field: string, maxDepth: number): { value: unknown; text: string } | Error {
  try {
    const text = decodeUtf8(raw, field);
    return { value: text === '' ? null : parseBoundedJson(text, field, maxDepth), text };
  } catch (error) {
    if (error instanceof InputError) return new Error(`${error.field ?? field}: ${error.message}`);
    return new Error(`${field}: not valid JSON`);
  }
}

interface BatchMessage {
  topic: string;
  event: string;
  payload: unknown;
  private: boolean;
  /** Bytes of the payload's JSON text. */
  size: number;
}

function parseBatch(parsed: unknown): BatchMessage[] | string {
  const messages = typeof parsed === 'object' && parsed !== null ? (parsed as { messages?: unknown }).messages : undefined;
  if (!Array.isArray(messages) || messages.length === 0) return 'messages must be a non-empty array';
  const result: BatchMessage[] = [];
  for (const entry of messages) {
    if (typeof entry !== 'object' || entry === null) return 'every message needs a topic and an event';
    const message = entry as Record<string, unknown>;
    if (typeof message.topic !== 'string' || message.topic === '' || typeof message.event !== 'string') {
      return 'every message needs a topic and an event';
    }
    const payload = message.payload ?? {};
    // Depth is bounded by now, so encoding to measure is safe.
    result.push({ topic: message.topic, event: message.event, payload, private: message.private === true, size: Buffer.byteLength(JSON.stringify(payload)) });
  }
  return result;
}

/** Realtime answers a refused upgrade with an HTTP error and a JSON body `{error}`. */
function refuseUpgrade(socket: Duplex, status: number, error: string): void {
  const body = JSON.stringify({ error });
  const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : status === 400 ? 'Bad Request' : 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: close\r\n\r\n${body}`,
  );
}

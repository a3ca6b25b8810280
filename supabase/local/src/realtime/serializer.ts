/**
 * Phoenix serializers as Supabase Realtime speaks them (SUPABASE-WIRE §1.2): 1.0.0 sends JSON
 * objects; 2.0.0 sends JSON arrays `[join_ref, ref, topic, event, payload]` plus binary user
 * broadcasts, kind 3 from the client and kind 4 to it. The client decodes no other binary kind.
 *
 * A frame's envelope is read without parsing its payload, so a payload nested deeper than
 * MAX_JSON_DEPTH is refused (and answered) before anything parses, encodes or walks it.
 */

import { decodeUtf8, InputError, parseBoundedJson } from '../input.ts';

export type Vsn = '1.0.0' | '2.0.0';

export interface Frame {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: unknown;
}

/** A frame as a client sent it. */
export interface ReceivedFrame extends Frame {
  /** `{}` when the payload was refused. */
  readonly payload: unknown;
  /** Why the payload was refused at the door (too deep, not UTF-8); the frame is answered, not handled. */
  readonly refused?: string;
}

/** A user broadcast payload: JSON (kept as the text the client sent, relayed as is) or raw bytes. */
export type BroadcastPayload =
  | { readonly json: true; readonly value: unknown; readonly text?: string }
  | { readonly json: false; readonly bytes: Buffer };

/** A user broadcast pushed by a V2 client as a kind-3 binary frame. */
export interface BinaryBroadcastPush {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: BroadcastPayload;
  /** Bytes of the payload: what the size limit measures. */
  readonly size: number;
  readonly refused?: string;
}

export class FrameError extends Error {}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

export function decodeText(vsn: Vsn, text: string): ReceivedFrame {
  const envelope = topLevel(text);
  if (vsn === '2.0.0') {
    // Realtime's V2 serializer takes the first five elements and ignores the rest.
    if (envelope?.kind !== 'array' || envelope.items.length < 5) throw new FrameError('a 2.0.0 frame is an array of five elements');
    const [joinRef, ref, topic, event, payload] = envelope.items as [string, string, string, string, string];
    return frame(scalar(joinRef), scalar(ref), scalar(topic), scalar(event), payload);
  }
  if (envelope?.kind !== 'object') throw new FrameError('a 1.0.0 frame is an object');
  const fields = new Map<unknown, string>();
  for (let i = 0; i + 1 < envelope.items.length; i += 2) {
    const key = scalar(envelope.items[i] as string);
    if (typeof key !== 'string') throw new FrameError('object keys must be strings');
    fields.set(key, envelope.items[i + 1] as string);
  }
  const field = (name: string) => {
    const value = fields.get(name);
    return value === undefined ? undefined : scalar(value);
  };
  return frame(field('join_ref') ?? null, field('ref') ?? null, field('topic'), field('event'), fields.get('payload'));
}

function frame(joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payloadText: string | undefined): ReceivedFrame {
  if (typeof topic !== 'string' || typeof event !== 'string') throw new FrameError('topic and event must be strings');
  const base = { joinRef: optionalRef(joinRef), ref: optionalRef(ref), topic, event };
  if (payloadText === undefined) return { ...base, payload: {} };
  try {
    return { ...base, payload: parseBoundedJson(payloadText, 'payload') ?? {} };
  } catch (error) {
    if (error instanceof InputError) return { ...base, payload: {}, refused: `${error.field ?? 'payload'}: ${error.message}` };
    throw new FrameError('frame is not JSON');
  }
}

/** A JSON scalar (string, number, null, boolean) from its text; containers are not refs or names. */
function scalar(text: string): unknown {
  const first = text.charCodeAt(0);
  if (first === 0x5b || first === 0x7b) throw new FrameError('refs, topic and event must be strings');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FrameError('frame is not JSON');
  }
}

function optionalRef(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new FrameError('refs must be strings');
}

/**
 * The top level of a JSON array (its elements' texts) or object (its keys' and values' texts,
 * alternating), found by one scan that tracks strings and nesting but parses nothing, so it costs
 * the same however deep the elements nest. Null when the text is not one array or object.
 * The element texts are trimmed; whether they are valid JSON is for their parser to say.
 */
function topLevel(text: string): { kind: 'array' | 'object'; items: string[] } | null {
  let start = 0;
  while (start < text.length && isSpace(text.charCodeAt(start))) start++;
  const open = text.charCodeAt(start);
  if (open !== 0x5b && open !== 0x7b) return null;
  const kind = open === 0x5b ? 'array' : 'object';
  const items: string[] = [];
  let depth = 0;
  let inString = false;
  let itemStart = start + 1;
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++;
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
    } else if (code === 0x5d || code === 0x7d) {
      if (depth > 0) {
        depth--;
        continue;
      }
      const last = text.slice(itemStart, i).trim();
      if (last !== '' || items.length > 0) items.push(last);
      for (let rest = i + 1; rest < text.length; rest++) if (!isSpace(text.charCodeAt(rest))) return null;
      // Keys end with ':' and values with ',' or '}': an object's items alternate.
      return kind === 'object' && items.length % 2 !== 0 ? null : { kind, items };
    } else if (depth === 0 && (code === 0x2c || (kind === 'object' && code === 0x3a))) {
      if (kind === 'object' && (code === 0x3a) !== (items.length % 2 === 0)) return null;
      items.push(text.slice(itemStart, i).trim());
      itemStart = i + 1;
    }
  }
  return null;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

export function decodeBinary(data: Buffer): BinaryBroadcastPush {
  if (data.length < 7 || data[0] !== KIND_USER_BROADCAST_PUSH) throw new FrameError('unsupported binary frame');
  const lengths = [data[1], data[2], data[3], data[4], data[5]].map((n) => n ?? 0);
  const encoding = data[6];
  let offset = 7;
  const take = (length: number) => {
    const slice = data.subarray(offset, offset + length);
    if (slice.length !== length) throw new FrameError('binary frame is truncated');
    offset += length;
    return slice.toString('utf8');
  };
  const [joinRefLength = 0, refLength = 0, topicLength = 0, eventLength = 0, metadataLength = 0] = lengths;
  const joinRef = take(joinRefLength);
  const ref = take(refLength);
  const topic = take(topicLength);
  const event = take(eventLength);
  take(metadataLength);
  const body = data.subarray(offset);
  const base = { joinRef: joinRef || null, ref: ref || null, topic, event, size: body.length };
  if (encoding === ENCODING_BINARY) return { ...base, payload: { json: false, bytes: Buffer.from(body) } };
  if (encoding !== ENCODING_JSON) throw new FrameError('unknown payload encoding');
  try {
    const text = decodeUtf8(body, 'payload');
    return { ...base, payload: { json: true, value: parseBoundedJson(text, 'payload'), text } };
  } catch (error) {
    if (error instanceof InputError) return { ...base, payload: { json: true, value: {} }, refused: `${error.field ?? 'payload'}: ${error.message}` };
    throw new FrameError('broadcast payload is not JSON');
  }
}

export function encodeText(vsn: Vsn, message: Frame): string {
  if (vsn === '2.0.0') {
    return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload]);
  }
  return JSON.stringify({
    join_ref: message.joinRef, ref: message.ref, topic: message.topic, event: message.event, payload: message.payload,
  });
}

/** The longest topic, event or metadata a kind-4 frame can carry (one length byte each). */
export const MAX_BINARY_FIELD_BYTES = 255;

/**
 * Kind-4 frame for V2 sockets, or null when the topic, event or metadata is too long for its
 * length bytes (the caller sends the broadcast as text then). `metadata` becomes the client's `meta`.
 */
export function encodeUserBroadcast(
  topic: string,
  event: string,
  payload: BroadcastPayload,
  metadata?: Record<string, unknown>,
): Buffer | null {
  const topicBytes = Buffer.from(topic, 'utf8');
  const eventBytes = Buffer.from(event, 'utf8');
  const metadataBytes = Buffer.from(metadata ? JSON.stringify(metadata) : '', 'utf8');
  if (Math.max(topicBytes.length, eventBytes.length, metadataBytes.length) > MAX_BINARY_FIELD_BYTES) return null;
  const body = payload.json ? Buffer.from(payload.text ?? JSON.stringify(payload.value ?? {}), 'utf8') : payload.bytes;
  const header = Buffer.from([
    KIND_USER_BROADCAST, topicBytes.length, eventBytes.length, metadataBytes.length,
    payload.json ? ENCODING_JSON : ENCODING_BINARY,
  ]);
  return Buffer.concat([header, topicBytes, eventBytes, metadataBytes, body]);
}

/**
 * Phoenix serializers as Supabase Realtime speaks them (SUPABASE-WIRE §1.2): 1.0.0 sends JSON
 * objects; 2.0.0 sends JSON arrays `[join_ref, ref, topic, event, payload]` plus binary user
 * broadcasts, kind 3 from the client and kind 4 to it. The client decodes no other binary kind.
 */

export type Vsn = '1.0.0' | '2.0.0';

export interface Frame {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  readonly payload: unknown;
}

/** A user broadcast pushed by a V2 client as a kind-3 binary frame. */
export interface BinaryBroadcastPush {
  readonly joinRef: string | null;
  readonly ref: string | null;
  readonly topic: string;
  readonly event: string;
  /** JSON-encoded (encoding 1) or raw bytes (encoding 0). */
  readonly payload: { readonly json: true; readonly value: unknown } | { readonly json: false; readonly bytes: Buffer };
}

export class FrameError extends Error {}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

export function decodeText(vsn: Vsn, text: string): Frame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FrameError('frame is not JSON');
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5) throw new FrameError('a 2.0.0 frame is a five-element array');
    const [joinRef, ref, topic, event, payload] = parsed as unknown[];
    return frame(joinRef, ref, topic, event, payload);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new FrameError('a 1.0.0 frame is an object');
  const message = parsed as Record<string, unknown>;
  return frame(message.join_ref ?? null, message.ref ?? null, message.topic, message.event, message.payload);
}

function frame(joinRef: unknown, ref: unknown, topic: unknown, event: unknown, payload: unknown): Frame {
  if (typeof topic !== 'string' || typeof event !== 'string') throw new FrameError('topic and event must be strings');
  return { joinRef: optionalRef(joinRef), ref: optionalRef(ref), topic, event, payload: payload ?? {} };
}

function optionalRef(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new FrameError('refs must be strings');
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
  let payload: BinaryBroadcastPush['payload'];
  if (encoding === ENCODING_JSON) {
    try {
      payload = { json: true, value: JSON.parse(body.toString('utf8')) };
    } catch {
      throw new FrameError('broadcast payload is not JSON');
    }
  } else if (encoding === ENCODING_BINARY) {
    payload = { json: false, bytes: Buffer.from(body) };
  } else {
    throw new FrameError('unknown payload encoding');
  }
  return { joinRef: joinRef || null, ref: ref || null, topic, event, payload };
}

export function encodeText(vsn: Vsn, message: Frame): string {
  if (vsn === '2.0.0') {
    return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload]);
  }
  return JSON.stringify({
    join_ref: message.joinRef, ref: message.ref, topic: message.topic, event: message.event, payload: message.payload,
  });
}

/** Kind-4 frame for V2 sockets. `metadata` becomes the client's `meta`. */
export function encodeUserBroadcast(
  topic: string,
  event: string,
  payload: BinaryBroadcastPush['payload'],
  metadata?: Record<string, unknown>,
): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const eventBytes = Buffer.from(event, 'utf8');
  const metadataBytes = Buffer.from(metadata ? JSON.stringify(metadata) : '', 'utf8');
  if (topicBytes.length > 255 || eventBytes.length > 255 || metadataBytes.length > 255) {
    throw new FrameError('topic, event and metadata must each fit in 255 bytes');
  }
  const body = payload.json ? Buffer.from(JSON.stringify(payload.value ?? {}), 'utf8') : payload.bytes;
  const header = Buffer.from([
    KIND_USER_BROADCAST, topicBytes.length, eventBytes.length, metadataBytes.length,
    payload.json ? ENCODING_JSON : ENCODING_BINARY,
  ]);
  return Buffer.concat([header, topicBytes, eventBytes, metadataBytes, body]);
}

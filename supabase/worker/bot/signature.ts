/**
 * Webhook signatures, for the worker that signs and for bots that check (README "Chatbot"):
 * `X-Parley-Timestamp: <unix seconds>` and `X-Parley-Signature: v1=<hex HMAC-SHA256(secret,
 * timestamp + "." + body)>`. The timestamp is signed with the body, so a captured request cannot be
 * re-dated; a bot refuses one outside its tolerance, and one whose signature it has already seen.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Parley-Timestamp';
export const SIGNATURE_HEADER = 'X-Parley-Signature';

export function signWebhook(secret: string, body: string, timestamp: number = Math.floor(Date.now() / 1000)): Record<string, string> {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: `v1=${digest}` };
}

export interface VerifyOptions {
  /** How far the timestamp may be from now. Default 300 s. */
  readonly toleranceSeconds?: number;
  /** Now, in unix seconds (tests). */
  readonly now?: number;
  /**
   * Signatures already accepted, with their timestamps: pass the same map to every call and a
   * replayed request is refused. Entries older than the tolerance are dropped as it goes, since
   * the timestamp check refuses those requests anyway.
   */
  readonly seen?: Map<string, number>;
}

export type VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: 'missing' | 'signature' | 'expired' | 'replayed' };

type HeaderBag = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

export function verifyWebhook(secret: string, body: string, headers: HeaderBag, options: VerifyOptions = {}): VerifyResult {
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const stamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!stamp || !/^\d{1,12}$/.test(stamp) || !signature) return { ok: false, reason: 'missing' };
  const expected = Buffer.from(signWebhook(secret, body, Number(stamp))[SIGNATURE_HEADER] ?? '');
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  if (Math.abs(now - Number(stamp)) > tolerance) return { ok: false, reason: 'expired' };
  if (options.seen) {
    for (const [key, at] of options.seen) if (Math.abs(now - at) > tolerance) options.seen.delete(key);
    if (options.seen.has(signature)) return { ok: false, reason: 'replayed' };
    options.seen.set(signature, Number(stamp));
  }
  return { ok: true };
}

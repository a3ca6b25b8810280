/**
 * Client-generated ids: message ids, conversation ids and channel topics. One module, so no code
 * reaches for `crypto.randomUUID()` directly: browsers define it only in secure contexts, and a
 * host page served over plain http is not one.
 */

/** A random UUID v4; built from `crypto.getRandomValues` where `randomUUID` is missing. */
export function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

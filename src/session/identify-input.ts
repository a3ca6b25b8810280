/**
 * The checks `identify({ name, email, ...attributes })` runs the moment a host page calls it, on the
 * embed stub and on the full launcher alike, so a bad call fails at once with a message naming the
 * problem and nothing is queued or sent. The database checks the same bounds again
 * (identify_customer in 20261220000201_visitor_profile.sql). No imports: the stub of parley.js
 * carries this module.
 */

/** How much a host may tell about its user (the RPC enforces the same numbers). */
export const IDENTIFY_LIMITS = {
  name: 120,
  email: 254,
  /** Attributes a customer keeps in all, across calls. */
  attributes: 50,
  attributeName: 64,
  /** Characters of a string attribute. */
  attributeValue: 256,
} as const;

/** A scalar a customer attribute may hold; null removes the attribute. */
export type AttributeValue = string | number | boolean | null;

/** What a host page passes to `identify()`: name and email, and any other keys as custom attributes. */
export interface IdentifyInput {
  readonly name?: string | null;
  readonly email?: string | null;
  readonly [attribute: string]: AttributeValue | undefined;
}

/** `identify()`'s input, checked and split: what the RPC takes. */
export interface Identity {
  /** Trimmed; absent when not given (an empty string counts as not given). */
  readonly name?: string;
  readonly email?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function fail(message: string): never {
  throw new TypeError(`identify(): ${message}`);
}

/**
 * Checks and splits an `identify()` argument.
 * @throws {TypeError} naming what is wrong: not an object, name or email not text or too long, an
 *   email that is not an address, an attribute name over 64 characters, a value that is not a
 *   string, finite number, boolean or null, a string over 256 characters, or over 50 attributes.
 */
export function checkIdentify(input: unknown): Identity {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) fail('pass an object like { name, email, plan: "pro" }');
  const attributes: Record<string, AttributeValue> = {};
  let name: string | undefined;
  let email: string | undefined;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'name' || key === 'email') {
      if (value !== null && typeof value !== 'string') fail(`${key} must be text`);
      const text = (value ?? '').trim();
      if (text === '') continue;
      if (text.length > IDENTIFY_LIMITS[key]) fail(`${key} is longer than ${IDENTIFY_LIMITS[key]} characters`);
      if (key === 'email' && !EMAIL.test(text)) fail(`email "${text}" is not an email address`);
      if (key === 'name') name = text;
      else email = text.toLowerCase();
      continue;
    }
    if (key.length === 0) fail('attribute names cannot be empty');
    if (key.length > IDENTIFY_LIMITS.attributeName) fail(`attribute names are at most ${IDENTIFY_LIMITS.attributeName} characters ("${key.slice(0, 20)}…")`);
    const ok = value === null || typeof value === 'string' || typeof value === 'boolean'
      || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) fail(`attribute "${key}" must be a string, finite number, boolean or null`);
    if (typeof value === 'string' && value.length > IDENTIFY_LIMITS.attributeValue) {
      fail(`attribute "${key}" is longer than ${IDENTIFY_LIMITS.attributeValue} characters`);
    }
    attributes[key] = value as AttributeValue;
  }
  if (Object.keys(attributes).length > IDENTIFY_LIMITS.attributes) fail(`at most ${IDENTIFY_LIMITS.attributes} attributes`);
  return { ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email }), attributes };
}

/** Two identify() calls as one: the later one's name, email and attributes win, attributes merge. */
export function mergeIdentity(earlier: Identity | null, later: Identity): Identity {
  if (!earlier) return later;
  return {
    ...earlier,
    ...later,
    attributes: { ...earlier.attributes, ...later.attributes },
  };
}

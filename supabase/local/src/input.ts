/**
 * Bounds on what a client may send, checked where input enters (HTTP bodies, query strings,
 * WebSocket frames), so nothing downstream recurses over an unbounded tree or hands PostgreSQL a
 * string it cannot store. V8's JSON.parse is iterative, but JSON.stringify, pg's serializer and
 * our own tree walks are not: a 100,000-deep array parses fine and then overflows the stack.
 */

/** Deepest JSON nesting accepted anywhere. Hosted PostgREST and Realtime refuse far shallower trees than V8 overflows on. */
export const MAX_JSON_DEPTH = 64;

/** A client's input broke a bound or is not valid text; `field` names where, for the 400. */
export class InputError extends Error {
  constructor(message: string, readonly field: string | null = null) {
    super(message);
    this.name = 'InputError';
  }
}

/**
 * The deepest nesting of arrays and objects in a JSON text, scanned without recursion and without
 * parsing. Brackets inside strings do not count. Stops early once past `stopAbove`.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // a backslash escapes the next character, quotes included
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}

/**
 * JSON.parse, refusing text nested deeper than `maxDepth` before parsing it.
 * Throws InputError (depth) or SyntaxError (not JSON).
 */
export function parseBoundedJson(text: string, field: string | null = null, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    throw new InputError(`JSON nested deeper than ${maxDepth} levels`, field);
  }
  return JSON.parse(text) as unknown;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes bytes as UTF-8, refusing invalid sequences (a lenient decode would store U+FFFD silently). */
export function decodeUtf8(bytes: Uint8Array, field: string | null = null): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new InputError('invalid UTF-8', field);
  }
}

/**
 * The path of the first string (key or value) holding a NUL character, which PostgreSQL text and
 * jsonb cannot store, or null. Walks iteratively; call it on depth-bounded values.
 */
export function findNul(value: unknown, path = ''): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return item.path;
    } else if (Array.isArray(current)) {
      current.forEach((element, index) => stack.push({ value: element, path: `${item.path}[${index}]` }));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, element] of Object.entries(current)) {
        const child = item.path === '' ? key : `${item.path}.${key}`;
        if (key.includes('\u0000')) return child;
        stack.push({ value: element, path: child });
      }
    }
  }
  return null;
}

import { describe, type Refuse } from '../http/refusal.ts';
import type { InputError } from '../input.ts';
import { parseError, RestError } from './errors.ts';

/**
 * Deepest `select=` embedding and `or=`/`and=` nesting accepted, counted in parentheses. PostgREST
 * sets no bound (its Haskell stack grows), but ours is the JavaScript stack: the parsers, the
 * planner and the SQL renderer recurse once per level, and PostgreSQL plans one subquery per embed
 * — 300 alternating embeds already keep it busy for seconds. Real queries nest a handful of levels.
 */
export const MAX_QUERY_DEPTH = 32;

/** PGRST100 for a query-string tree nested deeper than MAX_QUERY_DEPTH; scanned without recursion. */
export function checkNesting(text: string, what: string, name: string): void {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === '(') {
      depth++;
      if (depth > MAX_QUERY_DEPTH) {
        throw parseError(what, text, i + 1, `${name} nested deeper than ${MAX_QUERY_DEPTH} levels`);
      }
    } else if (char === ')') depth--;
  }
}

/** The gateway's refusal of a path, query parameter or header that is not usable text. */
export const refuseRestInput: Refuse = (error) => ({
  body: { code: 'PGRST100', message: describe(error), details: null, hint: null },
});

/** A body that is not strict UTF-8 or nests too deep: PostgREST's invalid-body error, saying why. */
export function invalidBodyInput(error: InputError): RestError {
  return new RestError(400, 'PGRST102', 'Empty or invalid json', describe(error));
}

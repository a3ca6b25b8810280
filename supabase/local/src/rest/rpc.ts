import { RestError } from './errors.ts';
import { fuzzyBest } from './fuzzy.ts';
import type { Routine, SchemaCache } from './schema.ts';
import { ident, qualified, type Params } from './sql.ts';

// Function resolution and calls as PostgREST does them (Plan.hs `findProc`, Error.hs `NoRpc` and
// `AmbiguousRpc`, QueryBuilder.hs `callPlanToQuery`).

/** How the arguments came: a JSON body or query string (named), or a raw body for one unnamed parameter. */
export type ArgumentSource = 'json' | 'query' | 'text' | 'xml' | 'binary';

/** The single unnamed parameter type each raw body can fill. */
const RAW_PARAMETER: Record<ArgumentSource, readonly string[]> = {
  json: ['json', 'jsonb'], query: [], text: ['text'], xml: ['xml'], binary: ['bytea'],
};
const RAW_DESCRIPTION: Partial<Record<ArgumentSource, string>> = { text: 'text', xml: 'xml', binary: 'bytea' };

/**
 * The overload whose parameters the keys match: all required ones, and optional ones at will.
 * Failing that, a POST's body goes to a function's single unnamed parameter of a fitting type.
 * Several matches are 300 PGRST203; none is 404 PGRST202 with PostgREST's message and hint.
 */
export function resolveRoutine(cache: SchemaCache, schema: string, name: string, keys: ReadonlySet<string>, source: ArgumentSource): Routine {
  const overloads = cache.routines.get(schema)?.get(name) ?? [];
  const named = overloads.filter((routine) => matchesKeys(routine, keys, source));
  const raw = overloads.filter((routine) => !named.includes(routine) && routine.args.length === 1
    && routine.args[0]?.name === '' && RAW_PARAMETER[source].includes(routine.args[0].type));
  const candidates = named.length > 0 ? named : raw;
  const only = candidates[0];
  if (candidates.length === 1 && only) return only;
  if (candidates.length > 1) {
    throw new RestError(300, 'PGRST203', `Could not choose the best candidate function between: ${candidates.map((routine) =>
      `${routine.schema}.${routine.name}(${routine.args.map((arg) => `${arg.name} => ${arg.type}`).join(', ')})`).join(', ')}`,
    null, 'Try renaming the parameters or the function itself in the database so function overloading can be resolved');
  }
  throw noFunction(cache, schema, name, [...keys].sort(), source, overloads);
}

function matchesKeys(routine: Routine, keys: ReadonlySet<string>, source: ArgumentSource): boolean {
  if (routine.args.length === 0) return keys.size === 0 && (source === 'json' || source === 'query');
  const required = routine.args.filter((arg) => !arg.hasDefault).map((arg) => arg.name);
  const optional = new Set(routine.args.filter((arg) => arg.hasDefault).map((arg) => arg.name));
  const rest = [...keys].filter((key) => !optional.has(key));
  return rest.length === new Set(required).size && required.every((arg) => rest.includes(arg));
}

function noFunction(
  cache: SchemaCache, schema: string, name: string, keys: readonly string[], source: ArgumentSource, overloads: readonly Routine[],
): RestError {
  const func = `${schema}.${name}`;
  const raw = RAW_DESCRIPTION[source];
  const withKeys = keys.length === 0 ? ' without parameters' : ` with parameter${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
  const message = raw !== undefined ? func : keys.length === 0 ? `${func} without parameters` : `${func}(${keys.join(', ')})`;
  const searched = raw !== undefined ? ` with a single unnamed ${raw} parameter`
    : source === 'json' ? `${withKeys} or with a single unnamed json/jsonb parameter` : withKeys;
  let hint: string | null = null;
  if (raw === undefined) {
    const list = (names: readonly string[]) => `(${[...names].sort().join(', ')})`;
    const suggestion = overloads.length === 0
      ? fuzzyBest(name, cache.routines.get(schema)?.keys() ?? [], 0.75)
      : fuzzyBest(list(keys), overloads.map((routine) => list(routine.args.map((arg) => arg.name))), 0.33);
    if (suggestion !== null) hint = `Perhaps you meant to call the function ${schema}.${overloads.length === 0 ? suggestion : `${name}${suggestion}`}`;
  }
  return new RestError(404, 'PGRST202', `Could not find the function ${message} in the schema cache`,
    `Searched for the function ${func}${searched}, but no matches were found in the schema cache.`, hint);
}

/**
 * The FROM fragment calling the function. Named arguments go through `json_to_record` so Postgres
 * does every cast and defaults fill the rest; a single unnamed parameter gets the whole body.
 */
export function callSql(routine: Routine, args: CallArguments, params: Params): { from: string; call: string } {
  const name = qualified(routine);
  const only = routine.args[0];
  if (routine.args.length === 1 && only?.name === '') {
    const value = args.kind === 'raw' ? args.value : JSON.stringify(args.values);
    return { from: '', call: `${name}(${params.add(value)}::${only.castType})` };
  }
  const values = args.kind === 'named' ? args.values : {};
  const provided = routine.args.filter((arg) => Object.hasOwn(values, arg.name));
  const call = `${name}(${provided.map((arg) => `${arg.variadic ? 'variadic ' : ''}${ident(arg.name)} => _a.${ident(arg.name)}`).join(', ')})`;
  if (provided.length === 0) return { from: '', call };
  const json: Record<string, unknown> = {};
  for (const arg of provided) json[arg.name] = values[arg.name];
  const record = `json_to_record(${params.add(JSON.stringify(json))}::json) as _a(${provided.map((arg) => `${ident(arg.name)} ${arg.castType}`).join(', ')})`;
  return { from: record, call };
}

export type CallArguments =
  | { readonly kind: 'named'; readonly values: Readonly<Record<string, unknown>> }
  | { readonly kind: 'raw'; readonly value: string | Buffer };

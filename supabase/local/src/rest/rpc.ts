import { RestError } from './errors.ts';
import type { Routine, SchemaCache } from './schema.ts';
import { ident, qualified, type Params } from './sql.ts';
import { closest } from './suggest.ts';

/**
 * Picks the overload whose parameter names cover the given keys, with every parameter without a
 * default present, as PostgREST does; otherwise PGRST202 with its message and hint.
 */
export function resolveRoutine(cache: SchemaCache, name: string, keys: readonly string[]): Routine {
  const overloads = cache.routines.get(name) ?? [];
  const matches = overloads.filter((routine) =>
    keys.every((key) => routine.args.some((arg) => arg.name === key))
    && routine.args.every((arg) => arg.hasDefault || keys.includes(arg.name)));
  // Prefer the overload with the fewest parameters left to defaults.
  matches.sort((a, b) => a.args.length - b.args.length);
  const found = matches[0];
  if (found) return found;
  const sorted = [...keys].sort();
  const signature = keys.length === 0 ? ' without parameters' : `(${sorted.join(', ')})`;
  const searched = keys.length === 0 ? ' without parameters' : ` with parameter${keys.length > 1 ? 's' : ''} ${sorted.join(', ')}`;
  let hint: string | null = null;
  const first = overloads[0];
  if (first) hint = `Perhaps you meant to call the function public.${name}(${first.args.map((arg) => arg.name).sort().join(', ')})`;
  else {
    const suggestion = closest(name, [...cache.routines.keys()]);
    if (suggestion) hint = `Perhaps you meant to call the function public.${suggestion}`;
  }
  throw new RestError(404, 'PGRST202', `Could not find the function public.${name}${signature} in the schema cache`,
    `Searched for the function public.${name}${searched} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
    hint);
}

/**
 * The FROM fragment calling the function: `json_to_record` turns the JSON arguments into typed
 * columns so Postgres does every cast, and the call passes them by name (defaults fill the rest).
 */
export function callSql(routine: Routine, args: Record<string, unknown>, params: Params): { from: string; call: string } {
  const provided = routine.args.filter((arg) => Object.hasOwn(args, arg.name));
  const call = `${qualified(routine.name)}(${provided.map((arg) => `${ident(arg.name)} => _a.${ident(arg.name)}`).join(', ')})`;
  if (provided.length === 0) return { from: '', call };
  const json: Record<string, unknown> = {};
  for (const arg of provided) json[arg.name] = args[arg.name];
  const record = `json_to_record(${params.add(JSON.stringify(json))}::json) as _a(${provided.map((arg) => `${ident(arg.name)} ${arg.type}`).join(', ')})`;
  return { from: record, call };
}

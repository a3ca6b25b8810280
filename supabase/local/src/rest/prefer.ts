import { RestError } from './errors.ts';

// The Prefer header as PostgREST reads it (ApiRequest/Preferences.hs): comma-separated values over
// any number of headers, the first recognised value of each kind wins, anything else is invalid
// (an error only with handling=strict). Preference-Applied echoes what the request kind honours.

export interface Preferences {
  readonly resolution: 'merge-duplicates' | 'ignore-duplicates' | null;
  readonly representation: 'representation' | 'minimal' | 'headers-only' | null;
  readonly count: 'exact' | 'planned' | 'estimated' | null;
  readonly tx: 'commit' | 'rollback' | null;
  readonly missing: 'default' | 'null' | null;
  readonly handling: 'strict' | 'lenient' | null;
  readonly maxAffected: number | null;
  readonly invalid: readonly string[];
}

const CHOICES = {
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  representation: ['representation', 'minimal', 'headers-only'],
  count: ['exact', 'planned', 'estimated'],
  tx: ['commit', 'rollback'],
  missing: ['default', 'null'],
  handling: ['strict', 'lenient'],
} as const;
const KEYS = { resolution: 'resolution', representation: 'return', count: 'count', tx: 'tx', missing: 'missing', handling: 'handling' } as const;

export function parsePreferences(values: string | string[] | undefined): Preferences {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  const prefs = list.flatMap((value) => value.split(',')).map((part) => part.trim());
  const pick = <K extends keyof typeof CHOICES>(kind: K): (typeof CHOICES)[K][number] | null => {
    for (const pref of prefs) {
      const found = CHOICES[kind].find((choice) => pref === `${KEYS[kind]}=${choice}`);
      if (found !== undefined) return found;
    }
    return null;
  };
  const known = (pref: string) => Object.entries(CHOICES).some(([kind, choices]) =>
    (choices as readonly string[]).some((choice) => pref === `${KEYS[kind as keyof typeof KEYS]}=${choice}`));
  const maxAffected = prefs.find((pref) => pref.startsWith('max-affected='))?.slice('max-affected='.length);
  return {
    resolution: pick('resolution'),
    representation: pick('representation'),
    count: pick('count'),
    tx: pick('tx'),
    missing: pick('missing'),
    handling: pick('handling'),
    maxAffected: maxAffected !== undefined && /^-?\d+$/.test(maxAffected) ? Number(maxAffected) : null,
    invalid: prefs.filter((pref) => !known(pref) && !pref.startsWith('timezone=') && !pref.startsWith('max-affected=')),
  };
}

/** PGRST122 when handling=strict meets preferences PostgREST does not know. */
export function checkStrict(prefs: Preferences): void {
  if (prefs.handling === 'strict' && prefs.invalid.length > 0) {
    throw new RestError(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${prefs.invalid.join(', ')}`);
  }
}

/** Whether max-affected is in force (it needs handling=strict). */
export function maxAffected(prefs: Preferences): number | null {
  return prefs.handling === 'strict' ? prefs.maxAffected : null;
}

export type RequestKind = 'read' | 'insert' | 'update' | 'delete' | 'call';

/**
 * The Preference-Applied value (`responsePreferences`): resolution only on inserts into a table
 * with a key to resolve on, return and missing only on writes, max-affected on updates, deletes and
 * calls under handling=strict.
 */
export function preferenceApplied(prefs: Preferences, kind: RequestKind, resolvable = false): string | null {
  const write = kind === 'insert' || kind === 'update' || kind === 'delete';
  const parts = [
    kind === 'insert' && resolvable && prefs.resolution ? `resolution=${prefs.resolution}` : null,
    (kind === 'insert' || kind === 'update') && prefs.missing ? `missing=${prefs.missing}` : null,
    write && prefs.representation ? `return=${prefs.representation}` : null,
    prefs.count ? `count=${prefs.count}` : null,
    prefs.tx ? `tx=${prefs.tx}` : null,
    prefs.handling ? `handling=${prefs.handling}` : null,
    (kind === 'update' || kind === 'delete' || kind === 'call') && prefs.handling === 'strict' && prefs.maxAffected !== null
      ? `max-affected=${prefs.maxAffected}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

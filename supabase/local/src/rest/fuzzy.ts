/**
 * The fuzzy string set PostgREST builds its "Perhaps you meant …" hints with (Haskell `fuzzyset`
 * 0.2, a port of fuzzyset.js): candidates are ranked by the cosine of their 3-gram (then 2-gram)
 * vectors, the best 50 re-scored by normalised Levenshtein similarity, and the best one returned if
 * it scores at least `minScore`. Reproducing it keeps our hints — and when there is none — equal
 * to PostgREST's.
 */
export function fuzzyBest(query: string, candidates: Iterable<string>, minScore: number): string | null {
  const entries = new Map<string, string>();
  for (const candidate of candidates) {
    const key = candidate.toLowerCase();
    if (!entries.has(key)) entries.set(key, candidate);
  }
  const key = query.toLowerCase();
  const exact = entries.get(key);
  if (exact !== undefined) return exact;
  for (const size of [3, 2]) {
    const found = matches(key, [...entries.keys()], size, minScore);
    if (found.length > 0) return entries.get(found[0] ?? '') ?? null;
  }
  return null;
}

function matches(key: string, entries: readonly string[], size: number, minScore: number): string[] {
  const queryGrams = gramCounts(key, size);
  const queryNorm = norm(queryGrams);
  const cosine: { entry: string; score: number }[] = [];
  for (const entry of entries) {
    const grams = gramCounts(entry, size);
    let dot = 0;
    for (const [gram, count] of queryGrams) dot += count * (grams.get(gram) ?? 0);
    if (dot > 0) cosine.push({ entry, score: dot / (queryNorm * norm(grams)) });
  }
  cosine.sort((a, b) => b.score - a.score);
  return cosine.slice(0, 50)
    .map(({ entry }) => ({ entry, score: similarity(key, entry) }))
    .sort((a, b) => b.score - a.score)
    .filter(({ score }) => score >= minScore)
    .map(({ entry }) => entry);
}

/** Grams of the value with everything but letters, digits, spaces and commas removed, padded with `-`. */
function gramCounts(value: string, size: number): Map<string, number> {
  const padded = `-${[...value.toLowerCase()].filter((char) => /[\p{L}\p{N}\s,]/u.test(char)).join('')}-`;
  const chars = [...padded];
  const counts = new Map<string, number>();
  for (let i = 0; i + size <= chars.length; i += 1) {
    const gram = chars.slice(i, i + size).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function norm(counts: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count * count;
  return Math.sqrt(sum);
}

/** `text-metrics`' `levenshteinNorm`: 1 − distance / length of the longer string. */
function similarity(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  const longest = Math.max(left.length, right.length);
  if (longest === 0) return 1;
  let previous = Array.from({ length: right.length + 1 }, (_, i) => i);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return 1 - (previous[right.length] ?? 0) / longest;
}

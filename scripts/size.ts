/**
 * `npm run size`: what a visitor downloads, against the budget (ARCHITECTURE.md, "Loading").
 * - launcher: `dist/parley.js` alone, what every page view of the host site pays;
 * - on open: parley.js plus the chunks the first open loads (read from the build manifest), what
 *   the first open of the chat costs in English;
 * - on demand: chunks the app loads later, when needed (the CSAT card);
 * - returning visitor: what the stub loads on idle for a visitor with a stored session: the watch
 *   (src/embed/watcher.ts) on the page, and the worker's script, which runs off its main thread;
 * - a language: the largest of the widget's translated string tables (src/i18n/locales), which a
 *   first open in another language adds (the console's tables never load in a visitor's page).
 * Also prints the IIFE bundle for reference (no budget: it is the no-modules fallback).
 *
 * Builds first when dist/ is missing or older than the sources. Exits 1 over budget.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');

/** Brotli bytes allowed (KiB × 1024). */
const BUDGET = { launcher: 6 * 1024, open: 83 * 1024, language: 4 * 1024 } as const;

/** The returning visitor's watch: loaded on idle instead of the first open's chunks. */
const WATCH = 'src/embed/watcher.ts';

const TRANSLATION = /^src\/i18n\/locales\/[a-z]+\.(widget|console)\.ts$/;

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly assets?: readonly string[];
}
type Manifest = Readonly<Record<string, ManifestChunk>>;

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function stale(): boolean {
  if (!existsSync(manifestPath)) return true;
  const built = statSync(manifestPath).mtimeMs;
  const inputs = ['src', 'vite.config.ts', 'package.json', 'package-lock.json'].map((p) => join(root, p)).filter(existsSync);
  return inputs.some((input) => newestMtime(input) > built);
}

/**
 * The embed entry's file and every file the first open loads, in load order: the entry's static and
 * dynamic imports (the stub loads the app on first open) and, transitively, their static imports.
 * A dynamic import inside the app is loaded on demand, later (the CSAT card once a conversation is
 * resolved): those chunks are listed apart, with what they add, and the translated string tables
 * apart again (a page loads one language's).
 */
function filesOnOpen(manifest: Manifest): { entry: string; files: string[]; later: string[]; translations: string[]; watch: string[] } {
  const entryKey = Object.keys(manifest).find((key) => manifest[key]?.isEntry && manifest[key]?.file === 'parley.js');
  if (!entryKey) throw new Error('dist/.vite/manifest.json has no parley.js entry');
  const seen = new Set<string>();
  const deferred: string[] = [];
  const translations: string[] = [];
  const visit = (key: string, dynamic: boolean): void => {
    const chunk = manifest[key];
    if (!chunk || seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next, false);
    for (const next of chunk.dynamicImports ?? []) {
      if (next === WATCH) continue;
      if (dynamic) visit(next, false);
      else deferred.push(next);
    }
  };
  visit(entryKey, true);
  const later = new Set<string>();
  const visitLater = (key: string): void => {
    const chunk = manifest[key];
    const translation = TRANSLATION.exec(key);
    if (translation) {
      if (chunk && translation[1] === 'widget' && !translations.includes(chunk.file)) translations.push(chunk.file);
      return;
    }
    if (!chunk || seen.has(chunk.file) || later.has(chunk.file)) return;
    later.add(chunk.file);
    for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visitLater(next);
  };
  for (const key of deferred) visitLater(key);
  const watcher = manifest[WATCH];
  const watch = watcher ? [watcher.file, ...(watcher.assets ?? []).filter((file) => file.endsWith('.js'))] : [];
  return { entry: 'parley.js', files: [...seen], later: [...later], translations, watch };
}

interface Sizes {
  readonly raw: number;
  readonly gzip: number;
  readonly brotli: number;
}

function measure(files: readonly string[]): Sizes {
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of files) {
    const bytes = readFileSync(join(dist, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length;
  }
  return { raw, gzip, brotli };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function main(): void {
  if (stale()) {
    console.log('dist/ is missing or older than the sources: npm run build\n');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    console.log('');
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const { entry, files, later, translations, watch } = filesOnOpen(manifest);
  const largest = translations
    .map((file) => ({ file, sizes: measure([file]) }))
    .reduce<{ file: string; sizes: Sizes } | undefined>((max, next) => (!max || next.sizes.brotli > max.sizes.brotli ? next : max), undefined);
  const rows: { name: string; files: string; sizes: Sizes; budget?: number }[] = [
    { name: 'launcher', files: entry, sizes: measure([entry]), budget: BUDGET.launcher },
    { name: 'on open', files: files.join(' + '), sizes: measure(files), budget: BUDGET.open },
  ];
  if (later.length > 0) rows.push({ name: 'on demand', files: later.join(' + '), sizes: measure(later) });
  if (watch.length > 0) rows.push({ name: 'returning', files: `${watch.join(' + ')} (the worker's off the main thread)`, sizes: measure(watch) });
  if (largest) rows.push({ name: '+ a language', files: `${largest.file} (largest of ${translations.length})`, sizes: largest.sizes, budget: BUDGET.language });
  if (existsSync(join(dist, 'parley.iife.js'))) {
    rows.push({ name: 'iife (all)', files: 'parley.iife.js', sizes: measure(['parley.iife.js']) });
  }

  const header = ['', 'raw', 'gzip', 'brotli', 'budget (brotli)', ''];
  const table = rows.map(({ name, sizes, budget }) => [
    name,
    kb(sizes.raw),
    kb(sizes.gzip),
    kb(sizes.brotli),
    budget === undefined ? '—' : kb(budget),
    budget === undefined ? '' : sizes.brotli <= budget ? `ok, ${kb(budget - sizes.brotli)} left` : `OVER by ${kb(sizes.brotli - budget)}`,
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...table].map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]): string =>
    row.map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  console.log(line(header));
  for (const row of table) console.log(line(row));
  console.log('');
  for (const { name, files: list } of rows) console.log(`${name}: ${list}`);
  console.log(`(KB = 1024 bytes; gzip level 9, brotli quality 11, as a CDN would serve them)`);

  const over = rows.filter(({ sizes, budget }) => budget !== undefined && sizes.brotli > budget);
  if (over.length > 0) {
    console.error(`\nOver budget: ${over.map(({ name }) => name).join(', ')}`);
    process.exitCode = 1;
  }
}

main();

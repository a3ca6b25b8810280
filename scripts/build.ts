/**
 * `npm run build`: everything `dist/` holds, from a clean folder.
 * 1. `dist/parley.js` + `dist/chunks/` (the embed; vite.config.ts default mode)
 * 2. `dist/parley.iife.js` (`--mode iife`)
 * 3. `dist/index.js`, `dist/define.js`, `dist/react.js` + `dist/shared/` (`--mode package`)
 * 4. `dist/types/` (tsc -p tsconfig.build.json)
 * 5. `custom-elements.json` (`npm run manifest`, when package.json has that script)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = Date.now();

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

for (const mode of ['embed', 'iife', 'package']) {
  console.log(`\n▸ vite build --mode ${mode}`);
  await build({ root, mode, logLevel: 'warn' });
}

console.log('\n▸ tsc -p tsconfig.build.json');
execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts?: Record<string, string> };
if (scripts?.manifest) {
  console.log('\n▸ npm run manifest');
  execFileSync('npm', ['run', '--silent', 'manifest'], { cwd: root, stdio: 'inherit' });
} else {
  console.warn('\n! no "manifest" script in package.json: custom-elements.json was not generated');
}

console.log(`\nBuilt dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

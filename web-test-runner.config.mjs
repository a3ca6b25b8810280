// @ts-check
// Browser suites: the TypeScript sources run through esbuild in Debian's Chromium (Playwright cannot
// download browsers here). `npm run test:browser`; CI reads the closing "N passed, N failed" line.
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { defaultReporter } from '@web/test-runner';
import { localStackPlugin, STACK_CONFIG_PATH } from './test/browser-stack/plugin.mjs';
import { pageCommandsPlugin } from './test/browser-stack/page-commands.mjs';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(`web-test-runner: no Chromium at ${executablePath} (set CHROME_PATH or apt-get install chromium)`);
}

/**
 * Prints one closing line, `N passed, N failed`, after the default reporter's output. A test file
 * that failed to load (syntax error, 404 import, browser crash) counts as one failure, so a broken
 * file can never read as "0 failed".
 * @returns {import('@web/test-runner').Reporter}
 */
function countReporter() {
  /** @param {import('@web/test-runner').TestSuiteResult | undefined} suite @returns {{ passed: number, failed: number }} */
  const count = (suite) => {
    const totals = { passed: 0, failed: 0 };
    if (!suite) return totals;
    for (const test of suite.tests) {
      if (test.skipped) continue;
      if (test.passed) totals.passed += 1;
      else totals.failed += 1;
    }
    for (const child of suite.suites) {
      const sub = count(child);
      totals.passed += sub.passed;
      totals.failed += sub.failed;
    }
    return totals;
  };
  return {
    stop({ sessions }) {
      let passed = 0;
      let failed = 0;
      for (const session of sessions) {
        const totals = count(session.testResults);
        passed += totals.passed;
        failed += totals.failed;
        // Errors outside any test (load failures, failing root hooks) without a failed test to show for them.
        if (totals.failed === 0 && (session.errors.length > 0 || session.passed === false)) failed += 1;
      }
      // The default reporter flushes its buffered report after every reporter's stop(); writing at
      // exit keeps this line last (stdout to a pipe or file is synchronous on Linux).
      process.once('exit', () => process.stdout.write(`\n${passed} passed, ${failed} failed\n`));
    },
  };
}

/**
 * The local Supabase stack (test/browser-stack/plugin.mjs), started on the first request for its
 * config rather than with the server, so element suites that never talk to it do not boot PostgreSQL.
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
function lazyLocalStackPlugin() {
  const stack = localStackPlugin();
  /** @type {Promise<void> | undefined} */
  let started;
  return {
    name: 'parley-local-stack-lazy',
    async serve(context) {
      if (context.path !== STACK_CONFIG_PATH) return undefined;
      started ??= stack.serverStart();
      await started;
      return stack.serve(context);
    },
    async serverStop() {
      if (started) await started.then(() => stack.serverStop(), () => undefined);
    },
  };
}

/**
 * Vite's `?worker&url` (src/embed/watcher.ts): the address of a worker entry on this server that
 * first defines what the pages' html defines for nanostores (process.env.NODE_ENV), then imports
 * the worker's module, served like any other (esbuild, bare imports resolved).
 * @returns {import('@web/test-runner').TestRunnerPlugin}
 */
function workerUrlPlugin() {
  const SUFFIX = '?worker&url';
  const URL_PREFIX = '/__worker-url';
  const ENTRY = '/__worker-entry.js';
  const GLOBALS = '/__worker-globals.js';
  return {
    name: 'worker-url',
    resolveImport({ source, context }) {
      if (!source.endsWith(SUFFIX)) return undefined;
      return URL_PREFIX + new URL(source.slice(0, -SUFFIX.length), `http://host${context.path}`).pathname;
    },
    serve(context) {
      if (context.path.startsWith(`${URL_PREFIX}/`)) {
        const entry = `${ENTRY}?module=${encodeURIComponent(context.path.slice(URL_PREFIX.length))}`;
        return { body: `export default ${JSON.stringify(entry)};`, type: 'js' };
      }
      if (context.path === ENTRY) {
        const module = JSON.stringify(String(context.query.module ?? ''));
        // Static imports, evaluated in order: a message sent at once finds the worker's listener set.
        return { body: `import ${JSON.stringify(GLOBALS)};\nimport ${module};\n`, type: 'js' };
      }
      if (context.path === GLOBALS) return { body: `globalThis.process ??= { env: { NODE_ENV: 'development' } };\n`, type: 'js' };
      return undefined;
    },
  };
}

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/elements/**/*.test.ts', 'test/browser/**/*.test.ts'],
  // `development` loads Lit's dev build, which warns about mistakes (change-in-update, missing
  // decorators, attribute misuse); test/browser-helpers/console-guard.ts turns any warning into a failure.
  nodeResolve: { exportConditions: ['development'] },
  plugins: [workerUrlPlugin(), lazyLocalStackPlugin(), pageCommandsPlugin(), esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname, target: 'es2022' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      },
    }),
  ],
  concurrency: 2,
  testFramework: { config: { timeout: 5000 } },
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), countReporter()],
  // Runs before Lit loads: silence the one-off "Lit is in dev mode" notice (expected here), then record
  // every console warning and error so the guard can fail the test that produced it.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"></head>
  <body>
    <script>
      // nanostores' development build reads process.env.NODE_ENV; a bundler defines it, the test
      // runner does not.
      globalThis.process ??= { env: { NODE_ENV: 'development' } };
      globalThis.litIssuedWarnings = new Set(['dev-mode']);
      globalThis.__parleyConsole = [];
      for (const level of ['warn', 'error']) {
        const original = console[level].bind(console);
        console[level] = (...args) => {
          globalThis.__parleyConsole.push({ level, message: args.map(String).join(' ') });
          original(...args);
        };
      }
      addEventListener('error', (e) => globalThis.__parleyConsole.push({ level: 'error', message: String(e.message) }));
    </script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};

/**
 * End-to-end suite: the demo pages in Debian's Chromium (Playwright cannot download browsers here),
 * against a local stack on a fresh database and the demo server, both started by global-setup.ts
 * on free ports. `npm run test:e2e`; screenshots land in test-results/screenshots.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  throw new Error(`playwright: no Chromium at ${executablePath} (set CHROME_PATH or apt-get install chromium)`);
}

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Two cores run the stack, PostgreSQL, the dev server and two browser contexts per test.
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['./e2e/count-reporter.ts']],
  outputDir: 'test-results/artifacts',
  // The key specs run again with both roots in scale mode (`realtime="broadcast"`, e2e/helpers.ts).
  projects: [
    { name: 'postgres-changes' },
    { name: 'broadcast', testMatch: /\/(chat|reconnect|reload-state|notes|csat|returning-watch)\.spec\.ts$/, metadata: { realtime: 'broadcast' } },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] },
    trace: 'retain-on-failure',
  },
});

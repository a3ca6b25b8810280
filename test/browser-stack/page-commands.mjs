// @ts-check
/**
 * Commands a browser suite sends to the test runner for what a page cannot do to itself:
 * - `parley-screenshot` `{ name }`: a full-page PNG at test-results/screenshots/<name>.png, for
 *   people to look at (CI keeps the folder), like e2e/look.spec.ts;
 * - `parley-grant-clipboard`: lets the page read and write the clipboard, so a Copy button is
 *   checked by reading back what it wrote.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const SCREENSHOTS = 'test-results/screenshots';
const NAME = /^[a-z0-9][a-z0-9-]{0,80}$/;

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function pageCommandsPlugin() {
  return {
    name: 'parley-page-commands',
    async executeCommand({ command, payload, session }) {
      if (command !== 'parley-screenshot' && command !== 'parley-grant-clipboard') return undefined;
      const launcher = /** @type {{ getPage?: (id: string) => import('playwright-core').Page }} */ (
        /** @type {unknown} */ (session.browser)
      );
      if (typeof launcher.getPage !== 'function') throw new Error(`${command} needs the Playwright launcher`);
      const page = launcher.getPage(session.id);
      if (command === 'parley-grant-clipboard') {
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
        return true;
      }
      const name = /** @type {{ name?: unknown }} */ (payload ?? {}).name;
      if (typeof name !== 'string' || !NAME.test(name)) throw new Error('parley-screenshot: name must match [a-z0-9-]');
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      return true;
    },
  };
}

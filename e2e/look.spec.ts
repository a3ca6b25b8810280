import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import type * as Axe from 'axe-core';
import { environment, openChat, pageErrors, person, signInAgent, visitorSends } from './helpers.ts';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
/** Where the screenshots go; people look at them (CI keeps the folder as an artifact). */
export const SCREENSHOTS = 'test-results/screenshots';

interface DemoPage {
  readonly name: string;
  readonly path: string;
  /** Brings the page to the state worth looking at (panel open, agent signed in). */
  readonly prepare?: (page: Page) => Promise<void>;
}

const PAGES: readonly DemoPage[] = [
  { name: 'landing', path: '/' },
  {
    name: 'customer', path: '/customer/', prepare: async (page) => {
      await openChat(page);
      await visitorSends(page, 'Hi! Can I still change the cover of my order?');
    },
  },
  { name: 'console-sign-in', path: '/console/' },
  { name: 'console', path: '/console/', prepare: async (page) => {
    await signInAgent(page, '/console/');
    await page.locator('parley-inbox').getByRole('option').first().click();
    await expect(page.locator('parley-inbox').getByRole('log')).toBeVisible();
  } },
  { name: 'react', path: '/react/', prepare: (page) => signInAgent(page, '/react/') },
  { name: 'vue', path: '/vue/', prepare: (page) => signInAgent(page, '/vue/') },
];

async function axe(page: Page): Promise<AxeResults> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(() => (window as unknown as { axe: typeof Axe }).axe.run(document, { resultTypes: ['violations'] }));
}

mkdirSync(SCREENSHOTS, { recursive: true });

for (const demo of PAGES) {
  test(`${demo.name}: no axe violation, no console error; screenshots light and dark, desktop and phone`, async ({ browser }) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1280, 390]) {
        const { context, page } = await person(browser, { colorScheme, width });
        await page.goto(`${environment().demoUrl}${demo.path}`);
        await page.waitForLoadState('networkidle');
        if (demo.prepare) await demo.prepare(page);
        await page.screenshot({ path: `${SCREENSHOTS}/${demo.name}-${colorScheme}-${width}.png` });
        const { violations } = await axe(page);
        expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `${colorScheme} ${width}px`).toEqual([]);
        expect(pageErrors(page), `${colorScheme} ${width}px`).toEqual([]);
        await context.close();
      }
    }
  });
}

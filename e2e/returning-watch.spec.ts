/**
 * A returning visitor's watch (issue 12: the idle connect costs the host page almost nothing), a
 * visitor and an agent in two browser contexts: the visitor writes, closes the panel and comes back
 * later; the agent's reply meanwhile shows on the closed bubble from the stub's worker, without the
 * chat's code on the page; the agent's next reply, while the tab is hidden, hands over to the full
 * launcher (closed, the badge counting both, the tab's title telling of the reply); opening shows both and clears the badge; a reload with nothing unread
 * leaves a bare bubble. Screenshots of the badged stub bubble at 390 px, light, dark and
 * right-to-left; axe in each.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  agentReplies, bubble, launcher, openCustomerPage, pageErrors, person, setHidden, unique, visitorLog, visitorWritesAgentOpens,
} from './helpers.ts';
import { axeViolations } from './axe.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

/** Whether the full launcher (the chat's code) is on the page. */
const chatLoaded = (page: Page): Promise<boolean> => page.evaluate(() => document.querySelector('parley-launcher')?.shadowRoot?.querySelector('parley-launcher-app') != null);

async function shoot(page: Page): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 860 };
  await page.setViewportSize({ width: 390, height: 800 });
  for (const look of ['light', 'dark', 'rtl'] as const) {
    await page.emulateMedia({ colorScheme: look === 'dark' ? 'dark' : 'light' });
    await page.evaluate((rtl) => document.documentElement.setAttribute('dir', rtl ? 'rtl' : 'ltr'), look === 'rtl');
    await page.screenshot({ path: `${SCREENSHOTS}/returning-watch-badge-${look}-390.png` });
    expect(await axeViolations(page), look).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => document.documentElement.setAttribute('dir', 'ltr'));
  await page.setViewportSize(size);
}

test('a returning visitor: replies badge the closed bubble from a worker; the next reply loads the chat, closed', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const hello = unique('Is the harbour print in stock?');
  await visitorWritesAgentOpens(visitor.page, agent.page, hello);
  await bubble(visitor.page).click();
  await expect(launcher(visitor.page).getByRole('dialog')).toBeHidden();

  // The visitor leaves; the agent answers meanwhile.
  await visitor.page.goto('about:blank');
  await agentReplies(agent.page, 'Yes, in all three sizes.');

  // Back on the shop: the stub's own bubble shows the reply, and the chat's code is not loaded.
  await openCustomerPage(visitor.page);
  await expect(bubble(visitor.page)).toHaveAccessibleName('Open chat, 1 unread', { timeout: 15_000 });
  await expect(launcher(visitor.page).locator('[part~="badge"]:visible')).toHaveText('1');
  expect(await chatLoaded(visitor.page), 'badged without the chat').toBe(false);
  await shoot(visitor.page);

  // The visitor switches to another tab; the agent writes again: the chat loads closed and takes
  // over, counting both, and the hidden tab's title tells of the reply the watch heard.
  const shopTitle = await visitor.page.title();
  await setHidden(visitor.page, true);
  await agentReplies(agent.page, 'Shall I hold one for you?');
  await expect.poll(() => chatLoaded(visitor.page), { timeout: 15_000 }).toBe(true);
  // The chat's own bubble (the stub's counted the reply first, with the same name).
  await expect(launcher(visitor.page).locator('parley-launcher-app').getByRole('button', { name: 'Open chat, 2 unread' })).toBeVisible();
  await expect(launcher(visitor.page).getByRole('dialog')).toBeHidden();
  await expect(visitor.page).toHaveTitle(`New reply · ${shopTitle}`);
  await setHidden(visitor.page, false);
  await expect(visitor.page).toHaveTitle(shopTitle);

  // Opened: straight to the conversation with its unread replies; closed again, the badge is gone.
  await bubble(visitor.page).click();
  await expect(visitorLog(visitor.page).getByText('Yes, in all three sizes.')).toBeVisible();
  await expect(visitorLog(visitor.page).getByText('Shall I hold one for you?')).toBeVisible();
  await bubble(visitor.page).click();
  await expect(bubble(visitor.page)).toHaveAccessibleName('Open chat');

  // A reload with nothing unread: a bare bubble, still without the chat's code.
  await visitor.page.reload();
  await expect(bubble(visitor.page)).toHaveAccessibleName('Open chat');
  await visitor.page.waitForTimeout(1500);
  await expect(launcher(visitor.page).locator('[part~="badge"]:visible')).toHaveCount(0);
  expect(await chatLoaded(visitor.page)).toBe(false);
  expect(pageErrors(visitor.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});

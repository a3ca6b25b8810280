/**
 * The workspace settings in the shop's widget (issue 14, item 1): brand, reply time or the away
 * message, greeting and intro, accent colour, applied on open; a change made while the panel is
 * open shows live; the next page load starts with them. Screenshots light and dark, desktop,
 * phone and right-to-left; axe in each. The settings are put back afterwards (one worker: the
 * specs run one after another).
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from './axe.ts';
import { bubble, launcher, openChat, openCustomerPage, pageErrors, person, serviceRows, signInAgent, updateSettings } from './helpers.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

const FIELDS = 'brand_name,greeting,intro,accent_color,reply_time,business_hours,away_message';

const heading = (page: Page) => launcher(page).getByRole('dialog').getByRole('heading', { level: 2 });

let original: Record<string, unknown> = {};
/** An agent's open console: with nobody online the widget is in away mode (issue 15) and shows the away message. */
let agentConsole: Awaited<ReturnType<typeof person>> | null = null;

test.beforeAll(async ({ browser }) => {
  [original = {}] = await serviceRows<Record<string, unknown>>('workspace_settings', `select=${FIELDS}`);
  agentConsole = await person(browser);
  await signInAgent(agentConsole.page);
});

test.afterAll(async () => {
  await updateSettings(original);
  await agentConsole?.context.close();
});

test('the widget shows the workspace settings on open, follows a change live, and starts the next page with them', async ({ browser }) => {
  await updateSettings({
    brand_name: 'Lumen Prints', greeting: 'Hi, we are Lumen 👋', intro: 'Questions about prints, frames or delivery? Ask away.',
    accent_color: '#7b2cbf', reply_time: 'minutes',
  });
  const visitor = await person(browser);
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  const dialog = launcher(visitor.page).getByRole('dialog');
  await expect(heading(visitor.page)).toHaveText('Lumen Prints');
  await expect(dialog).toHaveAccessibleName('Lumen Prints');
  await expect(dialog.locator('[part~="subtitle"]')).toHaveText('We usually reply in a few minutes');
  await expect(dialog.locator('[part~="welcome"]')).toContainText('Hi, we are Lumen 👋');
  await expect(bubble(visitor.page)).toHaveCSS('background-color', 'rgb(123, 44, 191)');
  expect(await axeViolations(visitor.page)).toEqual([]);
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/widget-settings-light-1280.png` });

  // Outside business hours (every day closed): the away message instead of the reply time.
  const closed = { enabled: true, timezone: 'UTC', holidays: [], weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
  await updateSettings({ brand_name: 'Lumen Prints & Frames', business_hours: closed, away_message: 'We are back Monday at 9:00 and will answer by email.' });
  await expect(heading(visitor.page)).toHaveText('Lumen Prints & Frames');
  await expect(dialog.locator('[part~="subtitle"]')).toHaveText('We are back Monday at 9:00 and will answer by email.');

  // A new page load shows them before anything is read.
  await visitor.page.reload();
  await expect(bubble(visitor.page)).toHaveCSS('background-color', 'rgb(123, 44, 191)');
  expect(pageErrors(visitor.page)).toEqual([]);
  await visitor.context.close();
});

for (const look of [
  { name: 'dark-1280', colorScheme: 'dark', width: 1280, rtl: false },
  { name: 'light-390', colorScheme: 'light', width: 390, rtl: false },
  { name: 'dark-390-rtl', colorScheme: 'dark', width: 390, rtl: true },
] as const) {
  test(`the branded panel is readable: ${look.name}`, async ({ browser }) => {
    await updateSettings({
      brand_name: 'Lumen Prints', greeting: 'Hi, we are Lumen 👋', intro: 'Questions about prints, frames or delivery? Ask away.',
      accent_color: '#7b2cbf', reply_time: 'hour', business_hours: { ...(original.business_hours as object), enabled: false },
    });
    const visitor = await person(browser, { colorScheme: look.colorScheme, width: look.width });
    await openCustomerPage(visitor.page);
    if (look.rtl) await visitor.page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    await openChat(visitor.page);
    await expect(heading(visitor.page)).toHaveText('Lumen Prints');
    await expect(launcher(visitor.page).getByRole('dialog').locator('[part~="subtitle"]')).toHaveText('We usually reply within an hour');
    expect(await axeViolations(visitor.page)).toEqual([]);
    await visitor.page.screenshot({ path: `${SCREENSHOTS}/widget-settings-${look.name}.png` });
    await visitor.context.close();
  });
}

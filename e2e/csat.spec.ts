/**
 * CSAT (issue 15, item 4) with two people in two browser contexts: the agent resolves, the visitor
 * is asked and rates, the agent sees the rating in the thread and the list at once; a reload (and a
 * second tab) shows the thanks, never the question again; writing again reopens and keeps the
 * rating; resolving again asks again. Runs in both realtime transports (playwright.config.ts).
 * Screenshots: 1280 light, 390 dark, 390 dark right-to-left. CSAT is put back as it was.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { axeViolations } from './axe.ts';
import {
  agentLog, conversationWith, environment, expectRealtimeTransport, inbox, launcher, openChat,
  openCustomerPage, pageErrors, person, serviceRows, unique, visitorSends, visitorWritesAgentOpens,
} from './helpers.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

async function patch(table: string, filter: string, changes: Record<string, unknown>): Promise<void> {
  const { apiUrl, serviceRoleKey } = environment();
  const response = await fetch(`${apiUrl}/rest/v1/${table}?${filter}`, {
    method: 'PATCH',
    headers: { apikey: serviceRoleKey, authorization: `Bearer ${serviceRoleKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(changes),
  });
  if (!response.ok) throw new Error(`${table}: ${response.status} ${await response.text()}`);
}

const card = (page: Page): Locator => launcher(page).locator('parley-rating');
const question = (page: Page): Locator => card(page).getByRole('group', { name: 'How was your conversation?' });
/** The badge on the open conversation's list row (its preview changes as messages come). */
const ratingBadge = (agent: Page): Locator => inbox(agent).getByRole('option', { selected: true }).locator('[part~="rating-badge"]');

async function resolveInConsole(agent: Page): Promise<void> {
  await inbox(agent).getByLabel('Status').selectOption('resolved');
  await expect(inbox(agent).getByLabel('Status')).toHaveValue('resolved');
}

let original: Record<string, unknown> = {};

test.beforeAll(async () => {
  [original = {}] = await serviceRows<Record<string, unknown>>('workspace_settings', 'select=csat_enabled,csat_scale');
  await patch('workspace_settings', 'id=eq.true', { csat_enabled: true, csat_scale: 5 });
});

test.afterAll(async () => {
  await patch('workspace_settings', 'id=eq.true', original);
});

test('resolve → rate → the agent sees it live; asked once per resolution, across reloads and tabs', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const text = unique('Is my frame shipped?');
  await visitorWritesAgentOpens(visitor.page, agent.page, text);
  const id = await conversationWith(text);
  await expect(question(visitor.page)).toHaveCount(0);

  // The agent resolves: the visitor's thread ends with the question, live.
  await resolveInConsole(agent.page);
  await expect(question(visitor.page)).toBeVisible();
  await expect(card(visitor.page).getByRole('button', { name: /of 5\)$/ })).toHaveCount(5);
  expect(await axeViolations(visitor.page)).toEqual([]);
  await card(visitor.page).getByRole('button', { name: 'Good (4 of 5)' }).click();
  await card(visitor.page).getByRole('textbox', { name: 'Anything to add? (optional)' }).fill('Quick and kind <b>thanks</b>');
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/csat-asking-light-1280.png` });
  await card(visitor.page).getByRole('button', { name: 'Send' }).click();
  await expect(card(visitor.page)).toContainText('Thanks for your feedback!');
  await expect(card(visitor.page)).toContainText('You rated 4/5');
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/csat-thanks-light-1280.png` });

  // The agent: a system line in the thread (text, not markup) and the badge in the list, live.
  await expect(agentLog(agent.page)).toContainText('Rated 4/5 · Quick and kind <b>thanks</b>');
  await expect(ratingBadge(agent.page)).toContainText('4/5');
  await expect(ratingBadge(agent.page)).toContainText('Rated 4 of 5');
  await agent.page.screenshot({ path: `${SCREENSHOTS}/csat-console-light-1280.png` });
  const [stored] = await serviceRows<{ score: number; comment: string; resolution: number }>(
    'conversation_ratings', `select=score,comment,resolution&conversation_id=eq.${id}`);
  expect(stored).toEqual({ score: 4, comment: 'Quick and kind <b>thanks</b>', resolution: 1 });

  // A reload, and a second tab: the thanks, never the question.
  await visitor.page.reload();
  // The panel was open: the reload opens it again by itself.
  await expect(launcher(visitor.page).getByRole('dialog')).toBeVisible();
  await expect(card(visitor.page)).toContainText('You rated 4/5');
  await expect(question(visitor.page)).toHaveCount(0);
  const second = await visitor.context.newPage();
  await openCustomerPage(second);
  // A returning visitor: the stub watches from a worker; the click loads the chat.
  await launcher(second).getByRole('button', { name: /^Open chat/ }).click();
  await expect(launcher(second).getByRole('dialog')).toBeVisible();
  // A new tab opens on the home screen: the conversation is first in its list.
  await launcher(second).locator('[part~="conversation"]').first().click();
  await expect(card(second)).toContainText('You rated 4/5');
  await expect(question(second)).toHaveCount(0);
  await second.close();

  // Writing again reopens the conversation (as before CSAT): no card; the rating stays.
  const again = unique('One more thing');
  await visitorSends(visitor.page, again);
  await expect(card(visitor.page)).toHaveCount(0);
  await expect(inbox(agent.page).getByLabel('Status')).toHaveValue('open');
  await expect(ratingBadge(agent.page)).toContainText('4/5');

  // Resolved again: asked again, live; the new rating replaces the badge.
  await resolveInConsole(agent.page);
  await expect(question(visitor.page)).toBeVisible();
  await card(visitor.page).getByRole('button', { name: 'Bad (2 of 5)' }).click();
  await card(visitor.page).getByRole('button', { name: 'Skip' }).click();
  await expect(card(visitor.page)).toContainText('You rated 2/5');
  await expect(agentLog(agent.page)).toContainText('Rated 2/5');
  await expect(ratingBadge(agent.page)).toContainText('2/5');
  const ratings = await serviceRows<{ score: number; resolution: number }>(
    'conversation_ratings', `select=score,resolution&conversation_id=eq.${id}&order=resolution`);
  expect(ratings).toEqual([{ score: 4, resolution: 1 }, { score: 2, resolution: 2 }]);

  expectRealtimeTransport(visitor.page);
  expectRealtimeTransport(agent.page);
  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});

for (const look of [
  { name: 'dark-390', rtl: false },
  { name: 'dark-390-rtl', rtl: true },
] as const) {
  test(`the rating card is readable: ${look.name}`, async ({ browser }) => {
    const visitor = await person(browser, { colorScheme: 'dark', width: 390 });
    await openCustomerPage(visitor.page);
    if (look.rtl) await visitor.page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    await openChat(visitor.page);
    const text = unique('Card look');
    await visitorSends(visitor.page, text);
    const id = await conversationWith(text);
    // Resolved behind the UI (the console's part is the test above): the row's change reaches the widget live.
    await patch('conversations', `id=eq.${id}`, { status: 'resolved' });
    await expect(question(visitor.page)).toBeVisible();
    await card(visitor.page).getByRole('button', { name: 'Great (5 of 5)' }).click();
    await expect(card(visitor.page).getByRole('button', { name: 'Send' })).toBeVisible();
    expect(await axeViolations(visitor.page)).toEqual([]);
    await visitor.page.screenshot({ path: `${SCREENSHOTS}/csat-asking-${look.name}.png` });
    await card(visitor.page).getByRole('button', { name: 'Send' }).click();
    await expect(card(visitor.page)).toContainText('You rated 5/5');
    await visitor.page.screenshot({ path: `${SCREENSHOTS}/csat-thanks-${look.name}.png` });
    expect(pageErrors(visitor.page)).toEqual([]);
    await visitor.context.close();
  });
}

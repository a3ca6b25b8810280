/**
 * The console links a customer's conversations (#2, the agent's side): the open conversation's
 * header lists the customer's other conversations (date, status, preview), each opens in the
 * console, by pointer or keyboard, and a conversation the customer starts meanwhile joins the list
 * live. Screenshots light, dark, 390 px and right-to-left with the list open; axe in each.
 *
 * The customer writes from their own supabase-js client (the widget's visitor flow is tested
 * elsewhere): an anonymous sign-in, as the widget makes, whose conversations all share one customer.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  agentLog, conversationOption, inbox, pageErrors, person, signInAgent, unique,
} from './helpers.ts';
import { axeViolations } from './axe.ts';
import { customer, startWith } from './customers.ts';

const SCREENSHOTS = 'test-results/screenshots';

function history(page: Page): Locator {
  return inbox(page).locator('[part~="history"]');
}

function historyItems(page: Page): Locator {
  return history(page).getByRole('button');
}

mkdirSync(SCREENSHOTS, { recursive: true });

test('the console lists the customer\'s other conversations in the header and opens them, also by keyboard; a new one joins live', async ({ browser }) => {
  const name = unique('Robin Example');
  const first = unique('My first order arrived damaged');
  const second = unique('Now the second order is late');
  const third = unique('A third question, about invoices');
  const client = await customer(name);
  const firstId = await startWith(client, name, first);
  const agent = await person(browser);
  await signInAgent(agent.page);

  // One conversation: nothing to link.
  await conversationOption(agent.page, first).click();
  await expect(agentLog(agent.page)).toContainText(first);
  await expect(history(agent.page)).toHaveCount(0);
  await inbox(agent.page).getByLabel('Status').selectOption('closed');
  await expect(conversationOption(agent.page, first)).toContainText('Closed');

  // The customer comes back with a new conversation: the agent sees it, and from it the closed one.
  await startWith(client, name, second);
  await conversationOption(agent.page, second).click();
  await expect(agentLog(agent.page)).toContainText(second);
  const summary = history(agent.page).getByText('1 other conversation');
  await expect(summary).toBeVisible();
  await summary.click();
  const list = history(agent.page).getByRole('list', { name: `Other conversations with ${name}` });
  await expect(list).toBeVisible();
  await expect(historyItems(agent.page)).toHaveCount(1);
  const old = historyItems(agent.page).first();
  await expect(old).toContainText('Closed');
  await expect(old).toContainText(first);
  await expect(old.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\d/);
  await expect(old).toHaveAttribute('data-id', firstId);

  // Opening it shows it in the console, the way the list would; now the newer one is "other".
  await old.click();
  await expect(agentLog(agent.page)).toContainText(first);
  await expect(conversationOption(agent.page, first)).toHaveAttribute('aria-selected', 'true');
  await expect(inbox(agent.page).getByLabel('Status')).toHaveValue('closed');
  await expect(historyItems(agent.page)).toHaveCount(1);
  await expect(historyItems(agent.page).first()).toContainText(second);
  await expect(history(agent.page).locator('summary')).toBeFocused();

  // A third conversation of the same customer joins the list while the agent looks (the list channel).
  await startWith(client, name, third);
  await expect(history(agent.page).getByText('2 other conversations')).toBeVisible();
  await expect(historyItems(agent.page)).toHaveCount(2);
  await expect(historyItems(agent.page).first()).toContainText(third);

  // Keyboard only: the toggle closes and opens with Enter, Tab reaches the items, Enter opens one.
  await agent.page.keyboard.press('Enter');
  await expect(list).toBeHidden();
  await agent.page.keyboard.press('Enter');
  await expect(list).toBeVisible();
  await agent.page.keyboard.press('Tab');
  await expect(historyItems(agent.page).first()).toBeFocused();
  await agent.page.keyboard.press('Tab');
  await expect(historyItems(agent.page).nth(1)).toBeFocused();
  await agent.page.keyboard.press('Enter');
  await expect(agentLog(agent.page)).toContainText(second);
  await expect(conversationOption(agent.page, second)).toHaveAttribute('aria-selected', 'true');

  // The console with the list open: screenshots and axe, light, dark, phone width, right-to-left.
  await expect(list).toBeVisible();
  await agent.page.screenshot({ path: `${SCREENSHOTS}/history-console-light-1280.png` });
  expect(await axeViolations(agent.page), 'light').toEqual([]);
  await agent.page.emulateMedia({ colorScheme: 'dark' });
  await agent.page.screenshot({ path: `${SCREENSHOTS}/history-console-dark-1280.png` });
  expect(await axeViolations(agent.page), 'dark').toEqual([]);
  await agent.page.emulateMedia({ colorScheme: 'light' });
  await agent.page.setViewportSize({ width: 390, height: 800 });
  await expect(list).toBeVisible();
  await agent.page.screenshot({ path: `${SCREENSHOTS}/history-console-light-390.png` });
  expect(await axeViolations(agent.page), '390px').toEqual([]);
  await agent.page.setViewportSize({ width: 1280, height: 860 });
  await agent.page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
  await expect(list).toBeVisible();
  await agent.page.screenshot({ path: `${SCREENSHOTS}/history-console-rtl-1280.png` });
  expect(await axeViolations(agent.page), 'rtl').toEqual([]);

  expect(pageErrors(agent.page)).toEqual([]);
  await agent.context.close();
  await client.auth.signOut();
});

test('a conversation no list page brought opens from the history, and again after a reload', async ({ browser }) => {
  const name = unique('Alex Farpage');
  const old = unique('An old question from long ago');
  const fresh = unique('A new question today');
  const client = await customer(name);
  const oldId = await startWith(client, name, old);
  await startWith(client, name, fresh);
  const agent = await person(browser);
  // The list pages never bring the old conversation (as if it were far down the list).
  await agent.page.route('**/rest/v1/rpc/search_conversations*', async (route) => {
    const response = await route.fetch();
    const rows = (await response.json()) as { id: string }[];
    await route.fulfill({ response, json: rows.filter((row) => row.id !== oldId) });
  });
  await signInAgent(agent.page);
  await conversationOption(agent.page, fresh).click();
  await expect(conversationOption(agent.page, old)).toHaveCount(0);
  await history(agent.page).getByText('1 other conversation').click();
  await historyItems(agent.page).first().click();
  await expect(agentLog(agent.page)).toContainText(old);
  await expect(inbox(agent.page).getByRole('heading', { name })).toBeVisible();

  // The reload restores it (#5), fetched by id since the list still does not bring it.
  await agent.page.reload();
  await expect(agentLog(agent.page)).toContainText(old, { timeout: 15_000 });
  await history(agent.page).getByText('1 other conversation').click();
  await expect(historyItems(agent.page)).toHaveCount(1);
  await expect(historyItems(agent.page).first()).toContainText(fresh);
  expect(pageErrors(agent.page)).toEqual([]);
  await agent.context.close();
  await client.auth.signOut();
});

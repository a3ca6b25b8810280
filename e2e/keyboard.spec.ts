/**
 * The console's keyboard (#13): an agent signs in and lands on the conversation list, then drives
 * every shortcut against the live stack: "/" search, j/k and Alt+↓/↑ through the conversations,
 * r and n into the composer (Reply and Note), Escape out of it, e resolves, a assigns to me, ?
 * opens the shortcuts overlay (Escape closes it and gives focus back). A "j" typed in the composer
 * is a "j" and nothing else. Screenshots of the overlay light, dark, 390 px and right-to-left;
 * axe in each.
 *
 * The customer writes from their own supabase-js client (the widget's visitor flow is tested
 * elsewhere), three conversations under a name no other spec uses, so a search isolates them.
 */
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { AGENT, agentLog, inbox, pageErrors, person, serviceRows, signInAgent } from './helpers.ts';
import { axeViolations } from './axe.ts';
import { customer, startWith } from './customers.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

async function conversationRow(id: string): Promise<{ status: string; assigned_agent_id: string | null }> {
  const [row] = await serviceRows<{ status: string; assigned_agent_id: string | null }>('conversations', `select=status,assigned_agent_id&id=eq.${id}`);
  if (!row) throw new Error(`no conversation ${id}`);
  return row;
}

function listbox(page: Page): Locator {
  return inbox(page).getByRole('listbox', { name: 'Conversations' });
}

function composerBox(page: Page): Locator {
  return inbox(page).getByRole('textbox', { name: 'Message' });
}

function overlay(page: Page): Locator {
  return inbox(page).getByRole('dialog', { name: 'Keyboard shortcuts' });
}

/** The list option selected (the open conversation), by its preview. */
async function expectOpen(page: Page, text: string): Promise<void> {
  await expect(listbox(page).getByRole('option', { selected: true })).toContainText(text);
  await expect(agentLog(page)).toContainText(text);
}

test('every keyboard shortcut of the console, none while typing, focus after sign-in, and the shortcuts overlay', async ({ browser }) => {
  const token = `kbd${randomUUID().slice(0, 8)}`;
  const name = `Keyboard Tester ${token}`;
  const first = 'First question about paper';
  const second = 'Second question about covers';
  const third = 'Third question about delivery';
  const client = await customer(name);
  const firstId = await startWith(client, name, first);
  const secondId = await startWith(client, name, second);
  const thirdId = await startWith(client, name, third);
  const [agentRow] = await serviceRows<{ user_id: string }>('agents', `select=user_id&display_name=eq.${encodeURIComponent(AGENT.name)}`);
  if (!agentRow) throw new Error('no seeded agent');

  const agent = await person(browser);
  const { page } = agent;
  await signInAgent(page);

  // Signed in: focus is on the (seeded) conversation list, ready for j/k.
  await expect(listbox(page)).toBeFocused();

  // "/" goes to the search field and is not typed into it.
  const search = inbox(page).getByRole('searchbox', { name: 'Search conversations' });
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('');
  // Letters typed there are the search, not shortcuts: nothing opens, nothing is resolved.
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await expect(search).toHaveValue(token);
  const options = listbox(page).getByRole('option');
  await expect(options).toHaveCount(3);
  await expect(listbox(page).getByRole('option', { selected: true })).toHaveCount(0);
  // Newest first: the list's order is what j and k follow.
  for (const [i, text] of [third, second, first].entries()) await expect(options.nth(i)).toContainText(text);

  await listbox(page).focus();
  await page.keyboard.press('j');
  await expectOpen(page, third);
  await page.keyboard.press('j');
  await expectOpen(page, second);
  await page.keyboard.press('j');
  await expectOpen(page, first);
  // At the end, j stays (had it wrapped to the top, the k below could not reach the second).
  await page.keyboard.press('j');
  await expectOpen(page, first);
  await page.keyboard.press('k');
  await expectOpen(page, second);
  await page.keyboard.press('Alt+ArrowUp');
  await expectOpen(page, third);
  await page.keyboard.press('Alt+ArrowDown');
  await expectOpen(page, second);
  // Ctrl and Meta belong to the browser.
  await page.keyboard.press('Control+j');
  await expectOpen(page, second);
  const openId = secondId;

  // r: the composer, in Reply mode, empty (the r itself is not typed).
  await page.keyboard.press('r');
  await expect(composerBox(page)).toBeFocused();
  await expect(inbox(page).getByRole('radio', { name: 'Reply' })).toBeChecked();
  await expect(composerBox(page)).toHaveValue('');
  // Typing j, e, a there types them and does nothing else.
  await page.keyboard.type('jea');
  await expect(composerBox(page)).toHaveValue('jea');
  await expectOpen(page, second);
  await expect(inbox(page).getByLabel('Status')).toHaveValue('open');
  expect((await conversationRow(openId)).status).toBe('open');
  expect((await conversationRow(openId)).assigned_agent_id).toBeNull();

  // Escape leaves the composer for the list; the draft stays.
  await page.keyboard.press('Escape');
  await expect(listbox(page)).toBeFocused();
  await expect(composerBox(page)).toHaveValue('jea');

  // n: the composer in Note mode.
  await page.keyboard.press('n');
  await expect(composerBox(page)).toBeFocused();
  await expect(inbox(page).getByRole('radio', { name: 'Note' })).toBeChecked();
  await expect(composerBox(page)).toHaveAttribute('placeholder', 'Write an internal note…');
  await expect(composerBox(page)).toHaveValue('jea');
  await page.keyboard.press('Escape');
  await expect(listbox(page)).toBeFocused();
  // r switches back to Reply.
  await page.keyboard.press('r');
  await expect(inbox(page).getByRole('radio', { name: 'Reply' })).toBeChecked();
  await composerBox(page).fill('');
  await page.keyboard.press('Escape');

  // e resolves the open conversation, on the server too.
  await page.keyboard.press('e');
  await expect(inbox(page).getByLabel('Status')).toHaveValue('resolved');
  await expect.poll(async () => (await conversationRow(openId)).status).toBe('resolved');
  await expect(listbox(page).getByRole('option', { selected: true })).toContainText('Resolved');

  // a assigns it to the signed-in agent.
  await page.keyboard.press('a');
  await expect(inbox(page).getByLabel('Assignee')).toHaveValue(agentRow.user_id);
  await expect.poll(async () => (await conversationRow(openId)).assigned_agent_id).toBe(agentRow.user_id);
  await expect(inbox(page).getByRole('button', { name: 'Assign to me' })).toHaveCount(0);
  // The other two were never touched.
  for (const id of [firstId, thirdId]) expect(await conversationRow(id)).toEqual({ status: 'open', assigned_agent_id: null });

  // ? opens the overlay: a modal dialog listing every shortcut with its keys.
  await page.keyboard.press('?');
  await expect(overlay(page)).toBeVisible();
  await expect(overlay(page).getByRole('button', { name: 'Close' })).toBeFocused();
  for (const [keys, action] of [
    ['j or Alt+↓', 'Next conversation'], ['k or Alt+↑', 'Previous conversation'], ['r', 'Reply'], ['n', 'Write an internal note'],
    ['e', 'Resolve the conversation'], ['a', 'Assign the conversation to me'], ['/', 'Search conversations'],
    ['?', 'Show these shortcuts'], ['Esc', 'Leave the message box'],
  ] as const) {
    await expect(overlay(page).getByRole('term').filter({ hasText: new RegExp(`^${keys.replace(/[?/+]/g, '\\$&')}$`) })).toHaveCount(1);
    await expect(overlay(page).getByRole('definition').filter({ hasText: new RegExp(`^${action}$`) })).toHaveCount(1);
  }
  expect(await overlay(page).locator('kbd').allTextContents()).toEqual(['j', 'Alt+↓', 'k', 'Alt+↑', 'r', 'n', 'e', 'a', '/', '?', 'Esc']);
  // While it is open, shortcuts wait: j does not move.
  await page.keyboard.press('j');
  await expectOpen(page, second);

  // The overlay: screenshots and axe, light, dark, phone width, right-to-left.
  for (const look of ['light', 'dark', 'phone', 'rtl'] as const) {
    await page.emulateMedia({ colorScheme: look === 'dark' ? 'dark' : 'light' });
    await page.setViewportSize(look === 'phone' ? { width: 390, height: 800 } : { width: 1280, height: 860 });
    await page.evaluate((rtl) => document.documentElement.setAttribute('dir', rtl ? 'rtl' : 'ltr'), look === 'rtl');
    await expect(overlay(page)).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/keyboard-overlay-${look}.png` });
    expect(await axeViolations(page), look).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.evaluate(() => document.documentElement.setAttribute('dir', 'ltr'));

  // Escape closes it, and focus goes back where it was.
  await page.keyboard.press('Escape');
  await expect(overlay(page)).toBeHidden();
  await expect(listbox(page)).toBeFocused();
  await expectOpen(page, second);

  // A click on the conversation's text (nothing focusable) keeps the keys in the console.
  await inbox(page).locator('h3.customer').click();
  await page.keyboard.press('k');
  await expectOpen(page, third);

  // The header button opens it too; its Close button closes it.
  await inbox(page).getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(overlay(page)).toBeVisible();
  await overlay(page).getByRole('button', { name: 'Close' }).click();
  await expect(overlay(page)).toBeHidden();
  await expect(inbox(page).getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();

  expect(pageErrors(page)).toEqual([]);
  await agent.context.close();
});

test('at phone width the shortcuts keep focus on something visible: j opens a conversation, Escape and / lead back to the list', async ({ browser }) => {
  const token = `kbd${randomUUID().slice(0, 8)}`;
  const name = `Keyboard Phone ${token}`;
  const older = 'Older question about frames';
  const newer = 'Newer question about gift cards';
  const client = await customer(name);
  await startWith(client, name, older);
  await startWith(client, name, newer);

  const agent = await person(browser, { width: 390 });
  const { page } = agent;
  await signInAgent(page);
  await expect(listbox(page)).toBeFocused();
  await page.keyboard.press('/');
  const search = inbox(page).getByRole('searchbox', { name: 'Search conversations' });
  await expect(search).toBeFocused();
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await expect(listbox(page).getByRole('option')).toHaveCount(2);
  await listbox(page).focus();

  // j opens the newest; the list hides, and focus moves to the way back rather than being lost.
  const back = inbox(page).getByRole('button', { name: 'Back to conversations' });
  await page.keyboard.press('j');
  await expect(agentLog(page)).toContainText(newer);
  await expect(listbox(page)).toBeHidden();
  await expect(back).toBeFocused();
  await page.keyboard.press('j');
  await expect(agentLog(page)).toContainText(older);

  // r, then Escape: out of the composer onto the back button (the list is hidden).
  await page.keyboard.press('r');
  await expect(composerBox(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(back).toBeFocused();

  // / returns to the list and puts the caret in the search field, the search still there.
  await page.keyboard.press('/');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue(token);
  await expect(listbox(page)).toBeVisible();

  expect(pageErrors(page)).toEqual([]);
  await agent.context.close();
});

/**
 * The visitor's conversations as one history (#2) and the agents' identity in the visitor's thread
 * (#4), a visitor and an agent in two browser contexts: the reply and the typing line carry the
 * agent's name (and an initials avatar); the agent closes the conversation, the visitor reads
 * "This conversation was closed." with the history intact, starts a new conversation deliberately
 * and finds it under the old one after a divider; the agent writes into the old conversation and
 * the visitor's badge counts it, then clears once the reply is seen in the panel; a reload brings
 * back the newest conversation with its history. Screenshots at 390 px, light, dark and
 * right-to-left, of the closed notice and of the history; axe in each.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import {
  AGENT, agentReplies, bubble, conversationWith, environment, inbox, launcher, pageErrors, person, unique, visitorLog, visitorSends, visitorWritesAgentOpens,
} from './helpers.ts';
import { axeViolations } from './axe.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

/** The panel at phone width, light, dark and right-to-left: a screenshot and axe in each. */
async function shoot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 860 };
  await page.setViewportSize({ width: 390, height: 800 });
  for (const look of ['light', 'dark', 'rtl'] as const) {
    await page.emulateMedia({ colorScheme: look === 'dark' ? 'dark' : 'light' });
    await page.evaluate((rtl) => document.documentElement.setAttribute('dir', rtl ? 'rtl' : 'ltr'), look === 'rtl');
    await expect(launcher(page).getByRole('dialog')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/history-${name}-${look}-390.png` });
    expect(await axeViolations(page), `${name}, ${look}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.evaluate(() => document.documentElement.setAttribute('dir', 'ltr'));
  await page.setViewportSize(size);
}

/** The agent writes through the API (as the console would), into a conversation the console may not list. */
async function agentWrites(conversationId: string, content: string): Promise<void> {
  const env = environment();
  const signIn = await fetch(`${env.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: env.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email: AGENT.email, password: AGENT.password }),
  });
  const { access_token: token } = (await signIn.json()) as { access_token: string };
  const sent = await fetch(`${env.apiUrl}/rest/v1/rpc/insert_message`, {
    method: 'POST',
    headers: { apikey: env.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ p_id: randomUUID(), p_conversation_id: conversationId, p_content: content }),
  });
  if (!sent.ok) throw new Error(`insert_message: ${sent.status} ${await sent.text()}`);
}

test("one history: the agent's name on replies and typing, a closed conversation, a new one under it, a late reply in the old one, a reload", async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const hello = unique('Do you print on canvas?');
  const answer = 'Yes, up to 90 cm wide.';
  await visitorWritesAgentOpens(visitor.page, agent.page, hello);

  // #4: the typing line and the reply name the agent the same way, with an initials avatar.
  const agentBox = inbox(agent.page).getByRole('textbox', { name: 'Message' });
  const typingLine = launcher(visitor.page).locator('parley-thread [part~="typing"]');
  await expect(async () => {
    await agentBox.pressSequentially('Ye', { delay: 50 });
    await expect(typingLine).toHaveText('Sam Rivera is typing…', { timeout: 2500 });
  }).toPass({ timeout: 15_000 });
  await agentBox.fill('');
  await agentReplies(agent.page, answer);
  const reply = visitorLog(visitor.page).locator('[part~="message"]').filter({ hasText: answer });
  await expect(reply.locator('[part~="sender"]')).toHaveText('Sam Rivera · Agent');
  await expect(reply.locator('[part~="avatar"]')).toHaveAttribute('data-initials', 'SR');

  // The agent closes it: the visitor is told, keeps the history, and cannot write into it.
  await inbox(agent.page).getByLabel('Status').selectOption('closed');
  const visitorBox = launcher(visitor.page).getByRole('textbox', { name: 'Message' });
  await expect(launcher(visitor.page).getByText('This conversation was closed.')).toBeVisible();
  await expect(visitorBox).toHaveCount(0);
  await expect(visitorLog(visitor.page)).toContainText(hello);
  await expect(visitorLog(visitor.page)).toContainText(answer);
  await shoot(visitor.page, 'closed');

  // A new conversation, started deliberately: it shows under the old one, after a divider.
  await launcher(visitor.page).getByRole('button', { name: 'Start a new conversation' }).click();
  await expect(visitorBox).toBeFocused();
  const second = unique('And do you frame them?');
  await visitorSends(visitor.page, second);
  const divider = visitorLog(visitor.page).locator('[part~="divider"]');
  await expect(divider).toContainText('Conversation closed');
  const top = async (text: string): Promise<number> =>
    (await visitorLog(visitor.page).locator('[part~="message"]').filter({ hasText: text }).boundingBox())?.y ?? NaN;
  const dividerTop = (await divider.boundingBox())?.y ?? NaN;
  expect(await top(hello)).toBeLessThan(dividerTop);
  expect(dividerTop).toBeLessThan(await top(second));
  const first = await conversationWith(hello);
  expect(await conversationWith(second)).not.toBe(first);

  // The agent writes into the old conversation while the panel is closed: the badge counts it; the
  // panel shows it, and once seen the badge clears (badge = what the panel shows unread).
  await launcher(visitor.page).getByRole('button', { name: 'Close chat' }).click();
  const late = unique('About canvas: we also do 120 cm now');
  await agentWrites(first, late);
  await expect(bubble(visitor.page)).toHaveAccessibleName('Open chat, 1 unread');
  await bubble(visitor.page).click();
  const lateRow = visitorLog(visitor.page).locator('[part~="message"]').filter({ hasText: late });
  await expect(lateRow).toBeInViewport();
  await expect(bubble(visitor.page)).toHaveAccessibleName('Hide chat');
  await expect(lateRow.locator('[part~="sender"]')).toHaveText('Sam Rivera · Agent');
  await shoot(visitor.page, 'earlier');

  // A reload: the newest conversation, with the history above it, and the composer.
  await visitor.page.reload();
  await expect(launcher(visitor.page).getByRole('dialog')).toBeVisible({ timeout: 20_000 });
  await expect(visitorLog(visitor.page)).toContainText(second);
  await expect(visitorLog(visitor.page)).toContainText(late);
  await expect(visitorBox).toBeEnabled({ timeout: 15_000 });
  await expect(bubble(visitor.page)).toHaveAccessibleName('Hide chat');

  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});

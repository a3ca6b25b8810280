import { expect, test } from '@playwright/test';
import {
  agentLog, conversationOption, expectRealtimeTransport, inbox, launcher, openChat, openCustomerPage, person, signInAgent, unique, visitorSends,
} from './helpers.ts';

// Issue #5: a reload loses neither the open panel nor what was typed, on either side.
test('a reload keeps the visitor\'s open panel and draft, and the agent\'s open conversation and draft', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);

  const first = unique('Question before the reload');
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, first);
  const visitorBox = launcher(visitor.page).getByRole('textbox', { name: 'Message' });
  await visitorBox.fill('A draft the visitor did not send');
  await visitor.page.reload();
  await expect(launcher(visitor.page).getByRole('dialog')).toBeVisible({ timeout: 15_000 });
  await expect(visitorBox).toHaveValue('A draft the visitor did not send');
  await expect(launcher(visitor.page).getByRole('log')).toContainText(first);

  await signInAgent(agent.page);
  await conversationOption(agent.page, first).click();
  await expect(agentLog(agent.page)).toContainText(first);
  const agentBox = inbox(agent.page).getByRole('textbox', { name: 'Message' });
  await agentBox.fill('A reply the agent is still writing');
  await agent.page.reload();
  await expect(agentLog(agent.page)).toContainText(first, { timeout: 15_000 });
  await expect(agentBox).toHaveValue('A reply the agent is still writing');

  // A new tab of the same browser starts closed: the state is per tab.
  const other = await visitor.context.newPage();
  await openCustomerPage(other);
  await expect(launcher(other).getByRole('dialog')).toBeHidden();
  expectRealtimeTransport(visitor.page);
  expectRealtimeTransport(agent.page);
  await visitor.context.close();
  await agent.context.close();
});

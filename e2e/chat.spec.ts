import { expect, test } from '@playwright/test';
import {
  AGENT, agentLog, agentReplies, bubble, conversationOption, conversationWith, expectRealtimeTransport, inbox, launcher, messagesOf, openChat, openCustomerPage, pageErrors, person, signInAgent, unique, visitorLog, visitorSends, visitorWritesAgentOpens,
} from './helpers.ts';

test('a visitor and an agent chat live: new conversation, reply, unread badge, "Seen"', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const hello = unique('Hello, my photo book has a torn page');

  await openCustomerPage(visitor.page);
  await signInAgent(agent.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, hello);

  // The agent sees it arrive without reloading, opens it and answers.
  const option = conversationOption(agent.page, hello);
  await expect(option).toBeVisible();
  const unread = option.locator('[part~="unread-badge"]');
  await expect(unread).toBeVisible();
  await expect(unread).toContainText('1 unread');
  await option.click();
  await expect(agentLog(agent.page)).toContainText(hello);
  await expect(unread).toBeHidden();
  await agentReplies(agent.page, 'Sorry to hear that! We will reprint it for free.');
  await expect(visitorLog(visitor.page)).toContainText('We will reprint it for free.');

  // The visitor has read the reply: the agent sees "Seen" under it (the receipt's generated content).
  const seen = agentLog(agent.page).locator('[part~="message"][data-receipt="seen"]');
  await expect(seen).toHaveCount(1);
  await expect(seen).toContainText('We will reprint it for free.');
  expect(await seen.locator('[part~="receipt"]').evaluate((receipt) => getComputedStyle(receipt, '::after').visibility)).toBe('visible');

  // Closed panel: replies count on the bubble.
  await launcher(visitor.page).getByRole('button', { name: 'Close chat' }).click();
  await agentReplies(agent.page, 'The reprint ships tomorrow.');
  await agentReplies(agent.page, 'Anything else I can do?');
  await expect(bubble(visitor.page)).toHaveAccessibleName('Open chat, 2 unread');
  await expect(launcher(visitor.page).locator('[part~="badge"]').last()).toHaveText('2');
  await bubble(visitor.page).click();
  await expect(visitorLog(visitor.page)).toContainText('Anything else I can do?');
  await expect(bubble(visitor.page)).toHaveAccessibleName('Hide chat');

  const id = await conversationWith(hello);
  expect((await messagesOf(id)).map((m) => m.sender_type)).toEqual(['customer', 'agent', 'agent', 'agent']);
  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  expectRealtimeTransport(visitor.page);
  expectRealtimeTransport(agent.page);
  await visitor.context.close();
  await agent.context.close();
});

test('status changes and assignments show live on both sides; the visitor sees only the lines meant for them', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const text = unique('Can I change my delivery address?');
  await visitorWritesAgentOpens(visitor.page, agent.page, text);

  await inbox(agent.page).getByRole('button', { name: 'Assign to me' }).click();
  // Taking an unassigned conversation is one line, which the visitor reads too; the team's
  // workflow lines (pending, below) are never the visitor's.
  const took = `${AGENT.name} took the conversation`;
  const joined = `${AGENT.name} joined the conversation`;
  await expect(agentLog(agent.page)).toContainText(joined);
  await expect(visitorLog(visitor.page)).toContainText(joined);
  await expect(agentLog(agent.page)).not.toContainText(took);
  await expect(visitorLog(visitor.page)).not.toContainText(took);
  await expect(inbox(agent.page).getByLabel('Assignee')).toHaveValue(/^[0-9a-f-]{36}$/);
  await expect(conversationOption(agent.page, text)).toContainText(AGENT.name);

  await inbox(agent.page).getByLabel('Status').selectOption('pending');
  const marked = `${AGENT.name} marked the conversation as pending`;
  await expect(agentLog(agent.page)).toContainText(marked);
  await expect(conversationOption(agent.page, text)).toContainText('Pending');
  await expect(visitorLog(visitor.page)).not.toContainText(marked);

  // A visitor reply reopens a pending conversation; the agent's controls follow.
  await visitorSends(visitor.page, 'Still there?');
  await expect(inbox(agent.page).getByLabel('Status')).toHaveValue('open');
  expectRealtimeTransport(visitor.page);
  expectRealtimeTransport(agent.page);
  await visitor.context.close();
  await agent.context.close();
});

import { expect, test } from '@playwright/test';
import {
  AGENT, agentLog, conversationOption, conversationWith, inbox, messagesOf, openChat, openCustomerPage, person, signInAgent,
  unique, visitorSends,
} from './helpers.ts';

const INSERT = '**/rest/v1/rpc/insert_message';

// Issue #8: the agent's reply that has not reached the server survives a reload and a sign-out.
test('an agent\'s unsent reply survives a reload (the tab asks first) and a sign-out (the console asks first), and arrives once', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const question = unique('Is my parcel lost?');
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, question);
  const id = await conversationWith(question);
  const replies = async (): Promise<string[]> => (await messagesOf(id)).filter((m) => m.sender_type === 'agent').map((m) => m.content);

  const page = agent.page;
  await signInAgent(page);
  await conversationOption(page, question).click();
  await expect(agentLog(page)).toContainText(question);

  // The requests fail: the reply stays in the outbox.
  await page.route(INSERT, (route) => route.abort('internetdisconnected'));
  const box = inbox(page).getByRole('textbox', { name: 'Message' });
  const first = unique('Reply before the reload');
  await box.fill(first);
  await box.press('Enter');
  await expect(agentLog(page)).toContainText(first);

  // Reloading asks first; leaving anyway keeps the reply, which is sent once the console is back.
  const asked: string[] = [];
  page.on('dialog', (dialog) => {
    asked.push(dialog.type());
    void dialog.accept();
  });
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.route(INSERT, (route) => route.abort('internetdisconnected'));
  await page.reload();
  expect(asked).toEqual(['beforeunload']);
  expect(await replies()).toEqual([]);
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.reload();
  await expect.poll(replies, { timeout: 20_000 }).toEqual([first]);

  // Offline again: signing out asks, and the reply is sent after signing in again.
  // The reload reopened the conversation (#5).
  await expect(agentLog(page)).toContainText(first);
  await page.route(INSERT, (route) => route.abort('internetdisconnected'));
  const second = unique('Reply before signing out');
  await box.fill(second);
  await box.press('Enter');
  await expect(agentLog(page)).toContainText(second);
  await inbox(page).getByRole('button', { name: 'Sign out' }).click();
  const question2 = inbox(page).getByRole('alertdialog', { name: 'Sign out?' });
  await expect(question2).toContainText('1 reply is not sent yet. It will be sent when you sign in again.');
  await question2.getByRole('button', { name: 'Sign out' }).click();
  await expect(inbox(page).getByLabel('Email')).toBeVisible();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await inbox(page).getByLabel('Email').fill(AGENT.email);
  await inbox(page).getByLabel('Password').fill(AGENT.password);
  await inbox(page).getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(replies, { timeout: 20_000 }).toEqual([first, second]);
  await visitor.context.close();
  await agent.context.close();
});

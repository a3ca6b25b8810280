/**
 * #6: a host page served over plain http is not a secure context, and browsers leave out the APIs
 * reserved for those (`crypto.randomUUID`, `crypto.subtle`, `navigator.clipboard`, `navigator.locks`).
 * Chromium treats localhost and 127.0.0.0/8 as secure, so the visitor's browser maps a made-up name,
 * `shop.test` (allowed as a host in demo/vite.config.ts), to the demo server and loads the shop as
 * `http://shop.test:PORT/customer/`. The agent works in an ordinary (secure) context.
 */
import { expect, test } from '@playwright/test';
import {
  agentLog, agentReplies, conversationOption, conversationWith, environment, launcher, messagesOf, openChat,
  pageErrors, person, signInAgent, unique, visitorLog, visitorSends,
} from './helpers.ts';

const HOST = 'shop.test';

test.use({
  launchOptions: {
    executablePath: process.env['CHROME_PATH'] || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
  },
});

test('a visitor on a plain-http page (not a secure context) chats with an agent', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const shop = new URL(environment().demoUrl);
  shop.hostname = HOST;

  await visitor.page.goto(`${shop.origin}/customer/`);
  expect(await visitor.page.evaluate(() => window.isSecureContext)).toBe(false);
  // What the fix is about: the API really is missing here, so the widget must do without it.
  expect(await visitor.page.evaluate(() => typeof crypto.randomUUID)).toBe('undefined');

  const first = unique('Hello from a plain-http shop');
  const second = unique('Is the A3 print in stock?');
  await openChat(visitor.page);
  await visitorSends(visitor.page, first);
  await visitorSends(visitor.page, second);
  const conversation = await conversationWith(first);
  await expect.poll(async () => (await messagesOf(conversation)).map((m) => m.content)).toEqual([first, second]);
  await expect(launcher(visitor.page).locator('.pending[data-state="failed"]')).toHaveCount(0);

  await signInAgent(agent.page);
  expect(await agent.page.evaluate(() => window.isSecureContext)).toBe(true);
  await conversationOption(agent.page, second).click();
  await expect(agentLog(agent.page)).toContainText(first);
  const reply = unique('Yes, it ships today');
  await agentReplies(agent.page, reply);
  await expect(visitorLog(visitor.page)).toContainText(reply);

  expect((await messagesOf(conversation)).map((m) => m.sender_type)).toEqual(['customer', 'customer', 'agent']);
  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});

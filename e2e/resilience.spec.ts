import { expect, test, type WebSocketRoute } from '@playwright/test';
import {
  agentLog, conversationWith, inbox, launcher, messagesOf, openChat, openCustomerPage, person, unique, visitorLog, visitorSends, visitorWritesAgentOpens,
} from './helpers.ts';

const REALTIME = /\/realtime\/v1\/websocket/;

test('the agent\'s socket is cut while the visitor sends 5 messages: reconnecting, connected, all 5 once and in order', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);

  // Every realtime socket of the agent's page goes through this route, so the test can cut it.
  let cut = false;
  const sockets: WebSocketRoute[] = [];
  await agent.page.routeWebSocket(REALTIME, (ws) => {
    if (cut) {
      void ws.close({ code: 4000, reason: 'network cut by the test' });
      return;
    }
    ws.connectToServer();
    sockets.push(ws);
  });

  const first = unique('Where is my order?');
  await visitorWritesAgentOpens(visitor.page, agent.page, first);
  const status = inbox(agent.page).locator('parley-status');
  await expect(status).toHaveAttribute('status', 'connected');

  cut = true;
  for (const ws of sockets.splice(0)) await ws.close({ code: 4000, reason: 'network cut by the test' });
  await expect(status).toHaveAttribute('status', 'reconnecting');

  const burst = Array.from({ length: 5 }, (_, i) => `${first} — follow-up ${i + 1}`);
  for (const text of burst) await visitorSends(visitor.page, text);
  await expect(status).toHaveAttribute('status', 'reconnecting');

  cut = false;
  await expect(status).toHaveAttribute('status', 'connected', { timeout: 20_000 });
  for (const text of burst) await expect(agentLog(agent.page).getByText(text, { exact: true })).toHaveCount(1);
  const shown = (await agentLog(agent.page).textContent()) ?? '';
  const positions = burst.map((text) => shown.indexOf(text));
  expect(positions).toEqual([...positions].sort((a, b) => a - b));

  const id = await conversationWith(first);
  expect((await messagesOf(id)).map((m) => m.content)).toEqual([first, ...burst]);
  await visitor.context.close();
  await agent.context.close();
});

test('reloading the visitor page restores the conversation and sends each unsent message exactly once', async ({ browser }) => {
  const visitor = await person(browser);
  const page = visitor.page;
  const first = unique('Do you ship to Norway?');
  await openCustomerPage(page);
  await openChat(page);
  await visitorSends(page, first);
  const id = await conversationWith(first);

  // First the server stores a send but its answer is lost; then sends stop reaching the server.
  const unanswered = unique('stored, answer lost');
  const lost = unique('never arrived');
  let mode: 'drop-answer' | 'abort' = 'drop-answer';
  await page.route('**/rest/v1/rpc/insert_message', async (route) => {
    if (mode === 'abort') return route.abort('internetdisconnected');
    await route.fetch();
    return route.abort('connectionreset');
  });
  const box = launcher(page).getByRole('textbox', { name: 'Message' });
  await box.fill(unanswered);
  await box.press('Enter');
  await expect.poll(async () => (await messagesOf(id)).map((m) => m.content)).toContain(unanswered);
  mode = 'abort';
  await box.fill(lost);
  await box.press('Enter');
  await expect(visitorLog(page)).toContainText(lost);
  expect((await messagesOf(id)).map((m) => m.content)).toEqual([first, unanswered]);

  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.reload();
  // The outbox is delivered after the reload, with the panel open again as the visitor left it (#5).
  await expect.poll(async () => (await messagesOf(id)).map((m) => m.content), { timeout: 20_000 }).toEqual([first, unanswered, lost]);
  await expect(launcher(page).getByRole('dialog')).toBeVisible();
  for (const text of [first, lost, unanswered]) await expect(visitorLog(page).getByText(text, { exact: true })).toHaveCount(1);
  // Nothing is resent later either: a new message lands right after them.
  const after = unique('after the reload');
  await visitorSends(page, after);
  await expect.poll(async () => (await messagesOf(id)).map((m) => m.content)).toEqual([first, unanswered, lost, after]);
  await visitor.context.close();
});

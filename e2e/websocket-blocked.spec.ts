/**
 * Issue #7: a network that refuses WebSocket upgrades (corporate proxies do) must not leave the chat
 * at "Connecting…" with replies that never arrive. Both people's realtime sockets are refused; the
 * widgets fall back to polling over REST (src/realtime/rest-fallback.ts), show it, deliver each
 * message within the documented poll interval, and return to realtime once sockets work again,
 * with every message shown exactly once.
 */
import { expect, test, type BrowserContext, type Locator } from '@playwright/test';
import { FALLBACK_AFTER_MS, POLL_INTERVAL_MS } from '../src/realtime/rest-fallback.ts';
import {
  agentLog, agentReplies, conversationOption, conversationWith, inbox, launcher, messagesOf, openChat,
  openCustomerPage, person, signInAgent, unique, visitorLog, visitorSends,
} from './helpers.ts';

const REALTIME = /\/realtime\/v1\/websocket/;
/** One poll's requests and the render after it, on top of the interval (two shared cores). */
const POLL_SLACK_MS = 2000;

/** Refuses every realtime socket of the context while `blocked()` says so; returns the switch. */
async function blockWebSockets(context: BrowserContext): Promise<{ blocked: boolean }> {
  const state = { blocked: true };
  await context.routeWebSocket(REALTIME, (ws) => {
    if (state.blocked) void ws.close({ code: 1008, reason: 'WebSockets are blocked by the test proxy' });
    else ws.connectToServer();
  });
  return state;
}

async function arrivesWithinPollInterval(log: Locator, text: string): Promise<number> {
  const started = Date.now();
  await expect(log.getByText(text, { exact: true })).toHaveCount(1, { timeout: POLL_INTERVAL_MS + POLL_SLACK_MS });
  return Date.now() - started;
}

test('with WebSockets blocked, both sides poll over REST, say so, and return to realtime without losing or doubling a message', async ({ browser }) => {
  test.setTimeout(150_000);
  const visitor = await person(browser);
  const agent = await person(browser);
  const visitorNet = await blockWebSockets(visitor.context);
  const agentNet = await blockWebSockets(agent.context);

  const first = unique('My parcel never came');
  await openCustomerPage(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, first);
  const id = await conversationWith(first);
  const visitorStatus = launcher(visitor.page).locator('parley-status');
  await expect(visitorStatus).toHaveAttribute('status', 'polling', { timeout: FALLBACK_AFTER_MS + 10_000 });
  await expect(visitorStatus).toContainText('Updating every few seconds');

  await signInAgent(agent.page);
  await conversationOption(agent.page, first).click();
  await expect(agentLog(agent.page)).toContainText(first);
  const agentStatus = inbox(agent.page).locator('parley-status');
  await expect(agentStatus).toHaveAttribute('status', 'polling', { timeout: FALLBACK_AFTER_MS + 10_000 });

  // A reply reaches the visitor within one poll interval, and the visitor's answer the agent.
  const reply = unique('Sorry about that, let me check');
  await agentReplies(agent.page, reply);
  await expect.poll(async () => (await messagesOf(id)).map((m) => m.content)).toContain(reply);
  const replyMs = await arrivesWithinPollInterval(visitorLog(visitor.page), reply);
  const answer = unique('Thanks!');
  await visitorSends(visitor.page, answer);
  const answerMs = await arrivesWithinPollInterval(agentLog(agent.page), answer);
  test.info().annotations.push({ type: 'polling', description: `reply after ${replyMs} ms, answer after ${answerMs} ms (interval ${POLL_INTERVAL_MS} ms)` });
  for (const status of [visitorStatus, agentStatus]) await expect(status).toHaveAttribute('status', 'polling');

  // Sockets work again: both return to realtime by themselves.
  visitorNet.blocked = false;
  agentNet.blocked = false;
  for (const status of [visitorStatus, agentStatus]) await expect(status).toHaveAttribute('status', 'connected', { timeout: 30_000 });

  const live = unique('Found it, it ships today');
  await agentReplies(agent.page, live);
  const thanks = unique('Great, thank you');
  await expect(visitorLog(visitor.page).getByText(live, { exact: true })).toHaveCount(1);
  await visitorSends(visitor.page, thanks);
  await expect(agentLog(agent.page).getByText(thanks, { exact: true })).toHaveCount(1);

  const all = [first, reply, answer, live, thanks];
  await expect.poll(async () => (await messagesOf(id)).map((m) => m.content)).toEqual(all);
  for (const log of [visitorLog(visitor.page), agentLog(agent.page)]) {
    for (const text of all) await expect(log.getByText(text, { exact: true })).toHaveCount(1);
    const shown = (await log.textContent()) ?? '';
    const positions = all.map((text) => shown.indexOf(text));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  }
  await visitor.context.close();
  await agent.context.close();
});

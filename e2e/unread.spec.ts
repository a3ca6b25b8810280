/**
 * The agent's read state survives everything (#1): after a reload and after signing out and in,
 * every row's unread count in the console is what the database says (the conversation's customer
 * messages minus the agent's own read counter), the first conversation opened after sign-in is
 * marked read, the agent's own replies, notes and system lines are never unread for them, and a
 * visitor's message in a conversation the agent is not looking at raises its count by exactly one.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  AGENT, agentLog, agentReplies, conversationOption, conversationWith, inbox, openChat, openCustomerPage, pageErrors,
  person, serviceRows, signInAgent, unique, visitorSends,
} from './helpers.ts';

interface CounterRow { readonly id: string; readonly customer_messages: number; readonly last_seq: number }
interface ReadRow { readonly conversation_id: string; readonly last_read_seq: number; readonly read_customer_messages: number }

async function agentId(): Promise<string> {
  const [row] = await serviceRows<{ user_id: string }>('agents', `select=user_id&display_name=eq.${encodeURIComponent(AGENT.name)}`);
  if (!row) throw new Error(`no agent ${AGENT.name}`);
  return row.user_id;
}

/** Unread count of every listed conversation as the console shows it (0 when its badge is hidden). */
async function shownUnread(page: Page): Promise<Record<string, number>> {
  const rows = await inbox(page).locator('parley-conversation-list [role="option"]').evaluateAll((options) => options.map((option) => {
    const badge = option.querySelector('[part~="unread-badge"]');
    const count = badge && !badge.hasAttribute('hidden') ? Number(badge.querySelector('[aria-hidden="true"]')?.textContent) : 0;
    return [option.getAttribute('data-id') ?? '', count] as const;
  }));
  return Object.fromEntries(rows);
}

/** The same conversations' unread counts as the database has them for the agent. */
async function storedUnread(ids: readonly string[], userId: string): Promise<Record<string, number>> {
  if (ids.length === 0) return {};
  const list = ids.join(',');
  const conversations = await serviceRows<CounterRow>('conversations', `select=id,customer_messages,last_seq&id=in.(${list})`);
  const reads = await serviceRows<ReadRow>('conversation_reads',
    `select=conversation_id,last_read_seq,read_customer_messages&user_id=eq.${userId}&conversation_id=in.(${list})`);
  const read = new Map(reads.map((r) => [r.conversation_id, r.read_customer_messages]));
  return Object.fromEntries(conversations.map((c) => [c.id, Math.max(0, c.customer_messages - (read.get(c.id) ?? 0))]));
}

/**
 * Waits until every row the console lists shows what the database says, with the conversations
 * `listed` among them (the list may still be loading); returns the counts.
 */
async function expectCountsAsStored(page: Page, userId: string, listed: readonly string[]): Promise<Record<string, number>> {
  let shown: Record<string, number> = {};
  await expect.poll(async () => {
    shown = await shownUnread(page);
    const stored = await storedUnread(Object.keys(shown), userId);
    const wrong = Object.keys(shown).filter((id) => shown[id] !== stored[id]).map((id) => `${id}: shown ${shown[id]}, stored ${stored[id]}`);
    const missing = listed.filter((id) => !(id in shown)).map((id) => `${id}: not listed`);
    return [...missing, ...wrong];
  }, { message: 'unread counts as stored' }).toEqual([]);
  return shown;
}

/** The agent's marker of a conversation has read everything it holds. */
async function expectReadInDatabase(conversationId: string, userId: string): Promise<void> {
  await expect.poll(async () => {
    const [row] = await serviceRows<CounterRow>('conversations', `select=id,customer_messages,last_seq&id=eq.${conversationId}`);
    const [mark] = await serviceRows<ReadRow>('conversation_reads',
      `select=conversation_id,last_read_seq,read_customer_messages&user_id=eq.${userId}&conversation_id=eq.${conversationId}`);
    return row && mark ? [mark.last_read_seq === row.last_seq, mark.read_customer_messages === row.customer_messages] : null;
  }, { message: 'read in conversation_reads' }).toEqual([true, true]);
}

function unreadBadge(page: Page, text: string) {
  return conversationOption(page, text).locator('[part~="unread-badge"]');
}

test('unread counts are the database\'s after a reload and a sign-in; opening marks read; own messages never count', async ({ browser }) => {
  const first = await person(browser);
  const second = await person(browser);
  const agent = await person(browser);
  const me = await agentId();
  const hello = unique('My order number is wrong');
  const other = unique('Do you ship to Norway?');
  const again = unique('Any news about my order?');
  const later = unique('And a second question about Norway');

  // Two visitors write: one message, then two messages.
  await openCustomerPage(first.page);
  await openChat(first.page);
  await visitorSends(first.page, hello);
  await openCustomerPage(second.page);
  await openChat(second.page);
  await visitorSends(second.page, other);
  await visitorSends(second.page, `${other} (details)`);
  const helloId = await conversationWith(hello);
  const otherId = await conversationWith(other);

  // Signed in: every row counts what the database says; the two new ones 1 and 2.
  await signInAgent(agent.page);
  let shown = await expectCountsAsStored(agent.page, me, [helloId, otherId]);
  expect(shown[helloId]).toBe(1);
  expect(shown[otherId]).toBe(2);

  // The first conversation opened after sign-in is read, in the console and in the database.
  await conversationOption(agent.page, hello).click();
  await expect(agentLog(agent.page)).toContainText(hello);
  await expect(unreadBadge(agent.page, hello)).toBeHidden();
  await expectReadInDatabase(helloId, me);

  // The agent's reply, note and the system lines of taking it are never unread for the agent.
  await agentReplies(agent.page, unique('Let me check that for you'));
  await inbox(agent.page).getByRole('radio', { name: 'Note' }).click();
  const note = unique('Order number typo, fix in the shop admin');
  await inbox(agent.page).getByRole('textbox', { name: 'Message' }).fill(note);
  await inbox(agent.page).getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(agentLog(agent.page)).toContainText(note);
  await inbox(agent.page).getByRole('radio', { name: 'Reply' }).click();
  await inbox(agent.page).getByRole('button', { name: 'Assign to me' }).click();
  await expect(agentLog(agent.page)).toContainText(`${AGENT.name} joined the conversation`);
  await inbox(agent.page).getByLabel('Status').selectOption('pending');
  await expect(agentLog(agent.page)).toContainText('marked the conversation as pending');
  shown = await expectCountsAsStored(agent.page, me, [helloId, otherId]);
  expect(shown[helloId]).toBe(0);
  await expectReadInDatabase(helloId, me);

  // Looking at the other conversation: a message in the first raises its count by exactly one.
  await conversationOption(agent.page, other).click();
  await expect(agentLog(agent.page)).toContainText(other);
  await expect(unreadBadge(agent.page, other)).toBeHidden();
  await visitorSends(first.page, again);
  await expect(unreadBadge(agent.page, again)).toContainText('1 unread');
  shown = await expectCountsAsStored(agent.page, me, [helloId, otherId]);
  expect(shown[helloId]).toBe(1);
  expect(shown[otherId]).toBe(0);

  // Opening it clears it, here and in the database.
  await conversationOption(agent.page, again).click();
  await expect(agentLog(agent.page)).toContainText(again);
  await expect(unreadBadge(agent.page, again)).toBeHidden();
  await expectReadInDatabase(helloId, me);

  // A reload: the counts are the database's, own messages still not unread.
  await agent.page.reload();
  await expect(agentLog(agent.page)).toContainText(again, { timeout: 15_000 });
  shown = await expectCountsAsStored(agent.page, me, [helloId, otherId]);
  expect(shown[helloId]).toBe(0);
  expect(shown[otherId]).toBe(0);

  // The other visitor writes while the agent looks at the first conversation: exactly one more.
  await visitorSends(second.page, later);
  await expect(unreadBadge(agent.page, later)).toContainText('1 unread');

  // Signed out and in again: the counts are the database's, nothing else became unread.
  await inbox(agent.page).getByRole('button', { name: 'Sign out' }).click();
  await expect(inbox(agent.page).getByLabel('Email')).toBeVisible();
  await inbox(agent.page).getByLabel('Email').fill(AGENT.email);
  await inbox(agent.page).getByLabel('Password').fill(AGENT.password);
  await inbox(agent.page).getByRole('button', { name: 'Sign in' }).click();
  await expect(inbox(agent.page).getByRole('listbox', { name: 'Conversations' })).toBeVisible({ timeout: 15_000 });
  shown = await expectCountsAsStored(agent.page, me, [helloId, otherId]);
  expect(shown[helloId]).toBe(0);
  expect(shown[otherId]).toBe(1);

  // The first conversation opened after this sign-in is read too.
  await conversationOption(agent.page, later).click();
  await expect(agentLog(agent.page)).toContainText(later);
  await expect(unreadBadge(agent.page, later)).toBeHidden();
  await expectReadInDatabase(otherId, me);
  shown = await expectCountsAsStored(agent.page, me, [helloId, otherId]);
  expect(shown[otherId]).toBe(0);

  for (const who of [first, second, agent]) expect(pageErrors(who.page)).toEqual([]);
  for (const who of [first, second, agent]) await who.context.close();
});

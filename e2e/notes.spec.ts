/**
 * Internal notes (#10): an agent writes a note and then a reply; the visitor gets the reply and never
 * the note (not in the launcher's DOM, not in its storage), the agent sees the note styled as a note,
 * before and after a reload. Screenshots of the console with a note and the composer in Note mode,
 * light, dark, phone width and right-to-left; axe on the console in that state.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  agentLog, agentReplies, conversationOption, conversationWith, expectRealtimeTransport, inbox, launcher, pageErrors, person, realtimeTransport, receivedFrames, serviceRows, unique, visitorLog, visitorWritesAgentOpens,
} from './helpers.ts';
import { axeViolations } from './axe.ts';

const SCREENSHOTS = 'test-results/screenshots';
/** --parley-color-note's light and dark defaults, as computed styles report them. */
const NOTE_LIGHT = 'rgb(255, 244, 209)';
const NOTE_DARK = 'rgb(58, 49, 32)';

function composerBox(page: Page): Locator {
  return inbox(page).getByRole('textbox', { name: 'Message' });
}

function noteRow(page: Page, text: string): Locator {
  return agentLog(page).locator('[part~="note"]').filter({ hasText: text });
}

async function bubbleBackground(row: Locator): Promise<string> {
  return row.locator('[part~="bubble"]').evaluate((el) => getComputedStyle(el).backgroundColor);
}

/** Every text and attribute value in the launcher, through every shadow root: what the visitor's page holds. */
async function launcherContent(page: Page): Promise<string> {
  return launcher(page).evaluate((host) => {
    const out: string[] = [];
    const walk = (node: Node): void => {
      if (node instanceof Element) {
        for (const attr of node.attributes) out.push(attr.value);
        if (node.shadowRoot) walk(node.shadowRoot);
      }
      if (node.nodeType === Node.TEXT_NODE) out.push(node.textContent ?? '');
      if (node instanceof HTMLTextAreaElement || node instanceof HTMLInputElement) out.push(node.value);
      for (const child of node.childNodes) walk(child);
    };
    walk(host);
    return out.join('\n');
  });
}

mkdirSync(SCREENSHOTS, { recursive: true });

/** Screenshots and axe of the console showing `note`, composer in Note mode: light, dark, 390 px, right-to-left. */
async function looks(page: Page, note: string): Promise<void> {
  await inbox(page).getByRole('radio', { name: 'Note' }).click();
  await composerBox(page).fill('Draft: ask the warehouse about the batch');
  await expect(inbox(page).getByText('Only your team sees notes')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/notes-console-light-1280.png` });
  expect(await axeViolations(page), 'light').toEqual([]);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => bubbleBackground(noteRow(page, note))).toBe(NOTE_DARK);
  await page.screenshot({ path: `${SCREENSHOTS}/notes-console-dark-1280.png` });
  expect(await axeViolations(page), 'dark').toEqual([]);
  await page.emulateMedia({ colorScheme: 'light' });

  await page.setViewportSize({ width: 390, height: 800 });
  await expect(noteRow(page, note)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/notes-console-light-390.png` });
  expect(await axeViolations(page), '390px').toEqual([]);
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
  await expect(noteRow(page, note)).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/notes-console-rtl-1280.png` });
  expect(await axeViolations(page), 'rtl').toEqual([]);
}

test('an agent writes a note, then a reply: the visitor gets only the reply, the agent sees a note, also after a reload', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const question = unique('My parcel never arrived');
  const note = unique('Courier confirmed the loss, reship at our cost');
  const reply = unique('So sorry! A new parcel leaves today.');

  await visitorWritesAgentOpens(visitor.page, agent.page, question);

  // The agent switches to Note: the composer says so, and stays in Note after sending.
  const noteMode = inbox(agent.page).getByRole('radio', { name: 'Note' });
  const replyMode = inbox(agent.page).getByRole('radio', { name: 'Reply' });
  await expect(replyMode).toBeChecked();
  await noteMode.click();
  await expect(noteMode).toBeChecked();
  await expect(composerBox(agent.page)).toBeFocused();
  await expect(composerBox(agent.page)).toHaveAttribute('placeholder', 'Write an internal note…');
  await expect(inbox(agent.page).getByText('Only your team sees notes')).toBeVisible();
  await composerBox(agent.page).fill(note);
  await composerBox(agent.page).press('Enter');
  await expect(noteRow(agent.page, note)).toBeVisible();
  await expect(noteRow(agent.page, note)).toContainText('You · Internal note');
  await expect.poll(() => bubbleBackground(noteRow(agent.page, note))).toBe(NOTE_LIGHT);
  await expect(noteMode).toBeChecked();

  // Back to Reply for the answer.
  await replyMode.click();
  await agentReplies(agent.page, reply);
  await expect(agentLog(agent.page).locator('[part~="message"]').filter({ hasText: reply })).not.toHaveAttribute('part', /\bnote\b/);

  // The visitor gets the reply, and nothing of the note anywhere in the widget or its storage.
  await expect(visitorLog(visitor.page)).toContainText(reply);
  expect(await launcherContent(visitor.page)).toContain(reply);
  expect(await launcherContent(visitor.page)).not.toContain(note);
  const storage = await visitor.page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(storage).not.toContain(note);
  // Nor did it ever reach the visitor's page over the wire, whatever the transport.
  expect(receivedFrames(visitor.page).filter((frame) => frame.includes(note))).toEqual([]);
  expect(receivedFrames(visitor.page).some((frame) => frame.includes(reply))).toBe(true);

  // The database holds it as an internal message of the conversation, the reply as public.
  const id = await conversationWith(question);
  const rows = await serviceRows<{ content: string; visibility: string; public_seq: number | null }>(
    'messages', `select=content,visibility,public_seq&conversation_id=eq.${id}&order=seq.asc`);
  expect(rows.map((r) => [r.content, r.visibility])).toEqual(
    expect.arrayContaining([[note, 'internal'], [reply, 'public']]));
  expect(rows.find((r) => r.content === note)?.public_seq).toBeNull();

  // Taking the conversation is a public "joined"; a workflow line (pending) is internal, marked for the team.
  await inbox(agent.page).getByRole('button', { name: 'Assign to me' }).click();
  await expect(visitorLog(visitor.page)).toContainText('joined the conversation');
  await inbox(agent.page).getByLabel('Status').selectOption('pending');
  const internalLine = agentLog(agent.page).locator('[part~="system"][part~="internal"]');
  await expect(internalLine.first()).toBeVisible();
  await expect(internalLine.first()).toContainText('marked the conversation as pending');
  await expect(internalLine.first()).toContainText('Only your team sees this');

  // The console with a note shown and the composer in Note mode: screenshots and axe, which the
  // transport does not change (taken by the default project only).
  if (realtimeTransport() === 'postgres-changes') await looks(agent.page, note);

  // After a reload the note is still a note.
  await agent.page.reload();
  await expect(inbox(agent.page).getByRole('listbox', { name: 'Conversations' })).toBeVisible({ timeout: 15_000 });
  // The list previews the reply: a note never becomes a conversation's preview.
  await expect(conversationOption(agent.page, note)).toHaveCount(0);
  await conversationOption(agent.page, reply).click();
  await expect(noteRow(agent.page, note)).toBeVisible();
  await expect(noteRow(agent.page, note)).toContainText('You · Internal note');
  await expect.poll(() => bubbleBackground(noteRow(agent.page, note))).toBe(NOTE_LIGHT);
  await expect(agentLog(agent.page).locator('[part~="note"]').filter({ hasText: reply })).toHaveCount(0);

  // The visitor, reloaded too, still has the reply and never the note.
  await visitor.page.reload();
  // The panel the visitor left open opens again by itself (#5).
  await expect(launcher(visitor.page).getByRole('dialog')).toBeVisible({ timeout: 20_000 });
  await expect(visitorLog(visitor.page)).toContainText(reply);
  expect(await launcherContent(visitor.page)).not.toContain(note);

  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  expectRealtimeTransport(visitor.page);
  expectRealtimeTransport(agent.page);
  await visitor.context.close();
  await agent.context.close();
});

/**
 * Issue 16 through the composers, as people use them, in two browser contexts: the visitor picks a
 * screenshot with the paperclip and sends it with a line of text, the agent picks a PDF and sends it
 * back; each side sees both live; a reload of the visitor's page shows each file once, and the
 * database holds each message once. A page saved as `.png` is refused before anything is uploaded.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { axeViolations } from './axe.ts';
import {
  agentLog, conversationOption, conversationWith, environment, expectAttachmentsShown, inbox, launcher, openChat, pageErrors, person, serviceRows, signInAgent, unique, visitorLog, visitorSends,
} from './helpers.ts';

const SCREENSHOTS = 'test-results/screenshots';
mkdirSync(SCREENSHOTS, { recursive: true });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');

interface File {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

/** Picks `file` with the composer's paperclip, through the browser's real file chooser. */
async function attach(page: Page, root: Locator, file: File): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), root.getByRole('button', { name: 'Attach files' }).click()]);
  await chooser.setFiles(file);
}

test('a screenshot and a PDF sent through the composers reach the other side once, across a reload', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const opening = unique('My order page looks broken');
  await visitor.page.goto(`${environment().demoUrl}/customer/`);
  const png = await visitor.page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } });
  await openChat(visitor.page);
  await visitorSends(visitor.page, opening);
  const conversationId = await conversationWith(opening);
  await signInAgent(agent.page);
  await conversationOption(agent.page, opening).click();
  await expect(agentLog(agent.page)).toContainText(opening);

  // A web page named like an image is refused before any upload, with a reason a person reads.
  const panel = launcher(visitor.page).getByRole('dialog');
  await attach(visitor.page, panel, { name: 'not-a-picture.png', mimeType: 'image/png', buffer: Buffer.from('<!doctype html><script>alert(1)</script>') });
  await expect(panel).toContainText('not-a-picture.png cannot be sent: its content does not match its type.');

  // The visitor's screenshot with a line of text.
  const caption = unique('This is what I see');
  await attach(visitor.page, panel, { name: 'order page.png', mimeType: 'image/png', buffer: png });
  const box = panel.getByRole('textbox', { name: 'Message' });
  await box.fill(caption);
  await box.press('Enter');
  await expectAttachmentsShown(agentLog(agent.page), 1);
  await expect(agentLog(agent.page)).toContainText(caption);

  // The agent's PDF back, no text.
  const console = inbox(agent.page);
  await attach(agent.page, console, { name: 'Return label #1042.pdf', mimeType: 'application/pdf', buffer: PDF });
  await console.getByRole('button', { name: 'Send' }).click();
  await expectAttachmentsShown(visitorLog(visitor.page), 2);
  await expect(visitorLog(visitor.page).getByRole('link', { name: 'Download Return label #1042.pdf' })).toBeVisible();
  await expectAttachmentsShown(agentLog(agent.page), 2);

  expect(await axeViolations(visitor.page)).toEqual([]);
  expect(await axeViolations(agent.page)).toEqual([]);
  await agent.page.screenshot({ path: `${SCREENSHOTS}/attachments-composer-agent-1280.png` });

  // A reload: each file once on the page, each message once in the database.
  await visitor.page.reload();
  // The panel was open, so the reload opens it again on the same conversation.
  await expect(launcher(visitor.page).getByRole('dialog')).toBeVisible();
  await expectAttachmentsShown(visitorLog(visitor.page), 2);
  await visitorLog(visitor.page).locator('parley-attachment').first().evaluate((node) => node.scrollIntoView({ block: 'start' }));
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/attachments-composer-visitor-1280.png` });
  const rows = await serviceRows<{ sender_type: string; content: string; attachments: { name: string }[] }>(
    'messages', `select=sender_type,content,attachments&conversation_id=eq.${conversationId}&order=seq`);
  const withFiles = rows.filter((row) => row.attachments.length > 0);
  expect(withFiles.map((row) => [row.sender_type, row.content, row.attachments.map((file) => file.name)])).toEqual([
    ['customer', caption, ['order page.png']],
    ['agent', '', ['Return label #1042.pdf']],
  ]);

  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});

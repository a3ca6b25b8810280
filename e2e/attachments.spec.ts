/**
 * Issue 16, the "Must show": a thread with an image and a PDF, on both sides. The files go up
 * through the API as each person (storage-js under the bucket's RLS, then insert_message with
 * p_attachments), as the composer does; the pages show them: the thumbnail through a signed URL,
 * the PDF as a card that downloads, the image in the viewer. Screenshots: desktop light for the
 * visitor and the agent, and the visitor in Arabic on a dark phone.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import ar from '../src/i18n/locales/ar.widget.ts';
import type { Attachment } from '../src/data/attachment.ts';
import { axeViolations } from './axe.ts';
import {
  AGENT, agentLog, conversationOption, conversationWith, environment, expectAttachmentsShown, launcher, openChat, pageErrors, person, signInAgent, unique, visitorLog, visitorSends,
} from './helpers.ts';

const SCREENSHOTS = 'test-results/screenshots';
/** supabase-js in Node: no session kept, and `ws` for the realtime client it constructs. */
const NODE = { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket } };
mkdirSync(SCREENSHOTS, { recursive: true });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');

/** A supabase-js client acting with the visitor's own session, read from their page. */
async function visitorClient(page: Page): Promise<SupabaseClient> {
  // The widget keeps the visitor's sign-in in localStorage (src/session/storage-key.ts).
  const token = await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith('parley-auth')) continue;
      const stored = JSON.parse(localStorage.getItem(key) ?? 'null') as { access_token?: unknown } | null;
      if (typeof stored?.access_token === 'string') return stored.access_token;
    }
    return null;
  });
  if (!token) throw new Error('the visitor has no session');
  const { apiUrl, anonKey } = environment();
  return createClient(apiUrl, anonKey, { realtime: NODE.realtime, accessToken: async () => token });
}

async function agentClient(): Promise<SupabaseClient> {
  const { apiUrl, anonKey } = environment();
  const client = createClient(apiUrl, anonKey, NODE);
  const { error } = await client.auth.signInWithPassword({ email: AGENT.email, password: AGENT.password });
  if (error) throw error;
  return client;
}

/** Uploads into the conversation's folder and sends a message carrying the file, as `client`. */
async function sendFile(client: SupabaseClient, conversationId: string, file: { safeName: string; name: string; body: Buffer; type: string; width?: number; height?: number }, content = ''): Promise<Attachment> {
  const key = `${conversationId}/${crypto.randomUUID()}/${file.safeName}`;
  const { error } = await client.storage.from('attachments').upload(key, file.body, { contentType: file.type });
  if (error) throw new Error(`upload ${file.safeName}: ${error.message}`);
  const sent: Attachment = { key, name: file.name, size: file.body.length, type: file.type, ...(file.width ? { width: file.width, height: file.height } : {}) };
  const inserted = await client.rpc('insert_message', { p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: content, p_attachments: [sent] });
  if (inserted.error) throw new Error(inserted.error.message);
  return sent;
}

/** A real screenshot of the shop (what a visitor would send), with its pixel size. */
async function shopScreenshot(page: Page): Promise<{ body: Buffer; width: number; height: number }> {
  const body = await page.screenshot({ clip: { x: 0, y: 0, width: 360, height: 240 } });
  return { body, width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}

test('a visitor’s screenshot and an agent’s PDF show on both sides; the image opens in the viewer', async ({ browser }) => {
  const visitor = await person(browser);
  const agent = await person(browser);
  const text = unique('The checkout button does nothing');
  await visitor.page.goto(`${environment().demoUrl}/customer/`);
  const shot = await shopScreenshot(visitor.page);
  await openChat(visitor.page);
  await visitorSends(visitor.page, text);
  const conversationId = await conversationWith(text);
  await signInAgent(agent.page);
  await conversationOption(agent.page, text).click();
  await expect(agentLog(agent.page)).toContainText(text);

  // Both pages are open on the conversation: the files arrive live.
  await sendFile(await visitorClient(visitor.page), conversationId, { safeName: 'checkout.png', name: 'Checkout — Dec 7.png', body: shot.body, type: 'image/png', width: shot.width, height: shot.height });
  const pdf = await sendFile(await agentClient(), conversationId, { safeName: 'refund-1042.pdf', name: 'Refund confirmation #1042.pdf', body: PDF, type: 'application/pdf' }, 'Here is your refund confirmation.');

  await expectAttachmentsShown(visitorLog(visitor.page), 2);
  await expect(visitorLog(visitor.page).locator('parley-attachment [part~="name"]')).toHaveText(pdf.name);
  await expect(visitorLog(visitor.page).locator('parley-attachment img')).toHaveAttribute('alt', 'Checkout — Dec 7.png');
  const download = visitorLog(visitor.page).getByRole('link', { name: `Download ${pdf.name}` });
  expect(new URL(await download.getAttribute('href') ?? '').searchParams.get('download')).toBe(pdf.name);

  await expectAttachmentsShown(agentLog(agent.page), 2);

  expect(await axeViolations(visitor.page)).toEqual([]);
  expect(await axeViolations(agent.page)).toEqual([]);
  // Nobody was online at the first message, so the thread asks for an email: skip it for the picture.
  const skip = launcher(visitor.page).getByRole('button', { name: 'Skip' });
  if (await skip.isVisible()) await skip.click();
  // The panel is short: bring the image to the top of the log so the picture holds both files.
  await visitorLog(visitor.page).locator('parley-attachment').first().evaluate((node) => node.scrollIntoView({ block: 'start' }));
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/attachments-visitor-light-1280.png` });
  await agent.page.screenshot({ path: `${SCREENSHOTS}/attachments-agent-light-1280.png` });

  // The viewer: Enter on the thumbnail, focus inside, Escape back to the thumbnail.
  const thumbnail = visitorLog(visitor.page).getByRole('button', { name: 'Open image Checkout — Dec 7.png' });
  await thumbnail.focus();
  await visitor.page.keyboard.press('Enter');
  const viewer = launcher(visitor.page).getByRole('dialog', { name: 'Checkout — Dec 7.png' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Close' })).toBeFocused();
  await expect.poll(() => viewer.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(shot.width);
  expect(await axeViolations(visitor.page)).toEqual([]);
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/attachments-viewer-light-1280.png` });
  await visitor.page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(thumbnail).toBeFocused();

  expect(pageErrors(visitor.page)).toEqual([]);
  expect(pageErrors(agent.page)).toEqual([]);
  await visitor.context.close();
  await agent.context.close();
});

test('in Arabic on a dark phone: the thumbnail, the card and the viewer, mirrored', async ({ browser }) => {
  const visitor = await person(browser, { colorScheme: 'dark', width: 390 });
  const text = unique('مرحبا');
  await visitor.page.goto(`${environment().demoUrl}/customer/?lang=ar`);
  const shot = await shopScreenshot(visitor.page);
  await launcher(visitor.page).getByRole('button', { name: ar.launcher.open }).click();
  const box = launcher(visitor.page).getByRole('textbox', { name: ar.composer.label });
  await expect(box).toBeEnabled({ timeout: 15_000 });
  await box.fill(text);
  await box.press('Enter');
  await expect(visitorLog(visitor.page)).toContainText(text);
  const conversationId = await conversationWith(text);
  await sendFile(await visitorClient(visitor.page), conversationId, { safeName: 'screen.png', name: 'لقطة الشاشة.png', body: shot.body, type: 'image/png', width: shot.width, height: shot.height });
  await sendFile(await agentClient(), conversationId, { safeName: 'invoice.pdf', name: 'فاتورة ١٠٤٢.pdf', body: PDF, type: 'application/pdf' }, 'إليك الفاتورة');

  await expectAttachmentsShown(visitorLog(visitor.page), 2);
  await expect(visitorLog(visitor.page).getByRole('link', { name: ar.attachmentView.downloadFile.replace('{name}', 'فاتورة ١٠٤٢.pdf') })).toBeVisible();
  expect(await axeViolations(visitor.page)).toEqual([]);
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/attachments-visitor-ar-dark-390.png` });

  await visitorLog(visitor.page).getByRole('button', { name: ar.attachmentView.openImage.replace('{name}', 'لقطة الشاشة.png') }).click();
  const viewer = launcher(visitor.page).getByRole('dialog', { name: 'لقطة الشاشة.png' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByRole('link', { name: ar.attachmentView.download })).toHaveAttribute('href', /download=/);
  await expect.poll(() => viewer.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect(await axeViolations(visitor.page)).toEqual([]);
  await visitor.page.screenshot({ path: `${SCREENSHOTS}/attachments-viewer-ar-dark-390.png` });
  await viewer.getByRole('button', { name: ar.attachmentView.close }).click();
  await expect(viewer).toBeHidden();
  expect(pageErrors(visitor.page)).toEqual([]);
  await visitor.context.close();
});

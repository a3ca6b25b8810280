import { expect, waitUntil } from '@open-wc/testing';
import type { SupabaseClient } from '@supabase/supabase-js';
import '../../src/define.ts';
import type { ParleyInbox, ParleyLauncher } from '../../src/define.ts';
import type { ParleyAttachment } from '../../src/elements/attachments/attachment.ts';
import type { Attachment } from '../../src/data/attachment.ts';
import { storageFor } from '../../src/data/storage-client.ts';
import '../browser-helpers/console-guard.ts';
import { browserClient } from '../browser-stack/stack.ts';

const wait = (predicate: () => boolean, message: string, timeout = 10000): Promise<void> =>
  waitUntil(predicate, message, { timeout, interval: 20 });

/** A real PNG of `width`×`height`. */
async function png(width: number, height: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  Object.assign(canvas, { width, height });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = '#2b6cb0';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#f6e05e';
  context.fillRect(width / 4, height / 4, width / 2, height / 2);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('no png');
  return blob;
}

const PDF_BYTES = '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n';

/** Uploads `blob` into the conversation's folder as `client` (storage-js, through the bucket's RLS). */
async function upload(client: SupabaseClient, conversationId: string, safeName: string, name: string, blob: Blob, extra: Partial<Attachment> = {}): Promise<Attachment> {
  const key = `${conversationId}/${crypto.randomUUID()}/${safeName}`;
  const bucket = await storageFor(client);
  const { error } = await bucket.upload(key, blob, { contentType: blob.type });
  if (error) throw new Error(`upload ${safeName}: ${error.message}`);
  return { key, name, size: blob.size, type: blob.type, ...extra };
}

async function send(client: SupabaseClient, conversationId: string, content: string, attachments: readonly Attachment[]): Promise<void> {
  const { error } = await client.rpc('insert_message', {
    p_id: crypto.randomUUID(), p_conversation_id: conversationId, p_content: content, p_attachments: attachments,
  });
  if (error) throw new Error(error.message);
}

function attachmentsIn(thread: Element | null | undefined): ParleyAttachment[] {
  return [...(thread?.shadowRoot?.querySelectorAll<ParleyAttachment>('parley-attachment') ?? [])];
}

/** Every attachment of the thread shown: images loaded from their signed URL, cards with a download link. */
async function expectShown(thread: () => Element | null | undefined, count: number): Promise<void> {
  await wait(() => attachmentsIn(thread()).length === count, `${count} attachments in the thread`);
  await wait(() => attachmentsIn(thread()).every((a) => {
    const img = a.shadowRoot?.querySelector('img');
    return img ? img.complete && img.naturalWidth > 0 : a.shadowRoot?.querySelector('a[href]') !== null && a.shadowRoot?.querySelector('a[href]') !== undefined;
  }), 'thumbnails loaded and download links signed');
}

async function expectDownload(a: ParleyAttachment, name: string, body: string): Promise<void> {
  const link = a.shadowRoot?.querySelector<HTMLAnchorElement>('a[href]');
  if (!link) throw new Error('no download link');
  // `download` makes Storage answer `Content-Disposition: attachment` (test/server/storage-*.test.ts;
  // the header is not exposed to a cross-origin fetch, so it is not read here).
  expect(new URL(link.href).searchParams.get('download')).to.equal(name);
  const response = await fetch(link.href);
  expect(response.status).to.equal(200);
  expect(await response.text()).to.equal(body);
}

describe('attachments on the local stack', function () {
  this.timeout(40000);
  const cleanup: (() => unknown)[] = [];

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('a visitor and an agent each see the image and the PDF: thumbnails through signed URLs, the PDF as a download', async () => {
    const visitor = await browserClient();
    const signedIn = await visitor.auth.signInAnonymously();
    if (signedIn.error) throw signedIn.error;
    const conversationId = crypto.randomUUID();
    const started = await visitor.rpc('start_conversation', { p_id: conversationId });
    if (started.error) throw new Error(started.error.message);
    const image = await upload(visitor, conversationId, 'screenshot.png', 'Screenshot 2026-12-07 at 09.41.png', await png(640, 400), { width: 640, height: 400 });
    await send(visitor, conversationId, 'The checkout page fails like this', [image]);

    const agent = await browserClient();
    const agentIn = await agent.auth.signInWithPassword({ email: 'agent@parley.test', password: 'parley-agent' });
    if (agentIn.error) throw agentIn.error;
    const pdf = await upload(agent, conversationId, 'refund.pdf', 'Refund — order #1042.pdf', new Blob([PDF_BYTES], { type: 'application/pdf' }));
    await send(agent, conversationId, '', [pdf]);

    // The visitor's widget, on the visitor's own client.
    const launcher = document.createElement('parley-launcher') as ParleyLauncher;
    launcher.client = visitor;
    document.body.append(launcher);
    cleanup.push(() => launcher.remove(), () => visitor.removeAllChannels());
    await launcher.updateComplete;
    launcher.shadowRoot?.querySelector<HTMLElement>('.bubble')?.click();
    await wait(() => launcher.phase === 'ready', 'widget ready');
    const launcherThread = (): Element | null | undefined => launcher.shadowRoot?.querySelector('parley-thread');
    await wait(() => launcherThread() !== null || launcher.shadowRoot?.querySelector('[part~="conversation"]') !== null, 'home or thread');
    if (!launcherThread()) launcher.shadowRoot?.querySelector<HTMLElement>('[part~="conversation"]')?.click();
    await expectShown(launcherThread, 2);
    const [visitorImage, visitorPdf] = attachmentsIn(launcherThread()) as [ParleyAttachment, ParleyAttachment];
    expect(visitorImage.shadowRoot?.querySelector('img')?.alt).to.equal('Screenshot 2026-12-07 at 09.41.png');
    expect(visitorImage.shadowRoot?.querySelector('img')?.naturalWidth).to.equal(640);
    expect(visitorPdf.shadowRoot?.querySelector('[part~="name"]')?.textContent).to.equal('Refund — order #1042.pdf');
    await expectDownload(visitorPdf, 'Refund — order #1042.pdf', PDF_BYTES);

    // The agent's console, on the agent's client, with the conversation open.
    const inbox = document.createElement('parley-inbox') as ParleyInbox;
    inbox.client = agent;
    inbox.style.height = '700px';
    inbox.conversationId = conversationId;
    document.body.append(inbox);
    cleanup.push(() => inbox.remove(), () => agent.removeAllChannels());
    await wait(() => inbox.phase === 'ready', 'console ready');
    const inboxThread = (): Element | null | undefined => inbox.shadowRoot?.querySelector('parley-thread');
    await expectShown(inboxThread, 2);
    const [agentImage, agentPdf] = attachmentsIn(inboxThread()) as [ParleyAttachment, ParleyAttachment];
    expect(agentImage.shadowRoot?.querySelector('img')?.naturalWidth).to.equal(640);
    await expectDownload(agentPdf, 'Refund — order #1042.pdf', PDF_BYTES);

    // Another visitor cannot sign what is not theirs: the same keys give no URL.
    const stranger = await browserClient();
    await stranger.auth.signInAnonymously();
    const { data } = await (await storageFor(stranger)).createSignedUrls([image.key, pdf.key], 60);
    expect((data ?? []).map((d) => d.signedUrl)).to.deep.equal([null, null]);
  });
});

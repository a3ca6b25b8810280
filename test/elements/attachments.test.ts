import { expect, fixture, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.ts';
import type { ParleyThread } from '../../src/elements/thread/thread.ts';
import type { ParleyAttachment } from '../../src/elements/attachments/attachment.ts';
import type { ParleyImageViewer } from '../../src/elements/attachments/image-viewer.ts';
import { SignedLinks, type SignKeys } from '../../src/elements/attachments/signed-links.ts';
import type { Attachment } from '../../src/data/attachment.ts';
import type { Message } from '../../src/data/types.ts';
import { EMPTY_THREAD, type PendingMessage, type ThreadState } from '../../src/state/thread.ts';
import { expectAccessibleInBothThemes, expectNoAxeViolations } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';

const C = '11111111-1111-4111-8111-111111111111';
const key = (n: number, name: string): string => `${C}/00000000-0000-4000-8000-00000000000${n}/${name}`;

const PHOTO: Attachment = { key: key(1, 'photo.png'), name: 'photo.png', size: 48_213, type: 'image/png', width: 800, height: 600 };
const TALL: Attachment = { key: key(2, 'tall.png'), name: 'Screenshot 2026-12-07.png', size: 912_000, type: 'image/png', width: 390, height: 1200 };
const PDF: Attachment = { key: key(3, 'invoice.pdf'), name: 'Invoice December.pdf', size: 1_250_000, type: 'application/pdf' };
const HOSTILE: Attachment = { key: key(4, 'x.pdf'), name: '<img src=x onerror=alert(1)>.pdf', size: 10, type: 'application/pdf' };
const RLO: Attachment = { key: key(5, 'invoice_fdp.exe'), name: 'invoice\u202Efdp.exe', size: 10, type: 'application/octet-stream' };
const SVG: Attachment = { key: key(6, 'logo.svg'), name: 'logo.svg', size: 900, type: 'image/svg+xml', width: 100, height: 100 };
const HTML_FILE: Attachment = { key: key(7, 'page.html'), name: 'page.html', size: 900, type: 'text/html' };

function msg(seq: number, attachments: readonly Attachment[], content = '', sender: Message['sender_type'] = 'customer'): Message {
  return {
    id: `m${seq}`, conversation_id: C, seq, visibility: 'public', sender_type: sender,
    sender_id: sender === 'customer' ? 'customer-1' : 'agent-1', content, metadata: {}, attachments,
    created_at: new Date(2026, 11, 7, 9, seq).toISOString(),
  };
}

function threadOf(messages: Message[]): ThreadState {
  return { ...EMPTY_THREAD, messages, lastSeq: messages.length, hasMore: false };
}

/** A real PNG of the given size, as a blob: URL (what a signed URL would load). */
async function pngUrl(width: number, height: number, colour = '#3a7'): Promise<string> {
  const canvas = document.createElement('canvas');
  Object.assign(canvas, { width, height });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = colour;
  context.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('no blob');
  return URL.createObjectURL(blob);
}

/** A signer under the test's control: answers when `release` is called (or at once when `auto`). */
function controlledSigner(url: (key: string) => string, auto = true) {
  const calls: (readonly string[])[] = [];
  let release: () => void = () => undefined;
  let gate = auto ? Promise.resolve() : new Promise<void>((resolve) => (release = resolve));
  const state = { fail: 0 };
  const sign: SignKeys = async (keys) => {
    calls.push(keys);
    await gate;
    if (state.fail > 0) {
      state.fail -= 1;
      throw new Error('offline');
    }
    return keys.map(url);
  };
  return { calls, sign, state, release: () => release(), reopen: () => (gate = new Promise<void>((resolve) => (release = resolve))) };
}

function shadow(el: Element): ShadowRoot {
  if (!el.shadowRoot) throw new Error(`no shadow root on ${el.localName}`);
  return el.shadowRoot;
}

function attachments(thread: ParleyThread): ParleyAttachment[] {
  return [...shadow(thread).querySelectorAll<ParleyAttachment>('parley-attachment')];
}

function row(thread: ParleyThread, seq: number): HTMLElement {
  const node = shadow(thread).querySelector<HTMLElement>(`[data-seq="${seq}"]`);
  if (!node) throw new Error(`no row ${seq}`);
  return node;
}

async function mount(messages: Message[], viewer: 'customer' | 'agent' = 'customer'): Promise<ParleyThread> {
  const el = await fixture<ParleyThread>(html`<parley-thread lang="en" viewer=${viewer} viewer-id="customer-1" theme="light"
    style="height: 600px; width: 420px" .thread=${threadOf(messages)}></parley-thread>`);
  await el.updateComplete;
  return el;
}

async function withLinks(thread: ParleyThread, links: SignedLinks): Promise<void> {
  await customElements.whenDefined('parley-attachment');
  for (const a of attachments(thread)) a.links = links;
  await Promise.all(attachments(thread).map((a) => a.updateComplete));
}

function deepActive(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('attachments in the thread', () => {
  describe('renders', () => {
    it('reserves an image’s box before anything loads, and the row keeps its height when the image arrives', async () => {
      const url = await pngUrl(800, 600);
      const signer = controlledSigner(() => url, false);
      const el = await mount([msg(1, [PHOTO], 'Here is the error')]);
      const before = row(el, 1).getBoundingClientRect().height;
      const box = attachments(el)[0] as ParleyAttachment;
      // 800×600 capped to a 280-pixel-wide thumbnail: 280×210, whatever has loaded.
      expect(box.getBoundingClientRect().width).to.equal(280);
      expect(box.getBoundingClientRect().height).to.equal(210);

      await withLinks(el, new SignedLinks(signer.sign));
      expect(row(el, 1).getBoundingClientRect().height, 'element loaded, nothing signed yet').to.equal(before);
      signer.release();
      await waitUntil(() => shadow(box).querySelector('img'), 'the thumbnail renders');
      const img = shadow(box).querySelector('img') as HTMLImageElement;
      if (!img.complete) await oneEvent(img, 'load');
      await nextFrame();
      expect(img.naturalWidth).to.equal(800);
      expect(row(el, 1).getBoundingClientRect().height, 'image loaded').to.equal(before);
      expect(img.alt).to.equal('photo.png');
      expect(img.loading).to.equal('lazy');
    });

    it('caps a tall screenshot’s box and keeps its aspect ratio', async () => {
      const el = await mount([msg(1, [TALL])]);
      const rect = (attachments(el)[0] as ParleyAttachment).getBoundingClientRect();
      expect(rect.height).to.be.closeTo(240, 0.5);
      expect(rect.width).to.be.closeTo((240 * 390) / 1200, 0.5);
    });

    it('shows only the attachments for a message without text, text first otherwise', async () => {
      const el = await mount([msg(1, [PDF]), msg(2, [PDF], 'See attached')]);
      expect(row(el, 1).querySelector('.bubble')).to.equal(null);
      const parts = [...row(el, 2).children].map((c) => c.className);
      expect(parts.indexOf('bubble')).to.be.lessThan(parts.indexOf('attachments'));
    });

    it('signs every visible attachment in one request', async () => {
      const url = await pngUrl(4, 3);
      const signer = controlledSigner(() => url);
      const el = await mount([msg(1, [PHOTO, PDF]), msg(2, [TALL], '', 'agent')]);
      await withLinks(el, new SignedLinks(signer.sign));
      await waitUntil(() => attachments(el).every((a) => shadow(a).querySelector('img, a[href]')));
      expect(signer.calls).to.deep.equal([[PHOTO.key, PDF.key, TALL.key]]);
    });

    it('draws a file card with the name as text, the type and the size, and a download link', async () => {
      const signer = controlledSigner((k) => `https://storage.test/storage/v1/object/sign/attachments/${k}?token=t`);
      const el = await mount([msg(1, [PDF])]);
      await withLinks(el, new SignedLinks(signer.sign));
      const card = attachments(el)[0] as ParleyAttachment;
      await waitUntil(() => shadow(card).querySelector('a[href]'));
      expect(shadow(card).querySelector('[part~="name"]')?.textContent).to.equal('Invoice December.pdf');
      expect(shadow(card).querySelector('[part~="detail"]')?.textContent).to.equal('PDF · 1.3 MB');
      const link = shadow(card).querySelector('a[href]') as HTMLAnchorElement;
      expect(new URL(link.href).searchParams.get('download')).to.equal('Invoice December.pdf');
      expect(new URL(link.href).searchParams.get('token')).to.equal('t');
      expect(link.getAttribute('aria-label')).to.equal('Download Invoice December.pdf');
      expect(card.getBoundingClientRect().height).to.equal(56);
    });
  });

  describe('hostile files', () => {
    it('shows a name made of markup as text, and neutralises a right-to-left override', async () => {
      const signer = controlledSigner((k) => `https://storage.test/${k}`);
      const el = await mount([msg(1, [HOSTILE, RLO])]);
      await withLinks(el, new SignedLinks(signer.sign));
      const [hostile, rlo] = attachments(el) as [ParleyAttachment, ParleyAttachment];
      expect(shadow(hostile).querySelector('[part~="name"]')?.textContent).to.equal('<img src=x onerror=alert(1)>.pdf');
      expect(shadow(hostile).querySelectorAll('img').length).to.equal(0);
      const shown = shadow(rlo).querySelector('[part~="name"]')?.textContent ?? '';
      expect(shown).to.equal('invoice\ufffdfdp.exe');
      expect(shown).to.not.include('\u202E');
      await waitUntil(() => shadow(rlo).querySelector('a[href]'));
      const saved = new URL((shadow(rlo).querySelector('a[href]') as HTMLAnchorElement).href).searchParams.get('download');
      expect(saved).to.equal('invoice_fdp.exe');
    });

    it('never puts SVG or HTML in an <img> or an iframe: they are cards that download', async () => {
      const signer = controlledSigner((k) => `https://storage.test/${k}`);
      const el = await mount([msg(1, [SVG, HTML_FILE])]);
      await withLinks(el, new SignedLinks(signer.sign));
      await waitUntil(() => attachments(el).every((a) => shadow(a).querySelector('a[href]')));
      for (const a of attachments(el)) {
        expect(a.dataset['kind']).to.equal(undefined);
        expect(shadow(a).querySelectorAll('img, iframe, object, embed').length).to.equal(0);
        expect(new URL((shadow(a).querySelector('a[href]') as HTMLAnchorElement).href).searchParams.has('download')).to.equal(true);
      }
      expect(shadow(el).querySelectorAll('img, iframe').length).to.equal(0);
    });
  });

  describe('failures', () => {
    it('shows Retry when signing fails, and the thumbnail after a retry that works', async () => {
      const url = await pngUrl(8, 6);
      const signer = controlledSigner(() => url);
      signer.state.fail = 1;
      const el = await mount([msg(1, [PHOTO])]);
      const before = row(el, 1).getBoundingClientRect().height;
      await withLinks(el, new SignedLinks(signer.sign));
      const box = attachments(el)[0] as ParleyAttachment;
      await waitUntil(() => shadow(box).querySelector('[part~="retry-button"]'), 'Retry appears');
      expect(shadow(box).querySelector('img')).to.equal(null);
      expect(shadow(box).querySelector('[part~="failed"]')?.textContent).to.include('Could not load this file.');
      expect(row(el, 1).getBoundingClientRect().height, 'the failure keeps the box').to.equal(before);
      (shadow(box).querySelector('[part~="retry-button"]') as HTMLButtonElement).click();
      await waitUntil(() => shadow(box).querySelector('img'), 'the thumbnail after retry');
      expect(signer.calls.length).to.equal(2);
    });

    it('offers Retry when a signed image fails to load', async () => {
      const signer = controlledSigner(() => 'http://127.0.0.1:9/expired.png');
      const el = await mount([msg(1, [PHOTO])]);
      await withLinks(el, new SignedLinks(signer.sign));
      const box = attachments(el)[0] as ParleyAttachment;
      await waitUntil(() => shadow(box).querySelector('[part~="retry-button"]'), 'Retry after the load error', { timeout: 4000 });
    });
  });

  describe('the viewer', () => {
    async function openFirst(): Promise<{ el: ParleyThread; viewer: ParleyImageViewer }> {
      const green = await pngUrl(800, 600, '#3a7');
      const blue = await pngUrl(390, 1200, '#37a');
      const signer = controlledSigner((k) => (k === PHOTO.key ? green : blue));
      const el = await mount([msg(1, [PHOTO, PDF]), msg(2, [TALL], 'and this', 'agent')]);
      await withLinks(el, new SignedLinks(signer.sign));
      const thumb = await waitUntil(() => shadow(attachments(el)[0] as ParleyAttachment).querySelector<HTMLButtonElement>('.thumbnail'));
      void thumb;
      const button = shadow(attachments(el)[0] as ParleyAttachment).querySelector<HTMLButtonElement>('.thumbnail') as HTMLButtonElement;
      button.focus();
      await sendKeys({ press: 'Enter' });
      const viewer = await waitUntil(() => shadow(attachments(el)[0] as ParleyAttachment).querySelector('parley-image-viewer')).then(
        () => shadow(attachments(el)[0] as ParleyAttachment).querySelector('parley-image-viewer') as ParleyImageViewer,
      );
      await waitUntil(() => shadow(viewer).querySelector('dialog[open] img'), 'the full image');
      return { el, viewer };
    }

    it('opens with Enter on a thumbnail: modal, focus on Close, name and size shown', async () => {
      const { viewer } = await openFirst();
      const dialog = shadow(viewer).querySelector('dialog') as HTMLDialogElement;
      expect(dialog.open).to.equal(true);
      expect(dialog.matches(':modal')).to.equal(true);
      expect(deepActive()?.getAttribute('part')).to.equal('close-button');
      expect(shadow(viewer).querySelector('[part~="name"]')?.textContent).to.equal('photo.png');
      expect(shadow(viewer).querySelector('[part~="detail"]')?.textContent).to.equal('48 kB · 1 of 2');
      expect(new URL((shadow(viewer).querySelector('[part~="download"]') as HTMLAnchorElement).href).searchParams.get('download')).to.equal('photo.png');
    });

    it('moves between the thread’s images with the arrow keys, and Escape returns focus to the image shown', async () => {
      const { el, viewer } = await openFirst();
      await sendKeys({ press: 'ArrowRight' });
      await viewer.updateComplete;
      expect(shadow(viewer).querySelector('[part~="name"]')?.textContent).to.equal('Screenshot 2026-12-07.png');
      expect(shadow(viewer).querySelector('[part~="detail"]')?.textContent).to.equal('912 kB · 2 of 2');
      await sendKeys({ press: 'ArrowRight' });
      await viewer.updateComplete;
      expect(shadow(viewer).querySelector('[part~="name"]')?.textContent, 'wraps around').to.equal('photo.png');
      await sendKeys({ press: 'ArrowLeft' });
      await viewer.updateComplete;
      // A chat panel closes on Escape too: the viewer's Escape must stop at the viewer.
      const escapes: Event[] = [];
      const onKey = (event: KeyboardEvent): void => {
        if (event.key === 'Escape') escapes.push(event);
      };
      document.addEventListener('keydown', onKey);
      await sendKeys({ press: 'Escape' });
      document.removeEventListener('keydown', onKey);
      await waitUntil(() => !viewer.isConnected, 'the viewer goes away');
      expect(escapes.length, 'Escape reached the page').to.equal(0);
      const tall = attachments(el)[2] as ParleyAttachment;
      expect(deepActive()).to.equal(shadow(tall).querySelector('.thumbnail'));
    });

    it('keeps Tab inside while open', async () => {
      const { viewer } = await openFirst();
      for (let i = 0; i < 6; i++) {
        await sendKeys({ press: 'Tab' });
        const active = deepActive();
        if (active && active !== document.body) expect(viewer.shadowRoot?.contains(active), `Tab ${i}: ${active.outerHTML.slice(0, 60)}`).to.equal(true);
      }
    });

    it('is accessible when open', async () => {
      const { viewer } = await openFirst();
      await expectNoAxeViolations(viewer);
    });
  });

  describe('is accessible', () => {
    it('a thread with images and files, light and dark', async () => {
      const url = await pngUrl(8, 6);
      const signer = controlledSigner((k) => (k.endsWith('.png') ? url : `https://storage.test/${k}`));
      const el = await mount([msg(1, [PHOTO, PDF], 'Screenshot and the invoice'), msg(2, [TALL, HOSTILE], '', 'agent')]);
      await withLinks(el, new SignedLinks(signer.sign));
      await waitUntil(() => attachments(el).every((a) => shadow(a).querySelector('img, a[href]')));
      await expectAccessibleInBothThemes(el);
    });
  });
});

describe('<parley-attachment> of a send not yet stored', () => {
  it('fetches nothing while pending, and signs once the message is stored', async () => {
    const url = await pngUrl(8, 6);
    const signer = controlledSigner((k) => (k === PHOTO.key ? url : `https://storage.test/${k}`));
    const el = await mount([]);
    await customElements.whenDefined('parley-attachment');
    const holder = document.createElement('div');
    shadow(el).append(holder);
    const image = holder.appendChild(document.createElement('parley-attachment'));
    const card = holder.appendChild(document.createElement('parley-attachment'));
    for (const [node, attachment] of [[image, PHOTO], [card, PDF]] as const) {
      node.attachment = attachment;
      node.pending = true;
      node.links = new SignedLinks(signer.sign);
    }
    await Promise.all([image.updateComplete, card.updateComplete]);
    await nextFrame();
    expect(signer.calls).to.deep.equal([]);
    expect(shadow(image).querySelector('button, img'), 'nothing to open yet').to.equal(null);
    expect(shadow(card).querySelector('[part~="name"]')?.textContent).to.equal(PDF.name);
    expect(shadow(card).querySelector('a[href]')).to.equal(null);
    image.removeAttribute('pending');
    card.removeAttribute('pending');
    await waitUntil(() => shadow(image).querySelector('img') && shadow(card).querySelector('a[href]'), 'signed once stored');
    expect(signer.calls.flat()).to.have.members([PHOTO.key, PDF.key]);
  });
});

describe('a send with files, from pending to stored', () => {
  it('shows the files at their final size while sending, and the stored row keeps the same boxes', async () => {
    const url = await pngUrl(800, 600);
    const signer = controlledSigner((k) => (k === PHOTO.key ? url : `https://storage.test/${k}`));
    const pending: PendingMessage = {
      id: 'p1', conversation_id: C, content: '', metadata: {}, visibility: 'public', attachments: [PHOTO, PDF],
      sender_id: 'customer-1', created_at: new Date(2026, 11, 7, 9, 5).toISOString(), state: 'sending', error: null, attempts: 1,
    };
    const el = await mount([]);
    el.thread = { ...threadOf([]), pending: [pending] };
    await el.updateComplete;
    await withLinks(el, new SignedLinks(signer.sign));
    const row = shadow(el).querySelector<HTMLElement>('[data-key="p1"]') as HTMLElement;
    const [image, card] = attachments(el) as [ParleyAttachment, ParleyAttachment];
    expect(row.querySelector('.bubble'), 'files only: no empty bubble').to.equal(null);
    expect(image.pending && card.pending).to.equal(true);
    expect(image.getBoundingClientRect().height).to.equal(210);
    await nextFrame();
    expect(signer.calls, 'nothing fetched for a file not stored yet').to.deep.equal([]);
    const height = row.getBoundingClientRect().height;

    el.thread = threadOf([{ ...msg(1, [PHOTO, PDF]), id: 'p1' }]);
    await el.updateComplete;
    expect(attachments(el), 'the same elements, patched').to.deep.equal([image, card]);
    expect(image.pending || card.pending).to.equal(false);
    await waitUntil(() => shadow(image).querySelector('img') && shadow(card).querySelector('a[href]'), 'signed once stored');
    expect(row.getBoundingClientRect().height).to.equal(height);
  });
});

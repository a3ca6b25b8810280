// Issue 16: files in <parley-composer>: the attach button, paste and drop; checks before any upload
// (size, type, content against the declared type) with messages a person understands; chips with
// name and size that remove a file; a message of files only; progress and cancel after sending.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../src/define.ts';
import type { ParleyComposer } from '../../src/elements/composer/composer.ts';
import type { ParleySendDetail } from '../../src/elements/events.ts';
import { attachmentStrings } from '../../src/i18n/attachment-strings.ts';
import { composerStrings } from '../../src/i18n/strings.ts';
import { contentMatches } from '../../src/elements/composer/composer-files.ts';
import { expectAccessibleInBothThemes } from '../browser-helpers/axe.ts';
import '../browser-helpers/console-guard.ts';

const wait = (predicate: () => boolean, message: string): Promise<void> => waitUntil(predicate, message, { timeout: 5000, interval: 10 });

async function pngFile(name: string, side = 8): Promise<File> {
  const canvas = new OffscreenCanvas(side, side * 2);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillRect(0, 0, side, side);
  return new File([await canvas.convertToBlob({ type: 'image/png' })], name, { type: 'image/png' });
}

const pdfFile = (name = 'invoice.pdf') => new File(['%PDF-1.7\n%âãÏÓ\n'], name, { type: 'application/pdf' });

function shadow(el: ParleyComposer): ShadowRoot {
  if (!el.shadowRoot) throw new Error('no shadow root');
  return el.shadowRoot;
}

const chips = (el: ParleyComposer) => [...shadow(el).querySelectorAll<HTMLElement>('[part~="file-chip"]')];
const chipNames = (el: ParleyComposer) => chips(el).map((chip) => chip.querySelector('.name')?.textContent);
const refusals = (el: ParleyComposer) => shadow(el).querySelector<HTMLElement>('[part~="file-refusals"]')?.textContent?.trim() ?? '';

function transfer(files: readonly File[]): DataTransfer {
  const data = new DataTransfer();
  for (const file of files) data.items.add(file);
  return data;
}

async function settled(el: ParleyComposer): Promise<void> {
  await wait(() => !(el as unknown as { files: { busy: boolean } | null }).files?.busy, 'files checked');
  await el.updateComplete;
}

function recordDetails(el: ParleyComposer): ParleySendDetail[] {
  const details: ParleySendDetail[] = [];
  el.addEventListener('parley-send', (event) => details.push(event.detail));
  return details;
}

describe('<parley-composer> files', () => {
  it('has a labelled attach button that opens the file picker', async () => {
    const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
    const button = shadow(el).querySelector<HTMLButtonElement>('[part~="attach-button"]');
    expect(button?.getAttribute('aria-label')).to.equal(composerStrings.attach);
    const input = shadow(el).querySelector<HTMLInputElement>('input[type="file"]');
    let opened = false;
    input?.addEventListener('click', (event) => { opened = true; event.preventDefault(); });
    button?.click();
    expect(opened).to.equal(true);
    // What the picker hands back.
    if (!input) throw new Error('no file input');
    input.files = transfer([pdfFile()]).files;
    input.dispatchEvent(new Event('change'));
    await wait(() => chips(el).length === 1, 'a chip');
    expect(chipNames(el)).to.deep.equal(['invoice.pdf']);
  });

  it('takes pasted images and dropped files, shows name and size, and sends files without text', async () => {
    const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
    const details = recordDetails(el);
    const textarea = shadow(el).querySelector('textarea');
    const paste = new ClipboardEvent('paste', { clipboardData: transfer([await pngFile('image.png')]), bubbles: true, cancelable: true });
    textarea?.dispatchEvent(paste);
    expect(paste.defaultPrevented, 'the file is not pasted as text').to.equal(true);
    await wait(() => chips(el).length === 1, 'the pasted image');
    const base = shadow(el).querySelector('[part~="base"]');
    const over = new DragEvent('dragover', { dataTransfer: transfer([pdfFile()]), bubbles: true, cancelable: true });
    base?.dispatchEvent(over);
    expect(over.defaultPrevented, 'a drop is accepted').to.equal(true);
    base?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer([pdfFile()]), bubbles: true, cancelable: true }));
    await wait(() => chips(el).length === 2, 'the dropped file');
    await settled(el);
    expect(chipNames(el)).to.deep.equal(['image.png', 'invoice.pdf']);
    expect(chips(el)[1]?.querySelector('.size')?.textContent).to.match(/\d+\s*B/);

    const send = shadow(el).querySelector<HTMLButtonElement>('[part~="send-button"]');
    expect(send?.disabled, 'files alone can be sent').to.equal(false);
    send?.click();
    expect(details).to.have.length(1);
    const [detail] = details;
    expect(detail?.text).to.equal('');
    expect(detail?.id).to.match(/^[0-9a-f-]{36}$/);
    expect(detail?.files?.map((f) => [f.name, f.type, f.width, f.height])).to.deep.equal([
      ['image.png', 'image/png', 8, 16], ['invoice.pdf', 'application/pdf', undefined, undefined],
    ]);
  });

  it('removes a chosen file with its chip button', async () => {
    const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
    await el.addFiles([pdfFile('a.pdf'), pdfFile('b.pdf')]);
    await el.updateComplete;
    const remove = chips(el)[0]?.querySelector('button');
    expect(remove?.getAttribute('aria-label')).to.equal('Remove a.pdf');
    remove?.click();
    await el.updateComplete;
    expect(chipNames(el)).to.deep.equal(['b.pdf']);
  });

  it('refuses before any upload, saying why: too large, a type not accepted, content not matching its type', async () => {
    const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
    const big = new File([new Uint8Array(10_000_001)], 'video.pdf', { type: 'application/pdf' });
    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.svg', { type: 'image/svg+xml' });
    const html5 = new File(['<!doctype html><script>alert(1)</script>'], 'page.html', { type: 'text/html' });
    const disguised = new File(['<html><body onload="alert(1)">'], 'cat.png', { type: 'image/png' });
    const fakeText = new File(['<!DOCTYPE html><p>hi'], 'notes.txt', { type: 'text/plain' });
    const broken = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], 'broken.png', { type: 'image/png' });
    const empty = new File([], 'empty.pdf', { type: 'application/pdf' });
    await el.addFiles([big, svg, html5, disguised, fakeText, broken, empty]);
    await el.updateComplete;
    expect(chips(el)).to.have.length(0);
    const said = refusals(el);
    expect(said).to.contain('video.pdf is too large: files can be at most 10 MB.');
    expect(said).to.contain(attachmentStrings.typeRefused.replace('{name}', 'logo.svg'));
    expect(said).to.contain(attachmentStrings.typeRefused.replace('{name}', 'page.html'));
    expect(said).to.contain(attachmentStrings.contentMismatch.replace('{name}', 'cat.png'));
    expect(said).to.contain(attachmentStrings.contentMismatch.replace('{name}', 'notes.txt'));
    expect(said).to.contain(attachmentStrings.contentMismatch.replace('{name}', 'broken.png'));
    expect(said).to.contain(attachmentStrings.empty.replace('{name}', 'empty.pdf'));
    expect(shadow(el).querySelector('[part~="file-refusals"]')?.getAttribute('role')).to.equal('alert');
  });

  it('keeps at most 10 files and shows hostile names as text', async () => {
    const el = await fixture<ParleyComposer>(html`<parley-composer></parley-composer>`);
    const hostile = '<img src=x onerror=alert(1)>.pdf';
    await el.addFiles(Array.from({ length: 11 }, (_, i) => pdfFile(i === 0 ? hostile : `${i}.pdf`)));
    await el.updateComplete;
    expect(chips(el)).to.have.length(10);
    expect(refusals(el)).to.contain('A message can carry at most 10 files.');
    expect(chipNames(el)[0]).to.equal(hostile);
    expect(shadow(el).querySelector('img')).to.equal(null);
  });

  it('sniffs the first bytes of images, PDF and ZIP-based files', () => {
    const bytes = (...b: number[]) => new Uint8Array(b);
    expect(contentMatches(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'image/png')).to.equal(true);
    expect(contentMatches(bytes(0xff, 0xd8, 0xff, 0xe0), 'image/jpeg')).to.equal(true);
    expect(contentMatches(bytes(0x89, 0x50, 0x4e, 0x47), 'image/jpeg')).to.equal(false);
    expect(contentMatches(new TextEncoder().encode('GIF89a'), 'image/gif')).to.equal(true);
    expect(contentMatches(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '), 'image/webp')).to.equal(true);
    expect(contentMatches(new TextEncoder().encode('RIFF\0\0\0\0AVI '), 'image/webp')).to.equal(false);
    expect(contentMatches(new TextEncoder().encode('%PDF-1.4'), 'application/pdf')).to.equal(true);
    expect(contentMatches(new TextEncoder().encode('<html>'), 'application/pdf')).to.equal(false);
    expect(contentMatches(bytes(0x50, 0x4b, 0x03, 0x04), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).to.equal(true);
    expect(contentMatches(new TextEncoder().encode('name,total\nA,1'), 'text/csv')).to.equal(true);
    expect(contentMatches(new TextEncoder().encode('  <svg onload=alert(1)>'), 'text/plain')).to.equal(false);
  });

  it('is accessible with chips and a refusal, and looks right narrow, dark and right to left', async () => {
    await setViewport({ width: 390, height: 500 });
    const wrapper = await fixture<HTMLDivElement>(html`<div style="max-width: 390px"><parley-composer></parley-composer></div>`);
    const el = wrapper.querySelector('parley-composer') as ParleyComposer;
    await el.addFiles([await pngFile('Screenshot 2026-12-07 at 10.41.22 with a long name.png'), pdfFile(),
      new File(['x'], 'logo.svg', { type: 'image/svg+xml' })]);
    await el.updateComplete;
    await expectAccessibleInBothThemes(el);
    await executeServerCommand('parley-screenshot', { name: 'composer-files-390' });
    el.setAttribute('theme', 'dark');
    wrapper.setAttribute('dir', 'rtl');
    wrapper.setAttribute('lang', 'ar');
    await el.updateComplete;
    await executeServerCommand('parley-screenshot', { name: 'composer-files-390-dark-rtl' });
  });
});

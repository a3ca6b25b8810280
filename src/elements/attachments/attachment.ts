import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ContextConsumer } from '@lit/context';
import { ParleyElement } from '../parley-element.ts';
import { formatString } from '../../i18n/strings.ts';
import { attachmentViewStrings, type AttachmentViewStrings } from '../../i18n/attachment-view-strings.ts';
import { isInlineImage, type Attachment } from '../../data/attachment.ts';
import { sessionContext } from '../../session/index.ts';
import { displayName, downloadName, fileKind, formatSize, typeLabel } from './file-display.ts';
import { downloadUrl, type SignedLinks } from './signed-links.ts';
import { linksFor } from './storage-links.ts';
import { languageAcross } from './host-context.ts';
import { DOWNLOAD_PATH, fileIcon, strokeIcon } from './icons.ts';
import type { ParleyImageViewer, ViewerImage } from './image-viewer.ts';
import { attachmentStyles } from './attachment.styles.ts';

/**
 * @summary One file of a message, in the thread: an image thumbnail that opens `<parley-image-viewer>`,
 * or a file card that downloads.
 *
 * Only PNG, JPEG, GIF and WebP are ever shown inline; every other type (PDF, documents, archives,
 * video, and SVG or HTML that somehow got stored) is a card: an icon for its kind, the original
 * name as text (control and bidi-override characters shown as U+FFFD), its size in the reader's
 * language and a type label. The bucket is private: thumbnails and downloads go through signed URLs
 * (signed in one batch for the thread's visible files, reused until shortly before they expire), and
 * a download's URL asks Storage for `Content-Disposition: attachment`, so a file is never rendered
 * from the Storage origin. A thumbnail or link that cannot be fetched shows Retry.
 *
 * A message still being sent shows its files (`pending`) without fetching them; they load once it
 * is stored.
 *
 * The thread builds these from a message's attachments and sizes them (an image's box has its
 * aspect ratio before anything loads); the element loads on demand. Inside a Parley root it signs
 * through the root's session; `links` overrides that. Its colours are the thread's: it reads the
 * thread's resolved tokens rather than its own, so the thread's `theme` (and a change of it) applies.
 *
 * @csspart base - The thumbnail button's frame or the card.
 * @csspart thumbnail - The image button that opens the viewer.
 * @csspart card - A file card (with `base`).
 * @csspart icon - The card's kind icon.
 * @csspart name - The file's name.
 * @csspart detail - Type label and size.
 * @csspart download - The card's download link.
 * @csspart failed - Shown instead when the file could not be fetched, with Retry.
 * @csspart retry-button - Signs and loads again.
 *
 * @cssstate failed - The thumbnail or link could not be fetched.
 */
export class ParleyAttachment extends ParleyElement<AttachmentViewStrings> {
  static override css = attachmentStyles;

  /** The file, as the message carries it (`Message.attachments`). */
  @property({ attribute: false }) accessor attachment: Attachment | undefined;
  /** The message is still being sent (the file may not be stored yet): shown without fetching anything. */
  @property({ type: Boolean, reflect: true }) accessor pending = false;
  /** Signs URLs; by default the nearest Parley root's session's. */
  @property({ attribute: false }) accessor links: SignedLinks | undefined;

  @state() private accessor url: string | undefined;
  @state() private accessor failed = false;

  protected readonly defaultStrings: AttachmentViewStrings = attachmentViewStrings;
  protected override readonly stringTable = 'attachmentView';

  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true, callback: () => this.#sign() });
  /** Which key the URL in hand (or on its way) is for: a row reused for another file drops the old answer. */
  #signing = '';
  #viewer: ParleyImageViewer | undefined;

  /** Shown inline (a thumbnail) rather than as a card. */
  get isImage(): boolean {
    return this.attachment !== undefined && isInlineImage(this.attachment);
  }

  private get fileKey(): string {
    return this.attachment?.key ?? '';
  }

  private get name(): string {
    return this.attachment?.name ?? '';
  }

  protected override get language(): string {
    return languageAcross(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#viewer?.close();
  }

  #links(): SignedLinks | undefined {
    const client = this.#session.value?.client;
    return this.links ?? (client ? linksFor(client) : undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('attachment') || changed.has('links') || changed.has('pending')) this.#sign();
  }

  #sign(): void {
    const links = this.#links();
    const key = this.fileKey;
    if (!links || !key || this.pending) return;
    if (this.#signing === key && (this.url || !this.failed)) return;
    this.#signing = key;
    this.failed = false;
    this.url = links.fresh(key);
    if (this.url) return;
    links.url(key).then(
      (url) => {
        if (this.#signing === key) this.url = url;
      },
      () => {
        if (this.#signing === key) this.failed = true;
      },
    );
  }

  /** A URL for the viewer: fresh, signed again once the cached one nears expiry. */
  #freshUrl(): Promise<string> {
    const links = this.#links();
    return links ? links.url(this.fileKey) : Promise.reject(new Error('no session'));
  }

  #retry(): void {
    this.#links()?.forget(this.fileKey);
    this.#signing = '';
    this.url = undefined;
    this.#sign();
  }

  #onImageError(): void {
    // Expired or revoked: a new URL may work, which Retry asks for.
    this.#links()?.forget(this.fileKey);
    this.failed = true;
  }

  /** A link whose URL expired while shown is signed again before the browser follows it. */
  #onDownload(event: MouseEvent): void {
    const links = this.#links();
    const link = event.currentTarget;
    if (!links || !(link instanceof HTMLAnchorElement) || links.fresh(this.fileKey)) return;
    event.preventDefault();
    links.url(this.fileKey).then((url) => {
      this.url = url;
      link.href = downloadUrl(url, downloadName(this.name));
      link.click();
    }, () => {
      this.failed = true;
    });
  }

  /** This image as the viewer shows it. */
  get viewerImage(): ViewerImage {
    return {
      name: this.name,
      size: this.attachment?.size ?? 0,
      width: this.attachment?.width,
      height: this.attachment?.height,
      url: () => this.#freshUrl(),
      focus: () => this.renderRoot.querySelector<HTMLElement>('.thumbnail')?.focus(),
    };
  }

  async #open(): Promise<void> {
    const root = this.getRootNode();
    const images = root instanceof Document || root instanceof ShadowRoot
      ? [...root.querySelectorAll<ParleyAttachment>('parley-attachment')].filter((a) => a instanceof ParleyAttachment && a.isImage && !a.pending)
      : [this];
    const viewer = document.createElement('parley-image-viewer');
    viewer.images = images.map((a) => a.viewerImage);
    viewer.index = Math.max(0, images.indexOf(this));
    if (this.strings) viewer.strings = this.strings;
    viewer.lang = this.language;
    viewer.addEventListener('close', () => {
      viewer.remove();
      if (this.#viewer === viewer) this.#viewer = undefined;
    }, { once: true });
    this.#viewer = viewer;
    this.renderRoot.append(viewer);
    await viewer.show();
  }

  protected override updated(): void {
    this.setCustomState('failed', this.failed);
  }

  #failedView(): TemplateResult {
    const t = this.text;
    return html`<div class="failed" part="failed">
      <span>${t.failed}</span>
      <button class="retry" part="retry-button" type="button" @click=${this.#retry}>${t.retry}</button>
    </div>`;
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const shown = displayName(this.name);
    if (this.isImage) {
      // A file still on its way has nothing to open yet: its box only.
      if (this.pending) return html`<div class="frame image" part="base"></div>`;
      return html`<div class="frame image" part="base">${this.failed ? this.#failedView() : html`<button
        class="thumbnail"
        part="thumbnail"
        type="button"
        aria-label=${formatString(t.openImage, { name: shown })}
        @click=${this.#open}
      >${this.url ? html`<img src=${this.url} alt=${shown} loading="lazy" decoding="async" referrerpolicy="no-referrer" @error=${this.#onImageError} />` : nothing}</button>`}</div>`;
    }
    const type = this.attachment?.type ?? '';
    const detail = `${typeLabel(type)} · ${formatSize(this.attachment?.size ?? 0, this.language)}`;
    return html`<div class="frame card" part="base card">
      <svg class="icon" part="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${fileIcon(fileKind(type))}</svg>
      <span class="text">
        <span class="name" part="name" dir="auto" title=${shown}>${shown}</span>
        <span class="detail" part="detail">${detail}</span>
      </span>
      ${this.failed ? this.#failedView() : html`<a
        class="download"
        part="download"
        href=${this.url ? downloadUrl(this.url, downloadName(this.name)) : nothing}
        aria-label=${formatString(t.downloadFile, { name: shown })}
        rel="noopener noreferrer"
        @click=${this.#onDownload}
      ><svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${strokeIcon(DOWNLOAD_PATH)}</svg></a>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-attachment': ParleyAttachment;
  }
}

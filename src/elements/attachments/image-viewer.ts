import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ParleyElement } from '../parley-element.ts';
import { formatString } from '../../i18n/strings.ts';
import { attachmentViewStrings, type AttachmentViewStrings } from '../../i18n/attachment-view-strings.ts';
import { displayName, downloadName, formatSize } from './file-display.ts';
import { downloadUrl } from './signed-links.ts';
import { languageAcross } from './host-context.ts';
import { CHEVRON_PATH, CLOSE_PATH, DOWNLOAD_PATH, strokeIcon } from './icons.ts';
import { imageViewerStyles } from './image-viewer.styles.ts';

/** One image the viewer can show. */
export interface ViewerImage {
  readonly name: string;
  readonly size: number;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  /** A signed URL, fresh when asked. */
  url(): Promise<string>;
  /** Focuses the thumbnail that shows it in the thread (where focus returns on close). */
  focus(): void;
}

/**
 * @summary A modal view of one of the conversation's images: the full image, its name and size, a
 * download, and the conversation's other images one arrow key away.
 *
 * Opened by a thumbnail (`<parley-attachment>`); a modal `<dialog>`, so focus stays inside while it
 * is open and everything behind is inert. Escape or Close closes it, and focus returns to the
 * thumbnail of the image last shown. ArrowLeft/ArrowRight (mirrored right to left) and the
 * Previous/Next buttons move between images. The download asks Storage for
 * `Content-Disposition: attachment`. Like the thumbnails, it takes its colours from the thread it
 * opens over (the thread's resolved tokens inherit into it).
 *
 * @event close - The viewer closed (Escape, Close, or `close()`).
 *
 * @csspart base - The dialog.
 * @csspart image - The full image.
 * @csspart name - The image's name.
 * @csspart detail - Size and position ("2 of 3").
 * @csspart download - The download link.
 * @csspart close-button - Closes the viewer.
 * @csspart previous-button - Shows the previous image.
 * @csspart next-button - Shows the next image.
 */
export class ParleyImageViewer extends ParleyElement<AttachmentViewStrings> {
  static override css = imageViewerStyles;

  /** The images to page through, in thread order. */
  @property({ attribute: false }) accessor images: readonly ViewerImage[] = [];
  /** Which of `images` is shown. */
  @property({ type: Number }) accessor index = 0;

  @state() private accessor url: string | undefined;
  @state() private accessor failed = false;

  protected readonly defaultStrings: AttachmentViewStrings = attachmentViewStrings;
  protected override readonly stringTable = 'attachmentView';

  /** Which image `url` belongs to: a quick arrow press drops the slower answer. */
  #loading: ViewerImage | undefined;

  protected override get language(): string {
    return languageAcross(this);
  }

  get current(): ViewerImage | undefined {
    return this.images[this.index];
  }

  /** Opens the dialog modally and focuses Close. */
  async show(): Promise<void> {
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('.close')?.focus();
  }

  /** Closes the dialog; focus returns to the thumbnail of the image shown. */
  close(): void {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) dialog.close();
  }

  /** Shows the image `step` places away (wrapping around). */
  go(step: number): void {
    const count = this.images.length;
    if (count < 2) return;
    this.index = (((this.index + step) % count) + count) % count;
  }

  protected override willUpdate(): void {
    const image = this.current;
    if (image === this.#loading) return;
    this.#loading = image;
    this.url = undefined;
    this.failed = false;
    image?.url().then(
      (url) => {
        if (this.#loading === image) this.url = url;
      },
      () => {
        if (this.#loading === image) this.failed = true;
      },
    );
  }

  #onKeydown(event: KeyboardEvent): void {
    // Escape closes the viewer (the dialog's own cancel), not the chat panel around it too.
    if (event.key === 'Escape') event.stopPropagation();
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const forward = this.direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    event.preventDefault();
    this.go(event.key === forward ? 1 : -1);
  }

  #onClose(): void {
    this.current?.focus();
    this.dispatchEvent(new Event('close'));
  }

  /** A click on the backdrop (the dialog itself, outside its content) closes, as people expect. */
  #onClick(event: MouseEvent): void {
    if (event.target instanceof HTMLDialogElement) this.close();
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const image = this.current;
    const name = image ? displayName(image.name) : '';
    const count = this.images.length;
    const detail = image ? [formatSize(image.size, this.language), count > 1 ? formatString(t.position, { index: this.index + 1, count }) : ''].filter(Boolean).join(' · ') : '';
    const many = count > 1;
    return html`<dialog class="frame" part="base" aria-label=${name} @close=${this.#onClose} @keydown=${this.#onKeydown} @click=${this.#onClick}>
      <div class="bar">
        <span class="text">
          <span class="name" part="name" dir="auto">${name}</span>
          <span class="detail" part="detail">${detail}</span>
        </span>
        <a class="download" part="download" href=${this.url && image ? downloadUrl(this.url, downloadName(image.name)) : nothing} rel="noopener noreferrer">
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${strokeIcon(DOWNLOAD_PATH)}</svg>${t.download}
        </a>
        <button class="close" part="close-button" type="button" aria-label=${t.close} @click=${this.close}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${strokeIcon(CLOSE_PATH)}</svg>
        </button>
      </div>
      <div class="stage">
        ${many ? html`<button class="step previous" part="previous-button" type="button" aria-label=${t.previous} @click=${() => this.go(-1)}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${strokeIcon(CHEVRON_PATH)}</svg></button>` : nothing}
        ${this.failed ? html`<p class="failed" role="alert">${t.failed}</p>`
          : this.url ? html`<img part="image" src=${this.url} alt=${name} width=${image?.width ?? nothing} height=${image?.height ?? nothing} referrerpolicy="no-referrer" />`
          : nothing}
        ${many ? html`<button class="step next" part="next-button" type="button" aria-label=${t.next} @click=${() => this.go(1)}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${strokeIcon(CHEVRON_PATH)}</svg></button>` : nothing}
      </div>
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-image-viewer': ParleyImageViewer;
  }
}

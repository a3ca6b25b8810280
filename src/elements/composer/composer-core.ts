/**
 * The composer every root renders, without the agent's tools: the visitor's launcher registers this
 * class (src/embed/app.ts), so the first open does not download the canned reply picker and the
 * Reply / Note switch, which only the console uses. `ParleyComposer` (composer.ts) adds them
 * through the hooks below; the DOM and behaviour of a composer without them are the same in both.
 */
import { LitElement, html, nothing } from 'lit';
import type { CSSResultGroup, PropertyValues, TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ParleyElement } from '../parley-element.ts';
import { ParleySendEvent, ParleyTypingEvent } from '../events.ts';
import { composerStrings, formatString } from '../../i18n/strings.ts';
import type { ComposerStrings } from '../../i18n/strings.ts';
import { MAX_MESSAGE_LENGTH } from '../../data/types.ts';
import { charLength, isBlank } from '../../data/validate.ts';
import { randomId } from '../../ids.ts';
import { composerStyles } from './composer.styles.ts';
import type { FileKit, FileKitHost } from './composer-files.ts';
import type { AttachmentStrings } from '../../i18n/attachment-strings.ts';
import { localeOf } from '../../i18n/locale.ts';
import { translatedTable } from '../../i18n/translations.ts';

/** The counter appears from this many characters. */
export const COUNTER_THRESHOLD = MAX_MESSAGE_LENGTH - 500;
/** At most one `parley-typing` per this many milliseconds. */
export const TYPING_INTERVAL_MS = 2000;

/** How the text field is a combobox while a list of suggestions belongs to it. */
export interface FieldPopup {
  /** Whether typing can open a list (`aria-autocomplete="list"`). */
  readonly autocomplete: boolean;
  /** The open list's id and its active option's id; null while no list is open. */
  readonly open: { readonly list: string; readonly active: string } | null;
}

const noPopup: FieldPopup = { autocomplete: false, open: null };

const clipIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="m20 11-8.5 8.5a5 5 0 0 1-7-7L13 4a3.3 3.3 0 0 1 4.8 4.8l-8.5 8.4a1.7 1.7 0 0 1-2.4-2.4L15 7" />
</svg>`;

const sendIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
</svg>`;

/**
 * @summary The message box without the agent's tools (see `ParleyComposer` for the element's
 * documentation).
 */
export class ParleyComposerCore extends ParleyElement<ComposerStrings> {
  static override css: CSSResultGroup = composerStyles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** The draft. Setting it does not emit events. */
  @property() accessor value = '';

  /** Blocks typing and sending; `disabledReason` says why. The draft is kept. */
  @property({ type: Boolean, reflect: true }) accessor disabled = false;

  /** Shown while `disabled`, e.g. "Reconnecting…" or "This conversation is closed". */
  @property({ attribute: 'disabled-reason' }) accessor disabledReason = '';

  /** Time source for the typing throttle, in milliseconds; tests inject a fake clock. */
  @property({ attribute: false }) accessor clock: () => number = Date.now;

  protected readonly defaultStrings: ComposerStrings = composerStrings;
  protected override readonly stringTable = 'composer';

  private lastTypingAt = Number.NEGATIVE_INFINITY;
  /** Chosen files and their chips: loaded with the first file (composer-files.ts), with Storage. */
  protected files: FileKit | null = null;
  /** What the file chips are handed instead of importing it (see src/realtime/attachment-chunk.ts). */
  readonly kit: FileKitHost['kit'] = {
    html, nothing, format: formatString,
    lang: (): string => this.language,
    translated: () => translatedTable(localeOf(this.language), 'attachments') as Partial<AttachmentStrings> | undefined,
  };

  /** Whether the next message is an internal note; never without the Reply / Note switch. */
  protected get noting(): boolean {
    return false;
  }

  /** The text field's suggestion list, if any. */
  protected get fieldPopup(): FieldPopup {
    return noPopup;
  }

  /** Above the field: the agent's tools (switch, suggestion list). */
  protected renderTools(): unknown {
    return nothing;
  }

  /** First in the line under the field: the note hint. */
  protected renderMetaStart(): unknown {
    return nothing;
  }

  /** Last in the composer: what a suggestion list announces. */
  protected renderAnnouncement(): unknown {
    return nothing;
  }

  /** A key in the field the tools take (true: handled, the composer does nothing more). */
  protected toolKeyDown(_event: KeyboardEvent): boolean {
    return false;
  }

  /** The field lost focus. */
  protected fieldBlurred(): void {}

  protected get textarea(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  /**
   * Puts the caret in the text field. Delegated focus alone would land on the first focusable
   * element, which is the Reply / Note switch when `allow-notes` is set; Tab still reaches the
   * switch first (its place in the reading order).
   */
  override focus(options?: FocusOptions): void {
    const field = this.textarea;
    if (field) field.focus(options);
    else super.focus(options);
  }

  /**
   * Sends the draft as the user would: emits `parley-send` and clears the draft unless a listener
   * prevented it. Returns whether a message went out.
   */
  send(): boolean {
    if (this.disabled) return false;
    const text = this.value.trim();
    const files = this.files?.ready() ?? [];
    // The database refuses a message that shows nothing (zero-width characters alone, which trim()
    // keeps); the draft stays as typed.
    if ((isBlank(text) && files.length === 0) || charLength(text) > MAX_MESSAGE_LENGTH || this.files?.busy) return false;
    const visibility = this.noting ? 'internal' : 'public';
    const id = files.length > 0 ? randomId() : undefined;
    if (!this.emit(new ParleySendEvent({ text: isBlank(text) ? '' : text, visibility, ...(id ? { files, id } : {}) }))) return false;
    if (id) this.files?.sent(id);
    this.value = '';
    this.lastTypingAt = Number.NEGATIVE_INFINITY;
    return true;
  }

  protected override updated(_changed: PropertyValues): void {
    const length = charLength(this.value.trim());
    this.setCustomState('disabled', this.disabled);
    this.setCustomState('near-limit', length >= COUNTER_THRESHOLD);
    this.setCustomState('over-limit', length > MAX_MESSAGE_LENGTH);
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const lang = this.language;
    const length = charLength(this.value.trim());
    const over = length > MAX_MESSAGE_LENGTH;
    const showCounter = length >= COUNTER_THRESHOLD;
    const canSend = !this.disabled && (!isBlank(this.value) || !!this.files?.ready().length) && !over && !this.files?.busy;
    const { autocomplete, open } = this.fieldPopup;
    const reason = this.disabledReason.trim() || t.disabled;
    const noting = this.noting;
    const counter = over
      ? formatString(t.over, { count: length - MAX_MESSAGE_LENGTH }, lang)
      : formatString(t.remaining, { count: MAX_MESSAGE_LENGTH - length }, lang);

    return html`
      <div class="base" part="base" data-mode=${noting ? 'note' : 'reply'} @mousedown=${this.onBaseMouseDown}
        @dragover=${this.onDragOver} @drop=${this.onDrop}>
        ${this.renderTools()}${this.files?.render() ?? nothing}
        <div class="row">
          <label class="visually-hidden" for="input">${t.label}</label>
          <textarea
            id="input"
            class="input"
            part="input"
            rows="1"
            .value=${live(this.value)}
            placeholder=${noting ? t.notePlaceholder : t.placeholder}
            ?disabled=${this.disabled}
            aria-invalid=${over ? 'true' : 'false'}
            aria-describedby=${noting ? 'note-hint notice error counter hint' : 'notice error counter hint'}
            aria-autocomplete=${autocomplete ? 'list' : nothing}
            aria-controls=${open ? open.list : nothing}
            aria-activedescendant=${open ? open.active : nothing}
            @input=${this.onInput}
            @paste=${this.onPaste}
            @keydown=${this.onKeyDown}
            @blur=${this.onBlur}
          ></textarea>
          <input id="pick" type="file" multiple hidden @change=${this.onPick} />
          <button class="attach" part="attach-button" type="button" aria-label=${t.attach} title=${t.attach}
            ?disabled=${this.disabled} @click=${this.onAttachClick}>${clipIcon}</button>
          <button
            class="send"
            part="send-button"
            type="button"
            aria-label=${noting ? t.sendNote : t.send}
            ?disabled=${!canSend}
            @click=${this.onSendClick}
          >
            ${sendIcon}
          </button>
        </div>
        <div class="meta">
          ${this.renderMetaStart()}
          <div id="notice" class="notice" part="notice" role="status">${this.disabled ? reason : nothing}</div>
          <div id="error" class="error" part="error" role="alert">${over ? formatString(t.tooLong, { max: MAX_MESSAGE_LENGTH }, lang) : nothing}</div>
          <div id="counter" class="counter" part="counter" ?data-over=${over}>${showCounter ? counter : nothing}</div>
        </div>
        <div id="hint" class="visually-hidden">${t.hint}</div>
        ${this.renderAnnouncement()}
      </div>
    `;
  }

  /** A click on the composer's own surface (not a control) goes to the field, not to the switch delegated focus picks. */
  private onBaseMouseDown(event: MouseEvent): void {
    const target = event.composedPath()[0];
    if (!(target instanceof Element) || target.closest('label, input, textarea, button, [role="option"]')) return;
    event.preventDefault();
    this.textarea?.focus();
  }

  /** Adds files from the button, a paste or a drop; the checks and chips load with the first one. */
  async addFiles(list: FileList | readonly File[] | null | undefined): Promise<void> {
    const chosen = [...(list ?? [])];
    if (chosen.length === 0 || this.disabled) return;
    this.files ??= new (await import('../../realtime/attachment-chunk.ts')).FileKit(this);
    await this.files.add(chosen);
  }

  private onAttachClick(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#pick')?.click();
  }

  private onPick(event: Event): void {
    const input = event.target as HTMLInputElement;
    void this.addFiles(input.files).finally(() => { input.value = ''; });
  }

  private onPaste(event: ClipboardEvent): void {
    const files = event.clipboardData?.files;
    if (!files?.length) return;
    event.preventDefault();
    void this.addFiles(files);
  }

  private onDragOver(event: DragEvent): void {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  }

  private onDrop(event: DragEvent): void {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    void this.addFiles(event.dataTransfer.files);
  }

  private onInput(event: InputEvent): void {
    this.value = (event.target as HTMLTextAreaElement).value;
    if (isBlank(this.value)) return;
    const now = this.clock();
    if (now - this.lastTypingAt < TYPING_INTERVAL_MS) return;
    this.lastTypingAt = now;
    this.emit(new ParleyTypingEvent());
  }

  private onKeyDown(event: KeyboardEvent): void {
    // An IME composing text (Japanese, Chinese, Korean…) uses Enter to commit the candidate.
    if (event.isComposing || event.keyCode === 229) return;
    if (this.toolKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.send();
    }
  }

  private onBlur(): void {
    this.fieldBlurred();
  }

  private onSendClick(): void {
    this.send();
    // The button disables itself once the draft is gone; keep focus in the field rather than losing it.
    this.textarea?.focus();
  }
}

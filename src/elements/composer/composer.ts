import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { ParleyElement } from '../parley-element.ts';
import { ParleySendEvent, ParleyTypingEvent } from '../events.ts';
import { composerStrings, formatString } from '../../i18n/strings.ts';
import type { ComposerStrings } from '../../i18n/strings.ts';
import { MAX_MESSAGE_LENGTH } from '../../data/types.ts';
import { charLength, isBlank } from '../../data/validate.ts';
import type { CannedResponse } from '../../data/types.ts';
import { lockIcon } from '../icons.ts';
import { composerStyles } from './composer.styles.ts';

/** What the composer needs of a canned reply (a `canned_responses` row fits). */
export type CannedReply = Pick<CannedResponse, 'shortcut' | 'title' | 'body'>;

/** What the next message is: a reply to the customer, or an internal note (`allow-notes`). */
export const COMPOSER_MODES = ['reply', 'note'] as const;
export type ComposerMode = (typeof COMPOSER_MODES)[number];

/** The counter appears from this many characters. */
export const COUNTER_THRESHOLD = MAX_MESSAGE_LENGTH - 500;
/** At most one `parley-typing` per this many milliseconds. */
export const TYPING_INTERVAL_MS = 2000;
/** Canned replies listed at once; typing after "/" narrows the list. */
const MAX_CANNED_SHOWN = 50;

/** Canned replies matching what follows "/", shortcut prefix matches first. */
export function matchCannedReplies(replies: readonly CannedReply[], query: string): CannedReply[] {
  const q = query.toLowerCase();
  const prefix: CannedReply[] = [];
  const other: CannedReply[] = [];
  for (const reply of replies) {
    const shortcut = reply.shortcut.toLowerCase();
    if (shortcut.startsWith(q)) prefix.push(reply);
    else if (shortcut.includes(q) || reply.title.toLowerCase().includes(q)) other.push(reply);
  }
  return [...prefix, ...other].slice(0, MAX_CANNED_SHOWN);
}

const sendIcon = html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
  <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
</svg>`;

/**
 * @summary The message box: a labelled multiline field that grows to a few lines. Enter sends,
 * Shift+Enter starts a new line; a counter appears near the length limit and sending is blocked
 * above it; `disabled` shows the user why; agents get canned replies by typing "/".
 *
 * Canned replies follow the ARIA combobox pattern on the text field: typing "/" at the start opens a
 * listbox filtered by what follows, Up/Down move the active option, Enter or Tab insert its body,
 * Escape closes the list. The draft survives `disabled` (a reconnect never loses what was typed).
 *
 * With `allow-notes` (agents), a Reply / Note switch (a radio group: Tab reaches it, arrow keys
 * switch) sits above the field. In Note mode the field takes the note colours, the placeholder and
 * the send button say "note", a hint says only the team sees it, and `parley-send` carries
 * `visibility: 'internal'`. The mode stays Note after sending, until the agent switches back (as in
 * Intercom and Chatwoot: several notes in a row are common, and the note colours make the mode
 * impossible to miss). Canned replies work in both modes.
 *
 * @event {ParleySendEvent} parley-send - The user sends `detail.text` (trimmed) with `detail.visibility`
 *   (`internal` for a note, `public` otherwise). Cancelable: when prevented, the composer keeps the draft.
 * @event {ParleyTypingEvent} parley-typing - The user is typing; at most one every 2 seconds.
 *
 * @csspart base - The composer's box.
 * @csspart input - The textarea.
 * @csspart send-button - The send button.
 * @csspart counter - Characters left, shown near the limit.
 * @csspart error - Why sending is blocked (over the limit).
 * @csspart notice - Why the composer is disabled.
 * @csspart canned-list - The canned reply listbox.
 * @csspart canned-option - One canned reply.
 * @csspart modes - The Reply / Note switch (`allow-notes`).
 * @csspart mode - One option of the switch; the selected one also has `mode-selected`.
 * @csspart mode-selected - The selected option of the switch (with `mode`).
 * @csspart note-hint - "Only your team sees notes", shown in Note mode.
 *
 * @cssproperty [--parley-color-accent=#1f5fd1] - Send button and active option (`-dark` twin in dark mode).
 * @cssproperty [--parley-color-on-accent=#ffffff] - Text on the accent.
 * @cssproperty [--parley-color-surface=#ffffff] - Background.
 * @cssproperty [--parley-color-border=#8a93a3] - Field and list borders.
 * @cssproperty [--parley-color-danger=#b3261e] - Over-limit counter and message.
 * @cssproperty [--parley-color-note=#fff4d1] - The field's background in Note mode (`-dark` twin in dark mode).
 * @cssproperty [--parley-color-note-border=#8a5a00] - The field's border, the send button and the hint in Note mode.
 * @cssproperty [--parley-radius=0.5rem] - Corner radius.
 * @cssproperty [--parley-space=0.5rem] - Spacing unit.
 * @cssproperty [--parley-font-family=system-ui] - Font.
 * @cssproperty [--parley-focus-ring-color=accent] - Focus outline colour.
 *
 * @cssstate disabled - Sending is unavailable (`disabled`).
 * @cssstate near-limit - The counter is showing.
 * @cssstate over-limit - The draft is too long to send.
 * @cssstate canned-open - The canned reply list is open.
 * @cssstate note - The next message is an internal note (`allow-notes` and `mode="note"`).
 */
export class ParleyComposer extends ParleyElement<ComposerStrings> {
  static override css = composerStyles;
  static override shadowRootOptions: ShadowRootInit = { ...LitElement.shadowRootOptions, delegatesFocus: true };

  /** The draft. Setting it does not emit events. */
  @property() accessor value = '';

  /** Blocks typing and sending; `disabledReason` says why. The draft is kept. */
  @property({ type: Boolean, reflect: true }) accessor disabled = false;

  /** Shown while `disabled`, e.g. "Reconnecting…" or "This conversation is closed". */
  @property({ attribute: 'disabled-reason' }) accessor disabledReason = '';

  /** Offers the Reply / Note switch (agents). Without it every message is a public reply, whatever `mode` says. */
  @property({ type: Boolean, reflect: true, attribute: 'allow-notes' }) accessor allowNotes = false;

  /**
   * Reply or Note; the user switches it with the Reply / Note control and it stays until switched
   * back. Setting it does not emit events. Only takes effect with `allow-notes`.
   */
  @property({ reflect: true }) accessor mode: ComposerMode = 'reply';

  /** Canned replies offered after "/" (agents); empty for customers, which turns the feature off. */
  @property({ attribute: false }) accessor cannedResponses: readonly CannedReply[] = [];

  /** Time source for the typing throttle, in milliseconds; tests inject a fake clock. */
  @property({ attribute: false }) accessor clock: () => number = Date.now;

  @state() private accessor activeIndex = 0;
  /** The draft at which the user closed the list with Escape (or left the field); it reopens on the next edit. */
  @state() private accessor dismissedAt: string | undefined;


  protected readonly defaultStrings: ComposerStrings = composerStrings;

  private lastTypingAt = Number.NEGATIVE_INFINITY;

  /** Whether the next message is a note: the switch is offered and set to Note. */
  private get noting(): boolean {
    return this.allowNotes && this.mode === 'note';
  }

  private get textarea(): HTMLTextAreaElement | null {
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
    // The database refuses a message that shows nothing (zero-width characters alone, which trim()
    // keeps); the draft stays as typed.
    if (isBlank(text) || charLength(text) > MAX_MESSAGE_LENGTH) return false;
    const visibility = this.noting ? 'internal' : 'public';
    if (!this.emit(new ParleySendEvent({ text, visibility }))) return false;
    this.value = '';
    this.dismissedAt = undefined;
    this.lastTypingAt = Number.NEGATIVE_INFINITY;
    return true;
  }

  private get cannedMatches(): CannedReply[] {
    if (this.cannedResponses.length === 0 || this.disabled) return [];
    const match = /^\/(\S*)$/.exec(this.value);
    if (!match || this.value === this.dismissedAt) return [];
    return matchCannedReplies(this.cannedResponses, match[1] ?? '');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value')) this.activeIndex = 0;
  }

  protected override updated(changed: PropertyValues): void {
    const length = charLength(this.value.trim());
    this.setCustomState('disabled', this.disabled);
    this.setCustomState('near-limit', length >= COUNTER_THRESHOLD);
    this.setCustomState('over-limit', length > MAX_MESSAGE_LENGTH);
    this.setCustomState('canned-open', this.cannedMatches.length > 0);
    this.setCustomState('note', this.noting);
    if (changed.has('activeIndex') || changed.has('value')) {
      this.renderRoot.querySelector('[role="option"][aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
    }
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const lang = this.language;
    const length = charLength(this.value.trim());
    const over = length > MAX_MESSAGE_LENGTH;
    const showCounter = length >= COUNTER_THRESHOLD;
    const canSend = !this.disabled && !isBlank(this.value) && !over;
    const matches = this.cannedMatches;
    const open = matches.length > 0;
    const active = Math.min(this.activeIndex, Math.max(matches.length - 1, 0));
    const reason = this.disabledReason.trim() || t.disabled;
    const noting = this.noting;
    const counter = over
      ? formatString(t.over, { count: length - MAX_MESSAGE_LENGTH }, lang)
      : formatString(t.remaining, { count: MAX_MESSAGE_LENGTH - length }, lang);

    return html`
      <div class="base" part="base" data-mode=${noting ? 'note' : 'reply'} @mousedown=${this.onBaseMouseDown}>
        ${this.allowNotes ? this.renderModes(noting) : nothing}
        <ul
          id="canned"
          class="canned"
          part="canned-list"
          role="listbox"
          aria-label=${t.cannedLabel}
          ?hidden=${!open}
        >
          ${matches.map(
            // Keys are handled by the textarea (aria-activedescendant): options take clicks only.
            // eslint-disable-next-line lit-a11y/click-events-have-key-events
            (reply, i) => html`<li
              id=${`canned-${i}`}
              class="option"
              part="canned-option"
              role="option"
              aria-selected=${i === active ? 'true' : 'false'}
              @mousedown=${preventFocusLoss}
              @click=${() => this.insertCanned(reply)}
            >
              <span class="shortcut">/${reply.shortcut}</span>
              <span class="title">${reply.title}</span>
              <span class="preview">${reply.body}</span>
            </li>`,
          )}
        </ul>
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
            aria-autocomplete=${this.cannedResponses.length > 0 ? 'list' : nothing}
            aria-controls=${open ? 'canned' : nothing}
            aria-activedescendant=${open ? `canned-${active}` : nothing}
            @input=${this.onInput}
            @keydown=${this.onKeyDown}
            @blur=${this.onBlur}
          ></textarea>
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
          ${noting ? html`<div id="note-hint" class="note-hint" part="note-hint">${lockIcon}<span>${t.noteHint}</span></div>` : nothing}
          <div id="notice" class="notice" part="notice" role="status">${this.disabled ? reason : nothing}</div>
          <div id="error" class="error" part="error" role="alert">${over ? formatString(t.tooLong, { max: MAX_MESSAGE_LENGTH }, lang) : nothing}</div>
          <div id="counter" class="counter" part="counter" ?data-over=${over}>${showCounter ? counter : nothing}</div>
        </div>
        <div id="hint" class="visually-hidden">${t.hint}</div>
        <div class="visually-hidden" role="status">${open ? formatString(t.cannedCount, { count: matches.length }, lang) : nothing}</div>
      </div>
    `;
  }

  /** Native radios give the group one tab stop and arrow-key switching; labels style them as a segmented control. */
  private renderModes(noting: boolean): TemplateResult {
    const t = this.text;
    const option = (mode: ComposerMode, label: string, icon: TemplateResult | typeof nothing): TemplateResult => {
      const selected = (mode === 'note') === noting;
      // The radio inside takes the keys (arrows, Space); the label's click only moves pointer users back to the field.
      // eslint-disable-next-line lit-a11y/click-events-have-key-events
      return html`<label
        class="mode"
        part=${selected ? 'mode mode-selected' : 'mode'}
        data-mode=${mode}
        @mousedown=${preventFocusLoss}
        @click=${this.onModeClick}
      >
        <input type="radio" name="mode" value=${mode} .checked=${live(selected)} @change=${this.onModeChange} />
        ${icon}<span>${label}</span>
      </label>`;
    };
    return html`<fieldset class="modes" part="modes">
      <legend class="visually-hidden">${t.modeLabel}</legend>
      ${option('reply', t.reply, nothing)}${option('note', t.note, lockIcon)}
    </fieldset>`;
  }

  /** A click on the composer's own surface (not a control) goes to the field, not to the switch delegated focus picks. */
  private onBaseMouseDown(event: MouseEvent): void {
    const target = event.composedPath()[0];
    if (!(target instanceof Element) || target.closest('label, input, textarea, button, [role="option"]')) return;
    event.preventDefault();
    this.textarea?.focus();
  }

  private onModeChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.checked) this.mode = input.value === 'note' ? 'note' : 'reply';
  }

  /** A pointer click on the switch returns to the field (keyboard users stay in the group: `detail` is 0). */
  private onModeClick(event: MouseEvent): void {
    if (event.detail > 0) this.textarea?.focus();
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

    const matches = this.cannedMatches;
    if (matches.length > 0) {
      const count = matches.length;
      const active = Math.min(this.activeIndex, count - 1);
      switch (event.key) {
        case 'ArrowDown':
          event.preventDefault();
          this.activeIndex = (active + 1) % count;
          return;
        case 'ArrowUp':
          event.preventDefault();
          this.activeIndex = (active - 1 + count) % count;
          return;
        case 'Escape':
          // Handled here, so a panel around the composer does not close as well.
          event.preventDefault();
          event.stopPropagation();
          this.dismissedAt = this.value;
          return;
        case 'Enter':
        case 'Tab': {
          if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) break;
          const reply = matches[active];
          if (reply) {
            event.preventDefault();
            this.insertCanned(reply);
            return;
          }
          break;
        }
        default:
          break;
      }
    }

    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.send();
    }
  }

  private onBlur(): void {
    if (this.cannedMatches.length > 0) this.dismissedAt = this.value;
  }

  private onSendClick(): void {
    this.send();
    // The button disables itself once the draft is gone; keep focus in the field rather than losing it.
    this.textarea?.focus();
  }

  private insertCanned(reply: CannedReply): void {
    this.value = reply.body;
    this.dismissedAt = undefined;
    const textarea = this.textarea;
    if (!textarea) return;
    void this.updateComplete.then(() => {
      textarea.focus();
      textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    });
  }
}

function preventFocusLoss(event: MouseEvent): void {
  event.preventDefault();
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-composer': ParleyComposer;
  }
}

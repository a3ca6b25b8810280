import { html, nothing } from 'lit';
import type { CSSResultGroup, PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { formatString } from '../../i18n/strings.ts';
import type { CannedResponse } from '../../data/types.ts';
import { lockIcon } from '../icons.ts';
import { ParleyComposerCore, type FieldPopup } from './composer-core.ts';
import { composerStyles } from './composer.styles.ts';
import { composerToolStyles } from './composer-tools.styles.ts';

export { COUNTER_THRESHOLD, TYPING_INTERVAL_MS } from './composer-core.ts';

/** What the composer needs of a canned reply (a `canned_responses` row fits). */
export type CannedReply = Pick<CannedResponse, 'shortcut' | 'title' | 'body'>;

/** What the next message is: a reply to the customer, or an internal note (`allow-notes`). */
export const COMPOSER_MODES = ['reply', 'note'] as const;
export type ComposerMode = (typeof COMPOSER_MODES)[number];

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

/**
 * @summary The message box: a labelled multiline field that grows to a few lines. Enter sends,
 * Shift+Enter starts a new line; a counter appears near the length limit and sending is blocked
 * above it; `disabled` shows the user why; agents get canned replies by typing "/".
 *
 * Canned replies follow the ARIA combobox pattern on the text field: typing "/" at the start opens a
 * listbox filtered by what follows, Up/Down move the active option, Enter or Tab insert its body,
 * Escape closes the list. The draft survives `disabled` (a reconnect never loses what was typed).
 *
 * Files: the paperclip, a paste of files or images, or a drop onto the composer add them; each is
 * checked before any upload (size, type, content against its declared type) and shown as a chip;
 * a refusal says why. The checks and chips load with the first file (src/realtime/attachment-chunk.ts).
 *
 * With `allow-notes` (agents), a Reply / Note switch (a radio group: Tab reaches it, arrow keys
 * switch) sits above the field. In Note mode the field takes the note colours, the placeholder and
 * the send button say "note", a hint says only the team sees it, and `parley-send` carries
 * `visibility: 'internal'`. The mode stays Note after sending, until the agent switches back (as in
 * Intercom and Chatwoot: several notes in a row are common, and the note colours make the mode
 * impossible to miss). Canned replies work in both modes.
 *
 * The visitor's launcher in `dist/parley.js` registers the same element without the agent's
 * tools (`ParleyComposerCore`), so its first open stays small.
 *
 * @event {ParleySendEvent} parley-send - The user sends `detail.text` (trimmed) with `detail.visibility`
 *   (`internal` for a note, `public` otherwise), and with attached files `detail.files` and the
 *   message id `detail.id` to send them under (then the text may be empty). Cancelable: when
 *   prevented, the composer keeps the draft.
 * @event {ParleyTypingEvent} parley-typing - The user is typing; at most one every 2 seconds.
 *
 * @csspart base - The composer's box.
 * @csspart input - The textarea.
 * @csspart send-button - The send button.
 * @csspart attach-button - The paperclip that picks files (files are also pasted or dropped on the composer).
 * @csspart files - The list of file chips (chosen files, and sent ones while they upload).
 * @csspart file-chip - One file: its name (as text), its size, a remove or cancel button.
 * @csspart file-remove - A chip's remove button (cancel while its message uploads).
 * @csspart file-progress - A sent file's upload progress.
 * @csspart file-refusals - Why files were refused (too large, type not accepted, content not matching its type).
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
export class ParleyComposer extends ParleyComposerCore {
  static override css: CSSResultGroup = [composerStyles, composerToolStyles];

  /** Offers the Reply / Note switch (agents). Without it every message is a public reply, whatever `mode` says. */
  @property({ type: Boolean, reflect: true, attribute: 'allow-notes' }) accessor allowNotes = false;

  /**
   * Reply or Note; the user switches it with the Reply / Note control and it stays until switched
   * back. Setting it does not emit events. Only takes effect with `allow-notes`.
   */
  @property({ reflect: true }) accessor mode: ComposerMode = 'reply';

  /** Canned replies offered after "/" (agents); empty for customers, which turns the feature off. */
  @property({ attribute: false }) accessor cannedResponses: readonly CannedReply[] = [];

  @state() private accessor activeIndex = 0;
  /** The draft at which the user closed the list with Escape (or left the field); it reopens on the next edit. */
  @state() private accessor dismissedAt: string | undefined;

  /** Whether the next message is a note: the switch is offered and set to Note. */
  protected override get noting(): boolean {
    return this.allowNotes && this.mode === 'note';
  }

  protected override get fieldPopup(): FieldPopup {
    const count = this.cannedMatches.length;
    return {
      autocomplete: this.cannedResponses.length > 0,
      open: count > 0 ? { list: 'canned', active: `canned-${Math.min(this.activeIndex, count - 1)}` } : null,
    };
  }

  override send(): boolean {
    if (!super.send()) return false;
    this.dismissedAt = undefined;
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
    super.updated(changed);
    this.setCustomState('canned-open', this.cannedMatches.length > 0);
    this.setCustomState('note', this.noting);
    if (changed.has('activeIndex') || changed.has('value')) {
      this.renderRoot.querySelector('[role="option"][aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
    }
  }

  protected override renderTools(): TemplateResult {
    const t = this.text;
    const matches = this.cannedMatches;
    const active = Math.min(this.activeIndex, Math.max(matches.length - 1, 0));
    return html`${this.allowNotes ? this.renderModes(this.noting) : nothing}
      <ul
        id="canned"
        class="canned"
        part="canned-list"
        role="listbox"
        aria-label=${t.cannedLabel}
        ?hidden=${matches.length === 0}
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
      </ul>`;
  }

  protected override renderMetaStart(): unknown {
    return this.noting
      ? html`<div id="note-hint" class="note-hint" part="note-hint">${lockIcon}<span>${this.text.noteHint}</span></div>`
      : nothing;
  }

  protected override renderAnnouncement(): TemplateResult {
    const count = this.cannedMatches.length;
    return html`<div class="visually-hidden" role="status">${count > 0 ? formatString(this.text.cannedCount, { count }, this.language) : nothing}</div>`;
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

  private onModeChange(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (input.checked) this.mode = input.value === 'note' ? 'note' : 'reply';
  }

  /** A pointer click on the switch returns to the field (keyboard users stay in the group: `detail` is 0). */
  private onModeClick(event: MouseEvent): void {
    if (event.detail > 0) this.textarea?.focus();
  }

  protected override toolKeyDown(event: KeyboardEvent): boolean {
    const matches = this.cannedMatches;
    if (matches.length === 0) return false;
    const count = matches.length;
    const active = Math.min(this.activeIndex, count - 1);
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        this.activeIndex = (active + 1) % count;
        return true;
      case 'ArrowUp':
        event.preventDefault();
        this.activeIndex = (active - 1 + count) % count;
        return true;
      case 'Escape':
        // Handled here, so a panel around the composer does not close as well.
        event.preventDefault();
        event.stopPropagation();
        this.dismissedAt = this.value;
        return true;
      case 'Enter':
      case 'Tab': {
        if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return false;
        const reply = matches[active];
        if (!reply) return false;
        event.preventDefault();
        this.insertCanned(reply);
        return true;
      }
      default:
        return false;
    }
  }

  protected override fieldBlurred(): void {
    if (this.cannedMatches.length > 0) this.dismissedAt = this.value;
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

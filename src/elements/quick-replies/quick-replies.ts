import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ParleyElement } from '../parley-element.ts';
import type { ParleyQuickReplyDetail } from '../events.ts';
import type { QuickReply } from '../../data/quick-replies.ts';
import { quickRepliesStyles } from './quick-replies.styles.ts';
import { quickRepliesStrings, type QuickRepliesStrings } from '../../i18n/quick-replies-strings.ts';

/** `parley-quick-reply`: the visitor picked one of `<parley-quick-replies>`' buttons. */
export class ParleyQuickReplyEvent extends CustomEvent<ParleyQuickReplyDetail> {
  static readonly type = 'parley-quick-reply';
  constructor(detail: ParleyQuickReplyDetail) {
    super(ParleyQuickReplyEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

export { quickRepliesStrings, type QuickRepliesStrings };

/**
 * @summary Reply buttons under a team or bot message (issue 17): "That helped", "Talk to a person".
 * A tap answers with the button's label, as if the visitor had typed it.
 *
 * Labels are text, never HTML. One pick per set of replies: after it the buttons wait (disabled),
 * so a double tap sends once; a new `replies` array makes them pickable again. The buttons are one
 * group, each in the tab order, with arrow keys also (mirrored right to left), Home and End between them.
 *
 * @event {ParleyQuickReplyEvent} parley-quick-reply - A button was picked; `detail` has its `id` and `label`.
 *
 * @csspart base - The group of buttons.
 * @csspart reply - One button.
 *
 * @cssstate picked - One was picked; the buttons wait.
 */
export class ParleyQuickReplies extends ParleyElement<QuickRepliesStrings> {
  static override css = quickRepliesStyles;

  /** The buttons, in order (checked by the data layer: at most 4, labels of at most 40 characters). */
  @property({ attribute: false }) accessor replies: readonly QuickReply[] = [];

  @state() private accessor picked: string | null = null;

  protected readonly defaultStrings: QuickRepliesStrings = quickRepliesStrings;
  protected override readonly stringTable = 'quickReplies';

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('replies')) this.picked = null;
  }

  protected override updated(): void {
    this.setCustomState('picked', this.picked !== null);
  }

  protected override render(): TemplateResult | typeof nothing {
    if (this.replies.length === 0) return nothing;
    return html`<div class="base" part="base" role="group" aria-label=${this.text.label} @keydown=${this.#onArrows}>
      ${this.replies.map((reply) => html`<button
        type="button"
        class="reply"
        part="reply"
        data-id=${reply.id}
        aria-pressed=${this.picked === reply.id ? 'true' : 'false'}
        ?disabled=${this.picked !== null}
        @click=${() => this.#pick(reply)}
      >${reply.label}</button>`)}
    </div>`;
  }

  #pick(reply: QuickReply): void {
    if (this.picked !== null) return;
    this.picked = reply.id;
    this.emit(new ParleyQuickReplyEvent({ id: reply.id, label: reply.label }));
  }

  /** Left and right (mirrored in right-to-left), up and down, Home and End move between the buttons. */
  #onArrows(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.reply')];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    const forward = this.direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = this.direction === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const next = event.key === forward || event.key === 'ArrowDown' ? at + 1
      : event.key === back || event.key === 'ArrowUp' ? at - 1
        : event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-quick-replies': ParleyQuickReplies;
  }
}

import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ParleyElement } from '../parley-element.ts';
import type { ParleyRateDetail } from '../events.ts';
import { ratingStyles } from './rating.styles.ts';
import { ratingStrings, type RatingStrings } from '../../i18n/rating-strings.ts';

/** `parley-rate`: the visitor rated the conversation (`<parley-rating>`'s Send or Skip). */
export class ParleyRateEvent extends CustomEvent<ParleyRateDetail> {
  static readonly type = 'parley-rate';
  constructor(detail: ParleyRateDetail) {
    super(ParleyRateEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

/** Faces, worst first; a 3-step scale takes the first, middle and last. */
const FACES = ['😠', '😕', '😐', '😊', '😄'];
/** The comment's bound, as the database keeps it (characters). */
export const MAX_COMMENT_LENGTH = 500;

function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/**
 * @summary The visitor's rating card: "How was your conversation?" with three or five faces, then an
 * optional comment with Send and Skip; once rated, "Thanks" and the score.
 *
 * Stateless about the conversation: the launcher says the scale, whether it is sending, and the
 * score once the conversation row carries it (then the card thanks, whatever was picked here).
 * Every step is a button with its name and place on the scale; arrow keys move between them.
 *
 * @event {ParleyRateEvent} parley-rate - Send (with the comment) or Skip (without) after a step was picked.
 *
 * @csspart base - The card.
 * @csspart step - Each face.
 * @csspart comment - The comment box.
 * @csspart send-button - Sends the score and the comment.
 * @csspart skip-button - Sends the score without a comment.
 * @csspart error - Why the rating could not be sent.
 *
 * @cssstate rated - The score is shown (the thanks state).
 */
export { ratingStrings, type RatingStrings };

export class ParleyRating extends ParleyElement<RatingStrings> {
  static override css = ratingStyles;

  /** Steps on the scale: 3 or 5 (anything else counts as 5). */
  @property({ type: Number }) accessor scale = 5;

  /** The rating given for this resolution; set, the card thanks and shows it. */
  @property({ type: Number }) accessor score: number | null = null;

  /** A rating is on its way: the buttons wait. */
  @property({ type: Boolean }) accessor busy = false;

  /** The last send failed: the card says so and keeps the choice for another try. */
  @property({ type: Boolean }) accessor failed = false;

  @state() private accessor picked: number | null = null;

  protected readonly defaultStrings: RatingStrings = ratingStrings;
  protected override readonly stringTable = 'rating';

  get #steps(): number {
    return this.scale === 3 ? 3 : 5;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('score')) this.setCustomState('rated', this.score !== null);
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const steps = this.#steps;
    if (this.score !== null) {
      return html`<div class="base rated" part="base" role="status">
        <span class="face" aria-hidden="true">${this.#face(this.score, steps)}</span>
        <p class="thanks">${t.thanks}</p>
        <p class="score">${fill(t.rated, { score: this.score, scale: steps })}</p>
      </div>`;
    }
    const names = (steps === 3 ? t.step3 : t.step5).split('|');
    return html`<div class="base" part="base" role="group" aria-labelledby="question">
      <p id="question" class="question">${t.question}</p>
      <div class="steps" @keydown=${this.#onArrows}>
        ${Array.from({ length: steps }, (_, i) => {
          const score = i + 1;
          return html`<button type="button" class="step" part="step" data-score=${score}
            aria-pressed=${this.picked === score ? 'true' : 'false'}
            aria-label=${fill(t.stepLabel, { name: names[i] ?? String(score), score, scale: steps })}
            ?disabled=${this.busy} @click=${() => this.#pick(score)}>
            <span aria-hidden="true">${this.#face(score, steps)}</span>
          </button>`;
        })}
      </div>
      ${this.picked === null ? nothing : html`
        <label class="comment-label" for="comment">${t.comment}</label>
        <textarea id="comment" part="comment" rows="2" maxlength=${MAX_COMMENT_LENGTH} ?disabled=${this.busy}></textarea>
        <div class="actions">
          <button type="button" class="skip" part="skip-button" ?disabled=${this.busy} @click=${() => this.#send(false)}>${t.skip}</button>
          <button type="button" class="send" part="send-button" ?disabled=${this.busy} @click=${() => this.#send(true)}>
            ${this.busy ? t.sending : t.send}
          </button>
        </div>`}
      ${this.failed ? html`<p class="error" part="error" role="alert">${t.failed}</p>` : nothing}
    </div>`;
  }

  #face(score: number, steps: number): string {
    return FACES[steps === 3 ? (score - 1) * 2 : score - 1] ?? '';
  }

  #pick(score: number): void {
    this.picked = score;
  }

  #send(withComment: boolean): void {
    if (this.picked === null || this.busy) return;
    const box = this.renderRoot.querySelector('textarea');
    const comment = withComment ? (box?.value.trim() ?? '').slice(0, MAX_COMMENT_LENGTH) : '';
    this.emit(new ParleyRateEvent({ score: this.picked, comment }));
  }

  /** Left and right (mirrored in right-to-left), Home and End move between the faces. */
  #onArrows(event: KeyboardEvent): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('.step')];
    const at = buttons.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    const forward = this.direction === 'rtl' ? 'ArrowLeft' : 'ArrowRight';
    const back = this.direction === 'rtl' ? 'ArrowRight' : 'ArrowLeft';
    const next = event.key === forward ? at + 1 : event.key === back ? at - 1
      : event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-rating': ParleyRating;
  }
}

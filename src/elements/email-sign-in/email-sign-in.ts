import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { ParleyElement } from '../parley-element.ts';
import { emailSignInStyles } from './email-sign-in.styles.ts';
import { emailSignInStrings, type EmailSignInStrings } from '../../i18n/email-sign-in-strings.ts';

/** Where the form stands: asking for the address, or for the code mailed to it. */
export const EMAIL_SIGN_IN_STEPS = ['email', 'code'] as const;
export type EmailSignInStep = (typeof EMAIL_SIGN_IN_STEPS)[number];

/** Why the last step failed, as the form says it. */
export const EMAIL_SIGN_IN_ERRORS = ['invalid-email', 'missing-code', 'wrong-code', 'rate-limited', 'failed'] as const;
export type EmailSignInError = (typeof EMAIL_SIGN_IN_ERRORS)[number];

export interface ParleyEmailCodeRequestDetail {
  /** The address, trimmed; the form checked its shape. */
  readonly email: string;
}

export interface ParleyEmailCodeVerifyDetail {
  readonly email: string;
  /** The 6 digits, spaces removed. */
  readonly code: string;
}

/** `parley-email-code-request`: mail a code to `detail.email` (Send code, or Send a new code). */
export class ParleyEmailCodeRequestEvent extends CustomEvent<ParleyEmailCodeRequestDetail> {
  static readonly type = 'parley-email-code-request';
  constructor(detail: ParleyEmailCodeRequestDetail) {
    super(ParleyEmailCodeRequestEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

/** `parley-email-code-verify`: sign in with the code typed for `detail.email`. */
export class ParleyEmailCodeVerifyEvent extends CustomEvent<ParleyEmailCodeVerifyDetail> {
  static readonly type = 'parley-email-code-verify';
  constructor(detail: ParleyEmailCodeVerifyDetail) {
    super(ParleyEmailCodeVerifyEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

/** `parley-email-cancel`: the visitor left the form (Back). */
export class ParleyEmailCancelEvent extends CustomEvent<undefined> {
  static readonly type = 'parley-email-cancel';
  constructor() {
    super(ParleyEmailCancelEvent.type, { bubbles: true, composed: true, cancelable: false });
  }
}

/** The address's shape, as the pre-chat form checks it (the server checks it again). */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const CODE = /^\d{6}$/;

/**
 * @summary "Continue by email": asks for the address a visitor used before, then for the 6-digit code
 * mailed to it, so the visitor signs in and sees their conversations on this device.
 *
 * Stateless about auth: it checks what was typed, emits a request, and shows what the owner sets
 * (`step`, `busy`, `error`). The step after a sent code says "We sent a code to …" whether or not the
 * address has an account: the server does not say, and neither does the form. The code field is
 * `autocomplete="one-time-code"` with a numeric keyboard.
 *
 * @event {ParleyEmailCodeRequestEvent} parley-email-code-request - Send code (or Send a new code) with a well-formed address.
 * @event {ParleyEmailCodeVerifyEvent} parley-email-code-verify - Continue with a 6-digit code.
 * @event {ParleyEmailCancelEvent} parley-email-cancel - Back: the visitor leaves the form.
 *
 * @csspart base - The form.
 * @csspart notice - "This link has expired…" (`expired`).
 * @csspart email-input - The address field.
 * @csspart code-input - The code field.
 * @csspart submit-button - Send code, or Continue.
 * @csspart resend-button - Send a new code.
 * @csspart other-email-button - Back to the address step.
 * @csspart cancel-button - Back to where the form was opened from.
 * @csspart error - Why the last step failed.
 *
 * @cssstate code - The code step shows.
 */
export class ParleyEmailSignIn extends ParleyElement<EmailSignInStrings> {
  static override css = emailSignInStyles;

  /** `email` asks for the address, `code` for the code sent to `email`. */
  @property({ reflect: true }) accessor step: EmailSignInStep = 'email';

  /** The address: prefilled in the first step, named in the second. */
  @property() accessor email = '';

  /** A request is on its way: the buttons wait. */
  @property({ type: Boolean }) accessor busy = false;

  /** Why the last step failed; null for no error. */
  @property() accessor error: EmailSignInError | null = null;

  /** For `rate-limited`: how many seconds to wait. */
  @property({ type: Number, attribute: 'retry-after' }) accessor retryAfter = 0;

  /** Opened from a reply email's link that could not sign in: says so above the address. */
  @property({ type: Boolean }) accessor expired = false;

  protected readonly defaultStrings: EmailSignInStrings = emailSignInStrings;
  protected override readonly stringTable = 'emailSignIn';

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('step')) {
      this.setCustomState('code', this.step === 'code');
      // The step's field takes the caret, so a keyboard or screen reader user goes on where the form did.
      if (changed.get('step') !== undefined) this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
    }
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus(options);
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const code = this.step === 'code';
    const error = this.#errorText(t);
    const busy = this.busy;
    const described = error ? 'error' : nothing;
    return html`<form class="base" part="base" novalidate aria-labelledby="title" @submit=${this.#onSubmit}>
      <h3 id="title" class="title">${t.title}</h3>
      ${code
        ? html`<p class="lead" role="status">${t.codeSent.replace('{email}', this.email)}</p>
          <label for="code">${t.codeLabel}</label>
          <input id="code" class="input" part="code-input" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
            pattern="[0-9]*" maxlength="6" aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} ?disabled=${busy} />`
        : html`${this.expired ? html`<p class="lead notice" part="notice" role="status">${t.expired}</p>` : html`<p class="lead">${t.intro}</p>`}
          <label for="email">${t.emailLabel}</label>
          <input id="email" class="input" part="email-input" name="email" type="email" autocomplete="email" maxlength="254"
            .value=${this.email} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} ?disabled=${busy} />`}
      ${error ? html`<p id="error" class="error" part="error" role="alert">${error}</p>` : nothing}
      <button class="primary" part="submit-button" type="submit" ?disabled=${busy}>${busy ? t.busy : code ? t.verify : t.sendCode}</button>
      <div class="actions">
        ${code ? html`<button class="quiet" part="resend-button" type="button" ?disabled=${busy} @click=${this.#onResend}>${t.resend}</button>
          <button class="quiet" part="other-email-button" type="button" ?disabled=${busy} @click=${this.#onOtherEmail}>${t.otherEmail}</button>` : nothing}
        <button class="quiet" part="cancel-button" type="button" @click=${this.#onCancel}>${t.cancel}</button>
      </div>
    </form>`;
  }

  #errorText(t: EmailSignInStrings): string {
    switch (this.error) {
      case 'invalid-email': return t.invalidEmail;
      case 'missing-code': return t.missingCode;
      case 'wrong-code': return t.wrongCode;
      case 'rate-limited': return t.rateLimited.replace('{seconds}', String(Math.max(1, Math.ceil(this.retryAfter))));
      case 'failed': return t.failed;
      default: return '';
    }
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.busy) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>('input');
    const value = input?.value.trim() ?? '';
    if (this.step === 'email') {
      if (!EMAIL.test(value) || value.length > 254) {
        this.error = 'invalid-email';
        return;
      }
      this.email = value;
      this.error = null;
      this.emit(new ParleyEmailCodeRequestEvent({ email: value }));
      return;
    }
    const code = value.replace(/\s+/g, '');
    if (!CODE.test(code)) {
      this.error = 'missing-code';
      return;
    }
    this.error = null;
    this.emit(new ParleyEmailCodeVerifyEvent({ email: this.email, code }));
  }

  #onResend(): void {
    if (this.busy || !this.email) return;
    this.error = null;
    this.emit(new ParleyEmailCodeRequestEvent({ email: this.email }));
  }

  #onOtherEmail(): void {
    this.error = null;
    this.step = 'email';
  }

  #onCancel(): void {
    this.emit(new ParleyEmailCancelEvent());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-email-sign-in': ParleyEmailSignIn;
  }
}

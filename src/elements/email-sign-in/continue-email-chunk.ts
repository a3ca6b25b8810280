/**
 * What the launcher loads for "continue by email" (issue 15, item 3): the form, what its steps do
 * (src/session/email-sign-in.ts) and the reply email's link (src/session/parley-link.ts). A chunk of
 * its own, loaded when the visitor asks for the form or the page was opened from such a link, so
 * the first open does not carry it (continue-email-slot.ts is all the first open has).
 *
 * A link's token signs in before the session starts anything (so realtime, the list and the outbox
 * are the email user's from the start); once started, the panel shows the link's conversation, or,
 * when nobody here may read it (the token was used or expired), the form with a notice. A code that
 * signs in starts the session again, so every per-user part of the launcher follows the new user.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Session } from '../../session/index.ts';
import { requestEmailCode, verifyEmailCode, verifyLinkToken, type EmailSignInResult } from '../../session/email-sign-in.ts';
import { takeParleyLink } from '../../session/parley-link.ts';
import type { ContinueEmailHost, ContinueEmailSlotOptions } from '../launcher/continue-email-slot.ts';
import {
  ParleyEmailSignIn, type EmailSignInError, type EmailSignInStep, type ParleyEmailCodeRequestEvent, type ParleyEmailCodeVerifyEvent,
} from './email-sign-in.ts';

export class ContinueEmailForm {
  readonly #host: ContinueEmailHost;
  readonly #options: ContinueEmailSlotOptions;
  #showing = false;
  /** Opened from a link that did not sign in: the form says so. */
  #expired = false;
  /** The page's link, until the started session shows it. */
  #linkedConversation: string | null = null;
  #step: EmailSignInStep = 'email';
  #email = '';
  #busy = false;
  #error: EmailSignInError | null = null;
  #retryAfter = 0;

  constructor(host: ContinueEmailHost, options: ContinueEmailSlotOptions) {
    // Here rather than at the top: the bundler treats the sources as free of side effects.
    ParleyEmailSignIn.define('parley-email-sign-in');
    this.#host = host;
    this.#options = options;
  }

  get showing(): boolean {
    return this.#showing;
  }

  /**
   * Takes the page's link (once) and, with a token, signs the session's own client in as the email's
   * user, taking this device's anonymous conversations along. A token that fails changes nothing.
   */
  async adoptLink(session: Session): Promise<void> {
    const link = takeParleyLink();
    if (!link) return;
    this.#linkedConversation = link.conversationId;
    if (link.token && session.ownsClient) await verifyLinkToken(session, link.token);
  }

  /** On each update of a started session: the linked conversation, once. */
  follow(session: Session): void {
    const id = this.#linkedConversation;
    if (id === null) return;
    this.#linkedConversation = null;
    if (session.state.$conversations.get()[id]) this.#options.openConversation(id);
    else this.show(true);
  }

  /** Shows the form on the home screen; `expired`: after a link that could not sign in. */
  show(expired: boolean): void {
    this.#showing = true;
    this.#expired = expired;
    this.#options.home();
    this.#host.requestUpdate();
    void this.#host.updateComplete.then(() => this.#host.renderRoot.querySelector('parley-email-sign-in')?.focus());
  }

  render(): TemplateResult | typeof nothing {
    if (!this.#showing) return nothing;
    const theme = this.#options.theme();
    return html`<parley-email-sign-in
      .step=${this.#step} .email=${this.#email} .busy=${this.#busy} .error=${this.#error} .retryAfter=${this.#retryAfter}
      ?expired=${this.#expired} theme=${theme ?? nothing}
      @parley-email-code-request=${(event: ParleyEmailCodeRequestEvent) => void this.#request(event.detail.email)}
      @parley-email-code-verify=${(event: ParleyEmailCodeVerifyEvent) => void this.#verify(event.detail.email, event.detail.code)}
      @parley-email-cancel=${() => this.#close()}
    ></parley-email-sign-in>`;
  }

  #close(): void {
    this.#showing = false;
    this.#step = 'email';
    this.#busy = false;
    this.#error = null;
    this.#host.requestUpdate();
  }

  async #request(email: string): Promise<void> {
    const session = this.#options.session();
    if (!session || this.#busy) return;
    this.#email = email;
    this.#run(await this.#during(requestEmailCode(session, email)), () => {
      this.#step = 'code';
      this.#expired = false;
    });
  }

  async #verify(email: string, code: string): Promise<void> {
    const session = this.#options.session();
    if (!session || this.#busy) return;
    this.#run(await this.#during(verifyEmailCode(session, email, code)), () => {
      this.#close();
      // Signed in as the email user: the session starts again, its list and realtime that user's.
      this.#options.home();
      this.#options.restart();
    });
  }

  #during(work: Promise<EmailSignInResult>): Promise<EmailSignInResult> {
    this.#busy = true;
    this.#error = null;
    this.#host.requestUpdate();
    return work;
  }

  #run(result: EmailSignInResult, done: () => void): void {
    this.#busy = false;
    if (result.ok) done();
    else {
      this.#error = result.kind;
      this.#retryAfter = result.kind === 'rate-limited' ? result.seconds : 0;
    }
    this.#host.requestUpdate();
  }
}

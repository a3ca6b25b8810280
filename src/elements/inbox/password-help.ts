/**
 * "Forgot password?" for the console's sign-in, the Supabase way: `resetPasswordForEmail` mails a
 * recovery link back to this page; opened, the agent is signed in from the link (recovery-link.ts,
 * or a host client's PASSWORD_RECOVERY) and the console asks for a new password (`updateUser`). The
 * controller keeps the steps; the console places its two templates (under the sign-in form, and
 * atop the console once signed in from the link). Not offered with a host's own sign-in.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { toParleyError } from '../../data/errors.ts';
import type { InboxStrings } from '../../i18n/strings.ts';
import type { Session } from '../../session/index.ts';
import { hostSignIn } from '../../session/agent-sign-in.ts';
import { signedInForRecovery } from '../../session/recovery-link.ts';

type Step = 'idle' | 'asking' | 'sending' | 'sent' | 'choosing' | 'saving' | 'saved';


export class PasswordHelpController implements ReactiveController {
  #step: Step = 'idle';
  #recoverySeen = false;
  #error = '';
  #email = '';
  #watching: Session | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(private readonly host: ReactiveControllerHost, private readonly session: () => Session | undefined) {
    host.addController(this);
  }

  hostUpdated(): void {
    // The console's own client takes the link in recovery-link.ts; a host's client emits PASSWORD_RECOVERY.
    if (!this.#recoverySeen && signedInForRecovery()) {
      this.#recoverySeen = true;
      this.#go('choosing');
    }
    const session = this.session();
    if (!session || session === this.#watching || hostSignIn(session)) return;
    this.#unsubscribe?.();
    this.#watching = session;
    const { data } = session.client.auth.onAuthStateChange((event) => {
      if (event === 'PASSWORD_RECOVERY') this.#go('choosing');
    });
    this.#unsubscribe = () => data.subscription.unsubscribe();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#watching = undefined;
  }

  /** Under the sign-in form: the link, the email form, or "check your inbox". */
  signInHelp(t: InboxStrings): TemplateResult | typeof nothing {
    this.#strings = t;
    const session = this.session();
    if (!session || hostSignIn(session)) return nothing;
    const step = this.#step;
    if (step === 'sent') {
      return html`<div class="password-help" part="password-help">
        <p role="status">${t.resetSent.replace('{email}', this.#email)}</p>
        <button type="button" class="link-button" @click=${() => this.#go('idle')}>${t.backToSignIn}</button></div>`;
    }
    if (step !== 'asking' && step !== 'sending') {
      return html`<div class="password-help" part="password-help">
        <button type="button" class="link-button" part="forgot-password" @click=${() => this.#go('asking')}>${t.forgotPassword}</button></div>`;
    }
    const busy = step === 'sending';
    return html`<form class="sign-in password-help" part="password-help" aria-labelledby="reset-title" novalidate
      @submit=${(event: SubmitEvent) => this.#onRequest(event)}>
      <h3 id="reset-title" class="sign-in-title">${t.resetTitle}</h3>
      <label for="reset-email">${t.email}</label>
      <input id="reset-email" name="email" type="email" autocomplete="username" required ?disabled=${busy}
        aria-describedby="reset-error" aria-invalid=${this.#error ? 'true' : 'false'} />
      <p id="reset-error" class="error" role="alert">${this.#error}</p>
      <button type="submit" class="button primary" ?disabled=${busy}>${busy ? t.resetSending : t.resetSend}</button>
      <button type="button" class="button" ?disabled=${busy} @click=${() => this.#go('idle')}>${t.cancel}</button>
    </form>`;
  }

  /** Atop the console once the agent arrived from a recovery link: the new-password form, then a confirmation. */
  recovery(t: InboxStrings): TemplateResult | typeof nothing {
    this.#strings = t;
    const step = this.#step;
    if (step === 'saved') {
      return html`<div class="password-recovery" part="password-recovery">
        <p role="status">${t.passwordSaved}</p>
        <button type="button" class="button" @click=${() => this.#go('idle')}>${t.dismiss}</button></div>`;
    }
    if (step !== 'choosing' && step !== 'saving') return nothing;
    const busy = step === 'saving';
    return html`<form class="password-recovery" part="password-recovery" aria-labelledby="new-password-title" novalidate
      @submit=${(event: SubmitEvent) => this.#onChoose(event)}>
      <h3 id="new-password-title">${t.newPasswordTitle}</h3>
      <label for="new-password">${t.newPassword}</label>
      <input id="new-password" name="password" type="password" autocomplete="new-password" required ?disabled=${busy}
        aria-describedby="new-password-error" aria-invalid=${this.#error ? 'true' : 'false'} />
      <p id="new-password-error" class="error" role="alert">${this.#error}</p>
      <button type="submit" class="button primary" ?disabled=${busy}>${busy ? t.savingPassword : t.savePassword}</button>
      <button type="button" class="button" ?disabled=${busy} @click=${() => this.#go('idle')}>${t.cancel}</button>
    </form>`;
  }

  #go(step: Step, error = ''): void {
    this.#step = step;
    this.#error = error;
    this.host.requestUpdate();
  }

  #onRequest(event: SubmitEvent): void {
    event.preventDefault();
    const session = this.session();
    const email = ((event.currentTarget as HTMLFormElement).elements.namedItem('email') as HTMLInputElement).value.trim();
    if (!session || email === '') return this.#go('asking', email === '' ? this.#text('missingEmail') : '');
    this.#email = email;
    this.#go('sending');
    // Back to this very page, without a fragment of its own: the link adds the session's.
    const redirectTo = location.href.split('#', 1)[0] ?? location.href;
    session.client.auth.resetPasswordForEmail(email, { redirectTo }).then(({ error }) => {
      if (error) this.#go('asking', toParleyError(error).message);
      else this.#go('sent');
    }, (error: unknown) => this.#go('asking', toParleyError(error).message));
  }

  #onChoose(event: SubmitEvent): void {
    event.preventDefault();
    const session = this.session();
    const password = ((event.currentTarget as HTMLFormElement).elements.namedItem('password') as HTMLInputElement).value;
    if (!session || password === '') return this.#go('choosing', password === '' ? this.#text('missingPassword') : '');
    this.#go('saving');
    session.client.auth.updateUser({ password }).then(({ error }) => {
      if (error) this.#go('choosing', toParleyError(error).message);
      else this.#go('saved');
    }, (error: unknown) => this.#go('choosing', toParleyError(error).message));
  }

  /** The strings of the last render, for messages set outside one. */
  #strings: InboxStrings | undefined;
  #text(key: 'missingEmail' | 'missingPassword'): string {
    return this.#strings?.[key] ?? '';
  }
}

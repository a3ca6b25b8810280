/**
 * Away mode's email ask (issue 15, item 2). After the visitor's first message while the team is away,
 * a visitor whose account has no email (neither `email` nor a pending `new_email`) is asked for one
 * in the thread. Given, it goes to Supabase Auth as `updateUser({ email })`, which either applies it
 * or mails a confirmation link (`new_email` pending) back to this page; the thread then says where
 * the reply will go. Skipped, it is not asked again for that conversation. Each conversation's answer
 * is kept in localStorage per project, so a reload neither asks again nor forgets. Loaded on demand
 * (away-email-slot.ts), with its runtime from lazy-kit.ts.
 */
import type { ReactiveControllerHost, TemplateResult, nothing } from 'lit';
import type { User } from '@supabase/supabase-js';
import type { LauncherStrings } from '../../i18n/strings.ts';
import type { AwayEmailOptions } from './away-email-slot.ts';
import type { LazyKit } from './lazy-kit.ts';

/** Per conversation: asking, skipped, or the address given (`pending` until confirmed). */
type Answer = 'ask' | 'skip' | { readonly email: string; readonly pending: boolean };

/** Conversations remembered; older answers are dropped (their conversations are long over). */
const KEPT = 20;

/** Whether the account has, or is confirming, an email. */
export function hasEmail(user: Pick<User, 'email' | 'new_email'> | null | undefined): boolean {
  return Boolean(user?.email || user?.new_email);
}

export class AwayEmail {
  readonly #host: ReactiveControllerHost;
  readonly #options: AwayEmailOptions & { readonly key: string };
  readonly #kit: LazyKit;
  #answers: Record<string, Answer> | null = null;
  /** The visitor sent while away; the ask waits for the conversation's id. */
  #sentAway = false;
  #error = '';
  #busy = false;

  constructor(host: ReactiveControllerHost, options: AwayEmailOptions & { readonly key: string }, kit: LazyKit) {
    this.#host = host;
    this.#options = options;
    this.#kit = kit;
  }

  /** The visitor sent a message while the team is away. */
  sentAway(): void {
    this.#sentAway = true;
  }

  /** Called with the current conversation on each update: asks once its first away message is in. */
  follow(conversationId: string | null): void {
    if (!this.#sentAway || conversationId === null) return;
    this.#sentAway = false;
    if (this.#read()[conversationId] !== undefined) return;
    let known: Promise<boolean>;
    try {
      known = this.#options.session()?.client.auth.getSession().then(({ data }) => hasEmail(data.session?.user)) ?? Promise.resolve(true);
    } catch {
      // A host's own auth (supabase-js `accessToken`): the host knows the visitor, and Supabase Auth has no user to give an email to.
      return;
    }
    void known.then((has) => {
      if (!has && this.#read()[conversationId] === undefined) this.#write(conversationId, 'ask');
    });
  }

  render(t: LauncherStrings, conversationId: string | null, language: string): TemplateResult | typeof nothing {
    const { html, formatString } = this.#kit;
    const none: typeof nothing = this.#kit.nothing;
    const answer = conversationId ? this.#read()[conversationId] : undefined;
    if (!conversationId || answer === undefined || answer === 'skip') return none;
    if (answer !== 'ask') {
      return html`<p class="hint email-given" part="email-given" role="status">${formatString(answer.pending ? t.emailPending : t.emailSaved, { email: answer.email }, language)}</p>`;
    }
    const error = this.#error;
    return html`<form class="pre-chat email-ask" part="email-ask" novalidate @submit=${(e: SubmitEvent) => this.#submit(e, t, conversationId)}>
      <p class="pre-chat-title" id="email-ask-title">${t.emailAsk}</p>
      <div class="field">
        <label for="email-ask-input">${t.emailLabel}</label>
        <input id="email-ask-input" class="input" part="email-ask-input" name="email" type="email" autocomplete="email" maxlength="254"
          aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'email-ask-error' : none} ?disabled=${this.#busy} />
        ${error ? html`<p id="email-ask-error" class="error" part="email-ask-error" role="alert">${error}</p>` : none}
      </div>
      <div class="email-actions">
        <button class="start-new" type="submit" ?disabled=${this.#busy}>${t.emailSend}</button>
        <button class="skip" part="email-skip" type="button" ?disabled=${this.#busy} @click=${() => this.#write(conversationId, 'skip')}>${t.emailSkip}</button>
      </div>
    </form>`;
  }

  async #submit(event: SubmitEvent, t: LauncherStrings, conversationId: string): Promise<void> {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('email');
    const value = input instanceof HTMLInputElement ? input.value.trim() : '';
    let email: string | null = null;
    try {
      email = this.#kit.optionalEmail(value);
    } catch {
      // Reported below, as an empty one is.
    }
    const session = this.#options.session();
    if (!email || !session) {
      this.#fail(email ? t.emailFailed : t.emailInvalid);
      return;
    }
    this.#busy = true;
    this.#error = '';
    this.#host.requestUpdate();
    // Confirmation links come back to this page, where the widget opens on the same conversation.
    const { data, error } = await session.client.auth.updateUser({ email }, { emailRedirectTo: location.href });
    this.#busy = false;
    if (error || !data.user) {
      this.#fail(error?.status === 429 ? t.rateLimited : error?.code === 'validation_failed' || error?.code === 'email_address_invalid' ? t.emailInvalid : t.emailFailed);
      return;
    }
    // Applied at once (a stack without confirmations) or waiting for the link (`new_email`).
    this.#write(conversationId, { email, pending: data.user.email?.toLowerCase() !== email.toLowerCase() });
  }

  #fail(message: string): void {
    this.#error = message;
    this.#host.requestUpdate();
  }

  #read(): Record<string, Answer> {
    if (this.#answers) return this.#answers;
    let stored: unknown = null;
    try {
      stored = JSON.parse(this.#kit.safeLocalStorage()?.getItem(this.#options.key) ?? 'null');
    } catch {
      // Unreadable: as if nothing was asked yet.
    }
    const answers: Record<string, Answer> = {};
    if (typeof stored === 'object' && stored !== null) {
      for (const [id, value] of Object.entries(stored as Record<string, unknown>)) {
        if (value === 'ask' || value === 'skip') answers[id] = value;
        else if (typeof value === 'object' && value !== null && 'email' in value && typeof value.email === 'string') {
          answers[id] = { email: value.email, pending: 'pending' in value && value.pending === true };
        }
      }
    }
    this.#answers = answers;
    return answers;
  }

  #write(conversationId: string, answer: Answer): void {
    // The newest last, so the oldest are the ones dropped past KEPT.
    const entries = [...Object.entries(this.#read()).filter(([id]) => id !== conversationId), [conversationId, answer] as const];
    const answers: Record<string, Answer> = Object.fromEntries(entries.slice(-KEPT));
    this.#answers = answers;
    this.#error = '';
    try {
      this.#kit.safeLocalStorage()?.setItem(this.#options.key, JSON.stringify(answers));
    } catch {
      // Storage refused: remembered for this page only.
    }
    this.#host.requestUpdate();
  }
}

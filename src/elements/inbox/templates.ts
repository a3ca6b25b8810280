/**
 * Parts of the console's template that need nothing from the element but what they are given: the
 * sign-in form and the open conversation's controls. The element owns the state and the handlers.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';
import { CONVERSATION_STATUSES } from '../../data/types.ts';
import type { Agent, ConversationStatus, ConversationSummary } from '../../data/types.ts';
import type { InboxState } from '../../state/index.ts';

/** The words of each status in the console's strings. */
export const STATUS_KEYS: Record<ConversationStatus, keyof InboxStrings> = {
  open: 'statusOpen',
  pending: 'statusPending',
  resolved: 'statusResolved',
  closed: 'statusClosed',
};

/**
 * The sign-in form: busy while signing in, with the reason the last try failed tied to its fields.
 * `onSubmit` gets the email (trimmed) and the password as typed.
 */
export function signInForm(
  t: InboxStrings,
  form: { readonly busy: boolean; readonly error: string; readonly onSubmit: (email: string, password: string) => unknown },
  help: unknown = nothing,
): TemplateResult {
  const { busy } = form;
  const invalid = form.error ? 'true' : 'false';
  const onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const fields = (event.currentTarget as HTMLFormElement).elements;
    form.onSubmit((fields.namedItem('email') as HTMLInputElement).value.trim(), (fields.namedItem('password') as HTMLInputElement).value);
  };
  return html`
    <div class="base notice" part="base">
      <form class="sign-in" part="sign-in" aria-labelledby="sign-in-title" novalidate @submit=${onSubmit}>
        <h2 id="sign-in-title" class="sign-in-title">${t.signInTitle}</h2>
        <label for="email">${t.email}</label>
        <input id="email" name="email" type="email" autocomplete="username" required
          aria-invalid=${invalid} aria-describedby="sign-in-error" ?disabled=${busy} />
        <label for="password">${t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required
          aria-invalid=${invalid} aria-describedby="sign-in-error" ?disabled=${busy} />
        <p id="sign-in-error" class="error" part="error" role="alert">${form.error}</p>
        <button type="submit" class="button primary" part="sign-in-button" ?disabled=${busy}>
          ${busy ? t.signingIn : t.signIn}
        </button>
      </form>
      ${help}
    </div>
  `;
}

export interface ControlsOptions {
  readonly t: InboxStrings;
  readonly language: string | undefined;
  readonly row: ConversationSummary;
  /** The console's stores: the team, and the commands the controls run. */
  readonly inbox: InboxState;
  /** The signed-in agent. */
  readonly me: Agent | null;
  /** A command is in flight: the controls wait for it. */
  readonly busy: boolean;
}

/** Status, assignee, "assign to me" and the chatbot switch of the open conversation. */
export function conversationControls(o: ControlsOptions): TemplateResult {
  const { t, row, me, busy, inbox } = o;
  const onStatus = (event: Event): void => {
    const value = (event.currentTarget as HTMLSelectElement).value as ConversationStatus;
    if (CONVERSATION_STATUSES.includes(value)) void inbox.setStatus(row.id, value);
  };
  const onAssignee = (event: Event): void => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    void inbox.assign(row.id, value === '' ? null : value);
  };
  const onChatbot = (event: Event): void => {
    const input = event.currentTarget as HTMLInputElement;
    const enabled = input.checked;
    // The switch shows the stored value until the server agrees.
    input.checked = !enabled;
    void inbox.setChatbotEnabled(row.id, enabled);
  };
  return html`
    <div class="controls" part="controls" aria-busy=${busy ? 'true' : 'false'}>
      <label class="control">
        <span>${t.status}</span>
        <select class="status" part="status-select" ?disabled=${busy} @change=${onStatus}>
          ${CONVERSATION_STATUSES.map((s) => html`<option value=${s} ?selected=${row.status === s}>${t[STATUS_KEYS[s]]}</option>`)}
        </select>
      </label>
      <label class="control">
        <span>${t.assignee}</span>
        <select class="assignee" part="assignee-select" ?disabled=${busy} @change=${onAssignee}>
          <option value="" ?selected=${row.assigned_agent_id === null}>${t.unassigned}</option>
          ${inbox.$agents.get().filter((a) => a.active !== false || a.user_id === row.assigned_agent_id).map((a) => html`
            <option value=${a.user_id} ?selected=${row.assigned_agent_id === a.user_id}>
              ${a.user_id === me?.user_id ? formatString(t.me, { name: a.display_name }, o.language) : a.display_name}
            </option>`)}
        </select>
      </label>
      ${me && row.assigned_agent_id !== me.user_id
        ? html`<button type="button" class="button" part="assign-me-button" ?disabled=${busy} @click=${() => inbox.assign(row.id, me.user_id)}>${t.assignToMe}</button>`
        : nothing}
      <label class="control switch" part="chatbot-switch">
        <input type="checkbox" role="switch" .checked=${row.chatbot_enabled} aria-checked=${row.chatbot_enabled ? 'true' : 'false'} ?disabled=${busy} @change=${onChatbot} />
        <span>${t.chatbot}</span>
      </label>
    </div>
  `;
}

/** The console could not start: why, and a way to try again. */
export function unavailableNotice(t: InboxStrings, onRetry: () => void): TemplateResult {
  return html`
    <div class="base notice" part="base">
      <p role="alert" class="error" part="error">${t.unavailable}</p>
      <button type="button" class="button" @click=${onRetry}>${t.retry}</button>
    </div>
  `;
}

export interface SignOutConfirmationOptions {
  readonly t: InboxStrings;
  readonly language: string;
  /** Replies not on the server yet. */
  readonly unsent: number;
  /** Whether they are kept for the next sign-in (false: this page keeps them in memory only). */
  readonly kept: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}

/**
 * Asked before signing out with unsent replies: a non-modal alert dialog inside the console (the
 * page's own `confirm()` would block every tab's script and cannot be styled or translated). Escape cancels.
 */
export function signOutConfirmation(o: SignOutConfirmationOptions): TemplateResult {
  const { t } = o;
  const template = o.kept ? (o.unsent === 1 ? t.unsentOne : t.unsentOther) : (o.unsent === 1 ? t.unsentLostOne : t.unsentLostOther);
  const onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    o.onCancel();
  };
  return html`
    <div class="confirm" part="sign-out-confirm" role="alertdialog" aria-labelledby="sign-out-title"
      aria-describedby="sign-out-text" @keydown=${onKeydown}>
      <h3 id="sign-out-title" class="confirm-title">${t.signOutTitle}</h3>
      <p id="sign-out-text">${formatString(template, { count: o.unsent }, o.language)}</p>
      <div class="confirm-actions">
        <button type="button" class="button primary" part="confirm-sign-out-button" @click=${o.onConfirm}>${t.confirmSignOut}</button>
        <button type="button" class="button cancel" part="cancel-sign-out-button" @click=${o.onCancel}>${t.cancel}</button>
      </div>
    </div>
  `;
}

/**
 * What the launcher says about the current conversation's status in place of, or above, the
 * composer (README "The visitor's conversations"): a closed conversation takes no more messages, so
 * the composer gives way to a notice and a button that starts a new one; a resolved one keeps the
 * composer (a reply reopens it) with a hint.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationStatus } from '../../data/types.ts';
import type { LauncherStrings } from '../../i18n/strings.ts';

/** The notice replacing the composer once the conversation is closed. */
export function closedNotice(t: LauncherStrings, onStartNew: () => void): TemplateResult {
  return html`<div class="closed" part="closed-notice">
    <p class="closed-text">${t.closed}</p>
    <button class="start-new" part="start-new-button" type="button" @click=${onStartNew}>${t.startNew}</button>
  </div>`;
}

/** The hint above the composer while the conversation is resolved. */
export function statusHint(t: LauncherStrings, status: ConversationStatus | undefined): TemplateResult | typeof nothing {
  return status === 'resolved' ? html`<p class="hint" part="status-hint">${t.resolved}</p>` : nothing;
}

/** Above the composer when the chat could not start for too many attempts from this network. */
export function rateLimitNotice(t: LauncherStrings): TemplateResult {
  return html`<p class="hint start-notice" part="start-notice" role="alert">${t.rateLimited}</p>`;
}

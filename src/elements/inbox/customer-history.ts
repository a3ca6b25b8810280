/**
 * The open conversation's customer's other conversations (#2): a disclosure under the customer's
 * name in the conversation header, listing each with its date, status and preview as a button that
 * opens it in the console. Nothing shows for a customer with a single conversation.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { dateTimeFormat } from '../../i18n/date-format.ts';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';
import type { ConversationSummary } from '../../data/types.ts';
import type { CustomerHistory } from '../../state/index.ts';
import { STATUS_KEYS } from './templates.ts';

export interface CustomerHistoryOptions {
  readonly t: InboxStrings;
  readonly language: string;
  /** The customer as the header names them. */
  readonly customer: string;
  readonly history: CustomerHistory;
  /** Opens a conversation in the console, as selecting it in the list does. */
  readonly onOpen: (id: string) => void;
}

/** "6 Dec 2026" in `lang` (an invalid lang attribute on the host page falls back to the browser's). */
function formatDate(iso: string, lang: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return dateTimeFormat(lang, { dateStyle: 'medium' }).format(date);
}

function item(o: CustomerHistoryOptions, row: ConversationSummary): TemplateResult {
  const { t } = o;
  return html`<li>
    <button type="button" class="history-item" part="history-item" data-id=${row.id} @click=${() => o.onOpen(row.id)}>
      <time class="history-date" datetime=${row.last_message_at}>${formatDate(row.last_message_at, o.language)}</time>
      <span class="history-status" data-status=${row.status}>${t[STATUS_KEYS[row.status]]}</span>
      <span class="history-preview">${row.last_message_preview?.trim() || row.subject?.trim() || t.noSubject}</span>
    </button>
  </li>`;
}

export function customerHistory(o: CustomerHistoryOptions): TemplateResult | typeof nothing {
  const { t, history } = o;
  const count = history.conversations.length;
  if (history.error) {
    return html`<p class="error history" part="error" role="alert">${formatString(t.otherConversationsFailed, { error: history.error }, o.language)}</p>`;
  }
  if (count === 0) return nothing;
  return html`<details class="history" part="history">
    <summary class="history-summary" part="history-summary">
      ${formatString(count === 1 ? t.otherConversationsOne : t.otherConversationsOther, { count }, o.language)}
    </summary>
    <ul class="history-list" aria-label=${formatString(t.otherConversationsLabel, { name: o.customer }, o.language)}>
      ${history.conversations.map((row) => item(o, row))}
    </ul>
  </details>`;
}

/**
 * One conversation of the list as a Lit template, behind `guard`: a row whose inputs are the same
 * as at the previous render is not re-run (issue 12: a message in one conversation updates that
 * row, not the whole list). Inputs are plain values, computed by the list for every row.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { formatString } from '../../i18n/strings.ts';
import type { ConversationListStrings } from '../../i18n/strings.ts';
import type { ConversationStatus, ConversationSummary } from '../../data/types.ts';
import { botIcon } from '../icons.ts';

export const STATUS_KEYS: Record<ConversationStatus, keyof ConversationListStrings> = {
  open: 'statusOpen',
  pending: 'statusPending',
  resolved: 'statusResolved',
  closed: 'statusClosed',
};

/** Everything one row shows, already resolved to text and flags. */
export interface ListItem {
  readonly conversation: ConversationSummary;
  readonly name: string;
  readonly assignee: string;
  readonly unread: number;
  readonly time: string;
  readonly selected: boolean;
  readonly active: boolean;
}

export function itemId(id: string): string {
  return `item-${id}`;
}

/**
 * The row of `item`. `onClick` must be the same function on every render (it reads the row's
 * `data-id`), or a guarded row would keep a stale listener.
 */
export function renderListItem(item: ListItem, t: ConversationListStrings, lang: string, onClick: (event: Event) => void): unknown {
  const { conversation: c, name, assignee, unread, time, selected, active } = item;
  return guard([c, name, assignee, unread, time, selected, active, t, lang, onClick], (): TemplateResult => {
    // Keys are handled by the listbox (aria-activedescendant): options take clicks only.
    // eslint-disable-next-line lit-a11y/click-events-have-key-events
    return html`<div
      id=${itemId(c.id)}
      class="item"
      part="item"
      role="option"
      aria-selected=${selected ? 'true' : 'false'}
      data-id=${c.id}
      ?data-active=${active}
      ?data-unread=${unread > 0}
      @click=${onClick}
    >
      <span class="name" dir="auto">${name}</span>
      <time class="time" datetime=${c.last_message_at}>${time}</time>
      <span class="subject" dir="auto">${c.subject?.trim() || t.noSubject}</span>
      <span class="preview" dir="auto">${c.last_message_preview ?? ''}</span>
      <span class="meta">
        <span class="badge status-badge" part="badge status-badge" data-status=${c.status}>${t[STATUS_KEYS[c.status]]}</span>
        ${c.chatbot_enabled ? html`<span class="badge bot-badge" part="badge bot-badge" title=${t.botOn}>
          ${botIcon}<span class="visually-hidden">${t.botOn}</span>
        </span>` : nothing}
        ${c.rating ? html`<span class="badge rating-badge" part="badge rating-badge" data-score=${c.rating.score}>
          <span aria-hidden="true">${formatString(t.ratingBadge, { score: c.rating.score, scale: c.rating.scale }, lang)}</span>
          <span class="visually-hidden">${formatString(t.rating, { score: c.rating.score, scale: c.rating.scale }, lang)}</span>
        </span>` : nothing}
        <span class="assignee">${assignee}</span>
        <span class="badge unread-badge" part="badge unread-badge" ?hidden=${unread === 0}>
          <span aria-hidden="true">${formatString('{count}', { count: unread }, lang)}</span>
          <span class="visually-hidden">${formatString(t.unread, { count: unread }, lang)}</span>
        </span>
      </span>
    </div>`;
  });
}

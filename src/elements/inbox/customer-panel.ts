/**
 * The side panel about the open conversation's customer (issue 13, item 3): name and email with
 * where each came from (verified by the site's token, unverified, or edited by the team) and a form
 * to correct them, first and last seen, the current page and the recent ones with the browser, OS,
 * language, time zone and screen, pre-chat answers, custom attributes and previous conversations.
 * Beside the thread on wide consoles; over it, behind a toggle, on narrow ones. The controller
 * (customer-panel-controller.ts) owns the state and handlers; this only lays it out.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { dateTimeFormat } from '../../i18n/date-format.ts';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';
import type { CustomerProfile, IdentitySource, Visit } from '../../data/customer-profile.ts';
import type { ConversationSummary } from '../../data/types.ts';
import type { CustomerHistory } from '../../state/index.ts';
import type { CustomerProfileView } from '../../state/customer-profile.ts';
import { STATUS_KEYS } from './templates.ts';

export interface CustomerPanelView {
  readonly t: InboxStrings;
  readonly language: string;
  readonly open: boolean;
  readonly editing: boolean;
  readonly profile: CustomerProfileView;
  readonly history: CustomerHistory;
}

export interface CustomerPanelHandlers {
  readonly onToggle: () => void;
  readonly onEdit: (editing: boolean) => void;
  readonly onSave: (values: { readonly name: string; readonly email: string }) => void;
  readonly onOpenOther: (id: string) => void;
}

const MEDIUM_DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

function formatTime(iso: string | null, lang: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return dateTimeFormat(lang, MEDIUM_DATE_TIME).format(date);
}

const time = (iso: string | null, lang: string): TemplateResult | typeof nothing =>
  iso ? html`<time datetime=${iso}>${formatTime(iso, lang)}</time>` : nothing;

/** Only http(s) addresses become links: a stored `javascript:` URL must never be clickable. */
function pageLink(url: string, label: string): TemplateResult {
  return /^https?:\/\//i.test(url)
    ? html`<a class="page-link" href=${url} target="_blank" rel="noopener noreferrer">${label}</a>`
    : html`<span class="page-link">${label}</span>`;
}

function sourceBadge(t: InboxStrings, source: IdentitySource | null): TemplateResult | typeof nothing {
  if (source === null) return nothing;
  const [label, kind] = source === 'token' ? [t.verified, 'verified'] : source === 'agent' ? [t.editedByTeam, 'agent'] : [t.unverified, 'unverified'];
  return html`<span class="badge" part="identity-badge" data-source=${kind}>${label}</span>`;
}

/** A list of plain values (attributes, pre-chat answers) as a description list; nothing when empty. */
function entries(title: string, id: string, values: Readonly<Record<string, unknown>>): TemplateResult | typeof nothing {
  const rows = Object.entries(values).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  if (rows.length === 0) return nothing;
  return html`<section class="panel-section" aria-labelledby=${id}>
    <h4 id=${id}>${title}</h4>
    <dl class="facts">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}</dl>
  </section>`;
}

function identity(v: CustomerPanelView, profile: CustomerProfile, on: CustomerPanelHandlers): TemplateResult {
  const { t } = v;
  if (v.editing) {
    const onSubmit = (event: SubmitEvent): void => {
      event.preventDefault();
      const form = event.currentTarget as HTMLFormElement;
      const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value;
      on.onSave({ name: value('customer-name'), email: value('customer-email') });
    };
    const onKeydown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      on.onEdit(false);
    };
    const error = v.profile.saveError ? formatString(t.saveCustomerFailed, { error: v.profile.saveError }, v.language) : '';
    return html`<form class="customer-form" part="customer-form" aria-label=${t.editCustomerLabel} novalidate
      @submit=${onSubmit} @keydown=${onKeydown}>
      <label for="customer-name">${t.customerName}</label>
      <input id="customer-name" name="customer-name" autocomplete="off" maxlength="120" .value=${profile.name ?? ''}
        ?disabled=${v.profile.saving} aria-describedby="customer-form-error" />
      <label for="customer-email">${t.customerEmail}</label>
      <input id="customer-email" name="customer-email" type="email" autocomplete="off" maxlength="254" .value=${profile.email ?? ''}
        ?disabled=${v.profile.saving} aria-describedby="customer-form-error" aria-invalid=${error ? 'true' : 'false'} />
      <p id="customer-form-error" class="error" part="error" role="alert">${error}</p>
      <div class="form-actions">
        <button type="submit" class="button primary" part="save-customer-button" ?disabled=${v.profile.saving}>
          ${v.profile.saving ? t.savingCustomer : t.saveCustomer}
        </button>
        <button type="button" class="button" ?disabled=${v.profile.saving} @click=${() => on.onEdit(false)}>${t.cancelEdit}</button>
      </div>
    </form>`;
  }
  const value = (text: string | null): TemplateResult => (text ? html`${text}` : html`<span class="muted">${t.notGiven}</span>`);
  return html`<dl class="facts identity-facts">
      <dt>${t.customerName}</dt><dd class="customer-name">${value(profile.name)} ${sourceBadge(t, profile.nameSource)}</dd>
      <dt>${t.customerEmail}</dt><dd class="customer-email">${value(profile.email)} ${sourceBadge(t, profile.emailSource)}</dd>
      <dt>${t.firstSeen}</dt><dd>${time(profile.createdAt, v.language)}</dd>
      ${profile.lastSeenAt ? html`<dt>${t.lastSeen}</dt><dd>${time(profile.lastSeenAt, v.language)}</dd>` : nothing}
    </dl>
    <button type="button" class="button" part="edit-customer-button" aria-label=${t.editCustomerLabel} @click=${() => on.onEdit(true)}>${t.editCustomer}</button>`;
}

function currentPage(t: InboxStrings, visit: Visit): TemplateResult {
  const facts: [string, string | null][] = [
    [t.referrer, visit.referrer], [t.browser, visit.browser], [t.os, visit.os], [t.language, visit.language],
    [t.timeZone, visit.timeZone], [t.screen, visit.screen],
  ];
  return html`<section class="panel-section" aria-labelledby="customer-current-page">
    <h4 id="customer-current-page">${t.currentPage}</h4>
    <p class="current-page">${pageLink(visit.url, visit.title ?? visit.url)}</p>
    <dl class="facts">${facts.filter(([, v]) => v).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
  </section>`;
}

function recentPages(v: CustomerPanelView, visits: readonly Visit[]): TemplateResult {
  const { t } = v;
  return html`<section class="panel-section" aria-labelledby="customer-recent-pages">
    <h4 id="customer-recent-pages">${t.recentPages}</h4>
    ${visits.length === 0
      ? html`<p class="muted">${t.noPages}</p>`
      : html`<ol class="pages" part="recent-pages">${visits.map((visit) => html`<li>
          ${pageLink(visit.url, visit.title ?? visit.url)}
          <span class="page-meta">${time(visit.createdAt, v.language)}</span>
        </li>`)}</ol>`}
  </section>`;
}

function previous(v: CustomerPanelView, on: CustomerPanelHandlers): TemplateResult {
  const { t } = v;
  const rows = v.history.conversations;
  const item = (row: ConversationSummary): TemplateResult => html`<li>
    <button type="button" class="previous-item" part="previous-conversation" data-id=${row.id} @click=${() => on.onOpenOther(row.id)}>
      <span class="previous-preview">${row.last_message_preview?.trim() || row.subject?.trim() || t.noSubject}</span>
      <span class="page-meta">${t[STATUS_KEYS[row.status]]} · ${formatTime(row.last_message_at, v.language)}</span>
    </button>
  </li>`;
  return html`<section class="panel-section" aria-labelledby="customer-previous">
    <h4 id="customer-previous">${t.previousConversations}</h4>
    ${rows.length === 0 ? html`<p class="muted">${t.noPreviousConversations}</p>` : html`<ul class="previous">${rows.map(item)}</ul>`}
  </section>`;
}

/** The toggle in the conversation header: shows or hides the panel. */
export function customerPanelToggle(t: InboxStrings, open: boolean, onToggle: () => void): TemplateResult {
  return html`<button type="button" class="button panel-toggle" part="customer-panel-toggle"
    aria-expanded=${open ? 'true' : 'false'} aria-controls="customer-panel" @click=${onToggle}>${t.customerDetails}</button>`;
}

export function customerPanel(v: CustomerPanelView, on: CustomerPanelHandlers): TemplateResult {
  const { t, profile: state } = v;
  const profile = state.profile;
  const body = profile
    ? html`
        <section class="panel-section" aria-label=${t.customerDetails}>${identity(v, profile, on)}</section>
        ${profile.visits[0] ? currentPage(t, profile.visits[0]) : nothing}
        ${recentPages(v, profile.visits)}
        ${entries(t.preChatAnswers, 'customer-pre-chat', profile.metadata)}
        ${entries(t.attributes, 'customer-attributes', profile.attributes)}
        ${previous(v, on)}`
    : state.error
      ? html`<p class="error" part="error" role="alert">${formatString(t.customerFailed, { error: state.error }, v.language)}</p>`
      : html`<p class="muted" role="status">${t.customerLoading}</p>`;
  return html`<aside id="customer-panel" class="customer-panel" part="customer-panel" aria-labelledby="customer-panel-title"
    ?hidden=${!v.open} aria-busy=${state.loading ? 'true' : 'false'}>
    <div class="panel-head">
      <h3 id="customer-panel-title">${t.customerDetails}</h3>
      <button type="button" class="button close-panel" part="close-customer-panel" aria-label=${t.closeCustomerDetails}
        @click=${on.onToggle}><span aria-hidden="true">×</span></button>
    </div>
    ${body}
  </aside>`;
}

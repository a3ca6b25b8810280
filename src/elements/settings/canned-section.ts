/**
 * The Canned replies section: search, the list with edit and delete, and the form for a new or
 * edited reply, with the table's limits (src/data/settings-rules.ts). Delete asks once inline.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatString } from '../../i18n/strings.ts';
import { SETTINGS_LIMITS } from '../../data/settings-rules.ts';
import { fieldId, formFooter, textField } from './fields.ts';
import type { SectionContext } from './section-context.ts';

export function cannedSection(ctx: SectionContext, confirming: string | null, confirm: (id: string | null) => void): TemplateResult {
  const { store, t } = ctx;
  const replies = store.$canned.get();
  const query = store.$cannedQuery.get();
  const open = store.$cannedOpen.get();
  const busy = store.$busy.get();
  const rowErrors = store.$rowErrors.get();
  const { values, errors, status, message } = store.canned.$state.get();
  const form = open
    ? html`<form class="form card" part="canned-form" novalidate @submit=${ctx.submit(() => store.saveCanned())}>
        <h3>${values.id === null ? t.newReply : t.editReply}</h3>
        ${textField({ field: 'shortcut', label: t.shortcut, value: values.shortcut, error: errors.shortcut, hint: t.shortcutHint,
          required: true, spellcheck: false, onInput: (v) => store.canned.edit({ shortcut: v }), onBlur: (f) => store.canned.blur(f) })}
        ${textField({ field: 'title', label: t.replyTitle, value: values.title, error: errors.title, required: true,
          onInput: (v) => store.canned.edit({ title: v }), onBlur: (f) => store.canned.blur(f) })}
        ${textField({ field: 'body', label: t.body, value: values.body, error: errors.body, multiline: true, required: true,
          hint: `≤ ${SETTINGS_LIMITS.body}`, onInput: (v) => store.canned.edit({ body: v }), onBlur: (f) => store.canned.blur(f) })}
        ${formFooter({ saving: store.canned.saving, status, message, label: t.save, savingLabel: t.saving, savedLabel: t.saved,
          refusedLabel: t.refused, part: 'canned-save-button',
          extra: html`<button type="button" class="quiet" @click=${() => store.closeCanned()}>${t.cancel}</button>` })}
      </form>`
    : nothing;
  return html`<div class="toolbar">
      <label for=${fieldId('canned-search')} class="visually-hidden">${t.search}</label>
      <input
        id=${fieldId('canned-search')}
        type="search"
        part="canned-search"
        placeholder=${t.search}
        .value=${query}
        @input=${(e: Event) => void store.searchCanned((e.target as HTMLInputElement).value)}
      />
      <button type="button" class="primary" part="new-reply-button" @click=${() => store.openCanned(null)}>${t.newReply}</button>
    </div>
    ${rowErrors.search ? html`<p class="field-error" role="alert">${rowErrors.search}</p>` : nothing}
    ${form}
    ${replies.length === 0 ? html`<p class="muted">${query.trim() ? t.cannedNoMatch : t.cannedNone}</p>` : nothing}
    <ul class="rows" part="canned-list">
      ${replies.map((reply) => html`<li class="row canned" part="canned-reply" data-id=${reply.id}>
        <div class="row-main">
          <span class="name"><code>/${reply.shortcut}</code> ${reply.title}</span>
          <span class="muted small clamp">${reply.body}</span>
        </div>
        <div class="row-actions">
          ${confirming === reply.id
            ? html`<button
                  type="button"
                  class="danger"
                  part="confirm-delete-button"
                  ?disabled=${busy.has(reply.id)}
                  @click=${() => { confirm(null); void store.deleteCanned(reply.id); }}
                >${formatString(t.deleteLabel, { shortcut: reply.shortcut })}</button>
                <button type="button" class="quiet" @click=${() => confirm(null)}>${t.cancel}</button>`
            : html`<button
                  type="button"
                  class="quiet"
                  part="edit-button"
                  aria-label=${formatString(t.editLabel, { shortcut: reply.shortcut })}
                  @click=${() => store.openCanned(reply)}
                >${t.edit}</button>
                <button
                  type="button"
                  class="quiet"
                  part="delete-button"
                  aria-label=${formatString(t.deleteLabel, { shortcut: reply.shortcut })}
                  @click=${() => confirm(reply.id)}
                >${t.delete}</button>`}
        </div>
        ${rowErrors[reply.id] ? html`<p class="field-error" role="alert">${rowErrors[reply.id]}</p>` : nothing}
      </li>`)}
    </ul>`;
}

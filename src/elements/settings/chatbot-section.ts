/**
 * The Chatbot section (issue 17): when new conversations start with the bot, which bot answers (the
 * built-in one over the knowledge base, or the team's own behind a webhook) and its name; the
 * webhook's credentials, shown once per rotation; and the knowledge base the built-in bot answers
 * from. Delete asks once inline, as canned replies do.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { formatString } from '../../i18n/strings.ts';
import { CHATBOT_KINDS, CHATBOT_LIMITS, CHATBOT_STARTS, type ChatbotKind, type ChatbotStart } from '../../data/chatbot-rules.ts';
import { fieldId, formFooter, loadingView, selectField, textField } from './fields.ts';
import type { ChatbotStore } from './chatbot-store.ts';
import type { SectionContext } from './section-context.ts';

export interface ChatbotSectionContext extends Omit<SectionContext, 'store'> {
  readonly store: ChatbotStore;
  readonly confirming: string | null;
  readonly confirm: (id: string | null) => void;
}

function settingsForm(ctx: ChatbotSectionContext): TemplateResult {
  const { store, t } = ctx;
  const form = store.settings;
  const { values, errors, status, message } = form.$state.get();
  const starts: Record<ChatbotStart, string> = { never: t.chatbotStartNever, always: t.chatbotStartAlways, outside_hours: t.chatbotStartOutsideHours };
  const kinds: Record<ChatbotKind, string> = { builtin: t.chatbotKindBuiltin, webhook: t.chatbotKindWebhook };
  const blur = (field: string): void => form.blur(field);
  return html`<form class="form card" part="chatbot-form" novalidate @submit=${ctx.submit(() => store.saveSettings())}>
    <p class="hint">${t.chatbotIntro}</p>
    ${selectField({ field: 'start', label: t.chatbotStart, value: values.start, error: errors.start,
      choices: CHATBOT_STARTS.map((start) => [start, starts[start]] as const), onChange: (start) => form.edit({ start }), onBlur: blur })}
    ${selectField({ field: 'kind', label: t.chatbotKind, value: values.kind, error: errors.kind,
      choices: CHATBOT_KINDS.map((kind) => [kind, kinds[kind]] as const), onChange: (kind) => form.edit({ kind }), onBlur: blur })}
    ${textField({ field: 'name', label: t.botName, value: values.name, error: errors.name, hint: t.botNameHint, required: true,
      onInput: (name) => form.edit({ name }), onBlur: blur })}
    ${values.kind === 'webhook'
      ? textField({ field: 'webhookUrl', label: t.webhookUrl, value: values.webhookUrl, error: errors.webhookUrl, hint: t.webhookUrlHint,
          type: 'url', spellcheck: false, required: true, onInput: (webhookUrl) => form.edit({ webhookUrl }), onBlur: blur })
      : nothing}
    ${formFooter({ saving: form.saving, status, message, label: t.save, savingLabel: t.saving, savedLabel: t.saved,
      refusedLabel: t.refused, part: 'chatbot-save-button' })}
  </form>`;
}

/** A secret to copy: a read-only field that selects itself when focused. */
function secretField(id: string, label: string, value: string): TemplateResult {
  return html`<div class="field">
    <label for=${fieldId(id)}>${label}</label>
    <input id=${fieldId(id)} class="secret" readonly spellcheck="false" .value=${value}
      @focus=${(event: Event) => (event.target as HTMLInputElement).select()} />
  </div>`;
}

function credentials(ctx: ChatbotSectionContext): TemplateResult {
  const { store, t } = ctx;
  const shown = store.$credentials.get();
  const rotating = store.$rotating.get();
  const error = store.$rowErrors.get()['rotate'];
  return html`<section class="card" part="chatbot-credentials" aria-labelledby="chatbot-credentials-heading">
    <h3 id="chatbot-credentials-heading">${t.credentials}</h3>
    <p class="hint">${t.credentialsHint}</p>
    ${shown
      ? html`<div class="credentials" role="group" aria-describedby="credentials-once">
          <p class="notice" id="credentials-once">${t.credentialsOnce}</p>
          ${secretField('webhookSecret', t.webhookSecret, shown.webhookSecret)}
          ${secretField('botKey', t.botKey, shown.botKey)}
          <button type="button" class="quiet" part="credentials-done-button" @click=${() => store.dismissCredentials()}>${t.done}</button>
        </div>`
      : nothing}
    <button type="button" part="rotate-button" ?disabled=${rotating} @click=${() => void store.rotate()}>${rotating ? t.rotating : t.rotate}</button>
    ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
  </section>`;
}

function articleForm(ctx: ChatbotSectionContext): TemplateResult {
  const { store, t } = ctx;
  const form = store.article;
  const { values, errors, status, message } = form.$state.get();
  const blur = (field: string): void => form.blur(field);
  return html`<form class="form card" part="article-form" novalidate @submit=${ctx.submit(() => store.saveArticle())}>
    <h4>${values.id === null ? t.newArticle : t.editArticle}</h4>
    ${textField({ field: 'question', label: t.question, value: values.question, error: errors.question, hint: t.questionHint,
      required: true, onInput: (question) => form.edit({ question }), onBlur: blur })}
    ${textField({ field: 'answer', label: t.answer, value: values.answer, error: errors.answer, multiline: true, required: true,
      hint: `≤ ${CHATBOT_LIMITS.answer}`, onInput: (answer) => form.edit({ answer }), onBlur: blur })}
    ${textField({ field: 'tags', label: t.tags, value: values.tags, error: errors.tags, hint: t.tagsHint,
      onInput: (tags) => form.edit({ tags }), onBlur: blur })}
    ${textField({ field: 'language', label: t.articleLanguage, value: values.language, error: errors.language, hint: t.articleLanguageHint,
      spellcheck: false, required: true, onInput: (language) => form.edit({ language }), onBlur: blur })}
    ${formFooter({ saving: form.saving, status, message, label: t.save, savingLabel: t.saving, savedLabel: t.saved,
      refusedLabel: t.refused, part: 'article-save-button',
      extra: html`<button type="button" class="quiet" @click=${() => store.closeArticle()}>${t.cancel}</button>` })}
  </form>`;
}

function knowledgeBase(ctx: ChatbotSectionContext): TemplateResult {
  const { store, t, confirming, confirm } = ctx;
  const articles = store.$articles.get();
  const query = store.$query.get();
  const busy = store.$busy.get();
  const rowErrors = store.$rowErrors.get();
  return html`<section part="knowledge-base" aria-labelledby="knowledge-base-heading">
    <h3 id="knowledge-base-heading">${t.knowledgeBase}</h3>
    <div class="toolbar">
      <label for=${fieldId('article-search')} class="visually-hidden">${t.articleSearch}</label>
      <input id=${fieldId('article-search')} type="search" part="article-search" placeholder=${t.articleSearch} .value=${query}
        @input=${(e: Event) => void store.search((e.target as HTMLInputElement).value)} />
      <button type="button" class="primary" part="new-article-button" @click=${() => store.openArticle(null)}>${t.newArticle}</button>
    </div>
    ${rowErrors['search'] ? html`<p class="field-error" role="alert">${rowErrors['search']}</p>` : nothing}
    ${store.$articleOpen.get() ? articleForm(ctx) : nothing}
    ${articles.length === 0 ? html`<p class="muted">${query.trim() ? t.articlesNoMatch : t.articlesNone}</p>` : nothing}
    <ul class="rows" part="article-list">
      ${articles.map((article) => html`<li class="row article" part="article" data-id=${article.id}>
        <div class="row-main">
          <span class="name" lang=${article.language}>${article.question}</span>
          <span class="muted small clamp" lang=${article.language}>${article.answer}</span>
          ${article.tags.length > 0 ? html`<span class="muted small">${article.language} · ${article.tags.join(', ')}</span>`
            : html`<span class="muted small">${article.language}</span>`}
        </div>
        <div class="row-actions">
          ${confirming === article.id
            ? html`<button type="button" class="danger" part="confirm-delete-button" ?disabled=${busy.has(article.id)}
                  @click=${() => { confirm(null); void store.deleteArticle(article.id); }}
                >${formatString(t.deleteArticleLabel, { question: article.question })}</button>
                <button type="button" class="quiet" @click=${() => confirm(null)}>${t.cancel}</button>`
            : html`<button type="button" class="quiet" part="edit-button"
                  aria-label=${formatString(t.editArticleLabel, { question: article.question })}
                  @click=${() => store.openArticle(article)}>${t.edit}</button>
                <button type="button" class="quiet" part="delete-button"
                  aria-label=${formatString(t.deleteArticleLabel, { question: article.question })}
                  @click=${() => confirm(article.id)}>${t.delete}</button>`}
        </div>
        ${rowErrors[article.id] ? html`<p class="field-error" role="alert">${rowErrors[article.id]}</p>` : nothing}
      </li>`)}
    </ul>
  </section>`;
}

export function chatbotSection(ctx: ChatbotSectionContext): TemplateResult {
  const { store } = ctx;
  const waiting = loadingView(ctx.t, store);
  if (waiting) return waiting;
  return html`${settingsForm(ctx)}
    ${store.settings.values.kind === 'webhook' ? credentials(ctx) : nothing}
    ${knowledgeBase(ctx)}`;
}

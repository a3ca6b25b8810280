/** The Workspace section: brand and texts, colour, widget options, with the live preview beside it. */
import { html, nothing, type TemplateResult } from 'lit';
import type { CsatSummary } from '../../data/admin-types.ts';
import { formatString } from '../../i18n/strings.ts';
import type { SettingsStrings } from '../../i18n/settings-strings.ts';
import {
  ATTACHMENT_TYPE_GROUPS, PRE_CHAT_MODES, REPLY_TIMES,
  type AttachmentTypeGroup, type FieldErrors, type PreChatMode, type ReplyTime,
} from '../../data/settings-rules.ts';
import { checkboxField, fieldError, fieldId, formFooter, selectField, textField } from './fields.ts';
import { previewTemplate } from './preview.ts';
import type { SectionContext } from './section-context.ts';
import type { WorkspaceValues } from './settings-store.ts';

/** The ratings of the last 7 and 30 days, as read when the screen loaded. */
function csatSummary(summaries: readonly CsatSummary[] | null, t: SettingsStrings, lang: string): TemplateResult | typeof nothing {
  if (!summaries) return nothing;
  return html`<section class="csat-summary" part="csat-summary" aria-labelledby="csat-summary-heading">
    <h3 id="csat-summary-heading">${t.csatSummaryHeading}</h3>
    <ul>
      ${summaries.map((s) => html`<li data-days=${s.days}>${s.average === null || s.count === 0
        ? formatString(t.csatSummaryNone, { days: s.days }, lang)
        : formatString(t.csatSummaryLine, { days: s.days, average: s.average, scale: s.scale, count: s.count }, lang)}</li>`)}
    </ul>
  </section>`;
}

/** When an unseen reply is mailed, and how often at most: the reply-mail worker reads these. */
function replyEmailFields(
  values: WorkspaceValues, errors: FieldErrors, t: SettingsStrings,
  edit: (patch: Partial<WorkspaceValues>) => void, blur: (field: string) => void,
): TemplateResult {
  return html`<fieldset class="group" part="reply-emails" aria-describedby="reply-emails-hint">
    <legend>${t.replyEmails}</legend>
    <p class="hint" id="reply-emails-hint">${t.replyEmailsHint}</p>
    ${textField({ field: 'replyEmailAfterMinutes', label: t.replyEmailAfter, value: values.replyEmailAfterMinutes,
      error: errors.replyEmailAfterMinutes, hint: t.replyEmailAfterHint, inputmode: 'numeric', spellcheck: false,
      onInput: (v) => edit({ replyEmailAfterMinutes: v }), onBlur: blur })}
    ${textField({ field: 'replyEmailIntervalMinutes', label: t.replyEmailInterval, value: values.replyEmailIntervalMinutes,
      error: errors.replyEmailIntervalMinutes, inputmode: 'numeric', spellcheck: false,
      onInput: (v) => edit({ replyEmailIntervalMinutes: v }), onBlur: blur })}
  </fieldset>`;
}

/** What files a message may carry: the largest size and the kinds (insert_message and the bucket follow these). */
function attachmentFields(
  values: WorkspaceValues, errors: FieldErrors, t: SettingsStrings,
  edit: (patch: Partial<WorkspaceValues>) => void, blur: (field: string) => void,
): TemplateResult {
  const labels: Record<AttachmentTypeGroup, string> = {
    images: t.attachmentImages, pdf: t.attachmentPdf, text: t.attachmentText,
    office: t.attachmentOffice, zip: t.attachmentZip, media: t.attachmentMedia,
  };
  const allowed = new Set(values.attachmentTypes);
  const toggle = (group: AttachmentTypeGroup, on: boolean): void => {
    const types: readonly string[] = ATTACHMENT_TYPE_GROUPS[group];
    const next = values.attachmentTypes.filter((type) => !types.includes(type));
    edit({ attachmentTypes: on ? [...next, ...types] : next });
  };
  return html`<fieldset class="group" part="attachments" aria-describedby="attachments-hint">
    <legend>${t.attachments}</legend>
    <p class="hint" id="attachments-hint">${t.attachmentsHint}</p>
    ${textField({ field: 'attachmentMaxMb', label: t.attachmentMaxMb, value: values.attachmentMaxMb,
      error: errors.attachmentMaxMb, inputmode: 'decimal', spellcheck: false,
      onInput: (v) => edit({ attachmentMaxMb: v }), onBlur: blur })}
    ${(Object.keys(ATTACHMENT_TYPE_GROUPS) as AttachmentTypeGroup[]).map((group) => checkboxField({
      field: `attachmentTypes-${group}`, label: labels[group],
      checked: ATTACHMENT_TYPE_GROUPS[group].every((type) => allowed.has(type)),
      onChange: (on) => toggle(group, on) }))}
    ${fieldError('attachmentTypes', errors.attachmentTypes)}
  </fieldset>`;
}

export function workspaceSection({ store, t, submit }: SectionContext): TemplateResult {
  const lang = document.documentElement.lang || navigator.language;
  const form = store.workspace;
  const { values, errors, status, message } = form.$state.get();
  const edit = (patch: Partial<WorkspaceValues>): void => form.edit(patch);
  const blur = (field: string): void => form.blur(field);
  const replyLabels: Record<ReplyTime, string> = {
    minutes: t.replyTimeMinutes, hour: t.replyTimeHour, day: t.replyTimeDay, unknown: t.replyTimeUnknown,
  };
  const preChatLabels: Record<PreChatMode, string> = { none: t.preChatNone, optional: t.preChatOptional, required: t.preChatRequired };
  const colourValid = /^#[0-9a-f]{6}$/.test(values.accentColor);
  return html`<div class="with-preview">
    <form class="form" part="workspace-form" novalidate @submit=${submit(() => store.saveWorkspace())}>
      ${textField({ field: 'brandName', label: t.brandName, value: values.brandName, error: errors.brandName, required: true,
        onInput: (v) => edit({ brandName: v }), onBlur: blur })}
      ${textField({ field: 'greeting', label: t.greeting, value: values.greeting, error: errors.greeting, required: true,
        onInput: (v) => edit({ greeting: v }), onBlur: blur })}
      ${textField({ field: 'intro', label: t.intro, value: values.intro, error: errors.intro, hint: t.introHint, multiline: true,
        onInput: (v) => edit({ intro: v }), onBlur: blur })}
      <div class="field colour" data-field="accentColor">
        <label for=${fieldId('accentColor')}>${t.accentColorText}</label>
        <div class="colour-row">
          <input
            type="color"
            aria-label=${t.accentColor}
            .value=${colourValid ? values.accentColor : '#4f46e5'}
            @input=${(e: Event) => edit({ accentColor: (e.target as HTMLInputElement).value.toLowerCase() })}
          />
          <input
            id=${fieldId('accentColor')}
            type="text"
            spellcheck="false"
            autocomplete="off"
            maxlength="7"
            aria-invalid=${errors.accentColor ? 'true' : 'false'}
            aria-describedby=${errors.accentColor ? `${fieldId('accentColor')}-error` : ''}
            .value=${values.accentColor}
            @input=${(e: Event) => edit({ accentColor: (e.target as HTMLInputElement).value.trim().toLowerCase() })}
            @blur=${() => blur('accentColor')}
          />
        </div>
        ${fieldError('accentColor', errors.accentColor)}
      </div>
      ${checkboxField({ field: 'showTeamAvatars', label: t.showTeamAvatars, checked: values.showTeamAvatars,
        onChange: (v) => edit({ showTeamAvatars: v }) })}
      ${selectField({ field: 'replyTime', label: t.replyTime, value: values.replyTime, error: errors.replyTime,
        choices: REPLY_TIMES.map((v) => [v, replyLabels[v]] as const), onChange: (v) => edit({ replyTime: v }), onBlur: blur })}
      ${textField({ field: 'awayMessage', label: t.awayMessage, value: values.awayMessage, error: errors.awayMessage,
        hint: t.awayMessageHint, multiline: true, onInput: (v) => edit({ awayMessage: v }), onBlur: blur })}
      ${replyEmailFields(values, errors, t, edit, blur)}
      ${attachmentFields(values, errors, t, edit, blur)}
      ${selectField({ field: 'preChat', label: t.preChat, value: values.preChat, error: errors.preChat,
        choices: PRE_CHAT_MODES.map((v) => [v, preChatLabels[v]] as const), onChange: (v) => edit({ preChat: v }), onBlur: blur })}
      ${csatSummary(store.$csat.get(), t, lang)}
      ${checkboxField({ field: 'csatEnabled', label: t.csatEnabled, checked: values.csatEnabled, onChange: (v) => edit({ csatEnabled: v }) })}
      ${selectField({ field: 'csatScale', label: t.csatScale, value: String(values.csatScale), error: errors.csatScale,
        choices: [['5', t.csatScale5], ['3', t.csatScale3]] as const, onChange: (v) => edit({ csatScale: v === '3' ? 3 : 5 }), onBlur: blur })}
      ${textField({ field: 'defaultLanguage', label: t.defaultLanguage, value: values.defaultLanguage, error: errors.defaultLanguage,
        hint: t.defaultLanguageHint, spellcheck: false, onInput: (v) => edit({ defaultLanguage: v.trim() }), onBlur: blur })}
      ${checkboxField({ field: 'autoAssign', label: t.autoAssign, checked: values.autoAssign, onChange: (v) => edit({ autoAssign: v }) })}
      ${formFooter({ saving: form.saving, status, message, label: t.save, savingLabel: t.saving, savedLabel: t.saved,
        refusedLabel: t.refused, part: 'save-button' })}
    </form>
    ${previewTemplate(values, t)}
  </div>`;
}

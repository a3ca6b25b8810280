/**
 * The settings forms' field templates: a label, the control, an optional hint, and the error below
 * it, tied together with `aria-describedby` and `aria-invalid` so a screen reader reads the error
 * with the field. Values are bound with `live()`: after a refused command the control shows the
 * stored value again even though the template's value did not change.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

/** The element id of a field (`businessHours.weekly.mon` → `f-businessHours-weekly-mon`). */
export function fieldId(field: string): string {
  return `f-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function describedBy(field: string, error: string | undefined, hint: string | undefined): string | undefined {
  const ids = [hint ? `${fieldId(field)}-hint` : '', error ? `${fieldId(field)}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

/** The error under a field (or a group), or nothing. Rendered as text. */
export function fieldError(field: string, error: string | undefined): TemplateResult | typeof nothing {
  return error ? html`<p class="field-error" part="field-error" id="${fieldId(field)}-error">${error}</p>` : nothing;
}

function hintText(field: string, hint: string | undefined): TemplateResult | typeof nothing {
  return hint ? html`<p class="hint" id="${fieldId(field)}-hint">${hint}</p>` : nothing;
}

export interface FieldOptions {
  readonly field: string;
  readonly label: string;
  readonly value: string;
  readonly error: string | undefined;
  readonly onInput: (value: string) => void;
  readonly onBlur: (field: string) => void;
  readonly hint?: string;
  readonly type?: 'text' | 'email' | 'url' | 'date' | 'time';
  readonly autocomplete?: string;
  readonly multiline?: boolean;
  readonly required?: boolean;
  readonly spellcheck?: boolean;
  /** `numeric` for whole numbers: a digit keyboard on phones, while the text stays what was typed (a number input would hide "12a" as empty). */
  readonly inputmode?: 'numeric' | 'decimal';
}

export function textField(o: FieldOptions): TemplateResult {
  const id = fieldId(o.field);
  const described = describedBy(o.field, o.error, o.hint);
  const input = (event: Event): void => o.onInput((event.target as HTMLInputElement | HTMLTextAreaElement).value);
  const blur = (): void => o.onBlur(o.field);
  const control = o.multiline
    ? html`<textarea
        id=${id}
        rows="3"
        aria-invalid=${o.error ? 'true' : 'false'}
        aria-describedby=${ifDefined(described)}
        ?required=${o.required ?? false}
        .value=${live(o.value)}
        @input=${input}
        @blur=${blur}
      ></textarea>`
    : html`<input
        id=${id}
        type=${o.type ?? 'text'}
        inputmode=${ifDefined(o.inputmode)}
        autocomplete=${o.autocomplete ?? 'off'}
        spellcheck=${o.spellcheck === false ? 'false' : 'true'}
        aria-invalid=${o.error ? 'true' : 'false'}
        aria-describedby=${ifDefined(described)}
        ?required=${o.required ?? false}
        .value=${live(o.value)}
        @input=${input}
        @blur=${blur}
      />`;
  return html`<div class="field" data-field=${o.field}>
    <label for=${id}>${o.label}</label>
    ${control} ${hintText(o.field, o.hint)} ${fieldError(o.field, o.error)}
  </div>`;
}

export interface SelectOptions<V extends string> {
  readonly field: string;
  readonly label: string;
  readonly value: V;
  readonly choices: readonly (readonly [V, string])[];
  readonly error: string | undefined;
  readonly onChange: (value: V) => void;
  readonly onBlur: (field: string) => void;
  readonly hint?: string;
  /** For a select inside a row whose label is elsewhere: hide the visible label. */
  readonly hideLabel?: boolean;
  readonly disabled?: boolean;
}

export function selectField<V extends string>(o: SelectOptions<V>): TemplateResult {
  const id = fieldId(o.field);
  return html`<div class="field" data-field=${o.field}>
    <label for=${id} class=${o.hideLabel ? 'visually-hidden' : ''}>${o.label}</label>
    <select
      id=${id}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(describedBy(o.field, o.error, o.hint))}
      ?disabled=${o.disabled ?? false}
      .value=${live(o.value)}
      @change=${(event: Event) => o.onChange((event.target as HTMLSelectElement).value as V)}
      @blur=${() => o.onBlur(o.field)}
    >
      ${o.choices.map(([value, label]) => html`<option value=${value} ?selected=${value === o.value}>${label}</option>`)}
    </select>
    ${hintText(o.field, o.hint)} ${fieldError(o.field, o.error)}
  </div>`;
}

export function checkboxField(o: {
  readonly field: string;
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}): TemplateResult {
  const id = fieldId(o.field);
  return html`<div class="field checkbox" data-field=${o.field}>
    <input
      id=${id}
      type="checkbox"
      .checked=${live(o.checked)}
      @change=${(event: Event) => o.onChange((event.target as HTMLInputElement).checked)}
    />
    <label for=${id}>${o.label}</label>
  </div>`;
}

/** The Save button and the form's status line (saving, saved, or a refusal naming no field). */
export function formFooter(o: {
  readonly saving: boolean;
  readonly status: 'idle' | 'saving' | 'saved' | 'refused';
  readonly message: string | null;
  readonly label: string;
  readonly savingLabel: string;
  readonly savedLabel: string;
  readonly refusedLabel: string;
  readonly part: string;
  readonly extra?: TemplateResult | typeof nothing;
}): TemplateResult {
  let status = '';
  if (o.status === 'saving') status = o.savingLabel;
  else if (o.status === 'saved') status = o.savedLabel;
  else if (o.status === 'refused') status = o.message ?? o.refusedLabel;
  return html`<div class="form-footer">
    <button type="submit" class="primary" part=${o.part} ?disabled=${o.saving}>${o.saving ? o.savingLabel : o.label}</button>
    ${o.extra ?? nothing}
    <p class="form-status ${o.status === 'refused' ? 'is-error' : ''}" role="status" part="form-status">${status}</p>
  </div>`;
}

/** What a section shows until its data is there: the loading line, or the load's error with Retry; null once ready. */
export function loadingView(
  t: { readonly loading: string; readonly retry: string },
  store: { readonly $phase: { get(): string }; readonly $loadError: { get(): string | null }; load(): Promise<void> },
): TemplateResult | null {
  const phase = store.$phase.get();
  if (phase === 'error') {
    return html`<div class="load-error" role="alert">
      <p>${store.$loadError.get()}</p>
      <button type="button" class="primary" @click=${() => void store.load()}>${t.retry}</button>
    </div>`;
  }
  return phase === 'ready' ? null : html`<p class="muted" role="status">${t.loading}</p>`;
}

/**
 * The launcher's pre-chat fields as a template: the element owns the values, the errors and the
 * handlers; this renders them (the rules are in pre-chat.ts). Loaded on demand, with its runtime
 * from lazy-kit.ts.
 */
import type { TemplateResult, nothing } from 'lit';
import type { LauncherStrings } from '../../i18n/strings.ts';
import type { PreChatErrors, PreChatMode } from './pre-chat.ts';
import type { LazyKit } from './lazy-kit.ts';

export interface PreChatFieldsOptions {
  readonly t: LauncherStrings;
  readonly language: string;
  readonly mode: PreChatMode;
  readonly errors: PreChatErrors;
  readonly name: string;
  readonly email: string;
  readonly onNameInput: (event: Event) => void;
  readonly onEmailInput: (event: Event) => void;
}

/** The name and email fields above the composer, or nothing in mode `none`. */
export function preChatFields(k: LazyKit, o: PreChatFieldsOptions): TemplateResult | typeof nothing {
  const { html, formatString, MAX_NAME_LENGTH, MAX_EMAIL_LENGTH } = k;
  if (o.mode === 'none') return k.nothing;
  const { t, errors } = o;
  const required = o.mode === 'required';
  const nameError = errors.name === 'required'
    ? t.nameRequired
    : errors.name === 'too-long' ? formatString(t.nameTooLong, { max: MAX_NAME_LENGTH }, o.language) : '';
  const emailError = errors.email === 'required' ? t.emailRequired : errors.email === 'invalid' ? t.emailInvalid : '';
  return html`
    <div class="pre-chat" part="pre-chat" role="group" aria-labelledby="pre-chat-title">
      <p id="pre-chat-title" class="pre-chat-title">${t.preChatTitle}</p>
      ${field(k, {
        field: 'name', label: required ? t.nameLabel : t.nameLabelOptional, error: nameError, required,
        value: o.name, onInput: o.onNameInput,
        attributes: { type: 'text', autocomplete: 'name', maxlength: MAX_NAME_LENGTH },
      })}
      ${field(k, {
        field: 'email', label: required ? t.emailLabel : t.emailLabelOptional, error: emailError, required,
        value: o.email, onInput: o.onEmailInput,
        attributes: { type: 'email', autocomplete: 'email', maxlength: MAX_EMAIL_LENGTH },
      })}
    </div>
  `;
}

/** One labelled pre-chat field with its error tied to it. */
function field({ html, nothing, live }: LazyKit, f: {
  readonly field: 'name' | 'email';
  readonly label: string;
  readonly error: string;
  readonly required: boolean;
  readonly value: string;
  readonly onInput: (event: Event) => void;
  readonly attributes: { readonly type: 'text' | 'email'; readonly autocomplete: string; readonly maxlength: number };
}): TemplateResult {
  const id = `pre-chat-${f.field}`;
  const email = f.attributes.type === 'email';
  return html`
    <div class="field">
      <label for=${id}>${f.label}</label>
      <input
        id=${id}
        class="input"
        part="pre-chat-input"
        type=${f.attributes.type}
        name=${f.field}
        autocomplete=${f.attributes.autocomplete}
        inputmode=${email ? 'email' : nothing}
        spellcheck=${email ? 'false' : nothing}
        maxlength=${f.attributes.maxlength}
        ?required=${f.required}
        aria-invalid=${f.error ? 'true' : 'false'}
        aria-describedby=${f.error ? `${id}-error` : nothing}
        .value=${live(f.value)}
        @input=${f.onInput}
      />
      ${f.error ? html`<p id=${`${id}-error`} class="error" part="pre-chat-error">${f.error}</p>` : nothing}
    </div>
  `;
}

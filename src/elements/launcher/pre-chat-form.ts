/**
 * The launcher's pre-chat fields as a controller (STYLE.md §9): what the visitor typed, the errors
 * shown from the first refused send on, and the check that send makes. The rules are pre-chat.ts's,
 * the template pre-chat-fields.ts's; the element only asks whether a send may start. The template
 * loads on demand, for workspaces that ask (most never do, so it is not part of the first open).
 */
import { nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { LauncherStrings } from '../../i18n/strings.ts';
import { checkPreChat, type PreChatCheck, type PreChatErrors, type PreChatMode } from './pre-chat.ts';
import type { PreChatFieldsOptions } from './pre-chat-fields.ts';
import { kit } from './lazy-kit.ts';

export interface PreChatFormHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export class PreChatForm implements ReactiveController {
  readonly #host: PreChatFormHost;
  readonly #mode: () => PreChatMode;
  #name = '';
  #email = '';
  /** Shown from the first refused send on, and re-checked as the visitor corrects the fields. */
  #errors: PreChatErrors | null = null;
  #fields: ((options: PreChatFieldsOptions) => TemplateResult | typeof nothing) | null = null;
  #loading = false;

  constructor(host: PreChatFormHost, mode: () => PreChatMode) {
    this.#host = host;
    this.#mode = mode;
    host.addController(this);
  }

  hostConnected(): void {}

  render(t: LauncherStrings, language: string): TemplateResult | typeof nothing {
    const mode = this.#mode();
    if (mode === 'none') return nothing;
    if (!this.#fields) {
      this.#load();
      return nothing;
    }
    return this.#fields({
      t, language, mode, errors: this.#errors ?? {}, name: this.#name, email: this.#email,
      onNameInput: (event) => this.#input('name', event),
      onEmailInput: (event) => this.#input('email', event),
    });
  }

  /**
   * The details a first send starts its conversation with. Refused: the errors show, and the first
   * field to fix takes focus (its error is its description, so it is read out).
   */
  check(): PreChatCheck {
    const details = checkPreChat({ name: this.#name, email: this.#email }, this.#mode());
    if (!details.valid) {
      this.#errors = details.errors;
      this.#host.requestUpdate();
      const field = details.errors.name ? 'pre-chat-name' : 'pre-chat-email';
      void this.#host.updateComplete.then(() => this.#host.renderRoot.querySelector<HTMLInputElement>(`#${field}`)?.focus());
    }
    return details;
  }

  #load(): void {
    if (this.#loading) return;
    this.#loading = true;
    import('./pre-chat-fields.ts').then(({ preChatFields: fields }) => {
      this.#fields = (options) => fields(kit, options);
      this.#host.requestUpdate();
    }, () => {
      // Not loaded (offline): the next render tries again; a send still checks the fields' rules.
      this.#loading = false;
    });
  }

  #input(field: 'name' | 'email', event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    if (field === 'name') this.#name = value;
    else this.#email = value;
    // Once errors show, they follow the fields as the visitor fixes them (never before a send).
    if (this.#errors !== null) this.#errors = checkPreChat({ name: this.#name, email: this.#email }, this.#mode()).errors;
    this.#host.requestUpdate();
  }
}

/**
 * The console's route to the admin screen (issue 14): the header's "Settings" button, shown only to
 * an active admin, and the settings view, `<parley-settings>` over the admin API of the console's
 * own client, with the embed snippet filled from the console's project URL and key. An agent who is
 * demoted (heard live, see src/session/agent-watch.ts) leaves the view at once; the database refuses
 * non-admins anyway. The admin API comes in with the console, never with the visitor's widget.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createAdminApi } from '../../data/admin-api.ts';
import { createChatbotAdminApi } from '../../data/chatbot-admin.ts';
import type { Agent } from '../../data/types.ts';
import type { InboxStrings } from '../../i18n/strings.ts';
import type { SettingsSource } from '../settings/settings-source.ts';

/** What the console shows below its header. */
export const CONSOLE_VIEWS = ['inbox', 'settings'] as const;
export type ConsoleView = (typeof CONSOLE_VIEWS)[number];

/** The admin APIs (the workspace's and the chatbot's) as the settings screen takes them: checked here, structurally, once. */
export function settingsSource(client: SupabaseClient): SettingsSource {
  return { ...createAdminApi(client), ...createChatbotAdminApi(client) };
}

export interface SettingsRouteOptions {
  /** The signed-in agent while the console is ready; null otherwise. */
  readonly agent: () => Agent | null;
  readonly client: () => SupabaseClient | undefined;
  readonly view: () => string;
  readonly setView: (view: ConsoleView) => void;
  readonly supabaseUrl: () => string;
  readonly supabaseKey: () => string;
  readonly theme: () => string | undefined;
}

export class SettingsRoute implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: SettingsRouteOptions;
  #client: SupabaseClient | undefined;
  #source: SettingsSource | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: SettingsRouteOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Whether the signed-in agent may open the settings. */
  get allowed(): boolean {
    return this.#options.agent()?.role === 'admin';
  }

  /** Whether the settings view is the one shown. */
  get open(): boolean {
    return this.allowed && this.#options.view() === 'settings';
  }

  hostUpdate(): void {
    const view = this.#options.view();
    // An unknown view, or an agent who is not (or no longer) an admin once signed in: the inbox.
    if (!(CONSOLE_VIEWS as readonly string[]).includes(view)) this.#options.setView('inbox');
    else if (view === 'settings' && this.#options.agent() !== null && !this.allowed) this.#options.setView('inbox');
  }

  /** The header's button to the settings (admins only). */
  button(t: InboxStrings): TemplateResult | typeof nothing {
    if (!this.allowed) return nothing;
    return html`<button type="button" class="button settings-toggle" part="settings-button"
      aria-current=${this.open ? 'page' : nothing} @click=${() => this.#go('settings')}>${t.settings}</button>`;
  }

  /** The settings view, in place of the list and the conversation. */
  view(t: InboxStrings): TemplateResult {
    const agent = this.#options.agent();
    return html`<div class="settings-view" part="settings">
      <button type="button" class="button back-to-inbox" part="back-to-inbox-button" @click=${() => this.#go('inbox')}>${t.backToInbox}</button>
      <parley-settings
        .source=${this.#sourceFor(this.#options.client())}
        agent-id=${agent?.user_id ?? ''}
        supabase-url=${this.#options.supabaseUrl()}
        supabase-key=${this.#options.supabaseKey()}
        theme=${this.#options.theme() ?? nothing}
      ></parley-settings>
    </div>`;
  }

  #sourceFor(client: SupabaseClient | undefined): SettingsSource | undefined {
    if (client !== this.#client) {
      this.#client = client;
      this.#source = client ? settingsSource(client) : undefined;
    }
    return this.#source;
  }

  /** Switches the view; focus lands at the start of the one shown (the settings' tabs, or the Settings button). */
  #go(view: ConsoleView): void {
    this.#options.setView(view);
    const root = this.#host.shadowRoot;
    void this.#host.updateComplete.then(async () => {
      const settings = root?.querySelector('parley-settings');
      await settings?.updateComplete;
      const target = view === 'settings'
        ? settings?.shadowRoot?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')
        : root?.querySelector<HTMLElement>('[part~="settings-button"]');
      target?.focus();
    });
  }
}

export const settingsRouteStyles = css`
  @layer parley {
    /* <parley-settings> pads itself: the way back lines up with its content. */
    .settings-view {
      display: grid;
      align-content: start;
      min-block-size: 0;
      overflow: auto;
      padding-block-start: calc(var(--_space) * 2);
    }

    .settings-toggle[aria-current='page'] {
      border-color: var(--_accent);
      box-shadow: inset 0 -2px 0 var(--_accent);
    }

    .back-to-inbox {
      justify-self: start;
      margin-inline: calc(var(--_space) * 2);
    }

    @container (max-width: 720px) {
      .header .settings-toggle ~ .button {
        margin-inline-start: 0;
      }
    }
  }
`;

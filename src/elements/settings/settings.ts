import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ParleyElement } from '../parley-element.ts';
import { StoreController } from '../store-controller.ts';
import { settingsStrings, type SettingsStrings } from '../../i18n/settings-strings.ts';
import { SettingsStore } from './settings-store.ts';
import { hasChatbot, type SettingsSource } from './settings-source.ts';
import { ChatbotStore } from './chatbot-store.ts';
import { chatbotSection } from './chatbot-section.ts';
import { loadingView } from './fields.ts';
import { SETTINGS_SECTIONS, type SettingsSection } from './sections.ts';
import { ParleySectionChangeEvent } from '../events.ts';
import type { SectionContext } from './section-context.ts';
import { workspaceSection } from './workspace-section.ts';
import { hoursSection } from './hours-section.ts';
import { teamSection } from './team-section.ts';
import { cannedSection } from './canned-section.ts';
import { embedSection, embedSnippet, type CopyState } from './embed-section.ts';
import { settingsStyles } from './settings.styles.ts';
import { sectionStyles } from './sections.styles.ts';
import { previewStyles } from './preview.styles.ts';
import '../../i18n/console-translations.ts';

export { SETTINGS_SECTIONS, type SettingsSection } from './sections.ts';

/**
 * @summary The admin screen: workspace settings with a live preview of the launcher, business
 * hours, the team and invitations, canned replies, the chatbot and its knowledge base, and the embed
 * snippet.
 *
 * Reads and writes through `source`, a `SettingsSource` (`createAdminApi(client)` of the data
 * layer); the database decides who may change what, so an agent who is not an admin sees its
 * refusal. Every form checks its fields with the same rules the database applies
 * (src/data/settings-rules.ts) when a field is left and on Save, shows each error under its field,
 * and on a refused save keeps what was typed and shows the database's message on the field it names.
 *
 * The Chatbot section shows when `source` also speaks the chatbot's admin API
 * (`createChatbotAdminApi(client)`); it loads when first opened.
 *
 * Sizing: the element takes the width its page gives it; below 720px of its own width the section
 * tabs scroll across the top and the preview sits under the form.
 *
 * @event {ParleySectionChangeEvent} parley-section-change - The admin opened another section (`detail.section`).
 *
 * @csspart base - The screen.
 * @csspart nav - The section tabs.
 * @csspart tab - One section tab; the open one has `aria-selected="true"`.
 * @csspart panel - The open section.
 * @csspart workspace-form - The workspace form.
 * @csspart reply-emails - The reply email fields in the workspace form: when an unseen reply is mailed, and how often at most.
 * @csspart hours-form - The business hours form.
 * @csspart invite-form - The invitation form.
 * @csspart profile-form - The signed-in agent's name and avatar.
 * @csspart canned-form - The new or edited canned reply.
 * @csspart save-button - The Save button of the workspace and business hours forms.
 * @csspart invite-button - Sends the invitation.
 * @csspart profile-save-button - Saves the agent's own name and avatar.
 * @csspart canned-save-button - Saves the canned reply being written.
 * @csspart form-status - A form's status line (saving, saved, or why it was refused).
 * @csspart field-error - The error under a field.
 * @csspart preview - The live launcher preview.
 * @csspart preview-panel - Its chat panel.
 * @csspart preview-bubble - Its bubble, in the accent colour.
 * @csspart preview-brand - The brand name in its header.
 * @csspart preview-greeting - The greeting.
 * @csspart preview-intro - The intro text, when there is one.
 * @csspart members - The team list.
 * @csspart member - One member: name, email, role, deactivate or reactivate.
 * @csspart deactivate-button - Deactivates an active member.
 * @csspart reactivate-button - Reactivates a deactivated member.
 * @csspart row-error - Why a member's role or activity did not change (such as leaving no active admin).
 * @csspart invitations - Pending invitations.
 * @csspart invitation - One of them.
 * @csspart revoke-button - Revokes it.
 * @csspart canned-search - The canned reply search box.
 * @csspart new-reply-button - Opens the form for a new canned reply.
 * @csspart canned-list - Canned replies.
 * @csspart canned-reply - One of them.
 * @csspart edit-button - Opens it in the form.
 * @csspart delete-button - Asks to delete it.
 * @csspart confirm-delete-button - Deletes it.
 * @csspart chatbot-form - The chatbot settings: when it starts, which bot, its name, the webhook address.
 * @csspart chatbot-save-button - Saves them.
 * @csspart chatbot-credentials - The webhook credentials, with the rotate button.
 * @csspart rotate-button - Replaces the webhook secret and bot key, showing the new ones once.
 * @csspart credentials-done-button - Hides the credentials just shown.
 * @csspart knowledge-base - The knowledge base the built-in bot answers from.
 * @csspart article-search - Its search box.
 * @csspart new-article-button - Opens the form for a new article.
 * @csspart article-form - The new or edited article.
 * @csspart article-save-button - Saves it.
 * @csspart article-list - The articles.
 * @csspart article - One of them (edit and delete as for canned replies).
 * @csspart snippet - The embed snippet.
 * @csspart copy-button - Copies it.
 * @csspart copy-status - Says it was copied (or that copying failed).
 *
 * @cssproperty [--parley-color-accent=#1f5fd1] - Buttons and the current tab.
 */
export class ParleySettings extends ParleyElement<SettingsStrings> {
  static override css = [settingsStyles, sectionStyles, previewStyles];

  /** The admin API the screen reads and writes through. Setting another one reloads everything. */
  @property({ attribute: false }) accessor source: SettingsSource | undefined;

  /** The open section, reflected so a console route can follow it. Unknown values show `workspace`. */
  @property({ reflect: true }) accessor section: SettingsSection = 'workspace';

  /** The signed-in agent's user id: the Team section edits their own name and avatar. */
  @property({ attribute: 'agent-id' }) accessor agentId = '';

  /** The project URL written into the embed snippet. */
  @property({ attribute: 'supabase-url' }) accessor supabaseUrl = '';

  /** The project's anon (publishable) key written into the embed snippet. */
  @property({ attribute: 'supabase-key' }) accessor supabaseKey = '';

  @state() private accessor copyState: CopyState = 'idle';
  @state() private accessor confirmingDelete: string | null = null;

  protected readonly defaultStrings: SettingsStrings = settingsStrings;
  protected override readonly stringTable = 'settings';

  #store: SettingsStore | null = null;
  /** The Chatbot section's store: null when the source has no chatbot API; loaded on first open. */
  #chatbot: ChatbotStore | null = null;
  readonly #stores = new StoreController(this);

  /** The screen's store, for hosts and tests that want to wait on it. Null until `source` is set. */
  get store(): SettingsStore | null {
    return this.#store;
  }

  /** True while a render is being committed to the DOM. */
  #rendering = false;

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    // Chromium blurs a focused field as a render removes it (a saved form closing). That is not
    // the admin leaving the field, and a store change inside a render would schedule a second one:
    // stop such blurs on their way down (blur does not bubble, but capture listeners see it).
    root.addEventListener('blur', (event) => {
      if (this.#rendering) event.stopPropagation();
    }, { capture: true });
    return root;
  }

  protected override update(changed: PropertyValues<this>): void {
    this.#rendering = true;
    try {
      super.update(changed);
    } finally {
      this.#rendering = false;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('section') && !this.sections.includes(this.section)) this.section = 'workspace';
    if (changed.has('source')) {
      const source = this.source;
      this.#store = source ? new SettingsStore(source, () => this.text) : null;
      this.#chatbot = source && hasChatbot(source)
        ? new ChatbotStore(source, () => this.text, () => this.#store?.workspace.values.defaultLanguage ?? 'en')
        : null;
      this.#stores.setStores(...(this.#store?.stores ?? []), ...(this.#chatbot?.stores ?? []));
      if (this.#store) {
        this.#store.selfId = this.agentId || null;
        void this.#store.load();
      }
    } else if (changed.has('agentId') && this.#store) {
      this.#store.selfId = this.agentId || null;
    }
    if (changed.has('supabaseUrl') || changed.has('supabaseKey')) this.copyState = 'idle';
    if (this.section === 'chatbot' && this.#chatbot?.$phase.get() === 'idle') void this.#chatbot.load();
  }

  /** The sections this source has: the Chatbot section needs the chatbot's admin API. */
  private get sections(): readonly SettingsSection[] {
    return this.source && !hasChatbot(this.source) ? SETTINGS_SECTIONS.filter((section) => section !== 'chatbot') : SETTINGS_SECTIONS;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // On a phone the tabs scroll sideways: keep the open one in view (a route may open any section),
    // sideways only (scrollIntoView could also scroll the host page).
    if (!changed.has('section')) return;
    const nav = this.renderRoot.querySelector<HTMLElement>('[part~="nav"]');
    const tab = this.renderRoot.querySelector<HTMLElement>(`#tab-${this.section}`);
    if (!nav || !tab) return;
    const box = nav.getBoundingClientRect();
    const { left, right } = tab.getBoundingClientRect();
    const dx = left < box.left ? left - box.left : right > box.right ? right - box.right : 0;
    if (dx !== 0) nav.scrollBy({ left: dx });
  }

  protected override render(): TemplateResult {
    const t = this.text;
    return html`<div class="base" part="base" lang=${this.language} dir=${this.languageDirection ?? nothing}>
      <h2 class="title">${t.title}</h2>
      <div class="layout">
        <div class="nav" part="nav" role="tablist" aria-label=${t.sections} @keydown=${this.onTabKey}>
          ${this.sections.map((section) => html`<button
            type="button"
            role="tab"
            id="tab-${section}"
            part="tab"
            aria-selected=${section === this.section ? 'true' : 'false'}
            aria-controls="panel"
            tabindex=${section === this.section ? '0' : '-1'}
            @click=${() => this.open(section)}
          >${t[section]}</button>`)}
        </div>
        <div class="panel" part="panel" id="panel" role="tabpanel" aria-labelledby="tab-${this.section}">
          <h2 class="section-title">${t[this.section]}</h2>
          ${this.renderSection(t)}
        </div>
      </div>
    </div>`;
  }

  private renderSection(t: SettingsStrings): TemplateResult | typeof nothing {
    if (this.section === 'embed') {
      const snippet = embedSnippet(this.supabaseUrl, this.supabaseKey);
      return embedSection(t, snippet, !this.supabaseUrl || !this.supabaseKey, this.copyState, () => void this.copy(snippet));
    }
    const store = this.#store;
    if (!store) return nothing;
    const waiting = loadingView(t, store);
    if (waiting) return waiting;
    const ctx: SectionContext = { store, t, submit: (save) => (event) => this.onSubmit(event, save) };
    switch (this.section) {
      case 'workspace': return workspaceSection(ctx);
      case 'hours': return hoursSection(ctx);
      case 'team': return teamSection(ctx);
      case 'canned': return cannedSection(ctx, this.confirmingDelete, (id) => (this.confirmingDelete = id));
      case 'chatbot': {
        const chatbot = this.#chatbot;
        if (!chatbot) return nothing;
        return chatbotSection({ ...ctx, store: chatbot, confirming: this.confirmingDelete, confirm: (id) => (this.confirmingDelete = id) });
      }
    }
  }

  private async onSubmit(event: Event, save: () => Promise<boolean>): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const saved = await save();
    if (saved) return;
    await this.updateComplete;
    // The first field the admin must fix, so keyboard and screen reader users land on it.
    form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private open(section: SettingsSection): void {
    if (section === this.section) return;
    this.section = section;
    this.confirmingDelete = null;
    this.emit(new ParleySectionChangeEvent({ section }));
  }

  private onTabKey(event: KeyboardEvent): void {
    const keys: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
    let step = keys[event.key];
    if (step === undefined && event.key !== 'Home' && event.key !== 'End') return;
    if (this.direction === 'rtl' && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) step = -(step ?? 0);
    event.preventDefault();
    const sections = this.sections;
    const index = sections.indexOf(this.section);
    const count = sections.length;
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? count - 1 : (index + (step ?? 0) + count) % count;
    const section = sections[next] ?? 'workspace';
    this.open(section);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${section}`)?.focus());
  }

  private async copy(snippet: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(snippet);
      this.copyState = 'copied';
    } catch {
      this.copyState = 'failed';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings': ParleySettings;
  }
}

import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ParleyRootElement } from '../parley-root-element.ts';
import { customerLabel } from '../customer-label.ts';
import { StoreController } from '../store-controller.ts';
import { memoizeLast } from '../memo.ts';
import { ParleyConversationSelectEvent, type ParleyRetrySendEvent, type ParleySendEvent } from '../events.ts';
import { formatString, inboxStrings, type InboxStrings } from '../../i18n/strings.ts';
import type { Agent, ConversationSummary } from '../../data/types.ts';
import type { Session } from '../../session/index.ts';
import { AgentConsole, type AgentConsoleState, type InboxPhase } from '../../session/agent-console.ts';
import { RootSessionController } from '../../session/root-session.ts';
import { EMPTY_THREAD, IDLE_COMMAND, othersTyping, type InboxState } from '../../state/index.ts';
import { inboxStyles } from './inbox.styles.ts';
import { signInForm, signOutConfirmation, unavailableNotice } from './templates.ts';
import { ConsoleMemory } from './console-memory.ts';
import { conversationLabel, conversationPane, showStoredValues } from './conversation-pane.ts';
import { listPane } from './list-pane.ts';
import { ConsolePresence, DEFAULT_AWAY_AFTER_S, presenceStyles } from './console-presence.ts';
import { CustomerPanelController } from './customer-panel-controller.ts';
import { ListFollowController } from './list-follow-controller.ts';
import { BotNameController } from './bot-name.ts';
import { QuickReplyDraft } from './quick-reply-draft.ts';
import { PasswordHelpController } from './password-help.ts';
import { AttentionController } from './attention-controller.ts';
import { attentionStyles } from './attention-settings.ts';
import type { AudioSink } from '../../attention/sound.ts';
import { customerPanelStyles } from './customer-panel.styles.ts';
import { KeyboardController } from './keyboard-controller.ts';
import { shortcutsStyles } from './shortcuts-overlay.ts';
import { SettingsRoute, settingsRouteStyles, type ConsoleView } from './settings-route.ts';
import '../../i18n/console-translations.ts';

export { INBOX_PHASES, type InboxPhase } from '../../session/agent-console.ts';

/**
 * @summary The agent console: sign-in, the live conversation list with search and filters, the
 * open conversation's thread and composer (with canned replies), the connection status, and the
 * controls for status, assignment and chatbot replies; keyboard shortcuts (`?` lists them).
 *
 * The root element of the agent side (STYLE.md §8): each `<parley-inbox>` owns one session and
 * provides it to descendants through `sessionContext`. Its sign-in is kept apart from a visitor's
 * (a launcher on the same origin never shares it), and persists across reloads until "Sign out".
 *
 * Lifecycle contract:
 * - Connected: creates the session and reads the stored sign-in; without one (or when the account
 *   has no agents row) it shows the sign-in form.
 * - Signed in: starts the realtime controller and loads the team, canned replies and the first page
 *   of the list; the open conversation (`conversation-id`) is held open on its private channel and
 *   marked read as it is shown. Where the console was (the open conversation, a draft per
 *   conversation) is kept for a reload of this tab (sessionStorage, per project and agent).
 * - The open conversation's header lists the customer's other conversations (date, status,
 *   preview), each opening in the console; an open conversation no list page brought is fetched.
 * - Unsent replies (network down, requests failing) are kept in localStorage encrypted with a key
 *   only the agent can fetch from the database, so a reload or a sign-out never loses them; they
 *   are sent, once, after the next sign-in. The sign-out button asks first while any are unsent,
 *   and closing the tab asks too. Where the page is not a secure context (no WebCrypto) they are
 *   kept in memory only, and the sign-out question says they would be lost.
 * - Admins get a Settings button (`view="settings"`: `<parley-settings>` in place of the panes). An
 *   admin's role change or deactivation of this agent reaches the open console at once (signed out, with a notice).
 * - Removed: stops the controller and disposes what it created (a host's `client` is kept, its
 *   channels released); re-adding starts over from the stored sign-in.
 *
 * Sizing: the element fills the block size its page gives it (`parley-inbox { height: 100vh }`).
 * Below 720px of its own width it shows the list or the conversation, with a back button.
 *
 * @event {ParleyConversationSelectEvent} parley-conversation-select - The agent picked a conversation (`detail.id`) in the list, by a keyboard shortcut or by clicking a desktop notification. Cancelable: when prevented, the open conversation stays.
 *
 * @csspart base - The console.
 * @csspart header - The title bar: title, connection status, the agent's name and status, the team, sign out, shortcuts.
 * @csspart availability - The team's availability and the agent's own status.
 * @csspart team - Their disclosure.
 * @csspart team-summary - Its toggle: the agent's status dot and "2 online".
 * @csspart team-panel - What it opens: the agent's status choice and the team list.
 * @csspart availability-choice - The agent's own status: online, away or offline (radios).
 * @csspart team-list - Every agent with their availability.
 * @csspart collision - Other agents in the open conversation ("Sam is also viewing", "Sam is writing a note").
 * @csspart collision-viewer - One of them.
 * @csspart collision-avatar - Their avatar (image or initials).
 * @csspart alerts - The attention settings (a disclosure): sound, desktop notifications, unread count in the tab.
 * @csspart alerts-summary - Its toggle.
 * @csspart alerts-panel - Its three switches.
 * @csspart settings-button - Opens the workspace settings (`view="settings"`); shown to admins only.
 * @csspart settings - The settings view: a way back to the inbox and `<parley-settings>`.
 * @csspart back-to-inbox-button - Leaves the settings for the inbox.
 * @csspart sign-out-button - Signs the agent out.
 * @csspart shortcuts-button - Opens the keyboard shortcuts overlay (also the `?` key).
 * @csspart shortcuts - The keyboard shortcuts overlay, a modal dialog.
 * @csspart close-shortcuts-button - Closes it (also Escape).
 * @csspart sign-out-confirm - Asks before signing out with unsent replies (an alert dialog).
 * @csspart confirm-sign-out-button - Signs out anyway.
 * @csspart cancel-sign-out-button - Stays signed in.
 * @csspart list-pane - The column holding the conversation list.
 * @csspart conversation - The open conversation's column.
 * @csspart conversation-header - Customer, subject and controls above the thread.
 * @csspart back-button - Back to the list (narrow layouts only).
 * @csspart history - The customer's other conversations (a disclosure), when they have any.
 * @csspart history-summary - Its "2 other conversations" toggle.
 * @csspart history-item - One of them: date, status and preview; opens it.
 * @csspart customer-panel - The customer side panel: identity, pages, attributes, previous conversations.
 * @csspart customer-panel-toggle - Shows or hides it (it starts hidden below 1000px of console width).
 * @csspart controls - The status, assignee and chatbot controls.
 * @csspart status-select - The conversation status control.
 * @csspart assignee-select - The assignee control.
 * @csspart assign-me-button - Assigns the conversation to the signed-in agent.
 * @csspart chatbot-switch - The chatbot replies switch.
 * @csspart quick-replies - Buttons for the agent's next reply (up to 4 labels; the visitor's tap answers with one); not on notes.
 * @csspart quick-reply-input - One button's label.
 * @csspart error - An error message (sign-in, list or command).
 * @csspart sign-in - The sign-in form.
 * @csspart sign-in-button - The form's submit button.
 * @csspart forgot-password - The "Forgot password?" button under the sign-in form.
 * @csspart password-help - The password-reset request (its form, or "check your inbox").
 * @csspart password-recovery - The new-password form shown after opening a recovery link.
 *
 * @cssstate signed-in - An agent is signed in and the console is shown.
 */
export class ParleyInbox extends ParleyRootElement<InboxStrings> {
  static override css = [inboxStyles, presenceStyles, customerPanelStyles, shortcutsStyles, attentionStyles, settingsRouteStyles];

  /**
   * Seconds without input in any of the agent's console tabs before they show as away (30 to
   * 86400). Each console tab reports its own; the agent is away once every open tab is idle.
   */
  @property({ attribute: 'away-after', type: Number }) accessor awayAfter = DEFAULT_AWAY_AFTER_S;

  /** The open conversation; set it to open one from the host (a router), or let the agent pick. */
  @property({ attribute: 'conversation-id' }) accessor conversationId: string | null = null;

  /** What shows under the header: the conversations, or (admins only; others get `inbox`) the workspace settings. */
  @property({ reflect: true }) accessor view: ConsoleView = 'inbox';

  /** Where the attention sound goes; a short synthesized tone when null. Tests count its calls. */
  audioSink: AudioSink | null = null;

  /** Where the console stands (read-only for hosts). */
  @state() accessor phase: InboxPhase = 'idle';

  /** The signed-in agent (read-only for hosts); null before sign-in. */
  @state() accessor agent: Agent | null = null;

  /** Why signing in failed or was refused; shown above the form's button. */
  @state() private accessor signInError = '';

  /** The agent asked to sign out with unsent replies: the console asks first. */
  @state() private accessor confirmingSignOut = false;

  protected readonly defaultStrings: InboxStrings = inboxStrings;
  protected override readonly stringTable = 'inbox';

  #focusAfterRender: 'back' | 'list' | 'history' | null = null;
  // The console renders on every store change; its children get the same values while nothing they show changed.
  readonly #agentNames = memoizeLast((agents: readonly Agent[]): ReadonlyMap<string, string> =>
    new Map(agents.map((a) => [a.user_id, a.display_name])));
  readonly #senderNames = memoizeLast((agents: ReadonlyMap<string, string>, customerId: string, customer: string) =>
    ({ ...Object.fromEntries(agents), [customerId]: customer }) as Readonly<Record<string, string>>);
  readonly #typing = memoizeLast(othersTyping);
  readonly #stores = new StoreController(this);
  readonly #root = new RootSessionController(this, {
    create: () => this.createRootSession({ authScope: 'agent', typingName: () => this.agent?.display_name ?? null }),
    conversationId: () => this.conversationId,
    ready: () => this.phase === 'ready',
  });
  readonly #console = new AgentConsole(this.#root, {
    onChange: (state: AgentConsoleState) => {
      // Signed in: the conversation the agent had open in this tab before a reload opens again.
      const signedIn = state.phase === 'ready' && this.phase !== 'ready';
      this.phase = state.phase;
      this.agent = state.agent;
      if (signedIn && state.agent && this.conversationId === null) this.conversationId = this.#memory.openConversation(state.agent.user_id);
      this.signInError = state.signInError;
      if (state.phase !== 'ready') this.confirmingSignOut = false;
      this.#follow();
    },
    notAgent: () => this.text.notAgent,
    rateLimited: () => this.text.rateLimited,
    projectUrl: () => this.projectUrl,
    deactivated: () => void this.signOut().then(() => this.#console.refuse(this.text.deactivated)),
  });
  readonly #route = new SettingsRoute(this, {
    agent: () => (this.phase === 'ready' ? this.agent : null), client: () => this.session?.client, view: () => this.view,
    setView: (view) => (this.view = view), supabaseUrl: () => this.supabaseUrl, supabaseKey: () => this.supabaseKey, theme: () => this.theme,
  });
  readonly #presence = new ConsolePresence(this, {
    session: () => (this.phase === 'ready' ? this.session : undefined), awayAfter: () => this.awayAfter,
    userId: () => (this.phase === 'ready' ? (this.agent?.user_id ?? null) : null), conversationId: () => this.#root.heldConversationId,
  });
  readonly #memory = new ConsoleMemory(this, {
    projectUrl: () => this.projectUrl,
    agentId: () => (this.phase === 'ready' ? (this.agent?.user_id ?? null) : null),
    conversationId: () => this.conversationId,
    composer: () => this.renderRoot.querySelector('parley-composer'),
  });

  readonly #attention = new AttentionController(this, {
    session: () => (this.phase === 'ready' ? this.session : undefined), inbox: () => (this.phase === 'ready' ? this.#console.inbox : undefined),
    userId: () => (this.phase === 'ready' ? (this.agent?.user_id ?? null) : null), projectUrl: () => this.projectUrl,
    conversationId: () => this.conversationId, reading: () => this.#reading(), text: () => this.text, language: () => this.language,
    // A notification click is the agent's pick, as in the list: the host hears it and may refuse it.
    sink: () => this.audioSink, open: (id) => { if (this.emit(new ParleyConversationSelectEvent({ id }))) this.conversationId = id; },
  });
  readonly #customerPanel = new CustomerPanelController(this, { session: () => this.session, row: () => this.#selectedRow() });
  readonly #botName = new BotNameController(this, () => (this.phase === 'ready' ? this.session : undefined));
  /** The list follows the open thread; it renders nothing of its own, so nothing reads it. */
  protected readonly listFollow = new ListFollowController(this, { session: () => this.session, conversationId: () => this.conversationId });
  readonly #quickReplies = new QuickReplyDraft(this);
  readonly #passwordHelp = new PasswordHelpController(this, () => this.session);
  readonly #keyboard = new KeyboardController(this, {
    phase: () => this.phase, inbox: () => (this.#route.open ? undefined : this.#console.inbox), conversationId: () => this.conversationId, row: () => this.#selectedRow(),
    me: () => this.agent, select: (id) => this.#open(id), back: () => this.#onBack(),
  });

  /** The current session (undefined while not connected). */
  get session(): Session | undefined {
    return this.#root.session;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#console.boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#console.teardown();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId') || changed.has('phase')) this.#follow();
    // The open conversation's row (when no list page brought it) and its customer's other conversations.
    if (this.phase === 'ready') this.#console.inbox?.follow(this.conversationId);
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.setCustomState('signed-in', this.phase === 'ready');
    showStoredValues(this.renderRoot, this.#selectedRow());
    if (changed.has('phase') && this.phase === 'signed-out') {
      this.renderRoot.querySelector<HTMLInputElement>(this.signInError ? '#password' : '#email')?.focus();
    }
    this.#moveFocus();
  }

  /** Signs the agent out here and shows the sign-in form. */
  signOut(): Promise<void> {
    // The next person in this tab finds no trace of the agent's drafts.
    if (this.agent && this.#console.canSignOut) this.#memory.forget(this.agent.user_id);
    if (this.#console.canSignOut) this.#presence.signingOut();
    return this.#console.signOut();
  }

  protected override render(): TemplateResult {
    switch (this.phase) {
      case 'ready':
        return this.#renderConsole();
      case 'signed-out':
      case 'signing-in':
        return signInForm(this.text, { busy: this.phase === 'signing-in', error: this.signInError, onSubmit: (email: string, password: string) => this.#onSignIn(email, password) }, this.#passwordHelp.signInHelp(this.text));
      case 'error':
        return unavailableNotice(this.text, () => void this.#console.restart());
      default:
        return html`<div class="base notice" part="base"><p role="status">${this.text.checking}</p></div>`;
    }
  }

  #renderConsole(): TemplateResult {
    const t = this.text;
    const session = this.session as Session;
    const inbox = this.#console.inbox as InboxState;
    const { state } = session;
    const row = this.#selectedRow();
    const agentNames = this.#agentNames(inbox.$agents.get());
    // tabindex -1: a click on the console's text keeps focus inside it, where the keyboard shortcuts listen.
    return html`
      <div class="base console" part="base" lang=${this.language} dir=${this.languageDirection ?? nothing} tabindex="-1" data-view=${row ? 'conversation' : 'list'}
        @parley-retry=${() => this.session?.realtime.resync()}>
        <div class="header" part="header">
          <h2 class="title">${t.title}</h2>
          <parley-status
            .strings=${this.elementStrings?.status}
            .status=${state.$connection.get()}
            theme=${this.theme ?? nothing}
          ></parley-status>
          <span class="who">${formatString(t.signedInAs, { name: this.agent?.display_name ?? '' }, this.language)}</span>
          ${this.#presence.header(t, this.language)}
          ${this.#attention.settings(t)}
          ${this.#route.button(t)}
          ${!this.#console.canSignOut
            ? nothing
            : html`<button type="button" class="button" part="sign-out-button" @click=${this.#onSignOut}>${t.signOut}</button>`}
          ${this.#keyboard.render(t)}
        </div>
        ${this.confirmingSignOut
          ? signOutConfirmation({
            t, language: this.language, unsent: this.#console.unsent, kept: this.#console.outboxPersistent,
            onConfirm: () => { this.confirmingSignOut = false; void this.signOut(); }, onCancel: () => this.#onCancelSignOut(),
          })
          : nothing}
        ${this.#passwordHelp.recovery(t)}
        ${this.#route.open ? this.#route.view(t) : html`<div class="panes">
          ${listPane({
            t, language: this.language, theme: this.theme, elementStrings: this.elementStrings, state, inbox,
            selectedId: this.conversationId, reading: this.#reading(), agentNames, onSelect: this.#onSelect,
          })}
          ${row ? this.#renderConversation(row, agentNames) : html`
            <div class="conversation empty" part="conversation"><p>${t.noSelection}</p></div>`}
        </div>`}
      </div>
    `;
  }

  #renderConversation(row: ConversationSummary, agentNames: ReadonlyMap<string, string>): TemplateResult {
    const t = this.text;
    const language = this.language;
    const { state } = this.session as Session;
    const inbox = this.#console.inbox as InboxState;
    const customer = customerLabel(row.customer, row.customer_id, t.visitor, language);
    const held = this.#root.heldConversationId === row.id;
    const userId = state.$session.get().userId;
    return html`
      <section class="conversation" part="conversation"
        aria-label=${conversationLabel(t, customer, language)}
        @parley-send=${this.#onSend}
        @parley-typing=${this.#onTyping}
        @parley-retry-send=${(e: ParleyRetrySendEvent) => this.session?.realtime.retry(e.detail.id)}
        @parley-load-older=${this.#onLoadOlder}>
        ${conversationPane({
          t, language, theme: this.theme, elementStrings: this.elementStrings, row, inbox, me: this.agent,
          command: inbox.$commands.get()[row.id] ?? IDLE_COMMAND,
          customer,
          names: this.#senderNames(agentNames, row.customer_id, customer), botName: this.#botName.name,
          thread: held ? state.thread(row.id).get() : EMPTY_THREAD,
          userId,
          seenSeq: state.$seen.get()[row.id] ?? 0,
          typing: this.#typing(state.$typing.get()[row.id], userId, customer),
          history: inbox.$history.get(),
          cannedResponses: inbox.$cannedResponses.get(),
          viewers: this.#presence.viewers(row.id),
          customerPanel: this.#customerPanel.panel(t, language, inbox.$history.get(), this.#onOpenOther),
          customerPanelToggle: this.#customerPanel.toggle(t), quickReplies: this.#quickReplies.render(t, language, row.id),
        }, this.#paneHandlers)}
      </section>
    `;
  }

  readonly #paneHandlers = { onBack: () => this.#onBack(), onOpenOther: (id: string) => this.#onOpenOther(id) };

  #onSignIn(email: string, password: string): void {
    if (!email || !password) this.#console.refuse(this.text.missingCredentials);
    else void this.#console.signIn(email, password);
  }

  /** The sign-out button: asks first while replies are unsent (they are kept for the next sign-in). */
  #onSignOut(): void {
    if (this.#console.unsent === 0) return void this.signOut();
    this.confirmingSignOut = true;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="cancel-sign-out-button"]')?.focus());
  }

  #onCancelSignOut(): void {
    this.confirmingSignOut = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~="sign-out-button"]')?.focus());
  }

  /** Follows the stores the console renders, including the open conversation's thread. */
  #follow(): void {
    const session = this.session;
    const inbox = this.#console.inbox;
    if (!session || !inbox) return;
    const { state } = session;
    const id = this.conversationId;
    this.#stores.setStores(
      state.$connection, state.$session, state.$unread, state.$listFilter, state.$typing, state.$conversations, state.$seen, state.$outbox,
      inbox.$visible, inbox.$listStatus, inbox.$agents, inbox.$cannedResponses, inbox.$commands, inbox.$history,
      ...(id ? [state.thread(id)] : []),
    );
  }

  /** The conversation being read: open on a visible page, so its messages are marked read as they come. */
  #reading(): string | null {
    return this.phase === 'ready' && document.visibilityState === 'visible' ? this.conversationId : null;
  }

  #selectedRow(): ConversationSummary | null {
    const id = this.conversationId;
    if (!id || this.phase !== 'ready') return null;
    return this.session?.state.$conversations.get()[id] ?? null;
  }

  /** In the narrow layout one pane hides the other: keep focus on something visible. */
  #moveFocus(): void {
    const target = this.#focusAfterRender;
    this.#focusAfterRender = null;
    if (target === 'back') {
      const back = this.renderRoot.querySelector<HTMLElement>('.back');
      if (back && back.offsetParent !== null) back.focus();
    } else if (target === 'list') {
      this.renderRoot.querySelector('parley-conversation-list')?.focus();
    } else if (target === 'history') {
      this.renderRoot.querySelector<HTMLElement>('.history-summary')?.focus();
    }
  }

  #onSelect(event: ParleyConversationSelectEvent): void { this.#open(event.detail.id); }

  /** Picked in the list or by j/k: in the narrow layout the list hides, and focus moves to the way back. */
  #open(id: string): void {
    this.conversationId = id;
    this.#focusAfterRender = 'back';
  }

  /** One of the customer's other conversations: opened as if picked in the list; focus stays on their list's toggle. */
  readonly #onOpenOther = (id: string): void => {
    this.conversationId = id;
    this.#focusAfterRender = 'history';
  };

  #onBack(): void {
    this.conversationId = null;
    this.#focusAfterRender = 'list';
  }

  #onSend(event: ParleySendEvent): void {
    const id = this.conversationId;
    const session = this.session;
    if (!id || this.phase !== 'ready' || !session) return event.preventDefault();
    const buttons = this.#quickReplies.take(id, event.detail.visibility);
    session.realtime.send(id, event.detail.text, buttons ? { quick_replies: buttons } : undefined, event.detail);
    this.#presence.sent();
  }

  #onTyping(event: Event): void {
    const id = this.conversationId;
    // A note is the team's: only the team's presence hears it being written, never the customer's channel.
    if (id && this.phase === 'ready' && this.#presence.typing(event)) this.session?.realtime.typing(id);
  }

  #onLoadOlder(): void {
    const id = this.conversationId;
    if (id && this.phase === 'ready') this.session?.realtime.loadOlder(id).catch(() => undefined);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-inbox': ParleyInbox;
  }
}

import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ParleyRootElement } from '../parley-root-element.ts';
import { StoreController } from '../store-controller.ts';
import { isRateLimited, toParleyError } from '../../data/errors.ts';
import type { ParleySendEvent } from '../events.ts';
import { launcherStrings, type LauncherStrings } from '../../i18n/strings.ts';
import { safeLocalStorage, type Session } from '../../session/index.ts';
import { unreadBesides } from '../../state/reads.ts';
import { RootSessionController } from '../../session/root-session.ts';
import { hasVisitorSession, whenIdle, type Idle } from '../../session/storage-key.ts';
import { TeamProfiles, VisitorChat, startVisitor } from '../../session/visitor-start.ts';
import { VisitorContextController } from '../../session/visitor-context.ts';
import type { IdentifyInput } from '../../session/identify-input.ts';
import { bubbleButton } from './bubble-button.ts';
import { launcherStyles } from './launcher.styles.ts';
import { checkPreChat, preChatMode, type PreChatMode } from './pre-chat.ts';
import { PreChatForm } from './pre-chat-form.ts';
import { PanelMemory } from './panel-memory.ts';
import { VisitorHistory } from './history.ts';
import { launcherPanel } from './panel.ts';
import { PanelFocus } from './panel-focus.ts';
import { ReplyAttention } from './reply-attention.ts';
import { RatingPrompt } from './rating-prompt.ts';
import { QuickRepliesPrompt } from './quick-replies-prompt.ts';
import { WorkspaceSettings } from './workspace-settings.ts';
import { LauncherNavigation } from './navigation.ts';
import { AwayEmailSlot } from './away-email-slot.ts';
import { ContinueEmailSlot } from './continue-email-slot.ts';
import type { AudioSink } from '../../attention/sound.ts';

export { PRE_CHAT_MODES, type PreChatMode } from './pre-chat.ts';

/** Where the session stands: not asked for yet, starting, usable, or failed to start. */
export type LauncherPhase = 'idle' | 'starting' | 'ready' | 'error';

/**
 * @summary The visitor's chat widget: a floating bubble that opens a chat panel with the
 * connection status, the visitor's conversation and a composer.
 *
 * The root element of the visitor side (STYLE.md §8): each `<parley-launcher>` owns one session
 * (`createSession`: supabase-js client, data API, stores, realtime controller) and provides it to
 * descendants through `sessionContext` (@lit/context).
 *
 * Lifecycle contract:
 * - Nothing touches the network before the panel is first opened (the supabase-js client is not
 *   even created), except for a returning visitor (this browser holds a visitor session for the
 *   project): the launcher connects on idle while closed, so replies badge the bubble (only the
 *   bubble: the panel's UI is built when it first opens).
 * - On first open: signs in anonymously when the client has no session, starts the realtime
 *   controller and shows the home screen (README "What a visitor sees"; a reply email's link signs in and opens its conversation); sending, or choosing a
 *   conversation, shows it as one history: the newest at the bottom, earlier ones above it with a
 *   divider each. The first send starts the conversation, never opening; with `pre-chat` set,
 *   the panel first asks for a name and email, which that send passes to the new conversation.
 *   Once an agent closes the conversation, a notice replaces the composer, and "Start a new
 *   conversation" brings it back for the message that starts the next one.
 * - When the chat service refuses to start for too many tries from this network (HTTP 429, e.g.
 *   anonymous sign-ins past the per-IP limit), the panel says so and the visitor may go on typing:
 *   sending starts again and then sends the draft, once; refused again, the draft stays.
 * - Agents' replies and the typing line carry names and avatars from the team's public profiles.
 * - Unsent messages are kept in `localStorage` (per Supabase project; memory-only where storage is
 *   blocked) from the first open on (or that idle connect), and a reload sends them exactly once.
 * - From the first open on, the panel's open state and the composer's draft are kept for a reload
 *   of this tab (sessionStorage, per project): a reload opens the panel again, with the draft.
 * - Sending, retrying a failed send, typing, loading older history all go through the realtime
 *   controller; while the panel is open, new messages are marked read, and while it is closed
 *   the bubble shows the unread count.
 * - A reply that arrives while the page's tab is hidden changes its title until the visitor comes
 *   back, and plays a soft sound when `sound` is set.
 * - The workspace settings (README "Workspace settings") are read on first open, followed live and
 *   remembered per project; `strings`, `pre-chat`, `lang` and the page's `--parley-color-accent` win.
 * - Removing the element stops the controller and disposes what the element created (a host's
 *   `client` is never disposed, but its channels are released). Re-adding an element whose panel is
 *   open starts a new session.
 *
 * @csspart base - The fixed-position container.
 * @csspart bubble - The round open/close button.
 * @csspart badge - The unread count on the bubble (absent at zero).
 * @csspart panel - The chat panel (a non-modal dialog); full screen below 480px of viewport width.
 * @csspart header - The panel's title bar with status and close button.
 * @csspart subtitle - Under the title: how soon the team replies, or its away message (outside business hours or nobody online).
 * @csspart welcome - The workspace's greeting and intro, on the home screen.
 * @csspart home - The home screen; inside it: team (online agents), send-us-a-message, conversations, conversation, conversation-badge, continue-by-email (opens `<parley-email-sign-in>` in its place).
 * @csspart back-button - Back from a conversation to the home screen.
 * @csspart email-ask - Away mode's email form in the thread; email-ask-input, email-ask-error, email-skip, email-given.
 * @csspart close-button - Closes the panel.
 * @csspart pre-chat - The name and email fields shown before the first message (`pre-chat`).
 * @csspart pre-chat-input - Each of those fields.
 * @csspart pre-chat-error - Why a field's value cannot be used.
 * @csspart closed-notice - "This conversation was closed." in place of the composer.
 * @csspart start-new-button - "Start a new conversation" under it.
 * @csspart status-hint - The hint above the composer while the conversation is resolved.
 * @csspart start-notice - Why the chat could not start (too many attempts from this network).
 *
 * @cssproperty [--parley-launcher-offset=1.25rem] - Distance from the viewport's bottom and inline-end edges.
 * @cssproperty [--parley-launcher-z-index=2147483000] - Stacking order of the widget.
 *
 * @cssstate open - The panel is open.
 */
export class ParleyLauncher extends ParleyRootElement<LauncherStrings> {
  static override css = launcherStyles;

  /** Whether the panel is open; reflected. Setting it opens or closes the panel like the bubble does. */
  @property({ type: Boolean, reflect: true }) accessor open = false;

  /**
   * Asks a visitor without a conversation for their name and email above the composer: `none` (no
   * fields), `optional` (either may stay empty) or `required` (sending waits for both). Unset, the
   * workspace settings decide (`none` until read). Any other value counts as `none`.
   */
  @property({ attribute: 'pre-chat' }) accessor preChat: PreChatMode | null = null;

  /** A soft sound for a reply that arrives while the page's tab is hidden (the title changes either way). */
  @property({ type: Boolean }) accessor sound = false;

  /** Where that sound goes (a soft synthesized tone when null); tests count its calls. Not forwarded by parley.js's element. */
  audioSink: AudioSink | null = null;

  /** Where the session stands (read-only for hosts). */
  @state() accessor phase: LauncherPhase = 'idle';

  /** The visitor's current (newest) conversation, once found or started; null before. */
  @state() accessor conversationId: string | null = null;

  /** The visitor asked to start a new conversation after a closed one: the next send starts it. */
  @state() private accessor fresh = false;

  /** The last start was refused for too many attempts from this network (HTTP 429). */
  @state() private accessor rateLimited = false;

  protected readonly defaultStrings: LauncherStrings = launcherStrings;
  protected override readonly stringTable = 'launcher';

  #idle: Idle | undefined;
  /** The count parley.js's watch last drew, shown while the session starts (connect()). */
  #unreadHeard = 0;
  /** The panel's UI is built on the first open and kept; a connected, never-opened launcher is a bubble. */
  #opened = false;
  #chat: VisitorChat | null = null;
  #team: TeamProfiles | null = null;
  /** The visitor sent while the start was refused: the start runs again, then sends the draft. */
  #sendWhenStarted = false;
  readonly #stores = new StoreController(this);
  readonly #focus = new PanelFocus(this);
  readonly #settings = new WorkspaceSettings(this, {
    session: () => (this.phase === 'ready' ? this.session : undefined), opened: () => this.#opened, projectUrl: () => this.projectUrl,
  });
  readonly #preChat = new PreChatForm(this, () => preChatMode(this.#settings.preChat(this.preChat)));
  readonly #memory = new PanelMemory(this, () => this.projectUrl, () => this.renderRoot.querySelector('parley-composer'));
  readonly #root = new RootSessionController(this, {
    create: () => {
      // Read here, on first open, never earlier: the page may not want storage touched before.
      const storage = safeLocalStorage();
      return this.createRootSession(storage ? { outboxStorage: storage } : {});
    },
    // Held open (its messages fetched, its channel joined) once the panel has opened: a closed
    // launcher's badge comes from the conversations' counters.
    conversationId: () => (this.#opened ? this.conversationId : null), ready: () => this.phase === 'ready', shown: () => this.open && this.#nav.showingCurrent,
  });
  readonly #context = new VisitorContextController(this, { session: () => this.session, ready: () => this.phase === 'ready', conversationId: () => this.conversationId });
  readonly #attention = new ReplyAttention(this, {
    session: () => (this.phase === 'ready' ? this.session : undefined), sound: () => this.sound, sink: () => this.audioSink,
    text: () => this.text, language: () => this.language,
  });
  readonly #rating = new RatingPrompt(this, { session: () => this.session, settings: () => this.#settings.current, theme: () => this.theme });
  readonly #quick = new QuickRepliesPrompt(this);
  readonly #history = new VisitorHistory(this, {
    session: () => this.session, ready: () => this.phase === 'ready', shown: () => this.open, current: () => (this.fresh ? null : this.conversationId),
  });
  readonly #nav = new LauncherNavigation(this, this.#history, {
    session: () => this.session, ready: () => this.phase === 'ready', open: () => this.open, current: () => (this.fresh ? null : this.conversationId),
    showedThread: () => this.#memory.showedThread, onView: (thread) => this.#memory.rememberView(thread),
  });
  readonly #email = new AwayEmailSlot(this, { session: () => (this.phase === 'ready' ? this.session : undefined), projectUrl: () => this.projectUrl });
  readonly #continue = new ContinueEmailSlot(this, {
    session: () => this.session, ready: () => this.phase === 'ready', theme: () => this.theme, restart: () => this.#restart(),
    openConversation: (id) => this.#nav.openConversation(id), home: () => this.#nav.back(),
  });

  /** The page's language, else the workspace's (its settings), else the browser's. */
  protected override get language(): string {
    return this.closest<HTMLElement>('[lang]')?.lang || this.#settings.language || navigator.language;
  }

  /** The current session (undefined before the first open and after removal). */
  get session(): Session | undefined {
    return this.#root.session;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.open && this.phase === 'idle') {
      void this.#start();
    } else if (!this.client && this.supabaseUrl && hasVisitorSession(this.supabaseUrl)) {
      // A returning visitor: connect while closed, so replies that came in meanwhile badge the bubble.
      this.#idle ??= whenIdle(() => {
        this.#idle = undefined;
        if (!this.open) this.connect();
      });
    }
  }

  override disconnectedCallback(): void {
    // The session controller drops the session here.
    super.disconnectedCallback();
    this.#idle?.cancel();
    this.#idle = undefined;
    this.#chat = null;
    this.#team = null;
    this.#stores.setStores();
    this.phase = 'idle';
    this.conversationId = null;
    this.fresh = false;
    this.rateLimited = false;
    this.#sendWhenStarted = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('open') && this.open && this.phase === 'idle' && this.isConnected) void this.#start();
    if (this.open) this.#opened = true;
    if (changed.has('conversationId') || changed.has('phase')) this.#follow();
    this.#email.follow(this.fresh ? null : this.conversationId);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open')) this.setCustomState('open', this.open);
  }

  /** Opens the panel and moves focus into it. */
  show(): void {
    this.open = true;
  }

  /** Closes the panel; focus inside it returns to the bubble. */
  hide(): void {
    this.open = false;
  }

  /**
   * Tells the team who the visitor is: `name`, `email`, other keys as custom attributes (≤ 50; names ≤ 64
   * characters; strings ≤ 256, numbers, booleans; null removes one). Unverified unless a claim of the
   * `accessToken` JWT. Kept until the visitor has a conversation (never starts one). Bad input: TypeError.
   */
  identify(input: IdentifyInput): void {
    this.#context.identify(input);
  }

  /**
   * Starts the session as the first open would, without opening the panel, so the bubble's unread
   * badge is live. From parley.js's watch, which heard the team: `replyHeard`, alerted like a reply
   * heard here (a hidden tab's title and sound); `unread`, the bubble's count until the session's own.
   */
  connect(replyHeard = false, unread = 0): void {
    this.#unreadHeard ||= unread;
    if (this.phase === 'idle' && this.isConnected) void this.#start();
    if (replyHeard) this.#attention.replyHeard();
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const unread = this.#bubbleUnread();
    return html`
      <div class="base" part="base" lang=${this.language} dir=${this.languageDirection ?? nothing}>
        ${this.#opened ? this.#renderPanel() : nothing}
        ${bubbleButton({ t, language: this.language, open: this.open, unread, onClick: () => (this.open ? this.hide() : this.show()) })}
      </div>
    `;
  }

  /** Unread replies for the bubble's badge, besides the conversation the open panel shows on a visible page. */
  #bubbleUnread(): number {
    if (this.phase === 'starting') return this.#unreadHeard;
    const unread = this.session?.state.$unread.get();
    if (!unread) return 0;
    const reading = this.open && this.phase === 'ready' && this.#nav.showingCurrent && document.visibilityState === 'visible';
    return unreadBesides(unread, reading ? this.conversationId : null).total;
  }

  #renderPanel(): TemplateResult {
    const t = this.text;
    const session = this.session;
    const { id, thread, earlier, moreEarlier } = this.#nav.thread(this.fresh, this.conversationId);
    const userId = session?.state.$session.get().userId ?? null;
    const team = this.#team;
    team?.wantSenders([thread, ...earlier.map((x) => x.thread)]);
    const ready = this.phase === 'ready';
    const conversation = session && id ? session.state.$conversations.get()[id] : undefined;
    const nav = this.#nav;
    const home = nav.homeView(this.#settings, this.language);
    return launcherPanel({
      t, strings: this.elementStrings, theme: this.theme, open: this.open, ready,
      ...this.#settings.heading(t, this.strings?.title),
      home, readOnly: nav.selected !== null || this.#continue.showing, emailAsk: nav.selected ? nothing : this.#email.render(t, id, this.language),
      offer: this.#continue.offered(), emailSignIn: this.#continue.render(),
      status: this.phase === 'error' ? 'error' : (session?.state.$connection.get() ?? 'connecting'),
      thread, earlier, moreEarlier, viewerId: userId,
      seenSeq: session && id ? (session.state.$seen.get()[id] ?? 0) : 0,
      names: team?.names ?? {}, avatars: (this.#settings.avatars && team?.avatars) || {}, botName: this.#settings.botName,
      typing: team?.typing(session && id ? session.state.$typing.get()[id] : undefined, userId, t.agent) ?? [],
      preChat: ready && this.conversationId === null && !this.#continue.showing ? this.#preChat.render(t, this.language) : nothing,
      conversationStatus: home ? undefined : conversation?.status, rating: home ? nothing : this.#rating.render(conversation),
      // Only where the tap goes: the current conversation, open to the visitor's messages.
      quickReplies: home || !ready || nav.selected !== null || this.#chat?.next() !== 'current' ? nothing : this.#quick.render(thread, this.theme, this.#onQuickReply),
      // Refused for too many attempts: typing goes on, and sending is how the visitor tries again.
      waiting: this.phase === 'error' && this.rateLimited,
      failed: this.phase === 'error',
    }, {
      keydown: this.#focus.onKeydown, send: this.#onSend, typing: nav.typing, retrySend: nav.retrySend,
      loadOlder: nav.loadOlder, seen: this.#history.seen, retry: this.#onRetry, close: this.hide, startNew: this.#onStartNew,
      back: nav.back, openConversation: nav.openConversation, write: nav.write, continueByEmail: this.#continue.show,
    });
  }

  /** First open: session, sign-in, realtime, the latest open conversation. */
  async #start(): Promise<void> {
    this.phase = 'starting';
    let started: { session: Session; signal: AbortSignal };
    try {
      started = this.#root.create();
    } catch {
      this.rateLimited = false;
      this.#sendWhenStarted = false;
      this.phase = 'error';
      return;
    }
    const { session, signal } = started;
    this.#follow();
    try {
      await this.#continue.beforeStart(session);
      const conversationId = await startVisitor(session, signal);
      if (signal.aborted) return;
      this.#chat = new VisitorChat(session, signal, conversationId, (id) => {
        this.#history.startedHere(id);
        this.fresh = false;
        this.conversationId = id;
      });
      this.#team = new TeamProfiles(session, signal, () => this.requestUpdate());
      this.conversationId = conversationId;
      this.rateLimited = false;
      this.phase = 'ready';
    } catch (error) {
      if (signal.aborted) return;
      this.rateLimited = isRateLimited(toParleyError(error));
      this.phase = 'error';
    }
    if (this.#sendWhenStarted) {
      this.#sendWhenStarted = false;
      void this.updateComplete.then(() => this.#focus.afterRetriedSend(this.phase === 'ready'));
    }
  }

  /** Follows the session's stores for the current conversation. */
  #follow(): void {
    const session = this.session;
    if (!session) return;
    const { state } = session;
    const id = this.conversationId;
    const stores = [state.$connection, state.$unread, state.$typing, state.$session, state.$seen, state.$conversations];
    this.#stores.setStores(...stores, ...(id ? [state.thread(id)] : []));
  }

  #onSend(event: ParleySendEvent): void {
    const chat = this.#chat;
    if (!chat || this.phase !== 'ready') {
      // The composer keeps the draft.
      event.preventDefault();
      if (this.phase === 'error' && this.rateLimited) {
        this.#sendWhenStarted = true;
        this.#restart();
      }
      return;
    }
    const { text } = event.detail;
    // The pre-chat asks before the first conversation only (after a closed one, name and email are known).
    const details = chat.next() === 'new' ? this.#preChat.check() : checkPreChat({ name: '', email: '' }, 'none');
    if (!details.valid) {
      event.preventDefault(); // the composer keeps the draft
      return;
    }
    // From the home screen after a closed conversation, the message starts the next one.
    if (this.#nav.home && chat.next() === 'after-closed') this.fresh = true;
    if (this.#settings.away()) this.#email.sentAway();
    this.#nav.toCurrent();
    chat.send(text, details, event.detail).catch(() => {
      // The conversation could not start: hand the text back to the composer for a new try.
      const composer = this.renderRoot.querySelector('parley-composer');
      if (composer && composer.value === '') composer.value = text;
      this.#memory.syncDraft();
    });
  }

  /** A quick reply's label goes out as the visitor's message, with the button's id. */
  #onQuickReply = (label: string, id: string): void => {
    void this.#chat?.send(label, { name: null, email: null }, undefined, { quick_reply: id }).catch(() => undefined);
  };

  /** After a closed conversation: the composer comes back, and its first message starts a new one. */
  #onStartNew(): void {
    this.#chat?.startNew();
    this.fresh = true;
    this.#nav.toCurrent();
    void this.updateComplete.then(() => this.renderRoot.querySelector('parley-composer')?.focus());
  }

  #onRetry(): void {
    if (this.phase === 'error') this.#restart();
    else this.session?.realtime.resync();
  }

  /** A failed start is dropped and made again from scratch. */
  #restart(): void {
    this.#root.drop();
    this.#stores.setStores();
    this.phase = 'idle';
    void this.#start();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-launcher': ParleyLauncher;
  }
}

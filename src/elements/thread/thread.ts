import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ParleyElement } from '../parley-element.ts';
import { ParleyConversationSeenEvent, ParleyLoadOlderEvent, ParleyRetrySendEvent } from '../events.ts';
import { formatString, threadStrings } from '../../i18n/strings.ts';
import type { ThreadStrings } from '../../i18n/strings.ts';
import type { Message } from '../../data/types.ts';
import { EMPTY_THREAD } from '../../state/thread.ts';
import type { ThreadState } from '../../state/thread.ts';
import { listFormat, threadRows } from './rows.ts';
import { flattenThread, type FlatThread, type ThreadSection } from './sections.ts';
import { changedAbove, keptNodes } from './kept-nodes.ts';
import { RowNodes, type RowNodesResult } from './row-nodes.ts';
import { findAnchor, restoreAnchor, type ScrollAnchor } from './scroll-anchor.ts';
import { BottomFollower } from './bottom-follower.ts';
import { SeenWatcher, type UnreadEnd } from './seen-watcher.ts';
import { isViewer, type Senders } from './senders.ts';
import { followHistory, newestWindow, WINDOW_STEP, windowLimit } from './thread-window.ts';
import { threadStyles } from './thread.styles.ts';

export type { ThreadSection } from './sections.ts';
export { INITIAL_WINDOW, MAX_RENDERED, WINDOW_STEP } from './thread-window.ts';

export const THREAD_VIEWERS = ['customer', 'agent'] as const;
export type ThreadViewer = (typeof THREAD_VIEWERS)[number];

/** Distance from an edge of the log, in pixels, that counts as "at" it. */
const EDGE_PX = 120;
/** The properties the rows are made from; an update that changes none of them keeps every row. */
const ROW_INPUTS = ['thread', 'earlier', 'moreEarlier', 'viewer', 'viewerId', 'seenSeq', 'names', 'avatars', 'botName', 'strings', 'failedAvatars', 'start', 'end'];
const NO_ROWS: RowNodesResult = { nodes: [], byKey: new Map(), added: new Set() };

/**
 * @summary The messages of one conversation: grouped by sender and day, the viewer's own on the
 * inline end, system messages as centred notes, optimistic sends with their delivery state, and a
 * "Seen" receipt. A presentational element: it renders the `ThreadState` it is given and asks for
 * more through events.
 *
 * Message text is only ever text: http(s) URLs become links, everything else (markup, other
 * schemes, control characters) is shown as written. At most 400 message nodes are in the DOM
 * whatever the history length: a window of messages follows the scroll position, keeping the
 * reading position anchored when it slides. New messages keep the view at the bottom, unless the
 * reader scrolled up, in which case a "New messages" button appears.
 *
 * A message's files (`attachments`) follow its text, or stand alone: PNG, JPEG, GIF and WebP as
 * thumbnails that open a viewer, everything else as a card that downloads. Their boxes have their
 * final size before anything loads, so the log never jumps; the elements come in a chunk of their own.
 *
 * Give the element a height (or place it in a sized flex or grid cell); the log scrolls inside it.
 *
 * Earlier conversations (`earlier`, the visitor's history) show above the current one as one
 * history, each ending with a divider ("Conversation closed · 3 December"); scrolling up past the
 * start of one asks for more (`parley-load-older`) until `moreEarlier` is false. The window and the
 * anchoring span them all. An earlier conversation with unread messages gets a "New reply in an
 * earlier conversation" button that scrolls to it, and `parley-conversation-seen` once its newest
 * message is in view. Senders of the team show an avatar: the image of `avatars` (initials when it
 * fails) or their initials in a coloured circle.
 *
 * Internal messages (`visibility: 'internal'`, only ever in the team's view) look different: an
 * agent's note has the note colours, a lock and "Internal note" in its sender line, from the moment
 * it is sent; an internal system line (an assignment, a move to pending) carries a lock and "Only
 * your team sees this". "Seen" never goes under a note: the customer cannot read it.
 *
 * @event {ParleyRetrySendEvent} parley-retry-send - The user pressed Retry on a failed send; `detail.id` is the pending message's id.
 * @event {ParleyLoadOlderEvent} parley-load-older - The reader reached the oldest held message while there is more (the top conversation's `hasMore`, or `moreEarlier`); fetch older history.
 * @event {ParleyConversationSeenEvent} parley-conversation-seen - The newest message of an earlier conversation with unread messages is in view; `detail` has its conversation id and seq.
 *
 * @csspart base - The whole thread.
 * @csspart log - The scrolling message list (`role="log"`).
 * @csspart day - A day separator.
 * @csspart message - One message row; it also carries one of `mine`, `theirs` or `system`.
 * @csspart mine - A message of the viewer's (with `message`).
 * @csspart theirs - A message of another sender (with `message`).
 * @csspart system - A system note: a status change or assignment (with `message`).
 * @csspart pending - A send not yet confirmed by the server (with `message mine`).
 * @csspart note - An internal note, an agent's message only the team reads (with `message` and `mine` or `theirs`, and `pending` until confirmed).
 * @csspart internal - An internal system line only the team reads, e.g. an assignment (with `message system`).
 * @csspart team-only - "Only your team sees this" under an internal system line.
 * @csspart sender - The sender label above a group of messages.
 * @csspart avatar - A team member's avatar in the sender label: their image, or (with `initials`) their initials; the chatbot's also has `bot`.
 * @csspart initials - An avatar drawn as initials in a coloured circle (with `avatar`).
 * @csspart bot - The chatbot's avatar, its name's initials in a rounded square (with `avatar initials`); its replies carry its name (`bot-name`).
 * @csspart divider - The end of an earlier conversation: how and when it ended.
 * @csspart earlier-pill - The "New reply in an earlier conversation" button.
 * @csspart bubble - A message's text.
 * @csspart attachments - A message's files: `<parley-attachment>` thumbnails and cards.
 * @csspart meta - Time, delivery state and receipt under a message.
 * @csspart receipt - "Sending…" or "Seen" under one of the viewer's own messages, as generated content (the row's `data-receipt` says which shows: `sending`, `sent`, `none` or `seen`).
 * @csspart link - A link inside a message.
 * @csspart retry-button - Retry on a failed send.
 * @csspart load-older - The "Load earlier messages" button at the top.
 * @csspart pill - The "New messages" button.
 * @csspart typing - Who is typing.
 *
 * @cssproperty [--parley-color-accent=#1f5fd1] - The viewer's bubbles and the pill (`-dark` twin in dark mode).
 * @cssproperty [--parley-color-on-accent=#ffffff] - Text on the viewer's bubbles.
 * @cssproperty [--parley-color-surface=#ffffff] - Background.
 * @cssproperty [--parley-color-surface-raised=#f1f3f6] - Other senders' bubbles.
 * @cssproperty [--parley-color-text=#1c1f24] - Text.
 * @cssproperty [--parley-color-text-muted=#535a66] - Meta, day separators, system notes.
 * @cssproperty [--parley-color-danger=#b3261e] - Failed sends.
 * @cssproperty [--parley-color-note=#fff4d1] - Note bubbles (`-dark` twin in dark mode).
 * @cssproperty [--parley-color-note-border=#8a5a00] - Note borders, locks and the "Internal note" label.
 * @cssproperty [--parley-radius=0.5rem] - Bubble corner radius.
 * @cssproperty [--parley-space=0.5rem] - Spacing unit.
 * @cssproperty [--parley-font-family=system-ui] - Font.
 *
 * @cssstate scrolled-up - The reader is away from the newest messages.
 */
export class ParleyThread extends ParleyElement<ThreadStrings> {
  static override css = threadStyles;

  /** The thread to show (from `createThreadStore` or the reducers in `state/thread.ts`). */
  @property({ attribute: false }) accessor thread: ThreadState = EMPTY_THREAD;

  /** Whose side the viewer is on: messages of this sender type are "mine", on the inline end. */
  @property({ reflect: true }) accessor viewer: ThreadViewer = 'customer';

  /** The viewer's user id: their messages read "You" and carry the "Seen" receipt. */
  @property({ attribute: 'viewer-id' }) accessor viewerId: string | null = null;

  /** Highest seq the other side has read; "Seen" shows under the viewer's last message at or below it. */
  @property({ attribute: 'seen-seq', type: Number }) accessor seenSeq = 0;

  /** Display names by sender id. */
  @property({ attribute: false }) accessor names: Readonly<Record<string, string>> = {};

  /** Avatar image URLs by sender id (team members); without one, a team sender shows initials. */
  @property({ attribute: false }) accessor avatars: Readonly<Record<string, string>> = {};

  /** The chatbot's name above its replies (the workspace's setting); without it, its role ("Bot"). */
  @property({ attribute: 'bot-name' }) accessor botName: string | null = null;

  /** Names of the people typing now. */
  @property({ attribute: false }) accessor typing: readonly string[] = [];

  /** Earlier conversations shown above `thread`, oldest first (the visitor's history). */
  @property({ attribute: false }) accessor earlier: readonly ThreadSection[] = [];

  /** More conversations exist before the first of `earlier`: scrolling past the top asks for one. */
  @property({ attribute: 'more-earlier', type: Boolean }) accessor moreEarlier = false;

  /** Avatar images that failed to load: their senders show initials. */
  @state() private accessor failedAvatars: ReadonlySet<string> = new Set();

  /** The window of the flattened history (`flat.messages`) in the DOM: indices [start, end). */
  @state() private accessor start = 0;
  @state() private accessor end = 0;
  /** The view follows the newest messages. */
  @state() private accessor stuck = true;
  /** Messages arrived while the reader was scrolled up. */
  @state() private accessor unseen = false;

  protected readonly defaultStrings: ThreadStrings = threadStrings;
  protected override readonly stringTable = 'thread';

  /** The row kept in place across an update: its key and its distance from the top of the viewport. */
  private anchor: ScrollAnchor | undefined;
  /** The history for which `parley-load-older` was sent; one request per value. */
  private olderRequestedFor: FlatThread | undefined;
  /** Earlier sections and the current thread as one list (sections.ts). */
  private flat: FlatThread = flattenThread(EMPTY_THREAD, [], false);
  /** Each row's DOM, built once and kept while its inputs stay the same. */
  private readonly rowNodes = new RowNodes();
  /** The rows in the log, as of the latest update. */
  private shown: RowNodesResult = NO_ROWS;
  /** The language the rows were built in. */
  private shownLang = '';
  /** This update changes what the log holds: a view stuck to the bottom follows it there. */
  private contentChanged = false;
  private readonly bottom = new BottomFollower(() => (this.stuck ? this.log : undefined));
  private log: HTMLElement | undefined;
  private readonly seen = new SeenWatcher(({ conversationId, seq }) => this.emit(new ParleyConversationSeenEvent({ conversationId, seq })));
  /** The log changing size (the typing line, a host resize) must not lose the bottom. */
  private readonly resized = new ResizeObserver(() => {
    if (this.stuck && this.log) this.log.scrollTop = this.log.scrollHeight;
  });

  /** Shows the newest messages and scrolls to them. */
  scrollToBottom(): void {
    ({ start: this.start, end: this.end } = newestWindow(this.flat.messages.length));
    this.stuck = true;
    this.unseen = false;
    const log = this.log;
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** The most confirmed messages the window may hold next to the pending ones. */
  private get windowLimit(): number {
    return windowLimit(this.thread.pending.length);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.log) this.observe(this.log);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.seen.disconnect();
    this.resized.disconnect();
    this.bottom.cancel();
  }

  private observe(log: HTMLElement): void {
    this.seen.connect(log);
    this.resized.observe(log);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const flatChanged = changed.has('thread') || changed.has('earlier') || changed.has('moreEarlier');
    if (flatChanged) {
      const previous = this.flat;
      this.flat = flattenThread(this.thread, this.earlier, this.moreEarlier);
      const { start, end, stuck, unseen } = this;
      const next = followHistory({ start, end, stuck, unseen }, previous, this.flat, this.thread, changed.has('thread') ? changed.get('thread') : this.thread);
      ({ start: this.start, end: this.end, stuck: this.stuck, unseen: this.unseen } = next);
    }
    const lang = this.language;
    const keys = changed as PropertyValues;
    if (lang === this.shownLang && !ROW_INPUTS.some((key) => keys.has(key))) return;
    this.shownLang = lang;
    const previous = this.shown;
    const senders = this.senders();
    const rows = threadRows(this.flat, this.thread.pending, this.start, this.end, {
      side: this.viewer,
      isViewer: (m) => isViewer(senders, m),
      seenSeq: this.seenSeq,
    });
    this.shown = this.rowNodes.update(rows, { ...senders, lang }, [lang, this.strings]);
    this.contentChanged = flatChanged || this.shown.added.size > 0 || this.shown.nodes.length !== previous.nodes.length;
    // Rows added or dropped above the reading position would move it: note where it is first.
    const moved = !this.stuck && this.log && changedAbove(previous.nodes, this.shown.nodes, this.shown.added);
    this.anchor = moved && this.log ? findAnchor(this.log, previous.nodes) : undefined;
    this.rowNodes.patch();
  }

  private senders(): Senders {
    const { text: t, viewer: side, viewerId, names, avatars, failedAvatars, botName } = this;
    return { t, side, viewerId, names, avatars, failedAvatars, botName };
  }

  protected override firstUpdated(): void {
    const log = this.renderRoot.querySelector<HTMLElement>('.log');
    if (!log) return;
    this.log = log;
    this.observe(log);
    // Delegated, one listener for every row: the Retry buttons (keyboard-operable themselves) and
    // avatar images, whose `error` does not bubble (hence the capture phase).
    log.addEventListener('click', (event) => this.onLogClick(event));
    log.addEventListener('error', (event) => this.onAvatarError(event), { capture: true });
  }

  /**
   * No layout read here for a view stuck to the bottom (BottomFollower scrolls it there in the
   * frame); one when rows came or went above the reading position, for the anchored row. Whether an
   * earlier conversation's reply is in view comes from the SeenWatcher, never from offsets.
   */
  protected override updated(): void {
    this.setCustomState('scrolled-up', !this.stuck);
    const log = this.log;
    if (!log) return;
    const anchor = this.anchor;
    this.anchor = undefined;
    if (this.stuck) {
      if (this.contentChanged) this.bottom.follow();
    } else if (anchor) {
      const row = this.shown.byKey.get(anchor.key);
      if (row) restoreAnchor(log, row, anchor);
    }
    this.contentChanged = false;
    this.seen.watch(this.unreadRows());
    this.seen.report();
  }

  /** The newest message of each earlier section with unread messages, with its index. */
  private unreadEnds(): { section: ThreadSection; message: Message; at: number }[] {
    const { sections, bounds, messages } = this.flat;
    const ends = [];
    for (const [i, section] of sections.entries()) {
      const at = (bounds[i]?.end ?? 0) - 1;
      const message = messages[at];
      if (section.unread > 0 && message) ends.push({ section, message, at });
    }
    return ends;
  }

  /** The rows in the log that an earlier conversation's unread reply is, for the SeenWatcher. */
  private unreadRows(): Map<Element, UnreadEnd> {
    const rows = new Map<Element, UnreadEnd>();
    for (const { section, message } of this.unreadEnds()) {
      const row = this.shown.byKey.get(message.id);
      if (row) rows.set(row, { conversationId: section.id, seq: message.seq });
    }
    return rows;
  }

  /** Brings the newest unread reply of an earlier conversation into view. */
  private async onEarlierPillClick(): Promise<void> {
    const end = this.unreadEnds()[0];
    if (!end) return;
    if (end.at < this.start || end.at >= this.end) {
      this.start = Math.max(0, end.at - WINDOW_STEP);
      this.end = Math.min(this.flat.messages.length, this.start + this.windowLimit);
    }
    this.stuck = false;
    await this.updateComplete;
    const log = this.log;
    const row = this.shown.byKey.get(end.message.id);
    if (log && row) log.scrollTop = Math.max(0, row.offsetTop - log.clientHeight / 2);
    log?.focus({ preventScroll: true });
  }

  private onScroll(): void {
    const log = this.log;
    if (!log || this.bottom.pending) return;
    const length = this.flat.messages.length;
    const nearTop = log.scrollTop <= EDGE_PX;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= EDGE_PX;

    if (nearTop && log.scrollHeight > log.clientHeight) {
      if (this.slideToOlder()) return;
      this.requestOlder();
    }
    if (nearBottom && this.end < length) {
      this.stuck = false;
      this.end = Math.min(length, this.end + WINDOW_STEP);
      this.start = Math.max(this.start, this.end - this.windowLimit);
      return;
    }
    const stuck = nearBottom && this.end >= length;
    if (stuck !== this.stuck) this.stuck = stuck;
    if (stuck) this.unseen = false;
  }

  private requestOlder(): void {
    const flat = this.flat;
    if (!flat.hasMore || flat.loading || this.olderRequestedFor === flat) return;
    this.olderRequestedFor = flat;
    this.emit(new ParleyLoadOlderEvent());
  }

  /** Moves the rendered window towards older held messages; false when it already shows the oldest. */
  private slideToOlder(): boolean {
    if (this.start === 0) return false;
    this.stuck = false;
    this.start = Math.max(0, this.start - WINDOW_STEP);
    this.end = Math.min(this.end, this.start + this.windowLimit);
    return true;
  }

  private onLoadOlderClick(): void {
    if (!this.slideToOlder()) this.requestOlder();
  }

  private onPillClick(): void {
    this.scrollToBottom();
    this.log?.focus({ preventScroll: true });
  }

  /** Retry on a failed send: one listener on the log for every row. */
  private onLogClick(event: Event): void {
    const retry = event.target instanceof Element ? event.target.closest('.retry') : null;
    const id = retry?.closest<HTMLElement>('.pending')?.dataset['id'];
    if (id) this.emit(new ParleyRetrySendEvent({ id }));
  }

  /** An avatar image failed: its sender shows initials. */
  private onAvatarError(event: Event): void {
    const url = event.target instanceof HTMLImageElement && event.target.matches('.avatar') ? event.target.getAttribute('src') : null;
    if (url && !this.failedAvatars.has(url)) this.failedAvatars = new Set([...this.failedAvatars, url]);
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const lang = this.shownLang;
    const flat = this.flat;
    const atOldest = this.start === 0;
    const typing = this.typing.filter((name) => name.trim() !== '');
    let top: TemplateResult | typeof nothing = nothing;
    // Before the first page lands there is nothing to load "earlier" than: the page brings the history.
    if (!atOldest || (flat.hasMore && flat.messages.length > 0)) {
      top = html`<button class="load-older" part="load-older" type="button" ?disabled=${flat.loading && atOldest} @click=${this.onLoadOlderClick}>
        ${flat.loading && atOldest ? t.loadingOlder : t.loadOlder}
      </button>`;
    } else if (flat.messages.length > 0) {
      top = html`<p class="beginning">${t.beginning}</p>`;
    }

    return html`
      <div class="base" part="base">
        <div class="log-frame"><div
          class="log"
          part="log"
          role="log"
          aria-live="polite"
          aria-label=${t.label}
          aria-busy=${flat.loading ? 'true' : 'false'}
          tabindex="0"
          @scroll=${this.onScroll}
        >${top}${this.shown.nodes.length === 0 && !flat.loading ? html`<p class="empty">${t.empty}</p>` : nothing}${keptNodes(this.shown.nodes)}</div></div>
        <div class="typing" part="typing" role="status">
          ${typing.length > 0
            ? formatString(typing.length === 1 ? t.typingOne : t.typingMany, { names: listFormat(lang, typing) })
            : nothing}
        </div>
        <button class="pill" part="pill" type="button" ?hidden=${!this.unseen} @click=${this.onPillClick}>${t.newMessages}</button>
        <button class="pill earlier-pill" part="earlier-pill" type="button" ?hidden=${this.unseen || !flat.sections.some((x) => x.unread > 0)}
          @click=${this.onEarlierPillClick}>${t.newEarlierReply}</button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-thread': ParleyThread;
  }
}

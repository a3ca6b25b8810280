import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ParleyElement } from '../parley-element.ts';
import { ParleyConversationSeenEvent, ParleyLoadOlderEvent, ParleyRetrySendEvent } from '../events.ts';
import { formatString, threadStrings } from '../../i18n/strings.ts';
import type { ThreadStrings } from '../../i18n/strings.ts';
import type { Message, SenderType } from '../../data/types.ts';
import { EMPTY_THREAD } from '../../state/thread.ts';
import type { ThreadState } from '../../state/thread.ts';
import { listFormat, threadRows } from './rows.ts';
import type { Row } from './rows.ts';
import { flattenThread, type FlatThread, type ThreadSection } from './sections.ts';
import { rowTemplate, type AvatarOf, type RowContext } from './templates.ts';
import { threadStyles } from './thread.styles.ts';

export type { ThreadSection } from './sections.ts';

export const THREAD_VIEWERS = ['customer', 'agent'] as const;
export type ThreadViewer = (typeof THREAD_VIEWERS)[number];

/** Most message nodes in the DOM at once, pending sends included. */
export const MAX_RENDERED = 400;
/** Messages shown when a thread first renders or the view jumps to the newest. */
export const INITIAL_WINDOW = 200;
/** Messages added (or dropped) when the reader nears an edge of the window. */
export const WINDOW_STEP = 100;
/** Distance from an edge of the log, in pixels, that counts as "at" it. */
const EDGE_PX = 120;


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
 * @csspart avatar - A team member's avatar in the sender label: their image, or (with `initials`) their initials.
 * @csspart initials - An avatar drawn as initials in a coloured circle (with `avatar`).
 * @csspart divider - The end of an earlier conversation: how and when it ended.
 * @csspart earlier-pill - The "New reply in an earlier conversation" button.
 * @csspart bubble - A message's text.
 * @csspart meta - Time, delivery state and receipt under a message.
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

  /** The row kept in place across an update: its key and its distance from the top of the viewport. */
  private anchor: { key: string; offset: number } | undefined;
  /** The history for which `parley-load-older` was sent; one request per value. */
  private olderRequestedFor: FlatThread | undefined;
  /** Earlier sections and the current thread as one list (sections.ts). */
  private flat: FlatThread = flattenThread(EMPTY_THREAD, [], false);

  private get log(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.log');
  }

  /** Shows the newest messages and scrolls to them. */
  scrollToBottom(): void {
    const length = this.flat.messages.length;
    this.end = length;
    this.start = Math.max(0, length - INITIAL_WINDOW);
    this.stuck = true;
    this.unseen = false;
    const log = this.log;
    if (log) log.scrollTop = log.scrollHeight;
  }

  private isMine(sender: SenderType): boolean {
    return sender === this.viewer;
  }

  private isViewer(message: Pick<Message, 'sender_type' | 'sender_id'>): boolean {
    return this.isMine(message.sender_type) && (this.viewerId === null || message.sender_id === this.viewerId);
  }

  /** The most confirmed messages the window may hold next to the pending ones. */
  private get windowLimit(): number {
    return Math.max(WINDOW_STEP, MAX_RENDERED - this.thread.pending.length);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('thread') || changed.has('earlier') || changed.has('moreEarlier')) {
      const previous = this.flat;
      this.flat = flattenThread(this.thread, this.earlier, this.moreEarlier);
      this.followThread(previous, changed.has('thread') ? changed.get('thread') : this.thread);
    }
    this.captureAnchor();
  }

  /** Maps the window onto a new history (older pages and conversations prepend, new messages append). */
  private followThread(previous: FlatThread, previousThread: ThreadState | undefined): void {
    const { messages, index } = this.flat;
    const length = messages.length;
    const old = previous.messages;
    const first = old[this.start];
    const last = old[this.end - 1];
    const newest = (list: readonly Message[]): number => list[list.length - 1]?.seq ?? 0;
    const arrived =
      previousThread !== undefined &&
      (newest(this.thread.messages) > newest(previousThread.messages) || this.thread.pending.length > previousThread.pending.length);

    // Another conversation (the window's first message is gone): start again at its newest.
    const firstAt = first === undefined ? undefined : index.get(first.id);
    const replaced = first !== undefined && firstAt === undefined;
    if (replaced) {
      this.stuck = true;
      this.unseen = false;
    }
    if (firstAt === undefined || !last || this.stuck) {
      this.end = length;
      this.start = Math.max(0, length - INITIAL_WINDOW);
    } else {
      const atEnd = this.end >= old.length;
      this.start = firstAt;
      this.end = atEnd ? length : Math.max(firstAt, index.get(last.id) ?? firstAt) + 1;
    }
    if (this.end - this.start > this.windowLimit) {
      // Stuck to the bottom: drop the oldest; otherwise keep what the reader sees and stop short.
      if (this.stuck) this.start = this.end - this.windowLimit;
      else this.end = this.start + this.windowLimit;
    }
    if (arrived && !replaced && !this.stuck) this.unseen = true;
  }

  private captureAnchor(): void {
    this.anchor = undefined;
    const log = this.log;
    if (!log || this.stuck) return;
    const top = log.scrollTop;
    // Messages only: a day separator moves when older messages of its day are added above it.
    for (const row of log.querySelectorAll<HTMLElement>('.message[data-key]')) {
      if (row.offsetTop + row.offsetHeight > top) {
        this.anchor = { key: row.dataset['key'] ?? '', offset: row.offsetTop - top };
        return;
      }
    }
  }

  protected override updated(): void {
    this.setCustomState('scrolled-up', !this.stuck);
    const log = this.log;
    if (!log) return;
    if (this.stuck) {
      log.scrollTop = log.scrollHeight;
    } else {
      const anchor = this.anchor;
      this.anchor = undefined;
      const row = anchor ? this.row(anchor.key) : null;
      if (anchor && row) {
        const target = row.offsetTop - anchor.offset;
        if (Math.abs(log.scrollTop - target) >= 1) log.scrollTop = target;
      }
    }
    this.reportSeen();
  }

  private row(key: string): HTMLElement | null {
    return this.log?.querySelector<HTMLElement>(`.message[data-key="${CSS.escape(key)}"]`) ?? null;
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

  /** An earlier conversation's unread reply in view is seen: the page marks it read. */
  private reportSeen(): void {
    const log = this.log;
    if (!log) return;
    for (const { section, message } of this.unreadEnds()) {
      const row = this.row(message.id);
      if (row && row.offsetTop < log.scrollTop + log.clientHeight && row.offsetTop + row.offsetHeight > log.scrollTop) {
        this.emit(new ParleyConversationSeenEvent({ conversationId: section.id, seq: message.seq }));
      }
    }
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
    const row = this.row(end.message.id);
    if (log && row) log.scrollTop = Math.max(0, row.offsetTop - log.clientHeight / 2);
    log?.focus({ preventScroll: true });
    this.reportSeen();
  }

  private onScroll(): void {
    const log = this.log;
    if (!log) return;
    this.reportSeen();
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

  private rows(): Row[] {
    return threadRows(this.flat, this.thread.pending, this.start, this.end, {
      side: this.viewer,
      isViewer: (m) => this.isViewer(m),
      seenSeq: this.seenSeq,
    });
  }

  private senderLabel(message: Pick<Message, 'sender_type' | 'sender_id' | 'visibility'>): string {
    const t = this.text;
    const name = message.sender_id === null ? undefined : this.names[message.sender_id];
    if (this.isMine(message.sender_type) && this.viewerId !== null && message.sender_id === this.viewerId) {
      return message.visibility === 'internal' ? formatString(t.noteSender, { name: t.you }) : t.you;
    }
    const role = t[message.sender_type];
    if (message.visibility === 'internal') return formatString(t.noteSender, { name: name ?? role });
    return name ? formatString(t.sender, { name, role }) : role;
  }

  /** A team member's avatar (never the viewer's own): their image, or initials once the name is known. */
  private avatar(message: Pick<Message, 'sender_type' | 'sender_id'>): AvatarOf | null {
    const id = message.sender_id;
    if (id === null || message.sender_type !== 'agent' || this.isViewer(message)) return null;
    const name = this.names[id];
    if (!name) return null;
    const url = this.avatars[id];
    return { id, name, url: url && !this.failedAvatars.has(url) ? url : null };
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const lang = this.language;
    const flat = this.flat;
    const rows = this.rows();
    const atOldest = this.start === 0;
    const typing = this.typing.filter((name) => name.trim() !== '');
    const ctx: RowContext = {
      t, lang,
      isMine: (m) => this.isMine(m.sender_type),
      senderLabel: (m) => this.senderLabel(m),
      avatar: (m) => this.avatar(m),
      onAvatarError: (url) => {
        this.failedAvatars = new Set([...this.failedAvatars, url]);
      },
      onRetry: (id) => this.emit(new ParleyRetrySendEvent({ id })),
    };
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
        <div
          class="log"
          part="log"
          role="log"
          aria-live="polite"
          aria-label=${t.label}
          aria-busy=${flat.loading ? 'true' : 'false'}
          tabindex="0"
          @scroll=${this.onScroll}
        >
          ${top}
          ${rows.length === 0 && !flat.loading ? html`<p class="empty">${t.empty}</p>` : nothing}
          ${repeat(rows, (row) => row.key, (row) => rowTemplate(row, ctx))}
        </div>
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

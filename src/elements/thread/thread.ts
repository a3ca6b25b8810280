import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ParleyElement } from '../parley-element.ts';
import { ParleyLoadOlderEvent, ParleyRetrySendEvent } from '../events.ts';
import { formatString, threadStrings } from '../../i18n/strings.ts';
import type { ThreadStrings } from '../../i18n/strings.ts';
import type { Message, SenderType } from '../../data/types.ts';
import { EMPTY_THREAD } from '../../state/thread.ts';
import type { PendingMessage, ThreadState } from '../../state/thread.ts';
import { tokenize } from './linkify.ts';
import { threadStyles } from './thread.styles.ts';

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

type Row =
  | { readonly kind: 'day'; readonly key: string; readonly date: Date; readonly iso: string }
  | {
      readonly kind: 'message';
      readonly key: string;
      readonly message: Message;
      readonly first: boolean;
      readonly seen: boolean;
    }
  | { readonly kind: 'pending'; readonly key: string; readonly pending: PendingMessage; readonly first: boolean };

/** Binary search over messages ascending by seq: index of the first with `seq >= target`. */
function lowerBound(messages: readonly Message[], seq: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as Message).seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function localDayKey(date: Date): string {
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${m}-${d}`;
}

function parseDate(iso: string): Date {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(lang: string, kind: 'day' | 'time'): Intl.DateTimeFormat {
  const key = `${kind}|${lang}`;
  let format = formatters.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'day' ? { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' } : { hour: 'numeric', minute: '2-digit' };
    try {
      format = new Intl.DateTimeFormat(lang || undefined, options);
    } catch {
      // An invalid lang attribute on the host page must not break rendering.
      format = new Intl.DateTimeFormat(undefined, options);
    }
    formatters.set(key, format);
  }
  return format;
}

function listFormat(lang: string, names: readonly string[]): string {
  try {
    return new Intl.ListFormat(lang || undefined, { type: 'conjunction' }).format(names);
  } catch {
    return names.join(', ');
  }
}

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
 * @event {ParleyRetrySendEvent} parley-retry-send - The user pressed Retry on a failed send; `detail.id` is the pending message's id.
 * @event {ParleyLoadOlderEvent} parley-load-older - The reader reached the oldest held message while `thread.hasMore`; fetch older history.
 *
 * @csspart base - The whole thread.
 * @csspart log - The scrolling message list (`role="log"`).
 * @csspart day - A day separator.
 * @csspart message - One message row; it also carries one of `mine`, `theirs` or `system`.
 * @csspart mine - A message of the viewer's (with `message`).
 * @csspart theirs - A message of another sender (with `message`).
 * @csspart system - A system note: a status change or assignment (with `message`).
 * @csspart pending - A send not yet confirmed by the server (with `message mine`).
 * @csspart sender - The sender label above a group of messages.
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

  /** Names of the people typing now. */
  @property({ attribute: false }) accessor typing: readonly string[] = [];

  /** The window of `thread.messages` in the DOM: indices [start, end). */
  @state() private accessor start = 0;
  @state() private accessor end = 0;
  /** The view follows the newest messages. */
  @state() private accessor stuck = true;
  /** Messages arrived while the reader was scrolled up. */
  @state() private accessor unseen = false;

  protected readonly defaultStrings: ThreadStrings = threadStrings;

  /** The row kept in place across an update: its key and its distance from the top of the viewport. */
  private anchor: { key: string; offset: number } | undefined;
  /** The thread for which `parley-load-older` was sent; one request per thread value. */
  private olderRequestedFor: ThreadState | undefined;

  private get log(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.log');
  }

  /** Shows the newest messages and scrolls to them. */
  scrollToBottom(): void {
    const length = this.thread.messages.length;
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
    if (changed.has('thread')) this.followThread(changed.get('thread'));
    this.captureAnchor();
  }

  /** Maps the window onto a new thread value (older pages prepend, new messages append). */
  private followThread(previous: ThreadState | undefined): void {
    const messages = this.thread.messages;
    const length = messages.length;
    const old = previous?.messages ?? [];
    const first = old[this.start];
    const last = old[this.end - 1];
    const newest = (list: readonly Message[]): number => list[list.length - 1]?.seq ?? 0;
    const arrived =
      previous !== undefined &&
      (newest(messages) > newest(old) || this.thread.pending.length > previous.pending.length);

    // Another conversation (the window's first message is gone): start again at its newest.
    const replaced = first !== undefined && messages[lowerBound(messages, first.seq)]?.id !== first.id;
    if (replaced) {
      this.stuck = true;
      this.unseen = false;
    }
    if (!previous || !first || !last || this.stuck) {
      this.end = length;
      this.start = Math.max(0, length - INITIAL_WINDOW);
    } else {
      const atEnd = this.end >= old.length;
      this.start = lowerBound(messages, first.seq);
      this.end = atEnd ? length : lowerBound(messages, last.seq + 1);
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
      return;
    }
    const anchor = this.anchor;
    this.anchor = undefined;
    if (!anchor) return;
    for (const row of log.querySelectorAll<HTMLElement>('.message[data-key]')) {
      if (row.dataset['key'] === anchor.key) {
        const target = row.offsetTop - anchor.offset;
        if (Math.abs(log.scrollTop - target) >= 1) log.scrollTop = target;
        return;
      }
    }
  }

  private onScroll(): void {
    const log = this.log;
    if (!log) return;
    const length = this.thread.messages.length;
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
    const thread = this.thread;
    if (!thread.hasMore || thread.loading || this.olderRequestedFor === thread) return;
    this.olderRequestedFor = thread;
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
    const messages = this.thread.messages;
    const rows: Row[] = [];
    // The viewer's last confirmed message carries "Seen".
    let seenSeq = -1;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i] as Message;
      if (this.isViewer(m)) {
        if (this.seenSeq >= m.seq) seenSeq = m.seq;
        break;
      }
    }
    let day = '';
    let previous: Pick<Message, 'sender_type' | 'sender_id'> | undefined;
    const addDay = (date: Date): void => {
      const key = localDayKey(date);
      if (key === day) return;
      day = key;
      previous = undefined;
      rows.push({ kind: 'day', key: `day-${key}`, date, iso: key });
    };
    for (let i = this.start; i < this.end && i < messages.length; i++) {
      const message = messages[i] as Message;
      addDay(parseDate(message.created_at));
      const first =
        message.sender_type === 'system' ||
        !previous ||
        previous.sender_type !== message.sender_type ||
        previous.sender_id !== message.sender_id;
      rows.push({ kind: 'message', key: message.id, message, first, seen: message.seq === seenSeq });
      previous = message;
    }
    if (this.end >= messages.length) {
      for (const pending of this.thread.pending) {
        addDay(parseDate(pending.created_at));
        const first = !previous || previous.sender_type !== this.viewer || previous.sender_id !== pending.sender_id;
        rows.push({ kind: 'pending', key: pending.id, pending, first });
        previous = { sender_type: this.viewer, sender_id: pending.sender_id };
      }
    }
    return rows;
  }

  private senderLabel(message: Pick<Message, 'sender_type' | 'sender_id'>): string {
    const t = this.text;
    if (this.isMine(message.sender_type) && this.viewerId !== null && message.sender_id === this.viewerId) return t.you;
    const role = t[message.sender_type];
    const name = message.sender_id === null ? undefined : this.names[message.sender_id];
    return name ? formatString(t.sender, { name, role }) : role;
  }

  private renderText(text: string): TemplateResult[] {
    return tokenize(text).map((token) =>
      token.kind === 'link'
        ? html`<a class="link" part="link" href=${token.href} rel="noopener noreferrer" target="_blank">${token.text}</a>`
        : html`${token.text}`,
    );
  }

  private renderTime(iso: string, lang: string): TemplateResult {
    const date = parseDate(iso);
    return html`<time datetime=${date.toISOString()}>${dateFormat(lang, 'time').format(date)}</time>`;
  }

  private renderRow(row: Row, lang: string): TemplateResult {
    const t = this.text;
    if (row.kind === 'day') {
      return html`<div class="day" part="day" data-key=${row.key}>
        <time datetime=${row.iso}>${dateFormat(lang, 'day').format(row.date)}</time>
      </div>`;
    }
    if (row.kind === 'pending') {
      const p = row.pending;
      return html`<div
        class="message mine pending"
        part="message mine pending"
        data-key=${row.key}
        data-id=${p.id}
        data-state=${p.state}
        ?data-first=${row.first}
      >
        ${row.first ? html`<div class="sender" part="sender">${t.you}</div>` : nothing}
        <div class="bubble" part="bubble">${this.renderText(p.content)}</div>
        <div class="meta" part="meta">
          ${this.renderTime(p.created_at, lang)}
          <span class="state">${p.state === 'sending' ? t.sending : p.state === 'sent' ? t.sent : t.failed}</span>
          ${p.state === 'failed' && p.error ? html`<span class="error">${p.error}</span>` : nothing}
          ${p.state === 'failed'
            ? html`<button class="retry" part="retry-button" type="button" @click=${() => this.emit(new ParleyRetrySendEvent({ id: p.id }))}>
                ${t.retry}
              </button>`
            : nothing}
        </div>
      </div>`;
    }
    const m = row.message;
    if (m.sender_type === 'system') {
      return html`<div class="message system" part="message system" data-key=${row.key} data-seq=${m.seq} data-sender="system">
        <div class="bubble" part="bubble">${this.renderText(m.content)}</div>
        <div class="meta" part="meta">${this.renderTime(m.created_at, lang)}</div>
      </div>`;
    }
    const mine = this.isMine(m.sender_type);
    return html`<div
      class="message ${mine ? 'mine' : 'theirs'}"
      part="message ${mine ? 'mine' : 'theirs'}"
      data-key=${row.key}
      data-seq=${m.seq}
      data-sender=${m.sender_type}
      ?data-first=${row.first}
    >
      ${row.first ? html`<div class="sender" part="sender">${this.senderLabel(m)}</div>` : nothing}
      <div class="bubble" part="bubble">${this.renderText(m.content)}</div>
      <div class="meta" part="meta">
        ${this.renderTime(m.created_at, lang)}
        ${row.seen ? html`<span class="seen">${t.seen}</span>` : nothing}
      </div>
    </div>`;
  }

  protected override render(): TemplateResult {
    const t = this.text;
    const lang = this.language;
    const thread = this.thread;
    const rows = this.rows();
    const atOldest = this.start === 0;
    const typing = this.typing.filter((name) => name.trim() !== '');
    let top: TemplateResult | typeof nothing = nothing;
    // Before the first page lands there is nothing to load "earlier" than: the page brings the history.
    if (!atOldest || (thread.hasMore && thread.messages.length > 0)) {
      top = html`<button class="load-older" part="load-older" type="button" ?disabled=${thread.loading && atOldest} @click=${this.onLoadOlderClick}>
        ${thread.loading && atOldest ? t.loadingOlder : t.loadOlder}
      </button>`;
    } else if (thread.messages.length > 0) {
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
          aria-busy=${thread.loading ? 'true' : 'false'}
          tabindex="0"
          @scroll=${this.onScroll}
        >
          ${top}
          ${rows.length === 0 && !thread.loading ? html`<p class="empty">${t.empty}</p>` : nothing}
          ${repeat(rows, (row) => row.key, (row) => this.renderRow(row, lang))}
        </div>
        <div class="typing" part="typing" role="status">
          ${typing.length > 0
            ? formatString(typing.length === 1 ? t.typingOne : t.typingMany, { names: listFormat(lang, typing) })
            : nothing}
        </div>
        <button class="pill" part="pill" type="button" ?hidden=${!this.unseen} @click=${this.onPillClick}>${t.newMessages}</button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-thread': ParleyThread;
  }
}

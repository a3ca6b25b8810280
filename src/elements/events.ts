/**
 * Events the Parley elements dispatch. Each is a class so listeners get typed `detail`, named
 * `parley-*` in kebab-case, and `bubbles` + `composed` so the host page hears them from outside every
 * shadow root. "Request" events (the element asks the page to do something it may refuse) are
 * cancelable: the element only commits its side of the action when `dispatchEvent` returns true.
 */
import type { ListFilter } from '../state/conversations.ts';
import type { MessageVisibility } from '../data/types.ts';
import type { OutgoingFile } from '../data/attachment.ts';
// Declared with the card, so its class travels in the card's on-demand chunk.
import type { ParleyRateEvent } from './rating/rating.ts';
import type { ParleyQuickReplyEvent } from './quick-replies/quick-replies.ts';
// The same for the continue-by-email form.
import type {
  ParleyEmailCancelEvent, ParleyEmailCodeRequestEvent, ParleyEmailCodeVerifyEvent,
} from './email-sign-in/email-sign-in.ts';

export type { ParleyRateEvent, ParleyQuickReplyEvent, ParleyEmailCancelEvent, ParleyEmailCodeRequestEvent, ParleyEmailCodeVerifyEvent };

export interface ParleySendDetail {
  /** The message text, trimmed; at most the message length limit in characters; empty only with `files`. */
  readonly text: string;
  /** Attached files, checked (size, type, content); send them with the message (`RealtimeController.send`). */
  readonly files?: readonly OutgoingFile[];
  /** With `files`: the message id to send under, so the composer can show that upload's progress. */
  readonly id?: string;
  /**
   * `public` for a reply everyone in the conversation reads; `internal` for a note only the team
   * reads (a composer with `allow-notes` in Note mode). Send it as the message's visibility.
   */
  readonly visibility: MessageVisibility;
}

/**
 * `parley-send`: the user asked to send a message (Enter or the send button). Cancelable: call
 * `preventDefault()` to refuse it, and the composer keeps the draft.
 */
export class ParleySendEvent extends CustomEvent<ParleySendDetail> {
  static readonly type = 'parley-send';
  constructor(detail: ParleySendDetail) {
    super(ParleySendEvent.type, { bubbles: true, composed: true, cancelable: true, detail });
  }
}

/** `parley-retry`: the user asked to retry a failed connection (the Retry button of `<parley-status>`). */
export class ParleyRetryEvent extends CustomEvent<Record<string, never>> {
  static readonly type = 'parley-retry';
  constructor() {
    super(ParleyRetryEvent.type, { bubbles: true, composed: true, cancelable: false, detail: {} });
  }
}

/**
 * `parley-typing`: the user is typing. Throttled by the emitter (at most one every couple of
 * seconds), so a listener can forward each one as a typing broadcast without its own throttle.
 */
export class ParleyTypingEvent extends CustomEvent<Record<string, never>> {
  static readonly type = 'parley-typing';
  constructor() {
    super(ParleyTypingEvent.type, { bubbles: true, composed: true, cancelable: false, detail: {} });
  }
}

export interface ParleySearchDetail {
  /** The search text as typed, trimmed; empty clears the search. */
  readonly query: string;
}

/** `parley-search`: the user changed the search text; debounced by the emitter. */
export class ParleySearchEvent extends CustomEvent<ParleySearchDetail> {
  static readonly type = 'parley-search';
  constructor(detail: ParleySearchDetail) {
    super(ParleySearchEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

export interface ParleyFilterChangeDetail {
  /** The whole new filter (the previous one with the user's change applied). */
  readonly filter: ListFilter;
}

/** `parley-filter-change`: the user changed a filter control (assignment or status). */
export class ParleyFilterChangeEvent extends CustomEvent<ParleyFilterChangeDetail> {
  static readonly type = 'parley-filter-change';
  constructor(detail: ParleyFilterChangeDetail) {
    super(ParleyFilterChangeEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

export interface ParleyConversationSelectDetail {
  /** The id of the conversation the user picked. */
  readonly id: string;
}

/**
 * `parley-conversation-select`: the user picked a conversation (click, Enter or Space). Cancelable:
 * when prevented, the list keeps its previous selection.
 */
export class ParleyConversationSelectEvent extends CustomEvent<ParleyConversationSelectDetail> {
  static readonly type = 'parley-conversation-select';
  constructor(detail: ParleyConversationSelectDetail) {
    super(ParleyConversationSelectEvent.type, { bubbles: true, composed: true, cancelable: true, detail });
  }
}

/** `parley-load-more`: the user asked for the next page of conversations. */
export class ParleyLoadMoreEvent extends CustomEvent<Record<string, never>> {
  static readonly type = 'parley-load-more';
  constructor() {
    super(ParleyLoadMoreEvent.type, { bubbles: true, composed: true, cancelable: false, detail: {} });
  }
}

export interface ParleyRetrySendDetail {
  /** The id of the failed optimistic message to send again (same id, so the server never doubles it). */
  readonly id: string;
}

/** `parley-retry-send`: the user pressed Retry on a message that failed to send. */
export class ParleyRetrySendEvent extends CustomEvent<ParleyRetrySendDetail> {
  static readonly type = 'parley-retry-send';
  constructor(detail: ParleyRetrySendDetail) {
    super(ParleyRetrySendEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

/**
 * `parley-load-older`: the thread shows its oldest held message and the user scrolled to it (or
 * pressed "Load earlier messages"); the page should fetch the previous page of history.
 */
export class ParleyLoadOlderEvent extends CustomEvent<Record<string, never>> {
  static readonly type = 'parley-load-older';
  constructor() {
    super(ParleyLoadOlderEvent.type, { bubbles: true, composed: true, cancelable: false, detail: {} });
  }
}

export interface ParleyConversationSeenDetail {
  /** The earlier conversation whose newest message came into view. */
  readonly conversationId: string;
  /** That message's seq (the viewer's numbering): everything up to it has been seen. */
  readonly seq: number;
}

/**
 * `parley-conversation-seen`: the newest message of an earlier conversation with unread messages
 * is in view in the thread, so the page can mark it read.
 */
export class ParleyConversationSeenEvent extends CustomEvent<ParleyConversationSeenDetail> {
  static readonly type = 'parley-conversation-seen';
  constructor(detail: ParleyConversationSeenDetail) {
    super(ParleyConversationSeenEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

export interface ParleyRateDetail {
  /** The chosen step, 1 (worst) to the scale (best). */
  readonly score: number;
  /** The visitor's comment, trimmed; empty when they skipped it. */
  readonly comment: string;
}

export interface ParleyQuickReplyDetail {
  /** The button's id (`metadata.quick_reply` of the message it sends). */
  readonly id: string;
  /** Its label: the text the message sends. */
  readonly label: string;
}

/** The sections of `<parley-settings>`, in navigation order. */
export const SETTINGS_SECTIONS = ['workspace', 'hours', 'team', 'canned', 'chatbot', 'embed'] as const;
/** One of {@link SETTINGS_SECTIONS}. */
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export interface ParleySectionChangeDetail {
  /** The section the admin opened. */
  readonly section: SettingsSection;
}

/** `parley-section-change`: the admin opened another section of `<parley-settings>` (a router may follow it). */
export class ParleySectionChangeEvent extends CustomEvent<ParleySectionChangeDetail> {
  static readonly type = 'parley-section-change';
  constructor(detail: ParleySectionChangeDetail) {
    super(ParleySectionChangeEvent.type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}

/** Every event a Parley element may emit, by type. `ParleyElement.emit()` accepts only these. */
export interface ParleyEventMap {
  'parley-send': ParleySendEvent;
  'parley-retry': ParleyRetryEvent;
  'parley-typing': ParleyTypingEvent;
  'parley-retry-send': ParleyRetrySendEvent;
  'parley-load-older': ParleyLoadOlderEvent;
  'parley-conversation-seen': ParleyConversationSeenEvent;
  'parley-search': ParleySearchEvent;
  'parley-filter-change': ParleyFilterChangeEvent;
  'parley-conversation-select': ParleyConversationSelectEvent;
  'parley-load-more': ParleyLoadMoreEvent;
  'parley-section-change': ParleySectionChangeEvent;
  'parley-rate': ParleyRateEvent;
  'parley-quick-reply': ParleyQuickReplyEvent;
  'parley-email-code-request': ParleyEmailCodeRequestEvent;
  'parley-email-code-verify': ParleyEmailCodeVerifyEvent;
  'parley-email-cancel': ParleyEmailCancelEvent;
}

export type ParleyEvent = ParleyEventMap[keyof ParleyEventMap];

declare global {
  // Interface merging is the only way to extend the DOM's event map.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends ParleyEventMap {}
}

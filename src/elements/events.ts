/**
 * Events the Parley elements dispatch. Each is a class so listeners get typed `detail`, named
 * `parley-*` in kebab-case, and `bubbles` + `composed` so the host page hears them from outside every
 * shadow root. "Request" events (the element asks the page to do something it may refuse) are
 * cancelable: the element only commits its side of the action when `dispatchEvent` returns true.
 */

export interface ParleySendDetail {
  /** The message text, trimmed; never empty and at most the message length limit in characters. */
  readonly text: string;
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

/** Every event a Parley element may emit, by type. `ParleyElement.emit()` accepts only these. */
export interface ParleyEventMap {
  'parley-send': ParleySendEvent;
  'parley-retry': ParleyRetryEvent;
  'parley-typing': ParleyTypingEvent;
}

export type ParleyEvent = ParleyEventMap[keyof ParleyEventMap];

declare global {
  // Interface merging is the only way to extend the DOM's event map.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends ParleyEventMap {}
}

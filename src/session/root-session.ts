/**
 * The part of a root element (`<parley-launcher>`, `<parley-inbox>`) that is the same on both sides,
 * as one Lit controller (STYLE.md §9): it holds the session, provides it to descendants through
 * {@link sessionContext}, drops the results of work started for a session that is gone (the signal
 * handed out with each session), keeps the shown conversation open in the realtime controller, and
 * marks what that conversation holds read while it is shown on a visible page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ContextProvider } from '@lit/context';
import { ConversationController, nextTask } from '../realtime/index.ts';
import { sessionContext, type Session } from './index.ts';

export interface RootSessionControllerOptions {
  /** Creates the root's session; may throw (a TypeError without a client or a project). */
  readonly create: () => Session;
  /** The conversation the root shows; null for none. */
  readonly conversationId: () => string | null;
  /** Whether the session is started (signed in, realtime running), so the conversation can be held open. */
  readonly ready: () => boolean;
  /** Whether the root shows the conversation to the person (the launcher: while its panel is open). */
  readonly shown?: () => boolean;
}

/** A session and the signal that aborts when it is dropped: check it after every await. */
export interface RootSessionHandle {
  readonly session: Session;
  readonly signal: AbortSignal;
}

export class RootSessionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: RootSessionControllerOptions;
  readonly #provider: ContextProvider<typeof sessionContext>;
  readonly #conversation: ConversationController;
  #session: Session | undefined;
  #abort: AbortController | null = null;
  readonly #onVisibilityChange = (): void => this.#host.requestUpdate();

  constructor(host: ReactiveControllerHost & HTMLElement, options: RootSessionControllerOptions) {
    this.#host = host;
    this.#options = options;
    this.#provider = new ContextProvider(host, { context: sessionContext });
    this.#conversation = new ConversationController(host, {
      realtime: () => (this.#options.ready() ? this.#session?.realtime : undefined),
      conversationId: () => this.#options.conversationId(),
    });
    host.addController(this);
  }

  /** The current session (undefined before `create()` and after `drop()`). */
  get session(): Session | undefined {
    return this.#session;
  }

  /** The conversation held open in the realtime controller right now, if any. */
  get heldConversationId(): string | null {
    return this.#conversation.conversationId;
  }

  /**
   * Creates the session (dropping any previous one) and provides it. Throws what the factory throws,
   * leaving no session.
   */
  create(): RootSessionHandle {
    this.drop();
    const session = this.#options.create();
    const abort = new AbortController();
    this.#session = session;
    this.#abort = abort;
    this.#provider.setValue(session);
    return { session, signal: abort.signal };
  }

  /** Aborts what was started for the session, stops providing it and disposes it. Idempotent. */
  drop(): void {
    const session = this.#session;
    this.#abort?.abort();
    this.#abort = null;
    this.#session = undefined;
    this.#provider.setValue(undefined);
    if (session) void session.dispose();
  }

  hostConnected(): void {
    // What arrived while the tab was hidden is marked read when it shows again.
    document.addEventListener('visibilitychange', this.#onVisibilityChange);
  }

  hostUpdated(): void {
    // Marking read changes stores the host renders and sends a request: after this update and the
    // renders it started (a new message reaching the screen), in a task of its own.
    nextTask(() => this.#markRead());
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibilityChange);
    this.drop();
  }

  /** While the conversation is shown on a visible page, everything it holds counts as read. */
  #markRead(): void {
    const session = this.#session;
    const id = this.#options.conversationId();
    // A message shown in a hidden tab has not been read ("Seen"). No session once the host is gone.
    if (!session || !id || document.visibilityState === 'hidden') return;
    if (!this.#options.ready() || this.#options.shown?.() === false || this.#conversation.conversationId !== id) return;
    const newest = session.state.thread(id).get().messages.at(-1)?.seq ?? 0;
    if (newest > (session.state.$readMarkers.get()[id] ?? 0)) void session.realtime.markRead(id, newest);
  }
}

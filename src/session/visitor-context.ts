/**
 * Who the visitor is, from the launcher's side: the page they are on (address, title, referrer),
 * their browser and OS, language, time zone and screen size, and what the host page says about
 * them through `identify()`.
 *
 * Nothing is written about a visitor who never started a conversation, and nothing before their
 * session exists: the controller only writes while the launcher's session is ready and holds a
 * conversation (a returning visitor's idle connect, the first open, a conversation started). Then it
 * records the current page once per session (the launcher lives in each page load, so that is "each
 * page load"), and again on each single-page-app navigation, heard through the Navigation API's
 * `currententrychange` (pushState and back/forward) or, where there is none, `popstate`. The page
 * load's record waits for an idle moment (`requestIdleCallback`), after the connect that badges the
 * bubble. It listens; it never patches `history`, and it runs no other timers.
 *
 * The writing (visit-recorder.ts) loads with the first conversation; until then this controller only
 * checks and keeps `identify()` calls. Navigations before then need no hearing: the first record is
 * of the page the visitor is on.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { checkIdentify, mergeIdentity, type Identity } from './identify-input.ts';
import type { Session } from './index.ts';
import type { PageLike } from './visit-capture.ts';
import type { VisitRecorder } from './visit-recorder.ts';

export interface VisitorContextOptions {
  readonly session: () => Session | undefined;
  /** Signed in and realtime started. */
  readonly ready: () => boolean;
  /** The visitor's current conversation: nothing is written before they have one. */
  readonly conversationId: () => string | null;
  /** The page to read; `window` by default (tests pass their own). */
  readonly page?: () => PageLike;
}

export class VisitorContextController implements ReactiveController {
  readonly #options: VisitorContextOptions;
  #connected = false;
  #recorder: VisitRecorder | null = null;
  #loading = false;
  /** identify() calls made before the recorder loaded, merged. */
  #identity: Identity | null = null;

  constructor(host: ReactiveControllerHost, options: VisitorContextOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#recorder?.connect();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#recorder?.disconnect();
  }

  hostUpdated(): void {
    this.#flush();
  }

  /**
   * Checks `input` at once (throws a TypeError naming the problem, keeping nothing) and keeps it
   * until it can be sent: at once when the visitor has a session and a conversation, else then.
   * Calls made before that merge, later values winning.
   */
  identify(input: unknown): void {
    const identity = checkIdentify(input);
    if (this.#recorder) this.#recorder.identify(identity);
    else this.#identity = mergeIdentity(this.#identity, identity);
    this.#flush();
  }

  #flush(): void {
    if (this.#recorder) {
      this.#recorder.flush();
      return;
    }
    const options = this.#options;
    if (this.#loading || !options.session() || !options.ready() || options.conversationId() === null) return;
    this.#loading = true;
    import('./visit-recorder.ts').then(
      ({ VisitRecorder }) => {
        const recorder = new VisitRecorder(options);
        if (this.#identity) recorder.identify(this.#identity);
        this.#identity = null;
        this.#recorder = recorder;
        if (this.#connected) recorder.connect();
        recorder.flush();
      },
      // A failed chunk load (offline, a deploy in between) is tried again at the next update.
      () => {
        this.#loading = false;
      },
    );
  }
}

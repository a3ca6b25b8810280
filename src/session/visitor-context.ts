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
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { identifyVisitor, recordVisit } from '../data/customer-profile.ts';
import { thirdPartyToken } from '../data/identity.ts';
import { checkIdentify, mergeIdentity, type Identity } from './identify-input.ts';
import type { Session } from './index.ts';
import { whenIdle, type Idle } from './storage-key.ts';
import type * as VisitCapture from './visit-capture.ts';
import type { PageLike } from './visit-capture.ts';

/** customer_visits.url's bound (visit-capture.ts cuts every field; this one is compared first). */
const URL_BOUND = 2048;

const loadCapture = (): Promise<typeof VisitCapture> => import('./visit-capture.ts');

export interface VisitorContextOptions {
  readonly session: () => Session | undefined;
  /** Signed in and realtime started. */
  readonly ready: () => boolean;
  /** The visitor's current conversation: nothing is written before they have one. */
  readonly conversationId: () => string | null;
  /** The page to read; `window` by default (tests pass their own). */
  readonly page?: () => PageLike;
}

interface NavigationLike extends EventTarget {
  readonly currentEntry?: { readonly url: string | null } | null;
}

export class VisitorContextController implements ReactiveController {
  readonly #options: VisitorContextOptions;
  /** The session this page load was recorded for (a restarted session records it again). */
  #recordedFor: Session | null = null;
  /** The address last recorded, so a navigation to the same page (replaceState, a hash) is not a visit. */
  #lastUrl: string | null = null;
  /** A navigation happened since: recorded at the next flush. */
  #navigated = false;
  /** The page load's record, waiting for idle time. */
  #pending: Idle | null = null;
  #identity: Identity | null = null;
  /** The session the token's claims were synced for, when the host signs visitors in with its own token. */
  #claimsFor: Session | null = null;
  readonly #onNavigate = (): void => {
    this.#navigated = true;
    // After the code that navigated has run on: a title set right after pushState is the new page's.
    queueMicrotask(() => this.#flush());
  };

  constructor(host: ReactiveControllerHost, options: VisitorContextOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    const navigation = this.#navigation();
    if (navigation) navigation.addEventListener('currententrychange', this.#onNavigate);
    else window.addEventListener('popstate', this.#onNavigate);
  }

  hostDisconnected(): void {
    this.#navigation()?.removeEventListener('currententrychange', this.#onNavigate);
    window.removeEventListener('popstate', this.#onNavigate);
    this.#pending?.cancel();
    this.#pending = null;
    this.#recordedFor = null;
    this.#claimsFor = null;
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
    this.#identity = mergeIdentity(this.#identity, checkIdentify(input));
    this.#flush();
  }

  #navigation(): NavigationLike | null {
    const navigation: unknown = (globalThis as { navigation?: unknown }).navigation;
    return navigation instanceof EventTarget ? (navigation as NavigationLike) : null;
  }

  #flush(): void {
    const session = this.#options.session();
    if (!session || !this.#options.ready() || this.#options.conversationId() === null) return;
    const page = this.#options.page?.() ?? window;
    if (this.#recordedFor !== session || this.#navigated) {
      const first = this.#recordedFor !== session;
      const previous = this.#lastUrl;
      this.#recordedFor = session;
      this.#navigated = false;
      if (first) {
        // The page load's record waits for idle time: on a returning visitor's page load it would
        // otherwise run (the page's description, a request) while the host page is still busy.
        // Its address is taken now, so a navigation before then knows where it came from.
        const href = page.location.href;
        this.#lastUrl = (href.split('#')[0] ?? '').slice(0, URL_BOUND);
        this.#pending?.cancel();
        this.#pending = whenIdle(() => {
          this.#pending = null;
          if (this.#recordedFor !== session) return;
          const { document, navigator, screen } = page;
          loadCapture()
            .then(({ captureContext }) => recordVisit(session.client, captureContext({ location: { href }, document, navigator, ...(screen ? { screen } : {}) })))
            .catch(() => undefined);
        });
      } else {
        // After a single-page navigation the page this one came from is the referrer. The page is read
        // now (its title may change again before the parsers load).
        const href = page.location.href;
        const url = (href.split('#')[0] ?? '').slice(0, URL_BOUND);
        if (url !== previous) {
          this.#lastUrl = url;
          const { navigator, screen } = page;
          const snapshot: PageLike = { location: { href }, document: { title: page.document.title, referrer: '' }, navigator, ...(screen ? { screen } : {}) };
          loadCapture()
            .then(({ captureContext }) => recordVisit(session.client, captureContext(snapshot, previous)))
            .catch(() => undefined);
        }
      }
    }
    // A host's own token: its name and email claims are synced (verified) even without identify().
    const claims = this.#claimsFor !== session && thirdPartyToken(session.client) !== null;
    if (this.#identity || claims) {
      const identity = this.#identity ?? { attributes: {} };
      this.#identity = null;
      this.#claimsFor = session;
      // A refused or failed call is dropped: the host calls identify() again on its next page load.
      identifyVisitor(session.client, identity).catch(() => undefined);
    }
  }
}

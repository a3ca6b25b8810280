/**
 * The visitor's page views and `identify()`, written (visitor-context.ts says when). Loaded with
 * the visitor's first conversation, not with the chat: most visitors who open it never start one.
 */
import { identifyVisitor, recordVisit } from '../data/customer-profile.ts';
import { thirdPartyToken } from '../data/host-token.ts';
import { mergeIdentity, type Identity } from './identify-input.ts';
import type { Session } from './index.ts';
import { whenIdle, type Idle } from './storage-key.ts';
import { captureContext, type PageLike } from './visit-capture.ts';
import type { VisitorContextOptions } from './visitor-context.ts';

/** customer_visits.url's bound (visit-capture.ts cuts every field; this one is compared first). */
const URL_BOUND = 2048;

/** Records a visit; a failure is dropped (the next page load records again). */
function record(session: Session, page: PageLike, referrer?: string | null): void {
  // In a promise: reading the page (its storage for the time zone) may throw too.
  Promise.resolve()
    .then(() => recordVisit(session.client, captureContext(page, referrer)))
    .catch(() => undefined);
}

interface NavigationLike extends EventTarget {
  readonly currentEntry?: { readonly url: string | null } | null;
}

/** What visitor-context.ts's controller hands on, once the visitor has a conversation. */
export class VisitRecorder {
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
    queueMicrotask(() => this.flush());
  };

  constructor(options: VisitorContextOptions) {
    this.#options = options;
  }

  /** The host is in the page: navigations are heard. */
  connect(): void {
    const navigation = this.#navigation();
    if (navigation) navigation.addEventListener('currententrychange', this.#onNavigate);
    else window.addEventListener('popstate', this.#onNavigate);
  }

  /** The host left the page: nothing is heard or waits; a return records the page again. */
  disconnect(): void {
    this.#navigation()?.removeEventListener('currententrychange', this.#onNavigate);
    window.removeEventListener('popstate', this.#onNavigate);
    this.#pending?.cancel();
    this.#pending = null;
    this.#recordedFor = null;
    this.#claimsFor = null;
  }

  /** A checked `identify()`: sent at the next flush that can, merged with any still waiting. */
  identify(identity: Identity): void {
    this.#identity = mergeIdentity(this.#identity, identity);
  }

  #navigation(): NavigationLike | null {
    const navigation: unknown = (globalThis as { navigation?: unknown }).navigation;
    return navigation instanceof EventTarget ? (navigation as NavigationLike) : null;
  }

  /** Writes what is due: the page load's visit, a navigation's, the host's identity and claims. */
  flush(): void {
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
          record(session, { location: { href }, document, navigator, ...(screen ? { screen } : {}) });
        });
      } else {
        // After a single-page navigation the page this one came from is the referrer. The page is read
        // now (its title may change again).
        const href = page.location.href;
        const url = (href.split('#')[0] ?? '').slice(0, URL_BOUND);
        if (url !== previous) {
          this.#lastUrl = url;
          const { navigator, screen } = page;
          const snapshot: PageLike = { location: { href }, document: { title: page.document.title, referrer: '' }, navigator, ...(screen ? { screen } : {}) };
          record(session, snapshot, previous);
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

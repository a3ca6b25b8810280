/**
 * Which of the launcher's two views shows (issue 15): the home screen or a conversation. The panel
 * opens on the home screen, except that a visitor whose current conversation has unread replies goes
 * straight to it (they opened the chat to read them). Sending from the home screen, or choosing a
 * conversation in its list, shows that conversation; the header's back button returns home. Closing
 * and reopening the panel keeps the view, and so does a reload of the tab (panel-memory.ts). An earlier conversation chosen from the list shows alone,
 * held open in the realtime controller while it shows, and read while it shows on a visible page.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import type { Session } from '../../session/index.ts';
import type { ThreadState } from '../../state/index.ts';
import type { ThreadSection } from '../thread/thread.ts';
import { StoreController } from '../store-controller.ts';
import type { ParleyRetrySendEvent } from '../events.ts';
import type { VisitorHistory } from './history.ts';
import { homeItems } from './home.ts';
import type { PanelView } from './panel.ts';
import type { WorkspaceSettings } from './workspace-settings.ts';

export interface NavigationOptions {
  readonly session: () => Session | undefined;
  readonly ready: () => boolean;
  readonly open: () => boolean;
  /** The current conversation (null: none yet, or a new one about to start). */
  readonly current: () => string | null;
  /** Whether this tab showed the current conversation before a reload (panel-memory.ts). */
  readonly showedThread: () => boolean;
  /** The view changed: whether the current conversation shows. */
  readonly onView: (thread: boolean) => void;
}

export class LauncherNavigation implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #options: NavigationOptions;
  readonly #stores: StoreController;
  readonly #history: VisitorHistory;
  #home = true;
  /** An earlier conversation shown alone; null for the current one. */
  #selected: string | null = null;
  #held: { readonly id: string; readonly release: () => void } | null = null;
  #showing = false;
  /** The view before a reload was considered (once per page). */
  #restored = false;

  constructor(host: ReactiveElement, history: VisitorHistory, options: NavigationOptions) {
    this.#host = host;
    this.#history = history;
    this.#options = options;
    this.#stores = new StoreController(host);
    host.addController(this);
  }

  /** Whether the home screen shows. */
  get home(): boolean {
    return this.#home;
  }

  /** The earlier conversation shown alone, or null (the current one, or home). */
  get selected(): string | null {
    return this.#home ? null : this.#selected;
  }

  /** Whether the current conversation shows (its messages count as read then). */
  get showingCurrent(): boolean {
    return !this.#home && this.#selected === null;
  }

  /** The home screen's data while it shows (and the session is ready), else null. */
  homeView(settings: WorkspaceSettings, language: string): PanelView['home'] {
    const session = this.#options.session();
    if (!this.#home || !this.#options.ready() || !session) return null;
    const { state } = session;
    return {
      language, team: settings.team, avatars: settings.avatars,
      items: homeItems(state.$conversations.get(), this.#options.current(), state.$unread.get().byConversation),
    };
  }

  /** The thread part: one earlier conversation alone, or the current one (`id`) with the history above it. */
  thread(fresh: boolean, current: string | null): {
    readonly id: string | null; readonly thread: ThreadState; readonly earlier: readonly ThreadSection[]; readonly moreEarlier: boolean;
  } {
    const session = this.#options.session();
    const selected = this.selected;
    if (selected && session) return { id: selected, thread: session.state.thread(selected).get(), earlier: [], moreEarlier: false };
    const id = fresh ? null : current;
    const history = this.#history;
    return { id, thread: history.currentThread(fresh, id), earlier: history.sections, moreEarlier: history.moreEarlier };
  }

  /** The reader scrolled past the top: older messages of the conversation shown alone, else the history's. */
  readonly loadOlder = (): void => {
    const session = this.#options.session();
    if (!this.#options.ready() || !session) return;
    const selected = this.selected;
    if (selected) {
      session.realtime.loadOlder(selected).catch(() => undefined);
      return;
    }
    const id = this.#options.current();
    this.#history.loadOlder(id ? session.state.thread(id).get() : null);
  };

  /** The visitor types in the current conversation (one about to start has nobody to tell). */
  readonly typing = (): void => {
    const id = this.#options.current();
    if (this.#options.ready() && id) this.#options.session()?.realtime.typing(id);
  };

  readonly retrySend = (event: ParleyRetrySendEvent): void => {
    this.#options.session()?.realtime.retry(event.detail.id);
  };

  /** Shows a conversation from the home screen's list. */
  readonly openConversation = (id: string): void => {
    this.#selected = id === this.#options.current() ? null : id;
    this.#go(false);
  };

  /** Shows the current conversation (the visitor sent, or starts a new one). */
  readonly toCurrent = (): void => {
    this.#selected = null;
    this.#go(false);
  };

  readonly back = (): void => {
    this.#selected = null;
    this.#go(true);
  };

  /** "Send us a message": the (new) conversation shows, with the caret in the composer. */
  readonly write = (): void => {
    this.toCurrent();
    void this.#host.updateComplete.then(() => this.#host.renderRoot.querySelector<HTMLElement>('parley-composer')?.focus());
  };

  hostUpdate(): void {
    const session = this.#options.session();
    const showing = this.#options.open() && this.#options.ready() && session !== undefined;
    if (showing && !this.#showing && session) {
      // Opened (or started while open): unread replies in the current conversation show at once.
      const current = this.#options.current();
      const unread = current ? (session.state.$unread.get().byConversation[current] ?? 0) : 0;
      // So does the conversation this tab showed before a reload.
      const restore = !this.#restored && this.#options.showedThread();
      this.#restored = true;
      if (current && (restore || (unread > 0 && session.state.$conversations.get()[current]?.status !== 'closed'))) {
        this.#selected = null;
        this.#home = false;
        this.#options.onView(true);
      }
    }
    this.#showing = showing;
    this.#hold(session);
  }

  hostUpdated(): void {
    const session = this.#options.session();
    const id = this.selected;
    if (!session || !id || !this.#showing || document.visibilityState === 'hidden') return;
    const conversation = session.state.$conversations.get()[id];
    if (conversation && (session.state.$unread.get().byConversation[id] ?? 0) > 0) {
      void session.realtime.markRead(id, conversation.last_seq).catch(() => undefined);
    }
  }

  hostDisconnected(): void {
    this.#held?.release();
    this.#held = null;
    this.#showing = false;
    this.#home = true;
    this.#selected = null;
  }

  #go(home: boolean): void {
    this.#home = home;
    this.#options.onView(!home && this.#selected === null);
    this.#host.requestUpdate();
  }

  /** Holds the earlier conversation shown alone open (its messages fetched and live). */
  #hold(session: Session | undefined): void {
    const id = this.#options.ready() ? this.selected : null;
    if (this.#held?.id === id) return;
    this.#held?.release();
    this.#held = session && id ? { id, release: session.realtime.open(id) } : null;
    this.#stores.setStores(...(session && id ? [session.state.thread(id)] : []));
  }
}

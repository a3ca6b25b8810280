/**
 * The visitor's earlier conversations above the current one (README "The visitor's
 * conversations"), as one Lit controller (STYLE.md §9): which of them the panel shows, each held
 * open in the realtime controller (reference-counted, so agents writing into one reach the visitor
 * live) and released when no longer shown, and the sections `<parley-thread>` renders.
 *
 * Shown: the previous conversation, one more each time the reader scrolls past the top, and always
 * every one back to the oldest with unread messages (the bubble's badge counts it, so the panel
 * must show it). At most {@link MAX_EARLIER} are held open.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConversationSummary } from '../../data/types.ts';
import { compareTimestamps } from '../../state/conversations.ts';
import { EMPTY_THREAD, type ThreadState } from '../../state/index.ts';
import type { RealtimeController } from '../../realtime/index.ts';
import type { Session } from '../../session/index.ts';
import type { ThreadSection } from '../thread/thread.ts';
import type { ParleyConversationSeenEvent } from '../events.ts';
import { StoreController } from '../store-controller.ts';

/** Most earlier conversations shown (and held open) at once. */
export const MAX_EARLIER = 8;

/** A conversation about to be started: nothing above it to load. */
const NEW_THREAD: ThreadState = Object.freeze({ ...EMPTY_THREAD, hasMore: false });

export interface VisitorHistoryOptions {
  readonly session: () => Session | undefined;
  /** Whether realtime runs, so conversations can be held open. */
  readonly ready: () => boolean;
  /** Whether the panel shows; nothing is held before it first does (the list keeps the badge live). */
  readonly shown: () => boolean;
  /** The conversation at the bottom (null: none, or a new one the visitor is about to start). */
  readonly current: () => string | null;
}

export class VisitorHistory implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: VisitorHistoryOptions;
  readonly #stores: StoreController;
  /** Earlier conversations the reader asked for by scrolling up (the previous one from the start). */
  #asked = 1;
  readonly #held = new Map<string, () => void>();
  #realtime: RealtimeController | null = null;
  #sections: readonly ThreadSection[] = [];
  #more = false;
  /** Conversations started in this session: nothing older to load while their first page is on its way. */
  readonly #startedHere = new Set<string>();
  #noHistory: { readonly from: ThreadState; readonly to: ThreadState } | null = null;

  constructor(host: ReactiveControllerHost, options: VisitorHistoryOptions) {
    this.#host = host;
    this.#options = options;
    this.#stores = new StoreController(host);
    host.addController(this);
  }

  /** The earlier conversations shown, oldest first. */
  get sections(): readonly ThreadSection[] {
    return this.#sections;
  }

  /** Whether conversations older than every shown one exist. */
  get moreEarlier(): boolean {
    return this.#more;
  }

  /** An earlier conversation's reply came into view: read, while the panel shows on a visible page. */
  readonly seen = (event: ParleyConversationSeenEvent): void => {
    const { conversationId, seq } = event.detail;
    if (!this.#options.ready() || !this.#options.shown() || document.visibilityState === 'hidden') return;
    void this.#options.session()?.realtime.markRead(conversationId, seq);
  };

  /** A conversation the visitor just started here. */
  startedHere(id: string): void {
    this.#startedHere.add(id);
  }

  /**
   * The current conversation's thread as the panel shows it: empty without older history while
   * the visitor is about to start one (`fresh`) or just started it, so the history shows above it.
   */
  currentThread(fresh: boolean, id: string | null): ThreadState {
    const state = this.#options.session()?.state;
    if (fresh) return NEW_THREAD;
    if (!state || !id) return EMPTY_THREAD;
    const thread = state.thread(id).get();
    if (!this.#startedHere.has(id) || thread.messages.length > 0 || !thread.hasMore) return thread;
    if (this.#noHistory?.from !== thread) this.#noHistory = { from: thread, to: { ...thread, hasMore: false } };
    return this.#noHistory.to;
  }

  /**
   * The reader scrolled past the top: loads the next older page of the top conversation that has
   * one, or else shows one more earlier conversation. `current`: the current conversation's thread.
   */
  loadOlder(current: ThreadState | null): void {
    const realtime = this.#realtime;
    const id = this.#options.current();
    if (!realtime) return;
    if (id !== null && current?.hasMore) {
      realtime.loadOlder(id).catch(() => undefined);
      return;
    }
    for (const section of [...this.#sections].reverse()) {
      if (section.thread.hasMore) {
        realtime.loadOlder(section.id).catch(() => undefined);
        return;
      }
    }
    if (this.#more) {
      this.#asked = this.#sections.length + 1;
      this.#host.requestUpdate();
    }
  }

  hostUpdate(): void {
    const session = this.#options.session();
    const wanted = this.#options.ready() && (this.#options.shown() || this.#held.size > 0);
    const realtime = session && wanted ? session.realtime : null;
    if (realtime !== this.#realtime) this.#releaseAll();
    this.#realtime = realtime;
    if (!session || !realtime) {
      this.#sections = [];
      this.#more = false;
      this.#stores.setStores();
      return;
    }
    const { state } = session;
    const current = this.#options.current();
    const unread = state.$unread.get().byConversation;
    const earlier = Object.values(state.$conversations.get())
      .filter((c) => c.id !== current)
      .sort((a, b) => compareTimestamps(a.created_at, b.created_at) || (a.id < b.id ? -1 : 1));
    // Back to the oldest with unread messages, at least as far as the reader asked.
    const oldestUnread = earlier.findIndex((c) => (unread[c.id] ?? 0) > 0);
    const depth = Math.min(MAX_EARLIER, Math.max(this.#asked, oldestUnread < 0 ? 0 : earlier.length - oldestUnread));
    // Once shown, a conversation stays (reading it must not make it vanish).
    this.#asked = depth;
    const shown: readonly ConversationSummary[] = earlier.slice(Math.max(0, earlier.length - depth));
    for (const [id, release] of this.#held) {
      if (!shown.some((c) => c.id === id)) {
        release();
        this.#held.delete(id);
      }
    }
    for (const c of shown) if (!this.#held.has(c.id)) this.#held.set(c.id, realtime.open(c.id));
    this.#sections = shown.map((c) => ({
      id: c.id,
      thread: state.thread(c.id).get(),
      status: c.status,
      endedAt: c.updated_at,
      unread: unread[c.id] ?? 0,
    }));
    this.#more = shown.length < earlier.length;
    this.#stores.setStores(...shown.map((c) => state.thread(c.id)));
    // An unread reply must be visible: load what stands between it and the bottom.
    if (oldestUnread >= 0) this.#reveal(realtime, current);
  }

  hostDisconnected(): void {
    this.#releaseAll();
    this.#realtime = null;
  }

  /** Loads older pages of the conversations above which an unread one waits, so it shows. */
  #reveal(realtime: RealtimeController, current: string | null): void {
    const session = this.#options.session();
    const below = [...(current ? [current] : []), ...this.#sections.map((s) => s.id).reverse()];
    for (const id of below) {
      const section = this.#sections.find((s) => s.id === id);
      if (section && section.unread > 0) return;
      const thread = session?.state.thread(id).get();
      if (thread && thread.hasMore) {
        // Only once its first page is in: opening fetches that one.
        if (thread.messages.length > 0 && !thread.loading) realtime.loadOlder(id).catch(() => undefined);
        return;
      }
    }
  }

  #releaseAll(): void {
    for (const release of this.#held.values()) release();
    this.#held.clear();
  }
}

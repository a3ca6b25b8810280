/**
 * Keeps one open conversation's thread exactly in step with the database. Realtime delivers at
 * most once; the dense `seq` says exactly what is missing, so this fetches the newest page once,
 * everything after the last seq on every resync point (SUBSCRIBED, online, visible, a poll), the
 * holes an insert opened, and the tail a conversation row announced. Runs are serialized per thread:
 * a request made while one runs is coalesced into one more run, so pages never race each other.
 */
import { isParleyError, type Conversation, type ConversationApi, type Message } from '../data/index.ts';
import { missingRanges, type ParleyState } from '../state/index.ts';
import { TimerSlot, type Timers } from './timers.ts';

/** `gaps`: only the missing ranges. `resync`: also everything after the last seq, and the read markers. */
export type SyncMode = 'gaps' | 'resync';

/** Grace before fetching a tail announced by the conversation row: the insert itself usually follows. */
const ROW_AHEAD_GRACE_MS = 400;
/** Grace before filling a gap an insert opened: out-of-order deliveries usually fill it. */
const GAP_GRACE_MS = 150;
/** Delay before retrying a failed resync while online. */
const SYNC_RETRY_MS = 3000;

export interface ThreadSyncOptions {
  readonly api: ConversationApi;
  readonly state: ParleyState;
  readonly timers: Timers;
  readonly isOnline: () => boolean;
}

export class ThreadSync {
  readonly id: string;
  readonly #options: ThreadSyncOptions;
  readonly #abort = new AbortController();
  readonly #timer: TimerSlot;
  /** The newest page has been merged (a resync can then ask for `afterSeq: lastSeq`). */
  #loaded = false;
  #running: Promise<void> | null = null;
  #queued: SyncMode | null = null;

  constructor(id: string, options: ThreadSyncOptions) {
    this.id = id;
    this.#options = options;
    this.#timer = new TimerSlot(options.timers);
  }

  get closed(): boolean {
    return this.#abort.signal.aborted;
  }

  /** A realtime insert: merged at once; a hole it opened is filled after a short grace. */
  onMessage(message: Message): void {
    const { state } = this.#options;
    state.applyMessage(message);
    if (this.#loaded && state.thread(this.id).get().gaps.length > 0) this.schedule('gaps', GAP_GRACE_MS);
  }

  /**
   * The conversation's row (realtime, or a list page): when it announces messages past the newest
   * held one, fetch them, after a grace when the insert is probably on its way (`live`).
   */
  onConversationRow(row: Conversation, live: boolean): void {
    if (!this.#loaded) return;
    const newest = this.#options.state.thread(this.id).get().messages.at(-1)?.seq ?? 0;
    if (row.last_seq > newest) this.schedule('gaps', live ? ROW_AHEAD_GRACE_MS : 0);
  }

  /** Runs a sync after `delay` ms (at once for 0); a delayed one already pending is kept. */
  schedule(mode: SyncMode, delay: number): void {
    if (this.closed) return;
    if (delay <= 0) {
      void this.sync(mode);
      return;
    }
    this.#timer.schedule(() => void this.sync(mode), delay);
  }

  /** Serialized: a request made while one runs is coalesced into one more run. */
  sync(mode: SyncMode): Promise<void> {
    if (this.#running) {
      if (this.#queued !== 'resync') this.#queued = mode;
      return this.#running;
    }
    this.#running = (async () => {
      let next: SyncMode | null = mode;
      let retry = false;
      try {
        while (next !== null && !this.closed) {
          this.#queued = null;
          await this.#syncOnce(next);
          next = this.#queued;
        }
      } catch (error) {
        if (!this.closed && this.#options.isOnline() && (!isParleyError(error) || error.retryable)) retry = true;
      } finally {
        this.#running = null;
      }
      if (retry) this.schedule('resync', SYNC_RETRY_MS);
    })();
    return this.#running;
  }

  /** Loads the page before the oldest held message; no-op when none is older. */
  async loadOlder(): Promise<void> {
    const { api, state } = this.#options;
    const held = state.thread(this.id).get();
    const oldest = held.messages[0]?.seq;
    if (oldest === undefined || !held.hasMore || held.loading) return;
    state.setThreadLoading(this.id, true);
    try {
      const page = await api.pageMessages(this.id, { beforeSeq: oldest });
      if (this.closed) return;
      state.applyPage(this.id, page.items, page.hasMore);
    } catch (error) {
      if (!this.closed) state.setThreadLoading(this.id, false);
      throw error;
    }
  }

  /** Stops every request and timer; results still in flight are dropped. */
  close(): void {
    this.#abort.abort();
    this.#timer.clear();
  }

  async #syncOnce(mode: SyncMode): Promise<void> {
    const { api, state } = this.#options;
    const { id } = this;
    const { signal } = this.#abort;
    // Reading sends no message, so nothing else announces a marker missed while away; the list
    // channel carries later ones. Asked alongside the messages, applied after them.
    const reads = mode === 'resync' ? api.readMarkers(id) : null;
    void reads?.catch(() => undefined); // awaited below, unless a message request fails first
    if (!this.#loaded) {
      const page = await api.pageMessages(id);
      if (signal.aborted) return;
      state.applyPage(id, page.items, page.hasMore);
      this.#loaded = true;
    } else if (mode === 'resync') {
      const page = await api.pageMessages(id, { afterSeq: state.thread(id).get().lastSeq });
      if (signal.aborted) return;
      state.applyPage(id, page.items);
    }
    // Exactly the missing ranges: holes between held messages, and a tail the conversation row announced.
    const known = state.$conversations.get()[id]?.last_seq ?? 0;
    for (const range of missingRanges(state.thread(id).get(), known)) {
      const rows = await api.fetchRange(id, range.from, range.to);
      if (signal.aborted) return;
      state.applyPage(id, rows);
    }
    if (reads) {
      const markers = await reads;
      if (signal.aborted) return;
      state.applyReadMarkers(markers);
    }
  }
}

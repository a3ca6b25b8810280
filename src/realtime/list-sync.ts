/**
 * Keeps the conversation list in step: the first page of the list (newest activity) on every
 * resync point, stale-proof upserts so repeats are harmless, and each row handed to its open thread,
 * which fetches a tail the row announces. Runs are coalesced: a request made while one runs becomes
 * one more run.
 */
import type { Conversation, DataApi } from '../data/index.ts';
import type { ParleyState } from '../state/index.ts';
import type { ThreadSync } from './thread-sync.ts';

export interface ListSyncOptions {
  readonly api: DataApi;
  readonly state: ParleyState;
  /** The open thread of a conversation, if any. */
  readonly thread: (conversationId: string) => ThreadSync | undefined;
}

export class ListSync {
  readonly #options: ListSyncOptions;
  #running: Promise<boolean> | null = null;
  #again = false;
  #stopped = false;

  constructor(options: ListSyncOptions) {
    this.#options = options;
  }

  /** A conversation row from realtime. */
  onConversation(row: Conversation): void {
    this.#options.state.applyConversation(row);
    this.#options.thread(row.id)?.onConversationRow(row, true);
  }

  /**
   * Fetches the first page of the list and merges it. Resolves to whether the last run reached the
   * server (false on a failed request); never rejects: the next resync point retries.
   */
  sync(): Promise<boolean> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const { api, state, thread } = this.#options;
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          const page = await api.listConversations();
          if (this.#stopped) return true;
          state.applyConversations(page.items);
          state.applyReadMarkers(page.reads);
          for (const row of page.items) thread(row.id)?.onConversationRow(row, false);
        } while (this.#again && !this.#stopped);
        return true;
      } catch {
        return false;
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  stop(): void {
    this.#stopped = true;
  }
}

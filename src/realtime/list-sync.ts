/**
 * Keeps the conversation list in step: the first page of the list (newest activity) on every
 * resync point, stale-proof upserts so repeats are harmless, and each row handed to its open thread,
 * which fetches a tail the row announces. Runs are coalesced: a request made while one runs becomes
 * one more run.
 *
 * Realtime rows and read markers are applied in the next task, together: a message's transaction
 * updates its conversation (and the sender's read marker) around inserting it, so the list's frames
 * arrive right beside the message's. Rendering the list first held the message back by the list's
 * render time; now the message frame, already queued, goes first.
 */
import type { Conversation, ConversationApi, ReadMarker } from '../data/index.ts';
import type { ParleyState } from '../state/index.ts';
import { nextTask, type Defer } from './next-task.ts';
import type { ThreadSync } from './thread-sync.ts';

export interface ListSyncOptions {
  readonly api: ConversationApi;
  readonly state: ParleyState;
  /** The open thread of a conversation, if any. */
  readonly thread: (conversationId: string) => ThreadSync | undefined;
  /** Where realtime rows wait (tests); the next task by default. */
  readonly defer?: Defer;
}

export class ListSync {
  readonly #options: ListSyncOptions;
  #running: Promise<boolean> | null = null;
  #again = false;
  #stopped = false;
  /** Realtime rows and markers waiting for the next task, in arrival order. */
  #rows: Conversation[] = [];
  #markers: ReadMarker[] = [];

  constructor(options: ListSyncOptions) {
    this.#options = options;
  }

  /** A conversation row from realtime. */
  onConversation(row: Conversation): void {
    this.#hold(() => this.#rows.push(row));
  }

  /** A read marker from realtime. */
  onReadMarker(marker: ReadMarker): void {
    this.#hold(() => this.#markers.push(marker));
  }

  #hold(add: () => void): void {
    const idle = this.#rows.length === 0 && this.#markers.length === 0;
    add();
    if (idle) (this.#options.defer ?? nextTask)(() => this.#applyHeld());
  }

  #applyHeld(): void {
    const rows = this.#rows;
    const markers = this.#markers;
    this.#rows = [];
    this.#markers = [];
    if (this.#stopped) return;
    const { state, thread } = this.#options;
    if (rows.length > 0) state.applyConversations(rows);
    if (markers.length > 0) state.applyReadMarkers(markers);
    for (const row of rows) thread(row.id)?.onConversationRow(row, true);
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

/**
 * Delivers the outbox (`$outbox`): one request at a time, in order, so seqs follow the typing
 * order. A retryable failure (network, 5xx, expired token) keeps the message `sending` and tries
 * again on a backoff, or at once when the connection comes back (`kick`); the id is fixed before the
 * first attempt, so a request that did reach the database returns the stored row instead of
 * inserting twice. Anything else marks it `failed` for the UI's Retry.
 *
 * An entry with files has them uploaded first (`files`, loaded on demand), then the message; the
 * files are forgotten once it is stored or given up. A cancelled upload drops the entry.
 *
 * A new send can be handed over before the stores hold it (`enqueue` with `handedOver`): its
 * request then leaves at once, and its answer is applied only once the stores hold the entry.
 */
import { isParleyError, type ConversationApi } from '../data/index.ts';
import type { ParleyState, PendingMessage } from '../state/index.ts';
import { TimerSlot, backoff, type Timers } from './timers.ts';

export interface OutboxPumpOptions {
  readonly api: ConversationApi;
  readonly state: ParleyState;
  readonly timers: Timers;
  readonly isOnline: () => boolean;
  /** Uploads an entry's files before its message, and drops them after (attachment-delivery.ts). */
  readonly files?: {
    deliver(entry: PendingMessage): Promise<void>;
    forget(entry: PendingMessage): void;
  };
}

/** A send whose entry the stores do not hold yet; `added` resolves once they do. */
export interface HandedOver {
  readonly entry: PendingMessage;
  readonly added: Promise<void>;
}

export class OutboxPump {
  readonly #options: OutboxPumpOptions;
  /** Ids to deliver, in order. */
  readonly #queue: string[] = [];
  /** Handed-over entries until the stores hold them. */
  readonly #handedOver = new Map<string, HandedOver>();
  readonly #timer: TimerSlot;
  #pumping = false;
  #failures = 0;
  #stopped = false;

  constructor(options: OutboxPumpOptions) {
    this.#options = options;
    this.#timer = new TimerSlot(options.timers);
  }

  /** Queues an outbox entry for delivery and starts delivering. */
  enqueue(id: string, handedOver?: HandedOver): void {
    if (handedOver) {
      this.#handedOver.set(id, handedOver);
      void handedOver.added.then(() => this.#handedOver.delete(id));
    }
    if (!this.#queue.includes(id)) this.#queue.push(id);
    void this.#pump();
  }

  /** Connection is back (SUBSCRIBED, online, visible): retry a waiting send now instead of after its backoff. */
  kick(): void {
    if (this.#queue.length === 0 || this.#pumping) return;
    this.#timer.clear();
    void this.#pump();
  }

  /** The UI's Retry for a `failed` send; false when `id` is not a failed send. */
  retry(id: string): boolean {
    const entry = this.#options.state.retry(id);
    if (!entry) return false;
    this.#failures = 0;
    this.#timer.clear();
    this.enqueue(entry.id);
    return true;
  }

  /** Stops delivering; what is still queued stays in the (persisted) outbox. */
  stop(): void {
    this.#stopped = true;
    this.#timer.clear();
    this.#queue.length = 0;
  }

  async #pump(): Promise<void> {
    if (this.#pumping || this.#stopped || this.#timer.pending) return;
    const { api, state, isOnline, files } = this.#options;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0 && !this.#stopped) {
        const id = this.#queue[0] as string;
        const handedOver = this.#handedOver.get(id);
        const entry = handedOver?.entry ?? state.$outbox.get().find((e) => e.id === id);
        if (!entry || entry.state !== 'sending') {
          this.#queue.shift();
          continue;
        }
        if (!isOnline()) return; // the online event kicks
        const attachments = entry.attachments ?? [];
        try {
          if (attachments.length > 0) {
            if (!files) throw new Error('Files cannot be sent from here');
            await files.deliver(entry);
          }
          const row = await api.sendMessage({
            id: entry.id, conversationId: entry.conversation_id, content: entry.content, metadata: entry.metadata,
            visibility: entry.visibility, attachments,
          }).finally(() => handedOver?.added);
          this.#queue.shift();
          this.#failures = 0;
          state.markSent(row);
          if (attachments.length > 0) files?.forget(entry);
        } catch (error) {
          if (this.#stopped) return;
          if (!isParleyError(error) || !error.retryable) {
            this.#queue.shift();
            state.markFailed(id, error instanceof Error ? error.message : String(error));
            if (isParleyError(error) && error.reason === 'upload_cancelled') {
              state.discard(id);
              files?.forget(entry);
            }
            continue;
          }
          this.#failures += 1;
          this.#timer.schedule(() => void this.#pump(), backoff(this.#failures));
          return;
        }
      }
    } finally {
      this.#pumping = false;
    }
  }
}

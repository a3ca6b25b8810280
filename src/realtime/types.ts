/** The realtime controller's public surface (controller.ts builds it). */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { ConversationApi } from '../data/index.ts';
import type { MessageVisibility, RealtimeTransport } from '../data/types.ts';
import type { ParleyState, PendingMessage } from '../state/index.ts';
import type { OutgoingFile } from '../data/attachment.ts';

export interface RealtimeControllerOptions {
  readonly client: SupabaseClient;
  readonly api: ConversationApi;
  readonly state: ParleyState;
  /** Where `online`, `offline` and `visibilitychange` are listened to; `globalThis.window` by default. */
  readonly window?: Window;
  /** Name sent with this viewer's typing broadcasts (agents show theirs); a function when it is known only after sign-in. */
  readonly typingName?: string | null | (() => string | null);
  /** Timers, injectable for tests; `setTimeout`/`clearTimeout` by default. */
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
  /** Whether the server answers, asked while the connection is down; `healthProbe(client)` by default. */
  readonly probe?: () => Promise<boolean>;
  /**
   * `broadcast` for scale mode: the list, messages and read markers come as database broadcasts on
   * private topics (src/data/channels.ts) instead of postgres_changes; the resync points and gap
   * repair are the same. `postgres-changes` by default.
   */
  readonly transport?: RealtimeTransport;
}

/** How `RealtimeController.send` sends a message. */
export interface SendOptions {
  /** `internal` for an agent's note only the team reads; `public` (the default) otherwise. */
  readonly visibility?: MessageVisibility;
  /** Files to upload and attach (then `content` may be empty); their keys derive from the message id. */
  readonly files?: readonly OutgoingFile[];
  /** The message id, when the caller already chose one (the composer does, to follow the upload). */
  readonly id?: string;
}

/** How `RealtimeController.start` begins (the first call's options count). */
export interface StartOptions {
  /**
   * Fetch the list's first page at once, before its channel is joined (the default), so a list shows
   * without waiting for the join. False when the caller fetches what it shows itself right after
   * `start()` (the visitor's start): the joins' resyncs fetch the page all the same.
   */
  readonly listNow?: boolean;
}

export interface RealtimeController {
  /** Awaits the session, joins the list channel and resends the restored outbox. Idempotent. */
  start(options?: StartOptions): Promise<void>;
  /** Removes every channel, timer and listener; the controller cannot be started again. */
  stop(): Promise<void>;
  /**
   * Opens a conversation (its channel and thread store), reference-counted. Returns the release;
   * calling it more than once is harmless. The channel and thread go away at zero references.
   * Opening and every resync also fetch its read markers (`$seen`).
   */
  open(conversationId: string): () => void;
  /** Loads the page before the oldest held message; resolves when merged (no-op when none is older). */
  loadOlder(conversationId: string): Promise<void>;
  /**
   * Delivers the message and shows it as `sending` (in the next task: its request leaves first);
   * throws RangeError on empty/too long. `options.visibility: 'internal'` sends an agent's note (the
   * server refuses it from a customer).
   */
  send(
    conversationId: string,
    content: string,
    metadata?: Readonly<Record<string, unknown>>,
    options?: SendOptions,
  ): PendingMessage;
  /** The UI's retry for a `failed` send; false when the id is not a failed send. */
  retry(id: string): boolean;
  /** Moves the read position forward locally and on the server (only when it moved). */
  markRead(conversationId: string, seq: number): Promise<void>;
  /** Tells the others this viewer is typing; throttled to one broadcast per 2 s per conversation. */
  typing(conversationId: string): void;
  /** Tells the others this viewer stopped (message sent, field cleared). */
  stopTyping(conversationId: string): void;
  /** Resyncs the list and every open thread now (also done on online/visible and every SUBSCRIBED). */
  resync(): void;
}

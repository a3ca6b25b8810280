import type { Claims } from '../keys.ts';

/** A postgres_changes binding exactly as the client sent it, plus the id the server gave it. */
export interface ChangeBinding {
  readonly id: number;
  /** As sent: '*', 'INSERT', 'UPDATE', 'DELETE' (any case; anything else counts as '*'). */
  readonly event: string;
  readonly schema: string;
  readonly table?: string;
  readonly filter?: string;
  readonly select?: readonly string[];
}

/** The `data` of a postgres_changes frame (SUPABASE-WIRE §1.8). */
export interface ChangeData {
  schema: string;
  table: string;
  commit_timestamp: string | null;
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  columns: { name: string; type: string }[];
  errors: string[] | null;
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
}

/** One channel's postgres_changes subscriptions, as the change feed sees them. */
export interface ChangeSubscriber {
  /** Claims the channel acts with now; they change when the client pushes a new access_token. */
  claims(): Claims;
  /** Sends one postgres_changes frame (`{ids, data}`) to the client. */
  deliver(ids: number[], data: ChangeData): void;
}

export interface ChangeFeed {
  /**
   * Validates the bindings (publication, columns, filters, the subscriber's privileges) and starts
   * delivering; replaces earlier bindings of the same subscriber. Resolves to null when subscribed,
   * or to the text of the `system` error message (the channel stays joined either way).
   * Every change committed after this resolves reaches the subscriber if visible to it.
   */
  subscribe(subscriber: ChangeSubscriber, bindings: readonly ChangeBinding[]): Promise<string | null>;
  unsubscribe(subscriber: ChangeSubscriber): void;
  /** Resolves once every change committed before the call has been dispatched. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A row inserted into realtime.messages (realtime.send / broadcast_changes), read from the WAL. */
export interface DatabaseBroadcast {
  readonly id: string;
  readonly topic: string;
  readonly event: string;
  readonly payload: unknown;
  readonly private: boolean;
}

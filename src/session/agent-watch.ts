/**
 * The console follows its own agent row and the canned replies live (issue 14): an admin's role
 * change, a deactivation or a new display name reach the open console at once, and the composer's
 * "/" picker sees canned replies created, edited or deleted anywhere. Both are read again on each
 * join (a change made while the channel was down is not lost). No DOM: AgentConsole runs it.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { consoleChannel, readOwnAgent, type OwnAgent } from '../data/console-channel.ts';
import { ManagedChannel, passSessionToRealtime } from '../realtime/managed-channel.ts';
import { ReadOrder } from '../realtime/read-order.ts';
import { realTimers, type Timers } from '../realtime/timers.ts';

export interface AgentWatchOptions {
  readonly client: SupabaseClient;
  readonly userId: string;
  /** The agent's own row, as read on a join or heard in an UPDATE. */
  readonly onAgent: (agent: OwnAgent) => void;
  /** Canned replies changed (or may have, while the channel was down): read them again. */
  readonly onCanned: () => void;
  readonly timers?: Timers;
}

export class AgentWatch {
  readonly #options: AgentWatchOptions;
  readonly #channel: ManagedChannel;
  #stopped = false;
  readonly #ownRowOrder = new ReadOrder();

  constructor(options: AgentWatchOptions) {
    this.#options = options;
    const { client } = options;
    this.#channel = new ManagedChannel({
      client,
      timers: options.timers ?? realTimers,
      build: () => consoleChannel(client, options.userId, {
        onAgent: (agent) => {
          this.#ownRowOrder.live();
          this.#agent(agent);
        },
        onCannedChange: () => this.#canned(),
        onDatabaseReady: () => this.#resync(),
      }),
      onSubscribed: () => this.#resync(),
      onChange: () => undefined,
      refreshAuth: passSessionToRealtime(client, () => this.#stopped),
    });
  }

  start(): void {
    this.#channel.subscribe();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#channel.release();
  }

  #agent(agent: OwnAgent): void {
    if (!this.#stopped) this.#options.onAgent(agent);
  }

  #canned(): void {
    if (!this.#stopped) this.#options.onCanned();
  }

  /** What changed while the channel was not joined: the own row and the canned replies, read again. */
  #resync(): void {
    if (this.#stopped) return;
    this.#canned();
    const fresh = this.#ownRowOrder.startRead();
    readOwnAgent(this.#options.client, this.#options.userId).then((agent) => {
      if (agent && fresh()) this.#agent(agent);
    }, () => undefined);
  }
}

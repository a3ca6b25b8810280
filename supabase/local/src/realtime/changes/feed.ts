// The postgres_changes feed: a logical replication slot (pgoutput) streams committed changes to
// Node, which queues them by transaction and hands them to the dispatcher in batches, in commit
// order; it also keeps the subscriptions the dispatcher plans with.

import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { LogicalReplicationService } from 'pg-logical-replication';
import type { ChangeBinding, ChangeFeed, ChangeSubscriber, DatabaseBroadcast } from '../types.ts';
import { createDispatcher, type Item } from './dispatch.ts';
import { PgoutputDecoder, formatLsn, parseLsn, type PgoutputMessage, type Relation, type RowChange } from './pgoutput.ts';
import { buildPlan, type Plan, type Subscription } from './plan.ts';
import { createSlot, dropSlot, dropStaleSlots, SLOT_PREFIX } from './slots.ts';
import { compileBinding, SubscribeError, type CompiledBinding } from './subscribe.ts';
import { TypeRegistry } from './values.ts';

export interface ChangeFeedOptions {
  /** Superuser pool: catalog reads, RLS checks, slot management. */
  readonly pool: pg.Pool;
  /** Superuser connection string for the replication connection. */
  readonly databaseUrl: string;
  readonly log: (line: string) => void;
  readonly onBroadcast: (message: DatabaseBroadcast) => void;
}

const PUBLICATIONS = ['supabase_realtime', 'supabase_realtime_messages_publication'];
const FLUSH_PREFIX = 'parley_realtime_flush';
/** Changes per dispatch batch: large enough for throughput, small enough to keep latency bounded. */
const MAX_BATCH_CHANGES = 5000;
/** Tries per batch before its changes are given up (and logged). */
const DISPATCH_ATTEMPTS = 4;

export async function createChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const { pool, log } = options;
  const types = new TypeRegistry(pool);
  const feedId = randomBytes(6).toString('hex');
  const slot = `${SLOT_PREFIX}${feedId}`;

  await dropStaleSlots(pool, log);
  const serverVersion = Number((await pool.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]?.v ?? 0);
  await createSlot(pool, slot);

  const subscriptions = new Map<ChangeSubscriber, Subscription>();
  const subscribeTokens = new Map<ChangeSubscriber, number>();
  let version = 0;
  const plans = new WeakMap<Relation, Plan>();
  const dispatch = createDispatcher({ pool, types, log, planFor, onBroadcast: options.onBroadcast, settleFlush });

  const queue: Item[] = [];
  let pumping: Promise<void> | null = null;
  let open: { endLsn: bigint; commitTime: bigint; xid: number; changes: RowChange[] } | null = null;
  let lastQueuedLsn = 0n;
  let lastDispatchedLsn = 0n;
  let flushSequence = 0;
  const flushWaiters = new Map<number, () => void>();
  let closed = false;

  const decoder = new PgoutputDecoder();
  const service = new LogicalReplicationService({
    connectionString: options.databaseUrl,
    // Output functions run in the walsender with these settings; values.ts expects them.
    options: '-c timezone=UTC -c datestyle=ISO,MDY -c intervalstyle=postgres -c extra_float_digits=1',
  }, { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: false } });
  const plugin = {
    options: {},
    name: 'pgoutput',
    parse(buffer: Buffer): PgoutputMessage | { tag: 'error'; error: unknown } {
      try {
        return decoder.decode(buffer);
      } catch (error) {
        return { tag: 'error', error };
      }
    },
    start(client: pg.Client, slotName: string, lsn: string): Promise<unknown> {
      return client.query(`START_REPLICATION SLOT "${slotName}" LOGICAL ${lsn} (proto_version '1', publication_names '${PUBLICATIONS.join(',')}', messages 'true')`);
    },
  };

  service.on('data', (_lsn: string, message: PgoutputMessage | { tag: 'error'; error: unknown }) => receive(message));
  service.on('heartbeat', (lsn: string, _time: number, shouldRespond: boolean) => {
    // Nothing received is waiting: everything up to the server's position is done, so WAL the
    // publications do not cover can be released too.
    if (open === null && queue.length === 0 && pumping === null) {
      const position = parseLsn(lsn);
      if (position > lastDispatchedLsn) lastDispatchedLsn = position;
    }
    if (shouldRespond) acknowledge();
  });
  service.on('error', (error: Error) => {
    if (!closed) log(`realtime: replication connection error: ${error.message}`);
  });
  const ackTimer = setInterval(acknowledge, 10_000);
  ackTimer.unref();

  function acknowledge(): void {
    // The library reports lsn + 1 as written/flushed; hand it the position minus one.
    if (!closed && !service.isStop() && lastDispatchedLsn > 0n) void service.acknowledge(formatLsn(lastDispatchedLsn - 1n)).catch(() => undefined);
  }

  function receive(message: PgoutputMessage | { tag: 'error'; error: unknown }): void {
    switch (message.tag) {
      case 'begin':
        open = { endLsn: 0n, commitTime: message.commitTime, xid: message.xid, changes: [] };
        break;
      case 'insert':
      case 'update':
      case 'delete':
        open?.changes.push(message);
        break;
      case 'commit': {
        const transaction = open;
        open = null;
        // After a reconnect the server resends what was not acknowledged; skip what is queued.
        if (!transaction || message.endLsn <= lastQueuedLsn) break;
        lastQueuedLsn = message.endLsn;
        if (transaction.changes.length === 0) break;
        queue.push({ kind: 'transaction', endLsn: message.endLsn, xid: transaction.xid, commitTimestamp: commitTimestamp(message.commitTime), changes: transaction.changes });
        pump();
        break;
      }
      case 'message':
        if (message.prefix === FLUSH_PREFIX && message.content.startsWith(`${feedId}:`)) {
          queue.push({ kind: 'marker', id: Number(message.content.slice(feedId.length + 1)) });
          pump();
        }
        break;
      case 'error':
        log(`realtime: could not decode a replication message: ${message.error instanceof Error ? message.error.message : String(message.error)}`);
        break;
      default:
        break;
    }
  }

  function pump(): void {
    if (pumping) return;
    pumping = (async () => {
      while (queue.length > 0 && !closed) {
        let count = 0;
        let take = 0;
        while (take < queue.length && count < MAX_BATCH_CHANGES) {
          const item = queue[take] as Item;
          if (item.kind === 'transaction') count += item.changes.length;
          take++;
        }
        const batch = queue.splice(0, take);
        // A failure before the first frame went out (catalog or visibility queries) is retried:
        // dropping the batch would lose changes for every subscriber.
        for (let attempt = 1; ; attempt++) {
          const progress = { delivering: false };
          try {
            await dispatch(batch, progress);
            break;
          } catch (error) {
            const reason = error instanceof Error ? error.stack ?? error.message : String(error);
            if (progress.delivering || attempt >= DISPATCH_ATTEMPTS || closed) {
              log(`realtime: dispatching ${count} changes failed, giving up: ${reason}`);
              break;
            }
            log(`realtime: dispatching changes failed (attempt ${attempt}), retrying: ${reason}`);
            await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** attempt));
          }
        }
        for (const item of batch) {
          if (item.kind === 'transaction' && item.endLsn > lastDispatchedLsn) lastDispatchedLsn = item.endLsn;
        }
        acknowledge();
      }
    })().catch((error: unknown) => {
      log(`realtime: the change pump failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }).finally(() => {
      pumping = null;
      if (queue.length > 0 && !closed) pump();
    });
  }

  // --- Subscriptions ---------------------------------------------------------------------------

  function planFor(relation: Relation): Plan {
    const cached = plans.get(relation);
    if (cached && cached.version === version) return cached;
    const plan = buildPlan(relation, subscriptions.values(), version);
    plans.set(relation, plan);
    return plan;
  }

  // --- Replication connection ------------------------------------------------------------------

  let started!: () => void;
  let failedToStart!: (error: unknown) => void;
  const startedPromise = new Promise<void>((resolve, reject) => {
    started = resolve;
    failedToStart = reject;
  });
  let everStarted = false;
  service.on('start', () => {
    everStarted = true;
    started();
  });

  let wake: (() => void) | null = null;
  const running = (async () => {
    let delay = 250;
    while (!closed) {
      try {
        await service.subscribe(plugin, slot, formatLsn(lastDispatchedLsn));
        if (closed) break;
        log('realtime: replication stream ended; reconnecting');
      } catch (error) {
        if (closed) break;
        if (!everStarted) {
          failedToStart(error);
          return;
        }
        log(`realtime: replication connection lost (${error instanceof Error ? error.message : String(error)}); reconnecting`);
      }
      open = null;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay);
      });
      wake = null;
      delay = Math.min(delay * 2, 5_000);
      if (closed) break;
      try {
        const exists = (await pool.query('select 1 from pg_replication_slots where slot_name = $1', [slot])).rowCount === 1;
        if (!exists) {
          log(`realtime: replication slot ${slot} disappeared; creating it again (changes in between are lost)`);
          await createSlot(pool, slot);
          lastDispatchedLsn = 0n;
        }
        delay = 250;
      } catch (error) {
        log(`realtime: database unavailable (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  })().catch((error: unknown) => {
    log(`realtime: the replication loop failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  });

  try {
    await startedPromise;
  } catch (error) {
    closed = true;
    clearInterval(ackTimer);
    await dropSlot(pool, slot).catch(() => undefined);
    throw error;
  }

  function settleFlush(id: number): void {
    for (const [waiting, resolve] of flushWaiters) {
      if (waiting <= id) {
        flushWaiters.delete(waiting);
        resolve();
      }
    }
  }

  return {
    async subscribe(subscriber: ChangeSubscriber, bindings: readonly ChangeBinding[]): Promise<string | null> {
      const token = (subscribeTokens.get(subscriber) ?? 0) + 1;
      subscribeTokens.set(subscriber, token);
      const claims = subscriber.claims();
      let compiled: CompiledBinding[] | string;
      try {
        compiled = [];
        for (const binding of bindings) compiled.push(await compileBinding(pool, binding, claims.role));
      } catch (error) {
        if (!(error instanceof SubscribeError)) log(`realtime: subscribe failed: ${error instanceof Error ? error.message : String(error)}`);
        compiled = error instanceof SubscribeError ? error.message : 'Unable to subscribe to changes with given parameters.';
      }
      // A later subscribe of the same subscriber won the race.
      if (subscribeTokens.get(subscriber) !== token) return typeof compiled === 'string' ? compiled : null;
      const previous = subscriptions.get(subscriber);
      if (previous) previous.active = false;
      if (typeof compiled === 'string') {
        subscriptions.delete(subscriber);
      } else {
        subscriptions.set(subscriber, { subscriber, bindings: compiled, active: true });
      }
      version++;
      return typeof compiled === 'string' ? compiled : null;
    },

    unsubscribe(subscriber: ChangeSubscriber): void {
      const previous = subscriptions.get(subscriber);
      if (!previous) return;
      previous.active = false;
      subscriptions.delete(subscriber);
      subscribeTokens.delete(subscriber);
      version++;
    },

    async flush(): Promise<void> {
      if (closed) return;
      const id = ++flushSequence;
      const done = new Promise<void>((resolve) => flushWaiters.set(id, resolve));
      // Forcing the WAL flush lets the walsender send it now, even with synchronous_commit off.
      await pool.query(serverVersion >= 170000
        ? 'select pg_logical_emit_message(false, $1, $2, true)'
        : 'select pg_logical_emit_message(false, $1, $2)', [FLUSH_PREFIX, `${feedId}:${id}`]);
      await done;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(ackTimer);
      for (const resolve of flushWaiters.values()) resolve();
      flushWaiters.clear();
      await service.destroy().catch(() => undefined);
      wake?.();
      await running;
      await pumping;
      await dropSlot(pool, slot).catch((error: unknown) => log(`realtime: could not drop slot ${slot}: ${error instanceof Error ? error.message : String(error)}`));
    },
  };
}

/** Microseconds since 2000-01-01 UTC → `YYYY-MM-DDTHH:MM:SS.mmmZ` (to_char … MS, truncated). */
function commitTimestamp(micros: bigint): string {
  const millis = micros >= 0n ? micros / 1000n : (micros - 999n) / 1000n;
  return new Date(Number(millis) + 946_684_800_000).toISOString();
}

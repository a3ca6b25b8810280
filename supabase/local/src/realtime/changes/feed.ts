// The postgres_changes feed: a logical replication slot (pgoutput) streams committed changes to
// Node; each transaction is matched against the subscribers' bindings, checked against RLS in
// batches (realtime.parley_visible), and delivered in commit order as WALRUS would format it.

import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { LogicalReplicationService } from 'pg-logical-replication';
import type { Claims } from '../../keys.ts';
import type { ChangeBinding, ChangeData, ChangeFeed, ChangeSubscriber, DatabaseBroadcast } from '../types.ts';
import { loadPrivileges, loadRelationMeta, viewFor, type RelationMeta, type View } from './catalog.ts';
import { ACTION_BITS, type Tri } from './filters.ts';
import { PgoutputDecoder, formatLsn, parseLsn, type PgoutputMessage, type RawValue, type Relation, type RowChange } from './pgoutput.ts';
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
const SLOT_PREFIX = 'parley_realtime_';
const FLUSH_PREFIX = 'parley_realtime_flush';
/** WALRUS's max_record_bytes. */
const MAX_RECORD_BYTES = 1024 * 1024;
/** Changes per dispatch batch: large enough for throughput, small enough to keep latency bounded. */
const MAX_BATCH_CHANGES = 5000;
/** Parallel visibility-check queries per batch, and the fewest checks worth a query of their own. */
const CHECK_SHARDS = 2;
const CHECKS_PER_SHARD = 16;
/** Tries per batch before its changes are given up (and logged). */
const DISPATCH_ATTEMPTS = 4;

interface Transaction {
  readonly kind: 'transaction';
  readonly endLsn: bigint;
  /** From BEGIN: the visibility check waits until snapshots see this transaction as committed. */
  readonly xid: number;
  readonly commitTimestamp: string;
  readonly changes: RowChange[];
}

interface Marker {
  readonly kind: 'marker';
  readonly id: number;
}

type Item = Transaction | Marker;

interface Subscription {
  readonly subscriber: ChangeSubscriber;
  readonly bindings: readonly CompiledBinding[];
  active: boolean;
}

/** One subscriber's bindings that apply to one table, with filter columns resolved to tuple indexes. */
interface PlanEntry {
  readonly subscription: Subscription;
  readonly bindings: readonly PlanBinding[];
  /** Union of the bindings' action bits. */
  readonly mask: number;
}

interface PlanBinding {
  readonly id: number;
  readonly mask: number;
  readonly filters: readonly { index: number; test: (value: RawValue) => Tri; equals?: string }[];
  readonly select: readonly string[] | null;
  readonly selectKey: string;
}

interface Plan {
  readonly version: number;
  readonly entries: readonly PlanEntry[];
  /**
   * Entries whose every binding has an `eq` filter on one column, by column and value: a change
   * visits only the entries its own value selects (a conversation's two subscribers, not all 400).
   */
  readonly buckets: ReadonlyMap<number, ReadonlyMap<string, readonly PlanEntry[]>>;
  /** Entries that must be tested against every change. */
  readonly unindexed: readonly PlanEntry[];
}

/** Calls `visit` for each entry whose filters could match the row image. */
function forEachCandidate(plan: Plan, image: readonly RawValue[] | null, visit: (entry: PlanEntry) => void): void {
  for (const entry of plan.unindexed) visit(entry);
  if (!image) return;
  for (const [column, byValue] of plan.buckets) {
    const value = image[column];
    if (typeof value !== 'string') continue;
    const entries = byValue.get(value);
    if (entries) for (const entry of entries) visit(entry);
  }
}

/** The column every binding of the entry filters with `eq`, if there is one. */
function indexColumn(bindings: readonly PlanBinding[]): number | null {
  const first = bindings[0];
  if (!first) return null;
  for (const candidate of first.filters) {
    if (candidate.equals === undefined || candidate.index < 0) continue;
    if (bindings.every((binding) => binding.filters.some((f) => f.index === candidate.index && f.equals !== undefined))) return candidate.index;
  }
  return null;
}

/** Visibility checks by claims JSON, then relation oid. */
type Checks = Map<string, Map<number, VisibilityCheck>>;

interface ClaimsInfo {
  readonly role: string;
  readonly json: string;
}

/** One RLS query: a claims set and a table, with the primary keys of the changes to check. */
interface VisibilityCheck {
  readonly role: string;
  readonly claims: string;
  readonly rel: number;
  readonly keys: (string | null)[][];
  readonly changeIndexes: number[];
  readonly visible: Set<number>;
}

/** A change's typed images, converted once and shared by every frame. */
interface Typed {
  newValues?: unknown[];
  oldValues?: unknown[];
}

export async function createChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const { pool, log } = options;
  const types = new TypeRegistry(pool);
  const feedId = randomBytes(6).toString('hex');
  const slot = `${SLOT_PREFIX}${feedId}`;

  await dropStaleSlots(pool, log);
  const serverVersion = Number((await pool.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]?.v ?? 0);
  await pool.query("select pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);

  const subscriptions = new Map<ChangeSubscriber, Subscription>();
  const subscribeTokens = new Map<ChangeSubscriber, number>();
  let version = 0;
  const plans = new WeakMap<Relation, Plan>();
  const metas = new WeakMap<Relation, RelationMeta>();
  const broadcastColumns = new WeakMap<Relation, Map<string, number>>();

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
    })().finally(() => {
      pumping = null;
      if (queue.length > 0 && !closed) pump();
    });
  }

  // --- Dispatch --------------------------------------------------------------------------------

  async function dispatch(batch: Item[], progress: { delivering: boolean }): Promise<void> {
    const changes: RowChange[] = [];
    const commitTimes: string[] = [];
    for (const item of batch) {
      if (item.kind !== 'transaction') continue;
      for (const change of item.changes) {
        changes.push(change);
        commitTimes.push(item.commitTimestamp);
      }
    }

    // Catalog data for the tables and roles involved, loaded before the synchronous passes.
    const batchPlans = new Map<Relation, Plan>();
    const claimsBySubscription = new Map<Subscription, ClaimsInfo>();
    const missingMeta: Relation[] = [];
    for (const change of changes) {
      const relation = change.relation;
      if (batchPlans.has(relation) || isMessagesTable(relation)) continue;
      const plan = planFor(relation);
      batchPlans.set(relation, plan);
      if (plan.entries.length > 0 && !metas.has(relation)) missingMeta.push(relation);
      for (const entry of plan.entries) {
        if (!claimsBySubscription.has(entry.subscription)) claimsBySubscription.set(entry.subscription, claimsInfo(entry.subscription.subscriber.claims()));
      }
    }
    for (const relation of missingMeta) metas.set(relation, await loadRelationMeta(pool, types, relation));
    const wanted: { role: string; meta: RelationMeta }[] = [];
    const wantedKeys = new Set<string>();
    for (const [relation, plan] of batchPlans) {
      const meta = metas.get(relation);
      if (!meta) continue;
      for (const entry of plan.entries) {
        const role = (claimsBySubscription.get(entry.subscription) as ClaimsInfo).role;
        const key = `${role}\u0000${relation.oid}`;
        if (!meta.privileges.has(role) && !wantedKeys.has(key)) {
          wantedKeys.add(key);
          wanted.push({ role, meta });
        }
      }
    }
    await loadPrivileges(pool, wanted);

    // Pass 1: which inserted/updated rows each (claims, table) must be checked for.
    const checks: Checks = new Map();
    for (let c = 0; c < changes.length; c++) {
      const change = changes[c] as RowChange;
      if (change.tag === 'delete') continue;
      const plan = batchPlans.get(change.relation);
      const meta = metas.get(change.relation);
      if (!plan || !meta || !meta.rls || !meta.hasPk || plan.entries.length === 0) continue;
      const bit = ACTION_BITS[change.tag === 'insert' ? 'INSERT' : 'UPDATE'];
      forEachCandidate(plan, change.newValues, (entry) => {
        if ((entry.mask & bit) === 0) return;
        const claims = claimsBySubscription.get(entry.subscription) as ClaimsInfo;
        const privileges = meta.privileges.get(claims.role);
        if (!privileges || privileges.bypassRls || !privileges.pkSelectable) return;
        if (!anyBindingMatches(entry, bit, change.newValues)) return;
        let byRelation = checks.get(claims.json);
        if (!byRelation) checks.set(claims.json, (byRelation = new Map()));
        let check = byRelation.get(meta.relation.oid);
        if (!check) {
          check = { role: claims.role, claims: claims.json, rel: meta.relation.oid, keys: [], changeIndexes: [], visible: new Set() };
          byRelation.set(meta.relation.oid, check);
        }
        if (check.changeIndexes[check.changeIndexes.length - 1] === c) return;
        check.changeIndexes.push(c);
        check.keys.push(meta.pkIndexes.map((index) => change.newValues?.[index] ?? null));
      });
    }
    if (checks.size > 0) {
      const xids = batch.flatMap((item) => (item.kind === 'transaction' ? [item.xid] : []));
      await runChecks([...checks.values()].flatMap((byRelation) => [...byRelation.values()]), xids);
    }

    // Pass 2: deliver, in commit order.
    progress.delivering = true;
    let c = 0;
    for (const item of batch) {
      if (item.kind === 'marker') {
        settleFlush(item.id);
        continue;
      }
      for (const change of item.changes) {
        const index = c++;
        if (isMessagesTable(change.relation)) {
          if (change.tag === 'insert') broadcast(change);
          continue;
        }
        const plan = batchPlans.get(change.relation);
        const meta = metas.get(change.relation);
        if (!plan || !meta || !meta.exists || plan.entries.length === 0) continue;
        deliverChange(change, index, item.commitTimestamp, plan, meta, claimsBySubscription, checks);
      }
    }
  }

  /** Per plan: whether some subscriber's role cannot see the key (or there is none). */
  const errorFramesPossible = new WeakMap<Plan, boolean>();

  function deliverChange(
    change: RowChange, index: number, commitTime: string, plan: Plan, meta: RelationMeta,
    claimsBySubscription: Map<Subscription, ClaimsInfo>, checks: Checks,
  ): void {
    const type = change.tag === 'insert' ? 'INSERT' : change.tag === 'update' ? 'UPDATE' : 'DELETE';
    const bit = ACTION_BITS[type];
    const image = change.tag === 'delete' ? change.oldValues : change.newValues;
    const typed: Typed = {};
    const frames = new Map<View | string, ChangeData>();
    const tooLarge = change.bytes > MAX_RECORD_BYTES;

    const visit = (entry: PlanEntry): void => {
      if ((entry.mask & bit) === 0 || !entry.subscription.active) return;
      const claims = claimsBySubscription.get(entry.subscription) as ClaimsInfo;
      const privileges = meta.privileges.get(claims.role);
      if (!privileges) return;

      // WALRUS answers errors to every binding of the role for that action, before filters.
      if (type !== 'DELETE' && (!meta.hasPk || !privileges.pkSelectable)) {
        const ids = entry.bindings.filter((binding) => (binding.mask & bit) !== 0).map((binding) => binding.id);
        const error = meta.hasPk ? 'Error 401: Unauthorized' : 'Error 400: Bad Request, no primary key';
        let data = frames.get(error);
        if (!data) {
          data = { schema: meta.relation.schema, table: meta.relation.name, commit_timestamp: null, type, columns: [], errors: [error] };
          data.record = {};
          if (type === 'UPDATE') data.old_record = {};
          frames.set(error, data);
        }
        entry.subscription.subscriber.deliver(ids, data);
        return;
      }

      if (type !== 'DELETE' && meta.rls && !privileges.bypassRls) {
        const check = checks.get(claims.json)?.get(meta.relation.oid);
        if (!check?.visible.has(index)) return;
      }

      // Usually one select group per subscriber; frames differ only when bindings select differently.
      let ids: number[] | null = null;
      let groupKey = '';
      let groupSelect: readonly string[] | null = null;
      for (const binding of entry.bindings) {
        if ((binding.mask & bit) === 0 || !filtersMatch(binding, image)) continue;
        if (ids === null) {
          ids = [binding.id];
          groupKey = binding.selectKey;
          groupSelect = binding.select;
        } else if (binding.selectKey === groupKey) {
          ids.push(binding.id);
        } else {
          const view = viewFor(meta, privileges, binding.select, binding.selectKey);
          entry.subscription.subscriber.deliver([binding.id], frameFor(view));
        }
      }
      if (ids === null) return;
      entry.subscription.subscriber.deliver(ids, frameFor(viewFor(meta, privileges, groupSelect, groupKey)));
    };
    // Error frames go to every binding regardless of filters (as WALRUS does), so they need all entries.
    let errorsPossible = errorFramesPossible.get(plan);
    if (errorsPossible === undefined) {
      errorsPossible = !meta.hasPk || plan.entries.some((entry) =>
        !meta.privileges.get((claimsBySubscription.get(entry.subscription) as ClaimsInfo).role)?.pkSelectable);
      errorFramesPossible.set(plan, errorsPossible);
    }
    if (type !== 'DELETE' && errorsPossible) for (const entry of plan.entries) visit(entry);
    else forEachCandidate(plan, image, visit);

    function frameFor(view: View): ChangeData {
      let data = frames.get(view);
      if (data) return data;
      data = {
        schema: meta.relation.schema,
        table: meta.relation.name,
        commit_timestamp: commitTime,
        type,
        columns: view.columns,
        errors: tooLarge ? ['Error 413: Payload Too Large'] : null,
      };
      if (type === 'INSERT' || type === 'UPDATE') {
        data.record = recordOf(typedNew(), change.newValues, view.fields);
      }
      if (type === 'UPDATE') {
        data.old_record = change.oldValues
          ? recordOf(typedOld(), change.oldValues, view.fields)
          : recordOf(typedNew(), change.newValues, view.pkFields);
      } else if (type === 'DELETE') {
        data.old_record = recordOf(typedOld(), change.oldValues, view.deleteFields);
      }
      frames.set(view, data);
      return data;
    }

    function recordOf(values: unknown[], raw: RawValue[] | null, fields: readonly number[]): Record<string, unknown> {
      const record: Record<string, unknown> = {};
      if (!raw) return record;
      for (const field of fields) {
        if (raw[field] === undefined) continue;
        const value = values[field];
        if (tooLarge && Buffer.byteLength(JSON.stringify(value) ?? 'null') > 64) continue;
        record[meta.names[field] as string] = value;
      }
      return record;
    }

    function typedNew(): unknown[] {
      return (typed.newValues ??= convert(meta, change.newValues));
    }

    function typedOld(): unknown[] {
      return (typed.oldValues ??= convert(meta, change.oldValues));
    }
  }

  function broadcast(change: RowChange): void {
    let columns = broadcastColumns.get(change.relation);
    if (!columns) {
      columns = new Map(change.relation.columns.map((column, index) => [column.name, index]));
      broadcastColumns.set(change.relation, columns);
    }
    const values = change.newValues ?? [];
    const value = (name: string) => values[columns.get(name) ?? -1];
    if (value('extension') !== 'broadcast') return;
    const payloadText = value('payload');
    let payload: unknown;
    try {
      payload = typeof payloadText === 'string' ? JSON.parse(payloadText) : null;
    } catch {
      payload = payloadText;
    }
    try {
      options.onBroadcast({
        id: value('id') ?? '',
        topic: value('topic') ?? '',
        event: value('event') ?? '',
        payload,
        private: value('private') === 't',
      });
    } catch (error) {
      log(`realtime: broadcast handler failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Runs the batch's visibility checks, split over parallel connections once there are enough of
   * them: each check is one backend's CPU, and a single backend would cap throughput at one core.
   */
  async function runChecks(all: VisibilityCheck[], xids: number[]): Promise<void> {
    const shards = all.length >= CHECKS_PER_SHARD * 2 ? CHECK_SHARDS : 1;
    const size = Math.ceil(all.length / shards);
    await Promise.all(Array.from({ length: shards }, (_, shard) => runShard(all.slice(shard * size, (shard + 1) * size), xids)));
  }

  /** A failed query throws: the batch is retried, and if it cannot be checked nobody sees it. */
  async function runShard(checks: VisibilityCheck[], xids: number[]): Promise<void> {
    const { rows } = await pool.query<{ check_index: number; key_index: number }>(
      'select check_index, key_index from realtime.parley_visible($1::jsonb, $2::bigint[])',
      [JSON.stringify(checks.map(({ role, claims, rel, keys }) => ({ role, claims, rel, keys }))), xids],
    );
    for (const row of rows) {
      const check = checks[row.check_index];
      const changeIndex = check?.changeIndexes[row.key_index];
      if (check && changeIndex !== undefined) check.visible.add(changeIndex);
    }
  }

  // --- Subscriptions ---------------------------------------------------------------------------

  function planFor(relation: Relation): Plan {
    const cached = plans.get(relation);
    if (cached && cached.version === version) return cached;
    const table = `${relation.schema}.${relation.name}`;
    const indexByName = new Map(relation.columns.map((column, index) => [column.name, index]));
    const entries: PlanEntry[] = [];
    for (const subscription of subscriptions.values()) {
      const bindings: PlanBinding[] = [];
      let mask = 0;
      for (const binding of subscription.bindings) {
        const filters = binding.tables.get(table);
        if (!filters) continue;
        bindings.push({
          id: binding.id,
          mask: binding.mask,
          filters: filters.map((filter) => ({
            index: indexByName.get(filter.column) ?? -1,
            test: filter.test,
            ...(filter.equals !== undefined ? { equals: filter.equals } : {}),
          })),
          select: binding.select,
          selectKey: binding.selectKey,
        });
        mask |= binding.mask;
      }
      if (bindings.length > 0) entries.push({ subscription, bindings, mask });
    }
    const buckets = new Map<number, Map<string, PlanEntry[]>>();
    const unindexed: PlanEntry[] = [];
    for (const entry of entries) {
      const column = indexColumn(entry.bindings);
      if (column === null) {
        unindexed.push(entry);
        continue;
      }
      let byValue = buckets.get(column);
      if (!byValue) buckets.set(column, (byValue = new Map()));
      const values = new Set(entry.bindings.map((binding) => binding.filters.find((f) => f.index === column)?.equals ?? ''));
      for (const value of values) {
        const list = byValue.get(value);
        if (list) list.push(entry);
        else byValue.set(value, [entry]);
      }
    }
    const plan: Plan = { version, entries, buckets, unindexed };
    plans.set(relation, plan);
    return plan;
  }

  const claimsCache = new WeakMap<Claims, ClaimsInfo>();
  function claimsInfo(claims: Claims): ClaimsInfo {
    let info = claimsCache.get(claims);
    if (!info) {
      info = { role: claims.role, json: JSON.stringify(claims) };
      claimsCache.set(claims, info);
    }
    return info;
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
          await pool.query("select pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
          lastDispatchedLsn = 0n;
        }
        delay = 250;
      } catch (error) {
        log(`realtime: database unavailable (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  })();

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

function isMessagesTable(relation: Relation): boolean {
  return relation.schema === 'realtime' && relation.name === 'messages';
}

function anyBindingMatches(entry: PlanEntry, bit: number, image: RawValue[] | null): boolean {
  for (const binding of entry.bindings) if ((binding.mask & bit) !== 0 && filtersMatch(binding, image)) return true;
  return false;
}

/** WALRUS `is_visible_through_filters`: every filter column present in the image and every test true. */
function filtersMatch(binding: PlanBinding, image: RawValue[] | null): boolean {
  for (const filter of binding.filters) {
    if (!image || filter.index < 0) return false;
    const value = image[filter.index];
    if (value === undefined || filter.test(value) !== true) return false;
  }
  return true;
}

function convert(meta: RelationMeta, raw: RawValue[] | null): unknown[] {
  if (!raw) return [];
  const out = new Array<unknown>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const value = raw[i];
    if (value === null || value === undefined) {
      out[i] = value ?? null;
      continue;
    }
    try {
      out[i] = (meta.converters[i] as (text: string) => unknown)(value);
    } catch {
      out[i] = value;
    }
  }
  return out;
}

/** Microseconds since 2000-01-01 UTC → `YYYY-MM-DDTHH:MM:SS.mmmZ` (to_char … MS, truncated). */
function commitTimestamp(micros: bigint): string {
  const millis = micros >= 0n ? micros / 1000n : (micros - 999n) / 1000n;
  return new Date(Number(millis) + 946_684_800_000).toISOString();
}

async function dropStaleSlots(pool: pg.Pool, log: (line: string) => void): Promise<void> {
  const { rows } = await pool.query<{ slot_name: string }>(`
    select slot_name from pg_replication_slots
     where slot_name like 'parley\\_realtime\\_%' and not active and database = current_database()`);
  for (const { slot_name: name } of rows) {
    try {
      await pool.query('select pg_drop_replication_slot($1)', [name]);
      log(`realtime: dropped stale replication slot ${name}`);
    } catch (error) {
      log(`realtime: could not drop stale replication slot ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

async function dropSlot(pool: pg.Pool, slot: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await pool.query<{ active_pid: number | null }>('select active_pid from pg_replication_slots where slot_name = $1', [slot]);
    const row = rows[0];
    if (!row) return;
    if (row.active_pid !== null) {
      // The walsender may still be exiting after the connection closed.
      if (attempt >= 50) await pool.query('select pg_terminate_backend($1)', [row.active_pid]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    try {
      await pool.query('select pg_drop_replication_slot($1)', [slot]);
      return;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

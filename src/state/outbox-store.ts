/**
 * The outbox store of one widget instance: unsent messages, written through to storage so a reload
 * sends them exactly once, and which of the entries restored from storage still need sending.
 * The storage format and its merge rules live in `outbox.ts`; this module only holds the entries.
 */
import { atom, type ReadableAtom } from 'nanostores';
import { mergeStoredOutbox, readOutbox, writeOutbox, type StorageLike } from './outbox.ts';
import type { PendingMessage } from './thread.ts';

export interface OutboxStore {
  /** Sends not yet acknowledged, across conversations, oldest first. */
  readonly $outbox: ReadableAtom<readonly PendingMessage[]>;
  find(id: string): PendingMessage | undefined;
  /** Appends a new send (the caller checked that its id is not queued yet). */
  add(entry: PendingMessage): void;
  /** Replaces an entry (`update` returns it unchanged for no change). */
  update(id: string, update: (entry: PendingMessage) => PendingMessage): void;
  /** A failed send: it keeps its place but is no longer one to resend after a restore. */
  fail(id: string, error: string): void;
  /** Drops entries that are stored (acknowledged) or given up on. */
  remove(ids: ReadonlySet<string> | string): void;
  /**
   * Restored entries still `sending` from `userId`, each returned once; entries confirmed, failed or
   * dropped meanwhile are never returned.
   */
  takeRestored(userId: string | null): readonly PendingMessage[];
  /**
   * Adds entries kept elsewhere (the agent's encrypted outbox, read after sign-in) as if restored
   * from storage: those still `sending` are resent by the next `takeRestored`. Returns those added
   * (an id already held is skipped).
   */
  restore(entries: readonly PendingMessage[]): readonly PendingMessage[];
  /** Stops writing to storage (a newer instance on the same key owns it now). */
  stopPersisting(): void;
}

/** Reads the persisted outbox at once, so restored sends show in their threads as soon as those open. */
export function createOutboxStore(storage: StorageLike | undefined, storageKey: string): OutboxStore {
  const restored = storage ? readOutbox(storage, storageKey) : [];
  const $outbox = atom<readonly PendingMessage[]>(restored);
  /** Every outbox id this instance has held: the storage key may also hold other instances' entries. */
  const knownIds = new Set(restored.map((e) => e.id));
  const toResend = new Set(restored.filter((e) => e.state === 'sending').map((e) => e.id));
  let persist = storage !== undefined;

  function set(next: readonly PendingMessage[]): void {
    if (next === $outbox.get()) return;
    $outbox.set(next);
    for (const entry of next) knownIds.add(entry.id);
    if (storage && persist) {
      writeOutbox(storage, storageKey, mergeStoredOutbox(next, readOutbox(storage, storageKey), knownIds));
    }
  }

  function replace(id: string, update: (e: PendingMessage) => PendingMessage | null): void {
    const outbox = $outbox.get();
    const index = outbox.findIndex((e) => e.id === id);
    if (index < 0) return;
    const current = outbox[index] as PendingMessage;
    const next = update(current);
    if (next === current) return;
    set(next === null ? outbox.filter((_, i) => i !== index) : outbox.map((e, i) => (i === index ? next : e)));
  }

  return {
    $outbox,
    find(id) {
      return $outbox.get().find((e) => e.id === id);
    },
    add(entry) {
      set([...$outbox.get(), entry]);
    },
    update(id, update) {
      replace(id, update);
    },
    fail(id, error) {
      replace(id, (e) => (e.state === 'failed' && e.error === error ? e : { ...e, state: 'failed', error }));
      toResend.delete(id);
    },
    remove(ids) {
      if (typeof ids === 'string') {
        replace(ids, () => null);
        toResend.delete(ids);
        return;
      }
      const outbox = $outbox.get();
      if (outbox.some((e) => ids.has(e.id))) set(outbox.filter((e) => !ids.has(e.id)));
      for (const id of ids) toResend.delete(id);
    },
    takeRestored(userId) {
      const taken: PendingMessage[] = [];
      for (const entry of $outbox.get()) {
        if (!toResend.has(entry.id) || entry.sender_id !== userId) continue;
        toResend.delete(entry.id);
        taken.push(entry);
      }
      return taken;
    },
    restore(entries) {
      const held = new Set($outbox.get().map((e) => e.id));
      const added = entries.filter((e) => !held.has(e.id));
      if (added.length === 0) return added;
      set([...$outbox.get(), ...added]);
      for (const entry of added) if (entry.state === 'sending') toResend.add(entry.id);
      return added;
    },
    stopPersisting() {
      persist = false;
    },
  };
}

/**
 * The outbox's storage format, so unsent messages survive a page reload and are sent exactly once
 * (each keeps its client-generated id; the database returns the stored row for a known id).
 *
 * Format (JSON under one storage key):
 * `{"v":1,"entries":[{"id","conversation_id","content","metadata","visibility","sender_id","created_at","state","error","attempts"}]}`
 * `visibility` (`public` or `internal`) arrived later: an entry without it, stored by an earlier
 * build, is a public message (the only kind there was), so the format version stays 1. So did
 * `attachments` (absent: none; with some, `content` may be ''); the files' bytes are in IndexedDB.
 * Only `sending` and `failed` entries are stored; an acknowledged send leaves the outbox. Reading
 * is tolerant: bad JSON, another version or a malformed entry yield nothing for that part instead
 * of throwing, because a widget must start even when a previous build or the host page left junk.
 */
import { MAX_MESSAGE_LENGTH, MESSAGE_VISIBILITIES } from '../data/types.ts';
import { parseAttachments, type Attachment } from '../data/attachment.ts';
import type { MessageVisibility } from '../data/types.ts';
import type { PendingMessage } from './thread.ts';

/** The subset of the Web Storage API the outbox uses; `localStorage` fits, and so does a test double. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const OUTBOX_FORMAT_VERSION = 1;
export const DEFAULT_OUTBOX_KEY = 'parley:outbox';

interface OutboxFile {
  readonly v: typeof OUTBOX_FORMAT_VERSION;
  readonly entries: readonly PendingMessage[];
}

/** Serializes what must survive a reload: entries not yet acknowledged. */
export function serializeOutbox(entries: readonly PendingMessage[]): string {
  const file: OutboxFile = {
    v: OUTBOX_FORMAT_VERSION,
    entries: entries.filter((e) => e.state !== 'sent'),
  };
  return JSON.stringify(file);
}

/**
 * Parses a stored outbox. Never throws: anything unreadable is dropped, duplicates by id keep
 * the first entry, and `valid` is false when something was dropped (so the caller rewrites it).
 */
export function parseOutbox(raw: string | null): { entries: PendingMessage[]; valid: boolean } {
  if (raw === null) return { entries: [], valid: true };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { entries: [], valid: false };
  }
  if (!isRecord(data) || data['v'] !== OUTBOX_FORMAT_VERSION || !Array.isArray(data['entries'])) {
    return { entries: [], valid: false };
  }
  const entries: PendingMessage[] = [];
  const seen = new Set<string>();
  let valid = true;
  for (const item of data['entries'] as unknown[]) {
    const entry = toEntry(item);
    if (entry === null || seen.has(entry.id)) {
      valid = false;
      continue;
    }
    seen.add(entry.id);
    entries.push(entry);
  }
  return { entries, valid };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toEntry(item: unknown): PendingMessage | null {
  if (!isRecord(item)) return null;
  const { id, conversation_id, content, metadata, sender_id, created_at, state, error, attempts } = item;
  const visibility = item['visibility'] ?? 'public';
  if (!isVisibility(visibility)) return null;
  if (typeof id !== 'string' || id === '') return null;
  if (typeof conversation_id !== 'string' || conversation_id === '') return null;
  let attachments: readonly Attachment[] = [];
  try {
    if (item['attachments'] !== undefined) attachments = parseAttachments(item['attachments']);
  } catch {
    return null;
  }
  if (typeof content !== 'string' || (content === '' && attachments.length === 0) || [...content].length > MAX_MESSAGE_LENGTH) {
    return null;
  }
  if (!isRecord(metadata)) return null;
  if (sender_id !== null && typeof sender_id !== 'string') return null;
  if (typeof created_at !== 'string') return null;
  if (state !== 'sending' && state !== 'failed') return null;
  if (error !== null && typeof error !== 'string') return null;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0) return null;
  const entry: PendingMessage = { id, conversation_id, content, metadata, visibility, sender_id, created_at, state, error, attempts };
  return attachments.length > 0 ? { ...entry, attachments } : entry;
}

function isVisibility(value: unknown): value is MessageVisibility {
  return (MESSAGE_VISIBILITIES as readonly unknown[]).includes(value);
}

/** Reads the outbox; storage that throws (privacy mode, blocked access) reads as empty. */
export function readOutbox(storage: StorageLike, key: string): PendingMessage[] {
  let raw: string | null;
  try {
    raw = storage.getItem(key);
  } catch {
    return [];
  }
  const { entries, valid } = parseOutbox(raw);
  if (!valid) writeOutbox(storage, key, entries);
  return entries;
}

/**
 * Writes the outbox, removing the key when empty so an idle widget leaves nothing behind.
 * Failures (quota, blocked storage) are swallowed: persistence is best effort, sending is not.
 */
export function writeOutbox(storage: StorageLike, key: string, entries: readonly PendingMessage[]): void {
  try {
    if (entries.every((e) => e.state === 'sent')) storage.removeItem(key);
    else storage.setItem(key, serializeOutbox(entries));
  } catch {
    // Best effort; the in-memory outbox still drives sends in this page.
  }
}

/**
 * What to store for this instance's outbox `own` when `stored` is what the key holds now: its own
 * entries, then those another instance of the same project (another tab, another launcher) stored
 * and this one never held (`known`: every id it has held), so neither erases the other's unsent
 * messages. An entry this instance held and dropped (acknowledged) is not brought back.
 */
export function mergeStoredOutbox(
  own: readonly PendingMessage[],
  stored: readonly PendingMessage[],
  known: ReadonlySet<string>,
): PendingMessage[] {
  const others = stored.filter((e) => !known.has(e.id));
  return [...own, ...others];
}

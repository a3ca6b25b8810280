/**
 * The files of outbox entries, from the composer to the `attachments` bucket; loaded on demand
 * (the first attached file), like storage-js itself. What makes it exactly once:
 * - the bytes wait in IndexedDB under the object key (and in memory while the page lives) until
 *   the message is stored, so a reload mid-upload finds them again (`keep`, `forget`);
 * - the key is derived from the message id (attachment.ts `outgoingAttachments`), so the retry uploads
 *   to the same key, and a "this key exists" answer for it means an earlier attempt finished:
 *   insert_message then checks that the stored object is the caller's and has the claimed size;
 * - the message insert keeps its id (the database returns the stored row for a known id).
 * Uploads use a signed upload URL and an XMLHttpRequest PUT, for progress and abort (storage-js's
 * fetch has neither); hosted Storage and the local stack take the raw body with its Content-Type.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { Attachment, OutgoingFile } from '../data/attachment.ts';
/** A ParleyError by shape (isParleyError accepts it), so this chunk shares no module with the app but its imports. */
class ParleyError extends Error {
  override readonly name = 'ParleyError';
  readonly kind: string;
  readonly reason: string;
  readonly retryable: boolean;
  constructor(init: { kind: string; message: string; reason: string; retryable: boolean }) {
    super(init.message);
    this.kind = init.kind;
    this.reason = init.reason;
    this.retryable = init.retryable;
  }
}
import { storageFor } from '../data/storage-client.ts';
import type { PendingMessage } from '../state/thread.ts';

/** One message's upload as the composer shows it: bytes sent of all its files. */
export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

const DB_NAME = 'parley-outbox-files';
const STORE = 'files';

const memory = new Map<string, Blob>();
/** Per message: undefined before its upload starts, the bytes sent during it, null once done or given up. */
export type Progress = UploadProgress | null | undefined;

/** A value to watch (nanostores' shape, without importing it: this chunk imports nothing of the app's). */
export interface Watched<T> {
  get(): T;
  subscribe(listener: (value: T) => void): () => void;
}

class Value<T> implements Watched<T> {
  #value: T;
  readonly #listeners = new Set<(value: T) => void>();
  constructor(value: T) {
    this.#value = value;
  }
  get(): T {
    return this.#value;
  }
  set(value: T): void {
    this.#value = value;
    for (const listener of [...this.#listeners]) listener(value);
  }
  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#value);
    return () => this.#listeners.delete(listener);
  }
}

const progress = new Map<string, Value<Progress>>();
const aborts = new Map<string, () => void>();
const cancelled = new Set<string>();

function progressAtom(messageId: string): Value<Progress> {
  let store = progress.get(messageId);
  if (!store) {
    store = new Value<Progress>(undefined);
    progress.set(messageId, store);
  }
  return store;
}

/** A message's upload progress: undefined before it starts, null once it is done or given up. */
export function uploadProgress(messageId: string): Watched<Progress> {
  return progressAtom(messageId);
}

function request<T>(make: (store: IDBObjectStore) => IDBRequest<T>, mode: IDBTransactionMode): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB is unavailable'));
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(STORE, mode);
      const req = make(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(req.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error ?? new Error('IndexedDB transaction failed')); };
    };
  });
}

/**
 * Keeps a new entry's files until the message is stored: in memory at once, in IndexedDB for a
 * reload. Persisting is best effort (private browsing may refuse it); sending from this page is not.
 */
export async function keep(entry: PendingMessage, files: readonly OutgoingFile[]): Promise<void> {
  const attachments = entry.attachments ?? [];
  await Promise.all(attachments.map(async (attachment, i) => {
    const file = files[i];
    if (!file) return;
    memory.set(attachment.key, file.file);
    await request((store) => store.put(file.file, attachment.key), 'readwrite').catch(() => undefined);
  }));
}

/** Drops a stored or given-up entry's files. */
export async function forget(entry: PendingMessage): Promise<void> {
  progress.get(entry.id)?.set(null);
  progress.delete(entry.id);
  cancelled.delete(entry.id);
  await Promise.all((entry.attachments ?? []).map(async ({ key }) => {
    memory.delete(key);
    await request((store) => store.delete(key), 'readwrite').catch(() => undefined);
  }));
}

/** Stops a message's upload; its delivery fails with reason `upload_cancelled` (the outbox then drops it). */
export function cancel(messageId: string): void {
  cancelled.add(messageId);
  aborts.get(messageId)?.();
}

const failed = (message: string, reason: string, retryable = false): ParleyError =>
  new ParleyError({ kind: retryable ? 'network' : 'invalid', message, reason, retryable });

interface Limits {
  readonly maxBytes: number;
  readonly types: readonly string[];
}
const limitsOf = new WeakMap<SupabaseClient, Promise<Limits | null>>();

/** The workspace's limits from widget_settings() (null where the project predates them). */
function limits(client: SupabaseClient): Promise<Limits | null> {
  let answer = limitsOf.get(client);
  if (!answer) {
    answer = Promise.resolve(client.rpc('widget_settings')).then(({ data }) => {
      const value = data as { attachment_max_bytes?: unknown; attachment_types?: unknown } | null;
      const max = value?.attachment_max_bytes;
      const types = value?.attachment_types;
      return typeof max === 'number' && Array.isArray(types) && types.every((t) => typeof t === 'string')
        ? { maxBytes: max, types: types as string[] } : null;
    });
    answer.catch(() => limitsOf.delete(client));
    limitsOf.set(client, answer);
  }
  return answer;
}

/** The refusal of an attachment the workspace does not take, or null. */
export function refusal(attachment: Pick<Attachment, 'size' | 'type'>, limit: Limits | null): ParleyError | null {
  if (!limit) return null;
  if (attachment.size > limit.maxBytes) return failed(`Files can be at most ${limit.maxBytes} bytes.`, 'attachment_too_large');
  if (!limit.types.includes(attachment.type)) return failed('This type of file is not accepted.', 'attachment_type_forbidden');
  return null;
}

function storageError(error: unknown): { status: string; code: string } {
  const e = error as { statusCode?: unknown; code?: unknown; status?: unknown } | null;
  return { status: String(e?.statusCode ?? e?.status ?? ''), code: String(e?.code ?? '') };
}

/** PUT of the bytes to a signed upload URL, reporting bytes sent; aborts with `signal`. */
function put(url: string, blob: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('x-upsert', 'false');
    xhr.setRequestHeader('cache-control', 'max-age=3600');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let body: unknown = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      const { status, code } = storageError(body);
      // Another attempt (before a reload) finished this very key.
      if (status === '409' || code === 'KeyAlreadyExists') return resolve();
      reject(status.startsWith('5') || xhr.status >= 500
        ? failed('The file could not be uploaded. Trying again…', 'upload_failed', true)
        : failed(`The file could not be uploaded (${code || xhr.status}).`, 'upload_refused'));
    };
    xhr.onerror = () => reject(failed('Could not reach the chat service.', 'upload_network', true));
    xhr.onabort = () => reject(failed('Sending was cancelled.', 'upload_cancelled'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(blob);
  });
}

/**
 * Uploads an entry's files that are not in the bucket yet, in order. Throws a retryable
 * ParleyError for network trouble (the outbox backs off and calls again) and a final one for a
 * refusal, a cancel or bytes that are gone (the entry fails with its message).
 */
export async function deliver(client: SupabaseClient, entry: PendingMessage): Promise<void> {
  try {
    await upload(client, entry);
  } catch (error) {
    // Given up (refused, cancelled, gone): the composer's chips go; the thread shows the failure.
    if (!(error instanceof ParleyError && error.retryable)) progress.get(entry.id)?.set(null);
    throw error;
  }
}

async function upload(client: SupabaseClient, entry: PendingMessage): Promise<void> {
  const attachments = entry.attachments ?? [];
  if (cancelled.has(entry.id)) throw failed('Sending was cancelled.', 'upload_cancelled');
  const limit = await limits(client).catch(() => null);
  for (const attachment of attachments) {
    const refused = refusal(attachment, limit);
    if (refused) throw refused;
  }
  const files = await storageFor(client).catch(() => {
    throw failed('Could not reach the chat service.', 'upload_network', true);
  });
  const total = attachments.reduce((sum, a) => sum + a.size, 0);
  const bar = progressAtom(entry.id);
  let done = 0;
  bar.set({ loaded: 0, total });
  const controller = new AbortController();
  aborts.set(entry.id, () => controller.abort());
  try {
    for (const attachment of attachments) {
      if (cancelled.has(entry.id)) throw failed('Sending was cancelled.', 'upload_cancelled');
      const blob = memory.get(attachment.key)
        ?? await request<Blob | undefined>((store) => store.get(attachment.key) as IDBRequest<Blob | undefined>, 'readonly')
          .catch(() => undefined);
      const signed = await files.createSignedUploadUrl(attachment.key);
      if (signed.error) {
        const { status, code } = storageError(signed.error);
        // The key exists: an earlier attempt of this message uploaded it (nobody else writes under its id).
        if (status === '409' || code === 'KeyAlreadyExists') {
          done += attachment.size;
          bar.set({ loaded: done, total });
          continue;
        }
        const network = status === '' || status.startsWith('5');
        throw failed(network ? 'Could not reach the chat service.' : `The file could not be uploaded (${code}).`,
          network ? 'upload_network' : 'upload_refused', network);
      }
      if (!blob) throw failed('The file is no longer on this device. Attach it again.', 'upload_file_gone');
      await put(signed.data.signedUrl, blob, (loaded) => bar.set({ loaded: done + loaded, total }), controller.signal);
      done += attachment.size;
      bar.set({ loaded: done, total });
    }
  } finally {
    aborts.delete(entry.id);
  }
}

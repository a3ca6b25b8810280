/**
 * The console's outbox, kept across reloads and sign-outs without being readable by anyone else on
 * the same browser (issue #8). The visitor's outbox is plain JSON in localStorage (their own words on
 * their own device); an agent's replies are the team's, and a shared computer is common, so here:
 *
 * - The entries (the outbox format of src/state/outbox.ts) are stored encrypted with AES-256-GCM
 *   (WebCrypto) under one localStorage key per project and agent, `parley-agent-outbox:<host>:<id>`,
 *   as `{"v":1,"iv":"<base64, 12 bytes>","data":"<base64>"}`, a fresh IV for every write, the key
 *   and format bound in as additional data.
 * - The key is the agent's own, from the database (`agent_outbox_key()`: only that agent, only
 *   while signed in). It is imported as non-extractable and lives in memory for the session only;
 *   signing out drops it, and the ciphertext stays until the agent is back.
 * - After sign-in, before realtime starts, the stored entries are decrypted and handed to the state
 *   (`restoreOutbox`), so the controller resends them once, by their ids (the database keeps
 *   exactly one row per id).
 * - Where WebCrypto or storage is missing (a page that is not a secure context, blocked storage) the
 *   outbox stays in memory only: `persistent` says so.
 * - While replies are unsent, closing or reloading the tab asks first (`beforeunload`).
 */
import { fetchAgentOutboxKey } from '../data/outbox-key.ts';
import { mergeStoredOutbox, parseOutbox, serializeOutbox, type StorageLike } from '../state/outbox.ts';
import type { PendingMessage } from '../state/thread.ts';
import type { Session } from './index.ts';

export const AGENT_OUTBOX_VERSION = 1;

/** The localStorage key of an agent's outbox on a project. */
export function agentOutboxKey(projectUrl: string, agentId: string): string {
  let host = '';
  try {
    host = new URL(projectUrl).host;
  } catch {
    // One key for every unparsable URL: still one per agent.
  }
  return `parley-agent-outbox:${host}:${agentId}`;
}

export interface AgentOutbox {
  /** Whether unsent replies survive a reload and a sign-out here (false: kept in memory only). */
  readonly persistent: boolean;
  /** How many replies are not on the server yet (sending or failed). */
  unsent(): number;
  /** Resolves once everything written so far is in storage. */
  flush(): Promise<void>;
  /** Stops following the state and the page (a write under way still completes). */
  dispose(): void;
}

export interface AgentOutboxOptions {
  readonly session: Session;
  readonly agentId: string;
  /** The project, for the storage key. */
  readonly projectUrl: string;
  /** Where the ciphertext lives; null for memory only. */
  readonly storage: StorageLike | null;
  /** WebCrypto; `globalThis.crypto.subtle` by default (absent outside secure contexts). */
  readonly subtle?: SubtleCrypto | null;
  /** The agent's raw key; from the database by default. */
  readonly fetchKey?: () => Promise<Uint8Array>;
  /** Where `beforeunload` is heard; `window` by default. */
  readonly target?: EventTarget | null;
}

interface StoredFile {
  readonly v: number;
  readonly iv: string;
  readonly data: string;
}

const toBase64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function defaultSubtle(): SubtleCrypto | null {
  // `crypto.subtle` is undefined where the page is not a secure context (plain http).
  return typeof crypto !== 'undefined' && crypto.subtle ? crypto.subtle : null;
}

/**
 * Opens the signed-in agent's outbox: reads and decrypts what is stored, restores it into the
 * session's state (call before `realtime.start()`), and from then on stores every change. Throws
 * when the key cannot be fetched (the caller shows the console as unavailable, with a retry, rather
 * than start without the stored replies).
 */
export async function openAgentOutbox(options: AgentOutboxOptions): Promise<AgentOutbox> {
  const { session, storage } = options;
  const { state } = session;
  const subtle = options.subtle === undefined ? defaultSubtle() : options.subtle;
  const target = options.target === undefined ? (typeof window === 'undefined' ? null : window) : options.target;
  const storageKey = agentOutboxKey(options.projectUrl, options.agentId);
  const additionalData = new TextEncoder().encode(`${storageKey}:v${AGENT_OUTBOX_VERSION}`);

  let key: CryptoKey | null = null;
  if (subtle && storage) {
    const raw = await (options.fetchKey ?? (() => fetchAgentOutboxKey(session.client)))();
    key = await subtle.importKey('raw', new Uint8Array(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  }

  async function readStored(): Promise<PendingMessage[]> {
    if (!key || !subtle || !storage) return [];
    try {
      const raw = storage.getItem(storageKey);
      if (raw === null) return [];
      const file = JSON.parse(raw) as Partial<StoredFile>;
      if (file.v !== AGENT_OUTBOX_VERSION || typeof file.iv !== 'string' || typeof file.data !== 'string') return [];
      const plain = await subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(file.iv), additionalData }, key, fromBase64(file.data));
      return parseOutbox(new TextDecoder().decode(plain)).entries.filter((e) => e.sender_id === options.agentId);
    } catch {
      // Junk, or sealed with a key this agent no longer has: nothing to restore from it.
      return [];
    }
  }

  async function writeStored(own: readonly PendingMessage[]): Promise<void> {
    if (!key || !subtle || !storage) return;
    // Another tab of the same agent may have stored replies this one never held: keep them.
    const entries = mergeStoredOutbox(own, await readStored(), known);
    try {
      if (entries.every((e) => e.state === 'sent')) {
        storage.removeItem(storageKey);
        return;
      }
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const plain = new TextEncoder().encode(serializeOutbox(entries));
      const data = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, plain));
      const file: StoredFile = { v: AGENT_OUTBOX_VERSION, iv: toBase64(iv), data: toBase64(data) };
      storage.setItem(storageKey, JSON.stringify(file));
    } catch {
      // Best effort (quota, blocked storage): the outbox in memory still sends them in this page.
    }
  }

  state.restoreOutbox(await readStored());

  /** Every id this instance held: a stored entry it held and dropped (sent) is not brought back. */
  const known = new Set(state.$outbox.get().map((e) => e.id));
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  let disposed = false;

  const unsent = (): number => state.$outbox.get().filter((e) => e.state !== 'sent').length;
  const onBeforeUnload = (event: Event): void => {
    // The browser asks "Leave site?": its own words, custom text is ignored everywhere.
    event.preventDefault();
    (event as BeforeUnloadEvent).returnValue = true;
  };
  let guarding = false;
  const guard = (): void => {
    const wanted = !disposed && unsent() > 0;
    if (wanted === guarding || !target) return;
    guarding = wanted;
    // Only while there is something to lose: a beforeunload listener keeps pages out of the back/forward cache.
    if (wanted) target.addEventListener('beforeunload', onBeforeUnload);
    else target.removeEventListener('beforeunload', onBeforeUnload);
  };

  const unlisten = state.$outbox.listen((entries) => {
    for (const entry of entries) known.add(entry.id);
    guard();
    if (dirty || disposed) return;
    // One write at a time, of the newest entries when it starts.
    dirty = true;
    writing = writing.then(() => {
      dirty = false;
      return writeStored(state.$outbox.get());
    });
  });
  guard();

  return {
    persistent: key !== null,
    unsent,
    flush: () => writing,
    dispose() {
      disposed = true;
      unlisten();
      guard();
    },
  };
}

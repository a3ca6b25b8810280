/**
 * The agent's attention choices (sound, desktop notifications, tab title), kept in localStorage per
 * project and agent so each person on a shared machine keeps theirs. What is stored is validated:
 * anything else reads as the defaults.
 */
import type { StorageLike } from '../state/outbox.ts';

export const ATTENTION_CHANNELS = ['sound', 'notifications', 'title'] as const;
export type AttentionChannel = (typeof ATTENTION_CHANNELS)[number];
export type AttentionPreferences = Readonly<Record<AttentionChannel, boolean>>;

/** Notifications start off: they need the browser's permission, asked only from the agent's click. */
export const DEFAULT_PREFERENCES: AttentionPreferences = Object.freeze({ sound: true, notifications: false, title: true });

export function preferencesKey(projectUrl: string, userId: string): string {
  return `parley-attention:${projectUrl}:${userId}`;
}

export function readPreferences(storage: StorageLike | null, key: string): AttentionPreferences {
  let raw: string | null;
  try {
    raw = storage?.getItem(key) ?? null;
  } catch {
    return DEFAULT_PREFERENCES;
  }
  if (raw === null) return DEFAULT_PREFERENCES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return DEFAULT_PREFERENCES;
  }
  if (typeof parsed !== 'object' || parsed === null) return DEFAULT_PREFERENCES;
  const stored = parsed as Record<string, unknown>;
  const out: Record<AttentionChannel, boolean> = { ...DEFAULT_PREFERENCES };
  for (const channel of ATTENTION_CHANNELS) {
    const value = stored[channel];
    if (typeof value === 'boolean') out[channel] = value;
  }
  return Object.freeze(out);
}

/** Stores the choices; false when storage refused (private mode, quota): they hold for this tab only. */
export function writePreferences(storage: StorageLike | null, key: string, preferences: AttentionPreferences): boolean {
  if (!storage) return false;
  try {
    storage.setItem(key, JSON.stringify(preferences));
    return true;
  } catch {
    return false;
  }
}

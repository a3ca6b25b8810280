/**
 * Pure reducers for typing indicators. Broadcast typing events are fire-and-forget: a "stopped
 * typing" can be lost, and a closed tab sends nothing, so every entry expires on its own a few
 * seconds after the last event unless refreshed. Time is a parameter, never read here.
 */

/** Default lifetime of a typing entry without a refresh, in milliseconds. */
export const TYPING_TTL_MS = 5000;

export interface TypingEntry {
  readonly user_id: string;
  /** Display name from the broadcast payload, when the sender gave one. */
  readonly name: string | null;
  /** Epoch milliseconds after which the entry no longer counts. */
  readonly expires_at: number;
}

/** Who is typing, by conversation id. Conversations with nobody typing have no key. */
export type TypingMap = Readonly<Record<string, readonly TypingEntry[]>>;

export const NO_TYPING: TypingMap = Object.freeze({});

function withConversation(map: TypingMap, conversationId: string, entries: readonly TypingEntry[]): TypingMap {
  if (entries.length > 0) return { ...map, [conversationId]: entries };
  const next: Record<string, readonly TypingEntry[]> = {};
  for (const id in map) if (id !== conversationId) next[id] = map[id] as readonly TypingEntry[];
  return next;
}

/**
 * Records that `userId` started typing (refreshing the expiry, which is a change: it keeps the
 * entry alive) or stopped. Stopping someone who is not listed returns the same map.
 */
export function setTyping(
  map: TypingMap,
  conversationId: string,
  userId: string,
  options: { typing: boolean; name?: string | null; now: number; ttlMs?: number },
): TypingMap {
  const entries = map[conversationId] ?? [];
  const index = entries.findIndex((e) => e.user_id === userId);
  if (!options.typing) {
    if (index < 0) return map;
    return withConversation(map, conversationId, entries.filter((_, i) => i !== index));
  }
  const entry: TypingEntry = {
    user_id: userId,
    name: options.name ?? entries[index]?.name ?? null,
    expires_at: options.now + (options.ttlMs ?? TYPING_TTL_MS),
  };
  const next = entries.slice();
  if (index < 0) next.push(entry);
  else next[index] = entry;
  return withConversation(map, conversationId, next);
}

/** Drops entries that expired at or before `now`; the same map when none did. */
export function pruneTyping(map: TypingMap, now: number): TypingMap {
  let expired = false;
  for (const id in map) {
    if ((map[id] as readonly TypingEntry[]).some((e) => e.expires_at <= now)) expired = true;
  }
  if (!expired) return map;
  const next: Record<string, readonly TypingEntry[]> = {};
  for (const id in map) {
    const alive = (map[id] as readonly TypingEntry[]).filter((e) => e.expires_at > now);
    if (alive.length > 0) next[id] = alive;
  }
  return next;
}

/** The earliest expiry in the map, so one timer can prune exactly when needed; null when empty. */
export function nextTypingExpiry(map: TypingMap): number | null {
  let earliest: number | null = null;
  for (const id in map) {
    for (const e of map[id] as readonly TypingEntry[]) {
      if (earliest === null || e.expires_at < earliest) earliest = e.expires_at;
    }
  }
  return earliest;
}

/** The names to show for everyone but the viewer typing in one conversation; `fallback` for a nameless sender. */
export function othersTyping(entries: readonly TypingEntry[] | undefined, viewerId: string | null, fallback: string): readonly string[] {
  return (entries ?? []).filter((e) => e.user_id !== viewerId).map((e) => e.name ?? fallback);
}

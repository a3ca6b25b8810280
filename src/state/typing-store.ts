/**
 * The typing store of one widget instance: who is typing where, with one timer armed at the
 * earliest expiry so entries whose "stopped typing" never arrived disappear on time.
 */
import { atom, type ReadableAtom } from 'nanostores';
import { NO_TYPING, nextTypingExpiry, pruneTyping, setTyping, type TypingMap } from './typing.ts';

export interface TypingClock {
  /** Clock in epoch milliseconds. */
  readonly now: () => number;
  readonly setTimer: (callback: () => void, ms: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
  /** How long an entry lives without a refresh. */
  readonly ttlMs: number;
}

export interface TypingStore {
  readonly $typing: ReadableAtom<TypingMap>;
  /** A typing broadcast from someone else (the caller drops the viewer's own). */
  apply(conversationId: string, userId: string, typing: boolean, name?: string | null): void;
  /** Someone's message arrived: they stopped typing. */
  stop(conversationId: string, userId: string): void;
  /** Drops expired entries now and re-arms the timer. */
  prune(): void;
  /** Forgets everyone (another user signed in). */
  clear(): void;
  /** Stops the timer. */
  dispose(): void;
}

export function createTypingStore(clock: TypingClock): TypingStore {
  const { now, setTimer, clearTimer, ttlMs } = clock;
  const $typing = atom<TypingMap>(NO_TYPING);
  let timer: unknown = null;

  function cancel(): void {
    if (timer !== null) clearTimer(timer);
    timer = null;
  }

  function schedule(): void {
    cancel();
    const expiry = nextTypingExpiry($typing.get());
    if (expiry === null) return;
    timer = setTimer(() => {
      timer = null;
      prune();
    }, Math.max(0, expiry - now()));
  }

  function setMap(next: TypingMap): void {
    if (next === $typing.get()) return;
    $typing.set(next);
    schedule();
  }

  function prune(): void {
    const next = pruneTyping($typing.get(), now());
    if (next !== $typing.get()) $typing.set(next);
    // Always re-arm: a timer that fired early (coarse clocks) must not strand live entries.
    schedule();
  }

  return {
    $typing,
    apply(conversationId, userId, typing, name) {
      const current = pruneTyping($typing.get(), now());
      setMap(
        setTyping(current, conversationId, userId, {
          typing,
          now: now(),
          ttlMs,
          ...(name === undefined ? {} : { name }),
        }),
      );
    },
    stop(conversationId, userId) {
      setMap(setTyping($typing.get(), conversationId, userId, { typing: false, now: now() }));
    },
    prune,
    clear() {
      $typing.set(NO_TYPING);
      schedule();
    },
    dispose: cancel,
  };
}

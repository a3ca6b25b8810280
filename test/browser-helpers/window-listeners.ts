/**
 * Counts the listeners added to `window` and not removed yet, for leak tests: mount and unmount an
 * element many times, then expect `live.size` back at zero. `restore()` puts the real methods back.
 */
export interface WindowListenerTracker {
  /** `type:listener-id` of every listener currently on `window` that was added while tracking. */
  readonly live: ReadonlySet<string>;
  restore(): void;
}

export function trackWindowListeners(): WindowListenerTracker {
  const live = new Set<string>();
  const ids = new WeakMap<object, number>();
  let next = 0;
  const keyOf = (type: string, listener: EventListenerOrEventListenerObject | null): string => {
    if (!listener) return `${type}:null`;
    if (!ids.has(listener)) ids.set(listener, (next += 1));
    return `${type}:${ids.get(listener)}`;
  };
  const add = window.addEventListener;
  const remove = window.removeEventListener;
  window.addEventListener = function (this: Window, ...args: Parameters<Window['addEventListener']>) {
    live.add(keyOf(args[0], args[1]));
    add.apply(this, args);
  } as Window['addEventListener'];
  window.removeEventListener = function (this: Window, ...args: Parameters<Window['removeEventListener']>) {
    live.delete(keyOf(args[0], args[1]));
    remove.apply(this, args);
  } as Window['removeEventListener'];
  return {
    live,
    restore() {
      window.addEventListener = add;
      window.removeEventListener = remove;
    },
  };
}

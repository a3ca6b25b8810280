/**
 * Lit adapter for nanostores (@nanostores/lit is not a dependency): subscribes its host to one or
 * more stores while the host is connected and requests an update whenever any of them changes.
 * Read values with `store.get()` in `render()`; this controller only keeps the host fresh.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

export class StoreController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #stores: readonly ReadableAtom<unknown>[];
  #unlisten: (() => void)[] = [];
  #connected = false;

  constructor(host: ReactiveControllerHost, ...stores: ReadableAtom<unknown>[]) {
    this.#host = host;
    this.#stores = stores;
    host.addController(this);
  }

  /** Replaces the stores followed (for a host whose session changes); re-subscribes if connected. */
  setStores(...stores: ReadableAtom<unknown>[]): void {
    const same = stores.length === this.#stores.length && stores.every((s, i) => s === this.#stores[i]);
    if (same) return;
    this.#unsubscribe();
    this.#stores = stores;
    if (this.#connected) this.#subscribe();
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#subscribe();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe();
  }

  #subscribe(): void {
    // `listen` does not call back with the current value; the host renders that on its own.
    this.#unlisten = this.#stores.map((store) => store.listen(() => this.#host.requestUpdate()));
  }

  #unsubscribe(): void {
    for (const off of this.#unlisten) off();
    this.#unlisten = [];
  }
}

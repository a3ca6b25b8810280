/**
 * Lit adapter (STYLE.md §9): keeps one conversation open in the realtime controller while its host
 * is connected. Acquires in `hostConnected`, releases in `hostDisconnected`, and follows the host's
 * conversation id (checked before every update, so a changed property or a late context value
 * re-opens before rendering).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RealtimeController } from './controller.ts';

export interface ConversationControllerOptions {
  /** The session's realtime controller; may be undefined until the context provides it. */
  readonly realtime: () => RealtimeController | undefined;
  /** The conversation the host shows; null or empty for none. */
  readonly conversationId: () => string | null | undefined;
}

export class ConversationController implements ReactiveController {
  readonly #options: ConversationControllerOptions;
  #connected = false;
  #release: (() => void) | null = null;
  #openId: string | null = null;
  #openRealtime: RealtimeController | null = null;

  constructor(host: ReactiveControllerHost, options: ConversationControllerOptions) {
    this.#options = options;
    host.addController(this);
  }

  /** The conversation currently held open, if any. */
  get conversationId(): string | null {
    return this.#openId;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#follow();
  }

  hostUpdate(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#close();
  }

  #follow(): void {
    if (!this.#connected) return;
    const id = this.#options.conversationId() || null;
    const realtime = this.#options.realtime() ?? null;
    if (id === this.#openId && realtime === this.#openRealtime) return;
    this.#close();
    if (id === null || realtime === null) return;
    this.#release = realtime.open(id);
    this.#openId = id;
    this.#openRealtime = realtime;
  }

  #close(): void {
    this.#release?.();
    this.#release = null;
    this.#openId = null;
    this.#openRealtime = null;
  }
}

/**
 * Keeps the composer's draft where a reload finds it (STYLE.md §9): the host says which draft the
 * composer shows (the console: one per conversation; the launcher: one), and this controller puts
 * that draft into the composer when it appears or the draft changes, and stores what the person
 * types. It listens on the host for the composer's `input` (composed, so it leaves the composer's
 * shadow root) and for `parley-send` (a sent draft is gone unless a listener refused the send).
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import type { ParleyComposer } from './composer/composer.ts';

export interface DraftControllerOptions {
  /** The composer, when rendered. */
  readonly composer: () => ParleyComposer | null;
  /** Which draft the composer shows now; null while it shows none (nothing is stored then). */
  readonly draftId: () => string | null;
  /** The stored draft ('' for none). */
  readonly load: (draftId: string) => string;
  /** Stores a draft ('' removes it). */
  readonly save: (draftId: string, text: string) => void;
}

export class DraftController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #options: DraftControllerOptions;
  /** The draft the composer holds now, and so where its text is saved. */
  #shown: string | null = null;

  readonly #onInput = (event: Event): void => {
    const composer = this.#options.composer();
    if (composer && this.#shown !== null && event.composedPath().includes(composer)) this.#options.save(this.#shown, composer.value);
  };

  readonly #onSend = (event: Event): void => {
    if (!event.defaultPrevented && this.#shown !== null) this.#options.save(this.#shown, '');
  };

  constructor(host: ReactiveElement, options: DraftControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Stores what the composer holds now (after the host put text into it without an `input` event). */
  sync(): void {
    const composer = this.#options.composer();
    if (composer && this.#shown !== null) this.#options.save(this.#shown, composer.value);
  }

  hostConnected(): void {
    this.#host.addEventListener('input', this.#onInput);
    this.#host.addEventListener('parley-send', this.#onSend);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('input', this.#onInput);
    this.#host.removeEventListener('parley-send', this.#onSend);
    this.#shown = null;
  }

  hostUpdate(): void {
    // Before the composer moves on to another draft, keep what it holds (text inserted without typing too).
    if (this.#shown !== null && this.#shown !== this.#options.draftId()) this.sync();
  }

  hostUpdated(): void {
    const composer = this.#options.composer();
    const id = composer ? this.#options.draftId() : null;
    if (id === this.#shown) return;
    this.#shown = id;
    if (composer && id !== null) composer.value = this.#options.load(id);
  }
}

/**
 * Where focus goes as the launcher's panel opens and closes (one controller, STYLE.md §9): opening
 * moves it into the panel, closing (Escape closes) hands whatever had focus in the panel back to the bubble. The
 * first render is neither: a launcher created open (a reload with the panel open, the stub mounting
 * it) does not take focus from the page.
 */
import type { ReactiveController, ReactiveElement } from 'lit';

export class PanelFocus implements ReactiveController {
  readonly #host: ReactiveElement & { open: boolean };
  /** `open` at the last update; undefined before the first. */
  #wasOpen: boolean | undefined;
  #change: 'opened' | 'closed' | null = null;
  #refocus = false;

  constructor(host: ReactiveElement & { open: boolean }) {
    this.#host = host;
    host.addController(this);
  }

  /** The panel's keydown: Escape closes it. */
  readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    this.#host.open = false;
  };

  hostUpdate(): void {
    const open = this.#host.open;
    const was = this.#wasOpen;
    this.#wasOpen = open;
    this.#change = was === undefined || was === open ? null : open ? 'opened' : 'closed';
    // Checked before the render hides the panel.
    if (this.#change === 'closed') this.#refocus = this.#host.matches(':focus-within');
  }

  hostUpdated(): void {
    const change = this.#change;
    this.#change = null;
    if (change === 'opened') {
      void this.#host.updateComplete.then(() => this.#focusPanel());
    } else if (change === 'closed' && this.#refocus) {
      this.#refocus = false;
      this.#host.renderRoot.querySelector<HTMLElement>('.bubble')?.focus();
    }
  }

  /**
   * The start a send asked for is over: the draft goes out if it could start (`ready`; through the
   * composer, so it leaves the box exactly once), and the caret is back in the composer (disabling
   * it while starting took focus away) either way.
   */
  afterRetriedSend(ready: boolean): void {
    const composer = this.#host.renderRoot.querySelector('parley-composer');
    if (!composer || !this.#host.open) return;
    if (ready) composer.send();
    if (!composer.disabled) composer.focus();
  }

  /** The composer when it can take text, else "Start a new conversation", else the close button. */
  #focusPanel(): void {
    const root = this.#host.renderRoot;
    const composer = root.querySelector('parley-composer');
    if (composer && !composer.disabled) composer.focus();
    else root.querySelector<HTMLElement>('.start-new, .close')?.focus();
  }
}

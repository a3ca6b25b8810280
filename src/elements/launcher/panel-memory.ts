/**
 * The launcher's panel as the visitor left it in this tab (#5): open or closed, and the composer's
 * draft, restored on connect and stored from the first open on (never before: a page that never
 * opens the chat gets nothing written). One controller (STYLE.md §9) so the element only says where
 * its composer is.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import type { ParleyComposer } from '../composer/composer.ts';
import { DraftController } from '../draft-controller.ts';
import { CLOSED_LAUNCHER, readLauncherUi, writeLauncherUi, type LauncherUi } from '../../session/ui-state.ts';

export class PanelMemory implements ReactiveController {
  readonly #host: ReactiveElement & { open: boolean };
  readonly #projectUrl: () => string;
  readonly #drafts: DraftController;
  #ui: LauncherUi = CLOSED_LAUNCHER;
  /** Set by the first open: from then on the panel state is stored. */
  #remember = false;

  constructor(host: ReactiveElement & { open: boolean }, projectUrl: () => string, composer: () => ParleyComposer | null) {
    this.#host = host;
    this.#projectUrl = projectUrl;
    this.#drafts = new DraftController(host, {
      composer,
      draftId: () => '',
      load: () => this.#ui.draft,
      save: (_, draft) => this.#save({ draft }),
    });
    host.addController(this);
  }

  /** Whether the current conversation showed when this tab last had the panel (a reload shows it again). */
  get showedThread(): boolean {
    return this.#ui.thread;
  }

  /** Which view shows: kept for a reload of this tab. */
  rememberView(thread: boolean): void {
    if (thread !== this.#ui.thread) this.#save({ thread });
  }

  /** Stores the composer's text after the host put some into it without typing. */
  syncDraft(): void {
    this.#drafts.sync();
  }

  hostConnected(): void {
    // Reading is allowed before the first open; a panel left open opens again.
    const url = this.#projectUrl();
    this.#ui = url ? readLauncherUi(url) : CLOSED_LAUNCHER;
    if (this.#ui.open) this.#host.open = true;
  }

  hostUpdate(): void {
    const { open } = this.#host;
    if (open) this.#remember = true;
    if (open !== this.#ui.open) this.#save({ open });
  }

  #save(change: Partial<LauncherUi>): void {
    this.#ui = { ...this.#ui, ...change };
    const url = this.#projectUrl();
    if (this.#remember && url) writeLauncherUi(url, this.#ui);
  }
}

/**
 * The console as the agent left it in this tab (#5): the open conversation, and a draft per
 * conversation in the composer, kept in sessionStorage per project and agent, written only while
 * the console is signed in, and forgotten on sign-out (the next person in the tab sees none of it).
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import type { ParleyComposer } from '../composer/composer.ts';
import { DraftController } from '../draft-controller.ts';
import { clearConsoleUi, readConsoleUi, writeConsoleUi, type ConsoleUi } from '../../session/ui-state.ts';

export interface ConsoleMemoryOptions {
  readonly projectUrl: () => string;
  /** The signed-in agent's id while the console is usable, else null (nothing is read or written then). */
  readonly agentId: () => string | null;
  readonly conversationId: () => string | null;
  readonly composer: () => ParleyComposer | null;
}

export class ConsoleMemory implements ReactiveController {
  readonly #options: ConsoleMemoryOptions;
  #lastOpen: string | null = null;

  constructor(host: ReactiveElement, options: ConsoleMemoryOptions) {
    this.#options = options;
    new DraftController(host, {
      composer: options.composer,
      draftId: () => (options.agentId() ? options.conversationId() : null),
      load: (id) => this.#read()?.drafts[id] ?? '',
      save: (id, text) => {
        const { [id]: _, ...others } = this.#read()?.drafts ?? {};
        this.#write({ drafts: text === '' ? others : { ...others, [id]: text } });
      },
    });
    host.addController(this);
  }

  /** The conversation the agent had open in this tab (for `agentId`, who just signed in). */
  openConversation(agentId: string): string | null {
    const url = this.#options.projectUrl();
    return url ? readConsoleUi(url, agentId).open : null;
  }

  /** Forgets what was kept for the agent (before signing out). */
  forget(agentId: string): void {
    const url = this.#options.projectUrl();
    if (url) clearConsoleUi(url, agentId);
  }

  hostUpdate(): void {
    const open = this.#options.conversationId();
    if (open === this.#lastOpen || !this.#options.agentId()) return;
    this.#lastOpen = open;
    this.#write({ open });
  }

  #read(): ConsoleUi | null {
    const url = this.#options.projectUrl();
    const agentId = this.#options.agentId();
    return url && agentId ? readConsoleUi(url, agentId) : null;
  }

  #write(change: Partial<ConsoleUi>): void {
    const ui = this.#read();
    const agentId = this.#options.agentId();
    if (ui && agentId) writeConsoleUi(this.#options.projectUrl(), agentId, { ...ui, ...change });
  }
}

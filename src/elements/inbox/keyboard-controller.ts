/**
 * The console's keyboard (#13): shortcuts on the inbox's host, the overlay that lists them, and
 * where focus lands after signing in. A Lit controller (STYLE.md §9): the keydown listener lives
 * from `hostConnected` to `hostDisconnected`, on the host, never on the page's document, so a page
 * embedding the console keeps its own keys while focus is elsewhere.
 *
 * Shortcuts call what the console's own controls call: the list's selection (with its
 * `parley-conversation-select`), the composer's Reply / Note switch, `setStatus` and `assign`.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import { html } from 'lit';
import type { InboxStrings } from '../../i18n/strings.ts';
import type { Agent, ConversationSummary } from '../../data/types.ts';
import type { InboxState } from '../../state/index.ts';
import type { InboxPhase } from '../../session/agent-console.ts';
import type { ComposerMode } from '../composer/composer.ts';
import { ParleyConversationSelectEvent } from '../events.ts';
import { inField, shortcutFor, type ShortcutCommand } from './keyboard-shortcuts.ts';
import { shortcutsButton, shortcutsOverlay } from './shortcuts-overlay.ts';

export interface KeyboardOptions {
  readonly phase: () => InboxPhase;
  /** The console's stores while signed in. */
  readonly inbox: () => InboxState | undefined;
  readonly conversationId: () => string | null;
  /** The open conversation's row, once loaded. */
  readonly row: () => ConversationSummary | null;
  readonly me: () => Agent | null;
  /** Opens a conversation as picking it in the list does (focus follows in the narrow layout). */
  readonly select: (id: string) => void;
  /** Back to the list in the narrow layout, where the open conversation hides it. */
  readonly back: () => void;
}

type Host = ReactiveControllerHost & HTMLElement;

export class KeyboardController implements ReactiveController {
  readonly #host: Host;
  readonly #options: KeyboardOptions;
  #lastPhase: InboxPhase | null = null;
  /** After an interactive sign-in, until the first page of the list has arrived. */
  #landing: 'waiting' | 'loading' | null = null;
  /** What had focus when the overlay opened: it gets it back. */
  #opener: HTMLElement | null = null;

  constructor(host: Host, options: KeyboardOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener('keydown', this.#onKeydown);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener('keydown', this.#onKeydown);
    this.#landing = null;
    this.#opener = null;
  }

  hostUpdated(): void {
    const phase = this.#options.phase();
    if (this.#lastPhase === 'signing-in' && phase === 'ready') this.#landing = 'waiting';
    this.#lastPhase = phase;
    const inbox = this.#options.inbox();
    if (this.#landing === null) return;
    if (!inbox || phase !== 'ready') {
      this.#landing = null;
      return;
    }
    const status = inbox.$listStatus.get();
    if (status.loading) this.#landing = 'loading';
    else if (this.#landing === 'loading' || inbox.$visible.get().length > 0 || status.error !== null) {
      this.#landing = null;
      void this.#land();
    }
  }

  /** The header button and the overlay (closed until asked for). */
  render(t: InboxStrings): TemplateResult {
    return html`${shortcutsButton(t, this.#show)}${shortcutsOverlay(t, this.#onClose)}`;
  }

  get #root(): ShadowRoot | null {
    return this.#host.shadowRoot;
  }

  /**
   * Signed in: the conversation list, where j/k and the arrows work and the first conversation is
   * one Enter away; the search field when the list is empty, as there is nothing to move through
   * and finding a conversation is the next thing to do. Left alone if the agent (or the page)
   * already put focus somewhere.
   */
  async #land(): Promise<void> {
    const list = this.#root?.querySelector('parley-conversation-list');
    if (!list) return;
    await list.updateComplete;
    const active = document.activeElement;
    if (this.#root?.activeElement || (active && active !== document.body && active !== this.#host)) return;
    this.#focusList();
  }

  /** The list where it shows; in the narrow layout with a conversation open, the way back to it. */
  #focusList(): void {
    const list = this.#root?.querySelector('parley-conversation-list');
    if (list && list.offsetParent !== null) list.focus();
    else this.#root?.querySelector<HTMLElement>('.back')?.focus();
  }

  readonly #onKeydown = (event: KeyboardEvent): void => {
    const inbox = this.#options.inbox();
    if (!inbox || this.#options.phase() !== 'ready' || event.defaultPrevented || this.#dialog()?.open) return;
    const path = event.composedPath();
    if (event.key === 'Escape') {
      // The composer handles its own Escape first (closing canned replies): only a plain one leaves it.
      if (path.some((node) => node instanceof HTMLElement && node.localName === 'parley-composer')) {
        event.preventDefault();
        this.#focusList();
      }
      return;
    }
    if (inField(path)) return;
    const command = shortcutFor(event);
    // Holding j or k walks the list; holding e or a does not repeat a command.
    if (!command || (event.repeat && command !== 'next' && command !== 'previous')) return;
    if (this.#run(command, inbox)) event.preventDefault();
  };

  /** Runs a command; false when it does not apply here (nothing open, already resolved, already mine). */
  #run(command: ShortcutCommand, inbox: InboxState): boolean {
    const row = this.#options.row();
    switch (command) {
      case 'next':
      case 'previous':
        return this.#step(inbox, command === 'next' ? 1 : -1);
      case 'reply':
      case 'note':
        return this.#compose(command);
      case 'resolve':
        if (!row || row.status === 'resolved') return false;
        void inbox.setStatus(row.id, 'resolved');
        return true;
      case 'assign': {
        const me = this.#options.me();
        if (!row || !me || row.assigned_agent_id === me.user_id) return false;
        void inbox.assign(row.id, me.user_id);
        return true;
      }
      case 'search':
        void this.#search();
        return true;
      case 'help':
        this.#show();
        return true;
    }
  }

  /** The next or previous conversation in the list's order; the first when none of the list is open. */
  #step(inbox: InboxState, delta: 1 | -1): boolean {
    const list = inbox.$visible.get();
    const at = list.findIndex((c) => c.id === this.#options.conversationId());
    const next = list[at < 0 ? 0 : at + delta];
    if (!next || next.id === this.#options.conversationId()) return false;
    if (this.#host.dispatchEvent(new ParleyConversationSelectEvent({ id: next.id }))) this.#options.select(next.id);
    return true;
  }

  /** The composer in Reply or Note mode, caret in its field (the key itself is not typed: its keydown is prevented). */
  #compose(mode: ComposerMode): boolean {
    const composer = this.#root?.querySelector('parley-composer');
    if (!composer || composer.disabled) return false;
    composer.mode = mode;
    composer.focus();
    return true;
  }

  async #search(): Promise<void> {
    let list = this.#root?.querySelector('parley-conversation-list');
    if (list && list.offsetParent === null) {
      this.#options.back();
      await this.#host.updateComplete;
      list = this.#root?.querySelector('parley-conversation-list');
    }
    list?.focusSearch();
  }

  #dialog(): HTMLDialogElement | null {
    return this.#root?.querySelector<HTMLDialogElement>('dialog.shortcuts') ?? null;
  }

  readonly #show = (): void => {
    const dialog = this.#dialog();
    if (!dialog || dialog.open) return;
    this.#opener = deepActiveElement();
    dialog.showModal();
  };

  readonly #onClose = (): void => {
    const opener = this.#opener;
    this.#opener = null;
    if (opener?.isConnected) opener.focus();
  };
}

/** The focused element, looking into shadow roots (document.activeElement stops at the first host). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

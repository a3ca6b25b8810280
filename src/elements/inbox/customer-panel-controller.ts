/**
 * The console's customer side panel as a Lit controller (STYLE.md §9): one profile store per session,
 * following the open conversation's customer (reloaded when the customer writes in it, since the
 * visitor may have navigated or identified meanwhile), whether the panel shows, the edit form's
 * state, and the agent's save, which also renames the customer in the list and the header.
 */
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { InboxStrings } from '../../i18n/strings.ts';
import { createProfileApi } from '../../data/customer-profile.ts';
import type { ConversationSummary } from '../../data/types.ts';
import type { Session } from '../../session/index.ts';
import type { CustomerHistory } from '../../state/index.ts';
import { createCustomerProfileState, NO_PROFILE, type CustomerProfileState } from '../../state/customer-profile.ts';
import { customerPanel, customerPanelToggle } from './customer-panel.ts';

export interface CustomerPanelOptions {
  readonly session: () => Session | undefined;
  /** The open conversation's row; null when none is open. */
  readonly row: () => ConversationSummary | null;
}

/** Below this width of the console the panel starts hidden and covers the conversation when shown. */
const WIDE_CONSOLE = 1000;

export class CustomerPanelController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: CustomerPanelOptions;
  readonly #states = new WeakMap<Session, CustomerProfileState>();
  #followed: CustomerProfileState | null = null;
  #unlisten: (() => void) | null = null;
  /** The agent's own choice (the toggle); until they make one, the console's width decides. */
  #chosen: boolean | null = null;
  /** Whether the console is wide enough to show the panel beside the conversation; null until measured. */
  #wide: boolean | null = null;
  #resizeObserver: ResizeObserver | null = null;
  #editing = false;
  #focusAfterRender: 'first-field' | 'edit' | 'toggle' | 'panel' | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, options: CustomerPanelOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdate(): void {
    const session = this.#options.session();
    const row = this.#options.row();
    const state = session ? this.#state(session) : null;
    if (state !== this.#followed) {
      this.#unlisten?.();
      this.#followed = state;
      this.#unlisten = state ? state.$profile.listen(() => this.#host.requestUpdate()) : null;
    }
    const customerId = row?.customer_id ?? null;
    if (this.#followed && this.#followed.$profile.get().customerId !== customerId) this.#editing = false;
    // The customer writing (inbound_count, in the team's view) is when their profile may have moved
    // on; the team's own sends say nothing new about them, and each reload is two requests.
    this.#followed?.follow(customerId, row?.inbound_count ?? 0);
  }

  hostConnected(): void {
    if (typeof ResizeObserver === 'undefined') return;
    // Narrowed past the threshold (a window resized, a phone turned): the panel would cover the
    // conversation, so it folds away unless the agent chose otherwise; widened, it comes back.
    this.#resizeObserver = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1]?.contentRect.width ?? 0;
      if (width === 0) return;
      const wide = width >= WIDE_CONSOLE;
      if (wide === this.#wide) return;
      this.#wide = wide;
      if (this.#chosen === null) this.#host.requestUpdate();
    });
    this.#resizeObserver.observe(this.#host);
  }

  hostUpdated(): void {
    const target = this.#focusAfterRender;
    this.#focusAfterRender = null;
    const root = this.#host.shadowRoot;
    if (!target || !root) return;
    const selector = { 'first-field': '#customer-name', edit: '[part~="edit-customer-button"]', toggle: '.panel-toggle', panel: '.close-panel' }[target];
    root.querySelector<HTMLElement>(selector)?.focus();
  }

  hostDisconnected(): void {
    this.#resizeObserver?.disconnect();
    this.#resizeObserver = null;
    this.#unlisten?.();
    this.#unlisten = null;
    this.#followed = null;
  }

  /** Whether the panel shows: the agent's choice, else whether the console is wide. */
  get open(): boolean {
    this.#wide ??= this.#host.getBoundingClientRect().width >= WIDE_CONSOLE;
    return this.#chosen ?? this.#wide;
  }

  /** The toggle for the conversation header. */
  toggle(t: InboxStrings): TemplateResult {
    return customerPanelToggle(t, this.open, this.#onToggle);
  }

  /** The panel itself, beside (or over) the conversation. */
  panel(t: InboxStrings, language: string, history: CustomerHistory, onOpenOther: (id: string) => void): TemplateResult {
    return customerPanel({
      t, language, open: this.open, editing: this.#editing, history,
      profile: this.#followed?.$profile.get() ?? NO_PROFILE,
    }, { onToggle: this.#onToggle, onEdit: this.#onEdit, onSave: this.#onSave, onOpenOther });
  }

  #state(session: Session): CustomerProfileState {
    let state = this.#states.get(session);
    if (!state) this.#states.set(session, (state = createCustomerProfileState(createProfileApi(session.client))));
    return state;
  }

  readonly #onToggle = (): void => {
    this.#chosen = !this.open;
    this.#focusAfterRender = this.#chosen ? 'panel' : 'toggle';
    this.#host.requestUpdate();
  };

  readonly #onEdit = (editing: boolean): void => {
    this.#editing = editing;
    this.#focusAfterRender = editing ? 'first-field' : 'edit';
    this.#host.requestUpdate();
  };

  readonly #onSave = (values: { readonly name: string; readonly email: string }): void => {
    const state = this.#followed;
    const session = this.#options.session();
    const customerId = this.#options.row()?.customer_id;
    if (!state || !session || !customerId) return;
    void state.save(customerId, values).then((saved) => {
      if (!saved) return;
      this.#editing = false;
      this.#focusAfterRender = 'edit';
      // The list and the header name the customer from the conversation rows: rename them there too.
      const profile = state.$profile.get().profile;
      const customer = { name: profile?.name ?? (values.name.trim() || null), email: profile?.email ?? (values.email.trim().toLowerCase() || null) };
      const map = session.state.$conversations.get();
      const rows = Object.values(map).filter((row) => row.customer_id === customerId).map((row) => ({ ...row, customer }));
      session.state.applyConversations(rows);
      this.#host.requestUpdate();
    });
  };
}

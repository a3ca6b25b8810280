import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { ParleyElement } from '../parley-element.ts';
import { customerLabel } from '../customer-label.ts';
import {
  ParleyConversationSelectEvent,
  ParleyFilterChangeEvent,
  ParleyLoadMoreEvent,
  ParleySearchEvent,
} from '../events.ts';
import { conversationListStrings } from '../../i18n/strings.ts';
import type { ConversationListStrings } from '../../i18n/strings.ts';
import { CONVERSATION_STATUSES } from '../../data/types.ts';
import type { ConversationStatus, ConversationSummary } from '../../data/types.ts';
import { DEFAULT_LIST_FILTER } from '../../state/conversations.ts';
import type { ListFilter } from '../../state/conversations.ts';
import { conversationListStyles } from './conversation-list.styles.ts';
import { formatRelativeTime, msUntilRelativeChange } from './relative-time.ts';
import { itemId, renderListItem, type ListItem } from './list-item.ts';
import { listKeyAction } from './list-keys.ts';
import { renderAssignment, renderStatuses } from './filter-controls.ts';

export { formatRelativeTime } from './relative-time.ts';

/** Quiet time after the last keystroke before `parley-search` fires. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * Relative times ("5 minutes ago") are re-rendered when the soonest of them moves on, and at least
 * this often (a day), so a list of old conversations sleeps instead of waking every few seconds.
 */
export const TIME_REFRESH_MAX_MS = 86_400_000;

/** The timer the search debounce and the time refresh run on; tests inject a fake one. */
export interface DebounceTimer {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimer: DebounceTimer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Id → count or id → name, as a `Map` (what stores derive) or a plain object (what JSON gives). */
export type Lookup<V> = ReadonlyMap<string, V> | Readonly<Record<string, V>>;

function lookup<V>(table: Lookup<V>, key: string): V | undefined {
  if (table instanceof Map) return (table as ReadonlyMap<string, V>).get(key);
  return Object.hasOwn(table, key) ? (table as Readonly<Record<string, V>>)[key] : undefined;
}

/**
 * @summary The agent console's conversation list: a search box, assignment and status filters, and
 * a listbox of conversations (customer, subject, preview, time, status, assignee, unread count).
 *
 * Presentational: it renders the properties it is given (already filtered and sorted by the
 * stores) and reports what the user does through events; the host updates the properties.
 * Programmatic sets never emit. The list follows the ARIA listbox pattern with
 * `aria-activedescendant`: the listbox keeps focus, Up/Down/Home/End move the active option,
 * Enter or Space selects it. The active option is tracked by conversation id, so a reordered
 * `conversations` array keeps the keyboard on the same conversation. It fills the height it is
 * given and scrolls its list inside; where nothing sets its height, the list is 24rem tall.
 *
 * @event {ParleySearchEvent} parley-search - The user changed the search text (`detail.query`), 250 ms after the last keystroke (Enter sends at once).
 * @event {ParleyFilterChangeEvent} parley-filter-change - The user changed the assignment or status filter; `detail.filter` is the whole new `ListFilter`.
 * @event {ParleyConversationSelectEvent} parley-conversation-select - The user picked a conversation (`detail.id`). Cancelable: when prevented, the selection stays.
 * @event {ParleyLoadMoreEvent} parley-load-more - The user asked for more conversations.
 *
 * @csspart base - The whole list.
 * @csspart search - The search field.
 * @csspart filters - The filter controls.
 * @csspart list - The listbox.
 * @csspart item - One conversation.
 * @csspart badge - Every badge (status, chatbot, rating and unread); also `status-badge`, `bot-badge`, `rating-badge` and `unread-badge`.
 * @csspart status-badge - A conversation's status.
 * @csspart bot-badge - A robot next to a conversation whose chatbot is on (it answers, not a person yet).
 * @csspart rating-badge - A conversation's latest rating (CSAT), when it has one.
 * @csspart unread-badge - A conversation's unread count.
 * @csspart load-more - The "Load more" button.
 * @csspart empty - The empty and loading messages.
 *
 * @cssproperty [--parley-color-accent=#1f5fd1] - Selected item, unread badge, active filter (`-dark` twin in dark mode).
 * @cssproperty [--parley-color-on-accent=#ffffff] - Text on the accent.
 * @cssproperty [--parley-color-surface=#ffffff] - Background.
 * @cssproperty [--parley-color-surface-raised=#f1f3f6] - Hovered items and badges.
 * @cssproperty [--parley-color-border=#8a93a3] - Field, control and item borders.
 * @cssproperty [--parley-color-text-muted=#535a66] - Preview, time and assignee.
 * @cssproperty [--parley-radius=0.5rem] - Corner radius.
 * @cssproperty [--parley-space=0.5rem] - Spacing unit.
 * @cssproperty [--parley-font-family=system-ui] - Font.
 * @cssproperty [--parley-focus-ring-color=accent] - Focus outline colour.
 *
 * @cssstate loading - `loading` is set.
 * @cssstate empty - No conversations to show.
 */
export class ParleyConversationList extends ParleyElement<ConversationListStrings> {
  static override css = conversationListStyles;

  /** The conversations to show, in display order (the stores sort them). */
  @property({ attribute: false }) accessor conversations: readonly ConversationSummary[] = [];

  /** Unread message counts by conversation id; missing means 0. */
  @property({ attribute: false }) accessor unread: Lookup<number> = new Map();

  /** The open conversation, marked `aria-selected`. */
  @property({ attribute: false }) accessor selectedId: string | null = null;

  /** The filter the controls show. Setting it does not emit events. */
  @property({ attribute: false }) accessor filter: ListFilter = DEFAULT_LIST_FILTER;

  /** Agent display names by user id, to show who a conversation is assigned to. */
  @property({ attribute: false }) accessor agentNames: Lookup<string> = new Map();

  /** A page is being fetched: shows a loading message and marks the list busy. */
  @property({ type: Boolean, reflect: true }) accessor loading = false;

  /** More conversations exist on the server: shows the "Load more" button. */
  @property({ type: Boolean, attribute: 'has-more' }) accessor hasMore = false;

  /** Time source for relative times, in milliseconds. */
  @property({ attribute: false }) accessor clock: () => number = Date.now;

  /** Timer for the search debounce; tests inject a fake one. */
  @property({ attribute: false }) accessor timer: DebounceTimer = browserTimer;

  /** Timer that moves relative times on while nothing else re-renders; tests inject a fake one. */
  @property({ attribute: false }) accessor refreshTimer: DebounceTimer = browserTimer;

  /** The keyboard's position in the list, by conversation id. */
  @state() private accessor activeId: string | null = null;
  /** The search text in the field, which runs ahead of `filter.search` while debouncing. */
  @state() private accessor query = '';

  protected readonly defaultStrings: ConversationListStrings = conversationListStrings;
  protected override readonly stringTable = 'conversationList';

  private pendingSearch: unknown = undefined;
  private refresh: { readonly timer: DebounceTimer; readonly handle: unknown } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheduleRefresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.cancelSearch();
    this.stopRefresh();
  }

  /** One timer, due when the soonest relative time moves on; none for an empty list. */
  private scheduleRefresh(): void {
    this.stopRefresh();
    const now = this.clock();
    let delay: number | null = null;
    for (const c of this.conversations) {
      const until = msUntilRelativeChange(c.last_message_at, now);
      if (until !== null && (delay === null || until < delay)) delay = until;
    }
    if (delay === null) return;
    const timer = this.refreshTimer;
    const handle = timer.set(() => {
      this.refresh = null;
      this.requestUpdate();
      if (this.isConnected) this.scheduleRefresh();
    }, Math.min(delay, TIME_REFRESH_MAX_MS));
    this.refresh = { timer, handle };
  }

  private stopRefresh(): void {
    if (this.refresh) this.refresh.timer.clear(this.refresh.handle);
    this.refresh = null;
  }

  /** Focuses the list of conversations, or the search field while the list is empty. */
  override focus(options?: FocusOptions): void {
    const target = this.renderRoot.querySelector<HTMLElement>('#list') ?? this.renderRoot.querySelector<HTMLElement>('#search');
    target?.focus(options);
  }

  /** Focuses the search field (the console's "/" shortcut). */
  focusSearch(): void {
    this.renderRoot.querySelector<HTMLElement>('#search')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('refreshTimer') || changed.has('conversations') || changed.has('clock')) && this.isConnected) this.scheduleRefresh();
    // A new search from the host fills the field, but not while the user is typing (an echo of an
    // earlier query would eat keystrokes), nor when only the assignment or statuses changed.
    if (changed.has('filter') && this.pendingSearch === undefined) {
      const previous = changed.get('filter') as ListFilter | undefined;
      if (previous?.search !== this.filter.search) this.query = this.filter.search;
    }
    if (this.activeId !== null && !this.conversations.some((c) => c.id === this.activeId)) {
      this.activeId = null;
    }
  }

  protected override updated(changed: PropertyValues): void {
    this.setCustomState('loading', this.loading);
    this.setCustomState('empty', this.conversations.length === 0);
    if (changed.has('activeId') && this.activeId !== null) {
      this.renderRoot.querySelector(`#${CSS.escape(itemId(this.activeId))}`)?.scrollIntoView({ block: 'nearest' });
    }
  }

  protected override render(): TemplateResult {
    const t = this.text;
    return html`
      <div class="base" part="base">
        <div class="controls">
          <label class="visually-hidden" for="search">${t.searchLabel}</label>
          <input
            id="search"
            class="search"
            part="search"
            type="search"
            autocomplete="off"
            placeholder=${t.searchPlaceholder}
            .value=${live(this.query)}
            @input=${this.onSearchInput}
            @keydown=${this.onSearchKeyDown}
          />
          <div class="filters" part="filters" role="group" aria-label=${t.filtersLabel}>
            ${renderAssignment(t, this.filter, this.onAssignmentChange)} ${renderStatuses(t, this.filter, this.onStatusToggle)}
          </div>
        </div>
        ${this.renderList(t)}
      </div>
    `;
  }

  private renderList(t: ConversationListStrings): TemplateResult {
    const items = this.conversations;
    const narrowed =
      this.filter.search.trim() !== '' || this.filter.statuses.length > 0 || this.filter.assignment !== 'all';
    const now = this.clock();
    const lang = this.language;
    const active = this.activeId;
    return html`
      ${items.length > 0
        ? html`<div class="list-frame"><div
            id="list"
            class="list"
            part="list"
            role="listbox"
            tabindex="0"
            aria-label=${t.listLabel}
            aria-busy=${this.loading ? 'true' : 'false'}
            aria-activedescendant=${active === null ? nothing : itemId(active)}
            @keydown=${this.onListKeyDown}
            @focus=${this.onListFocus}
          >
            ${repeat(
              items,
              (c) => c.id,
              (c) => renderListItem(this.itemOf(c, t, now, lang, active), t, lang, this.onItemClick),
            )}
          </div></div>`
        : nothing}
      <div class="empty" part="empty" role="status">
        ${this.loading ? t.loading : items.length === 0 ? (narrowed ? t.emptyFiltered : t.empty) : nothing}
      </div>
      ${this.hasMore && items.length > 0
        ? html`<button class="load-more" part="load-more" type="button" ?disabled=${this.loading} @click=${this.onLoadMore}>
            ${t.loadMore}
          </button>`
        : nothing}
    `;
  }

  private itemOf(c: ConversationSummary, t: ConversationListStrings, now: number, lang: string, active: string | null): ListItem {
    return {
      conversation: c,
      name: customerLabel(c.customer, c.customer_id, t.visitor, lang),
      assignee: c.assigned_agent_id === null ? t.unassigned : (lookup(this.agentNames, c.assigned_agent_id) ?? t.assignedUnknown),
      unread: lookup(this.unread, c.id) ?? 0,
      time: formatRelativeTime(c.last_message_at, now, lang),
      selected: c.id === this.selectedId,
      active: c.id === active,
    };
  }

  /** One listener for every row (guarded rows keep the one they were rendered with). */
  private readonly onItemClick = (event: Event): void => {
    const id = (event.currentTarget as HTMLElement).dataset['id'];
    if (id !== undefined) this.select(id);
  };

  private readonly onAssignmentChange = (assignment: ListFilter['assignment']): void => {
    this.changeFilter({ ...this.filter, assignment });
  };

  private readonly onStatusToggle = (status: ConversationStatus, on: boolean): void => {
    this.toggleStatus(status, on);
  };

  /** Emits `parley-conversation-select` and, unless prevented, marks `id` selected. */
  private select(id: string): void {
    this.activeId = id;
    if (!this.emit(new ParleyConversationSelectEvent({ id }))) return;
    this.selectedId = id;
  }

  private onListFocus(): void {
    if (this.activeId !== null) return;
    const selected = this.conversations.find((c) => c.id === this.selectedId);
    this.activeId = (selected ?? this.conversations[0])?.id ?? null;
  }

  private onListKeyDown(event: KeyboardEvent): void {
    const items = this.conversations;
    // Alt+arrows are the console's next / previous conversation, not a move in the list.
    if (items.length === 0 || event.altKey) return;
    const action = listKeyAction(event.key, items.findIndex((c) => c.id === this.activeId), items.length);
    if (!action) return;
    event.preventDefault();
    if ('select' in action) {
      const id = items[action.select]?.id;
      if (id !== undefined) this.select(id);
      return;
    }
    this.activeId = items[action.move]?.id ?? null;
  }

  private onSearchInput(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
    this.cancelSearch();
    this.pendingSearch = this.timer.set(() => this.flushSearch(), SEARCH_DEBOUNCE_MS);
  }

  private onSearchKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && this.pendingSearch !== undefined) {
      event.preventDefault();
      this.cancelSearch();
      this.flushSearch();
    }
  }

  private flushSearch(): void {
    this.pendingSearch = undefined;
    this.emit(new ParleySearchEvent({ query: this.query.trim() }));
  }

  private cancelSearch(): void {
    if (this.pendingSearch === undefined) return;
    this.timer.clear(this.pendingSearch);
    this.pendingSearch = undefined;
  }

  private toggleStatus(status: ConversationStatus, on: boolean): void {
    const set = new Set(this.filter.statuses);
    if (on) set.add(status);
    else set.delete(status);
    this.changeFilter({ ...this.filter, statuses: CONVERSATION_STATUSES.filter((s) => set.has(s)) });
  }

  /** Shows `filter` at once (the controls must not lag the click) and tells the host. */
  private changeFilter(filter: ListFilter): void {
    this.filter = filter;
    this.emit(new ParleyFilterChangeEvent({ filter }));
  }

  private onLoadMore(): void {
    this.emit(new ParleyLoadMoreEvent());
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-conversation-list': ParleyConversationList;
  }
}

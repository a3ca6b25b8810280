/**
 * The agent console's stores on top of a session's `ParleyState`: the list as the filters and the
 * server's search define it (with keyset paging), the team and the canned replies, and the
 * conversation commands (status, assignment, chatbot) with their in-flight and error state.
 *
 * The list channel keeps `$conversations` live; this module only decides which of them to show and
 * fetches what the filter needs but the first page did not bring. The server's full-text search
 * also matches message text, which the client never holds in the list, so a search shows the
 * server's hits as well as local matches (a conversation that starts matching later still appears).
 */
import { atom, computed, type ReadableAtom } from 'nanostores';
import { toParleyError } from '../data/errors.ts';
import type { ConversationCursor, ConversationPage, ListConversationsOptions } from '../data/api.ts';
import type {
  Agent, CannedResponse, Conversation, ConversationStatus, ConversationSummary, ReadMarker,
} from '../data/types.ts';
import {
  compareConversations, matchesFilter, searchTerms, type ConversationMap, type ListFilter,
} from './conversations.ts';
import type { ParleyState } from './parley-state.ts';

/** The subset of the data API the inbox uses (so unit tests can pass a fake). */
export interface InboxApi {
  listConversations(options?: ListConversationsOptions): Promise<ConversationPage>;
  agents(): Promise<Agent[]>;
  cannedResponses(): Promise<CannedResponse[]>;
  setStatus(id: string, status: ConversationStatus): Promise<Conversation>;
  assign(id: string, agentId: string | null): Promise<Conversation>;
  setChatbotEnabled(id: string, enabled: boolean): Promise<Conversation>;
  /** A customer's conversations, newest activity first (the open conversation's "other conversations"). */
  customerConversations(customerId: string): Promise<ConversationSummary[]>;
  /** One conversation, for one opened that the loaded list pages do not hold. */
  getConversation(id: string): Promise<ConversationSummary>;
  /** The viewer's own read markers of these conversations. */
  myReadMarkers(conversationIds: readonly string[]): Promise<ReadMarker[]>;
}

export interface InboxListStatus {
  /** A first page or a next page is on its way. */
  readonly loading: boolean;
  /** The server has more conversations for this filter. */
  readonly hasMore: boolean;
  /** Why the last fetch failed, in words a person understands; null when it did not. */
  readonly error: string | null;
}

export const CONVERSATION_COMMANDS = ['status', 'assignment', 'chatbot'] as const;
export type ConversationCommand = (typeof CONVERSATION_COMMANDS)[number];

export interface CommandState {
  /** The command in flight for this conversation, if any (one at a time per conversation). */
  readonly busy: ConversationCommand | null;
  /** Why the last command failed; cleared by the next one. */
  readonly error: string | null;
}

export const IDLE_COMMAND: CommandState = Object.freeze({ busy: null, error: null });

/** The open conversation's customer and their other conversations (#2: the console links them). */
export interface CustomerHistory {
  /** The customer of the open conversation; null when none is open (or its row is not held yet). */
  readonly customerId: string | null;
  /** Their conversations other than the open one, newest activity first. */
  readonly conversations: readonly ConversationSummary[];
  readonly loading: boolean;
  /** Why loading them failed; null when it did not. */
  readonly error: string | null;
}

export const NO_HISTORY: CustomerHistory = Object.freeze({ customerId: null, conversations: Object.freeze([]), loading: false, error: null });

/**
 * The customer's other conversations: the rows fetched for them, with the held rows winning (the
 * list channel keeps those live, and brings a conversation the customer starts later).
 */
export function customerHistory(
  openId: string | null,
  map: ConversationMap,
  fetched: { readonly customerId: string | null; readonly rows: readonly ConversationSummary[] },
): readonly ConversationSummary[] {
  const customerId = openId === null ? null : (map[openId]?.customer_id ?? null);
  if (customerId === null || customerId !== fetched.customerId) return [];
  const rows = new Map<string, ConversationSummary>();
  for (const row of fetched.rows) if (row.customer_id === customerId) rows.set(row.id, row);
  for (const id in map) {
    const row = map[id] as ConversationSummary;
    if (row.customer_id === customerId) rows.set(id, row);
  }
  rows.delete(openId as string);
  return [...rows.values()].sort(compareConversations);
}

export interface InboxState {
  readonly $listStatus: ReadableAtom<InboxListStatus>;
  /** What the list shows, in inbox order. */
  readonly $visible: ReadableAtom<readonly ConversationSummary[]>;
  readonly $agents: ReadableAtom<readonly Agent[]>;
  readonly $cannedResponses: ReadableAtom<readonly CannedResponse[]>;
  /** Command state by conversation id; missing means idle. */
  readonly $commands: ReadableAtom<Readonly<Record<string, CommandState>>>;
  /** Loads the team, the canned replies and the first page for the current filter. */
  load(): Promise<void>;
  /** Reads the team again (a name or role changed); keeps what it had when the read fails. */
  reloadAgents(): Promise<void>;
  /** Reads the canned replies again (one was created, edited or deleted, or the channel rejoined). */
  reloadCannedResponses(): Promise<void>;
  /** Changes the filter and fetches its first page; results of an older filter are dropped. */
  setFilter(change: Partial<ListFilter>): Promise<void>;
  /** Fetches the next page for the current filter (no-op while loading or at the end). */
  loadMore(): Promise<void>;
  setStatus(id: string, status: ConversationStatus): Promise<void>;
  assign(id: string, agentId: string | null): Promise<void>;
  setChatbotEnabled(id: string, enabled: boolean): Promise<void>;
  /** The open conversation's customer's other conversations (see `follow`). */
  readonly $history: ReadableAtom<CustomerHistory>;
  /**
   * The console shows `conversationId` (call it on every render; it does nothing when nothing
   * changed): fetches the row when no list page brought it, and the customer's other conversations.
   */
  follow(conversationId: string | null): void;
}

/**
 * The list to show: every held conversation that passes the filter, where a search also admits the
 * server's hits (`hits`, null when there is no search) that pass the rest of the filter.
 */
export function visibleConversations(
  map: ConversationMap,
  filter: ListFilter,
  agentId: string | null,
  hits: ReadonlySet<string> | null,
): readonly ConversationSummary[] {
  const terms = searchTerms(filter.search);
  const unsearched = terms.length === 0 ? filter : { ...filter, search: '' };
  const rows: ConversationSummary[] = [];
  for (const id in map) {
    const row = map[id] as ConversationSummary;
    if (!matchesFilter(row, unsearched, agentId, [])) continue;
    if (terms.length === 0 || hits?.has(id) === true || matchesFilter(row, filter, agentId, terms)) rows.push(row);
  }
  return rows.sort(compareConversations);
}

function queryFor(filter: ListFilter, before: ConversationCursor | null, limit: number): ListConversationsOptions {
  const query = filter.search.trim();
  return {
    ...(query === '' ? {} : { query }),
    ...(filter.statuses.length === 0 ? {} : { statuses: filter.statuses }),
    assignment: filter.assignment,
    ...(before === null ? {} : { before }),
    limit,
  };
}

const errorText = (error: unknown): string => toParleyError(error).message;

export function createInboxState(options: { readonly state: ParleyState; readonly api: InboxApi; readonly pageSize?: number }): InboxState {
  const { state, api } = options;
  const pageSize = options.pageSize ?? 30;
  const $listStatus = atom<InboxListStatus>({ loading: false, hasMore: false, error: null });
  const $hits = atom<ReadonlySet<string> | null>(null);
  const $agents = atom<readonly Agent[]>([]);
  const $cannedResponses = atom<readonly CannedResponse[]>([]);
  const $commands = atom<Readonly<Record<string, CommandState>>>({});
  const $visible = computed([state.$conversations, state.$listFilter, state.$session, $hits],
    (map, filter, session, hits) => visibleConversations(map, filter, session.userId, hits));

  let generation = 0;
  let cursor: ConversationCursor | null = null;

  const $openId = atom<string | null>(null);
  const $fetched = atom<{ readonly customerId: string | null; readonly rows: readonly ConversationSummary[]; readonly loading: boolean; readonly error: string | null }>(
    { customerId: null, rows: [], loading: false, error: null });
  const $history = computed([$openId, state.$conversations, $fetched], (openId, map, fetched): CustomerHistory => {
    const conversations = customerHistory(openId, map, fetched);
    if (fetched.customerId === null) return NO_HISTORY;
    return { customerId: fetched.customerId, conversations, loading: fetched.loading, error: fetched.error };
  });
  // Rows asked for by id once each, so a conversation that does not exist is not fetched on every render.
  const requested = new Set<string>();

  async function fetchRow(id: string): Promise<void> {
    requested.add(id);
    try {
      const [row, reads] = await Promise.all([api.getConversation(id), api.myReadMarkers([id])]);
      state.applyConversation(row);
      state.applyReadMarkers(reads);
    } catch {
      // Not visible or gone: the console shows no conversation, as for any unknown id.
    }
  }

  async function fetchHistory(customerId: string): Promise<void> {
    $fetched.set({ customerId, rows: [], loading: true, error: null });
    try {
      const rows = await api.customerConversations(customerId);
      if ($fetched.get().customerId === customerId) $fetched.set({ customerId, rows, loading: false, error: null });
    } catch (error) {
      if ($fetched.get().customerId === customerId) $fetched.set({ customerId, rows: [], loading: false, error: errorText(error) });
    }
  }

  async function fetchPage(first: boolean): Promise<void> {
    if (!first && ($listStatus.get().loading || cursor === null)) return;
    if (first) {
      generation += 1;
      cursor = null;
    }
    const mine = generation;
    const filter = state.$listFilter.get();
    const searching = searchTerms(filter.search).length > 0;
    if (first) $hits.set(searching ? new Set() : null);
    $listStatus.set({ ...$listStatus.get(), loading: true, error: null });
    try {
      const page = await api.listConversations(queryFor(filter, cursor, pageSize));
      if (mine !== generation) return;
      state.applyConversations(page.items);
      state.applyReadMarkers(page.reads);
      if (searching) $hits.set(new Set([...($hits.get() ?? []), ...page.items.map((row) => row.id)]));
      cursor = page.next;
      $listStatus.set({ loading: false, hasMore: page.next !== null, error: null });
    } catch (error) {
      if (mine === generation) $listStatus.set({ ...$listStatus.get(), loading: false, error: errorText(error) });
    }
  }

  async function command(id: string, name: ConversationCommand, run: () => Promise<Conversation>): Promise<void> {
    if ($commands.get()[id]?.busy) return;
    const set = (next: CommandState): void => $commands.set({ ...$commands.get(), [id]: next });
    set({ busy: name, error: null });
    try {
      // The list channel brings the same row; applying the answer now makes the control follow at once.
      state.applyConversation(await run());
      set(IDLE_COMMAND);
    } catch (error) {
      set({ busy: null, error: errorText(error) });
    }
  }

  // Reads started later win: an answer that arrives after a newer read's is dropped.
  const latest = <T>(read: () => Promise<T>, apply: (value: T) => void): (() => Promise<void>) => {
    let generation = 0;
    return async () => {
      const mine = ++generation;
      try {
        const value = await read();
        if (mine === generation) apply(value);
      } catch {
        // Keeps what it had; the next change or rejoin reads again.
      }
    };
  };
  const loadAgents = latest(() => api.agents(), (rows) => $agents.set(rows));
  const loadCanned = latest(() => api.cannedResponses(), (rows) => $cannedResponses.set(rows));

  return {
    $listStatus, $visible, $agents, $cannedResponses, $commands,

    async load() {
      await Promise.all([loadAgents(), loadCanned(), fetchPage(true)]);
    },

    reloadAgents: loadAgents,
    reloadCannedResponses: loadCanned,

    setFilter(change) {
      state.setListFilter(change);
      return fetchPage(true);
    },

    loadMore() {
      return fetchPage(false);
    },

    setStatus(id, status) {
      return command(id, 'status', () => api.setStatus(id, status));
    },

    assign(id, agentId) {
      return command(id, 'assignment', () => api.assign(id, agentId));
    },

    setChatbotEnabled(id, enabled) {
      return command(id, 'chatbot', () => api.setChatbotEnabled(id, enabled));
    },

    $history,

    follow(conversationId) {
      if ($openId.get() !== conversationId) $openId.set(conversationId);
      if (conversationId === null) return;
      let row = state.$conversations.get()[conversationId];
      const known = $fetched.get().rows.find((r) => r.id === conversationId);
      if (!row && known && !requested.has(conversationId)) {
        // One of the customer's other conversations: its row is here, its read marker is not yet.
        requested.add(conversationId);
        state.applyConversation(known);
        row = known;
        api.myReadMarkers([conversationId]).then((reads) => state.applyReadMarkers(reads), () => undefined);
      }
      if (!row) {
        if (!requested.has(conversationId)) void fetchRow(conversationId);
        return;
      }
      if (row.customer_id !== $fetched.get().customerId) void fetchHistory(row.customer_id);
    },
  };
}

/**
 * Typed queries and commands over supabase-js: the only module that knows table names, RPC
 * argument names and PostgREST query syntax. Every function throws {@link ParleyError} and never
 * returns `{ data, error }`, so callers handle failure in one place.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ParleyError, invalid, toParleyError } from './errors.ts';
import {
  ASSIGNMENT_FILTERS,
  type Agent,
  type AssignmentFilter,
  type CannedResponse,
  type Conversation,
  type ConversationStatus,
  type ConversationSummary,
  type Message,
  type ReadMarker,
} from './types.ts';
import {
  MAX_PAGE_SIZE, optionalEmail, optionalText, requireContent, requireLimit, requireMetadata, requireSeq,
  requireStatus, requireUuid,
} from './validate.ts';
import { currentIdentity } from './identity.ts';

/**
 * Position in the conversation list: the last row's `last_message_at` and `id`. Keep `at` as the
 * exact string the server sent; a `Date` drops microseconds and pages would skip or repeat rows.
 */
export interface ConversationCursor {
  readonly at: string;
  readonly id: string;
}

/** Filters of the agent console's list; all optional, combined with AND. */
export interface ListConversationsOptions {
  /** Words that must each prefix-match the subject, the customer's name or email, or a message. */
  readonly query?: string;
  readonly statuses?: readonly ConversationStatus[];
  readonly assignment?: AssignmentFilter;
  /** The `next` of the previous page. */
  readonly before?: ConversationCursor;
  /** 1..100, default 30. */
  readonly limit?: number;
}

/** One keyset page of the conversation list. */
export interface ConversationPage {
  /** Newest activity first (`last_message_at desc, id desc`). */
  readonly items: ConversationSummary[];
  /** Cursor for the following page; null when this page reached the end. */
  readonly next: ConversationCursor | null;
}

/** What the pre-chat form may know; everything optional so a visitor can just start typing. */
export interface StartConversationOptions {
  /** Client-generated, so a retried start returns the same conversation. */
  readonly id?: string;
  readonly subject?: string;
  readonly name?: string;
  readonly email?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** At most one cursor: none for the newest page, `beforeSeq` to scroll back, `afterSeq` to resync. */
export interface PageMessagesOptions {
  /** Older history: messages with seq below this one. */
  readonly beforeSeq?: number;
  /** Resync: every message with seq above this one, however many there are. */
  readonly afterSeq?: number;
  /** 1..100, default 50: the page size, or the size of each request in an `afterSeq` resync. */
  readonly limit?: number;
}

/** Messages in display order, and whether the thread can load further back. */
export interface MessagePage {
  /** Ascending by seq. */
  readonly items: Message[];
  /** Whether messages older than `items[0]` (or than `afterSeq + 1`) exist. */
  readonly hasMore: boolean;
}

/** A message as the outbox holds it: the id is fixed before the first attempt. */
export interface SendMessageInput {
  /** Generated before the first attempt (`randomId()` of `src/ids.ts`) and reused for every retry. */
  readonly id: string;
  readonly conversationId: string;
  readonly content: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** The data layer bound to one supabase-js client; see {@link createDataApi}. */
export type DataApi = ReturnType<typeof createDataApi>;

const CONVERSATION_COLUMNS = 'id,customer_id,status,assigned_agent_id,chatbot_enabled,subject,last_seq,'
  + 'last_message_at,last_message_preview,created_at,updated_at';
const SUMMARY_COLUMNS = `${CONVERSATION_COLUMNS},customer:customers(name,email)`;
const MESSAGE_COLUMNS = 'id,conversation_id,seq,sender_type,sender_id,content,metadata,created_at';
const READ_COLUMNS = 'conversation_id,user_id,last_read_seq,updated_at';
const AGENT_COLUMNS = 'user_id,display_name,avatar_url,role';
const CANNED_COLUMNS = 'id,shortcut,title,body';

const DEFAULT_CONVERSATION_PAGE = 30;
const DEFAULT_MESSAGE_PAGE = 50;

interface Answer {
  readonly data: unknown;
  readonly error: unknown;
  readonly status: number;
}

/**
 * Awaits a postgrest-js request and converts its failure. The row type is asserted here, once:
 * column lists above and the migrations are what make it true.
 */
async function run<T>(request: PromiseLike<Answer>): Promise<T> {
  let answer: Answer;
  try {
    answer = await request;
  } catch (error) {
    throw toParleyError(error);
  }
  if (answer.error) throw toParleyError(answer.error, answer.status);
  return answer.data as T;
}

function conversationNotFound(): ParleyError {
  return new ParleyError({ kind: 'not-found', message: 'Conversation not found', reason: 'conversation_not_found', status: 404 });
}

/**
 * Builds the data layer for one client (one widget session). Reads have postgrest-js's own
 * retries turned off: an offline tab should learn it at once (kind 'network', retryable) instead
 * of after seconds of hidden backoff; retrying is the caller's decision (outbox, resync).
 */
export function createDataApi(client: SupabaseClient) {
  const rpc = <T>(name: string, args: Record<string, unknown>): Promise<T> => run<T>(client.rpc(name, args));

  /** Every message of a conversation with seq in [from, to] (to = null: no upper end), ascending. */
  async function ascending(conversationId: string, from: number, to: number | null, chunk: number): Promise<Message[]> {
    const all: Message[] = [];
    for (let next = from; to === null || next <= to;) {
      let query = client.from('messages').select(MESSAGE_COLUMNS).eq('conversation_id', conversationId).gte('seq', next);
      if (to !== null) query = query.lte('seq', to);
      const rows = await run<Message[]>(query.order('seq', { ascending: true }).limit(chunk).retry(false));
      all.push(...rows);
      const last = rows.at(-1);
      if (rows.length < chunk || !last) break;
      next = last.seq + 1;
    }
    return all;
  }

  return {
    /**
     * One page of the agent console's list, with the customer's name and email for display.
     * Pass the returned `next` as `before` for the following page; rows are never skipped or
     * repeated, even when many share a timestamp.
     */
    async listConversations(options: ListConversationsOptions = {}): Promise<ConversationPage> {
      const limit = requireLimit(options.limit, DEFAULT_CONVERSATION_PAGE);
      const query = optionalText(options.query, 200, 'Search text is longer than 200 characters', 'query_too_long');
      const statuses = options.statuses === undefined ? null : options.statuses.map(requireStatus);
      const assignment = options.assignment ?? 'all';
      if (!ASSIGNMENT_FILTERS.includes(assignment)) {
        throw invalid('Assignment filter must be all, mine or unassigned', 'assignment_invalid');
      }
      const before = options.before;
      if (before !== undefined && (typeof before.at !== 'string' || Number.isNaN(Date.parse(before.at)))) {
        throw invalid('A page cursor needs both a time and an id', 'cursor_invalid');
      }
      if (before !== undefined) requireUuid(before.id, 'Page cursor');
      // One row more than asked tells whether another page exists without an empty last request.
      const probe = Math.min(limit + 1, MAX_PAGE_SIZE);
      const rows = await run<ConversationSummary[]>(client.rpc('search_conversations', {
        p_query: query,
        p_statuses: statuses,
        p_assignment: assignment,
        p_before_at: before?.at ?? null,
        p_before_id: before?.id ?? null,
        p_limit: probe,
      }).select(SUMMARY_COLUMNS));
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const more = rows.length > limit || (limit === MAX_PAGE_SIZE && rows.length === limit);
      return { items, next: more && last ? { at: last.last_message_at, id: last.id } : null };
    },

    /** One conversation with its customer; not-found when it does not exist or is not visible. */
    async getConversation(id: string): Promise<ConversationSummary> {
      requireUuid(id, 'Conversation id');
      const row = await run<ConversationSummary | null>(
        client.from('conversations').select(SUMMARY_COLUMNS).eq('id', id).maybeSingle().retry(false));
      if (!row) throw conversationNotFound();
      return row;
    },

    /**
     * Opens a conversation for the signed-in visitor (anonymous or not); name and email fill in
     * their profile. Retrying with the same `id` returns the conversation already started.
     */
    async startConversation(options: StartConversationOptions = {}): Promise<Conversation> {
      return rpc<Conversation>('start_conversation', {
        p_id: options.id === undefined ? null : requireUuid(options.id, 'Conversation id'),
        p_subject: optionalText(options.subject, 200, 'Subject is longer than 200 characters', 'subject_too_long'),
        p_name: optionalText(options.name, 120, 'Name is longer than 120 characters', 'name_too_long'),
        p_email: optionalEmail(options.email),
        p_metadata: requireMetadata(options.metadata),
      });
    },

    /** Agents only. Adds a system message unless the status is unchanged. */
    async setStatus(id: string, status: ConversationStatus): Promise<Conversation> {
      return rpc<Conversation>('set_conversation_status', {
        p_conversation_id: requireUuid(id, 'Conversation id'),
        p_status: requireStatus(status),
      });
    },

    /** Agents only; `null` unassigns. Adds a system message unless nothing changed. */
    async assign(id: string, agentId: string | null): Promise<Conversation> {
      return rpc<Conversation>('assign_conversation', {
        p_conversation_id: requireUuid(id, 'Conversation id'),
        p_agent_id: agentId === null ? null : requireUuid(agentId, 'Agent id'),
      });
    },

    /** Agents only. */
    async setChatbotEnabled(id: string, enabled: boolean): Promise<Conversation> {
      if (typeof enabled !== 'boolean') throw invalid('Say whether the chatbot is on or off', 'enabled_required');
      return rpc<Conversation>('set_chatbot_enabled', { p_conversation_id: requireUuid(id, 'Conversation id'), p_enabled: enabled });
    },

    /**
     * History by seq, always ascending. Without a cursor: the newest page. `beforeSeq`: the page
     * before it (scrolling up). `afterSeq`: everything newer, for the resync after each SUBSCRIBED.
     */
    async pageMessages(conversationId: string, options: PageMessagesOptions = {}): Promise<MessagePage> {
      requireUuid(conversationId, 'Conversation id');
      const limit = requireLimit(options.limit, DEFAULT_MESSAGE_PAGE);
      const { beforeSeq, afterSeq } = options;
      if (beforeSeq !== undefined && afterSeq !== undefined) {
        throw invalid('Page messages before or after a position, not both', 'cursor_invalid');
      }
      if (afterSeq !== undefined) {
        requireSeq(afterSeq, 0);
        // Seqs are dense from 1, so everything at or below afterSeq exists when afterSeq >= 1.
        return { items: await ascending(conversationId, afterSeq + 1, null, limit), hasMore: afterSeq > 0 };
      }
      let query = client.from('messages').select(MESSAGE_COLUMNS).eq('conversation_id', conversationId);
      if (beforeSeq !== undefined) {
        requireSeq(beforeSeq, 1);
        if (beforeSeq === 1) return { items: [], hasMore: false };
        query = query.lt('seq', beforeSeq);
      }
      const rows = await run<Message[]>(query.order('seq', { ascending: false }).limit(limit + 1).retry(false));
      return { items: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
    },

    /** Messages fromSeq..toSeq inclusive, ascending: repairs a gap the realtime feed left. */
    async fetchRange(conversationId: string, fromSeq: number, toSeq: number): Promise<Message[]> {
      requireUuid(conversationId, 'Conversation id');
      requireSeq(fromSeq, 1, 'Range start');
      requireSeq(toSeq, 1, 'Range end');
      if (toSeq < fromSeq) throw invalid('Range end comes before its start', 'range_invalid');
      return ascending(conversationId, fromSeq, toSeq, MAX_PAGE_SIZE);
    },

    /**
     * Sends as whoever is signed in (customer or agent). Safe to retry with the same `id`: the
     * stored row comes back. Refuses blank and over-long content before any request.
     */
    async sendMessage(input: SendMessageInput): Promise<Message> {
      return rpc<Message>('insert_message', {
        p_id: requireUuid(input.id, 'Message id'),
        p_conversation_id: requireUuid(input.conversationId, 'Conversation id'),
        p_content: requireContent(input.content),
        p_metadata: requireMetadata(input.metadata),
      });
    },

    /** Moves the caller's read position forward (never back, never past the last message). */
    async markRead(conversationId: string, seq: number): Promise<ReadMarker> {
      return rpc<ReadMarker>('mark_read', {
        p_conversation_id: requireUuid(conversationId, 'Conversation id'),
        p_seq: requireSeq(seq, 0, 'Read position'),
      });
    },

    /** Everyone's read positions in a conversation, for "seen" and unread counts. */
    async readMarkers(conversationId: string): Promise<ReadMarker[]> {
      requireUuid(conversationId, 'Conversation id');
      return run<ReadMarker[]>(
        client.from('conversation_reads').select(READ_COLUMNS).eq('conversation_id', conversationId).retry(false));
    },

    /** The team, by name: assignment menus and the names on agent messages. */
    async agents(): Promise<Agent[]> {
      return run<Agent[]>(client.from('agents').select(AGENT_COLUMNS).order('display_name').retry(false));
    },

    /** Canned replies by shortcut; empty for customers, who may not read them. */
    async cannedResponses(): Promise<CannedResponse[]> {
      return run<CannedResponse[]>(client.from('canned_responses').select(CANNED_COLUMNS).order('shortcut').retry(false));
    },

    /** The signed-in user's agents row, or null for customers and when nobody is signed in. */
    async currentAgent(): Promise<Agent | null> {
      const userId = (await currentIdentity(client))?.id;
      if (!userId) return null;
      return run<Agent | null>(
        client.from('agents').select(AGENT_COLUMNS).eq('user_id', userId).maybeSingle().retry(false));
    },
  };
}

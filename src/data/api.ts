/**
 * Typed queries and commands over supabase-js: with team-api.ts (the console's commands), the only
 * modules that know table names, RPC argument names and PostgREST query syntax. Every function
 * throws {@link ParleyError} and never returns `{ data, error }`, so callers handle failure in one
 * place. This module holds what both roots use; the visitor's launcher imports nothing else of the
 * data layer's commands.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ParleyError, invalid } from './errors.ts';
import {
  ASSIGNMENT_FILTERS,
  type Agent,
  type AssignmentFilter,
  type Audience,
  type Conversation,
  type ConversationRow,
  type ConversationStatus,
  type ConversationSummary,
  type ConversationSummaryRow,
  type Message,
  type MessageRow,
  type MessageVisibility,
  type ReadMarker,
  type ReadMarkerRow,
  type TeamProfile,
} from './types.ts';
import {
  MAX_PAGE_SIZE, isBlank, optionalEmail, optionalText, requireAudience, requireContent, requireLimit, requireMetadata,
  requireSeq, requireStatus, requireUuid, requireVisibility,
} from './validate.ts';
import { currentIdentity } from './identity.ts';
import type { Attachment } from './attachment.ts';
import { run, type Answer } from './answer.ts';
import { conversationFor, messageFor, messagesFor, readMarkerFor, seqColumn, summaryFor } from './audience.ts';

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
  /**
   * The viewer's own read markers of these conversations, so unread counts are right the moment the
   * page is shown (after a reload or a sign-in too); conversations never read have none.
   */
  readonly reads: ReadMarker[];
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
  /** `internal` writes a note only the team reads (agents only); default `public`. */
  readonly visibility?: MessageVisibility;
  /** Files already uploaded to the `attachments` bucket by the sender; with some, `content` may be empty. */
  readonly attachments?: readonly Attachment[];
}

export interface DataApiOptions {
  /**
   * Whose view rows are mapped to (src/data/audience.ts): `customer` for the visitor's widget,
   * `team` (the default) for the agent console. Seqs, unread counters and markers are in its units.
   */
  readonly audience?: Audience;
}

/** What both roots use of the data layer, bound to one supabase-js client; see {@link createConversationApi}. */
export type ConversationApi = ReturnType<typeof createConversationApi>;

const CONVERSATION_COLUMNS = 'id,customer_id,status,assigned_agent_id,chatbot_enabled,subject,last_seq,'
  + 'last_public_seq,customer_messages,team_messages,last_message_at,last_message_preview,created_at,updated_at,'
  + 'resolutions,rating_score,rating_scale,rating_resolution,handed_over_at';
/** Shared with team-api.ts, as are the two below and conversationNotFound. */
export const SUMMARY_COLUMNS = `${CONVERSATION_COLUMNS},customer:customers(name,email)`;
const MESSAGE_COLUMNS = 'id,conversation_id,seq,public_seq,visibility,sender_type,sender_id,content,metadata,attachments,created_at';
const READ_COLUMNS = 'conversation_id,user_id,last_read_seq,last_read_public_seq,read_customer_messages,'
  + 'read_team_messages,updated_at';
export const AGENT_COLUMNS = 'user_id,display_name,avatar_url,role';
/**
 * The caller's own read marker embedded in each conversation row (filtered to their user id: none
 * or one, the key being conversation and user), so a page and the unread counts it needs arrive in
 * one request instead of a second one for the markers.
 */
const OWN_READ = `own_read:conversation_reads(${READ_COLUMNS})`;

const DEFAULT_CONVERSATION_PAGE = 30;
const DEFAULT_MESSAGE_PAGE = 50;
// PostgREST puts `in.(…)` lists in the URL; a hundred ids stay far below any proxy's limit.
const IDS_PER_REQUEST = 100;

export function conversationNotFound(): ParleyError {
  return new ParleyError({ kind: 'not-found', message: 'Conversation not found', reason: 'conversation_not_found', status: 404 });
}

/**
 * Builds what both roots use of the data layer for one client (one widget session); the console
 * adds its commands with `withTeamCommands` (team-api.ts), and `createDataApi` is both. Reads have postgrest-js's own
 * retries turned off: an offline tab should learn it at once (kind 'network', retryable) instead
 * of after seconds of hidden backoff; retrying is the caller's decision (outbox, resync).
 */
export function createConversationApi(client: SupabaseClient, options: DataApiOptions = {}) {
  const audience = requireAudience(options.audience ?? 'team');
  const rpc = <T>(name: string, args: Record<string, unknown>): Promise<T> => run<T>(client.rpc(name, args));
  const conversation = async (request: PromiseLike<Answer>): Promise<Conversation> =>
    conversationFor(audience, await run<ConversationRow>(request));
  // The audience's numbering: a customer's requests filter and order by public_seq, so a note
  // between two replies is not a gap to them.
  const seq = seqColumn(audience);
  const messagesOf = (conversationId: string) => {
    const query = client.from('messages').select(MESSAGE_COLUMNS).eq('conversation_id', conversationId);
    // RLS already hides internal rows from customers; this keeps a null public_seq out of the order.
    return audience === 'customer' ? query.eq('visibility', 'public') : query;
  };

  /** Every message of a conversation with seq in [from, to] (to = null: no upper end), ascending. */
  async function ascending(conversationId: string, from: number, to: number | null, chunk: number): Promise<Message[]> {
    const all: Message[] = [];
    for (let next = from; to === null || next <= to;) {
      let query = messagesOf(conversationId).gte(seq, next);
      if (to !== null) query = query.lte(seq, to);
      const rows = messagesFor(audience, await run<MessageRow[]>(query.order(seq, { ascending: true }).limit(chunk).retry(false)));
      all.push(...rows);
      const last = rows.at(-1);
      if (rows.length < chunk || !last) break;
      next = last.seq + 1;
    }
    return all;
  }

  /** `own_read` of {@link OWN_READ}; absent when the request did not embed it (nobody signed in). */
  type WithOwnRead<R> = R & { readonly own_read?: readonly ReadMarkerRow[] | null };
  const ownReads = (rows: readonly WithOwnRead<unknown>[]): ReadMarker[] =>
    rows.flatMap((row) => row.own_read ?? []).map((row) => readMarkerFor(audience, row));

  /** The signed-in user's id; null when nobody is. */
  async function myId(): Promise<string | null> {
    return (await currentIdentity(client))?.id ?? null;
  }

  /**
   * The signed-in user's own markers for the listed conversations (those never read have none),
   * so unread counts are right straight after a reload or sign-in.
   */
  async function myReadMarkers(conversationIds: readonly string[]): Promise<ReadMarker[]> {
    const ids = [...new Set(conversationIds.map((id) => requireUuid(id, 'Conversation id')))];
    if (ids.length === 0) return [];
    const me = await myId();
    if (me === null) return [];
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) chunks.push(ids.slice(i, i + IDS_PER_REQUEST));
    const pages = await Promise.all(chunks.map((chunk) => run<ReadMarkerRow[]>(client.from('conversation_reads')
      .select(READ_COLUMNS).eq('user_id', me).in('conversation_id', chunk).retry(false))));
    return pages.flat().map((row) => readMarkerFor(audience, row));
  }

  async function history(): Promise<{ items: Conversation[]; reads: ReadMarker[] }> {
    const me = await myId();
    if (me === null) return { items: [], reads: [] };
    const rows = await run<WithOwnRead<ConversationRow>[]>(client.from('conversations')
      .select(`${CONVERSATION_COLUMNS},${OWN_READ}`)
      .eq('customer_id', me).eq('own_read.user_id', me)
      .order('created_at', { ascending: false }).order('id', { ascending: false })
      .limit(MAX_PAGE_SIZE).retry(false));
    return { items: rows.reverse().map((row) => conversationFor(audience, row)), reads: ownReads(rows) };
  }

  return {
    /** Whose view this api maps rows to; realtime payloads are mapped with the same audience. */
    audience,

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
      const me = await myId();
      const search = client.rpc('search_conversations', {
        p_query: query,
        p_statuses: statuses,
        p_assignment: assignment,
        p_before_at: before?.at ?? null,
        p_before_id: before?.id ?? null,
        p_limit: probe,
      });
      const rows = await run<WithOwnRead<ConversationSummaryRow>[]>(me === null
        ? search.select(SUMMARY_COLUMNS)
        : search.select(`${SUMMARY_COLUMNS},${OWN_READ}`).eq('own_read.user_id', me));
      const kept = rows.slice(0, limit);
      const items = kept.map((row) => summaryFor(audience, row));
      const reads = ownReads(kept);
      const last = items.at(-1);
      const more = rows.length > limit || (limit === MAX_PAGE_SIZE && rows.length === limit);
      return { items, next: more && last ? { at: last.last_message_at, id: last.id } : null, reads };
    },

    /**
     * The signed-in visitor's own conversations, oldest first (the launcher's history): the newest
     * 100 when there are more. Empty when nobody is signed in.
     */
    async myConversations(): Promise<Conversation[]> {
      return (await history()).items;
    },

    /** {@link myConversations} with the visitor's read markers for them, in one request. */
    history,

    /**
     * Opens a conversation for the signed-in visitor (anonymous or not); name and email fill in
     * their profile. Retrying with the same `id` returns the conversation already started.
     */
    async startConversation(options: StartConversationOptions = {}): Promise<Conversation> {
      return conversation(client.rpc('start_conversation', {
        p_id: options.id === undefined ? null : requireUuid(options.id, 'Conversation id'),
        p_subject: optionalText(options.subject, 200, 'Subject is longer than 200 characters', 'subject_too_long'),
        p_name: optionalText(options.name, 120, 'Name is longer than 120 characters', 'name_too_long'),
        p_email: optionalEmail(options.email),
        p_metadata: requireMetadata(options.metadata),
      }));
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
      let query = messagesOf(conversationId);
      if (beforeSeq !== undefined) {
        requireSeq(beforeSeq, 1);
        if (beforeSeq === 1) return { items: [], hasMore: false };
        query = query.lt(seq, beforeSeq);
      }
      const rows = await run<MessageRow[]>(query.order(seq, { ascending: false }).limit(limit + 1).retry(false));
      return { items: messagesFor(audience, rows.slice(0, limit).reverse()), hasMore: rows.length > limit };
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
     * Sends as whoever is signed in (customer or agent); `visibility: 'internal'` writes a note
     * (agents only: a customer gets forbidden / visibility_forbidden). Safe to retry with the same
     * `id`: the stored row comes back. Refuses blank and over-long content before any request.
     * Sending also moves the sender's own read marker to the message, server-side.
     */
    async sendMessage(input: SendMessageInput): Promise<Message> {
      // Built and checked by the upload code (attachment-send.ts); the database checks each again.
      const attachments = input.attachments ?? [];
      const row = await rpc<MessageRow>('insert_message', {
        p_id: requireUuid(input.id, 'Message id'),
        p_conversation_id: requireUuid(input.conversationId, 'Conversation id'),
        p_content: attachments.length > 0 && typeof input.content === 'string' && isBlank(input.content)
          ? '' : requireContent(input.content),
        p_metadata: requireMetadata(input.metadata),
        p_visibility: input.visibility === undefined ? 'public' : requireVisibility(input.visibility),
        p_attachments: attachments,
      });
      const message = messageFor(audience, row);
      // Only a team member can store an internal message, and a customer view cannot hold one.
      if (!message) throw invalid('This view cannot show internal messages', 'visibility_forbidden');
      return message;
    },

    /**
     * Moves the caller's read position forward to `seq`, in this audience's numbering (never back,
     * never past the last message); the server fills in the other numbering and the counters.
     */
    async markRead(conversationId: string, seq: number): Promise<ReadMarker> {
      return readMarkerFor(audience, await rpc<ReadMarkerRow>('mark_read', {
        p_conversation_id: requireUuid(conversationId, 'Conversation id'),
        p_seq: requireSeq(seq, 0, 'Read position'),
      }));
    },

    /** Everyone's read positions in a conversation, for "seen" and unread counts. */
    async readMarkers(conversationId: string): Promise<ReadMarker[]> {
      requireUuid(conversationId, 'Conversation id');
      const rows = await run<ReadMarkerRow[]>(
        client.from('conversation_reads').select(READ_COLUMNS).eq('conversation_id', conversationId).retry(false));
      return rows.map((row) => readMarkerFor(audience, row));
    },

    /**
     * The signed-in user's own markers for the listed conversations (those never read have none),
     * so unread counts are right straight after a reload or sign-in.
     */
    myReadMarkers,

    /** Every agent's public profile (name, avatar), for anyone signed in: names on replies. */
    async teamProfiles(): Promise<TeamProfile[]> {
      return run<TeamProfile[]>(client.rpc('team_profiles', {}).retry(false));
    },

    /** The signed-in user's agents row while active, or null for customers, deactivated agents and nobody signed in. */
    async currentAgent(): Promise<Agent | null> {
      const userId = (await currentIdentity(client))?.id;
      if (!userId) return null;
      return run<Agent | null>(
        // Everyone reads their own agent row, even deactivated: only an active one makes an agent.
        client.from('agents').select(AGENT_COLUMNS).eq('user_id', userId).eq('active', true).maybeSingle().retry(false));
    },
  };
}

/**
 * The agent console's commands over supabase-js (list lookups, status, assignment, the chatbot
 * switch, the team and canned replies): apart from api.ts, which both roots use, so the visitor's
 * launcher does not download them. `createDataApi` is the whole data layer, as the package exports it.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { invalid } from './errors.ts';
import type {
  Agent, Audience, CannedResponse, Conversation, ConversationRow, ConversationStatus, ConversationSummary,
  ConversationSummaryRow,
} from './types.ts';
import { requireLimit, requireStatus, requireUuid } from './validate.ts';
import { run, type Answer } from './answer.ts';
import { conversationFor, summaryFor } from './audience.ts';
import { requestHandover } from './chatbot.ts';
import {
  AGENT_COLUMNS, SUMMARY_COLUMNS, conversationNotFound, createConversationApi, type ConversationApi, type DataApiOptions,
} from './api.ts';

const CANNED_COLUMNS = 'id,shortcut,title,body';

/** The console's commands for one client, mapping rows to `audience`'s view (the team's, in the console). */
export function createTeamCommands(client: SupabaseClient, audience: Audience) {
  const conversation = async (request: PromiseLike<Answer>): Promise<Conversation> =>
    conversationFor(audience, await run<ConversationRow>(request));

  return {
    /** One conversation with its customer; not-found when it does not exist or is not visible. */
    async getConversation(id: string): Promise<ConversationSummary> {
      requireUuid(id, 'Conversation id');
      const row = await run<ConversationSummaryRow | null>(
        client.from('conversations').select(SUMMARY_COLUMNS).eq('id', id).maybeSingle().retry(false));
      if (!row) throw conversationNotFound();
      return summaryFor(audience, row);
    },

    /** A customer's conversations for the console (agents), newest activity first, at most `limit` (1..100, 50). */
    async customerConversations(customerId: string, options: { readonly limit?: number } = {}): Promise<ConversationSummary[]> {
      requireUuid(customerId, 'Customer id');
      const limit = requireLimit(options.limit, 50);
      const rows = await run<ConversationSummaryRow[]>(client.from('conversations').select(SUMMARY_COLUMNS)
        .eq('customer_id', customerId)
        .order('last_message_at', { ascending: false }).order('id', { ascending: false })
        .limit(limit).retry(false));
      return rows.map((row) => summaryFor(audience, row));
    },

    /**
     * Agents only. Adds a system message unless the status is unchanged: public for resolved and
     * closed, internal (team only) for open and pending.
     */
    async setStatus(id: string, status: ConversationStatus): Promise<Conversation> {
      return conversation(client.rpc('set_conversation_status', {
        p_conversation_id: requireUuid(id, 'Conversation id'),
        p_status: requireStatus(status),
      }));
    },

    /**
     * Agents only; `null` unassigns. Adds an internal system message unless nothing changed, and a
     * public "<Name> joined the conversation" when assigned to an agent.
     */
    async assign(id: string, agentId: string | null): Promise<Conversation> {
      return conversation(client.rpc('assign_conversation', {
        p_conversation_id: requireUuid(id, 'Conversation id'),
        p_agent_id: agentId === null ? null : requireUuid(agentId, 'Agent id'),
      }));
    },

    /** Agents only. */
    async setChatbotEnabled(id: string, enabled: boolean): Promise<Conversation> {
      if (typeof enabled !== 'boolean') throw invalid('Say whether the chatbot is on or off', 'enabled_required');
      return conversation(client.rpc('set_chatbot_enabled', { p_conversation_id: requireUuid(id, 'Conversation id'), p_enabled: enabled }));
    },

    /**
     * Hands a bot conversation over to the team (issue 17): the chatbot switches off and a public
     * line tells the customer a person will reply. Nothing changes when its chatbot is already off.
     */
    async requestHandover(id: string): Promise<Conversation> {
      return requestHandover(client, id, audience);
    },

    /**
     * The team with roles and whether each is active, by name: assignment menus (active agents) and
     * names on past messages (everyone). Agents only (empty for customers: see teamProfiles).
     */
    async agents(): Promise<Agent[]> {
      return run<Agent[]>(client.from('agents').select(`${AGENT_COLUMNS},active`).order('display_name').retry(false));
    },

    /** Canned replies by shortcut; empty for customers, who may not read them. */
    async cannedResponses(): Promise<CannedResponse[]> {
      return run<CannedResponse[]>(client.from('canned_responses').select(CANNED_COLUMNS).order('shortcut').retry(false));
    },

  };
}

/** The console's commands; see {@link createTeamCommands}. */
export type TeamCommands = ReturnType<typeof createTeamCommands>;

/** The whole data layer bound to one supabase-js client; see {@link createDataApi}. */
export type DataApi = ConversationApi & TeamCommands;

/** `api` with the console's commands, over the same client and in the same audience. */
export function withTeamCommands<A extends ConversationApi>(client: SupabaseClient, api: A): A & TeamCommands {
  return { ...api, ...createTeamCommands(client, api.audience) };
}

/**
 * Builds the whole data layer for one client (one widget session): what both roots use
 * (`createConversationApi`) and the console's commands. Reads have postgrest-js's own retries
 * turned off; every function throws `ParleyError`.
 */
export function createDataApi(client: SupabaseClient, options: DataApiOptions = {}): DataApi {
  return withTeamCommands(client, createConversationApi(client, options));
}

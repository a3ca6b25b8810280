/**
 * The chatbot's commands for both roots (issue 17): a visitor (or an agent) asks for a person. The
 * database hands the conversation over only while its chatbot is on (idempotent): the switch goes
 * off, `handed_over_at` is set and a public system line says a person will reply. A module of its
 * own, so the visitor's first open does not carry it.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { run } from './answer.ts';
import { ParleyError } from './errors.ts';
import { parseConversation } from './rows.ts';
import type { Audience, Conversation } from './types.ts';
import { requireUuid } from './validate.ts';

/**
 * Hands `conversationId` over to the team (`request_handover`): its customer or an agent may. Returns
 * the conversation in `audience`'s view. Throws `ParleyError` (`not-found` for a conversation the
 * caller cannot see).
 */
export async function requestHandover(client: SupabaseClient, conversationId: string, audience: Audience): Promise<Conversation> {
  const row = await run<unknown>(client.rpc('request_handover', { p_conversation_id: requireUuid(conversationId, 'Conversation id') }));
  const conversation = parseConversation(row, audience);
  if (!conversation) {
    throw new ParleyError({ kind: 'server', message: 'The conversation could not be read.', reason: 'conversation_invalid' });
  }
  return conversation;
}

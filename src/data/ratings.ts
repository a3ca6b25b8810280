/**
 * CSAT for the visitor's widget: rate the current resolution of one's own conversation. The
 * database decides whether it may be rated (own, resolved, not yet rated, CSAT on); the answer is
 * the conversation row, checked like a realtime one, so the widget shows the rating at once.
 * Loaded with the rating card, only when a rating is due.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { run } from './answer.ts';
import { ParleyError } from './errors.ts';
import { parseConversation } from './rows.ts';
import type { Conversation } from './types.ts';

/** The comment's bound in characters (the database refuses longer). */
export const MAX_RATING_COMMENT = 500;

/**
 * Rates `conversationId`'s current resolution `score` (1 to the workspace's scale) with an optional
 * comment (trimmed; empty is none). Throws `ParleyError` with reason `not_resolved`,
 * `already_rated`, `csat_disabled`, `score_invalid`, `comment_invalid` or `not_found`.
 */
export async function rateConversation(client: SupabaseClient, conversationId: string, score: number, comment: string): Promise<Conversation> {
  const text = comment.trim();
  if (!Number.isSafeInteger(score) || score < 1 || score > 5) {
    throw new ParleyError({ kind: 'invalid', message: 'The score must be a step of the scale.', reason: 'score_invalid' });
  }
  if ([...text].length > MAX_RATING_COMMENT) {
    throw new ParleyError({ kind: 'invalid', message: `The comment must be at most ${MAX_RATING_COMMENT} characters.`, reason: 'comment_invalid' });
  }
  const row = await run<unknown>(client.rpc('rate_conversation', {
    p_conversation_id: conversationId, p_score: score, p_comment: text === '' ? null : text,
  }));
  const conversation = parseConversation(row, 'customer');
  if (!conversation) {
    throw new ParleyError({ kind: 'server', message: 'The rated conversation could not be read.', reason: 'conversation_invalid' });
  }
  return conversation;
}

/**
 * Raw rows → what one audience sees. The database keeps two numberings per conversation (`seq` for
 * every message, `public_seq` for public ones) and two unread counters; the customer's widget works
 * in the public ones, the agent console in the full ones. Mapping here, once, for REST results and
 * realtime payloads alike, lets state, realtime and elements keep a single `seq` and a single
 * `inbound_count` and stay unaware of notes: the customer's thread is gap-free in its own numbering.
 */
import type {
  Audience, Conversation, ConversationRow, ConversationSummary, ConversationSummaryRow, Message, MessageRow,
  ReadMarker, ReadMarkerRow,
} from './types.ts';

/** The column a request filters and orders messages by for the audience. */
export function seqColumn(audience: Audience): 'seq' | 'public_seq' {
  return audience === 'customer' ? 'public_seq' : 'seq';
}

/**
 * A message in the audience's numbering, or null when the audience must not have it (an internal
 * message reaching a customer view; RLS already prevents that, so null means "drop it").
 */
export function messageFor(audience: Audience, row: MessageRow): Message | null {
  const seq = audience === 'customer' ? row.public_seq : row.seq;
  if (seq === null || (audience === 'customer' && row.visibility !== 'public')) return null;
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    seq,
    visibility: row.visibility,
    sender_type: row.sender_type,
    sender_id: row.sender_id,
    content: row.content,
    metadata: row.metadata,
    attachments: row.attachments,
    created_at: row.created_at,
  };
}

/** Messages in the audience's numbering, dropping what the audience must not have. */
export function messagesFor(audience: Audience, rows: readonly MessageRow[]): Message[] {
  const out: Message[] = [];
  for (const row of rows) {
    const message = messageFor(audience, row);
    if (message) out.push(message);
  }
  return out;
}

/** A conversation with the audience's last seq and unread counter. */
export function conversationFor(audience: Audience, row: ConversationRow): Conversation {
  const customer = audience === 'customer';
  return {
    id: row.id,
    customer_id: row.customer_id,
    status: row.status,
    assigned_agent_id: row.assigned_agent_id,
    chatbot_enabled: row.chatbot_enabled,
    subject: row.subject,
    last_seq: customer ? row.last_public_seq : row.last_seq,
    // The customer counts the team's replies; the team counts the customer's messages.
    inbound_count: customer ? row.team_messages : row.customer_messages,
    last_message_at: row.last_message_at,
    last_message_preview: row.last_message_preview,
    created_at: row.created_at,
    updated_at: row.updated_at,
    resolutions: row.resolutions,
    // Whole or none: the database sets the rating's columns together.
    rating: row.rating_score === null || row.rating_scale === null || row.rating_resolution === null
      ? null : { score: row.rating_score, scale: row.rating_scale, resolution: row.rating_resolution },
    handed_over_at: row.handed_over_at ?? null,
  };
}

/** {@link conversationFor} keeping the embedded customer the list shows. */
export function summaryFor(audience: Audience, row: ConversationSummaryRow): ConversationSummary {
  return { ...conversationFor(audience, row), customer: row.customer ?? null };
}

/** A read marker (anyone's) in the audience's numbering and counter. */
export function readMarkerFor(audience: Audience, row: ReadMarkerRow): ReadMarker {
  const customer = audience === 'customer';
  return {
    conversation_id: row.conversation_id,
    user_id: row.user_id,
    last_read_seq: customer ? row.last_read_public_seq : row.last_read_seq,
    read_inbound_count: customer ? row.read_team_messages : row.read_customer_messages,
    updated_at: row.updated_at,
  };
}

/**
 * Unread messages for the viewer: the conversation's inbound counter minus the counter at the
 * viewer's own marker (none yet: everything inbound is unread). Own messages, notes and system
 * lines are never counted, so no message list is needed.
 */
export function unreadFor(
  conversation: Pick<Conversation, 'inbound_count'>,
  marker: Pick<ReadMarker, 'read_inbound_count'> | null | undefined,
): number {
  const unread = conversation.inbound_count - (marker?.read_inbound_count ?? 0);
  return unread > 0 ? unread : 0;
}

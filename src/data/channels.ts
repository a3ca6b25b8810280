/**
 * The realtime channels the widget joins, defined beside the REST queries because both name tables
 * (ARCHITECTURE.md: src/data is the only module that does). The realtime layer decides when to
 * build, join and drop them; what they listen to and how payloads are read lives here. Every payload
 * goes through rows.ts, and one that does not parse is ignored: a malformed frame or a broadcast
 * from a misbehaving peer must not reach the stores.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { randomId } from '../ids.ts';
import { parseConversation, parseMessage, parseReadMarker, parseTyping, type TypingEvent } from './rows.ts';
import type { Audience, Conversation, Message, ReadMarker } from './types.ts';

export type { TypingEvent } from './rows.ts';

/** Broadcast event of typing indicators on a conversation channel. */
const TYPING_EVENT = 'typing';

export interface ListChannelHandlers {
  /** A conversation row was inserted or updated (status, assignment, last_seq, preview). */
  onConversation(row: Conversation): void;
  /** Someone's read position moved. */
  onReadMarker(marker: ReadMarker): void;
  /** The database subscription exists: hosted Supabase's real resync point (see {@link onSystem}). */
  onDatabaseReady(): void;
}

export interface ConversationChannelHandlers {
  /** A message was inserted in this conversation. */
  onMessage(message: Message): void;
  onTyping(event: TypingEvent): void;
  onDatabaseReady(): void;
}

/**
 * A topic for one controller's list channel. Unique per call: supabase-js hands back the existing
 * channel for a known topic, and two widgets sharing a client must not share (and release) one.
 */
export function newListTopic(): string {
  return `parley-list:${randomId()}`;
}

/** The private channel of a conversation; its name is what `realtime.messages` RLS authorizes. */
export function conversationTopic(conversationId: string): string {
  return `conversation:${conversationId}`;
}

/**
 * The conversation list: every conversation row and read marker the viewer may see (RLS decides,
 * per subscriber), so one channel keeps list, unread counts and "seen" live. Rows are mapped to
 * `audience` (the api's), like REST results.
 */
export function listChannel(
  client: SupabaseClient,
  topic: string,
  audience: Audience,
  handlers: ListChannelHandlers,
): RealtimeChannel {
  return client
    .channel(topic)
    .on('postgres_changes', { event: '*', schema: 'public', table: 'conversations' }, (payload) => {
      if (payload.eventType === 'DELETE') return;
      const row = parseConversation(payload.new, audience);
      if (row) handlers.onConversation(row);
    })
    .on('postgres_changes', { event: '*', schema: 'public', table: 'conversation_reads' }, (payload) => {
      if (payload.eventType === 'DELETE') return;
      const marker = parseReadMarker(payload.new, audience);
      if (marker) handlers.onReadMarker(marker);
    })
    .on('system', {}, onSystem(handlers.onDatabaseReady));
}

/**
 * One conversation: its new messages (filtered server-side by conversation_id; RLS keeps internal
 * ones from customers, and audience.ts drops any that got through) and typing broadcasts, on the
 * private channel. Our own broadcasts are not echoed back (`self: false`).
 */
export function conversationChannel(
  client: SupabaseClient,
  conversationId: string,
  audience: Audience,
  handlers: ConversationChannelHandlers,
): RealtimeChannel {
  return client
    .channel(conversationTopic(conversationId), { config: { private: true, broadcast: { self: false } } })
    .on('postgres_changes',
      { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${conversationId}` },
      (payload) => {
        const message = parseMessage(payload.new, audience);
        // The filter is the server's; a row of another conversation would corrupt this thread's seqs.
        if (message && message.conversation_id === conversationId) handlers.onMessage(message);
      })
    .on('broadcast', { event: TYPING_EVENT }, ({ payload }: { payload?: unknown }) => {
      const event = parseTyping(payload);
      if (event) handlers.onTyping(event);
    })
    .on('system', {}, onSystem(handlers.onDatabaseReady));
}

/** Tells the other members of a joined conversation channel that this viewer is (or stopped) typing. */
export function sendTyping(channel: RealtimeChannel, event: TypingEvent): void {
  void channel.send({ type: 'broadcast', event: TYPING_EVENT, payload: { ...event } });
}

/**
 * `system` ok from postgres_changes (SUPABASE-WIRE.md §1.7): the database subscription exists. On
 * hosted Supabase it follows SUBSCRIBED, and changes committed in between would be missed by a
 * resync done on SUBSCRIBED alone.
 */
function onSystem(ready: () => void) {
  return (payload: unknown): void => {
    if (typeof payload !== 'object' || payload === null) return;
    const { extension, status } = payload as { extension?: unknown; status?: unknown };
    if (extension === 'postgres_changes' && status === 'ok') ready();
  };
}

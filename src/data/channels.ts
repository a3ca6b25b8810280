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

/** Scale mode's channels are private: Realtime authorizes the join by RLS on realtime.messages. */
const PRIVATE = { config: { private: true } };

export interface ListChannelHandlers {
  /** A conversation row was inserted or updated (status, assignment, last_seq, preview). */
  onConversation(row: Conversation): void;
  /** Someone's read position moved. */
  onReadMarker(marker: ReadMarker): void;
  /**
   * The database subscription answered, after each join (see {@link onSystem}): hosted Supabase's
   * real resync point, and the list's only one with postgres_changes.
   */
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
 * The list topic of scale mode (`realtime="broadcast"`): agents hear every conversation row and read
 * marker on `parley:inbox`, a customer theirs on `parley:customer:<user id>`.
 */
export function listTopic(audience: Audience, userId: string): string {
  return audience === 'team' ? 'parley:inbox' : `parley:customer:${userId}`;
}

/**
 * The conversation list: every conversation row and read marker the viewer may see (RLS decides,
 * per subscriber), so one channel keeps list, unread counts and "seen" live. Rows are mapped to
 * `audience` (the api's), like REST results. With `broadcast`, the same rows arrive as database
 * broadcasts on the private {@link listTopic}, authorized once when the channel joins.
 */
export function listChannel(
  client: SupabaseClient,
  topic: string,
  audience: Audience,
  handlers: ListChannelHandlers,
  broadcast = false,
): RealtimeChannel {
  const channel = client.channel(topic, broadcast ? PRIVATE : undefined);
  onRows(channel, broadcast, 'conversations', '*', (record) => {
    const row = parseConversation(record, audience);
    if (row) handlers.onConversation(row);
  });
  onRows(channel, broadcast, 'conversation_reads', '*', (record) => {
    const marker = parseReadMarker(record, audience);
    if (marker) handlers.onReadMarker(marker);
  });
  return channel.on('system', {}, onSystem(handlers.onDatabaseReady));
}

/**
 * One conversation: its new messages (filtered server-side by conversation_id; RLS keeps internal
 * ones from customers, and audience.ts drops any that got through) and typing broadcasts, on the
 * private channel. Our own broadcasts are not echoed back (`self: false`). With `broadcast` it
 * carries typing only; the messages come on {@link messageChannel}.
 */
export function conversationChannel(
  client: SupabaseClient,
  conversationId: string,
  audience: Audience,
  handlers: ConversationChannelHandlers,
  broadcast = false,
): RealtimeChannel {
  const channel = client
    .channel(conversationTopic(conversationId), { config: { private: true, broadcast: { self: false } } })
    .on('broadcast', { event: TYPING_EVENT }, ({ payload }: { payload?: unknown }) => {
      const event = parseTyping(payload);
      if (event) handlers.onTyping(event);
    })
    .on('system', {}, onSystem(handlers.onDatabaseReady));
  if (broadcast) return channel;
  return onRows(channel, false, 'messages', 'INSERT', messageHandler(conversationId, audience, handlers.onMessage),
    `conversation_id=eq.${conversationId}`);
}

/**
 * Scale mode's messages of one conversation: database broadcasts on a private topic nobody can
 * write to, `parley:thread:<id>` (public messages: the customer's) or `parley:team-thread:<id>`
 * (every message, notes included: agents only).
 */
export function messageChannel(
  client: SupabaseClient,
  conversationId: string,
  audience: Audience,
  onMessage: (message: Message) => void,
): RealtimeChannel {
  const topic = `parley:${audience === 'team' ? 'team-thread' : 'thread'}:${conversationId}`;
  return onRows(client.channel(topic, PRIVATE), true, 'messages', 'INSERT', messageHandler(conversationId, audience, onMessage));
}

function messageHandler(conversationId: string, audience: Audience, onMessage: (message: Message) => void) {
  return (record: unknown): void => {
    const message = parseMessage(record, audience);
    // The filter is the server's; a row of another conversation would corrupt this thread's seqs.
    if (message && message.conversation_id === conversationId) onMessage(message);
  };
}

/**
 * Inserted and updated rows of `table`: postgres_changes, or the database broadcasts of
 * 20261215000001_broadcast_changes.sql, whose event is the table's name and whose payload holds the
 * row as `record`.
 */
function onRows(
  channel: RealtimeChannel,
  broadcast: boolean,
  table: string,
  event: '*' | 'INSERT',
  handle: (record: unknown) => void,
  filter?: string,
): RealtimeChannel {
  return broadcast
    ? channel.on('broadcast', { event: table }, ({ payload }: { payload?: { record?: unknown } }) => handle(payload?.record))
    : channel.on('postgres_changes', { event: event as '*', schema: 'public', table, ...(filter ? { filter } : {}) }, (payload) => {
      if (payload.eventType !== 'DELETE') handle(payload.new);
    });
}

/** Tells the other members of a joined conversation channel that this viewer is (or stopped) typing. */
export function sendTyping(channel: RealtimeChannel, event: TypingEvent): void {
  void channel.send({ type: 'broadcast', event: TYPING_EVENT, payload: { ...event } });
}

/**
 * `system` from postgres_changes (SUPABASE-WIRE.md §1.7), sent after every join: ok once the
 * database subscription exists. On hosted Supabase it follows SUBSCRIBED, and changes committed in
 * between would be missed by a resync done on SUBSCRIBED alone. An error (the channel stays
 * joined, without changes) is passed on too: a resync then still brings the rows as they are.
 */
function onSystem(ready: () => void) {
  return (payload: unknown): void => {
    if (typeof payload !== 'object' || payload === null) return;
    const { extension, status } = payload as { extension?: unknown; status?: unknown };
    if (extension === 'postgres_changes' && (status === 'ok' || status === 'error')) ready();
  };
}

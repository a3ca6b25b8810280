import assert from 'node:assert/strict';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { TestStack } from './stack.ts';

/** Seeded people (supabase/seed.sql). */
export const SEED = {
  admin: { id: '00000000-0000-4000-a000-000000000001', email: 'admin@parley.test', password: 'parley-admin' },
  agent: { id: '00000000-0000-4000-a000-000000000002', email: 'agent@parley.test', password: 'parley-agent' },
  jordan: { id: '00000000-0000-4000-a000-000000000003', email: 'jordan@parley.test', password: 'parley-agent' },
  /** Priya: a customer with two conversations (…c000…09 pending, …c000…14 resolved). */
  customer: { id: '00000000-0000-4000-b000-000000000001', conversations: ['00000000-0000-4000-c000-000000000009', '00000000-0000-4000-c000-000000000014'] },
} as const;

export interface Person {
  readonly client: SupabaseClient;
  readonly id: string;
}

export async function signInAgent(stack: TestStack, who: { email: string; password: string } = SEED.agent): Promise<Person> {
  const client = stack.client();
  const { data, error } = await client.auth.signInWithPassword({ email: who.email, password: who.password });
  assert.equal(error, null, `sign-in as ${who.email} failed: ${error?.message}`);
  assert.ok(data.user);
  return { client, id: data.user.id };
}

/** An anonymous visitor, as the widget creates one. */
export async function signInVisitor(stack: TestStack): Promise<Person> {
  const client = stack.client();
  const { data, error } = await client.auth.signInAnonymously();
  assert.equal(error, null, `anonymous sign-in failed: ${error?.message}`);
  assert.ok(data.user);
  return { client, id: data.user.id };
}

export interface Conversation {
  id: string;
  customer_id: string;
  status: string;
  last_seq: number;
  assigned_agent_id: string | null;
  chatbot_enabled: boolean;
}

export async function startConversation(person: Person, args: Record<string, unknown> = {}): Promise<Conversation> {
  const { data, error } = await person.client.rpc('start_conversation', args);
  assert.equal(error, null, `start_conversation failed: ${error?.message}`);
  return data as Conversation;
}

export interface Message {
  id: string;
  conversation_id: string;
  seq: number;
  sender_type: string;
  sender_id: string | null;
  content: string;
  created_at: string;
}

export async function send(person: Person, conversationId: string, content: string, id: string = crypto.randomUUID()): Promise<Message> {
  const { data, error } = await person.client.rpc('insert_message', {
    p_id: id, p_conversation_id: conversationId, p_content: content,
  });
  assert.equal(error, null, `insert_message failed: ${error?.message}`);
  return data as Message;
}

/** Row counts of the chat tables, read behind the API, to prove a refused call changed nothing. */
export async function snapshot(stack: TestStack): Promise<Record<string, unknown>> {
  const { rows } = await stack.db.query(`
    select (select count(*) from public.messages)::int as messages,
           (select count(*) from public.conversations)::int as conversations,
           (select count(*) from public.customers)::int as customers,
           (select count(*) from public.conversation_reads)::int as reads,
           (select coalesce(sum(last_seq), 0) from public.conversations)::int as seqs,
           (select md5(string_agg(c::text, ',' order by id)) from public.conversations c) as conversation_rows,
           (select md5(string_agg(r::text, ',' order by conversation_id, user_id)) from public.conversation_reads r) as read_rows`);
  return rows[0] as Record<string, unknown>;
}

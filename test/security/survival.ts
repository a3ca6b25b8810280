// What every attack test in this folder proves afterwards: the stack still serves, a fresh visitor
// and agent still chat both ways over realtime, and the attack changed no row.
import assert from 'node:assert/strict';
import type { RealtimeChannel } from '@supabase/supabase-js';
import type { TestStack } from '../helpers/stack.ts';
import { subscribe } from '../helpers/realtime.ts';
import { send, signInAgent, signInVisitor, snapshot, startConversation, type Message, type Person } from '../helpers/users.ts';
import { waitFor } from '../helpers/wait.ts';

/** The chat tables' row counts and checksums, to compare before and after an attack. */
export const rowState = snapshot;

/**
 * A new visitor writes, an agent hears it live on the conversation's private channel and replies,
 * and the visitor hears the reply: auth, REST, realtime and PostgreSQL all still work.
 */
export async function assertLiveChat(stack: TestStack): Promise<void> {
  const health = await fetch(`${stack.url}/auth/v1/health`, { headers: { apikey: stack.stack.keys.anon } });
  assert.equal(health.status, 200, 'auth health answers');
  const [visitor, agent] = await Promise.all([signInVisitor(stack), signInAgent(stack)]);
  const conversation = await startConversation(visitor, { p_subject: 'Still there?' });
  const [visitorHears, agentHears] = await Promise.all([listen(visitor, conversation.id), listen(agent, conversation.id)]);
  try {
    const question = await send(visitor, conversation.id, 'Is anyone there?');
    await waitFor(() => agentHears.messages.some((m) => m.id === question.id), 'the agent to hear the visitor live');
    const answer = await send(agent, conversation.id, 'Yes, here.');
    await waitFor(() => visitorHears.messages.some((m) => m.id === answer.id), 'the visitor to hear the agent live');
  } finally {
    await Promise.all([visitor.client.removeChannel(visitorHears.channel), agent.client.removeChannel(agentHears.channel)]);
  }
}

async function listen(person: Person, conversationId: string): Promise<{ channel: RealtimeChannel; messages: Message[] }> {
  await person.client.realtime.setAuth();
  const messages: Message[] = [];
  const channel = person.client
    .channel(`conversation:${conversationId}`, { config: { private: true } })
    .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${conversationId}` },
      (payload) => messages.push(payload.new as Message));
  await subscribe(channel);
  return { channel, messages };
}

/**
 * Runs `attack` between two row snapshots, asserts they are equal, then that a live chat works.
 * The attack's own assertions (status codes, error shapes) belong inside it.
 */
export async function survives(stack: TestStack, attack: () => Promise<void>): Promise<void> {
  const before = await rowState(stack);
  await attack();
  assert.deepEqual(await rowState(stack), before, 'the attack changed no chat row');
  await assertLiveChat(stack);
}

/**
 * `npm run bench:bot`: how long a visitor waits for the chatbot's answer, as the demo runs it. Against
 * a running stack (`npm start`, whose demo turns the bot on for new conversations): each round, a
 * new anonymous visitor starts a conversation, subscribes to it and asks "How do I return a print?";
 * the clock runs from the send until the bot's answer arrives over realtime. Prints the figures; it
 * is not a test. Environment: SUPABASE_URL (default http://127.0.0.1:54321), SUPABASE_ANON_KEY
 * (default: the local stack's), BENCH_ROUNDS (default 20).
 */
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { createApiKeys, DEFAULT_JWT_SECRET } from '../supabase/local/src/keys.ts';

const url = process.env.SUPABASE_URL ?? 'http://127.0.0.1:54321';
const anonKey = process.env.SUPABASE_ANON_KEY ?? (await createApiKeys(process.env.JWT_SECRET ?? DEFAULT_JWT_SECRET)).anon;
const rounds = Number(process.env.BENCH_ROUNDS ?? 20);

async function oneRound(): Promise<number> {
  const client = createClient(url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as typeof globalThis.WebSocket },
  });
  try {
    const { error: signInError } = await client.auth.signInAnonymously();
    if (signInError) throw signInError;
    const { data: conversation, error } = await client.rpc('start_conversation', {});
    if (error) throw error;
    const { id, chatbot_enabled: enabled } = conversation as { id: string; chatbot_enabled: boolean };
    if (!enabled) throw new Error('the conversation started without the chatbot: is chatbot_start "always" (npm start on a fresh database)?');
    const session = (await client.auth.getSession()).data.session;
    if (session) await client.realtime.setAuth(session.access_token);
    let started = 0;
    let subscribed: Promise<void> = Promise.resolve();
    const answered = new Promise<number>((resolve) => {
      const channel = client.channel(`bench-bot-${id}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages', filter: `conversation_id=eq.${id}` }, (change) => {
          if ((change.new as { sender_type?: string }).sender_type === 'chatbot') resolve(performance.now() - started);
        });
      subscribed = new Promise((ready) => channel.subscribe((status) => { if (status === 'SUBSCRIBED') ready(); }));
    });
    await subscribed;
    started = performance.now();
    const { error: sendError } = await client.rpc('insert_message', {
      p_id: crypto.randomUUID(), p_conversation_id: id, p_content: 'How do I return a print?',
    });
    if (sendError) throw sendError;
    return await answered;
  } finally {
    await client.removeAllChannels();
  }
}
const times: number[] = [];
for (let round = 0; round < rounds; round++) times.push(await oneRound());
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
console.log(`bot answer over realtime, ${rounds} visitors: p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${at(1).toFixed(0)} ms`);
process.exit(0);

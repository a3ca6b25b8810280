/**
 * The history `bench:render` opens: one visitor's conversation grown to a given length straight in
 * PostgreSQL (as the superuser, through `private.append_message`, the function every send ends in,
 * so counters, previews and read markers stay as the app keeps them). Customer and agent take
 * turns in runs of one to three messages, as a real support chat does, with a link now and then,
 * spread over a few days so the thread has its day separators. Deterministic: every run seeds the
 * same text.
 */
import type pg from 'pg';

const LINES = [
  'Hi, I ordered a photo book last week and have not received a shipping email yet.',
  'Thanks for waiting! Let me look that up for you.',
  'It was the Layflat Signature, 30 × 30 cm, with the linen cover.',
  'I can see it: it left our Porto studio yesterday and is with the courier now.',
  'Great, is there a tracking number?',
  'Yes, you can follow it here: https://tracking.example.com/parcel/LP-2048-7781',
  'Perfect, thank you so much.',
  'Could I still change the delivery address? I will be at work on Thursday.',
  'Let me check with the courier whether that is possible.',
  'They can deliver to a pickup point near you instead, would that work?',
  'That would be great, the one on Rua Augusta if possible.',
  'Done. You will get an email with the new details within the hour.',
  'One more thing: the second copy, can it be gift wrapped?',
  'Of course, gift wrapping is free on orders over €60.',
  'Wonderful. Have a nice day!',
  'You too! Write again any time if something comes up.',
];

/** The content of the last seeded message: how the bench finds the conversation in the console. */
export function lastSeededText(total: number): string {
  return `Seeded message ${total}: the parcel is on its way, anything else I can help with?`;
}

/** Tiny deterministic generator (a linear congruential one), so every run seeds the same turns. */
function turns(count: number): ('customer' | 'agent')[] {
  let state = 12_345;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const out: ('customer' | 'agent')[] = [];
  let sender: 'customer' | 'agent' = 'agent';
  while (out.length < count) {
    const run = 1 + Math.floor(next() * 3);
    for (let i = 0; i < run && out.length < count; i += 1) out.push(sender);
    sender = sender === 'agent' ? 'customer' : 'agent';
  }
  return out;
}

export interface SeedTarget {
  readonly conversationId: string;
  /** The visitor's auth user id (the conversation's customer). */
  readonly customerId: string;
  readonly agentId: string;
  /** Length the conversation should reach, counting what it holds already. */
  readonly total: number;
}

/**
 * Appends messages until the conversation holds `total`, the last two from the agent (so the
 * visitor has replies to be badged for), then spreads all its timestamps 11 minutes apart ending now.
 */
export async function seedConversation(db: pg.Pool, { conversationId, customerId, agentId, total }: SeedTarget): Promise<void> {
  const client = await db.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from public.messages where conversation_id = $1', [conversationId]);
    const have = rows[0]?.n ?? 0;
    const senders = turns(Math.max(0, total - have));
    if (senders.length >= 2) senders.splice(-2, 2, 'agent', 'agent');
    for (const [i, sender] of senders.entries()) {
      const seq = have + i + 1;
      const content = seq === total ? lastSeededText(total) : `${LINES[seq % LINES.length]} (${seq})`;
      await client.query(
        "select private.append_message($1, gen_random_uuid(), $2, $3, $4, null, 'public')",
        [conversationId, sender, sender === 'agent' ? agentId : customerId, content],
      );
    }
    await client.query(
      "update public.messages set created_at = now() - (($2 - seq) * interval '11 minutes') where conversation_id = $1",
      [conversationId, total],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

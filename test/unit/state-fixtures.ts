import type { ConversationSummary, Message } from '../../src/data/types.ts';
import type { PendingMessage } from '../../src/state/thread.ts';

export const CONV = '00000000-0000-4000-8000-000000000001';

/** A confirmed message with a stable id derived from its seq (`m-<seq>`) unless given. */
export function msg(seq: number, over: Partial<Message> = {}): Message {
  return {
    id: `m-${seq}`,
    conversation_id: CONV,
    seq,
    visibility: 'public',
    sender_type: 'customer',
    sender_id: 'customer-1',
    content: `message ${seq}`,
    metadata: {}, attachments: [],
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    ...over,
  };
}

export function msgs(from: number, to: number): Message[] {
  const out: Message[] = [];
  for (let s = from; s <= to; s++) out.push(msg(s));
  return out;
}

export function pending(id: string, over: Partial<PendingMessage> = {}): PendingMessage {
  return {
    id,
    conversation_id: CONV,
    content: `pending ${id}`,
    metadata: {},
    visibility: 'public',
    sender_id: 'customer-1',
    created_at: '2026-01-01T00:00:00.000Z',
    state: 'sending',
    error: null,
    attempts: 1,
    ...over,
  };
}

export function conv(id: string, over: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id,
    customer_id: 'customer-1',
    status: 'open',
    assigned_agent_id: null,
    chatbot_enabled: false,
    subject: null,
    last_seq: 0,
    inbound_count: 0,
    last_message_at: '2026-01-01T00:00:00.000000+00:00',
    last_message_preview: null,
    created_at: '2026-01-01T00:00:00.000000+00:00',
    updated_at: '2026-01-01T00:00:00.000000+00:00',
    customer: null,
    ...over,
  };
}

/** Small seeded PRNG (mulberry32) so property tests are reproducible from the printed seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An in-memory Storage double that can also be made to throw. */
export class MemoryStorage {
  readonly items = new Map<string, string>();
  failWrites = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

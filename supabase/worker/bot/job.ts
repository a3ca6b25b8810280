/**
 * What claim_bot_jobs() and chatbot_worker_config() answer, validated: the answers cross the
 * network, so they are checked field by field, never cast.
 */

export interface BotJob {
  readonly message_id: string;
  readonly conversation_id: string;
  /** The customer's message ('' for a message that is only files). */
  readonly text: string;
  /** The id of the quick reply the customer tapped, if they tapped one. */
  readonly quick_reply: string | null;
  /** The visitor's language (primary subtag), as the built-in bot chose it. */
  readonly language: string;
  readonly customer: { readonly name?: string; readonly email?: string };
  /** The conversation's last 10 public messages, oldest first, this one last. */
  readonly recent: readonly { readonly sender_type: string; readonly text: string }[];
  /** How many times a worker has claimed this job, this claim included. */
  readonly attempts: number;
}

export interface BotConfig {
  readonly kind: 'builtin' | 'webhook';
  readonly webhookUrl: string | null;
  /** Null until an admin rotates the credentials. */
  readonly webhookSecret: string | null;
  readonly name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw new Error(`${what} is not a string of at most ${max} characters`);
  return value;
}

function optionalText(value: unknown, what: string, max: number): string | undefined {
  return value === undefined || value === null ? undefined : text(value, what, max);
}

export function parseBotJob(value: unknown): BotJob {
  const row = record(value, 'bot job');
  const id = text(row.message_id, 'message_id', 36);
  const conversation = text(row.conversation_id, 'conversation_id', 36);
  if (!UUID.test(id) || !UUID.test(conversation)) throw new Error('bot job ids are not UUIDs');
  const quickReply = optionalText(row.quick_reply, 'quick_reply', 32) ?? null;
  const customer = record(row.customer, 'customer');
  if (!Array.isArray(row.recent) || row.recent.length > 10) throw new Error('recent is not a list of at most 10 messages');
  const recent = row.recent.map((item: unknown, index) => {
    const message = record(item, `recent[${index}]`);
    return { sender_type: text(message.sender_type, 'sender_type', 16), text: text(message.text, 'text', 4000) };
  });
  if (typeof row.attempts !== 'number' || !Number.isInteger(row.attempts) || row.attempts < 1) throw new Error('attempts is not a count');
  const name = optionalText(customer.name, 'customer.name', 120);
  const email = optionalText(customer.email, 'customer.email', 254);
  return {
    message_id: id,
    conversation_id: conversation,
    text: text(row.text, 'text', 4000),
    quick_reply: quickReply,
    language: text(row.language, 'language', 35),
    customer: { ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email }) },
    recent,
    attempts: row.attempts,
  };
}

export function parseBotConfig(value: unknown): BotConfig {
  const row = record(value, 'bot configuration');
  if (row.kind !== 'builtin' && row.kind !== 'webhook') throw new Error('kind is neither builtin nor webhook');
  return {
    kind: row.kind,
    webhookUrl: optionalText(row.webhook_url, 'webhook_url', 2000) ?? null,
    webhookSecret: optionalText(row.webhook_secret, 'webhook_secret', 200) ?? null,
    name: text(row.name, 'name', 80),
  };
}

/**
 * What claim_reply_emails() hands the worker for one mail, validated: the RPC's answer crosses the
 * network, so it is checked field by field, never cast.
 */

export interface ReplyText {
  readonly seq: number;
  /** Empty when the reply is only files. */
  readonly content: string;
  /** The original names of the reply's files, as the visitor would see them. */
  readonly files: readonly string[];
  readonly agentName: string;
  readonly createdAt: string;
}

export interface ReplyEmailJob {
  readonly jobId: string;
  /** Which attempt this claim is; begin and complete name it so a stale claim cannot report. */
  readonly attempt: number;
  readonly conversationId: string;
  readonly email: string;
  readonly brandName: string;
  /** The workspace's default language (a BCP 47 tag); null where the database predates it (English then). */
  readonly language: string | null;
  readonly replies: readonly ReplyText[];
  /** The visitor's last page (http/https) from the visitor context, when known. */
  readonly pageUrl: string | null;
  readonly unsubscribeToken: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^[0-9a-f]{64}$/;
// workspace_settings_default_language_format's pattern, and its 35 characters.
const LANGUAGE = /^(?=.{2,35}$)[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string, pattern?: RegExp): string {
  if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value))) throw new Error(`${what} is not valid`);
  return value;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`${what} is not a whole number`);
  return value;
}

/** A database from before attachments sends no `files`: none. */
function fileNames(value: unknown): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error('reply files is not a list');
  return value.map((name) => text(name, 'reply file name'));
}

export function parseReplyEmailJob(value: unknown): ReplyEmailJob {
  const row = record(value, 'a claimed reply email');
  if (!Array.isArray(row.replies)) throw new Error('replies is not a list');
  const replies = row.replies.map((item, index): ReplyText => {
    const reply = record(item, `reply ${index}`);
    return {
      seq: integer(reply.seq, 'reply seq'),
      content: reply.content === null || reply.content === '' ? '' : text(reply.content, 'reply content'),
      files: fileNames(reply.files),
      agentName: text(reply.agent_name, 'reply agent_name'),
      createdAt: text(reply.created_at, 'reply created_at'),
    };
  });
  const language = row.language === null || row.language === undefined ? null : text(row.language, 'language', LANGUAGE);
  const pageUrl = row.page_url === null || row.page_url === undefined ? null : text(row.page_url, 'page_url', /^https?:\/\//);
  return {
    jobId: text(row.job_id, 'job_id', UUID),
    attempt: integer(row.attempt, 'attempt'),
    conversationId: text(row.conversation_id, 'conversation_id', UUID),
    email: text(row.email, 'email', /^[^@\s]+@[^@\s]+$/),
    brandName: text(row.brand_name, 'brand_name'),
    language,
    replies,
    pageUrl,
    unsubscribeToken: text(row.unsubscribe_token, 'unsubscribe_token', TOKEN),
  };
}

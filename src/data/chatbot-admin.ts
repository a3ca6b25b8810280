/**
 * The settings screen's chatbot data layer (issue 17): how new conversations start (with the bot or
 * not), which bot answers (the built-in one over the knowledge base, or a webhook), its name, the
 * knowledge base's articles, and the webhook's credentials. Console and admin only, loaded with the
 * settings screen's Chatbot section.
 *
 * As in admin-api.ts: settings are one PostgREST UPDATE of the `workspace_settings` row under RLS
 * (admins), articles are written directly under RLS (admins; agents read them), credentials come from
 * `rotate_chatbot_credentials()` once (the key is stored hashed, the secret readable by the service
 * role only). A refused write throws a {@link ParleyDataError} naming the field.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ParleyError } from './errors.ts';
import { call, invalidField, malformed, type ConstraintFields } from './admin-api.ts';
import { requireUuid } from './validate.ts';
import { CHATBOT_KINDS, CHATBOT_STARTS, type ChatbotKind, type ChatbotStart } from './chatbot-rules.ts';

// The vocabularies and bounds are the form rules' (chatbot-rules.ts), so the settings screen checks
// the same ones without loading this module's client code.
export { CHATBOT_KINDS, CHATBOT_LIMITS, CHATBOT_STARTS, type ChatbotKind, type ChatbotStart } from './chatbot-rules.ts';

export interface ChatbotSettings {
  readonly start: ChatbotStart;
  readonly kind: ChatbotKind;
  /** An http(s) URL of at most 2000 characters; required when `kind` is `webhook`. */
  readonly webhookUrl: string | null;
  /** The bot's name as visitors see it above its replies, 1..80 characters. */
  readonly name: string;
}

export interface KnowledgeArticle {
  readonly id: string;
  /** 1..300 characters: what a visitor would ask (weighs most in the search). */
  readonly question: string;
  /** 1..4000 characters: what the bot replies. */
  readonly answer: string;
  /** At most 10, each 1..40 characters. */
  readonly tags: readonly string[];
  /** The language it is written in (`en`, `pt-BR`): it is searched with that language's stemming. */
  readonly language: string;
  readonly updatedAt: string;
}

export type KnowledgeArticleInput = Pick<KnowledgeArticle, 'question' | 'answer' | 'tags' | 'language'>;

/** What `rotate_chatbot_credentials()` answers, once: the old ones stop working at that moment. */
export interface ChatbotCredentials {
  /** Signs the webhook's requests (HMAC-SHA256); the bot verifies them with it. */
  readonly webhookSecret: string;
  /** The bot's credential for `bot_reply`. */
  readonly botKey: string;
}

const SETTINGS_COLUMNS = {
  start: 'chatbot_start',
  kind: 'chatbot_kind',
  webhookUrl: 'chatbot_webhook_url',
  name: 'chatbot_name',
} as const satisfies Record<keyof ChatbotSettings, string>;

const SELECT_SETTINGS = Object.values(SETTINGS_COLUMNS).join(',');
const ARTICLE_COLUMNS = 'id,question,answer,tags,language,updated_at';

/** Constraint → field and message, for the chatbot's columns and the articles' table. */
const CONSTRAINTS: ConstraintFields = {
  workspace_settings_chatbot_start_known: ['start', 'Choose when the chatbot starts.'],
  workspace_settings_chatbot_kind_known: ['kind', 'Choose the built-in bot or a webhook.'],
  workspace_settings_chatbot_webhook_url_format: ['webhookUrl', 'Use an http(s) address of at most 2000 characters.'],
  workspace_settings_chatbot_webhook_url_required: ['webhookUrl', 'A webhook bot needs its address.'],
  workspace_settings_chatbot_name_length: ['name', 'The bot’s name must be 1 to 80 characters.'],
  knowledge_articles_question_length: ['question', 'The question must be 1 to 300 characters.'],
  knowledge_articles_answer_length: ['answer', 'The answer must be 1 to 4000 characters.'],
  knowledge_articles_tags_valid: ['tags', 'At most 10 tags, each 1 to 40 characters.'],
  knowledge_articles_language_format: ['language', 'Use a language tag such as en or pt-BR.'],
};

type Row = Readonly<Record<string, unknown>>;
const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): value is string => typeof value === 'string';
const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => (values as readonly unknown[]).includes(value);

function parseChatbotSettings(row: unknown): ChatbotSettings {
  if (!isRow(row) || !oneOf(CHATBOT_STARTS, row.chatbot_start) || !oneOf(CHATBOT_KINDS, row.chatbot_kind)
      || !(row.chatbot_webhook_url === null || str(row.chatbot_webhook_url)) || !str(row.chatbot_name)) {
    throw malformed('chatbot settings');
  }
  return { start: row.chatbot_start, kind: row.chatbot_kind, webhookUrl: row.chatbot_webhook_url, name: row.chatbot_name };
}

function parseArticle(row: unknown): KnowledgeArticle {
  if (!isRow(row) || !str(row.id) || !str(row.question) || !str(row.answer) || !Array.isArray(row.tags)
      || !row.tags.every(str) || !str(row.language) || !str(row.updated_at)) {
    throw malformed('knowledge article');
  }
  return { id: row.id, question: row.question, answer: row.answer, tags: row.tags as string[], language: row.language, updatedAt: row.updated_at };
}

function parseCredentials(value: unknown): ChatbotCredentials {
  if (!isRow(value) || !str(value.webhook_secret) || !str(value.bot_key) || value.webhook_secret === '' || value.bot_key === '') {
    throw malformed('chatbot credentials');
  }
  return { webhookSecret: value.webhook_secret, botKey: value.bot_key };
}

/** Columns for an article write: only the known fields, each of its type; tags trimmed, blanks dropped. */
function articleColumns(changes: Partial<KnowledgeArticleInput>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const field of ['question', 'answer', 'language'] as const) {
    const value: unknown = changes[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidField(field, `The ${field} must be text`, `${field}_invalid`);
    columns[field] = field === 'answer' ? value : value.trim();
  }
  if (changes.tags !== undefined) {
    const tags: unknown = changes.tags;
    if (!Array.isArray(tags) || !tags.every(str)) throw invalidField('tags', 'Tags must be text', 'tags_invalid');
    columns.tags = [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
  }
  return columns;
}

/** Builds the chatbot's admin data layer for one signed-in console client. */
export function createChatbotAdminApi(client: SupabaseClient) {
  return {
    /** The chatbot settings (agents read them; others: `forbidden`). */
    async chatbotSettings(): Promise<ChatbotSettings> {
      const row = await call<unknown>(client.from('workspace_settings').select(SELECT_SETTINGS).maybeSingle().retry(false), CONSTRAINTS);
      if (row === null) throw new ParleyError({ kind: 'forbidden', message: 'Only agents can read the chatbot settings.', reason: 'agent_required', status: 403 });
      return parseChatbotSettings(row);
    },

    /** Changes the given chatbot settings (admins only) and returns them as stored. */
    async updateChatbotSettings(changes: Partial<ChatbotSettings>): Promise<ChatbotSettings> {
      const columns: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        const column = (SETTINGS_COLUMNS as Readonly<Record<string, string>>)[key];
        if (!column) throw invalidField(key, `${key} is not a chatbot setting`, 'setting_unknown');
        columns[column] = typeof value === 'string' && key === 'webhookUrl' && value.trim() === '' ? null : value;
      }
      const row = await call<unknown>(client.from('workspace_settings').update(columns).eq('id', true).select(SELECT_SETTINGS).maybeSingle(), CONSTRAINTS);
      if (row === null) throw new ParleyError({ kind: 'forbidden', message: 'Only admins can change the chatbot settings.', reason: 'admin_required', status: 403 });
      return parseChatbotSettings(row);
    },

    /**
     * The knowledge base, newest change first (agents read it). `query` keeps the articles whose
     * question, answer or tags contain it, ignoring case (filtered here: a knowledge base is small).
     */
    async knowledgeArticles(query = ''): Promise<KnowledgeArticle[]> {
      const rows = (await call<unknown[]>(client.from('knowledge_articles').select(ARTICLE_COLUMNS)
        .order('updated_at', { ascending: false }).order('id').retry(false), CONSTRAINTS)).map(parseArticle);
      const needle = query.trim().toLocaleLowerCase();
      if (!needle) return rows;
      return rows.filter((a) => [a.question, a.answer, ...a.tags].some((text) => text.toLocaleLowerCase().includes(needle)));
    },

    /** Admins only; the table's limits (field errors `question`, `answer`, `tags`, `language`). */
    async createKnowledgeArticle(input: KnowledgeArticleInput): Promise<KnowledgeArticle> {
      return parseArticle(await call<unknown>(client.from('knowledge_articles').insert(articleColumns(input)).select(ARTICLE_COLUMNS).single(), CONSTRAINTS));
    },

    /** Admins only; `not-found` when there is no such article (or the caller may not change it). */
    async updateKnowledgeArticle(id: string, changes: Partial<KnowledgeArticleInput>): Promise<KnowledgeArticle> {
      const columns = articleColumns(changes);
      if (Object.keys(columns).length === 0) throw invalidField('question', 'Nothing to change', 'changes_empty');
      const row = await call<unknown>(client.from('knowledge_articles').update(columns)
        .eq('id', requireUuid(id, 'Article id')).select(ARTICLE_COLUMNS).maybeSingle(), CONSTRAINTS);
      if (row === null) throw new ParleyError({ kind: 'not-found', message: 'That article does not exist, or you may not change it.', reason: 'article_not_found', status: 404 });
      return parseArticle(row);
    },

    /** Admins only; `not-found` as for updateKnowledgeArticle. */
    async deleteKnowledgeArticle(id: string): Promise<void> {
      const rows = await call<unknown[]>(client.from('knowledge_articles').delete().eq('id', requireUuid(id, 'Article id')).select('id'), CONSTRAINTS);
      if (rows.length === 0) throw new ParleyError({ kind: 'not-found', message: 'That article does not exist, or you may not delete it.', reason: 'article_not_found', status: 404 });
    },

    /**
     * New webhook secret and bot key (admins only), shown once: the previous ones stop working.
     * Nothing can read them back later; rotate again to get new ones.
     */
    async rotateChatbotCredentials(): Promise<ChatbotCredentials> {
      return parseCredentials(await call<unknown>(client.rpc('rotate_chatbot_credentials', {}), CONSTRAINTS));
    },
  };
}

/** The chatbot's admin data layer; see {@link createChatbotAdminApi}. */
export type ChatbotAdminApi = ReturnType<typeof createChatbotAdminApi>;

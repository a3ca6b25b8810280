/**
 * What `<parley-settings>` needs from the data layer, as a structural interface: the admin API of
 * issue 14 (`createAdminApi(client)` in src/data/admin-api.ts) satisfies it, and tests pass an
 * in-memory one. Names and shapes follow the issue 14 contract; methods whose answer the screen does
 * not read return `Promise<unknown>` so any richer answer fits.
 *
 * A refused write rejects with an error carrying `field` (a field name of src/data/settings-rules.ts,
 * such as `brandName` or `shortcut`) when the database said which field was wrong, and a `message`
 * fit to show; see {@link refusedField}.
 */
import type { AgentRole, CsatSummary, WorkspaceSettings } from '../../data/admin-types.ts';
import type { ChatbotCredentials, ChatbotSettings, KnowledgeArticle, KnowledgeArticleInput } from '../../data/chatbot-admin.ts';

export type { AgentRole, ReplyTime, Weekday } from '../../data/admin-types.ts';
export type { PreChatMode } from '../../data/settings-rules.ts';

// The settings' own shapes are the data layer's; the team and canned replies below are only what
// the screen reads, so any richer answer fits.
export type { BusinessHours, CsatSummary, WidgetSettings, WorkspaceSettings } from '../../data/admin-types.ts';
export type { ChatbotCredentials, ChatbotSettings, KnowledgeArticle, KnowledgeArticleInput } from '../../data/chatbot-admin.ts';

export interface TeamMember {
  readonly userId: string;
  readonly displayName: string;
  readonly avatarUrl: string | null;
  readonly role: AgentRole;
  /** False once deactivated: the agent keeps their name on past messages and loses all access. */
  readonly active: boolean;
  readonly email?: string | null;
}

/** A pending invitation (accepted and revoked ones are not listed). */
export interface Invitation {
  readonly id: string;
  readonly email: string;
  readonly role: AgentRole;
}

export interface CannedReply {
  readonly id: string;
  readonly shortcut: string;
  readonly title: string;
  readonly body: string;
}

export type CannedReplyFields = Pick<CannedReply, 'shortcut' | 'title' | 'body'>;

export interface OwnProfile {
  readonly displayName: string;
  readonly avatarUrl: string | null;
}

/**
 * The chatbot's admin API (`createChatbotAdminApi(client)` in src/data/chatbot-admin.ts). A source
 * without it shows no Chatbot section.
 */
export interface ChatbotSource {
  chatbotSettings(): Promise<ChatbotSettings>;
  updateChatbotSettings(changes: Partial<ChatbotSettings>): Promise<ChatbotSettings>;
  knowledgeArticles(query?: string): Promise<readonly KnowledgeArticle[]>;
  createKnowledgeArticle(input: KnowledgeArticleInput): Promise<KnowledgeArticle>;
  updateKnowledgeArticle(id: string, changes: Partial<KnowledgeArticleInput>): Promise<KnowledgeArticle>;
  deleteKnowledgeArticle(id: string): Promise<unknown>;
  rotateChatbotCredentials(): Promise<ChatbotCredentials>;
}

const CHATBOT_METHODS = [
  'chatbotSettings', 'updateChatbotSettings', 'knowledgeArticles', 'createKnowledgeArticle', 'updateKnowledgeArticle',
  'deleteKnowledgeArticle', 'rotateChatbotCredentials',
] as const satisfies readonly (keyof ChatbotSource)[];

/** Whether `source` also speaks the chatbot's admin API. */
export function hasChatbot(source: SettingsSource): source is SettingsSource & ChatbotSource {
  return CHATBOT_METHODS.every((name) => typeof source[name] === 'function');
}

/** The admin API methods the settings screen calls. */
export interface SettingsSource extends Partial<ChatbotSource> {
  settings(): Promise<WorkspaceSettings>;
  updateSettings(changes: Partial<WorkspaceSettings>): Promise<WorkspaceSettings>;
  team(): Promise<readonly TeamMember[]>;
  invitations(): Promise<readonly Invitation[]>;
  invite(email: string, role: AgentRole): Promise<Invitation>;
  revokeInvitation(id: string): Promise<unknown>;
  setRole(agentId: string, role: AgentRole): Promise<unknown>;
  setActive(agentId: string, active: boolean): Promise<unknown>;
  updateOwnProfile(profile: OwnProfile): Promise<unknown>;
  cannedReplies(query?: string): Promise<readonly CannedReply[]>;
  createCannedReply(reply: CannedReplyFields): Promise<CannedReply>;
  updateCannedReply(id: string, changes: Partial<CannedReplyFields>): Promise<CannedReply>;
  deleteCannedReply(id: string): Promise<unknown>;
  /** CSAT's average and count over the last `days` days; a source without it shows no summary. */
  csatSummary?(days: number): Promise<CsatSummary>;
}

/** A refusal as the screen shows it: the field it belongs to (when known) and a message. */
export interface Refusal {
  readonly field: string | null;
  readonly message: string;
  /** Machine-readable reason (`last_admin`, a Postgres code…), when the error carried one. */
  readonly reason: string | null;
}

const FALLBACK_MESSAGE = 'Something went wrong. Please try again.';

/** Reads whatever a SettingsSource rejected with (a ParleyError with `field`, or anything else). */
export function refusedField(error: unknown): Refusal {
  if (typeof error !== 'object' || error === null) return { field: null, message: FALLBACK_MESSAGE, reason: null };
  const record = error as Record<string, unknown>;
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return { field: text(record.field), message: text(record.message) ?? FALLBACK_MESSAGE, reason: text(record.reason) };
}

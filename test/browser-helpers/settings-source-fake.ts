/**
 * An in-memory SettingsSource for `<parley-settings>`'s element suite: records every call, can
 * refuse the next call of a method the way the admin API does (an error with `field`, `message`,
 * `reason`), and can hold a call open so a test sees the form while it saves.
 */
import type {
  AgentRole, CannedReply, CannedReplyFields, ChatbotCredentials, ChatbotSettings, Invitation, KnowledgeArticle, KnowledgeArticleInput,
  OwnProfile, SettingsSource, TeamMember, WorkspaceSettings,
} from '../../src/elements/settings/settings-source.ts';
import { DEFAULT_SETTINGS } from '../../src/elements/settings/settings-store.ts';

export interface FakeCall {
  readonly method: keyof SettingsSource;
  readonly args: readonly unknown[];
}

export class FieldRefusal extends Error {
  override readonly name = 'ParleyError';
  readonly kind = 'invalid';
  constructor(readonly field: string | null, message: string, readonly reason: string | null = null) {
    super(message);
  }
}

export const SELF_ID = '00000000-0000-4000-8000-000000000001';
export const OTHER_ID = '00000000-0000-4000-8000-000000000002';

export class FakeSettingsSource implements SettingsSource {
  calls: FakeCall[] = [];
  stored: WorkspaceSettings = { ...DEFAULT_SETTINGS, updatedAt: '2026-12-01T00:00:00Z' };
  members: TeamMember[] = [
    { userId: SELF_ID, displayName: 'Ada Admin', avatarUrl: null, role: 'admin', active: true, email: 'ada@example.com' },
    { userId: OTHER_ID, displayName: 'Sam Agent', avatarUrl: null, role: 'agent', active: true, email: 'sam@example.com' },
  ];
  pending: Invitation[] = [{ id: 'inv-1', email: 'lee@example.com', role: 'agent' }];
  replies: CannedReply[] = [
    { id: 'c-1', shortcut: 'refund', title: 'Refunds', body: 'We refund within 14 days.' },
    { id: 'c-2', shortcut: 'hours', title: 'Opening hours', body: 'We are open 9 to 5.' },
  ];
  chatbot: ChatbotSettings = { start: 'never', kind: 'builtin', webhookUrl: null, name: 'Assistant' };
  articles: KnowledgeArticle[] = [
    { id: 'a-1', question: 'How long does shipping take?', answer: 'Prints ship within 2 working days.', tags: ['shipping'], language: 'en', updatedAt: '2026-12-01T00:00:00Z' },
    { id: 'a-2', question: 'Can I return a print?', answer: 'Yes, within 30 days.', tags: ['returns', 'refunds'], language: 'en', updatedAt: '2026-12-01T00:00:00Z' },
  ];
  rotations = 0;
  #refusals = new Map<keyof SettingsSource, Error>();
  #holds = new Map<keyof SettingsSource, Promise<void>>();
  #nextId = 10;

  /** The next call of `method` rejects with `error`. */
  refuseNext(method: keyof SettingsSource, error: Error): void {
    this.#refusals.set(method, error);
  }

  /** The next call of `method` waits until the returned function is called. */
  holdNext(method: keyof SettingsSource): () => void {
    let release = (): void => undefined;
    this.#holds.set(method, new Promise<void>((resolve) => (release = resolve)));
    return release;
  }

  callsOf(method: keyof SettingsSource): FakeCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async #enter(method: keyof SettingsSource, args: readonly unknown[]): Promise<void> {
    this.calls.push({ method, args });
    const hold = this.#holds.get(method);
    this.#holds.delete(method);
    if (hold) await hold;
    const refusal = this.#refusals.get(method);
    this.#refusals.delete(method);
    if (refusal) throw refusal;
  }

  async settings(): Promise<WorkspaceSettings> {
    await this.#enter('settings', []);
    return this.stored;
  }

  async updateSettings(changes: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
    await this.#enter('updateSettings', [changes]);
    this.stored = { ...this.stored, ...changes, updatedAt: new Date(0).toISOString() };
    return this.stored;
  }

  async team(): Promise<readonly TeamMember[]> {
    await this.#enter('team', []);
    return this.members.map((m) => ({ ...m }));
  }

  async invitations(): Promise<readonly Invitation[]> {
    await this.#enter('invitations', []);
    return [...this.pending];
  }

  async invite(email: string, role: AgentRole): Promise<Invitation> {
    await this.#enter('invite', [email, role]);
    const invitation = { id: `inv-${this.#nextId++}`, email, role };
    this.pending.push(invitation);
    return invitation;
  }

  async revokeInvitation(id: string): Promise<void> {
    await this.#enter('revokeInvitation', [id]);
    this.pending = this.pending.filter((i) => i.id !== id);
  }

  async setRole(agentId: string, role: AgentRole): Promise<void> {
    await this.#enter('setRole', [agentId, role]);
    this.members = this.members.map((m) => (m.userId === agentId ? { ...m, role } : m));
  }

  async setActive(agentId: string, active: boolean): Promise<void> {
    await this.#enter('setActive', [agentId, active]);
    this.members = this.members.map((m) => (m.userId === agentId ? { ...m, active } : m));
  }

  async updateOwnProfile(profile: OwnProfile): Promise<void> {
    await this.#enter('updateOwnProfile', [profile]);
    this.members = this.members.map((m) => (m.userId === SELF_ID ? { ...m, ...profile } : m));
  }

  async cannedReplies(query?: string): Promise<readonly CannedReply[]> {
    await this.#enter('cannedReplies', [query]);
    const q = query?.toLowerCase();
    return this.replies.filter((r) => !q || `${r.shortcut} ${r.title} ${r.body}`.toLowerCase().includes(q));
  }

  async createCannedReply(reply: CannedReplyFields): Promise<CannedReply> {
    await this.#enter('createCannedReply', [reply]);
    const created = { id: `c-${this.#nextId++}`, ...reply };
    this.replies.push(created);
    return created;
  }

  async updateCannedReply(id: string, changes: Partial<CannedReplyFields>): Promise<CannedReply> {
    await this.#enter('updateCannedReply', [id, changes]);
    const index = this.replies.findIndex((r) => r.id === id);
    const updated = { ...this.replies[index], ...changes } as CannedReply;
    this.replies[index] = updated;
    return updated;
  }

  async deleteCannedReply(id: string): Promise<void> {
    await this.#enter('deleteCannedReply', [id]);
    this.replies = this.replies.filter((r) => r.id !== id);
  }

  async chatbotSettings(): Promise<ChatbotSettings> {
    await this.#enter('chatbotSettings', []);
    return this.chatbot;
  }

  async updateChatbotSettings(changes: Partial<ChatbotSettings>): Promise<ChatbotSettings> {
    await this.#enter('updateChatbotSettings', [changes]);
    this.chatbot = { ...this.chatbot, ...changes };
    return this.chatbot;
  }

  async knowledgeArticles(query?: string): Promise<readonly KnowledgeArticle[]> {
    await this.#enter('knowledgeArticles', [query]);
    const q = query?.toLowerCase();
    return this.articles.filter((a) => !q || `${a.question} ${a.answer} ${a.tags.join(' ')}`.toLowerCase().includes(q));
  }

  async createKnowledgeArticle(input: KnowledgeArticleInput): Promise<KnowledgeArticle> {
    await this.#enter('createKnowledgeArticle', [input]);
    const created = { id: `a-${this.#nextId++}`, ...input, tags: [...input.tags], updatedAt: new Date(0).toISOString() };
    this.articles.unshift(created);
    return created;
  }

  async updateKnowledgeArticle(id: string, changes: Partial<KnowledgeArticleInput>): Promise<KnowledgeArticle> {
    await this.#enter('updateKnowledgeArticle', [id, changes]);
    const index = this.articles.findIndex((a) => a.id === id);
    const updated = { ...this.articles[index], ...changes } as KnowledgeArticle;
    this.articles[index] = updated;
    return updated;
  }

  async deleteKnowledgeArticle(id: string): Promise<void> {
    await this.#enter('deleteKnowledgeArticle', [id]);
    this.articles = this.articles.filter((a) => a.id !== id);
  }

  async rotateChatbotCredentials(): Promise<ChatbotCredentials> {
    await this.#enter('rotateChatbotCredentials', []);
    this.rotations += 1;
    return { webhookSecret: `whsec_${this.rotations}_secret`, botKey: `bot_${this.rotations}_key` };
  }
}

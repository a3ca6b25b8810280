/**
 * An in-memory SettingsSource for `<parley-settings>`'s element suite: records every call, can
 * refuse the next call of a method the way the admin API does (an error with `field`, `message`,
 * `reason`), and can hold a call open so a test sees the form while it saves.
 */
import type {
  AgentRole, CannedReply, CannedReplyFields, Invitation, OwnProfile, SettingsSource, TeamMember, WorkspaceSettings,
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
}

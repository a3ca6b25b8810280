/**
 * The admin screen's data layer (issue 14): workspace settings, the team, invitations and canned
 * replies over supabase-js. Console and admin only: the visitor's launcher never imports it (it
 * reads its settings through widget-settings.ts).
 *
 * Choices, as the migration 20261230000001_workspace_admin.sql makes them:
 * - Settings are changed with a PostgREST UPDATE of the one `workspace_settings` row, under RLS
 *   (admins only). Each rule is a named check constraint; a refused change throws a
 *   {@link ParleyDataError} whose `field` is the setting's name here (`brandName`, `businessHours`…),
 *   with the database's explanation for business hours ("mon has overlapping or unordered ranges").
 * - The team changes only through RPCs (`set_agent_role`, `set_agent_active`, `update_own_profile`,
 *   `invite_agent`, `revoke_invitation`); the last active admin can be neither demoted nor
 *   deactivated (reason `last_admin`).
 * - Canned replies are written directly under RLS (admins); agents read them.
 * Every function throws `ParleyError` (a `ParleyDataError` when one field is to blame).
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { ParleyError, toParleyError, type ParleyErrorInit } from './errors.ts';
import { requireUuid } from './validate.ts';
import { parseWidgetSettings } from './widget-settings.ts';
import {
  AGENT_ROLES,
  type AgentRole, type CannedReplyEntry, type CsatSummary, type CannedReplyInput, type Invitation, type TeamMember,
  type WorkspaceSettings, type WorkspaceSettingsChanges,
} from './admin-types.ts';

/** A `ParleyError` that names the field to blame (the form shows the message next to it), if one is. */
export class ParleyDataError extends ParleyError {
  /** The field's name in the API's objects (`brandName`, `email`, `shortcut`…), or null. */
  readonly field: string | null;

  constructor(init: ParleyErrorInit & { readonly field: string | null }) {
    super(init);
    this.field = init.field;
  }
}

/** Settings fields and their columns. */
const SETTINGS_COLUMNS = {
  brandName: 'brand_name',
  greeting: 'greeting',
  intro: 'intro',
  accentColor: 'accent_color',
  showTeamAvatars: 'show_team_avatars',
  replyTime: 'reply_time',
  businessHours: 'business_hours',
  awayMessage: 'away_message',
  preChat: 'pre_chat',
  csatEnabled: 'csat_enabled',
  csatScale: 'csat_scale',
  defaultLanguage: 'default_language',
  autoAssign: 'auto_assign',
  replyEmailAfterMinutes: 'reply_email_after_minutes',
  replyEmailIntervalMinutes: 'reply_email_interval_minutes',
  attachmentMaxBytes: 'attachment_max_bytes',
  attachmentTypes: 'attachment_types',
} as const satisfies Record<keyof WorkspaceSettingsChanges, string>;

/** Constraint → field and the message a person reads next to it. */
const CONSTRAINTS: Readonly<Record<string, readonly [string, string]>> = {
  workspace_settings_brand_name_length: ['brandName', 'Brand name must be 1 to 80 characters.'],
  workspace_settings_greeting_length: ['greeting', 'Greeting must be 1 to 120 characters.'],
  workspace_settings_intro_length: ['intro', 'Intro must be at most 500 characters.'],
  workspace_settings_accent_color_format: ['accentColor', 'Accent colour must be a lower-case #rrggbb colour.'],
  workspace_settings_reply_time_known: ['replyTime', 'Reply time must be minutes, hour, day or unknown.'],
  workspace_settings_business_hours_valid: ['businessHours', 'Business hours are not valid.'],
  workspace_settings_away_message_length: ['awayMessage', 'Away message must be at most 500 characters.'],
  workspace_settings_pre_chat_known: ['preChat', 'Pre-chat must be none, optional or required.'],
  workspace_settings_csat_scale_known: ['csatScale', 'The rating scale must have 3 or 5 steps.'],
  workspace_settings_default_language_format: ['defaultLanguage', 'Language must be a language tag such as en or pt-BR.'],
  workspace_settings_reply_email_after_minutes_range: ['replyEmailAfterMinutes', 'Reply emails wait 0 (off) to 10080 minutes.'],
  workspace_settings_reply_email_interval_minutes_range: ['replyEmailIntervalMinutes', 'Reply emails are at least 5 and at most 10080 minutes apart.'],
  workspace_settings_attachment_max_bytes_range: ['attachmentMaxMb', 'Files can be at most 0.001 to 10 MB.'],
  workspace_settings_attachment_types_known: ['attachmentTypes', 'Only the listed kinds of files can be allowed.'],
  canned_responses_shortcut_check: ['shortcut', 'Shortcut must be 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit.'],
  canned_responses_shortcut_key: ['shortcut', 'Another canned reply already uses this shortcut.'],
  canned_responses_title_check: ['title', 'Title must be 1 to 120 characters.'],
  canned_responses_title_length: ['title', 'Title must be 1 to 120 characters.'],
  canned_responses_body_check: ['body', 'Reply must be 1 to 4000 characters.'],
};

/** RPC reasons → field. */
const REASON_FIELDS: Readonly<Record<string, string>> = {
  email_invalid: 'email',
  already_agent: 'email',
  already_invited: 'email',
  role_invalid: 'role',
  display_name_invalid: 'displayName',
  avatar_url_invalid: 'avatarUrl',
  active_invalid: 'active',
};

const CONSTRAINT_NAME = /"([a-z0-9_]+)"/g;

/** Constraint → field and the message a person reads next to it (other admin modules pass their own). */
export type ConstraintFields = Readonly<Record<string, readonly [string, string]>>;

/** The ParleyError of a failed call, with the field to blame when the database named one. */
function withField(error: unknown, status: number | undefined, constraints: ConstraintFields): ParleyError {
  const base = toParleyError(error, status);
  const cause = base.cause as { message?: unknown; details?: unknown } | undefined;
  const text = `${typeof cause?.message === 'string' ? cause.message : ''} ${typeof cause?.details === 'string' ? cause.details : ''}`;
  for (const [, name] of text.matchAll(CONSTRAINT_NAME)) {
    const known = name === undefined ? undefined : constraints[name];
    if (!known) continue;
    const [field, message] = known;
    // Business hours: the database says what is wrong ("mon has overlapping or unordered ranges").
    const own = typeof cause?.message === 'string' && field === 'businessHours'
      ? cause.message.replace(/\s*\(check constraint "[a-z_]+"\)$/, '.') : message;
    return new ParleyDataError({ kind: base.kind, message: own, reason: name, status: base.status, field, cause: base });
  }
  const field = base.reason === null ? undefined : REASON_FIELDS[base.reason];
  if (field) return new ParleyDataError({ kind: base.kind, message: base.message, reason: base.reason, status: base.status, field, cause: base });
  return base;
}

/** `run` with field mapping, by `constraints` (this module's by default). */
export async function call<T>(request: PromiseLike<{ data: unknown; error: unknown; status: number }>, constraints: ConstraintFields = CONSTRAINTS): Promise<T> {
  let answer: { data: unknown; error: unknown; status: number };
  try {
    answer = await request;
  } catch (error) {
    throw toParleyError(error);
  }
  if (answer.error) throw withField(answer.error, answer.status, constraints);
  return answer.data as T;
}

export function invalidField(field: string, message: string, reason: string): ParleyDataError {
  return new ParleyDataError({ kind: 'invalid', message, reason, field });
}

export function malformed(what: string): ParleyError {
  return new ParleyError({ kind: 'server', message: `The ${what} could not be read.`, reason: 'payload_invalid' });
}

type Row = Readonly<Record<string, unknown>>;
const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): value is string => typeof value === 'string';
const strOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';
const isRole = (value: unknown): value is AgentRole => (AGENT_ROLES as readonly unknown[]).includes(value);

const minutes = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function parseSettings(row: unknown): WorkspaceSettings {
  const widget = parseWidgetSettings(row);
  if (!widget || !isRow(row) || typeof row.auto_assign !== 'boolean' || !str(row.updated_at)
      || !(row.reply_email_after_minutes === null || minutes(row.reply_email_after_minutes))
      || !minutes(row.reply_email_interval_minutes)
      || !minutes(row.attachment_max_bytes)
      || !Array.isArray(row.attachment_types) || !row.attachment_types.every(str)) {
    throw malformed('workspace settings');
  }
  return {
    ...widget,
    autoAssign: row.auto_assign,
    // Null and 0 both mean off in the database; the screen has one way to say it.
    replyEmailAfterMinutes: row.reply_email_after_minutes ?? 0,
    replyEmailIntervalMinutes: row.reply_email_interval_minutes,
    attachmentMaxBytes: row.attachment_max_bytes,
    attachmentTypes: row.attachment_types as string[],
    updatedAt: row.updated_at,
  };
}

const MEMBER_COLUMNS = 'user_id,display_name,avatar_url,role,active,deactivated_at,created_at';

function parseMember(row: unknown): TeamMember {
  if (!isRow(row) || !str(row.user_id) || !str(row.display_name) || !strOrNull(row.avatar_url) || !isRole(row.role)
      || typeof row.active !== 'boolean' || !strOrNull(row.deactivated_at) || !str(row.created_at)) {
    throw malformed('team member');
  }
  return {
    userId: row.user_id, displayName: row.display_name, avatarUrl: row.avatar_url, role: row.role,
    active: row.active, deactivatedAt: row.deactivated_at, createdAt: row.created_at,
  };
}

const INVITATION_COLUMNS = 'id,email,role,display_name,invited_by,created_at,accepted_at,accepted_by,revoked_at';

function parseInvitation(row: unknown): Invitation {
  if (!isRow(row) || !str(row.id) || !str(row.email) || !isRole(row.role) || !strOrNull(row.display_name)
      || !strOrNull(row.invited_by) || !str(row.created_at) || !strOrNull(row.accepted_at)
      || !strOrNull(row.accepted_by) || !strOrNull(row.revoked_at)) {
    throw malformed('invitation');
  }
  return {
    id: row.id, email: row.email, role: row.role, displayName: row.display_name, invitedBy: row.invited_by,
    createdAt: row.created_at, acceptedAt: row.accepted_at, acceptedBy: row.accepted_by, revokedAt: row.revoked_at,
  };
}

const CANNED_COLUMNS = 'id,shortcut,title,body,updated_at';

function parseCanned(row: unknown): CannedReplyEntry {
  if (!isRow(row) || !str(row.id) || !str(row.shortcut) || !str(row.title) || !str(row.body) || !str(row.updated_at)) {
    throw malformed('canned reply');
  }
  return { id: row.id, shortcut: row.shortcut, title: row.title, body: row.body, updatedAt: row.updated_at };
}

function requireRole(role: unknown): AgentRole {
  if (!isRole(role)) throw invalidField('role', 'Role must be agent or admin', 'role_invalid');
  return role;
}

/** Columns for a canned-reply write; only the known fields, each a string. */
function cannedColumns(changes: Partial<CannedReplyInput>): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const field of ['shortcut', 'title', 'body'] as const) {
    const value: unknown = changes[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalidField(field, `The ${field} must be text`, `${field}_invalid`);
    columns[field] = value;
  }
  return columns;
}

/** `csat_summary()`'s object, checked; null when anything is off. */
export function parseCsatSummary(value: unknown): CsatSummary | null {
  if (typeof value !== 'object' || value === null) return null;
  const { days, scale, count, average } = value as Record<string, unknown>;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (!whole(days) || !whole(scale) || !whole(count)) return null;
  if (average !== null && (typeof average !== 'number' || !Number.isFinite(average))) return null;
  return { days, scale, count, average };
}

/** Builds the admin data layer for one signed-in console client. */
export function createAdminApi(client: SupabaseClient) {
  /** The workspace settings. Active agents only (others: `forbidden`, reason `agent_required`). */
  const settings = async (): Promise<WorkspaceSettings> => {
    const row = await call<unknown>(client.from('workspace_settings').select('*').maybeSingle().retry(false));
    if (row === null) throw new ParleyError({ kind: 'forbidden', message: 'Only agents can read the workspace settings.', reason: 'agent_required', status: 403 });
    return parseSettings(row);
  };

  return {
    settings,

    /**
     * The average score (on the current scale) and the count of the ratings of the last `days`
     * days, 1 to 366 (agents only). Throws `ParleyError`; an answer of another shape is `server`.
     */
    async csatSummary(days: number): Promise<CsatSummary> {
      const summary = parseCsatSummary(await call<unknown>(client.rpc('csat_summary', { p_days: days }).retry(false)));
      if (!summary) throw new ParleyError({ kind: 'server', message: 'The ratings summary could not be read.', reason: 'summary_invalid' });
      return summary;
    },

    /**
     * Changes the given settings (admins only) and returns the stored row. A refused value throws a
     * {@link ParleyDataError} naming the field; nothing is stored then. Unknown keys are refused
     * before any request; an empty change returns the current settings.
     */
    async updateSettings(changes: WorkspaceSettingsChanges): Promise<WorkspaceSettings> {
      const columns: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        const column = (SETTINGS_COLUMNS as Readonly<Record<string, string>>)[key];
        if (!column) throw invalidField(key, `${key} is not a setting`, 'setting_unknown');
        columns[column] = value;
      }
      if (Object.keys(columns).length === 0) return settings();
      const row = await call<unknown>(client.from('workspace_settings').update(columns).eq('id', true).select('*').maybeSingle());
      if (row === null) throw new ParleyError({ kind: 'forbidden', message: 'Only admins can change the workspace settings.', reason: 'admin_required', status: 403 });
      return parseSettings(row);
    },

    /** Everyone on the team, active or not, by name (agents only; empty otherwise). Emails are not readable. */
    async team(): Promise<TeamMember[]> {
      const rows = await call<unknown[]>(client.from('agents').select(MEMBER_COLUMNS).order('display_name').order('user_id').retry(false));
      return rows.map(parseMember);
    },

    /** Pending invitations, newest first (admins only; empty otherwise). */
    async invitations(): Promise<Invitation[]> {
      const rows = await call<unknown[]>(client.from('agent_invitations').select(INVITATION_COLUMNS)
        .is('accepted_at', null).is('revoked_at', null).order('created_at', { ascending: false }).retry(false));
      return rows.map(parseInvitation);
    },

    /**
     * Invites an address (admins only). When that person signs up, confirms the address or next
     * signs in, the database makes them an agent with `role` (named `displayName`, else their sign-up
     * name, else the address's local part). Refused: `email_invalid`, `already_agent`,
     * `already_invited`, `role_invalid` (field `email`/`role`).
     */
    async invite(email: string, role: AgentRole, displayName: string | null = null): Promise<Invitation> {
      if (typeof email !== 'string') throw invalidField('email', 'Email address is not valid', 'email_invalid');
      return parseInvitation(await call<unknown>(client.rpc('invite_agent', {
        p_email: email, p_role: requireRole(role), p_display_name: displayName,
      })));
    },

    /** Withdraws a pending invitation (admins only); `invitation_accepted` once accepted. */
    async revokeInvitation(id: string): Promise<Invitation> {
      return parseInvitation(await call<unknown>(client.rpc('revoke_invitation', { p_id: requireUuid(id, 'Invitation id') })));
    },

    /** Admins only; `last_admin` when it would leave no active admin. */
    async setRole(agentId: string, role: AgentRole): Promise<TeamMember> {
      return parseMember(await call<unknown>(client.rpc('set_agent_role', { p_agent_id: requireUuid(agentId, 'Agent id'), p_role: requireRole(role) })));
    },

    /**
     * Admins only. Deactivating takes every agent access away at once (REST and realtime); the
     * agent's conversations and their name on past messages stay. `last_admin` as for setRole.
     */
    async setActive(agentId: string, active: boolean): Promise<TeamMember> {
      if (typeof active !== 'boolean') throw invalidField('active', 'Say whether the agent is active', 'active_invalid');
      return parseMember(await call<unknown>(client.rpc('set_agent_active', { p_agent_id: requireUuid(agentId, 'Agent id'), p_active: active })));
    },

    /** The signed-in agent's own name (1..80) and avatar (an http(s) URL or null). */
    async updateOwnProfile(profile: { readonly displayName: string; readonly avatarUrl: string | null }): Promise<TeamMember> {
      return parseMember(await call<unknown>(client.rpc('update_own_profile', {
        p_display_name: profile.displayName, p_avatar_url: profile.avatarUrl,
      })));
    },

    /**
     * Canned replies by shortcut (agents only; empty otherwise). `query` keeps those whose shortcut,
     * title or body contains it, ignoring case; the filtering happens here, since a workspace's
     * replies are few and PostgREST's `or` filter would need escaping of user text.
     */
    async cannedReplies(query = ''): Promise<CannedReplyEntry[]> {
      const rows = (await call<unknown[]>(client.from('canned_responses').select(CANNED_COLUMNS).order('shortcut').retry(false))).map(parseCanned);
      const needle = query.trim().toLocaleLowerCase();
      if (!needle) return rows;
      return rows.filter((r) => [r.shortcut, r.title, r.body].some((text) => text.toLocaleLowerCase().includes(needle)));
    },

    /** Admins only; the table's limits (field errors `shortcut`, `title`, `body`). */
    async createCannedReply(input: CannedReplyInput): Promise<CannedReplyEntry> {
      const columns = cannedColumns(input);
      return parseCanned(await call<unknown>(client.from('canned_responses').insert(columns).select(CANNED_COLUMNS).single()));
    },

    /** Admins only; `not-found` when there is no such reply (or the caller may not change it). */
    async updateCannedReply(id: string, changes: Partial<CannedReplyInput>): Promise<CannedReplyEntry> {
      const columns = cannedColumns(changes);
      if (Object.keys(columns).length === 0) throw invalidField('shortcut', 'Nothing to change', 'changes_empty');
      const row = await call<unknown>(client.from('canned_responses').update(columns)
        .eq('id', requireUuid(id, 'Canned reply id')).select(CANNED_COLUMNS).maybeSingle());
      if (row === null) throw new ParleyError({ kind: 'not-found', message: 'That canned reply does not exist, or you may not change it.', reason: 'canned_reply_not_found', status: 404 });
      return parseCanned(row);
    },

    /** Admins only; `not-found` as for updateCannedReply. */
    async deleteCannedReply(id: string): Promise<void> {
      const rows = await call<unknown[]>(client.from('canned_responses').delete().eq('id', requireUuid(id, 'Canned reply id')).select('id'));
      if (rows.length === 0) throw new ParleyError({ kind: 'not-found', message: 'That canned reply does not exist, or you may not delete it.', reason: 'canned_reply_not_found', status: 404 });
    },
  };
}

/** The admin data layer; see {@link createAdminApi}. */
export type AdminApi = ReturnType<typeof createAdminApi>;

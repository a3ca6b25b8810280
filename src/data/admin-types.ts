/**
 * Types of the workspace settings and the team (issue 14). Types and closed vocabularies only, so
 * the visitor's widget (widget-settings.ts) and the admin screen (admin-api.ts, settings-rules.ts)
 * share them without sharing code.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "We usually reply in a few minutes / within an hour / within a day", or nothing said. */
export const REPLY_TIMES = ['minutes', 'hour', 'day', 'unknown'] as const;
export type ReplyTime = (typeof REPLY_TIMES)[number];

export const PRE_CHAT_MODES = ['none', 'optional', 'required'] as const;
export type PreChatSetting = (typeof PRE_CHAT_MODES)[number];

/** The CSAT scale: three or five steps. */
export const CSAT_SCALES = [3, 5] as const;
export type CsatScale = (typeof CSAT_SCALES)[number];

/** Average score and count of the ratings of the last `days` days (`csat_summary`), on the current scale. */
export interface CsatSummary {
  readonly days: number;
  readonly scale: number;
  readonly count: number;
  /** Null when there was no rating. */
  readonly average: number | null;
}

export const AGENT_ROLES = ['agent', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** An opening range, "HH:MM" to "HH:MM" (24:00 allowed as an end), start before end. */
export type OpeningRange = readonly [string, string];

export interface BusinessHours {
  readonly enabled: boolean;
  /** An IANA time zone name the database knows (pg_timezone_names). */
  readonly timezone: string;
  /** Up to 4 ordered, non-overlapping ranges a day; an empty list is closed all day. */
  readonly weekly: Readonly<Record<Weekday, readonly OpeningRange[]>>;
  /** Closed days, YYYY-MM-DD, at most 100. */
  readonly holidays: readonly string[];
}

/** The workspace settings row, as agents read it and admins change it. */
export interface WorkspaceSettings {
  readonly brandName: string;
  readonly greeting: string;
  readonly intro: string;
  /** Lower-case `#rrggbb`. */
  readonly accentColor: string;
  readonly showTeamAvatars: boolean;
  readonly replyTime: ReplyTime;
  readonly businessHours: BusinessHours;
  readonly awayMessage: string;
  readonly preChat: PreChatSetting;
  readonly csatEnabled: boolean;
  /** Steps of the rating scale visitors are asked on. */
  readonly csatScale: CsatScale;
  /** BCP 47-ish: `en`, `pt-BR`. */
  readonly defaultLanguage: string;
  readonly autoAssign: boolean;
  /**
   * Minutes an agent's reply stays unseen before it is mailed to a visitor with a confirmed email,
   * 0..10080; 0: reply emails are off (the column's null reads as 0).
   */
  readonly replyEmailAfterMinutes: number;
  /** The least minutes between two reply emails about one conversation, 5..10080. */
  readonly replyEmailIntervalMinutes: number;
  /** Largest file a message may carry, in bytes: 1000..10000000 (the bucket's cap). */
  readonly attachmentMaxBytes: number;
  /** MIME types a message may carry, part of ATTACHMENT_TYPE_GROUPS' types; empty: no files. */
  readonly attachmentTypes: readonly string[];
  readonly updatedAt: string;
}

/** What a visitor's widget may know (widget_settings() and the 'parley:settings' broadcast). */
export type WidgetSettings = Omit<WorkspaceSettings,
  'autoAssign' | 'replyEmailAfterMinutes' | 'replyEmailIntervalMinutes' | 'attachmentMaxBytes' | 'attachmentTypes' | 'updatedAt'>;

/** The settings an admin may change (who and when are stamped by the database). */
export type WorkspaceSettingsChanges = Partial<Omit<WorkspaceSettings, 'updatedAt'>>;

/** A member of the team as the admin screen lists them. */
export interface TeamMember {
  readonly userId: string;
  readonly displayName: string;
  readonly avatarUrl: string | null;
  readonly role: AgentRole;
  /** False once deactivated: no access, but the name stays on past messages. */
  readonly active: boolean;
  readonly deactivatedAt: string | null;
  readonly createdAt: string;
}

export interface Invitation {
  readonly id: string;
  /** Lower-case. */
  readonly email: string;
  readonly role: AgentRole;
  /** The name the agent gets on acceptance; null: their sign-up name, else the address's local part. */
  readonly displayName: string | null;
  readonly invitedBy: string | null;
  readonly createdAt: string;
  readonly acceptedAt: string | null;
  readonly acceptedBy: string | null;
  readonly revokedAt: string | null;
}

/** The team: members and the invitations still pending. */
export interface Team {
  readonly members: readonly TeamMember[];
  readonly pending: readonly Invitation[];
}

export interface CannedReplyEntry {
  readonly id: string;
  /** `^[a-z0-9][a-z0-9_-]{0,31}$`, unique: what follows "/" in the composer. */
  readonly shortcut: string;
  /** 1..120 characters (trimmed). */
  readonly title: string;
  /** 1..4000 characters. */
  readonly body: string;
  readonly updatedAt: string;
}

export type CannedReplyInput = Pick<CannedReplyEntry, 'shortcut' | 'title' | 'body'>;

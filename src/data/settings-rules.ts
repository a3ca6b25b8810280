/**
 * The admin screen's form rules: the same bounds the database enforces on workspace_settings,
 * agents, agent_invitations and canned_responses (supabase/migrations 20261124000001_chat_tables.sql,
 * 20261206000004_schema_bounds.sql and issue 14's migration), checked in the browser so a form can
 * explain a mistake next to its field before any request. The database stays the authority: a save
 * it refuses comes back as a field error under the same field names as here.
 *
 * Pure (no supabase-js), so the forms and the unit tests load it without a client. Every function
 * returns `{ [field]: message }`, empty when the values pass. Lengths count code points, as
 * PostgreSQL's char_length does (an emoji is one character, not two UTF-16 units).
 */

import {
  AGENT_ROLES, PRE_CHAT_MODES, REPLY_TIMES, WEEKDAYS,
  type BusinessHours, type OpeningRange, type PreChatSetting,
} from './admin-types.ts';

// The closed vocabularies are the data layer's (admin-types.ts); the forms list them in that order.
export { AGENT_ROLES, PRE_CHAT_MODES, REPLY_TIMES, WEEKDAYS, type AgentRole, type ReplyTime, type Weekday } from './admin-types.ts';
/** Whether the launcher asks for a name and email before the first message. */
export type PreChatMode = PreChatSetting;

/** Upper bounds, in characters (code points) or items, as the tables declare them. */
export const SETTINGS_LIMITS = {
  brandName: 80,
  greeting: 120,
  intro: 500,
  awayMessage: 500,
  rangesPerDay: 4,
  holidays: 100,
  displayName: 80,
  avatarUrl: 2048,
  email: 254,
  shortcut: 32,
  title: 120,
  body: 4000,
} as const;

/** The reply-email settings' bounds, in minutes, as 20261231000004_reply_emails.sql checks them. */
export const REPLY_EMAIL_LIMITS = {
  afterMinutes: { min: 0, max: 10080 },
  intervalMinutes: { min: 5, max: 10080 },
} as const;

/** Largest file size an admin may set, in MB (decimal, as Storage counts): the bucket's cap and a floor. */
export const ATTACHMENT_SIZE_LIMITS = { minMb: 0.001, maxMb: 10 } as const;

/** The kinds of files an admin allows, each a set of the bucket's MIME types (never SVG or HTML). */
export const ATTACHMENT_TYPE_GROUPS = {
  images: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/heic', 'image/heif'],
  pdf: ['application/pdf'],
  text: ['text/plain', 'text/csv'],
  office: [
    'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
  zip: ['application/zip'],
  media: ['video/mp4', 'audio/mpeg'],
} as const satisfies Record<string, readonly string[]>;
export type AttachmentTypeGroup = keyof typeof ATTACHMENT_TYPE_GROUPS;

/** Megabytes as typed ("2.5", "10"): a number, or null when it is not one. */
export function parseMegabytes(value: string | number): number | null {
  const text = String(value).trim().replace(',', '.');
  return /^\d{1,3}(?:\.\d{1,3})?$/.test(text) ? Number(text) : null;
}

/**
 * What the rules say, in English; the settings screen passes its language's (the same keys in its
 * string table). `{name}` placeholders are filled with the limit or the value at fault.
 */
export const ruleMessages = {
  ruleBrandNameRequired: 'Enter a brand name.',
  ruleGreetingRequired: 'Enter a greeting.',
  ruleTitleRequired: 'Enter a title.',
  ruleDisplayNameRequired: 'Enter your name.',
  ruleTooLong: 'Keep it to {max} characters (now {length}).',
  ruleUrlTooLong: 'Keep it to {max} characters.',
  ruleRangesPerDay: 'At most {max} ranges a day.',
  ruleTimeFormat: 'Use times from 00:00 to 24:00.',
  ruleEndAfterStart: '{from}–{to}: the end must be after the start.',
  ruleRangesOverlap: 'These ranges overlap.',
  ruleTimeZone: 'Choose a time zone from the list.',
  ruleHolidaysMax: 'At most {max} holidays.',
  ruleHolidayDate: '{date} is not a date (YYYY-MM-DD).',
  ruleAccentColor: 'Use a colour written #rrggbb in lower case, like #4f46e5.',
  ruleReplyTime: 'Choose a reply time.',
  rulePreChat: 'Choose a pre-chat mode.',
  ruleLanguage: 'Use a language tag like en, fr or pt-BR.',
  ruleShortcutRequired: 'Enter a shortcut.',
  ruleShortcutFormat: 'Use 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit.',
  ruleBodyRequired: 'Enter the reply text.',
  ruleAvatarUrl: 'Use an address starting with https:// or http://.',
  ruleEmailRequired: 'Enter an email address.',
  ruleEmailFormat: 'Enter an email address like sam@example.com.',
  ruleRole: 'Choose agent or admin.',
  ruleCsatScale: 'Choose 3 or 5 steps.',
  ruleMinutes: 'Enter whole minutes from {min} to {max}.',
  ruleMegabytes: 'Enter a size in MB from {min} to {max}.',
} as const;
export type RuleMessages = { readonly [K in keyof typeof ruleMessages]: string };

/** `{name}` → value; limits are written as plain digits, as the inputs show them. */
function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}

/** Field name → what is wrong with it, fit to show next to the field. Empty when all is well. */
export type FieldErrors = Readonly<Record<string, string>>;

/** One opening range of a day: `["09:00", "17:00"]`. */
export type TimeRange = OpeningRange;

/** The form edits the stored shape itself. */
export type BusinessHoursInput = BusinessHours;

/** The workspace fields a form edits (any subset: absent fields are not checked). */
export interface WorkspaceInput {
  readonly brandName?: string;
  readonly greeting?: string;
  readonly intro?: string;
  readonly accentColor?: string;
  readonly replyTime?: string;
  readonly awayMessage?: string;
  readonly preChat?: string;
  readonly csatScale?: number;
  readonly defaultLanguage?: string;
  readonly businessHours?: BusinessHoursInput;
  /** Minutes as typed (digits) or as stored. */
  readonly replyEmailAfterMinutes?: string | number;
  readonly replyEmailIntervalMinutes?: string | number;
  /** Megabytes as typed, or bytes as stored (a number). */
  readonly attachmentMaxMb?: string;
}

export interface CannedReplyInput {
  readonly shortcut: string;
  readonly title: string;
  readonly body: string;
}

export interface ProfileInput {
  readonly displayName: string;
  readonly avatarUrl: string | null;
}

export interface InviteInput {
  readonly email: string;
  readonly role: string;
}

const ACCENT_COLOR = /^#[0-9a-f]{6}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const HTTP_URL = /^https?:\/\//;
// What the invitation table accepts: one @, no spaces, a dot in the domain. Deliverability is the
// sign-up's business, not the form's.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Length in characters as PostgreSQL counts them (code points). */
export function charLength(value: string): number {
  // Surrogate pairs are two UTF-16 units and one code point; lone surrogates count as one, like pg.
  return value.length - (value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

function isOneOf<T extends string>(vocabulary: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (vocabulary as readonly string[]).includes(value);
}

/** Required text: 1..max characters once trimmed. */
function requiredText(value: string, max: number, missing: string, m: RuleMessages): string | null {
  const length = charLength(value.trim());
  if (length === 0) return missing;
  return optionalText(value, max, m);
}

/** Optional text: 0..max characters once trimmed. */
function optionalText(value: string, max: number, m: RuleMessages): string | null {
  const length = charLength(value.trim());
  return length > max ? fill(m.ruleTooLong, { max, length }) : null;
}

/**
 * Whether `name` is a time zone this browser (and so, near enough, PostgreSQL's pg_timezone_names)
 * knows. `Intl.DateTimeFormat` accepts the canonical names and their aliases (`UTC`, `Asia/Calcutta`).
 */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The time zones to offer: the runtime's list, with UTC first; `current` kept even when not listed. */
export function timeZoneChoices(current?: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  const listed = typeof intl.supportedValuesOf === 'function' ? intl.supportedValuesOf('timeZone') : [];
  const zones = ['UTC', ...listed.filter((zone) => zone !== 'UTC')];
  if (current && !zones.includes(current)) zones.splice(1, 0, current);
  return zones;
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Minutes since midnight for `HH:MM` (00:00..24:00), or null. */
function minutes(time: string): number | null {
  if (!TIME.test(time)) return null;
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** One day's ranges: valid times, start before end, at most four, none overlapping (touching is fine). */
export function dayRangesError(ranges: readonly TimeRange[], m: RuleMessages = ruleMessages): string | null {
  if (ranges.length > SETTINGS_LIMITS.rangesPerDay) return fill(m.ruleRangesPerDay, { max: SETTINGS_LIMITS.rangesPerDay });
  const spans: [number, number][] = [];
  for (const [from, to] of ranges) {
    const start = minutes(from);
    const end = minutes(to);
    if (start === null || end === null) return m.ruleTimeFormat;
    if (start >= end) return fill(m.ruleEndAfterStart, { from, to });
    spans.push([start, end]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if ((spans[i]?.[0] ?? 0) < (spans[i - 1]?.[1] ?? 0)) return m.ruleRangesOverlap;
  }
  return null;
}

/**
 * Business hours. Fields: `businessHours.timezone`, `businessHours.weekly.<day>`,
 * `businessHours.holidays`.
 */
export function validateBusinessHours(hours: BusinessHoursInput, m: RuleMessages = ruleMessages): FieldErrors {
  const errors: Record<string, string> = {};
  if (!isTimeZone(hours.timezone)) errors['businessHours.timezone'] = m.ruleTimeZone;
  for (const day of WEEKDAYS) {
    const error = dayRangesError(hours.weekly[day] ?? [], m);
    if (error) errors[`businessHours.weekly.${day}`] = error;
  }
  if (hours.holidays.length > SETTINGS_LIMITS.holidays) {
    errors['businessHours.holidays'] = fill(m.ruleHolidaysMax, { max: SETTINGS_LIMITS.holidays });
  } else {
    const bad = hours.holidays.find((day) => !isIsoDate(day));
    if (bad !== undefined) errors['businessHours.holidays'] = fill(m.ruleHolidayDate, { date: bad });
  }
  return errors;
}

/** Whole minutes typed as digits (spaces around allowed), or null. */
export function parseMinutes(value: string | number): number | null {
  const text = String(value).trim();
  return /^\d{1,9}$/.test(text) ? Number(text) : null;
}

function minutesError(value: string | number, bounds: { readonly min: number; readonly max: number }, m: RuleMessages): string | null {
  const n = parseMinutes(value);
  return n === null || n < bounds.min || n > bounds.max ? fill(m.ruleMinutes, bounds) : null;
}

/** The workspace section's fields that are present in `values`. */
export function validateWorkspace(values: WorkspaceInput, m: RuleMessages = ruleMessages): FieldErrors {
  const errors: Record<string, string> = {};
  const put = (field: string, error: string | null): void => {
    if (error) errors[field] = error;
  };
  if (values.brandName !== undefined) put('brandName', requiredText(values.brandName, SETTINGS_LIMITS.brandName, m.ruleBrandNameRequired, m));
  if (values.greeting !== undefined) put('greeting', requiredText(values.greeting, SETTINGS_LIMITS.greeting, m.ruleGreetingRequired, m));
  if (values.intro !== undefined) put('intro', optionalText(values.intro, SETTINGS_LIMITS.intro, m));
  if (values.awayMessage !== undefined) put('awayMessage', optionalText(values.awayMessage, SETTINGS_LIMITS.awayMessage, m));
  if (values.accentColor !== undefined && !ACCENT_COLOR.test(values.accentColor)) {
    put('accentColor', m.ruleAccentColor);
  }
  if (values.replyTime !== undefined && !isOneOf(REPLY_TIMES, values.replyTime)) put('replyTime', m.ruleReplyTime);
  if (values.preChat !== undefined && !isOneOf(PRE_CHAT_MODES, values.preChat)) put('preChat', m.rulePreChat);
  if (values.csatScale !== undefined && values.csatScale !== 3 && values.csatScale !== 5) put('csatScale', m.ruleCsatScale);
  if (values.defaultLanguage !== undefined && !LANGUAGE.test(values.defaultLanguage)) {
    put('defaultLanguage', m.ruleLanguage);
  }
  if (values.replyEmailAfterMinutes !== undefined) {
    put('replyEmailAfterMinutes', minutesError(values.replyEmailAfterMinutes, REPLY_EMAIL_LIMITS.afterMinutes, m));
  }
  if (values.replyEmailIntervalMinutes !== undefined) {
    put('replyEmailIntervalMinutes', minutesError(values.replyEmailIntervalMinutes, REPLY_EMAIL_LIMITS.intervalMinutes, m));
  }
  if (values.attachmentMaxMb !== undefined) {
    const mb = parseMegabytes(values.attachmentMaxMb);
    const { minMb: min, maxMb: max } = ATTACHMENT_SIZE_LIMITS;
    if (mb === null || mb < min || mb > max) put('attachmentMaxMb', fill(m.ruleMegabytes, { min, max }));
  }
  if (values.businessHours !== undefined) Object.assign(errors, validateBusinessHours(values.businessHours, m));
  return errors;
}

/**
 * A canned reply as canned_responses stores it: shortcut `^[a-z0-9][a-z0-9_-]{0,31}$`, title 1..120
 * once trimmed, body 1..4000 characters. A body of spaces only passes the table but is refused here:
 * inserting nothing from the composer's "/" picker helps no one.
 */
export function validateCannedReply(values: CannedReplyInput, m: RuleMessages = ruleMessages): FieldErrors {
  const errors: Record<string, string> = {};
  if (!SHORTCUT.test(values.shortcut)) {
    errors.shortcut = values.shortcut === '' ? m.ruleShortcutRequired : m.ruleShortcutFormat;
  }
  const title = requiredText(values.title, SETTINGS_LIMITS.title, m.ruleTitleRequired, m);
  if (title) errors.title = title;
  const bodyLength = charLength(values.body);
  if (values.body.trim() === '') errors.body = m.ruleBodyRequired;
  else if (bodyLength > SETTINGS_LIMITS.body) errors.body = fill(m.ruleTooLong, { max: SETTINGS_LIMITS.body, length: bodyLength });
  return errors;
}

/** An agent's own profile: display name 1..80 once trimmed; avatar empty or an http(s) URL ≤ 2048. */
export function validateProfile(values: ProfileInput, m: RuleMessages = ruleMessages): FieldErrors {
  const errors: Record<string, string> = {};
  const name = requiredText(values.displayName, SETTINGS_LIMITS.displayName, m.ruleDisplayNameRequired, m);
  if (name) errors.displayName = name;
  const avatar = (values.avatarUrl ?? '').trim();
  if (avatar !== '') {
    if (!HTTP_URL.test(avatar)) errors.avatarUrl = m.ruleAvatarUrl;
    else if (charLength(avatar) > SETTINGS_LIMITS.avatarUrl) errors.avatarUrl = fill(m.ruleUrlTooLong, { max: SETTINGS_LIMITS.avatarUrl });
  }
  return errors;
}

/** An invitation: an email address and a role. */
export function validateInvite(values: InviteInput, m: RuleMessages = ruleMessages): FieldErrors {
  const errors: Record<string, string> = {};
  const email = values.email.trim();
  if (email === '') errors.email = m.ruleEmailRequired;
  else if (charLength(email) > SETTINGS_LIMITS.email || !EMAIL.test(email)) errors.email = m.ruleEmailFormat;
  if (!isOneOf(AGENT_ROLES, values.role)) errors.role = m.ruleRole;
  return errors;
}

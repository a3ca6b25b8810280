/**
 * The workspace settings a visitor's widget may see (issue 14): `widget_settings()` at start and the
 * public 'parley:settings' broadcast when an admin changes them. Small on purpose: the launcher
 * imports it, the admin screen's code stays in admin-api.ts. Payloads are checked field by field,
 * since they style the page (the accent colour) and are shown to visitors; an invalid one is null.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { run } from './answer.ts';
import { ParleyError } from './errors.ts';
import { parseTeamOnline, type TeamOnline } from './availability.ts';
import {
  PRE_CHAT_MODES, REPLY_TIMES, WEEKDAYS,
  type BusinessHours, type OpeningRange, type WidgetSettings,
} from './admin-types.ts';

/** The public Realtime topic (not private: every visitor may read these fields anyway). */
export const WIDGET_SETTINGS_TOPIC = 'parley:settings';
/** The broadcast event carrying the same object as `widget_settings()`. */
export const WIDGET_SETTINGS_EVENT = 'settings';
/** The broadcast event on the same topic carrying `team_online()`'s object when it changes (20261231000003). */
export const WIDGET_TEAM_EVENT = 'team';

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
const COLOR = /^#[0-9a-f]{6}$/;
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

function boundedText(value: unknown, max: number): value is string {
  return typeof value === 'string' && [...value].length <= max;
}

function oneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return (values as readonly unknown[]).includes(value);
}

function parseRange(value: unknown): OpeningRange | null {
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [start, end]: unknown[] = value;
  if (typeof start !== 'string' || typeof end !== 'string' || !TIME.test(start) || !TIME.test(end) || start >= end) return null;
  return [start, end];
}

/** Business hours as the database stores them (snake_case and camelCase are the same here), or null. */
export function parseBusinessHours(value: unknown): BusinessHours | null {
  if (!isRecord(value) || typeof value.enabled !== 'boolean' || !boundedText(value.timezone, 64) || value.timezone === '') return null;
  const weekly = value.weekly;
  const holidays = value.holidays;
  if (!isRecord(weekly) || !Array.isArray(holidays) || holidays.length > 100) return null;
  const days: Partial<Record<(typeof WEEKDAYS)[number], OpeningRange[]>> = {};
  for (const day of WEEKDAYS) {
    const ranges = weekly[day];
    if (!Array.isArray(ranges) || ranges.length > 4) return null;
    const parsed = ranges.map(parseRange);
    if (parsed.some((range) => range === null)) return null;
    days[day] = parsed as OpeningRange[];
  }
  if (!holidays.every((day) => typeof day === 'string' && DATE.test(day))) return null;
  return {
    enabled: value.enabled,
    timezone: value.timezone,
    weekly: days as Record<(typeof WEEKDAYS)[number], OpeningRange[]>,
    holidays: holidays as string[],
  };
}

/** `widget_settings()`'s object (or the broadcast's payload), checked; null when anything is off. */
export function parseWidgetSettings(payload: unknown): WidgetSettings | null {
  if (!isRecord(payload)) return null;
  const p = payload;
  const businessHours = parseBusinessHours(p.business_hours);
  if (
    !boundedText(p.brand_name, 80) || p.brand_name.trim() === ''
    || !boundedText(p.greeting, 120) || p.greeting.trim() === ''
    || !boundedText(p.intro, 500)
    || typeof p.accent_color !== 'string' || !COLOR.test(p.accent_color)
    || typeof p.show_team_avatars !== 'boolean'
    || !oneOf(REPLY_TIMES, p.reply_time)
    || businessHours === null
    || !boundedText(p.away_message, 500)
    || !oneOf(PRE_CHAT_MODES, p.pre_chat)
    || typeof p.csat_enabled !== 'boolean'
    || typeof p.default_language !== 'string' || p.default_language.length > 35 || !LANGUAGE.test(p.default_language)
  ) {
    return null;
  }
  return {
    brandName: p.brand_name,
    greeting: p.greeting,
    intro: p.intro,
    accentColor: p.accent_color,
    showTeamAvatars: p.show_team_avatars,
    replyTime: p.reply_time,
    businessHours,
    awayMessage: p.away_message,
    preChat: p.pre_chat,
    csatEnabled: p.csat_enabled,
    // Anything but 3 (absent in settings remembered before the scale existed) is the default, 5.
    csatScale: p.csat_scale === 3 ? 3 : 5,
    defaultLanguage: p.default_language,
  };
}

/**
 * The chatbot's name (issue 17) from `widget_settings()`'s object or the broadcast: shown above its
 * replies. Null where the project predates the chatbot or the value is not 1..80 visible characters.
 */
export function parseChatbotName(payload: unknown): string | null {
  const name = isRecord(payload) ? payload.chatbot_name : undefined;
  return boundedText(name, 80) && name.trim() !== '' ? name : null;
}

/**
 * The settings a visitor's widget applies at start, for a signed-in client (visitors sign in
 * anonymously; the anon key alone may call no function). Throws `ParleyError` when the call fails,
 * and a `ParleyError` of kind 'server' when the answer is not the expected shape.
 */
export async function widgetSettings(client: SupabaseClient): Promise<WidgetSettings> {
  return (await widgetHome(client)).settings;
}

/**
 * The settings and who is online, as one request (the launcher's home screen needs both on first
 * open). `team` is null where the project's `widget_settings()` predates the home screen's migration,
 * `botName` where it predates the chatbot's.
 */
export async function widgetHome(client: SupabaseClient): Promise<{ settings: WidgetSettings; team: TeamOnline | null; botName: string | null }> {
  const payload = await run<unknown>(client.rpc('widget_settings').retry(false));
  const settings = parseWidgetSettings(payload);
  if (!settings) {
    throw new ParleyError({ kind: 'server', message: 'The workspace settings could not be read.', reason: 'settings_invalid' });
  }
  const team = isRecord(payload) && 'team' in payload ? parseTeamOnline(payload.team) : null;
  return { settings, team, botName: parseChatbotName(payload) };
}

/**
 * The workspace settings as the launcher applies them (issue 14, STYLE.md §9): what an admin set in
 * the settings screen reaches every widget without a new snippet. Read with `widget_settings()` once
 * the panel has opened, kept live through the public `parley:settings` broadcast for as long as the
 * session lasts (read again on every join, so a change made while the socket was down is not missed),
 * and remembered per project in localStorage so the next page starts with them, bubble colour first.
 * The same read and topic bring who is online (public profiles, event 'team'), for the home screen
 * and away mode; that is never remembered (it is only true now).
 * Host attributes, CSS custom properties and `strings` override them; the element asks here for each.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RealtimeChannel } from '@supabase/supabase-js';
import type { BusinessHours, Weekday, WidgetSettings } from '../../data/admin-types.ts';
import {
  WIDGET_SETTINGS_EVENT, WIDGET_SETTINGS_TOPIC, WIDGET_TEAM_EVENT, parseChatbotName, parseWidgetSettings, widgetHome,
} from '../../data/widget-settings.ts';
import { parseTeamOnline, type OnlineAgent, type TeamOnline } from '../../data/availability.ts';
import type { LauncherStrings } from '../../i18n/strings.ts';
import type { Session } from '../../session/index.ts';
import { safeLocalStorage } from '../../session/index.ts';
import { STORED_PAINT, settingsStorageKey } from '../../session/storage-key.ts';
import type { PanelView } from './panel.ts';

export interface WorkspaceSettingsOptions {
  /** The visitor's session once signed in and ready; undefined before (the read needs a signed-in caller). */
  readonly session: () => Session | undefined;
  /** The panel has opened at least once: a bubble that never opened reads nothing over the network. */
  readonly opened: () => boolean;
  /** The project's URL, naming the remembered copy. */
  readonly projectUrl: () => string;
}


export class WorkspaceSettings implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: WorkspaceSettingsOptions;
  #settings: WidgetSettings | null = null;
  #team: TeamOnline | null = null;
  #botName: string | null = null;
  #session: Session | undefined;
  #channel: RealtimeChannel | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, options: WorkspaceSettingsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The settings in force: the newest read or broadcast, else the remembered copy; null when none is known. */
  get current(): WidgetSettings | null {
    return this.#settings;
  }

  hostConnected(): void {
    const url = this.#options.projectUrl();
    if (!url || this.#settings) return;
    let stored: string | null = null;
    // The stub may have painted from the same copy already; painting again is harmless.
    try {
      stored = safeLocalStorage()?.getItem(settingsStorageKey(url)) ?? null;
    } catch {
      // Storage refused (a sandboxed frame): the settings come with the first open instead.
    }
    if (stored === null) return;
    try {
      this.#apply(parseWidgetSettings(JSON.parse(stored)), false);
    } catch {
      // A damaged copy is as good as none.
    }
  }

  hostUpdated(): void {
    const session = this.#options.opened() ? this.#options.session() : undefined;
    if (session === this.#session) return;
    this.#stop();
    this.#session = session;
    if (!session) return;
    const channel = session.client.channel(WIDGET_SETTINGS_TOPIC, { config: { private: false } });
    channel.on('broadcast', { event: WIDGET_SETTINGS_EVENT }, ({ payload }: { payload: unknown }) => this.#received(payload));
    channel.on('broadcast', { event: WIDGET_TEAM_EVENT }, ({ payload }: { payload: unknown }) => this.#teamNow(parseTeamOnline(payload)));
    channel.subscribe((status) => {
      if (status === 'SUBSCRIBED' && this.#session === session) void this.#read(session);
    });
    this.#channel = channel;
  }

  hostDisconnected(): void {
    this.#stop();
    this.#session = undefined;
    this.#team = null;
  }

  /** The pre-chat mode: the host's when it chose one, else the workspace's, else none. */
  preChat<T extends string>(host: T | null): T | WidgetSettings['preChat'] {
    return host ?? this.#settings?.preChat ?? 'none';
  }

  /**
   * The panel's heading and welcome: the host's `strings.title` before the brand name; under it the
   * away message when {@link away}, else how soon the team replies; the greeting and intro.
   */
  heading(t: LauncherStrings, hostTitle: string | undefined, now = new Date()): Pick<PanelView, 'title' | 'subtitle' | 'welcome' | 'away'> {
    const settings = this.#settings;
    if (!settings) return { title: hostTitle ?? t.title, subtitle: null, welcome: null, away: false };
    const replies = { minutes: t.replyMinutes, hour: t.replyHour, day: t.replyDay, unknown: null } as const;
    const away = this.away(now);
    return {
      title: hostTitle ?? settings.brandName,
      subtitle: away ? (settings.awayMessage || t.away) : replies[settings.replyTime],
      welcome: { greeting: settings.greeting, intro: settings.intro },
      away,
    };
  }

  /** Away: outside business hours (a holiday included), or nobody online as far as the last read or broadcast says. */
  away(now = new Date()): boolean {
    return isAway(this.#settings, this.#team, now);
  }

  /** The online agents' public profiles (none until read). */
  get team(): readonly OnlineAgent[] {
    return this.#team?.agents ?? [];
  }

  /** Whether agents' avatars show next to their messages (the workspace may hide them). */
  get avatars(): boolean {
    return this.#settings?.showTeamAvatars ?? true;
  }

  /** The chatbot's name above its replies; null until read (or where the project has no chatbot). */
  get botName(): string | null {
    return this.#botName;
  }

  /** The language the workspace writes in, for formatting where the page names none. */
  get language(): string | null {
    return this.#settings?.defaultLanguage ?? null;
  }

  async #read(session: Session): Promise<void> {
    try {
      const { settings, team, botName } = await widgetHome(session.client);
      if (this.#session !== session) return;
      this.#team = team;
      this.#botName = botName;
      this.#apply(settings, true);
    } catch {
      // Unreadable now: the remembered settings (or the defaults) stay until the next join.
    }
  }

  #teamNow(team: TeamOnline): void {
    this.#team = team;
    this.#host.requestUpdate();
  }

  #received(payload: unknown): void {
    const settings = parseWidgetSettings(payload);
    if (settings) this.#botName = parseChatbotName(payload);
    if (settings) this.#apply(settings, true);
  }

  #apply(settings: WidgetSettings | null, remember: boolean): void {
    if (!settings) return;
    this.#settings = settings;
    this.#paintAccent(settings.accentColor);
    if (remember) {
      try {
        // With the colours worked out, so the embed's stub paints the bubble before this code loads.
        const stored = { ...toStored(settings), [STORED_PAINT]: accentPaint(settings.accentColor) };
        safeLocalStorage()?.setItem(settingsStorageKey(this.#options.projectUrl()), JSON.stringify(stored));
      } catch {
        // Full or refused: the next page reads them again on open.
      }
    }
    this.#host.requestUpdate();
  }

  /**
   * The accent colour, a lighter one for the dark theme and readable text on each, as the workspace
   * layer of the colour tokens (a page's own `--parley-color-accent` still wins).
   */
  #paintAccent(color: string): void {
    for (const [name, value] of Object.entries(accentPaint(color))) this.#host.style.setProperty(name, value);
  }

  #stop(): void {
    const channel = this.#channel;
    this.#channel = null;
    if (channel) void this.#session?.client.removeChannel(channel);
  }
}

/** The remembered copy, in `widget_settings()`'s own shape so one parser reads both. */
function toStored(s: WidgetSettings): Record<string, unknown> {
  return {
    brand_name: s.brandName, greeting: s.greeting, intro: s.intro, accent_color: s.accentColor,
    show_team_avatars: s.showTeamAvatars, reply_time: s.replyTime, business_hours: s.businessHours,
    away_message: s.awayMessage, pre_chat: s.preChat, csat_enabled: s.csatEnabled, csat_scale: s.csatScale,
    default_language: s.defaultLanguage,
  };
}

/** The workspace layer's custom properties for an accent colour (src/theme/tokens.ts). */
export function accentPaint(color: string): Record<string, string> {
  const dark = lightenForDark(color);
  return {
    '--parley-workspace-color-accent': color,
    '--parley-workspace-color-accent-dark': dark,
    '--parley-workspace-color-on-accent': readableOn(color),
    '--parley-workspace-color-on-accent-dark': readableOn(dark),
  };
}

/** WCAG relative luminance of `#rrggbb`. */
function luminance(color: string): number {
  const channel = (offset: number) => {
    const value = parseInt(color.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** White or near-black, whichever contrasts more with `color` (#rrggbb). */
export function readableOn(color: string): string {
  const l = luminance(color);
  // Contrast with white is 1.05 / (L + 0.05); with #111111 (L ≈ 0.0056), (L + 0.05) / 0.0556.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 ? '#ffffff' : '#111111';
}

/** Luminance of the dark theme's surface (#17191d). */
const DARK_SURFACE_LUMINANCE = 0.0099;

/**
 * `color` mixed with white in steps until it reads as text on the dark surface (4.5:1), as the
 * dark theme's own accent does; a colour light enough already is kept.
 */
export function lightenForDark(color: string): string {
  const rgb = [1, 3, 5].map((offset) => parseInt(color.slice(offset, offset + 2), 16));
  for (let step = 0; step <= 10; step++) {
    const mixed = `#${rgb.map((value) => Math.round(value + ((255 - value) * step) / 10).toString(16).padStart(2, '0')).join('')}`;
    if ((luminance(mixed) + 0.05) / (DARK_SURFACE_LUMINANCE + 0.05) >= 4.5) return mixed;
  }
  return '#ffffff';
}

const WEEKDAY_OF: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };
/** One formatter per time zone: the first `Intl` call of a page costs milliseconds. */
const clocks = new Map<string, Intl.DateTimeFormat>();

/** Away: settings known, and closed at `now` or nobody online (an unknown team is not "nobody"). */
export function isAway(settings: WidgetSettings | null, team: TeamOnline | null, now: Date): boolean {
  return settings !== null && (isClosed(settings.businessHours, now) || team?.online === false);
}

/** Whether the team is closed at `now`: business hours on, and a holiday or outside the day's ranges. */
export function isClosed(hours: BusinessHours, now: Date): boolean {
  if (!hours.enabled) return false;
  let clock = clocks.get(hours.timezone);
  if (!clock) {
    try {
      clock = new Intl.DateTimeFormat('en-US', {
        timeZone: hours.timezone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      });
    } catch {
      return false; // A zone this browser does not know: say nothing rather than something wrong.
    }
    clocks.set(hours.timezone, clock);
  }
  const parts: Record<string, string> = {};
  for (const part of clock.formatToParts(now)) parts[part.type] = part.value;
  if (hours.holidays.includes(`${parts.year}-${parts.month}-${parts.day}`)) return true;
  const day = WEEKDAY_OF[parts.weekday ?? ''];
  const time = `${parts.hour}:${parts.minute}`;
  return !day || !hours.weekly[day].some(([start, end]) => time >= start && time < end);
}

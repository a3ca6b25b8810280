/**
 * What a visit records, read from the page: the address, title and referrer, the browser and OS,
 * language, time zone and screen size. Pure, and loaded with visit-recorder.ts once the visitor
 * has a conversation, so the first open does not carry the parsers.
 */
import type { VisitContext } from '../data/customer-profile.ts';

/** Column bounds of customer_visits (the RPC cuts to the same). */
const BOUNDS = { url: 2048, title: 300, referrer: 2048, browser: 60, os: 60, language: 35, timeZone: 64, screen: 20 } as const;

const cut = (value: string | null | undefined, max: number): string | null => {
  const text = value?.trim() ?? '';
  return text === '' ? null : text.slice(0, max);
};

/** The parts of `navigator.userAgentData` (Chromium) the parser reads. */
export interface UserAgentData {
  readonly brands?: readonly { readonly brand: string; readonly version: string }[];
  readonly platform?: string;
  readonly mobile?: boolean;
}

export interface BrowserAndOs {
  readonly browser: string | null;
  readonly os: string | null;
}

const BRAND_NAMES: Record<string, string> = {
  'Google Chrome': 'Chrome', 'Microsoft Edge': 'Edge', Opera: 'Opera', 'Brave': 'Brave', 'Samsung Internet': 'Samsung Internet',
  'YaBrowser': 'Yandex', 'Vivaldi': 'Vivaldi',
};

/** Browser rules on the user-agent string, most specific first (Edge and Opera also say "Chrome"). */
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdgA?\/(\d+)/, 'Edge'],
  [/\bEdgiOS\/(\d+)/, 'Edge'],
  [/\bOPR\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\bFxiOS\/(\d+)/, 'Firefox'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\bCriOS\/(\d+)/, 'Chrome'],
  [/\bChrome\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+(?:\.\d+)?).*\bSafari\//, 'Safari'],
];

const version = (raw: string | undefined): string => (raw ?? '').replace(/_/g, '.');

function osFromString(ua: string): string | null {
  let m: RegExpExecArray | null;
  if ((m = /\b(?:iPhone|iPod)[^)]*?OS (\d+(?:_\d+)?)/.exec(ua))) return `iOS ${version(m[1])}`;
  if ((m = /\biPad[^)]*?OS (\d+(?:_\d+)?)/.exec(ua))) return `iPadOS ${version(m[1])}`;
  if ((m = /\bAndroid (\d+(?:\.\d+)?)/.exec(ua))) return `Android ${m[1]}`;
  if (/\bWindows NT/.test(ua)) return 'Windows';
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS';
  if (/\bMac OS X\b/.test(ua)) return 'macOS';
  if (/\bLinux\b/.test(ua)) return 'Linux';
  return null;
}

/**
 * "Chrome 131" and "macOS" from the user agent: `userAgentData` where the browser has it (its brands
 * and platform are what Chromium keeps unreduced), else the user-agent string. Major versions only,
 * as reduced user-agent strings give no more.
 */
export function parseUserAgent(ua: string, data?: UserAgentData | null): BrowserAndOs {
  let browser: string | null = null;
  const brand = data?.brands?.find((b) => b.brand in BRAND_NAMES) ?? data?.brands?.find((b) => b.brand === 'Chromium');
  if (brand) browser = `${BRAND_NAMES[brand.brand] ?? 'Chromium'} ${brand.version.split('.')[0] ?? ''}`.trim();
  if (!browser) {
    for (const [rule, name] of BROWSERS) {
      const m = rule.exec(ua);
      if (m) {
        browser = `${name} ${m[1] ?? ''}`.trim();
        break;
      }
    }
  }
  const platform = data?.platform?.trim();
  // userAgentData's platform has no version; the string's Android/iOS version is kept where it has one.
  const fromString = osFromString(ua);
  const os = platform && !(fromString && fromString.startsWith(platform)) ? platform : fromString;
  return { browser, os };
}

/** What a page would tell: the parts of `window` {@link captureContext} reads. */
export interface PageLike {
  readonly location: { readonly href: string };
  readonly document: { readonly title: string; readonly referrer: string };
  readonly navigator: { readonly userAgent: string; readonly language?: string; readonly userAgentData?: UserAgentData };
  readonly screen?: { readonly width: number; readonly height: number };
}

/** Where {@link timeZone} keeps the last name it resolved, after the UTC offset it had then. */
export const TIME_ZONE_KEY = 'parley-time-zone';

export interface TimeZoneCache {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function pageStorage(): TimeZoneCache | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * The visitor's IANA time zone. Resolving it is the page's first Intl call, tens of milliseconds of
 * the host page's main thread on every page view where the launcher connects, so the name is kept
 * (`cache`, localStorage) with the UTC offset it had, and resolved again once the offset differs
 * (a change of daylight saving time, travel). A move between zones of one offset keeps the old name
 * until then: the same local time.
 */
export function timeZone(cache: TimeZoneCache | null = pageStorage(), offset = new Date().getTimezoneOffset()): string | null {
  let kept: string | null = null;
  try {
    kept = cache?.getItem(TIME_ZONE_KEY) ?? null;
  } catch {
    // Blocked storage: resolve every time.
  }
  const [keptOffset, keptZone] = kept?.split(' ') ?? [];
  if (keptOffset === String(offset) && keptZone) return keptZone;
  let zone: string | null;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? null;
  } catch {
    return null;
  }
  try {
    if (zone) cache?.setItem(TIME_ZONE_KEY, `${offset} ${zone}`);
  } catch {
    // Full or blocked storage: resolved again next time.
  }
  return zone;
}

/**
 * The visit as stored: the address without its fragment (`#…` is often a single-page app's state
 * or an auth callback's token), each field cut to its column's bound.
 */
export function captureContext(page: PageLike, referrer?: string | null): VisitContext {
  const href = page.location.href.split('#')[0] ?? '';
  const { browser, os } = parseUserAgent(page.navigator.userAgent, page.navigator.userAgentData ?? null);
  const screen = page.screen ? `${page.screen.width}×${page.screen.height}` : null;
  return {
    url: href.slice(0, BOUNDS.url),
    title: cut(page.document.title, BOUNDS.title),
    referrer: cut(referrer === undefined ? page.document.referrer : referrer, BOUNDS.referrer),
    browser: cut(browser, BOUNDS.browser),
    os: cut(os, BOUNDS.os),
    language: cut(page.navigator.language, BOUNDS.language),
    timeZone: cut(timeZone(), BOUNDS.timeZone),
    screen: cut(screen, BOUNDS.screen),
  };
}


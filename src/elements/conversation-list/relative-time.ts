/** Relative times for the conversation list ("5 minutes ago", "yesterday", "now"). */

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** One formatter per language: the list formats every row's time on every refresh. */
const formats = new Map<string, Intl.RelativeTimeFormat>();

function relativeFormat(lang: string): Intl.RelativeTimeFormat {
  let format = formats.get(lang);
  if (!format) {
    try {
      format = new Intl.RelativeTimeFormat(lang || undefined, { numeric: 'auto' });
    } catch {
      // An invalid lang attribute on the host page must not break rendering.
      format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
    }
    formats.set(lang, format);
  }
  return format;
}

/** "5 minutes ago", "yesterday", "now" in `lang`, for the time between `iso` and `now` (ms). */
export function formatRelativeTime(iso: string, now: number, lang: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const format = relativeFormat(lang);
  const seconds = Math.round((then - now) / 1000);
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/**
 * Milliseconds until {@link formatRelativeTime} says something else for `iso` (at least 1 s), so a
 * list wakes only when a label moves on: within the minute for "now", hourly for "3 hours ago".
 * Null for a time it cannot read. A time ahead of `now` (a skewed clock) is looked at again in a minute.
 */
export function msUntilRelativeChange(iso: string, now: number): number | null {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return null;
  const elapsed = (now - then) / 1000;
  if (elapsed < 0) return 60_000;
  // formatRelativeTime rounds to whole seconds, then truncates to the largest unit that fits.
  const seconds = Math.round(elapsed);
  let size = 60;
  let larger = Infinity;
  for (const [, unitSize] of RELATIVE_UNITS) {
    if (seconds >= unitSize) {
      size = unitSize;
      break;
    }
    larger = unitSize;
  }
  // The next whole unit, or sooner where a larger unit takes over (4 weeks becomes "last month" at 30 days).
  const next = Math.min((Math.trunc(seconds / size) + 1) * size, larger);
  return Math.max(1000, Math.ceil((next - 0.5 - elapsed) * 1000));
}

/**
 * The languages Parley ships text for. English is built in (each element's defaults); the others
 * are tables under src/i18n/locales, loaded only when an element renders in that language.
 */
export const LOCALES = ['en', 'de', 'fr', 'es', 'pt', 'ar', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];

/** Written right to left: the roots lay themselves out mirrored in these, whatever the page's direction. */
const RIGHT_TO_LEFT: ReadonlySet<Locale> = new Set(['ar']);

/** The shipped locale for a BCP 47 tag (`de-CH` → `de`), English for any language Parley lacks. */
export function localeOf(tag: string | null | undefined): Locale {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LOCALES as readonly string[]).includes(primary) ? primary as Locale : 'en';
}

export function isRightToLeft(locale: Locale): boolean {
  return RIGHT_TO_LEFT.has(locale);
}

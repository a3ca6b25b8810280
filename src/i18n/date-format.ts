/**
 * Intl.DateTimeFormat instances kept per language and options. Building one loads locale data and
 * costs far more than formatting with it; views that format a time per row on every render (the
 * customer panel re-renders on each message) must not build one per call.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

/** The formatter for `lang` (the browser's language when `lang` is empty or invalid) and `options`. */
export function dateTimeFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(lang || undefined, options);
    } catch {
      // An invalid lang attribute on the host page must not break rendering.
      format = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(key, format);
  }
  return format;
}

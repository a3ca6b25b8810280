import type { Locale } from './locale.ts';

/**
 * The full launcher's bubble name in each shipped language (`launcherStrings.open` and the
 * locales' `launcher.open`, compared by test/unit/translations.test.ts), apart so parley.js
 * carries no string table.
 */
export const OPEN_LABELS: Readonly<Record<Locale, string>> = {
  en: 'Open chat', de: 'Chat öffnen', fr: 'Ouvrir le chat', es: 'Abrir chat', pt: 'Abrir chat', ar: 'فتح المحادثة', ja: 'チャットを開く',
};

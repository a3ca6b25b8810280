/**
 * The console's translated tables (inbox, settings): imported by the console's elements only, so
 * a visitor's bundle carries neither the tables nor their loaders.
 */
import { registerConsoleTranslations, type ConsoleTranslation, type Translated } from './translations.ts';

export const CONSOLE_LOADERS: Readonly<Record<Translated, () => Promise<{ default: ConsoleTranslation }>>> = {
  de: () => import('./locales/de.console.ts'),
  fr: () => import('./locales/fr.console.ts'),
  es: () => import('./locales/es.console.ts'),
  pt: () => import('./locales/pt.console.ts'),
  ar: () => import('./locales/ar.console.ts'),
  ja: () => import('./locales/ja.console.ts'),
};

registerConsoleTranslations(CONSOLE_LOADERS);

/** What every section template gets from `<parley-settings>`. */
import type { SettingsStrings } from '../../i18n/settings-strings.ts';
import type { SettingsStore } from './settings-store.ts';

export interface SectionContext {
  readonly store: SettingsStore;
  readonly t: SettingsStrings;
  /** Runs a form's save; when it fails the element moves focus to the first field in error. */
  readonly submit: (save: () => Promise<boolean>) => (event: Event) => void;
}

/** The settings screen's sections (declared with its event in events.ts) and their guard. */
import { SETTINGS_SECTIONS, type SettingsSection } from '../events.ts';

export { SETTINGS_SECTIONS, type SettingsSection };

export function isSettingsSection(value: unknown): value is SettingsSection {
  return typeof value === 'string' && (SETTINGS_SECTIONS as readonly string[]).includes(value);
}

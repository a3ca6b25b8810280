/** The settings screen's sections, in navigation order. */
export const SETTINGS_SECTIONS = ['workspace', 'hours', 'team', 'canned', 'embed'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export function isSettingsSection(value: unknown): value is SettingsSection {
  return typeof value === 'string' && (SETTINGS_SECTIONS as readonly string[]).includes(value);
}

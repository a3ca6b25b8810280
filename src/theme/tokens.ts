/**
 * The design token tables and the CSS declarations built from them, without Lit, so the
 * dependency-free launcher stub (src/embed) reads the same `--parley-*` properties with the same
 * defaults as the elements. `tokens.styles.ts` wraps them for Lit.
 */

/** Colour tokens: [light default, dark default]. Text colours meet WCAG AA on both surfaces. */
export const colorTokens = {
  surface: ['#ffffff', '#17191d'],
  'surface-raised': ['#f1f3f6', '#252930'],
  text: ['#1c1f24', '#e8eaed'],
  'text-muted': ['#535a66', '#aab1bc'],
  border: ['#8a93a3', '#6f7785'],
  accent: ['#1f5fd1', '#8ab4f8'],
  'on-accent': ['#ffffff', '#0b1b33'],
  danger: ['#b3261e', '#f2b8b5'],
  success: ['#1e7b34', '#7dd491'],
  warning: ['#a16207', '#f0c46c'],
  neutral: ['#6b7280', '#9aa1ad'],
  /** Internal notes: their background, and their border, lock icon and label (text on both surfaces). */
  note: ['#fff4d1', '#3a3120'],
  'note-border': ['#8a5a00', '#e0b252'],
} as const satisfies Record<string, readonly [string, string]>;

/** Non-colour tokens and their defaults. */
export const sizeTokens = {
  'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  'font-size': '0.9375rem',
  'line-height': '1.4',
  radius: '0.5rem',
  space: '0.5rem',
  'focus-ring-color': 'var(--_accent)',
  'focus-ring-width': '2px',
} as const satisfies Record<string, string>;

export type ColorToken = keyof typeof colorTokens;

/**
 * Colours the workspace settings may set (`--parley-workspace-color-<name>[-dark]`, written by the
 * launcher on its host): below the page's `--parley-color-*`, above the defaults.
 */
export const WORKSPACE_COLORS = ['accent', 'on-accent'] as const satisfies readonly ColorToken[];
export type SizeToken = keyof typeof sizeTokens;

/**
 * `--_name: var(--parley-name, default);` declarations: the light or dark colours (with
 * `color-scheme`), or the sizes. `only` restricts them to the tokens a rule needs.
 */
export function tokenDeclarations(set: 'light' | 'dark', only?: readonly ColorToken[]): string;
export function tokenDeclarations(set: 'sizes', only?: readonly SizeToken[]): string;
export function tokenDeclarations(set: 'light' | 'dark' | 'sizes', only?: readonly string[]): string {
  if (set === 'sizes') {
    return Object.entries(sizeTokens)
      .filter(([name]) => !only || only.includes(name))
      .map(([name, fallback]) => `--_${name}: var(--parley-${name}, ${fallback});`)
      .join('\n');
  }
  const dark = set === 'dark';
  const suffix = dark ? '-dark' : '';
  const colors = Object.entries(colorTokens)
    .filter(([name]) => !only || only.includes(name))
    .map(([name, [light, darkValue]]) => {
      const fallback = dark ? darkValue : light;
      // The workspace's colours (admin settings) sit under the page's own custom properties.
      const base = (WORKSPACE_COLORS as readonly string[]).includes(name) ? `var(--parley-workspace-color-${name}${suffix}, ${fallback})` : fallback;
      return `--_${name}: var(--parley-color-${name}${suffix}, ${base});`;
    });
  return `${colors.join('\n')}\ncolor-scheme: ${set};`;
}

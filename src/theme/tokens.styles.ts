import { css, unsafeCSS } from 'lit';

/**
 * Design tokens. The public API is the `--parley-*` custom properties, which a host page sets on the
 * element or any ancestor (`:root { --parley-color-accent: #7a1fd1 }`); each colour has a `-dark`
 * twin used in dark mode. Elements never declare the public properties themselves (a declaration
 * inside the shadow root would shadow values inherited from the page); they read them once, with
 * the defaults below, into private `--_*` properties on their `.base` part.
 *
 * Dark mode follows `prefers-color-scheme` unless the host has `theme="light"`; `theme="dark"` forces it.
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

const colorNames = Object.keys(colorTokens) as (keyof typeof colorTokens)[];

function colorDeclarations(mode: 0 | 1): string {
  return colorNames
    .map((name) => {
      const fallback = colorTokens[name][mode];
      const value = mode === 0
        ? `var(--parley-color-${name}, ${fallback})`
        : `var(--parley-color-${name}-dark, ${fallback})`;
      return `--_${name}: ${value};`;
    })
    .join('\n');
}

const sizeDeclarations = Object.entries(sizeTokens)
  .map(([name, fallback]) => `--_${name}: var(--parley-${name}, ${fallback});`)
  .join('\n');

// The inputs are the constant tables above, never user data.
const light = unsafeCSS(`${colorDeclarations(0)}\ncolor-scheme: light;`);
const dark = unsafeCSS(`${colorDeclarations(1)}\ncolor-scheme: dark;`);
const sizes = unsafeCSS(sizeDeclarations);

export const tokenStyles = css`
  @layer parley {
    .base {
      ${sizes}
      ${light}
      font-family: var(--_font-family);
      font-size: var(--_font-size);
      line-height: var(--_line-height);
      color: var(--_text);
    }

    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light'])) .base {
        ${dark}
      }
    }

    :host([theme='dark']) .base {
      ${dark}
    }
  }
`;

import { css, unsafeCSS } from 'lit';
import { tokenDeclarations } from './tokens.ts';

/**
 * Design tokens. The public API is the `--parley-*` custom properties, which a host page sets on the
 * element or any ancestor (`:root { --parley-color-accent: #7a1fd1 }`); each colour has a `-dark`
 * twin used in dark mode. Elements never declare the public properties themselves (a declaration
 * inside the shadow root would shadow values inherited from the page); they read them once, with
 * the defaults of `tokens.ts`, into private `--_*` properties on their `.base` part.
 *
 * Dark mode follows `prefers-color-scheme` unless the host has `theme="light"`; `theme="dark"` forces it.
 */

export { colorTokens, sizeTokens } from './tokens.ts';

// The inputs are the constant tables of tokens.ts, never user data.
const light = unsafeCSS(tokenDeclarations('light'));
const dark = unsafeCSS(tokenDeclarations('dark'));
const sizes = unsafeCSS(tokenDeclarations('sizes'));

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

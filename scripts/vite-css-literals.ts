/**
 * Minifies the CSS inside Lit's `css` tagged templates of the project's modules in the bundled
 * builds: comments and indentation are most of those strings, and the minifier leaves template
 * literals alone. Only the static text between `${…}` is touched, never quoted strings, and only in
 * ways CSS cannot tell apart (whitespace runs, space around braces, semicolons and commas).
 */
import type { Plugin } from 'vite';

const QUOTED = /('[^'\n]*'|"[^"\n]*")/;

/**
 * One run of CSS text without interpolations, minified; quoted strings are kept as written. A run
 * that borders an interpolation keeps one space there (`${selector} .child` must stay two parts).
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(QUOTED)
    .map((part, index) => (index % 2 === 1 ? part : part
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};,]) ?/g, '$1')
      .replace(/;}/g, '}')
      .replace(/: /g, ':')))
    .join('');
}

/**
 * Every `css\`…\`` literal of a module with its static runs minified (interpolations untouched).
 * Only where an expression starts (after `=`, `(`, `,`, `:`, `?` or `return`): a comment that
 * names `static css` is not a literal.
 */
export function minifyCssLiterals(source: string): string {
  return source.replace(CSS_LITERAL, (_literal, body: string) => {
    const runs = body.split(/(\$\{[^}]*\})/);
    return `css\`${runs.map((run, index) => (index % 2 === 1 ? run : minifyCss(run))).join('').trim()}\``;
  });
}

const CSS_LITERAL = /(?<=(?:[=(,:?]|\breturn)\s*)\bcss`([^`]*)`/g;

export function cssLiterals(): Plugin {
  return {
    name: 'parley:css-literals',
    enforce: 'pre',
    transform(code, id) {
      // Most CSS lives in `*.styles.ts`; a few small sheets (the base element's host styles) sit
      // beside their element.
      if (!/\/src\/.*\.ts$/.test(id.replaceAll('\\', '/')) || !code.includes('css`')) return null;
      return { code: minifyCssLiterals(code), map: null };
    },
  };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyCss, minifyCssLiterals } from '../../scripts/vite-css-literals.ts';

describe('minifyCss', () => {
  it('drops comments and indentation, keeps what CSS can tell apart', () => {
    const css = `
      /* why */
      :host { display: block; }
      .a > .b,
      .c :is(.d, .e) {
        margin: 0 auto;
        font-family: "Segoe UI", system-ui;
      }
      @media (max-width: 480px) { .a { inset: 0; } }
    `;
    assert.equal(minifyCss(css).trim(),
      ':host{display:block}.a > .b,.c :is(.d,.e){margin:0 auto;font-family:"Segoe UI",system-ui}@media (max-width:480px){.a{inset:0}}');
  });

  it('leaves quoted strings as written', () => {
    assert.equal(minifyCss(".x::before { content: '✓  ;  { '; }"), ".x::before{content:'✓  ;  { '}");
  });
});

describe('minifyCssLiterals', () => {
  it('minifies only the static runs of css`` literals, never interpolations or other code', () => {
    const source = 'const a = css`\n  ${sel} .x { color: ${unsafeCSS(c)}; }\n`;\nconst s = `  keep  me  `;';
    assert.equal(minifyCssLiterals(source), 'const a = css`${sel} .x{color:${unsafeCSS(c)}}`;\nconst s = `  keep  me  `;');
  });

  it('leaves a comment that names `css` alone, and finds the literals around it', () => {
    const source = 'const a = css`\n  .a { color: red; }\n`;\n/** Put your CSS in `static css` (the base adds  `tokens`). */\nstatic css = css`\n  .b { margin: 0; }\n`;';
    assert.equal(minifyCssLiterals(source),
      'const a = css`.a{color:red}`;\n/** Put your CSS in `static css` (the base adds  `tokens`). */\nstatic css = css`.b{margin:0}`;');
  });
});

/**
 * Lowers the sources' standard decorators and `accessor` fields, which Vite's transformer (Oxc)
 * passes through untouched and no browser runs yet. TypeScript does it (web-test-runner uses
 * esbuild for the same job); only `src/` files that use a decorator go through it. Shared by the
 * library builds (vite.config.ts) and the demo's dev server (demo/vite-plugins.ts).
 */
import ts from 'typescript';
import type { Plugin } from 'vite';

export interface StandardDecoratorsOptions {
  /**
   * Import helpers from `tslib` (which supabase-js already depends on) so a bundle carries them
   * once; a dev server inlines them instead.
   */
  readonly importHelpers?: boolean;
  /** Emit source maps (the dev server wants them; shipped builds carry none). */
  readonly sourceMaps?: boolean;
}

export function standardDecorators(options: StandardDecoratorsOptions = {}): Plugin {
  const compilerOptions: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    verbatimModuleSyntax: true,
    importHelpers: options.importHelpers ?? false,
    ...(options.sourceMaps ? { sourceMap: true, inlineSources: true } : {}),
  };
  return {
    name: 'parley:standard-decorators',
    enforce: 'pre',
    transform: {
      filter: { id: /[\\/]src[\\/].*\.ts$/, code: /^\s*@\w+\(/m },
      handler(code, id) {
        const { outputText, sourceMapText } = ts.transpileModule(code, { compilerOptions, fileName: id });
        return {
          code: outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ''),
          map: sourceMapText ?? null,
        };
      },
    },
  };
}

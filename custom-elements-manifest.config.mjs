// @ts-check
/**
 * Configuration of @custom-elements-manifest/analyzer: `npm run manifest` writes custom-elements.json
 * from the elements' JSDoc (STYLE.md §5). The plugins under scripts/manifest/ each do one job, in
 * this order: give each class its tag from the registry, write inherited generic types in the
 * subclass's terms, spell out closed vocabularies, and trim each class to the API a page can use.
 */
import { inheritedTypesPlugin } from './scripts/manifest/inherited-types.mjs';
import { publicApiPlugin } from './scripts/manifest/public-api.mjs';
import { tagNamesPlugin } from './scripts/manifest/tag-names.mjs';
import { vocabulariesPlugin } from './scripts/manifest/vocabularies.mjs';

/**
 * Members of the base class (`ParleyElement`) that subclasses use and pages must not.
 */
const BASE_INTERNALS = ['defaultStrings', 'internals', 'text', 'direction', 'language'];

export default {
  globs: ['src/elements/**/*.ts', 'src/define.ts'],
  exclude: ['src/elements/**/*.styles.ts', 'src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest once, by hand; the analyzer would otherwise rewrite the shared file on every run.
  packagejson: false,
  plugins: [
    tagNamesPlugin({ registry: 'src/define.ts' }),
    inheritedTypesPlugin(),
    vocabulariesPlugin(),
    publicApiPlugin({ internal: BASE_INTERNALS }),
  ],
};

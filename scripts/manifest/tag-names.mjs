// @ts-check
/**
 * Gives each element class its tag. Element modules have no side effects and carry no tag name; the
 * tags live in one registry module (`src/define.ts`), so this plugin reads its
 * `ParleyX.define('parley-x')` calls, traces each class through its import, and marks the class as
 * a custom element with that tag (plus a `custom-element-definition` export of the registry).
 */
import path from 'node:path';
import { findClass, normalize } from './shared.mjs';

/** @typedef {import('@custom-elements-manifest/analyzer').Plugin} Plugin */
/** @typedef {import('typescript')} TS */
/** @typedef {import('typescript').Node} Node */

/**
 * @typedef {object} Definition
 * @property {string} tag
 * @property {string} className  The class's exported name in its own module.
 * @property {string} module  Repo-relative path of the module that declares the class.
 */

/**
 * @param {{ registry: string }} options
 *   `registry`: repo-relative path of the module with the `define('tag')` calls (must be among the globs).
 * @returns {Plugin}
 */
export function tagNamesPlugin({ registry }) {
  const registryPath = normalize(registry);
  /** @type {Definition[] | undefined} */
  let definitions;

  return {
    name: 'parley-tag-names',

    // The config module is loaded once per process; a second analysis (watch mode, tests) starts clean.
    initialize() {
      definitions = undefined;
    },

    collectPhase({ ts, node }) {
      if (ts.isSourceFile(node) && normalize(node.fileName) === registryPath) {
        definitions = readDefinitions(ts, node, registryPath);
      }
    },

    packageLinkPhase({ customElementsManifest }) {
      if (definitions === undefined) {
        throw new Error(`${registryPath} was not analysed: add it to the globs, or no tag gets a name.`);
      }
      const registryModule = customElementsManifest.modules.find((m) => normalize(m.path) === registryPath);
      for (const definition of definitions) {
        const declaration = findClass(customElementsManifest, definition.module, definition.className);
        if (!declaration) {
          throw new Error(
            `${registryPath} defines <${definition.tag}> with ${definition.className} from ${definition.module}, ` +
              'which the manifest does not contain (is that module among the globs, and is the class exported?).',
          );
        }
        if ('tagName' in declaration && declaration.tagName && declaration.tagName !== definition.tag) {
          throw new Error(`${definition.className} is defined twice: <${declaration.tagName}> and <${definition.tag}>.`);
        }
        Object.assign(declaration, { tagName: definition.tag, customElement: true });
        registryModule?.exports?.push({
          kind: 'custom-element-definition',
          name: definition.tag,
          declaration: { name: definition.className, module: definition.module },
        });
      }
    },
  };
}

/**
 * The `X.define('tag')` calls of the registry, with each `X` traced through its import to the module
 * that declares it. Anything else that looks like a registration but cannot be documented fails loudly.
 *
 * @param {TS} ts
 * @param {import('typescript').SourceFile} source
 * @param {string} registryPath
 * @returns {Definition[]}
 */
function readDefinitions(ts, source, registryPath) {
  /** @type {Map<string, { module: string; name: string }>} */
  const imports = new Map();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (!specifier.startsWith('.')) continue;
    const module = normalize(path.posix.join(path.posix.dirname(registryPath), specifier));
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        imports.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      }
    }
  }

  /** @type {Definition[]} */
  const found = [];
  /** @param {Node} node */
  const visit = (node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'define' &&
      ts.isIdentifier(node.expression.expression)
    ) {
      const local = node.expression.expression.text;
      const [tag] = node.arguments;
      if (!tag || !ts.isStringLiteralLike(tag)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        throw new Error(`${registryPath}:${line + 1}: ${local}.define() needs the tag as a string literal to be documented.`);
      }
      const origin = imports.get(local) ?? { module: registryPath, name: local };
      found.push({ tag: tag.text, className: origin.name, module: origin.module });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

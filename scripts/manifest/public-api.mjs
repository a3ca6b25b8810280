// @ts-check
/**
 * Trims each class to the API a page can use: no private, protected or `#` members, no Lit
 * plumbing fixed at definition time, no `@state()` members (Lit's internal reactive state, which
 * the analyzer lists as public fields), and none of the base class's internals that subclasses
 * may re-declare without `protected` (widening is legal TypeScript, so privacy alone does not keep
 * them out).
 */
import { classKey, forEachClass } from './shared.mjs';

/** @typedef {import('@custom-elements-manifest/analyzer').Plugin} Plugin */
/** @typedef {import('typescript')} TS */

/** Lit plumbing a page never touches: styles and shadow-root setup are fixed when the class is defined. */
const STATIC_PLUMBING = ['css', 'styles', 'shadowRootOptions', 'properties', 'elementStyles'];

/**
 * @param {{ internal?: readonly string[] }} [options]
 *   `internal`: member names of the base class that subclasses use and pages must not.
 * @returns {Plugin}
 */
export function publicApiPlugin({ internal = [] } = {}) {
  const internalNames = new Set(internal);
  const staticPlumbing = new Set(STATIC_PLUMBING);
  /** @type {Map<string, Set<string>>} class key -> names of its `@state()` members */
  const stateMembers = new Map();

  return {
    name: 'parley-public-api',

    // The config module is loaded once per process; a second analysis (watch mode, tests) starts clean.
    initialize() {
      stateMembers.clear();
    },

    analyzePhase({ ts, node, moduleDoc }) {
      if (ts.isClassDeclaration(node) && node.name && moduleDoc.path !== undefined) {
        stateMembers.set(classKey(moduleDoc.path, node.name.text), readStateMembers(ts, node));
      }
    },

    packageLinkPhase({ customElementsManifest }) {
      forEachClass(customElementsManifest, (declaration, modulePath) => {
        declaration.members = declaration.members?.filter((member) => {
          if (member.privacy === 'private' || member.privacy === 'protected' || member.name.startsWith('#')) return false;
          if (internalNames.has(member.name)) return false;
          if (member.static && staticPlumbing.has(member.name)) return false;
          const owner = member.inheritedFrom ?? { name: declaration.name, module: modulePath };
          const state = owner.module === undefined ? undefined : stateMembers.get(classKey(owner.module, owner.name));
          return !state?.has(member.name);
        });
      });
    },
  };
}

/**
 * @param {TS} ts
 * @param {import('typescript').ClassDeclaration} node
 * @returns {Set<string>}
 */
function readStateMembers(ts, node) {
  /** @type {Set<string>} */
  const names = new Set();
  for (const member of node.members) {
    if (!member.name || !(ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))) continue;
    const decorators = ts.canHaveDecorators(member) ? (ts.getDecorators(member) ?? []) : [];
    const isState = decorators.some(
      (d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === 'state',
    );
    if (isState) names.add(member.name.text);
  }
  return names;
}

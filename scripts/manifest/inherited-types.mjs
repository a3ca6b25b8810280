// @ts-check
/**
 * The analyzer copies inherited members with the base class's type parameters (`strings:
 * Partial<S>`), which means nothing to a reader; this plugin writes them in the subclass's terms
 * (`Partial<StatusStrings>`) by following the `extends Base<...>` arguments up the chain. The
 * analyzer drops the generic syntax it needs, so the plugin reads it from each class's AST.
 */
import { classKey, findClass, forEachClass, substitute } from './shared.mjs';

/** @typedef {import('@custom-elements-manifest/analyzer').Plugin} Plugin */
/** @typedef {import('custom-elements-manifest/schema').Package} Package */
/** @typedef {import('custom-elements-manifest/schema').ClassDeclaration} ClassDeclaration */
/** @typedef {import('custom-elements-manifest/schema').Type} Type */
/** @typedef {import('typescript')} TS */

/**
 * @typedef {object} GenericSyntax  What the analyzer drops and this plugin needs.
 * @property {string[]} typeParameters  Names of the class's type parameters, in order.
 * @property {(string | undefined)[]} typeParameterDefaults
 * @property {string[]} superTypeArguments  Type arguments of the `extends` clause, as written.
 */

/** @returns {Plugin} */
export function inheritedTypesPlugin() {
  /** @type {Map<string, GenericSyntax>} */
  const classes = new Map();

  return {
    name: 'parley-inherited-types',

    // The config module is loaded once per process; a second analysis (watch mode, tests) starts clean.
    initialize() {
      classes.clear();
    },

    analyzePhase({ ts, node, moduleDoc }) {
      if (ts.isClassDeclaration(node) && node.name && moduleDoc.path !== undefined) {
        classes.set(classKey(moduleDoc.path, node.name.text), readGenericSyntax(ts, node));
      }
    },

    packageLinkPhase({ customElementsManifest }) {
      forEachClass(customElementsManifest, (declaration, modulePath) =>
        resolveInheritedTypes(customElementsManifest, classes, modulePath, declaration),
      );
    },
  };
}

/**
 * @param {TS} ts
 * @param {import('typescript').ClassDeclaration} node
 * @returns {GenericSyntax}
 */
function readGenericSyntax(ts, node) {
  const heritage = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
  return {
    typeParameters: node.typeParameters?.map((p) => p.name.text) ?? [],
    typeParameterDefaults: node.typeParameters?.map((p) => p.default?.getText()) ?? [],
    superTypeArguments: heritage?.types[0]?.typeArguments?.map((t) => t.getText()) ?? [],
  };
}

/**
 * @param {Package} manifest
 * @param {Map<string, GenericSyntax>} classes
 * @param {string} modulePath
 * @param {ClassDeclaration} declaration
 */
function resolveInheritedTypes(manifest, classes, modulePath, declaration) {
  /** @type {Map<string, Map<string, string>>} ancestor name -> its type parameters in this class's terms */
  const byAncestor = new Map();
  /** @type {Map<string, string>} */
  let mapping = new Map();
  let current = declaration;
  let currentModule = modulePath;
  for (let depth = 0; depth < 32; depth++) {
    const syntax = classes.get(classKey(currentModule, current.name));
    const superclass = current.superclass;
    if (!syntax || !superclass?.module) break;
    const superSyntax = classes.get(classKey(superclass.module, superclass.name));
    const superDeclaration = findClass(manifest, superclass.module, superclass.name);
    if (!superSyntax || !superDeclaration) break;
    /** @type {Map<string, string>} */
    const next = new Map();
    superSyntax.typeParameters.forEach((parameter, i) => {
      const argument = syntax.superTypeArguments[i] ?? superSyntax.typeParameterDefaults[i];
      if (argument !== undefined) next.set(parameter, substitute(argument, mapping));
    });
    mapping = next;
    byAncestor.set(superclass.name, mapping);
    current = superDeclaration;
    currentModule = superclass.module;
  }
  if (byAncestor.size === 0) return;

  // Inherited entries share their `type` objects with the base and its other subclasses: replace, never mutate.
  /**
   * @param {Type | undefined} type
   * @param {Map<string, string> | undefined} m
   * @returns {Type | undefined}
   */
  const fix = (type, m) => (type && m ? { ...type, text: substitute(type.text, m) } : type);
  declaration.members = declaration.members?.map((member) => {
    const m = member.inheritedFrom && byAncestor.get(member.inheritedFrom.name);
    if (!m) return member;
    if (member.kind === 'field') return { ...member, type: fix(member.type, m) };
    return {
      ...member,
      ...(member.return ? { return: { ...member.return, type: fix(member.return.type, m) } } : {}),
      ...(member.parameters ? { parameters: member.parameters.map((p) => ({ ...p, type: fix(p.type, m) })) } : {}),
    };
  });
  declaration.attributes = declaration.attributes?.map((attribute) => {
    const m = attribute.inheritedFrom && byAncestor.get(attribute.inheritedFrom.name);
    return m ? { ...attribute, type: fix(attribute.type, m) } : attribute;
  });
}

// @ts-check
/**
 * Closed vocabularies (STYLE.md §4) are unions of string literals, usually derived from an
 * `as const` array. Their alias name (`ConnectionStatus`) tells a page author nothing; the values do,
 * and editors offer them as attribute completions. This plugin collects the aliases of the analysed
 * modules and writes their values into the types of fields and attributes.
 */
import { forEachClass, substitute } from './shared.mjs';

/** @typedef {import('@custom-elements-manifest/analyzer').Plugin} Plugin */
/** @typedef {import('custom-elements-manifest/schema').ClassDeclaration} ClassDeclaration */
/** @typedef {import('custom-elements-manifest/schema').Type} Type */
/** @typedef {import('typescript')} TS */

/** @returns {Plugin} */
export function vocabulariesPlugin() {
  /** @type {Map<string, string | null>} alias name -> union of its string literals; null when two modules disagree */
  const vocabularies = new Map();
  /** @type {Map<string, string[]>} `as const` array name -> its strings, for `(typeof ARRAY)[number]` aliases */
  const constArrays = new Map();
  /** @type {Map<string, string>} alias name -> array name, resolved once every module is read */
  const arrayAliases = new Map();

  return {
    name: 'parley-vocabularies',

    // The config module is loaded once per process; a second analysis (watch mode, tests) starts clean.
    initialize() {
      vocabularies.clear();
      constArrays.clear();
      arrayAliases.clear();
    },

    analyzePhase({ ts, node }) {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const strings = constStringArray(ts, node.initializer);
        if (strings) constArrays.set(node.name.text, strings);
      } else if (ts.isTypeAliasDeclaration(node)) {
        const literals = stringLiteralUnion(ts, node.type);
        if (literals) addVocabulary(vocabularies, node.name.text, literals);
        const array = indexedConstArray(ts, node.type);
        if (array) arrayAliases.set(node.name.text, array);
      }
    },

    packageLinkPhase({ customElementsManifest }) {
      for (const [alias, array] of arrayAliases) {
        const strings = constArrays.get(array);
        if (strings) addVocabulary(vocabularies, alias, strings);
      }
      /** @type {Map<string, string>} */
      const unions = new Map();
      for (const [alias, union] of vocabularies) if (union !== null) unions.set(alias, union);
      forEachClass(customElementsManifest, (declaration) => expandVocabularies(declaration, unions));
    },
  };
}

/**
 * @param {ClassDeclaration} declaration
 * @param {Map<string, string>} unions
 */
function expandVocabularies(declaration, unions) {
  if (unions.size === 0) return;
  /** @param {Type | undefined} type @returns {Type | undefined} */
  const expand = (type) => (type ? { ...type, text: substitute(type.text, unions) } : type);
  declaration.members = declaration.members?.map((member) =>
    member.kind === 'field' ? { ...member, type: expand(member.type) } : member,
  );
  declaration.attributes = declaration.attributes?.map((attribute) => ({ ...attribute, type: expand(attribute.type) }));
}

/** @param {Map<string, string | null>} vocabularies @param {string} alias @param {readonly string[]} values */
function addVocabulary(vocabularies, alias, values) {
  const union = values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(' | ');
  const known = vocabularies.get(alias);
  vocabularies.set(alias, known === undefined || known === union ? union : null);
}

/**
 * `['a', 'b'] as const` -> ['a', 'b'].
 *
 * @param {TS} ts
 * @param {import('typescript').Expression} expression
 * @returns {string[] | undefined}
 */
function constStringArray(ts, expression) {
  if (!ts.isAsExpression(expression) || !ts.isTypeReferenceNode(expression.type)) return undefined;
  if (!ts.isIdentifier(expression.type.typeName) || expression.type.typeName.text !== 'const') return undefined;
  const array = expression.expression;
  if (!ts.isArrayLiteralExpression(array)) return undefined;
  const strings = array.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : undefined));
  return strings.every((v) => v !== undefined) && strings.length > 0 ? /** @type {string[]} */ (strings) : undefined;
}

/**
 * `'a' | 'b'` -> ['a', 'b'].
 *
 * @param {TS} ts
 * @param {import('typescript').TypeNode} type
 * @returns {string[] | undefined}
 */
function stringLiteralUnion(ts, type) {
  const parts = ts.isUnionTypeNode(type) ? [...type.types] : [type];
  const strings = parts.map((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined));
  return strings.every((v) => v !== undefined) && ts.isUnionTypeNode(type) ? /** @type {string[]} */ (strings) : undefined;
}

/**
 * `(typeof ARRAY)[number]` -> 'ARRAY'.
 *
 * @param {TS} ts
 * @param {import('typescript').TypeNode} type
 * @returns {string | undefined}
 */
function indexedConstArray(ts, type) {
  if (!ts.isIndexedAccessTypeNode(type) || type.indexType.kind !== ts.SyntaxKind.NumberKeyword) return undefined;
  let object = type.objectType;
  while (ts.isParenthesizedTypeNode(object)) object = object.type;
  return ts.isTypeQueryNode(object) && ts.isIdentifier(object.exprName) ? object.exprName.text : undefined;
}

// @ts-check
/**
 * Configuration of @custom-elements-manifest/analyzer: `npm run manifest` writes custom-elements.json
 * from the elements' JSDoc (STYLE.md §5). Element modules have no side effects and carry no tag name;
 * the tags live in one registry module, `src/define.ts`, so the plugin below reads its
 * `ParleyX.define('parley-x')` calls and gives each class its tag. It also trims each class to the
 * API a page can use, and spells out types a reader could not look up (`Partial<S>`, `Theme`).
 */
import path from 'node:path';

/** @typedef {import('@custom-elements-manifest/analyzer').Plugin} Plugin */
/** @typedef {import('custom-elements-manifest/schema').Package} Package */
/** @typedef {import('custom-elements-manifest/schema').ClassDeclaration} ClassDeclaration */
/** @typedef {import('custom-elements-manifest/schema').Type} Type */
/** @typedef {import('typescript')} TS */
/** @typedef {import('typescript').Node} Node */

/**
 * @typedef {object} Definition
 * @property {string} tag
 * @property {string} className  The class's exported name in its own module.
 * @property {string} module  Repo-relative path of the module that declares the class.
 */

/**
 * @typedef {object} ClassSyntax  What the analyzer drops and the plugin still needs.
 * @property {string[]} typeParameters  Names of the class's type parameters, in order.
 * @property {(string | undefined)[]} typeParameterDefaults
 * @property {string[]} superTypeArguments  Type arguments of the `extends` clause, as written.
 * @property {Set<string>} stateMembers  Members decorated with `@state()` (Lit's internal reactive state).
 */

/**
 * Members of the base class that subclasses use and pages must not: a subclass may re-declare one
 * without `protected` (widening is legal TypeScript), so privacy alone does not keep them out.
 */
const BASE_INTERNALS = ['defaultStrings', 'internals', 'text', 'direction', 'language'];

/** Lit plumbing a page never touches: styles and shadow-root setup are fixed when the class is defined. */
const STATIC_PLUMBING = ['css', 'styles', 'shadowRootOptions', 'properties', 'elementStyles'];

/** Manifest module paths come as `src/x.ts` or `/src/x.ts` depending on which analyzer feature wrote them. */
const normalize = (/** @type {string} */ p) => path.posix.normalize(p).replace(/^\/+/, '');
const classKey = (/** @type {string} */ module, /** @type {string} */ name) => `${normalize(module)}#${name}`;

/**
 * @param {{ registry: string; internal?: readonly string[] }} options
 *   `registry`: repo-relative path of the module with the `define('tag')` calls (must be among the globs).
 * @returns {Plugin}
 */
export function parleyElementsPlugin({ registry, internal = BASE_INTERNALS }) {
  const registryPath = normalize(registry);
  const internalNames = new Set(internal);
  const staticPlumbing = new Set(STATIC_PLUMBING);
  /** @type {Definition[] | undefined} */
  let definitions;
  /** @type {Map<string, ClassSyntax>} */
  const classes = new Map();
  /** @type {Map<string, string | null>} alias name -> union of its string literals; null when two modules disagree */
  const vocabularies = new Map();
  /** @type {Map<string, string[]>} `as const` array name -> its strings, for `(typeof ARRAY)[number]` aliases */
  const constArrays = new Map();
  /** @type {Map<string, string>} alias name -> array name, resolved once every module is read */
  const arrayAliases = new Map();

  return {
    name: 'parley-elements',

    // The config module is loaded once per process; a second analysis (watch mode, tests) starts clean.
    initialize() {
      definitions = undefined;
      classes.clear();
      vocabularies.clear();
      constArrays.clear();
      arrayAliases.clear();
    },

    collectPhase({ ts, node }) {
      if (ts.isSourceFile(node) && normalize(node.fileName) === registryPath) {
        definitions = readDefinitions(ts, node, registryPath);
      }
    },

    analyzePhase({ ts, node, moduleDoc }) {
      if (ts.isClassDeclaration(node) && node.name && moduleDoc.path !== undefined) {
        classes.set(classKey(moduleDoc.path, node.name.text), readClassSyntax(ts, node));
      } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
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

      for (const [alias, array] of arrayAliases) {
        const strings = constArrays.get(array);
        if (strings) addVocabulary(vocabularies, alias, strings);
      }
      /** @type {Map<string, string>} */
      const unions = new Map();
      for (const [alias, union] of vocabularies) if (union !== null) unions.set(alias, union);

      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.kind !== 'class') continue;
          resolveInheritedTypes(customElementsManifest, classes, mod.path, declaration);
          expandVocabularies(declaration, unions);
          declaration.members = declaration.members?.filter((member) => {
            if (member.privacy === 'private' || member.privacy === 'protected' || member.name.startsWith('#')) return false;
            if (internalNames.has(member.name)) return false;
            if (member.static && staticPlumbing.has(member.name)) return false;
            const owner = member.inheritedFrom ?? { name: declaration.name, module: mod.path };
            const syntax = owner.module === undefined ? undefined : classes.get(classKey(owner.module, owner.name));
            return !syntax?.stateMembers.has(member.name);
          });
        }
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

/**
 * @param {TS} ts
 * @param {import('typescript').ClassDeclaration} node
 * @returns {ClassSyntax}
 */
function readClassSyntax(ts, node) {
  const heritage = node.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword);
  const stateMembers = new Set();
  for (const member of node.members) {
    if (!member.name || !(ts.isIdentifier(member.name) || ts.isPrivateIdentifier(member.name))) continue;
    const decorators = ts.canHaveDecorators(member) ? (ts.getDecorators(member) ?? []) : [];
    const isState = decorators.some(
      (d) => ts.isCallExpression(d.expression) && ts.isIdentifier(d.expression.expression) && d.expression.expression.text === 'state',
    );
    if (isState) stateMembers.add(member.name.text);
  }
  return {
    typeParameters: node.typeParameters?.map((p) => p.name.text) ?? [],
    typeParameterDefaults: node.typeParameters?.map((p) => p.default?.getText()) ?? [],
    superTypeArguments: heritage?.types[0]?.typeArguments?.map((t) => t.getText()) ?? [],
    stateMembers,
  };
}

/**
 * Closed vocabularies (STYLE.md §4) are unions of string literals, usually derived from an
 * `as const` array. Their alias name (`ConnectionStatus`) tells a page author nothing; the values do,
 * and editors offer them as attribute completions.
 *
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

/**
 * @param {Package} manifest
 * @param {string} module
 * @param {string} name
 * @returns {ClassDeclaration | undefined}
 */
function findClass(manifest, module, name) {
  const mod = manifest.modules.find((m) => normalize(m.path) === normalize(module));
  const declaration = mod?.declarations?.find((d) => d.name === name);
  return declaration?.kind === 'class' ? declaration : undefined;
}

/**
 * The analyzer copies inherited members with the base class's type parameters (`strings:
 * Partial<S>`), which means nothing to a reader; this writes them in the subclass's terms
 * (`Partial<StatusStrings>`) by following the `extends Base<...>` arguments up the chain.
 *
 * @param {Package} manifest
 * @param {Map<string, ClassSyntax>} classes
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

/**
 * Replaces whole identifiers only, so `S` becomes `StatusStrings` without touching `Strings` or
 * `a.S`; one pass, so a replacement is never itself replaced.
 */
function substitute(/** @type {string} */ text, /** @type {Map<string, string>} */ mapping) {
  if (mapping.size === 0) return text;
  const names = [...mapping.keys()].map((name) => name.replace(/\$/g, '\\$')).join('|');
  return text.replace(new RegExp(`(?<![\\w$.])(?:${names})(?![\\w$])`, 'g'), (name) => mapping.get(name) ?? name);
}

export default {
  globs: ['src/elements/**/*.ts', 'src/define.ts'],
  exclude: ['src/elements/**/*.styles.ts', 'src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  // package.json names the manifest once, by hand; the analyzer would otherwise rewrite the shared file on every run.
  packagejson: false,
  plugins: [parleyElementsPlugin({ registry: 'src/define.ts' })],
};

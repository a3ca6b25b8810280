// @ts-check
/**
 * Helpers the manifest plugins share: module paths as the manifest spells them, class lookup, and
 * identifier substitution in type texts.
 */
import path from 'node:path';

/** @typedef {import('custom-elements-manifest/schema').Package} Package */
/** @typedef {import('custom-elements-manifest/schema').ClassDeclaration} ClassDeclaration */

/** Manifest module paths come as `src/x.ts` or `/src/x.ts` depending on which analyzer feature wrote them. */
export const normalize = (/** @type {string} */ p) => path.posix.normalize(p).replace(/^\/+/, '');

/** A key for a class across plugins' phases: its module and its name. */
export const classKey = (/** @type {string} */ module, /** @type {string} */ name) => `${normalize(module)}#${name}`;

/**
 * @param {Package} manifest
 * @param {string} module
 * @param {string} name
 * @returns {ClassDeclaration | undefined}
 */
export function findClass(manifest, module, name) {
  const mod = manifest.modules.find((m) => normalize(m.path) === normalize(module));
  const declaration = mod?.declarations?.find((d) => d.name === name);
  return declaration?.kind === 'class' ? declaration : undefined;
}

/** Calls `visit` with every class declaration of the manifest and its module's path. */
export function forEachClass(
  /** @type {Package} */ manifest,
  /** @type {(declaration: ClassDeclaration, modulePath: string) => void} */ visit,
) {
  for (const mod of manifest.modules) {
    for (const declaration of mod.declarations ?? []) {
      if (declaration.kind === 'class') visit(declaration, mod.path);
    }
  }
}

/**
 * Replaces whole identifiers only, so `S` becomes `StatusStrings` without touching `Strings` or
 * `a.S`; one pass, so a replacement is never itself replaced.
 */
export function substitute(/** @type {string} */ text, /** @type {Map<string, string>} */ mapping) {
  if (mapping.size === 0) return text;
  const names = [...mapping.keys()].map((name) => name.replace(/\$/g, '\\$')).join('|');
  return text.replace(new RegExp(`(?<![\\w$.])(?:${names})(?![\\w$])`, 'g'), (name) => mapping.get(name) ?? name);
}

/**
 * The custom elements manifest, produced in memory by the same analyzer and config as
 * `npm run manifest` (custom-elements-manifest.config.mjs), so tools that need it never read a stale
 * custom-elements.json.
 */
import { fileURLToPath } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/*
 * The subset of the Custom Elements Manifest schema (2.1, which adds `cssStates`) that Parley's
 * tools read. Declared here because the `custom-elements-manifest` package the analyzer depends on
 * is schema 1.0 and not a dependency of ours.
 */

export interface ManifestType {
  readonly text: string;
}

export interface ManifestReference {
  readonly name: string;
  readonly module?: string;
  readonly package?: string;
}

export interface ManifestField {
  readonly kind: 'field';
  readonly name: string;
  readonly type?: ManifestType;
  readonly default?: string;
  readonly description?: string;
  readonly attribute?: string;
  readonly reflects?: boolean;
  readonly readonly?: boolean;
  readonly static?: boolean;
  readonly privacy?: 'public' | 'protected' | 'private';
  readonly inheritedFrom?: ManifestReference;
}

export interface ManifestParameter {
  readonly name: string;
  readonly type?: ManifestType;
  readonly optional?: boolean;
  readonly default?: string;
}

export interface ManifestMethod {
  readonly kind: 'method';
  readonly name: string;
  readonly parameters?: readonly ManifestParameter[];
  readonly return?: { readonly type?: ManifestType };
  readonly description?: string;
  readonly static?: boolean;
  readonly privacy?: 'public' | 'protected' | 'private';
  readonly inheritedFrom?: ManifestReference;
}

export type ManifestMember = ManifestField | ManifestMethod;

export interface ManifestAttribute {
  readonly name: string;
  readonly fieldName?: string;
  readonly type?: ManifestType;
  readonly default?: string;
  readonly description?: string;
}

/** Events, CSS parts, CSS custom properties, CSS states and slots: a name and what it is for. */
export interface ManifestNamed {
  readonly name: string;
  readonly description?: string;
  readonly type?: ManifestType;
  readonly default?: string;
}

export interface ManifestClass {
  readonly kind: 'class';
  readonly name: string;
  readonly tagName?: string;
  readonly customElement?: boolean;
  readonly summary?: string;
  readonly description?: string;
  readonly superclass?: ManifestReference;
  readonly members?: readonly ManifestMember[];
  readonly attributes?: readonly ManifestAttribute[];
  readonly events?: readonly ManifestNamed[];
  readonly slots?: readonly ManifestNamed[];
  readonly cssParts?: readonly ManifestNamed[];
  readonly cssProperties?: readonly ManifestNamed[];
  readonly cssStates?: readonly ManifestNamed[];
}

export interface ManifestOtherDeclaration {
  readonly kind: 'function' | 'variable' | 'mixin';
  readonly name: string;
}

export interface ManifestExport {
  readonly kind: 'js' | 'custom-element-definition';
  readonly name: string;
  readonly declaration: ManifestReference;
}

export interface ManifestModule {
  readonly kind: 'javascript-module';
  readonly path: string;
  readonly declarations?: readonly (ManifestClass | ManifestOtherDeclaration)[];
  readonly exports?: readonly ManifestExport[];
}

export interface Manifest {
  readonly schemaVersion: string;
  readonly modules: readonly ManifestModule[];
}

/** A registered element: its class declaration, which has a tag name. */
export type ElementDeclaration = ManifestClass & { readonly tagName: string };

function isManifest(value: unknown): value is Manifest {
  if (typeof value !== 'object' || value === null) return false;
  const { schemaVersion, modules } = value as Record<string, unknown>;
  return typeof schemaVersion === 'string' && Array.isArray(modules);
}

/** Runs the analyzer over the repository at `root` and returns the manifest; writes nothing. */
export async function analyzeElements(root: string = repoRoot): Promise<Manifest> {
  const manifest = await cli({ argv: ['analyze', '--quiet'], cwd: root, noWrite: true });
  if (!isManifest(manifest)) throw new Error('The analyzer returned something that is not a custom elements manifest.');
  return manifest;
}

/** Every class with a tag name, sorted by tag so generated docs do not depend on file order. */
export function elementsOf(manifest: Manifest): ElementDeclaration[] {
  const elements: ElementDeclaration[] = [];
  for (const mod of manifest.modules) {
    for (const declaration of mod.declarations ?? []) {
      if (declaration.kind === 'class' && declaration.tagName) elements.push({ ...declaration, tagName: declaration.tagName });
    }
  }
  return elements.sort((a, b) => a.tagName.localeCompare(b.tagName, 'en'));
}

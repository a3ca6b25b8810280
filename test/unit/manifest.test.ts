/**
 * custom-elements.json is generated, not committed (`npm run manifest`); this suite is what keeps it
 * honest. It runs the analyzer with the repository's config and checks the result against the
 * sources themselves (the registry, the templates, the events each element constructs), then checks
 * that README's element reference matches it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as events from '../../src/elements/events.ts';
import { analyzeElements, elementsOf, repoRoot } from '../../scripts/manifest.ts';
import type { ElementDeclaration, Manifest, ManifestClass } from '../../scripts/manifest.ts';
import { API_END, API_START, renderApiReference, replaceApiSection } from '../../scripts/api-docs.ts';

/** Tags that exist today; guards the registry scan below against silently finding nothing. */
const KNOWN_TAGS = ['parley-composer', 'parley-conversation-list', 'parley-launcher', 'parley-status', 'parley-thread'];
const BASE_INTERNALS = ['defaultStrings', 'internals', 'text', 'direction', 'language', 'emit', 'setCustomState'];

/**
 * The tags src/define.ts registers, read independently of the analyzer plugin (a plain scan, not
 * the plugin's AST walk), so a plugin that stops finding them fails here.
 */
async function registeredTags(): Promise<string[]> {
  const source = await readFile(path.join(repoRoot, 'src/define.ts'), 'utf8');
  return [...source.matchAll(/\b\w+\.define\(\s*['"]([a-z][a-z0-9]*-[a-z0-9-]*)['"]\s*\)/g)].map((m) => m[1] as string);
}

function classes(manifest: Manifest): { module: string; declaration: ManifestClass }[] {
  return manifest.modules.flatMap((mod) =>
    (mod.declarations ?? []).flatMap((declaration) => (declaration.kind === 'class' ? [{ module: mod.path, declaration }] : [])),
  );
}

function moduleOf(manifest: Manifest, element: ElementDeclaration): string {
  const found = classes(manifest).find((c) => c.declaration.name === element.name && c.declaration.tagName === element.tagName);
  assert.ok(found, `module of ${element.name}`);
  return found.module;
}

/**
 * The sources an element's template and events come from: its own module and those of the classes
 * it extends (`ParleyComposer` over `ParleyComposerCore`, which the embed registers alone).
 */
async function sourcesOf(manifest: Manifest, element: ElementDeclaration): Promise<string> {
  const all = classes(manifest);
  const modules = [moduleOf(manifest, element)];
  let superclass = all.find((c) => c.declaration.name === element.name && c.module === modules[0])?.declaration.superclass;
  while (superclass) {
    const name = superclass.name;
    const found = all.find((c) => c.declaration.name === name && `/${c.module}` === superclass?.module);
    if (!found) break;
    modules.push(found.module);
    superclass = found.declaration.superclass;
  }
  const sources = await Promise.all(modules.map((module) => readFile(path.join(repoRoot, module), 'utf8')));
  return sources.join('\n');
}

/** Part names written literally in an element's templates (`part="message mine pending"`). */
function templateParts(source: string): Set<string> {
  const parts = new Set<string>();
  for (const match of source.matchAll(/\bpart="([^"]*)"/g)) {
    // `${...}` chooses between names at run time; only the names written out are checked here.
    for (const token of (match[1] as string).replace(/\$\{[^}]*\}/g, ' ').split(/\s+/)) {
      if (token !== '') parts.add(token);
    }
  }
  return parts;
}

/** Event classes an element constructs itself, mapped to their event type, e.g. ParleySendEvent -> parley-send. */
function constructedEvents(source: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const [name, value] of Object.entries(events)) {
    if (typeof value === 'function' && 'type' in value && typeof value.type === 'string') types.set(name, value.type);
  }
  const found = new Map<string, string>();
  for (const match of source.matchAll(/\bnew\s+(Parley\w+Event)\s*\(/g)) {
    const className = match[1] as string;
    const type = types.get(className);
    assert.ok(type, `${className} is exported from src/elements/events.ts with a static type`);
    found.set(className, type);
  }
  return found;
}

async function runApiDocs(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/api-docs.ts', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return { code, stderr };
}

describe('custom elements manifest', () => {
  let manifest: Manifest;
  let elements: ElementDeclaration[];
  let tags: string[];

  before(async () => {
    manifest = await analyzeElements();
    elements = elementsOf(manifest);
    tags = await registeredTags();
  });

  it('names every tag src/define.ts registers, on an exported class marked as a custom element', () => {
    for (const tag of KNOWN_TAGS) assert.ok(tags.includes(tag), `src/define.ts registers <${tag}>`);
    assert.deepEqual(elements.map((e) => e.tagName).sort(), [...tags].sort());
    for (const element of elements) assert.equal(element.customElement, true, `${element.tagName} is a custom element`);
    const registry = manifest.modules.find((m) => m.path === 'src/define.ts');
    const definitions = (registry?.exports ?? []).filter((e) => e.kind === 'custom-element-definition').map((e) => e.name);
    assert.deepEqual(definitions.sort(), [...tags].sort(), 'src/define.ts exports one custom-element-definition per tag');
  });

  it('lists attributes, each backed by a public property, including the inherited theme', () => {
    for (const element of elements) {
      const attributes = element.attributes ?? [];
      const fields = new Set((element.members ?? []).filter((m) => m.kind === 'field').map((m) => m.name));
      assert.ok(attributes.some((a) => a.name === 'theme' && a.fieldName === 'theme'), `<${element.tagName} theme>`);
      for (const attribute of attributes) {
        assert.ok(attribute.fieldName && fields.has(attribute.fieldName), `<${element.tagName} ${attribute.name}> has a public property`);
      }
      assert.ok(fields.has('strings'), `${element.tagName}.strings`);
    }
    const status = elements.find((e) => e.tagName === 'parley-status');
    const statusField = status?.members?.find((m) => m.name === 'status');
    assert.ok(statusField?.kind === 'field' && statusField.attribute === 'status' && statusField.reflects === true);
    const composer = elements.find((e) => e.tagName === 'parley-composer');
    assert.ok(composer?.attributes?.some((a) => a.name === 'disabled-reason' && a.fieldName === 'disabledReason'));
  });

  it('documents, with its class, every event an element dispatches', async () => {
    for (const element of elements) {
      const source = await sourcesOf(manifest, element);
      const documented = new Map((element.events ?? []).map((e) => [e.name, e.type?.text]));
      for (const [className, type] of constructedEvents(source)) {
        assert.ok(documented.has(type), `<${element.tagName}> documents @event ${type}`);
        assert.equal(documented.get(type), className, `<${element.tagName}> @event ${type} names its class`);
      }
    }
    const status = elements.find((e) => e.tagName === 'parley-status');
    assert.deepEqual(status?.events?.map((e) => e.name), ['parley-retry']);
  });

  it('documents every CSS part the templates render, base included', async () => {
    for (const element of elements) {
      const source = await sourcesOf(manifest, element);
      const documented = (element.cssParts ?? []).map((p) => p.name);
      assert.ok(documented.includes('base'), `<${element.tagName}> documents part "base"`);
      for (const part of templateParts(source)) {
        assert.ok(documented.includes(part), `<${element.tagName}> documents @csspart ${part}`);
      }
    }
  });

  it('carries custom properties with their defaults, and custom states', () => {
    const status = elements.find((e) => e.tagName === 'parley-status');
    assert.deepEqual(
      status?.cssProperties?.find((p) => p.name === '--parley-color-success'),
      { name: '--parley-color-success', default: '#1e7b34', description: 'Dot when connected (`--parley-color-success-dark` in dark mode).' },
    );
    assert.deepEqual(status?.cssStates?.map((s) => s.name), ['connecting', 'connected', 'reconnecting', 'polling', 'offline', 'error']);
    const launcher = elements.find((e) => e.tagName === 'parley-launcher');
    assert.ok(launcher?.cssStates?.some((s) => s.name === 'open'));
  });

  it('has no protected or private member, no base-class internals and no @state() fields', () => {
    for (const { declaration } of classes(manifest)) {
      for (const member of declaration.members ?? []) {
        const where = `${declaration.name}.${member.name}`;
        assert.ok(member.privacy !== 'protected' && member.privacy !== 'private' && !member.name.startsWith('#'), where);
        assert.ok(!BASE_INTERNALS.includes(member.name), `${where} is a base-class internal`);
      }
    }
    const launcher = elements.find((e) => e.tagName === 'parley-launcher');
    const names = launcher?.members?.map((m) => m.name) ?? [];
    assert.ok(!names.includes('phase'), '@state() phase is internal');
    assert.ok(names.includes('show') && names.includes('open'));
  });

  it("writes inherited types in the subclass's terms and spells out closed vocabularies", () => {
    const field = (tag: string, name: string) => {
      const member = elements.find((e) => e.tagName === tag)?.members?.find((m) => m.name === name);
      return member?.kind === 'field' ? member.type?.text : undefined;
    };
    assert.equal(field('parley-status', 'strings'), 'Partial<StatusStrings> | undefined');
    assert.equal(field('parley-thread', 'strings'), 'Partial<ThreadStrings> | undefined');
    assert.equal(field('parley-status', 'theme'), "'light' | 'dark' | undefined");
    assert.equal(field('parley-status', 'status'), "'connecting' | 'connected' | 'reconnecting' | 'polling' | 'offline' | 'error'");
  });
});

describe('README element reference', () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-api-docs-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is up to date with the manifest (npm run docs:api)', async () => {
    const { code, stderr } = await runApiDocs(['--check']);
    assert.equal(code, 0, stderr);
  });

  it('--check fails on a stale section and names the fix', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    const stale = path.join(dir, 'README.md');
    await writeFile(stale, replaceApiSection(readme, '### `<parley-status>`\n\nOut of date.'));
    const { code, stderr } = await runApiDocs(['--check', '--readme', stale]);
    assert.equal(code, 1);
    assert.match(stderr, /out of date.*npm run docs:api/);
  });

  it('replaces only what lies between the markers, and refuses a README without them', () => {
    const readme = `# Title\n\nIntro.\n\n${API_START}\nold\n${API_END}\n\n## Next\n`;
    assert.equal(replaceApiSection(readme, 'new'), `# Title\n\nIntro.\n\n${API_START}\nnew\n${API_END}\n\n## Next\n`);
    assert.throws(() => replaceApiSection('# Title\n', 'new'), /api:start/);
    assert.throws(() => replaceApiSection(`${readme}${API_START}\n${API_END}\n`, 'new'), /more than one/);
  });

  it('escapes pipes in types so a union stays in its table cell', () => {
    const body = renderApiReference({
      schemaVersion: '2.1.0',
      modules: [
        {
          kind: 'javascript-module',
          path: 'x.ts',
          declarations: [
            {
              kind: 'class',
              name: 'X',
              tagName: 'parley-x',
              summary: 'An element.\n\nMore detail.',
              members: [{ kind: 'field', name: 'mode', type: { text: "'a' | 'b'" }, attribute: 'mode', default: "'a'" }],
            },
          ],
        },
      ],
    });
    assert.match(body, /^\| `mode` \| `mode` \| `'a' \\\| 'b'` \| `'a'` \| {2}\|$/m);
    assert.match(body, /^An element\.$/m);
    assert.doesNotMatch(body, /More detail/);
  });
});

/**
 * Rewrites the element reference in README.md (between `<!-- api:start -->` and `<!-- api:end -->`)
 * from the custom elements manifest, so the README says what the JSDoc says.
 *
 *   tsx scripts/api-docs.ts            rewrite the section
 *   tsx scripts/api-docs.ts --check    exit 1 if the section is out of date (the unit tests run this)
 *   --readme <path>                    another file than README.md
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeElements, elementsOf, repoRoot } from './manifest.ts';
import type { ElementDeclaration, Manifest, ManifestField, ManifestMethod, ManifestNamed } from './manifest.ts';

export const API_START = '<!-- api:start -->';
export const API_END = '<!-- api:end -->';

/** Longer initializers (object literals, arrow functions) say more in the description than in a cell. */
const MAX_DEFAULT_LENGTH = 40;

/** Table cells are one line, and an unescaped `|` (even inside a code span) ends the cell. */
function cell(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
}

function code(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return '';
  const one = text.replace(/\s+/g, ' ').trim();
  const fence = one.includes('`') ? '``' : '`';
  return cell(`${fence}${fence === '``' ? ` ${one} ` : one}${fence}`);
}

function firstParagraph(text: string | undefined): string {
  return (text ?? '').split(/\n\s*\n/)[0]?.replace(/\s+/g, ' ').trim() ?? '';
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return [];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}

function shortDefault(value: string | undefined): string {
  if (value === undefined || value.includes('\n') || value.length > MAX_DEFAULT_LENGTH) return '';
  return code(value);
}

function signature(method: ManifestMethod): string {
  const params = (method.parameters ?? []).map((p) => {
    const type = p.type ? `: ${p.type.text}` : '';
    return `${p.name}${p.optional === true ? '?' : ''}${type}`;
  });
  const returns = method.return?.type ? `: ${method.return.type.text}` : '';
  return `${method.name}(${params.join(', ')})${returns}`;
}

function propertyRows(element: ElementDeclaration): string[][] {
  const members = element.members ?? [];
  const fields = members.filter((m): m is ManifestField => m.kind === 'field' && m.static !== true);
  const rows = fields.map((field) => {
    const attribute = field.attribute === undefined ? '' : `${code(field.attribute)}${field.reflects === true ? ' (reflects)' : ''}`;
    const description = `${field.readonly === true ? '*Read-only.* ' : ''}${field.description ?? ''}`;
    return [code(field.name), attribute, code(field.type?.text), shortDefault(field.default), cell(description)];
  });
  // An attribute Lit maps to no documented property would otherwise vanish from the docs.
  const fieldNames = new Set(fields.map((f) => f.name));
  for (const attribute of element.attributes ?? []) {
    if (attribute.fieldName !== undefined && fieldNames.has(attribute.fieldName)) continue;
    rows.push(['', code(attribute.name), code(attribute.type?.text), shortDefault(attribute.default), cell(attribute.description)]);
  }
  return rows;
}

function named(items: readonly ManifestNamed[] | undefined, withDefault = false): string[][] {
  return (items ?? []).map((item) =>
    withDefault ? [code(item.name), code(item.default), cell(item.description)] : [code(item.name), cell(item.description)],
  );
}

function renderElement(element: ElementDeclaration): string[] {
  const methods = (element.members ?? []).filter((m): m is ManifestMethod => m.kind === 'method' && m.static !== true);
  const summary = firstParagraph(element.summary) || firstParagraph(element.description);
  return [
    `### \`<${element.tagName}>\``,
    '',
    ...(summary ? [summary, ''] : []),
    ...table(['Property', 'Attribute', 'Type', 'Default', 'Description'], propertyRows(element)),
    ...table(['Method', 'Description'], methods.map((m) => [code(signature(m)), cell(m.description)])),
    ...table(
      ['Event', 'Type', 'Description'],
      (element.events ?? []).map((e) => [code(e.name), code(e.type?.text), cell(e.description)]),
    ),
    ...table(['Slot', 'Description'], named(element.slots).map(([name, d]) => [name || '(default)', d ?? ''])),
    ...table(['CSS part', 'Description'], named(element.cssParts)),
    ...table(['CSS custom property', 'Default', 'Description'], named(element.cssProperties, true)),
    ...table(['CSS state', 'Description'], named(element.cssStates)),
  ];
}

/** The markdown that goes between the markers: one section per registered element, by tag. */
export function renderApiReference(manifest: Manifest): string {
  const lines = [
    '<!-- Generated from the elements\' JSDoc by `npm run docs:api`; edit the JSDoc, not this section. -->',
    '',
  ];
  for (const element of elementsOf(manifest)) lines.push(...renderElement(element));
  while (lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}

/** `readme` with the text between the markers replaced by `body`. */
export function replaceApiSection(readme: string, body: string): string {
  const start = readme.indexOf(API_START);
  const end = readme.indexOf(API_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README needs ${API_START} followed by ${API_END} where the element reference goes.`);
  }
  if (readme.indexOf(API_START, start + 1) !== -1 || readme.indexOf(API_END, end + 1) !== -1) {
    throw new Error(`README has more than one ${API_START} … ${API_END} section.`);
  }
  return `${readme.slice(0, start)}${API_START}\n${body}\n${API_END}${readme.slice(end + API_END.length)}`;
}

/** 1-based number of the first line where `a` and `b` differ, for a message a person can act on. */
function firstDifferentLine(a: string, b: string): number {
  const left = a.split('\n');
  const right = b.split('\n');
  let i = 0;
  while (i < left.length && i < right.length && left[i] === right[i]) i++;
  return i + 1;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, readme: { type: 'string', default: 'README.md' } },
  });
  const readmePath = path.resolve(repoRoot, values.readme);
  const current = await readFile(readmePath, 'utf8');
  const next = replaceApiSection(current, renderApiReference(await analyzeElements()));
  const shown = path.relative(process.cwd(), readmePath) || readmePath;
  if (values.check) {
    if (next !== current) {
      console.error(
        `${shown}: the element reference is out of date from line ${firstDifferentLine(current, next)}; run \`npm run docs:api\`.`,
      );
      process.exitCode = 1;
    }
    return;
  }
  if (next === current) {
    console.log(`${shown}: element reference already up to date.`);
    return;
  }
  await writeFile(readmePath, next);
  console.log(`${shown}: element reference rewritten.`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}

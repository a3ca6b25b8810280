import { RestError, columnMissing, tableMissing } from './errors.ts';
import {
  parseField, parseFilter, parseLogic, parseNonNegativeInteger, parseOrder, splitPath,
  type FieldRef, type Filter, type OrderTerm, type SelectItem,
} from './parse.ts';
import { closest } from './suggest.ts';
import type { ForeignKey, Relation, SchemaCache } from './schema.ts';
import type { Aliases } from './sql.ts';

export type ProjectionItem =
  | { readonly kind: 'star' }
  | { readonly kind: 'column'; readonly field: FieldRef; readonly name: string; readonly cast: string | null }
  | { readonly kind: 'embed'; readonly node: EmbedNode };

/** One relation of a read: what to project, filter, order and page. */
export interface PlanNode {
  readonly relation: Relation;
  readonly alias: string;
  readonly items: ProjectionItem[];
  readonly embeds: EmbedNode[];
  readonly filters: Filter[];
  order: OrderTerm[];
  limit: number | null;
  offset: number | null;
}

export interface EmbedNode extends PlanNode {
  /** Key in the output object: the alias, or the embedded table's name. */
  readonly name: string;
  readonly target: string;
  readonly hasAlias: boolean;
  /** Pairs of (parent column, child column) the rows join on. */
  readonly join: readonly (readonly [string, string])[];
  readonly toOne: boolean;
  readonly inner: boolean;
}

/** Query parameters that are not filters on a read or write. */
const RESERVED = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict']);

export function buildPlan(cache: SchemaCache, relation: Relation, items: readonly SelectItem[], aliases: Aliases): PlanNode {
  const node: PlanNode = {
    relation, alias: aliases.take(), items: [], embeds: [], filters: [], order: [], limit: null, offset: null,
  };
  for (const item of items) {
    if (item.kind === 'star') node.items.push(item);
    else if (item.kind === 'column') {
      if (!relation.columns.has(item.field.name)) throw columnMissing(relation.name, item.field.name);
      const last = item.field.json.at(-1);
      node.items.push({ kind: 'column', field: item.field, cast: item.cast, name: item.alias ?? last?.key ?? item.field.name });
    } else {
      if (item.spread) throw new RestError(400, 'PGRST127', 'Feature not implemented', 'Spread embeds are not supported by the local stack');
      const embed = resolveEmbed(cache, relation, item.target, item.hint);
      const child: EmbedNode = {
        ...buildPlan(cache, embed.relation, item.items, aliases),
        name: item.alias ?? item.target,
        target: item.target,
        hasAlias: item.alias !== null,
        join: embed.join,
        toOne: embed.toOne,
        inner: item.inner,
      };
      node.items.push({ kind: 'embed', node: child });
      node.embeds.push(child);
    }
  }
  return node;
}

interface ResolvedEmbed {
  readonly relation: Relation;
  readonly join: readonly (readonly [string, string])[];
  readonly toOne: boolean;
  readonly fk: ForeignKey;
  readonly direction: 'many-to-one' | 'one-to-many' | 'one-to-one';
}

/** Finds the foreign key behind `target(…)` / `target!hint(…)` like PostgREST's relationship search. */
function resolveEmbed(cache: SchemaCache, parent: Relation, target: string, hint: string | null): ResolvedEmbed {
  const candidates: ResolvedEmbed[] = [];
  const sameColumns = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  for (const fk of cache.foreignKeys) {
    // Many-to-one: the parent holds the key. `target` may also name the key column or the constraint.
    if (fk.table === parent.name) {
      const byTable = fk.foreignTable === target;
      const byColumn = fk.columns.length === 1 && fk.columns[0] === target;
      const byName = fk.name === target;
      const relation = cache.relations.get(fk.foreignTable);
      if ((byTable || byColumn || byName) && relation) {
        candidates.push({
          relation, fk, toOne: true, direction: 'many-to-one',
          join: fk.columns.map((column, i) => [column, fk.foreignColumns[i] ?? ''] as const),
        });
      }
    }
    // One-to-many: the child holds the key; one-to-one when that key is also the child's primary key.
    if (fk.foreignTable === parent.name && fk.table === target) {
      const relation = cache.relations.get(fk.table);
      if (relation) {
        const oneToOne = sameColumns(fk.columns, relation.primaryKey);
        candidates.push({
          relation, fk, toOne: oneToOne, direction: oneToOne ? 'one-to-one' : 'one-to-many',
          join: fk.foreignColumns.map((column, i) => [column, fk.columns[i] ?? ''] as const),
        });
      }
    }
  }
  const matching = hint === null ? candidates : candidates.filter((c) =>
    c.fk.name === hint || (c.fk.columns.length === 1 && c.fk.columns[0] === hint)
    || (c.fk.foreignColumns.length === 1 && c.fk.foreignColumns[0] === hint && c.direction !== 'many-to-one'));
  const only = matching[0];
  if (matching.length === 1 && only) return only;
  if (matching.length === 0) {
    if (!cache.relations.has(target) && hint === null && candidates.length === 0) {
      const suggestion = closest(target, [...cache.relations.keys()]);
      throw new RestError(400, 'PGRST200', `Could not find a relationship between '${parent.name}' and '${target}' in the schema cache`,
        `Searched for a foreign key relationship between '${parent.name}' and '${target}' in the schema 'public', but no matches were found.`,
        suggestion ? `Perhaps you meant '${suggestion}' instead of '${target}'.` : null);
    }
    throw new RestError(400, 'PGRST200', `Could not find a relationship between '${parent.name}' and '${target}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${target}'${hint === null ? '' : ` using the hint '${hint}'`} in the schema 'public', but no matches were found.`);
  }
  const options = matching.map((c) => `'${c.relation.name}!${c.fk.name}'`).join(', ');
  throw new RestError(300, 'PGRST201', `Could not embed because more than one relationship was found for '${parent.name}' and '${target}'`,
    matching.map((c) => ({
      cardinality: c.direction,
      embedding: `${parent.name} with ${c.relation.name}`,
      relationship: `${c.fk.name} using ${c.fk.table}(${c.fk.columns.join(', ')}) and ${c.fk.foreignTable}(${c.fk.foreignColumns.join(', ')})`,
    })),
    `Try changing '${target}' to one of the following: ${options}. Find the desired relationship in the 'details' key.`);
}

/** Finds `a.b` below `node` by output name (an aliased embed answers only to its alias). */
function findEmbed(node: PlanNode, path: readonly string[]): PlanNode {
  let current = node;
  for (const part of path) {
    const next = current.embeds.find((embed) => embed.name === part) ?? current.embeds.find((embed) => embed.target === part);
    if (!next) {
      throw new RestError(400, 'PGRST108', `'${part}' is not an embedded resource in this request`, null,
        `Verify that '${part}' is included in the 'select' query parameter.`);
    }
    if (next.hasAlias && next.name !== part) {
      throw new RestError(400, 'PGRST108', `'${part}' is not an embedded resource in this request`,
        'Target names are not allowed in filters if they have an alias', `Change '${part}' to '${next.name}' in filters, orders or limits.`);
    }
    current = next;
  }
  return current;
}

/**
 * Attaches filters, order, limit and offset from the query string to the plan's nodes.
 * `skip` holds parameters consumed elsewhere (RPC arguments on GET).
 */
export function applyQuery(root: PlanNode, params: URLSearchParams, skip: ReadonlySet<string> = new Set()): void {
  for (const [key, value] of params) {
    if (RESERVED.has(key) || skip.has(key)) {
      if (key === 'order') root.order = parseOrder(value);
      if (key === 'limit') root.limit = parseNonNegativeInteger('limit', value);
      if (key === 'offset') root.offset = parseNonNegativeInteger('offset', value);
      continue;
    }
    const logic = /^(?:(.*?)\.)??(not\.)?(and|or)$/.exec(key);
    if (logic) {
      const target = findEmbed(root, logic[1] ? logic[1].split('.') : []);
      target.filters.push(parseLogic(logic[3] === 'and' ? 'and' : 'or', logic[2] !== undefined, value));
      continue;
    }
    const { path, last } = splitPath(key);
    if (path.length > 0 && (last === 'order' || last === 'limit' || last === 'offset')) {
      const target = findEmbed(root, path);
      if (last === 'order') target.order = parseOrder(value);
      else if (last === 'limit') target.limit = parseNonNegativeInteger('limit', value);
      else target.offset = parseNonNegativeInteger('offset', value);
      continue;
    }
    const target = findEmbed(root, path);
    target.filters.push(parseFilter(parseField(last, 'tree path'), value));
  }
}

/** Every filter key that targets the root, for write statements that must have a WHERE clause. */
export function hasRootFilter(root: PlanNode): boolean {
  return root.filters.length > 0;
}

export function lookupRelation(cache: SchemaCache, name: string): Relation {
  const relation = cache.relations.get(name);
  if (!relation) {
    const suggestion = closest(name, [...cache.relations.keys()]);
    throw tableMissing(name, suggestion ? `Perhaps you meant the table 'public.${suggestion}'` : null);
  }
  return relation;
}

import { RestError, columnMissing, tableMissing } from './errors.ts';
import { fuzzyBest } from './fuzzy.ts';
import {
  parseField, parseFilter, parseLogic, parseNonNegativeInteger, parseOrder, splitPath,
  type FieldRef, type Filter, type OrderTerm, type SelectItem,
} from './parse.ts';
import { findRelationship, type Junction } from './relationships.ts';
import type { Relation, SchemaCache } from './schema.ts';
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
  /** Pairs of (parent column, child column) the rows join on; empty through a junction. */
  readonly join: readonly (readonly [string, string])[];
  /** The many-to-many junction table the rows join through. */
  readonly junction: Junction | null;
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
      const embed = findRelationship(cache.relationships, relation, item.target, item.hint);
      const child: EmbedNode = {
        ...buildPlan(cache, embed.foreignTable, item.items, aliases),
        name: item.alias ?? item.target,
        target: item.target,
        hasAlias: item.alias !== null,
        join: embed.columns,
        junction: embed.junction,
        toOne: embed.cardinality === 'many-to-one' || embed.cardinality === 'one-to-one',
        inner: item.inner,
      };
      node.items.push({ kind: 'embed', node: child });
      node.embeds.push(child);
    }
  }
  return node;
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

export function lookupRelation(cache: SchemaCache, schema: string, name: string): Relation {
  const relations = cache.relations.get(schema) ?? new Map<string, Relation>();
  const relation = relations.get(name);
  if (!relation) {
    const suggestion = fuzzyBest(name, relations.keys(), 0.75);
    throw tableMissing(schema, name, suggestion ? `Perhaps you meant the table '${schema}.${suggestion}'` : null);
  }
  return relation;
}

/** Every node of a read is capped at db-max-rows. */
export function capEmbeds(node: PlanNode, maxRows: number | null): void {
  for (const embed of node.embeds) {
    if (maxRows !== null && embed.limit !== 0) embed.limit = embed.limit === null ? maxRows : Math.min(embed.limit, maxRows);
    capEmbeds(embed, maxRows);
  }
}

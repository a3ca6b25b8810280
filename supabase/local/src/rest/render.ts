import { columnMissing, RestError } from './errors.ts';
import type { Condition, FieldRef, Filter, OrderTerm } from './parse.ts';
import type { EmbedNode, PlanNode } from './plan.ts';
import type { SchemaCache } from './schema.ts';
import { ident, qualified, type Params } from './sql.ts';

// Turns a plan into SQL. Every name written here comes from the schema cache (via the plan's
// relations); every request value goes through `params`.

export interface RenderContext {
  readonly cache: SchemaCache;
  readonly params: Params;
}

/** `select … from <source> as <alias> where … order by … limit … offset …` for a node. */
export function renderSelect(
  ctx: RenderContext, node: PlanNode, source: string, extraWhere: readonly string[] = [], sourceAliased = false,
): string {
  const where = [...extraWhere, ...conditions(ctx, node)];
  return `select ${projection(ctx, node)} from ${aliased(source, node, sourceAliased)}`
    + (where.length > 0 ? ` where ${where.join(' and ')}` : '')
    + orderBy(ctx, node)
    + (node.limit !== null ? ` limit ${ctx.params.add(node.limit)}` : '')
    + (node.offset !== null ? ` offset ${ctx.params.add(node.offset)}` : '');
}

/** `select 1 from <source> where …`: the rows a count counts, and what `count=planned` explains. */
export function renderCountSource(ctx: RenderContext, node: PlanNode, source: string): string {
  const where = conditions(ctx, node);
  return `select 1 from ${source} as ${node.alias}` + (where.length > 0 ? ` where ${where.join(' and ')}` : '');
}

/** The WHERE terms of a node: its own filters and the `!inner` embeds that must have a match. */
export function conditions(ctx: RenderContext, node: PlanNode): string[] {
  const terms = node.filters.map((filter) => filterSql(ctx, node, filter));
  for (const embed of node.embeds) if (embed.inner) terms.push(existsSql(ctx, node, embed));
  return terms;
}

function projection(ctx: RenderContext, node: PlanNode): string {
  const parts: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'star') {
      for (const column of node.relation.columns.values()) parts.push(`${node.alias}.${ident(column.name)} as ${ident(column.name)}`);
    } else if (item.kind === 'column') {
      let sql = fieldSql(ctx, node, item.field);
      if (item.cast !== null) sql = `(${sql})::${castType(ctx, item.cast)}`;
      parts.push(`${sql} as ${ident(item.name)}`);
    } else if (item.node.items.length > 0) {
      // An empty embed (`users()`) only filters; PostgREST leaves its key out.
      parts.push(`${embedSql(ctx, node, item.node)} as ${ident(item.node.name)}`);
    }
  }
  return parts.join(', ');
}

function castType(ctx: RenderContext, cast: string): string {
  const array = cast.endsWith('[]');
  const base = array ? cast.slice(0, -2) : cast;
  const known = ctx.cache.castTypes.get(base.toLowerCase());
  if (!known) throw new RestError(400, '42704', `type "${base}" does not exist`);
  return `${ident(known)}${array ? '[]' : ''}`;
}

/** The embedded rows' source and the terms joining them to the parent row (through a junction for many-to-many). */
function embedSource(parent: PlanNode, child: EmbedNode): { source: string; join: string[] } {
  const source = qualified(child.relation);
  const junction = child.junction;
  if (!junction) {
    return { source, join: child.join.map(([parentColumn, childColumn]) => `${child.alias}.${ident(childColumn)} = ${parent.alias}.${ident(parentColumn)}`) };
  }
  const through = `${child.alias}_j`;
  const on = junction.targetColumns.map(([childColumn, column]) => `${through}.${ident(column)} = ${child.alias}.${ident(childColumn)}`);
  return {
    source: `${source} as ${child.alias} join ${qualified(junction.relation)} as ${through} on ${on.join(' and ')}`,
    join: junction.sourceColumns.map(([parentColumn, column]) => `${through}.${ident(column)} = ${parent.alias}.${ident(parentColumn)}`),
  };
}

/** `<source> as <alias>`, unless the source already names the alias (a junction join). */
function aliased(source: string, node: PlanNode, junction: boolean): string {
  return junction ? source : `${source} as ${node.alias}`;
}

function embedSql(ctx: RenderContext, parent: PlanNode, child: EmbedNode): string {
  const { source, join } = embedSource(parent, child);
  const inner = renderSelect(ctx, child, source, join, child.junction !== null);
  const row = `_${child.alias}`;
  return child.toOne
    ? `(select row_to_json(${row}) from (${inner}) ${row})`
    : `(select coalesce(json_agg(${row}), '[]'::json) from (${inner}) ${row})`;
}

function existsSql(ctx: RenderContext, parent: PlanNode, child: EmbedNode): string {
  const { source, join } = embedSource(parent, child);
  const where = [...join, ...conditions(ctx, child)];
  return `exists (select 1 from ${aliased(source, child, child.junction !== null)} where ${where.join(' and ')})`;
}

/** A column, or a path into a json value: keys are bound, numeric keys index arrays like PostgREST's. */
export function fieldSql(ctx: RenderContext, node: PlanNode, field: FieldRef): string {
  const column = node.relation.columns.get(field.name);
  if (!column) throw columnMissing(node.relation.name, field.name);
  let sql = `${node.alias}.${ident(column.name)}`;
  for (const step of field.json) {
    const key = /^-?\d+$/.test(step.key) ? `${ctx.params.add(Number(step.key))}::int` : `${ctx.params.add(step.key)}::text`;
    sql = `(${sql}${step.arrow}${key})`;
  }
  return sql;
}

function orderBy(ctx: RenderContext, node: PlanNode): string {
  if (node.order.length === 0) return '';
  return ` order by ${node.order.map((term) => orderTerm(ctx, node, term)).join(', ')}`;
}

function orderTerm(ctx: RenderContext, node: PlanNode, term: OrderTerm): string {
  return `${fieldSql(ctx, node, term.field)} ${term.descending ? 'desc' : 'asc'}`
    + (term.nulls === null ? '' : ` nulls ${term.nulls}`);
}

/** Operator SQL (SqlFragment.hs `opToSqlFragment`); nxr "does not extend to the right" is `&<`, nxl `&>`. */
const COMPARISONS: Record<string, string> = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', ilike: 'ilike', match: '~', imatch: '~*',
  cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxl: '&>', nxr: '&<', adj: '-|-', isdistinct: 'is distinct from',
};

const TEXT_SEARCH: Record<string, string> = {
  fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery',
};

export function filterSql(ctx: RenderContext, node: PlanNode, filter: Filter): string {
  if (filter.kind === 'logic') {
    const joined = filter.children.map((child) => filterSql(ctx, node, child)).join(` ${filter.operator} `);
    return filter.negated ? `not (${joined})` : `(${joined})`;
  }
  const sql = conditionSql(ctx, node, filter);
  return filter.negated ? `not (${sql})` : sql;
}

function conditionSql(ctx: RenderContext, node: PlanNode, condition: Condition): string {
  const { params } = ctx;
  // `embed=is.null` / `embed=not.is.null` test whether an embedded resource has a match.
  if (!node.relation.columns.has(condition.field.name) && condition.field.json.length === 0) {
    const embed = node.embeds.find((candidate) => candidate.name === condition.field.name);
    if (embed) {
      if (condition.operator !== 'is' || (condition.value !== 'null' && condition.value !== 'not_null')) {
        throw new RestError(400, 'PGRST120', `Bad operator on the '${embed.name}' embedded resource`,
          'Only is null or not is null filters are allowed on embedded resources');
      }
      const exists = existsSql(ctx, node, embed);
      return condition.value === 'null' ? `not ${exists}` : exists;
    }
  }
  const lhs = fieldSql(ctx, node, condition.field);
  const value = condition.value;
  const op = condition.operator;
  if (op === 'is') {
    const word = typeof value === 'string' ? value.toLowerCase() : '';
    return word === 'not_null' ? `${lhs} is not null` : `${lhs} is ${word === 'null' ? 'null' : word === 'true' ? 'true' : word === 'false' ? 'false' : 'unknown'}`;
  }
  if (op === 'in') {
    const list = typeof value === 'string' ? [value] : value;
    return `${lhs} = any(${params.add(list)})`;
  }
  const textSearch = TEXT_SEARCH[op];
  if (textSearch) {
    const column = node.relation.columns.get(condition.field.name);
    const isVector = column?.type === 'tsvector' && condition.field.json.length === 0;
    const language = condition.language === null ? null : `${params.add(condition.language)}::regconfig`;
    const vector = isVector ? lhs : language ? `to_tsvector(${language}, ${lhs})` : `to_tsvector(${lhs})`;
    const query = language ? `${textSearch}(${language}, ${params.add(value)}::text)` : `${textSearch}(${params.add(value)}::text)`;
    return `${vector} @@ ${query}`;
  }
  const operator = COMPARISONS[op];
  if (!operator) throw new RestError(400, 'PGRST100', `unknown operator ${op}`);
  const pattern = (text: string) => (op === 'like' || op === 'ilike' ? text.replace(/\*/g, '%') : text);
  if (condition.quantifier !== null) {
    const list = (typeof value === 'string' ? [value] : value).map(pattern);
    return `${lhs} ${operator} ${condition.quantifier}(${params.add(list)})`;
  }
  return `${lhs} ${operator} ${params.add(pattern(typeof value === 'string' ? value : value.join(',')))}`;
}

import { parseError, type RestError } from './errors.ts';
import { checkNesting } from './input.ts';

// Parsers for PostgREST's query-string grammar (`ApiRequest/QueryParams.hs`). They only produce
// names and values; names are resolved against the schema cache later, values are bound parameters.

export interface JsonStep {
  readonly arrow: '->' | '->>';
  readonly key: string;
}

/** A column reference, possibly into a json/jsonb value: `data->a->>b`. */
export interface FieldRef {
  readonly name: string;
  readonly json: readonly JsonStep[];
}

export type SelectItem =
  | { readonly kind: 'star' }
  | { readonly kind: 'column'; readonly field: FieldRef; readonly alias: string | null; readonly cast: string | null }
  | {
      readonly kind: 'embed';
      readonly target: string;
      readonly alias: string | null;
      readonly hint: string | null;
      readonly inner: boolean;
      readonly spread: boolean;
      readonly items: readonly SelectItem[];
    };

export const OPERATORS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch', 'is', 'isdistinct', 'in',
  'cs', 'cd', 'ov', 'sl', 'sr', 'nxl', 'nxr', 'adj', 'fts', 'plfts', 'phfts', 'wfts',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  readonly kind: 'condition';
  readonly field: FieldRef;
  readonly negated: boolean;
  readonly operator: Operator;
  /** `eq(any)`, `like(all)`: compare with every/any element of a `{a,b}` list. */
  readonly quantifier: 'any' | 'all' | null;
  /** Text search configuration of `fts(english)`. */
  readonly language: string | null;
  /** `in` gives a list; every other operator a single text value. */
  readonly value: string | readonly string[];
}

export interface LogicTree {
  readonly kind: 'logic';
  readonly operator: 'and' | 'or';
  readonly negated: boolean;
  readonly children: readonly (Condition | LogicTree)[];
}

export type Filter = Condition | LogicTree;

export interface OrderTerm {
  readonly field: FieldRef;
  readonly descending: boolean;
  readonly nulls: 'first' | 'last' | null;
}

/** Character-level reader that knows its position, for Parsec-like error columns. */
class Reader {
  position = 0;
  constructor(readonly text: string, readonly what: string) {}

  peek(offset = 0): string {
    return this.text[this.position + offset] ?? '';
  }

  done(): boolean {
    return this.position >= this.text.length;
  }

  startsWith(token: string): boolean {
    return this.text.startsWith(token, this.position);
  }

  fail(expecting: string): RestError {
    const found = this.done() ? 'end of input' : `"${this.peek()}"`;
    return parseError(this.what, this.text, this.position + 1, `unexpected ${found} expecting ${expecting}`);
  }

  expect(token: string): void {
    if (!this.startsWith(token)) throw this.fail(`"${token}"`);
    this.position += token.length;
  }

  /** Bare identifiers allow PostgREST's characters; `"quoted"` ones anything but a quote. */
  identifier(): string {
    if (this.peek() === '"') {
      const end = this.text.indexOf('"', this.position + 1);
      if (end < 0) {
        this.position = this.text.length;
        throw this.fail('"\\""');
      }
      const name = this.text.slice(this.position + 1, end);
      this.position = end + 1;
      return name;
    }
    const start = this.position;
    while (!this.done()) {
      const char = this.peek();
      if (/[\p{L}\p{N}_$ ]/u.test(char) || (char === '-' && this.peek(1) !== '>')) this.position += 1;
      else break;
    }
    if (this.position === start) throw this.fail('letter, digit, "_" or "$"');
    return this.text.slice(start, this.position);
  }

  jsonPath(): JsonStep[] {
    const steps: JsonStep[] = [];
    while (this.startsWith('->')) {
      const arrow = this.startsWith('->>') ? '->>' : '->';
      this.position += arrow.length;
      steps.push({ arrow, key: this.identifier() });
    }
    return steps;
  }
}

export function parseSelect(text: string): SelectItem[] {
  checkNesting(text, 'select parameter', 'embedding');
  const reader = new Reader(text, 'select parameter');
  const items = selectList(reader, false);
  if (!reader.done()) throw reader.fail('",", "->", "::" or end of input');
  return items;
}

function selectList(reader: Reader, nested: boolean): SelectItem[] {
  const items: SelectItem[] = [];
  if (nested && reader.peek() === ')') return items;
  for (;;) {
    items.push(selectItem(reader));
    if (reader.peek() !== ',') break;
    reader.position += 1;
  }
  if (nested && reader.peek() !== ')') throw reader.fail('",", "->", "::" or ")"');
  return items;
}

function selectItem(reader: Reader): SelectItem {
  if (reader.peek() === '*') {
    reader.position += 1;
    return { kind: 'star' };
  }
  let spread = false;
  if (reader.startsWith('...')) {
    spread = true;
    reader.position += 3;
  }
  let name = reader.identifier();
  let alias: string | null = null;
  if (reader.peek() === ':' && reader.peek(1) !== ':') {
    reader.position += 1;
    alias = name;
    name = reader.identifier();
  }
  let hint: string | null = null;
  let inner = false;
  let sawBang = false;
  while (reader.peek() === '!') {
    sawBang = true;
    reader.position += 1;
    const word = reader.identifier();
    if (word === 'inner') inner = true;
    else if (word === 'left') inner = false;
    else if (hint === null) hint = word;
    else throw reader.fail('"(" or "!"');
  }
  if (reader.peek() === '(' || sawBang || spread) {
    reader.expect('(');
    const items = selectList(reader, true);
    reader.expect(')');
    return { kind: 'embed', target: name, alias, hint, inner, spread, items };
  }
  const json = reader.jsonPath();
  let cast: string | null = null;
  if (reader.startsWith('::')) {
    reader.position += 2;
    cast = reader.identifier().trim();
    if (reader.startsWith('[]')) {
      reader.position += 2;
      cast += '[]';
    }
  }
  return { kind: 'column', field: { name, json }, alias, cast };
}

/** `data->a->>b` as a filter or order column. */
export function parseField(text: string, what: string): FieldRef {
  const reader = new Reader(text, what);
  const name = reader.identifier();
  const json = reader.jsonPath();
  if (!reader.done()) throw reader.fail('"->" or end of input');
  return { name, json };
}

/** `alias.nested.column` keys of embedded filters: the embed path and the final part. */
export function splitPath(key: string): { path: string[]; last: string } {
  const parts = key.split('.');
  const last = parts.pop() ?? '';
  return { path: parts, last };
}

export function parseFilter(field: FieldRef, text: string): Condition {
  const reader = new Reader(text, 'filter');
  let negated = false;
  if (reader.startsWith('not.')) {
    negated = true;
    reader.position += 4;
  }
  const start = reader.position;
  while (/[a-z]/.test(reader.peek())) reader.position += 1;
  const operator = text.slice(start, reader.position) as Operator;
  if (!OPERATORS.includes(operator)) {
    reader.position = start;
    throw reader.fail('"not" or operator (eq, gt, ...)');
  }
  let quantifier: 'any' | 'all' | null = null;
  let language: string | null = null;
  if (reader.peek() === '(') {
    const close = text.indexOf(')', reader.position);
    if (close < 0) throw reader.fail('")"');
    const inside = text.slice(reader.position + 1, close);
    if (operator === 'fts' || operator === 'plfts' || operator === 'phfts' || operator === 'wfts') language = inside;
    else if ((inside === 'any' || inside === 'all') && ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch'].includes(operator)) {
      quantifier = inside;
    } else throw reader.fail('"."');
    reader.position = close + 1;
  }
  reader.expect('.');
  const rest = text.slice(reader.position);
  if (operator === 'in') {
    if (!rest.startsWith('(') || !rest.endsWith(')')) throw reader.fail('"("');
    return { kind: 'condition', field, negated, operator, quantifier, language, value: splitList(rest.slice(1, -1)) };
  }
  if (operator === 'is' && !['null', 'not_null', 'true', 'false', 'unknown'].includes(rest.toLowerCase())) {
    throw reader.fail('isVal: (null, not_null, true, false, unknown)');
  }
  if (quantifier !== null) {
    if (!rest.startsWith('{') || !rest.endsWith('}')) throw reader.fail('"{"');
    return { kind: 'condition', field, negated, operator, quantifier, language, value: splitList(rest.slice(1, -1)) };
  }
  return { kind: 'condition', field, negated, operator, quantifier, language, value: rest };
}

/** `a,"b,c",d` → values; double quotes protect reserved characters and are removed. */
export function splitList(text: string): string[] {
  if (text === '') return [];
  const values: string[] = [];
  let current = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (char === '\\' && quoted && i + 1 < text.length) {
      current += text[i + 1] ?? '';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
      wasQuoted = true;
    } else if (char === ',' && !quoted) {
      values.push(wasQuoted ? current : current.trim());
      current = '';
      wasQuoted = false;
    } else current += char;
  }
  values.push(wasQuoted ? current : current.trim());
  return values;
}

/** `or=(a.eq.1,and(b.gt.2,c.is.null))`: the key gives the operator and negation. */
export function parseLogic(operator: 'and' | 'or', negated: boolean, text: string): LogicTree {
  const what = 'logic tree';
  checkNesting(text, what, `"${negated ? 'not.' : ''}${operator}" tree`);
  if (!text.startsWith('(') || !text.endsWith(')')) {
    throw parseError(what, text, 1, 'unexpected end of input expecting "("');
  }
  return { kind: 'logic', operator, negated, children: splitTopLevel(text.slice(1, -1), text).map((part) => logicItem(part, text)) };
}

function logicItem(part: string, whole: string): Filter {
  const nested = /^(not\.)?(and|or)\(/.exec(part);
  if (nested && part.endsWith(')')) {
    const operator = nested[2] === 'and' ? 'and' : 'or';
    return parseLogic(operator, nested[1] !== undefined, part.slice(nested[0].length - 1));
  }
  const reader = new Reader(part, 'logic tree');
  const name = reader.identifier();
  const json = reader.jsonPath();
  if (reader.peek() !== '.') throw parseError('logic tree', whole, 1, `unexpected "${reader.peek()}" expecting "."`);
  reader.position += 1;
  let rest = part.slice(reader.position);
  // Inside logic trees, a double-quoted scalar value is unquoted (`a.eq."x,y"`).
  const simple = /^((?:not\.)?[a-z]+(?:\([^)]*\))?\.)"(.*)"$/s.exec(rest);
  if (simple && !rest.includes('.(')) rest = `${simple[1] ?? ''}${(simple[2] ?? '').replace(/\\(.)/g, '$1')}`;
  return parseFilter({ name, json }, rest);
}

function splitTopLevel(text: string, whole: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\' && quoted) i += 1;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '(' || char === '{')) depth += 1;
    else if (!quoted && (char === ')' || char === '}')) depth -= 1;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  if (depth !== 0 || quoted || parts.some((part) => part === '')) {
    throw parseError('logic tree', whole, whole.length, 'unexpected end of input');
  }
  return parts;
}

export function parseOrder(text: string): OrderTerm[] {
  const reader = new Reader(text, 'order');
  const terms: OrderTerm[] = [];
  for (;;) {
    const name = reader.identifier();
    const json = reader.jsonPath();
    let descending = false;
    let nulls: 'first' | 'last' | null = null;
    while (reader.peek() === '.') {
      reader.position += 1;
      const word = /^[a-z]+/.exec(text.slice(reader.position))?.[0] ?? '';
      if (word === 'asc') descending = false;
      else if (word === 'desc') descending = true;
      else if (word === 'nullsfirst') nulls = 'first';
      else if (word === 'nullslast') nulls = 'last';
      else throw reader.fail('"asc", "desc", "nullsfirst" or "nullslast"');
      reader.position += word.length;
    }
    terms.push({ field: { name, json }, descending, nulls });
    if (reader.done()) return terms;
    if (reader.peek() !== ',') throw reader.fail('",", "." or end of input');
    reader.position += 1;
  }
}

/** `columns="a","b"` and `on_conflict=a,b`. */
export function parseColumnList(text: string, what: string): string[] {
  const reader = new Reader(text, what);
  const names: string[] = [];
  for (;;) {
    names.push(reader.identifier());
    if (reader.done()) return names;
    if (reader.peek() !== ',') throw reader.fail('"," or end of input');
    reader.position += 1;
  }
}

export function parseNonNegativeInteger(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw parseError(`${name}`, text, 1, 'unexpected input expecting digit');
  return Number(text);
}

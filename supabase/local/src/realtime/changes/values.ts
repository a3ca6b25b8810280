// Turns the text pgoutput sends into the JSON value `to_jsonb` gives the same datum, which is what
// WALRUS (`realtime.cast`) and PostgREST send. The replication session runs with TimeZone UTC and
// DateStyle ISO, so timestamps arrive as `2026-11-24 02:30:03.120511+00`.

import type pg from 'pg';

/** Converts one non-null text value. */
export type Converter = (text: string) => unknown;

const identity: Converter = (text) => text;

const toNumber: Converter = (text) => {
  const value = Number(text);
  // to_jsonb writes NaN and ±Infinity as strings.
  return Number.isFinite(value) ? value : text;
};

const toBoolean: Converter = (text) => text === 't';

const toJson: Converter = (text) => JSON.parse(text) as unknown;

/** `2026-11-24 02:30:03.12+00` → `2026-11-24T02:30:03.12+00:00` (XSD style, as to_jsonb writes it). */
export const toTimestamptz: Converter = (text) => {
  const space = text.indexOf(' ');
  if (space < 0) return text; // infinity, -infinity
  let out = `${text.slice(0, space)}T${text.slice(space + 1)}`;
  if (/[+-]\d\d$/.test(out)) out += ':00';
  return out;
};

const toTimestamp: Converter = (text) => {
  const space = text.indexOf(' ');
  return space < 0 ? text : `${text.slice(0, space)}T${text.slice(space + 1)}`;
};

const NUMERIC_TYPES = new Set([20, 21, 23, 700, 701, 1700]);

interface TypeRow {
  oid: number;
  typtype: string;
  typbasetype: number;
  typelem: number;
  typcategory: string;
  typdelim: string;
}

/** Converters by type OID, resolving domains to their base type and arrays to their elements. */
export class TypeRegistry {
  private readonly rows = new Map<number, TypeRow>();
  private readonly converters = new Map<number, Converter>();

  constructor(private readonly pool: pg.Pool) {}

  /** Loads what converting values of these types needs (one round trip per level of nesting). */
  async load(oids: Iterable<number>): Promise<void> {
    let missing = [...new Set(oids)].filter((oid) => !this.rows.has(oid));
    while (missing.length > 0) {
      const { rows } = await this.pool.query<TypeRow>(
        `select oid::int, typtype::text, typbasetype::int, typelem::int, typcategory::text, typdelim::text
           from pg_catalog.pg_type where oid = any($1::oid[])`, [missing]);
      for (const row of rows) this.rows.set(row.oid, row);
      for (const oid of missing) if (!this.rows.has(oid)) this.rows.set(oid, { oid, typtype: 'b', typbasetype: 0, typelem: 0, typcategory: 'X', typdelim: ',' });
      missing = rows.flatMap((row) => [row.typbasetype, row.typcategory === 'A' ? row.typelem : 0])
        .filter((oid) => oid !== 0 && !this.rows.has(oid));
    }
  }

  /** The converter for a loaded type. */
  converter(oid: number): Converter {
    let converter = this.converters.get(oid);
    if (!converter) {
      converter = this.build(oid, 0);
      this.converters.set(oid, converter);
    }
    return converter;
  }

  private build(oid: number, depth: number): Converter {
    const row = this.rows.get(oid);
    if (!row || depth > 8) return identity;
    if (row.typtype === 'd' && row.typbasetype !== 0) return this.build(row.typbasetype, depth + 1);
    if (NUMERIC_TYPES.has(oid)) return toNumber;
    switch (oid) {
      case 16: return toBoolean;
      case 114: case 3802: return toJson;
      case 1184: return toTimestamptz;
      case 1114: return toTimestamp;
      default: break;
    }
    // int2vector and oidvector are category A too, but their output is not an array literal.
    if (row.typcategory === 'A' && row.typelem !== 0 && oid !== 22 && oid !== 30) {
      const element = this.build(row.typelem, depth + 1);
      const delimiter = this.rows.get(row.typelem)?.typdelim ?? ',';
      return (text) => parseArray(text, element, delimiter);
    }
    return identity;
  }
}

/** Parses an array literal (`{1,2}`, `{{a,"b c"},{NULL,"NULL"}}`, `[0:1]={x,y}`) into nested arrays. */
export function parseArray(text: string, element: Converter, delimiter = ','): unknown {
  let position = 0;
  if (text.startsWith('[')) {
    const equals = text.indexOf('=');
    if (equals >= 0) position = equals + 1;
  }

  const parseLevel = (): unknown[] => {
    // text[position] is '{'
    position++;
    const out: unknown[] = [];
    if (text[position] === '}') {
      position++;
      return out;
    }
    for (;;) {
      const char = text[position];
      if (char === '{') {
        out.push(parseLevel());
      } else if (char === '"') {
        position++;
        let value = '';
        while (position < text.length && text[position] !== '"') {
          if (text[position] === '\\') position++;
          value += text[position] ?? '';
          position++;
        }
        position++; // closing quote
        out.push(element(value));
      } else {
        const start = position;
        while (position < text.length && text[position] !== delimiter && text[position] !== '}') position++;
        const raw = text.slice(start, position).trim();
        out.push(raw.toUpperCase() === 'NULL' ? null : element(raw));
      }
      const next = text[position];
      position++;
      if (next !== delimiter) return out; // '}' or end of text
    }
  };

  if (text[position] !== '{') return text;
  return parseLevel();
}

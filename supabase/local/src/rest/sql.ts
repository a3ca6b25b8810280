/** Quotes a name taken from the schema cache; request text never reaches SQL except as parameters. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal for catalog-provided text (column names used as json keys). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `"schema"."name"` of a relation or function from the schema cache. */
export function qualified(object: { readonly schema: string; readonly name: string }): string {
  return `${ident(object.schema)}.${ident(object.name)}`;
}

/** Collects bound values and hands out their `$n` placeholders. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Hands out distinct table aliases (`_t0`, `_t1`, …) across one statement. */
export class Aliases {
  private next = 0;

  take(prefix = '_t'): string {
    const alias = `${prefix}${this.next}`;
    this.next += 1;
    return alias;
  }
}

// A decoder for the pgoutput logical replication protocol, version 1
// (https://www.postgresql.org/docs/17/protocol-logicalrep-message-formats.html).
// Values stay as the text the type's output function wrote; typing them is values.ts's job.

/** A column value: text, null, or undefined when the image does not carry it (unchanged TOAST, key-only image). */
export type RawValue = string | null | undefined;

export interface RelationColumn {
  readonly name: string;
  readonly typeOid: number;
  /** Part of the replica identity (every column under REPLICA IDENTITY FULL). */
  readonly key: boolean;
}

/** A Relation message; a new object arrives whenever the table's definition may have changed. */
export interface Relation {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly replicaIdentity: 'd' | 'n' | 'f' | 'i';
  readonly columns: readonly RelationColumn[];
}

export interface Begin { readonly tag: 'begin'; readonly finalLsn: bigint; readonly commitTime: bigint; readonly xid: number }
export interface Commit { readonly tag: 'commit'; readonly commitLsn: bigint; readonly endLsn: bigint; readonly commitTime: bigint }
export interface RowChange {
  readonly tag: 'insert' | 'update' | 'delete';
  readonly relation: Relation;
  /** The new image (INSERT, UPDATE). Unchanged TOAST values are filled from a full old image when there is one. */
  readonly newValues: RawValue[] | null;
  /** The old image (UPDATE with a changed key or REPLICA IDENTITY FULL, DELETE). */
  readonly oldValues: RawValue[] | null;
  /** True when the old image holds only the replica identity columns. */
  readonly oldIsKey: boolean;
  /** Bytes of value text in the message, to approximate WALRUS's record size limit. */
  readonly bytes: number;
}
export interface LogicalMessage { readonly tag: 'message'; readonly transactional: boolean; readonly prefix: string; readonly content: string }
export interface Other { readonly tag: 'other' }

export type PgoutputMessage = Begin | Commit | RowChange | LogicalMessage | Relation & { readonly tag: 'relation' } | Other;

const OTHER: Other = { tag: 'other' };

export class PgoutputDecoder {
  private readonly relations = new Map<number, Relation & { tag: 'relation' }>();
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;

  decode(buffer: Buffer): PgoutputMessage {
    this.buffer = buffer;
    this.offset = 0;
    const tag = this.uint8();
    switch (tag) {
      case 0x42: // B
        return { tag: 'begin', finalLsn: this.uint64(), commitTime: this.int64(), xid: this.uint32() };
      case 0x43: // C
        this.uint8();
        return { tag: 'commit', commitLsn: this.uint64(), endLsn: this.uint64(), commitTime: this.int64() };
      case 0x52: // R
        return this.relation();
      case 0x49: { // I
        const relation = this.relationById();
        this.uint8(); // 'N'
        const image = this.tuple(relation, null, false);
        return { tag: 'insert', relation, newValues: image.values, oldValues: null, oldIsKey: false, bytes: image.bytes };
      }
      case 0x55: { // U
        const relation = this.relationById();
        const kind = this.uint8();
        let old: Tuple | null = null;
        if (kind === 0x4b || kind === 0x4f) {
          old = this.tuple(relation, null, kind === 0x4b);
          this.uint8(); // 'N'
        }
        const image = this.tuple(relation, old && !old.keyOnly ? old.values : null, false);
        return {
          tag: 'update', relation, newValues: image.values, oldValues: old?.values ?? null,
          oldIsKey: old?.keyOnly ?? false, bytes: image.bytes + (old?.bytes ?? 0),
        };
      }
      case 0x44: { // D
        const relation = this.relationById();
        const kind = this.uint8();
        const old = this.tuple(relation, null, kind === 0x4b);
        return { tag: 'delete', relation, newValues: null, oldValues: old.values, oldIsKey: old.keyOnly, bytes: old.bytes };
      }
      case 0x4d: { // M
        const flags = this.uint8();
        this.uint64();
        const prefix = this.cstring();
        const length = this.uint32();
        const content = this.buffer.toString('utf8', this.offset, this.offset + length);
        this.offset += length;
        return { tag: 'message', transactional: (flags & 1) === 1, prefix, content };
      }
      default: // Origin, Type, Truncate: nothing Realtime reports.
        return OTHER;
    }
  }

  private relation(): Relation & { tag: 'relation' } {
    const oid = this.uint32();
    const schema = this.cstring();
    const name = this.cstring();
    const replicaIdentity = String.fromCharCode(this.uint8()) as Relation['replicaIdentity'];
    const count = this.uint16();
    const columns: RelationColumn[] = [];
    for (let i = 0; i < count; i++) {
      const flags = this.uint8();
      const columnName = this.cstring();
      const typeOid = this.uint32();
      this.uint32(); // typmod
      columns.push({ name: columnName, typeOid, key: (flags & 1) === 1 });
    }
    const relation = { tag: 'relation' as const, oid, schema, name, replicaIdentity, columns };
    this.relations.set(oid, relation);
    return relation;
  }

  private relationById(): Relation {
    const oid = this.uint32();
    const relation = this.relations.get(oid);
    if (!relation) throw new Error(`pgoutput: change for unknown relation ${oid}`);
    return relation;
  }

  private tuple(relation: Relation, toastFallback: RawValue[] | null, keyOnly: boolean): Tuple {
    const count = this.uint16();
    const values: RawValue[] = new Array<RawValue>(count);
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const kind = this.uint8();
      if (kind === 0x74 || kind === 0x62) { // t (text), b (binary, never requested)
        const length = this.uint32();
        values[i] = this.buffer.toString('utf8', this.offset, this.offset + length);
        this.offset += length;
        bytes += length;
      } else if (kind === 0x6e) { // n
        // In a key-only image, non-key columns are sent as nulls: they are absent, not null.
        values[i] = keyOnly && !relation.columns[i]?.key ? undefined : null;
      } else if (kind === 0x75) { // u: unchanged TOAST value
        values[i] = toastFallback ? toastFallback[i] : undefined;
      } else {
        throw new Error(`pgoutput: unknown tuple value kind ${kind}`);
      }
    }
    return { values, keyOnly, bytes };
  }

  private uint8(): number {
    return this.buffer.readUInt8(this.offset++);
  }

  private uint16(): number {
    const value = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  private uint32(): number {
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  private uint64(): bigint {
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  private int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  private cstring(): string {
    const end = this.buffer.indexOf(0, this.offset);
    if (end < 0) throw new Error('pgoutput: unterminated string');
    const value = this.buffer.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }
}

interface Tuple {
  values: RawValue[];
  keyOnly: boolean;
  bytes: number;
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

export function parseLsn(text: string): bigint {
  const [high = '0', low = '0'] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

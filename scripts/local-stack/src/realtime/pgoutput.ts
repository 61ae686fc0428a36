/**
 * A decoder for Postgres' built-in `pgoutput` logical decoding messages (protocol version 1),
 * read through `pg_logical_slot_get_binary_changes`. There is no wal2json here, so this is
 * how Realtime learns about row changes. Values arrive in their text form.
 * Message layout: https://www.postgresql.org/docs/17/protocol-logicalrep-message-formats.html
 */

export interface RelationColumn {
  name: string;
  typeOid: number;
  /** Part of the replica identity (normally the primary key). */
  isKey: boolean;
}

export interface Relation {
  id: number;
  schema: string;
  table: string;
  /** `d` default, `n` nothing, `f` full, `i` index. */
  replicaIdentity: string;
  columns: RelationColumn[];
}

/** One column of a tuple: its text value, null, or "unchanged TOAST value" (not sent). */
export type TupleValue = { kind: 'text'; value: string } | { kind: 'null' } | { kind: 'unchanged' };

export type Message =
  | { type: 'begin'; finalLsn: bigint; commitTime: Date; xid: number }
  | { type: 'commit'; commitTime: Date }
  | { type: 'relation'; relation: Relation }
  | { type: 'insert'; relationId: number; newTuple: TupleValue[] }
  | { type: 'update'; relationId: number; oldTuple: TupleValue[] | null; oldIsKeyOnly: boolean; newTuple: TupleValue[] }
  | { type: 'delete'; relationId: number; oldTuple: TupleValue[]; oldIsKeyOnly: boolean }
  | { type: 'truncate'; relationIds: number[] }
  | { type: 'other'; tag: string };

// Postgres timestamps count microseconds from 2000-01-01.
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

class Reader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}

  byte(): number {
    return this.data.readUInt8(this.offset++);
  }
  char(): string {
    return String.fromCharCode(this.byte());
  }
  int16(): number {
    const value = this.data.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }
  int32(): number {
    const value = this.data.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  uint32(): number {
    const value = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }
  int64(): bigint {
    const value = this.data.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }
  timestamp(): Date {
    const micros = this.int64();
    return new Date(POSTGRES_EPOCH_MS + Number(micros / 1000n));
  }
  string(): string {
    const end = this.data.indexOf(0, this.offset);
    if (end < 0) throw new Error('pgoutput: unterminated string');
    const value = this.data.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }
  bytes(length: number): Buffer {
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

function readTuple(reader: Reader): TupleValue[] {
  const count = reader.int16();
  const values: TupleValue[] = [];
  for (let i = 0; i < count; i++) {
    const kind = reader.char();
    if (kind === 'n') values.push({ kind: 'null' });
    else if (kind === 'u') values.push({ kind: 'unchanged' });
    else if (kind === 't' || kind === 'b')
      values.push({ kind: 'text', value: reader.bytes(reader.int32()).toString('utf8') });
    else throw new Error(`pgoutput: unknown tuple column kind ${kind}`);
  }
  return values;
}

function readRelation(reader: Reader): Relation {
  const id = reader.uint32();
  const schema = reader.string();
  const table = reader.string();
  const replicaIdentity = reader.char();
  const count = reader.int16();
  const columns: RelationColumn[] = [];
  for (let i = 0; i < count; i++) {
    const flags = reader.byte();
    const name = reader.string();
    const typeOid = reader.uint32();
    reader.int32(); // type modifier: casts use the bare type, as Realtime's do
    columns.push({ name, typeOid, isKey: (flags & 1) === 1 });
  }
  return { id, schema, table, replicaIdentity, columns };
}

export function decodeMessage(data: Buffer): Message {
  const reader = new Reader(data);
  const tag = reader.char();
  switch (tag) {
    case 'B': {
      const finalLsn = reader.int64();
      const commitTime = reader.timestamp();
      return { type: 'begin', finalLsn, commitTime, xid: reader.uint32() };
    }
    case 'C': {
      reader.byte(); // flags
      reader.int64(); // commit LSN
      reader.int64(); // end LSN
      return { type: 'commit', commitTime: reader.timestamp() };
    }
    case 'R':
      return { type: 'relation', relation: readRelation(reader) };
    case 'I': {
      const relationId = reader.uint32();
      reader.char(); // 'N'
      return { type: 'insert', relationId, newTuple: readTuple(reader) };
    }
    case 'U': {
      const relationId = reader.uint32();
      let marker = reader.char();
      let oldTuple: TupleValue[] | null = null;
      let oldIsKeyOnly = false;
      if (marker === 'K' || marker === 'O') {
        oldIsKeyOnly = marker === 'K';
        oldTuple = readTuple(reader);
        marker = reader.char();
      }
      if (marker !== 'N') throw new Error(`pgoutput: unexpected update marker ${marker}`);
      return { type: 'update', relationId, oldTuple, oldIsKeyOnly, newTuple: readTuple(reader) };
    }
    case 'D': {
      const relationId = reader.uint32();
      const marker = reader.char();
      return { type: 'delete', relationId, oldIsKeyOnly: marker === 'K', oldTuple: readTuple(reader) };
    }
    case 'T': {
      const count = reader.int32();
      reader.byte(); // options (cascade, restart identity)
      const relationIds: number[] = [];
      for (let i = 0; i < count; i++) relationIds.push(reader.uint32());
      return { type: 'truncate', relationIds };
    }
    default:
      // Origin (O), Type (Y) and logical messages (M) carry nothing Realtime forwards.
      return { type: 'other', tag };
  }
}

export type RowChange =
  | { kind: 'INSERT'; relation: Relation; commitTime: Date; record: TupleValue[] }
  | {
      kind: 'UPDATE';
      relation: Relation;
      commitTime: Date;
      record: TupleValue[];
      old: TupleValue[] | null;
      oldIsKeyOnly: boolean;
    }
  | { kind: 'DELETE'; relation: Relation; commitTime: Date; old: TupleValue[]; oldIsKeyOnly: boolean };

/**
 * Turns the slot's message stream into row changes stamped with their commit time. Relation
 * messages precede the first change of a table in each decoding call; the map is kept across
 * calls so a change is never orphaned.
 */
export class ChangeDecoder {
  private readonly relations = new Map<number, Relation>();
  private commitTime = new Date(0);

  push(data: Buffer): RowChange | null {
    const message = decodeMessage(data);
    switch (message.type) {
      case 'begin':
        this.commitTime = message.commitTime;
        return null;
      case 'relation':
        this.relations.set(message.relation.id, message.relation);
        return null;
      case 'insert':
        return {
          kind: 'INSERT',
          relation: this.relation(message.relationId),
          commitTime: this.commitTime,
          record: message.newTuple,
        };
      case 'update':
        return {
          kind: 'UPDATE',
          relation: this.relation(message.relationId),
          commitTime: this.commitTime,
          record: message.newTuple,
          old: message.oldTuple,
          oldIsKeyOnly: message.oldIsKeyOnly,
        };
      case 'delete':
        return {
          kind: 'DELETE',
          relation: this.relation(message.relationId),
          commitTime: this.commitTime,
          old: message.oldTuple,
          oldIsKeyOnly: message.oldIsKeyOnly,
        };
      default:
        // Truncates are not forwarded by Realtime's postgres_changes either.
        return null;
    }
  }

  private relation(id: number): Relation {
    const relation = this.relations.get(id);
    if (!relation) throw new Error(`pgoutput: change for unknown relation ${id}`);
    return relation;
  }
}

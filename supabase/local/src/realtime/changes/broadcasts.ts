// Database broadcasts: a row inserted into realtime.messages (realtime.send, broadcast_changes)
// read from the WAL and turned into the message the hub fans out.

import { InputError, parseBoundedJson } from '../../input.ts';
import type { DatabaseBroadcast } from '../types.ts';
import type { Relation, RowChange } from './pgoutput.ts';

export function isMessagesTable(relation: Relation): boolean {
  return relation.schema === 'realtime' && relation.name === 'messages';
}

const columnIndexes = new WeakMap<Relation, Map<string, number>>();

/**
 * The broadcast a realtime.messages insert carries, or null when it is not one (presence rows,
 * probes) or its payload cannot be relayed: jsonb may nest deeper than any client would parse.
 */
export function databaseBroadcast(change: RowChange, log: (line: string) => void): DatabaseBroadcast | null {
  let columns = columnIndexes.get(change.relation);
  if (!columns) {
    columns = new Map(change.relation.columns.map((column, index) => [column.name, index]));
    columnIndexes.set(change.relation, columns);
  }
  const values = change.newValues ?? [];
  const value = (name: string) => values[columns.get(name) ?? -1];
  if (value('extension') !== 'broadcast') return null;
  const payloadText = value('payload');
  let payload: unknown;
  try {
    payload = typeof payloadText === 'string' ? parseBoundedJson(payloadText, 'payload') : null;
  } catch (error) {
    if (error instanceof InputError) {
      log(`realtime: dropped database broadcast ${value('id') ?? ''}: payload ${error.message}`);
      return null;
    }
    payload = payloadText;
  }
  return {
    id: value('id') ?? '',
    topic: value('topic') ?? '',
    event: value('event') ?? '',
    payload,
    private: value('private') === 't',
  };
}

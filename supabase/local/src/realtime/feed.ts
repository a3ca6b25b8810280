import type pg from 'pg';
import type { ChangeFeed, DatabaseBroadcast } from './types.ts';

export interface FeedOptions {
  readonly pool: pg.Pool;
  readonly databaseUrl: string;
  readonly log: (line: string) => void;
  readonly onBroadcast: (message: DatabaseBroadcast) => void;
}

/** Placeholder until the WAL change feed lands: joins succeed, no change is ever delivered. */
export async function startChangeFeed(_options: FeedOptions): Promise<ChangeFeed> {
  return {
    subscribe: async () => null,
    unsubscribe: () => undefined,
    flush: async () => undefined,
    close: async () => undefined,
  };
}

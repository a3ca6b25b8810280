import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { ApiKeys } from '../keys.ts';
import type { DiskStore } from './disk.ts';
import type { UrlSigner } from './tokens.ts';

/** What every Storage handler shares. */
export interface StorageContext {
  readonly pool: pg.Pool;
  readonly keys: ApiKeys;
  readonly disk: DiskStore;
  readonly signer: UrlSigner;
  /** Roles a token may run as: those `authenticator` can switch to (read from the catalog once). */
  switchableRoles(): Promise<ReadonlySet<string>>;
  /** The project's upload limit in bytes; a bucket's own limit can only lower it. */
  readonly fileSizeLimit: number;
}

/** One routed request: `bucket` and `key` are the route's parameters, percent-decoded once. */
export interface StorageExchange {
  readonly ctx: StorageContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly bucket: string;
  readonly key: string;
}

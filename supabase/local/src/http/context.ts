import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { ApiKeys, ApiRole } from '../keys.ts';

export interface StackSettings {
  /** Lifetime of access tokens issued by /auth/v1. */
  readonly jwtExpirySeconds: number;
  /** A rotated refresh token may be presented again within this window (GoTrue's reuse interval). */
  readonly refreshTokenReuseIntervalSeconds: number;
  readonly anonymousSignIns: boolean;
  /** `iss` of issued access tokens. */
  readonly issuer: string;
}

/** What every service handler shares: the database, the keys and the settings. */
export interface StackContext {
  readonly pool: pg.Pool;
  readonly keys: ApiKeys;
  readonly settings: StackSettings;
  readonly log: (line: string) => void;
}

/** One HTTP request that passed the API gateway: a known apikey and a path inside a service. */
export interface ApiRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Path below the service prefix, starting with `/` (`/rest/v1/messages` → `/messages`). */
  readonly path: string;
  readonly apikey: string;
  readonly apikeyRole: ApiRole;
}

export type ServiceHandler = (request: ApiRequest) => Promise<void>;

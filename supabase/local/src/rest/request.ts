import type pg from 'pg';
import type { ApiRoles } from '../http/bearer.ts';
import type { ApiRequest, StackContext } from '../http/context.ts';
import type { RestConfig } from './config.ts';
import type { Output, Profile } from './negotiate.ts';
import type { PlanNode } from './plan.ts';
import type { Preferences } from './prefer.ts';
import type { Relation, SchemaCache } from './schema.ts';
import type { RequestScope } from './transaction.ts';

/** The catalog and settings requests run against; replaced whole on reload. */
export interface State {
  cache: SchemaCache;
  config: RestConfig;
  roles: ApiRoles;
}

/** One authenticated REST request, negotiated and ready for the handler of its kind. */
export interface RestExchange {
  readonly context: StackContext;
  /** The REST service's pipelining pool, which request transactions run on. */
  readonly pool: pg.Pool;
  readonly state: State;
  readonly request: ApiRequest;
  readonly scope: RequestScope;
  readonly method: string;
  readonly profile: Profile;
  readonly prefs: Preferences;
  readonly output: Output;
  /** The request body as text (size-limited; 413 PGRST102 beyond). */
  readBody(): Promise<string>;
  /** The read plan of `select=` and the filters on `relation`; `skip` holds RPC arguments. */
  plan(relation: Relation, skip?: ReadonlySet<string>): PlanNode;
}

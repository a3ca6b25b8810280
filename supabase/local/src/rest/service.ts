import type { ServiceHandler, StackContext } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';

export interface RestService {
  readonly handle: ServiceHandler;
  /** Re-reads the catalog (tables, columns, relationships, functions) after schema changes. */
  reload(): Promise<void>;
}

export async function createRestService(_context: StackContext): Promise<RestService> {
  return {
    handle: async ({ res }) => sendJson(res, 501, { message: 'rest: not implemented yet' }),
    reload: async () => undefined,
  };
}

import type { ServiceHandler, StackContext } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';

export function createAuthService(_context: StackContext): ServiceHandler {
  return async ({ res }) => sendJson(res, 501, { code: 'not_implemented', message: 'auth: not implemented yet' });
}

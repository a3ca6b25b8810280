import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiKeyRole, type ApiKeys } from '../keys.ts';
import type { ServiceHandler } from './context.ts';
import { answerPreflight, applyCors, header, sendJson } from './respond.ts';

export interface Services {
  readonly [prefix: string]: ServiceHandler;
}

/**
 * The API gateway Supabase puts in front of its services (Kong in self-hosting): CORS, an apikey
 * check, then routing by path prefix.
 */
export function createGateway(keys: ApiKeys, services: Services, log: (line: string) => void) {
  const prefixes = Object.keys(services).sort((a, b) => b.length - a.length);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    applyCors(req, res);
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const prefix = prefixes.find((candidate) => url.pathname === candidate || url.pathname.startsWith(`${candidate}/`));
    const handler = prefix === undefined ? undefined : services[prefix];
    if (prefix === undefined || handler === undefined) {
      sendJson(res, 404, { message: 'no Route matched with those values' });
      return;
    }
    const apikey = header(req, 'apikey') ?? url.searchParams.get('apikey') ?? undefined;
    if (!apikey) {
      sendJson(res, 401, {
        message: 'No API key found in request',
        hint: 'No `apikey` request header or url param was found.',
      });
      return;
    }
    const apikeyRole = apiKeyRole(keys, apikey);
    if (apikeyRole === null) {
      sendJson(res, 401, {
        message: 'Invalid API key',
        hint: 'Double check your Supabase `anon` or `service_role` API key.',
      });
      return;
    }
    try {
      await handler({ req, res, url, path: url.pathname.slice(prefix.length) || '/', apikey, apikeyRole });
    } catch (error) {
      log(`${req.method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal server error' });
      else res.destroy();
    }
  };
}

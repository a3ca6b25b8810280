import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { InputError } from '../input.ts';
import { apiKeyRole, type ApiKeys } from '../keys.ts';
import { answerClientError, type ParserError } from './client-error.ts';
import type { ServiceHandler } from './context.ts';
import { refuseWithMessage, type Refuse } from './refusal.ts';
import { answerPreflight, applyCors, BodyTooLargeError, header, sendJson } from './respond.ts';
import { checkRequestText, parseRequestUrl } from './url.ts';

export interface Service {
  readonly handle: ServiceHandler;
  /** Defaults to the gateway's own `{ message }` shape. */
  readonly refuse?: Refuse;
  /**
   * Requests this service takes without an apikey, as Kong's open routes do for links opened from
   * an email (`/auth/v1/verify`) and the mail catcher's pages; they reach `handle` with an empty apikey.
   */
  readonly open?: (method: string, path: string) => boolean;
}

export interface Services {
  readonly [prefix: string]: Service;
}

export interface Gateway {
  /** The server's request listener. Never rejects: whatever one request throws ends with that request. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The server's `clientError` listener: requests Node's HTTP parser refused. */
  clientError(error: ParserError, socket: Duplex): void;
}

/**
 * The API gateway Supabase puts in front of its services (Kong in self-hosting): CORS, an apikey
 * check, then routing by path prefix. It is also where one request's failure is contained: input
 * that is not text the services can use is refused here, and anything a handler throws is logged
 * and answered, never left to reach the process.
 */
export function createGateway(keys: ApiKeys, services: Services, log: (line: string) => void): Gateway {
  const prefixes = Object.keys(services).sort((a, b) => b.length - a.length);
  const prefixOf = (path: string) => prefixes.find((candidate) => path === candidate || path.startsWith(`${candidate}/`));
  const serviceFor = (path: string): Service | undefined => {
    const prefix = prefixOf(path);
    return prefix === undefined ? undefined : services[prefix];
  };

  const refuse = (service: Service | undefined, req: IncomingMessage, res: ServerResponse, error: InputError): void => {
    const refusal = (service?.refuse ?? refuseWithMessage)(error, req);
    sendJson(res, 400, refusal.body, { ...refusal.headers });
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applyCors(req, res);
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res);
      return;
    }
    const url = parseRequestUrl(req.url ?? '/');
    const prefix = prefixOf(url.pathname);
    const service = prefix === undefined ? undefined : services[prefix];
    if (prefix === undefined || service === undefined) {
      sendJson(res, 404, { message: 'no Route matched with those values' });
      return;
    }
    // Throws InputError, which answerFailure turns into the service's 400.
    checkRequestText(url, req.headers);
    const apikey = header(req, 'apikey') ?? url.searchParams.get('apikey') ?? undefined;
    const path = url.pathname.slice(prefix.length) || '/';
    if (!apikey && service.open?.(req.method ?? 'GET', path)) {
      await service.handle({ req, res, url, path, apikey: '', apikeyRole: 'anon' });
      return;
    }
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
    await service.handle({ req, res, url, path, apikey, apikeyRole });
  }

  return {
    async handle(req, res) {
      // A write after the end is emitted as 'error' on the response; unheard, it would end the process.
      res.on('error', (error) => log(`${req.method} ${req.url}: response error: ${errorText(error)}`));
      try {
        await route(req, res);
      } catch (error) {
        answerFailure(req, res, error);
      }
    },
    clientError(error, socket) {
      try {
        answerClientError(error, socket, (target) => serviceFor(target)?.refuse ?? refuseWithMessage);
      } catch (failure) {
        log(`clientError: ${failure instanceof Error ? failure.message : String(failure)}`);
        socket.destroy();
      }
    },
  };

  function answerFailure(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    try {
      if (req.socket.destroyed || res.destroyed) {
        log(`${req.method} ${req.url}: the client went away: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      if (res.headersSent) {
        log(`${req.method} ${req.url}: failed after answering: ${errorText(error)}`);
        res.destroy();
        return;
      }
      // Input errors that slipped past a service's own checks are still the client's fault.
      if (error instanceof InputError || error instanceof URIError) {
        const input = error instanceof InputError ? error : new InputError('malformed percent-encoding', 'path');
        refuse(serviceFor(safePath(req)), req, res, input);
        return;
      }
      if (error instanceof BodyTooLargeError) {
        sendJson(res, 413, { message: 'Request body too large' });
        return;
      }
      log(`${req.method} ${req.url}: ${errorText(error)}`);
      sendJson(res, 500, { message: 'Internal server error' });
    } catch (again) {
      log(`${req.method} ${req.url}: could not answer the failure: ${errorText(again)}`);
      res.destroy();
    }
  }
}

function safePath(req: IncomingMessage): string {
  try {
    return parseRequestUrl(req.url ?? '/').pathname;
  } catch {
    return '/';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

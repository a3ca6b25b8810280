import type { IncomingMessage } from 'node:http';
import { InputError, jsonDepth, MAX_JSON_DEPTH } from '../input.ts';
import { BodyTooLargeError, DRAIN_LIMIT, readBody } from '../http/respond.ts';
import { errors } from './errors.ts';

/** A JSON object body, refused with InvalidRequest (as the server's schema check words it) when it is not one. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readBody(req, 1024 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw errors.tooLarge();
    if (error instanceof InputError) throw errors.invalidRequest('body must be UTF-8 JSON');
    throw error;
  }
  if (text.trim() === '') return {};
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw errors.invalidRequest('body is nested too deeply');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errors.invalidRequest('Body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw errors.invalidRequest('body must be object');
  return value as Record<string, unknown>;
}

/**
 * Reads and drops what is left of a request body, so a client still sending when a refusal comes
 * mid-upload (413, 403) finishes and then reads the answer, on a connection that stays usable. Past
 * DRAIN_LIMIT the socket is closed instead.
 */
export function settleBody(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let drained = 0;
    const done = () => {
      req.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_LIMIT) {
        req.socket.destroy();
        done();
      }
    };
    // An upload read part of the body through an async iterator, whose 'readable' listener would
    // keep the stream paused whatever resume() says.
    req.removeAllListeners('readable');
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}

/** Field readers for JSON bodies: a wrong type is an InvalidRequest naming the field. */
export const field = {
  string(body: Record<string, unknown>, name: string, required = true): string | undefined {
    const value = body[name];
    if (value === undefined || value === null) {
      if (required) throw errors.invalidRequest(`body must have required property '${name}'`);
      return undefined;
    }
    if (typeof value !== 'string') throw errors.invalidRequest(`body/${name} must be string`);
    return value;
  },
  boolean(body: Record<string, unknown>, name: string): boolean | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw errors.invalidRequest(`body/${name} must be boolean`);
    return value;
  },
  integer(body: Record<string, unknown>, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw errors.invalidRequest(`body/${name} must be integer`);
    if (value < min) throw errors.invalidRequest(`body/${name} must be >= ${min}`);
    if (value > max) throw errors.invalidRequest(`body/${name} must be <= ${max}`);
    return value;
  },
  strings(body: Record<string, unknown>, name: string, min: number, max: number): string[] {
    const value = body[name];
    if (value === undefined || value === null) throw errors.invalidRequest(`body must have required property '${name}'`);
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
      throw errors.invalidRequest(`body/${name} must be array of strings`);
    }
    if (value.length < min) throw errors.invalidRequest(`body/${name} must NOT have fewer than ${min} items`);
    if (value.length > max) throw errors.invalidRequest(`body/${name} must NOT have more than ${max} items`);
    return value;
  },
};

import type { IncomingMessage } from 'node:http';
import type { InputError } from '../input.ts';

/** A 400 for input the gateway refused before the service ran, worded as that service words errors. */
export interface Refusal {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** `req` is null when Node's parser refused the request before it had headers. */
export type Refuse = (error: InputError, req: IncomingMessage | null) => Refusal;

/** `NUL character in query parameter "content"`: the reason, then the part of the request. */
export function describe(error: InputError): string {
  return error.field === null ? error.message : `${error.message} in ${error.field}`;
}

/** The gateway's own shape (Kong's), for services without one. */
export const refuseWithMessage: Refuse = (error) => ({ body: { message: describe(error) } });

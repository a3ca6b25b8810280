/**
 * What `<parley-status>` shows, as a pure function of what the controller knows about the session,
 * the browser and its channels, so the precedence is written (and tested) in one place.
 */
import type { ConnectionStatus } from '../state/index.ts';

export interface ConnectionInputs {
  /** Nobody is signed in any more (signed out elsewhere, session lost): nothing will recover by itself. */
  readonly signedOut: boolean;
  /** A channel the server keeps closing could not be re-created (see managed-channel.ts). */
  readonly channelFailed: boolean;
  /** `navigator.onLine`. */
  readonly online: boolean;
  /** Some channel reached SUBSCRIBED since the controller started. */
  readonly everSubscribed: boolean;
  /** Some channel is down: errored, timed out or closed by the server, and not yet back. */
  readonly channelDown: boolean;
  /** The socket stayed down too long, and polling over REST reaches the server (rest-fallback.ts). */
  readonly polling: boolean;
}

/**
 * Precedence, first match wins: `error` (needs the user: sign in again or Retry), `offline` (the
 * browser says so; nothing to try until `online`), `polling` (updates still arrive, every few
 * seconds), `connecting` (never subscribed yet), `reconnecting` (was live, some channel is down),
 * else `connected`.
 */
export function connectionStatus(inputs: ConnectionInputs): ConnectionStatus {
  if (inputs.signedOut || inputs.channelFailed) return 'error';
  if (!inputs.online) return 'offline';
  if (inputs.polling) return 'polling';
  if (!inputs.everSubscribed) return 'connecting';
  if (inputs.channelDown) return 'reconnecting';
  return 'connected';
}

/**
 * One widget session (STYLE.md §8): the supabase-js client, the data API, the stores and the
 * realtime controller of one root element, created together and disposed together. The root
 * element provides it to its descendants through {@link sessionContext}.
 */
import { createContext } from '@lit/context';
import { createClient, type SupabaseClient, type SupportedStorage } from '@supabase/supabase-js';
import type { Audience, RealtimeTransport } from '../data/index.ts';
import { createConversationApi, type ConversationApi, type DataApiOptions } from '../data/api.ts';
import { createDataApi, type DataApi } from '../data/team-api.ts';
import { thirdPartyToken } from '../data/identity.ts';
import { authStorageKey, outboxKeyFor } from './storage-key.ts';
import { backgroundHeartbeat } from './background-heartbeat.ts';
import { createRealtimeController, type RealtimeController } from '../realtime/index.ts';
import { createParleyState, type ParleyState, type StorageLike } from '../state/index.ts';

export { outboxKeyFor };

export const AUTH_SCOPES = ['visitor', 'agent'] as const;
export type AuthScope = (typeof AUTH_SCOPES)[number];

export interface SessionOptions {
  /** A client the host page already has; used as is, and never disposed by the session. */
  readonly client?: SupabaseClient;
  /** With `supabaseKey`, the project to create a client for (ignored when `client` is given). */
  readonly supabaseUrl?: string;
  /** The project's anon (publishable) key. */
  readonly supabaseKey?: string;
  /** A host-issued access token (third-party auth); the created client sends it instead of its own session. */
  readonly accessToken?: () => Promise<string | null>;
  /** Where the outbox survives reloads (`safeLocalStorage()`); memory-only without it. */
  readonly outboxStorage?: StorageLike;
  /** The outbox's key in `outboxStorage`; by default one per Supabase project ({@link outboxKeyFor}). */
  readonly outboxKey?: string;
  /** Display name sent with typing broadcasts; a function when it is known only after sign-in. */
  readonly typingName?: string | null | (() => string | null);
  /**
   * Whose sign-in the created client keeps: a visitor's (the launcher) or an agent's (the inbox).
   * Separate storage, so a launcher and an inbox on one origin never take over each other's session.
   */
  readonly authScope?: AuthScope;
  /**
   * Whose view the data layer maps rows to (src/data/audience.ts). By default the one that goes
   * with `authScope`: a visitor's session is the customer's view, an agent's the team's.
   */
  readonly audience?: Audience;
  /**
   * How changes arrive: `postgres-changes` (the default) or `broadcast`, scale mode for large
   * projects on hosted Supabase (Broadcast from Database on private topics, authorized once per
   * join instead of RLS-checked per subscriber per change). Same guarantees either way.
   */
  readonly realtime?: RealtimeTransport;
}

/**
 * A widget session. `api` is the whole data layer for {@link createSession}; a root element's
 * session has what both roots use (the console adds its commands: `withTeamCommands`).
 */
export interface Session<A extends ConversationApi = ConversationApi> {
  readonly client: SupabaseClient;
  readonly api: A;
  readonly state: ParleyState;
  readonly realtime: RealtimeController;
  /** Whether `client` was created here (and is torn down by `dispose`). */
  readonly ownsClient: boolean;
  /** Stops the realtime controller, disposes the stores and, when created here, the client. Idempotent. */
  dispose(): Promise<void>;
}

/** The session of the nearest root element (`<parley-launcher>`), for descendants using `@consume`. */
export const sessionContext = createContext<Session | undefined>(Symbol('parley-session'));

/** How many clients this page created per base storage key (auth-js warns on a reused key). */
const keyUses = new Map<string, number>();

/**
 * The page's `localStorage`, or null where there is none or merely reading the property throws
 * (sandboxed frames without `allow-same-origin`, storage blocked by privacy settings).
 */
export function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * Auth storage for one created client: a storage key unique on this page (so auth-js never sees
 * two live clients under one key) whose entries live under the shared base key, so a remounted
 * widget keeps its visitor. Memory-only when localStorage is unavailable (sandboxed frames).
 */
function authStorage(url: string, scope: AuthScope): { storageKey: string; storage: SupportedStorage } {
  const base = authStorageKey(url, scope);
  const n = keyUses.get(base) ?? 0;
  keyUses.set(base, n + 1);
  const storageKey = n === 0 ? base : `${base}#${n}`;
  const local = safeLocalStorage();
  const memory = new Map<string, string>();
  const map = (key: string): string => (key.startsWith(storageKey) ? base + key.slice(storageKey.length) : key);
  const storage: SupportedStorage = {
    getItem(key) {
      try {
        return local ? local.getItem(map(key)) : (memory.get(map(key)) ?? null);
      } catch {
        return memory.get(map(key)) ?? null;
      }
    },
    setItem(key, value) {
      try {
        if (local) local.setItem(map(key), value);
        else memory.set(map(key), value);
      } catch {
        memory.set(map(key), value);
      }
    },
    removeItem(key) {
      try {
        local?.removeItem(map(key));
      } catch {
        // Nothing stored there.
      }
      memory.delete(map(key));
    },
  };
  return { storageKey, storage };
}

/**
 * Creates a widget session. Given `client`, uses it as is; otherwise creates a supabase-js client
 * for `supabaseUrl` + `supabaseKey` with realtime heartbeats from a worker while the page is hidden
 * (so background tabs keep their socket) and auth storage of its own. Creating a session makes no request; the first
 * request is the caller's (`realtime.start()`, a sign-in or a query).
 *
 * @throws {TypeError} without `client` and without both `supabaseUrl` and `supabaseKey`.
 */
export function createSession(options: SessionOptions): Session<DataApi> {
  return openSession(options, createDataApi);
}

/**
 * {@link createSession} with the data layer `api` builds: the root elements pass
 * `createConversationApi` (rootSession), so the visitor's launcher leaves the console's commands out.
 */
export function openSession<A extends ConversationApi>(
  options: SessionOptions,
  makeApi: (client: SupabaseClient, options: DataApiOptions) => A,
): Session<A> {
  let client: SupabaseClient;
  let projectUrl: string;
  const ownsClient = options.client === undefined;
  if (options.client) {
    client = options.client;
    // supabase-js keeps the project URL protected; its realtime endpoint has the same host.
    projectUrl = client.realtime.endPoint;
  } else {
    const { supabaseUrl: url, supabaseKey: key } = options;
    if (!url || !key) throw new TypeError('createSession needs a client, or supabaseUrl and supabaseKey');
    projectUrl = url;
    const { storageKey, storage } = authStorage(url, options.authScope ?? 'visitor');
    client = createClient(url, key, {
      // No auth-js ticker waking the page every 30 s (issue 12: no work while idle). The session
      // still renews before it expires: supabase-js asks auth-js for the token on every request and
      // on every realtime heartbeat (realtime-js's, or the background worker's while hidden), and
      // auth-js refreshes a token that expires within 90 s when asked. A page with neither asks
      // for nothing, and its first request renews the session on the way.
      auth: { storageKey, storage, persistSession: true, autoRefreshToken: false, detectSessionInUrl: false },
      // Heartbeats from a worker only while the page is hidden (backgroundHeartbeat), not realtime-js's.
      realtime: { worker: false },
      ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    });
  }
  const stopHeartbeat = ownsClient ? backgroundHeartbeat(client.realtime) : () => undefined;
  const api = makeApi(client, { audience: options.audience ?? (options.authScope === 'agent' ? 'team' : 'customer') });
  const state = createParleyState(
    options.outboxStorage
      ? { storage: options.outboxStorage, storageKey: options.outboxKey ?? outboxKeyFor(projectUrl) }
      : {},
  );
  const realtime = createRealtimeController({
    client, api, state, typingName: options.typingName ?? null, ...(options.realtime ? { transport: options.realtime } : {}),
  });
  let disposing: Promise<void> | null = null;
  return {
    client, api, state, realtime, ownsClient,
    dispose() {
      disposing ??= (async () => {
        const stopping = realtime.stop();
        stopHeartbeat();
        // Before any await: a send answered while the channels close must not write this
        // instance's outbox over the one a newer widget on the same storage key keeps.
        state.dispose();
        await stopping;
        if (!ownsClient) return;
        await client.removeAllChannels();
        await client.realtime.disconnect();
        // Timers, the visibility listener and the cross-tab BroadcastChannel of auth-js (absent with third-party auth).
        if (!thirdPartyToken(client)) await client.auth.dispose();
      })();
      return disposing;
    },
  };
}

/** A root element's session: what both roots use of the data layer. */
export function rootSession(options: SessionOptions): Session {
  return openSession(options, createConversationApi);
}

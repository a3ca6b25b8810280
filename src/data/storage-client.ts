/**
 * The `attachments` bucket through the real storage-js, loaded on demand (its own chunk): the
 * bundled builds stub supabase-js's `client.storage` (vite.config.ts `storageTrim`), so the first
 * open does not carry Storage code a visitor who never attaches a file would download.
 * Every request carries the client's key and the current access token, read per request like
 * supabase-js's own fetch does: from the session, or from the host's `accessToken` callback.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import type { StorageClient } from '@supabase/storage-js';

/** What `storage.from(bucket)` returns: upload, signed URLs, remove, … for one bucket. */
export type StorageFileApi = ReturnType<StorageClient['from']>;

interface ClientParts {
  readonly storageUrl: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The URL, key and global headers supabase-js keeps on the client (protected fields, checked here). */
function clientParts(client: SupabaseClient): ClientParts {
  const fields = client as unknown as Readonly<Record<string, unknown>>;
  const { storageUrl, supabaseKey, headers } = fields;
  if (!(storageUrl instanceof URL) || typeof supabaseKey !== 'string') {
    throw new TypeError('This supabase-js client does not expose its Storage URL and key');
  }
  const plain: Record<string, string> = {};
  if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') plain[name] = value;
  }
  return { storageUrl: storageUrl.href, key: supabaseKey, headers: plain };
}

/** The token a request is made with: the host's (third-party auth), the session's, or none. */
async function accessToken(client: SupabaseClient): Promise<string | null> {
  // As host-token.ts's thirdPartyToken (not imported: this chunk shares no module with the app's).
  const source: unknown = (client as unknown as { accessToken?: unknown }).accessToken;
  if (typeof source === 'function') return (source as () => Promise<string | null>)();
  const { data } = await client.auth.getSession();
  return data.session?.access_token ?? null;
}

const files = new WeakMap<SupabaseClient, Promise<StorageFileApi>>();

/** The `attachments` bucket for `client`; the first call loads storage-js. */
export function storageFor(client: SupabaseClient): Promise<StorageFileApi> {
  let api = files.get(client);
  if (!api) {
    api = (async () => {
      const { StorageClient: Storage } = await import('@supabase/storage-js');
      const { storageUrl, key, headers } = clientParts(client);
      const authedFetch: typeof fetch = async (input, init) => {
        const request = new Headers(init?.headers);
        request.set('apikey', key);
        request.set('Authorization', `Bearer ${(await accessToken(client)) ?? key}`);
        return fetch(input, { ...init, headers: request });
      };
      return new Storage(storageUrl, headers, authedFetch).from('attachments');
    })();
    // A failed load (offline) is not remembered: the next attach tries again.
    api.catch(() => files.delete(client));
    files.set(client, api);
  }
  return api;
}

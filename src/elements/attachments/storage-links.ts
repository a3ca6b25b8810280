/**
 * The thread's signed links over Supabase Storage: one {@link SignedLinks} per supabase-js client
 * (so per widget session), signing through storage-js, which `storageFor` loads on demand.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { storageFor } from '../../data/storage-client.ts';
import { SignedLinks } from './signed-links.ts';

const byClient = new WeakMap<SupabaseClient, SignedLinks>();

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null;
}

/** Storage's answer as one URL per key (matched by `path`, not position), null where it refused one. */
export function signedByKey(keys: readonly string[], data: unknown): (string | null)[] {
  if (!Array.isArray(data)) throw new TypeError('Storage answered the signing request with something other than a list');
  const byPath = new Map<string, string>();
  for (const item of data as unknown[]) {
    if (!isRecord(item) || typeof item['path'] !== 'string' || typeof item['signedUrl'] !== 'string') continue;
    // Only http(s) URLs ever reach an img src or a link href.
    if (/^https?:\/\//i.test(item['signedUrl'])) byPath.set(item['path'], item['signedUrl']);
  }
  return keys.map((key) => byPath.get(key) ?? null);
}

/** The signed links of `client`'s session, created the first time an attachment asks for one. */
export function linksFor(client: SupabaseClient): SignedLinks {
  let links = byClient.get(client);
  if (!links) {
    links = new SignedLinks(async (keys, expiresIn) => {
      const bucket = await storageFor(client);
      const { data, error } = await bucket.createSignedUrls([...keys], expiresIn);
      if (error) throw error;
      return signedByKey(keys, data);
    });
    byClient.set(client, links);
  }
  return links;
}

/**
 * Stands in for supabase-js's own import of `@supabase/storage-js` in the bundled builds
 * (`dist/parley.js`, `dist/parley.iife.js`; see vite.config.ts). Parley reaches Storage only through
 * src/data/storage-client.ts, which loads the real module on demand when a file is attached;
 * storage-js is about 5 KB of the chat chunk's brotli budget. supabase-js only constructs
 * `client.storage`, so construction must work and any use fails loudly. The package build keeps the real module: an app's own bundle decides there.
 */
const UNAVAILABLE = 'client.storage is not included in the Parley embed; use your own supabase-js client for it.';

export class StorageApiError extends Error {}

export class StorageClient {
  from(): never {
    throw new Error(UNAVAILABLE);
  }
}

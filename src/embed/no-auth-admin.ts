/**
 * Stands in for auth-js's admin client (`GoTrueAdminApi`) in the embed (`dist/parley.js` and its
 * chunk), like no-webauthn.ts: the admin API needs the service-role key, which never reaches a
 * browser, and auth-js only uses it itself to sign out, which the visitor's launcher never does.
 * auth-js constructs it with every client, so construction works; any call fails loudly. The IIFE
 * build keeps the real module, since the console in it signs agents out.
 */
const UNAVAILABLE = "auth-js's admin API is not included in the Parley embed; use your own supabase-js client for it.";

export default class GoTrueAdminApi {
  signOut(): Promise<{ data: null; error: Error }> {
    return Promise.resolve({ data: null, error: new Error(UNAVAILABLE) });
  }
}

/**
 * Stands in for `@supabase/functions-js` in the bundled builds, like no-storage.ts for Storage:
 * Parley never invokes Edge Functions, and supabase-js only constructs the client on first use of
 * `client.functions`, which then fails loudly.
 */
const UNAVAILABLE = 'Supabase Edge Functions are not included in the Parley embed; use your own supabase-js client for them.';

export const FunctionRegion = {};

export class FunctionsError extends Error {}
export class FunctionsFetchError extends FunctionsError {}
export class FunctionsHttpError extends FunctionsError {}
export class FunctionsRelayError extends FunctionsError {}

export class FunctionsClient {
  invoke(): never {
    throw new Error(UNAVAILABLE);
  }
}

/**
 * Stands in for auth-js's WebAuthn helpers (`lib/webauthn`) in the bundled builds, like
 * no-storage.ts for Storage: Parley never enrols or verifies passkeys (MFA), and the module with its
 * error catalogue is about 3 KB of the first open's brotli budget. auth-js builds a `WebAuthnApi`
 * when its client is created, so construction works; any passkey call fails loudly.
 */
const UNAVAILABLE = 'WebAuthn (passkey MFA) is not included in the Parley embed; use your own supabase-js client for it.';

const unavailable = (): never => {
  throw new Error(UNAVAILABLE);
};

export const createCredential = unavailable;
export const getCredential = unavailable;
export const deserializeCredentialCreationOptions = unavailable;
export const deserializeCredentialRequestOptions = unavailable;
export const serializeCredentialCreationResponse = unavailable;
export const serializeCredentialRequestResponse = unavailable;

export function browserSupportsWebAuthn(): boolean {
  return false;
}

export const webAuthnAbortService = {
  createNewAbortSignal: (): AbortSignal => new AbortController().signal,
  cancelCeremony: (): void => undefined,
};

export class WebAuthnApi {
  enroll = unavailable;
  challenge = unavailable;
  verify = unavailable;
  authenticate = unavailable;
  register = unavailable;
}

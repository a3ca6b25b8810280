/**
 * Stands in for auth-js's Sign-in-with-Ethereum helpers (`lib/web3/ethereum`) in the bundled builds,
 * like no-webauthn.ts: Parley never signs in with a wallet, so any use fails loudly.
 */
const unavailable = (): never => {
  throw new Error('Web3 sign-in is not included in the Parley embed; use your own supabase-js client for it.');
};

export const createSiweMessage = unavailable;
export const fromHex = unavailable;
export const getAddress = unavailable;
export const toHex = unavailable;

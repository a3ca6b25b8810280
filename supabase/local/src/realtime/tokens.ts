import { decodeJwt } from 'jose';
import { JwtError, verifyJwt, type Claims } from '../keys.ts';

export type TokenResult =
  | { readonly ok: true; readonly claims: Claims & { exp: number } }
  | { readonly ok: false; readonly code: 'InvalidJWTToken' | 'MalformedJWT' | 'JwtSignatureError'; readonly message: string };

/** Verifies a channel token with the reasons Supabase Realtime gives (SUPABASE-WIRE §1.6, §1.9). */
export async function checkToken(jwtSecret: string, token: string): Promise<TokenResult> {
  let decoded: Record<string, unknown>;
  try {
    decoded = decodeJwt(token);
  } catch {
    return { ok: false, code: 'MalformedJWT', message: 'The token provided is not a valid JWT' };
  }
  if (typeof decoded.role !== 'string' || typeof decoded.exp !== 'number') {
    return { ok: false, code: 'InvalidJWTToken', message: 'Fields `role` and `exp` are required in JWT' };
  }
  try {
    const claims = await verifyJwt(jwtSecret, token);
    return { ok: true, claims: claims as Claims & { exp: number } };
  } catch (error) {
    if (error instanceof JwtError && error.reason === 'expired') {
      return { ok: false, code: 'InvalidJWTToken', message: expiredMessage(decoded.exp) };
    }
    if (error instanceof JwtError && error.reason === 'signature') {
      return { ok: false, code: 'JwtSignatureError', message: 'Failed to validate JWT signature' };
    }
    return { ok: false, code: 'MalformedJWT', message: 'The token provided is not a valid JWT' };
  }
}

export function expiredMessage(exp: number): string {
  return `Token has expired ${Math.max(0, Math.floor(Date.now() / 1000 - exp))} seconds ago`;
}

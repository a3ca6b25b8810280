import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/** The Supabase CLI's well-known local development values, so a `.env` for `supabase start` works. */
export const DEFAULT_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const DEFAULT_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const DEFAULT_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
export const DEFAULT_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const DEFAULT_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

// 2032-11-07, the expiry the CLI's demo keys carry.
const API_KEY_EXPIRY = 1983812996;

export type ApiRole = 'anon' | 'service_role';

/** Claims carried by every JWT the stack accepts; other claims pass through untouched. */
export interface Claims extends JWTPayload {
  role: string;
  sub?: string;
  session_id?: string;
  is_anonymous?: boolean;
}

export interface ApiKeys {
  readonly jwtSecret: string;
  readonly anon: string;
  readonly serviceRole: string;
  readonly publishable: string;
  readonly secret: string;
}

export async function createApiKeys(jwtSecret: string): Promise<ApiKeys> {
  if (jwtSecret === DEFAULT_JWT_SECRET) {
    return {
      jwtSecret,
      anon: DEFAULT_ANON_KEY,
      serviceRole: DEFAULT_SERVICE_ROLE_KEY,
      publishable: DEFAULT_PUBLISHABLE_KEY,
      secret: DEFAULT_SECRET_KEY,
    };
  }
  const key = secretKey(jwtSecret);
  const apiKey = (role: ApiRole) =>
    new SignJWT({ iss: 'supabase-demo', role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime(API_KEY_EXPIRY)
      .sign(key);
  return {
    jwtSecret,
    anon: await apiKey('anon'),
    serviceRole: await apiKey('service_role'),
    publishable: DEFAULT_PUBLISHABLE_KEY,
    secret: DEFAULT_SECRET_KEY,
  };
}

/** The role an `apikey` grants, or null when the key is not one of this project's. */
export function apiKeyRole(keys: ApiKeys, apikey: string): ApiRole | null {
  if (apikey === keys.anon || apikey === keys.publishable) return 'anon';
  if (apikey === keys.serviceRole || apikey === keys.secret) return 'service_role';
  return null;
}

/** Claims of a new-style (`sb_…`) key, which is not a JWT. */
export function apiKeyClaims(role: ApiRole): Claims {
  return { iss: 'supabase-demo', role, exp: API_KEY_EXPIRY };
}

export type JwtFailure = 'expired' | 'malformed' | 'signature' | 'claims';

export class JwtError extends Error {
  constructor(readonly reason: JwtFailure, message: string) {
    super(message);
    this.name = 'JwtError';
  }
}

export function secretKey(jwtSecret: string): Uint8Array {
  return new TextEncoder().encode(jwtSecret);
}

/**
 * Tokens verified lately, by secret and token: every request of a session carries the same access
 * token, and verifying it (WebCrypto HMAC, a trip to the thread pool) was the largest cost of the
 * REST path before the database. PostgREST keeps such a cache too (jwt-cache-max-lifetime). Only
 * successes are kept, and an entry is used only while the token has not expired, so answers stay
 * exactly what verification gives; the oldest entries go first.
 */
const verified = new Map<string, Readonly<Claims>>();
const VERIFIED_ENTRIES = 4096;

/** Verifies an HS256 JWT signed with the project secret; rejects with a JwtError naming why. */
export async function verifyJwt(jwtSecret: string, token: string): Promise<Claims> {
  const key = `${jwtSecret}\u0000${token}`;
  const known = verified.get(key);
  if (known && (typeof known.exp !== 'number' || known.exp > Math.floor(Date.now() / 1000))) return known;
  verified.delete(key);
  const claims = Object.freeze(await verifyJwtNow(jwtSecret, token));
  if (verified.size >= VERIFIED_ENTRIES) verified.delete(verified.keys().next().value as string);
  verified.set(key, claims);
  return claims;
}

async function verifyJwtNow(jwtSecret: string, token: string): Promise<Claims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, secretKey(jwtSecret), { algorithms: ['HS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new JwtError('expired', 'JWT expired');
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new JwtError('signature', 'JWSError JWSInvalidSignature');
    }
    throw new JwtError('malformed', error instanceof Error ? error.message : 'invalid JWT');
  }
  if (typeof payload.role !== 'string' || payload.role === '') {
    throw new JwtError('claims', 'JWT has no role claim');
  }
  return payload as Claims;
}

export async function signJwt(jwtSecret: string, claims: Claims): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretKey(jwtSecret));
}

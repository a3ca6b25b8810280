/**
 * Per-IP rate limits on `/auth/v1`, as hosted Supabase's Auth (GoTrue) applies them
 * (supabase/auth `internal/api/apilimiter/apilimiter.go`, `middleware.go` `performRateLimiting`):
 * one token bucket per limiter and client address (didip/tollbooth over golang.org/x/time/rate),
 * full when the address is first seen, refilled at the configured rate, and forgotten an hour
 * after it was made (tollbooth's expiring map), whatever happened since.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { header } from '../http/respond.ts';
import { AuthError } from './errors.ts';

/** The limits a stack runs with; see `LocalStackOptions.authRateLimits`. */
export interface AuthRateLimitSettings {
  /** Anonymous sign-ins per hour per IP; also the bucket's size. */
  readonly anonymousUsers: number;
  /** Email or phone sign-ups (and, in a bucket of their own, user updates) per 5 minutes per IP. */
  readonly signInSignUps: number;
  /** Password and refresh-token grants per 5 minutes per IP, one bucket for both. */
  readonly tokenRefresh: number;
  /** Mails per hour, project-wide (not per IP), while confirmations are on. */
  readonly emailSent: number;
  /** `/verify` requests per 5 minutes per IP. */
  readonly tokenVerifications: number;
  /** Whether `Sb-Forwarded-For` names the client on requests made with the secret key. */
  readonly sbForwardedFor: boolean;
}

/** GoTrue's defaults (`internal/conf/configuration.go`), which hosted projects start with too. */
export const DEFAULT_AUTH_RATE_LIMITS: AuthRateLimitSettings = {
  anonymousUsers: 30,
  signInSignUps: 30,
  tokenRefresh: 150,
  emailSent: 30,
  tokenVerifications: 30,
  sbForwardedFor: false,
};

/** GoTrue's bucket size for every limiter but anonymous sign-ins, whatever the rate. */
const BURST = 30;
const HOUR_MS = 60 * 60 * 1000;
const FIVE_MINUTES_S = 5 * 60;
const SWEEP_EVERY_MS = 60 * 1000;

interface Bucket {
  tokens: number;
  at: number;
  readonly expires: number;
}

/** Token buckets by client address; `take` answers whether one more request may go through. */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  #swept: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number,
    private readonly ttlMs = HOUR_MS,
  ) {
    this.#swept = now();
  }

  take(key: string): boolean {
    const now = this.now();
    this.#sweep(now);
    let bucket = this.#buckets.get(key);
    if (!bucket || bucket.expires <= now) {
      bucket = { tokens: this.burst, at: now, expires: now + this.ttlMs };
      this.#buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** How many addresses are remembered (expired ones go at the next sweep). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Expired buckets would be replaced by full ones anyway; dropping them bounds the memory. */
  #sweep(now: number): void {
    if (now - this.#swept < SWEEP_EVERY_MS) return;
    this.#swept = now;
    for (const [key, bucket] of this.#buckets) if (bucket.expires <= now) this.#buckets.delete(key);
  }
}

/** The limiters GoTrue puts on the routes this stand-in serves. */
export type AuthLimiter = 'anonymousSignIns' | 'signups' | 'user' | 'token' | 'otp' | 'verify';

export interface AuthRateLimits {
  readonly settings: AuthRateLimitSettings;
  /** Throws GoTrue's 429 when `client` has no request left in `limiter`'s bucket. */
  check(limiter: AuthLimiter, client: string): void;
  /** Takes one mail from the project's hourly quota; false when none is left. */
  takeEmail(): boolean;
}

/** `now` is a monotonic clock in milliseconds; tests pass their own. */
export function createAuthRateLimits(
  settings: AuthRateLimitSettings,
  now: () => number = () => performance.now(),
): AuthRateLimits {
  const perFiveMinutes = (limit: number) => new TokenBuckets(limit / FIVE_MINUTES_S, BURST, now);
  const limiters: Record<AuthLimiter, TokenBuckets> = {
    anonymousSignIns: new TokenBuckets(settings.anonymousUsers / 3600, settings.anonymousUsers, now),
    // GoTrue's `Signups` and `User` limiters share GOTRUE_RATE_LIMIT_OTP but not their buckets.
    signups: perFiveMinutes(settings.signInSignUps),
    user: perFiveMinutes(settings.signInSignUps),
    token: perFiveMinutes(settings.tokenRefresh),
    otp: perFiveMinutes(settings.signInSignUps),
    verify: perFiveMinutes(settings.tokenVerifications),
  };
  // GoTrue's email limiter is one bucket for the whole project, as big as the hourly rate.
  const emails = new TokenBuckets(settings.emailSent / 3600, settings.emailSent, now);
  return {
    settings,
    check(limiter, client) {
      if (!limiters[limiter].take(client)) {
        throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached');
      }
    },
    takeEmail: () => emails.take('project'),
  };
}

/**
 * Whom a request counts against: the connection's address. `X-Forwarded-For` is never read (any
 * client can write it; hosted Supabase's edge sets the address itself). A server-side app that
 * calls Auth for its users names each one with `Sb-Forwarded-For` and the secret key, on projects
 * with IP address forwarding on (`sbForwardedFor`); its leftmost value counts when it is an IP.
 */
export function clientAddress(req: IncomingMessage, apikey: string, secretKey: string, settings: AuthRateLimitSettings): string {
  if (settings.sbForwardedFor && apikey === secretKey) {
    const forwarded = header(req, 'sb-forwarded-for')?.split(',', 1)[0]?.trim() ?? '';
    if (isIP(forwarded) !== 0) return normalizeAddress(forwarded);
  }
  return normalizeAddress(req.socket.remoteAddress ?? '');
}

/** An IPv4 client of a dual-stack socket shows as `::ffff:a.b.c.d`; it is the same client. */
function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped?.[1] ?? address).toLowerCase();
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AUTH_RATE_LIMITS, type AuthRateLimitSettings } from './auth/rate-limit.ts';
import { DEFAULT_JWT_SECRET } from './keys.ts';

const SUPABASE_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface LocalStackOptions {
  /** Existing PostgreSQL server (superuser URL). Default: an embedded PostgreSQL 17. */
  databaseUrl?: string;
  /** Data folder of the embedded cluster. Default `.parley/db` in the working directory. */
  dataDir?: string;
  /** Start from an empty database: the data folder (or the schemas on `databaseUrl`) is wiped. */
  reset?: boolean;
  /** TCP port of the embedded cluster. Default: a free port. */
  databasePort?: number;
  /** Remove the embedded cluster's data folder on close (tests). Default false. */
  ephemeral?: boolean;
  /** Keep PostgreSQL's fsync on. Default true; tests turn it off for speed. */
  fsync?: boolean;
  /** HS256 secret for every JWT. Default: the Supabase CLI's local secret. */
  jwtSecret?: string;
  /** Access-token lifetime. Default 3600. Values ≤ 90 make auth-js refresh on every call. */
  jwtExpirySeconds?: number;
  /** How long a rotated refresh token stays usable. Default 10, like the Supabase CLI. */
  refreshTokenReuseIntervalSeconds?: number;
  /** Allow `signInAnonymously()`. Default true. */
  anonymousSignIns?: boolean;
  /**
   * Per-IP limits of `/auth/v1`, as hosted Supabase applies them; a refused request gets 429
   * `over_request_rate_limit`. Each bucket starts full and refills at the rate; omitted fields
   * keep GoTrue's defaults. Tests raise them: every client of a local stack shares one address.
   */
  authRateLimits?: {
    /** Anonymous sign-ins per hour, in bursts of as many. Default 30 (`GOTRUE_RATE_LIMIT_ANONYMOUS_USERS`). */
    anonymousUsers?: number;
    /**
     * Sign-ups with an email or phone, and separately `PUT /user`, per 5 minutes, in bursts of up
     * to 30. Default 30 (`GOTRUE_RATE_LIMIT_OTP`, `sign_in_sign_ups` in the CLI's config.toml).
     */
    signInSignUps?: number;
    /**
     * Password sign-ins and token refreshes together, per 5 minutes, in bursts of up to 30.
     * Default 150 (`GOTRUE_RATE_LIMIT_TOKEN_REFRESH`).
     */
    tokenRefresh?: number;
    /**
     * Mails Auth may send per hour, project-wide, while confirmations are on; past it 429
     * `over_email_send_rate_limit`. Default 30 (`GOTRUE_RATE_LIMIT_EMAIL_SENT`; hosted projects on the
     * built-in SMTP get 2, `email_sent` in the CLI's config.toml).
     */
    emailSent?: number;
    /** `/verify` requests per 5 minutes per IP, in bursts of up to 30. Default 30 (`GOTRUE_RATE_LIMIT_VERIFY`). */
    tokenVerifications?: number;
    /**
     * Count a request made with the secret key (`sb_secret_…`) against the IP in its
     * `Sb-Forwarded-For` header, as projects with IP address forwarding enabled do. Default false.
     */
    sbForwardedFor?: boolean;
    /**
     * Milliseconds of a monotonic clock the buckets refill by. Default `performance.now`; tests pass
     * one they move by hand, so a wait for a refill takes no time and no timing can fail it.
     */
    clock?: () => number;
  };
  /**
   * Where Auth's mail goes: an SMTP URL (`smtps://user:pass@smtp.example.com:465`). Default: the
   * stack's own mail catcher, whose page is `<API URL>/mail/`.
   */
  smtpUrl?: string;
  /** TCP port of the mail catcher's SMTP server. Default: a free port. */
  smtpPort?: number;
  /** Messages the catcher keeps (newest). Default 500. */
  mailCatcherSize?: number;
  /** The From of Auth's mail (`GOTRUE_SMTP_ADMIN_EMAIL`). Default `Parley <noreply@parley.local>`. */
  mailFrom?: string;
  /** Where links in mail lead without an allowed `redirect_to` (`site_url`). Default `http://127.0.0.1:3000`. */
  siteUrl?: string;
  /**
   * Further allowed `redirect_to` targets, as GoTrue's glob patterns (`additional_redirect_urls`,
   * `GOTRUE_URI_ALLOW_LIST`): `*` stops at `.` and `/`, `**` does not. Loopback addresses and the
   * site URL's origin are always allowed. Default none.
   */
  redirectUrls?: string[];
  /**
   * Email sign-ups, magic-link sign-ups and email changes wait for the mailed link or code, as on
   * hosted Supabase (`enable_confirmations`; `mailer_autoconfirm` is its inverse). Default true.
   */
  emailConfirmations?: boolean;
  /** A permanent user's email change needs the link from both addresses (`double_confirm_changes`). Default true. */
  secureEmailChange?: boolean;
  /** Lifetime of mailed links and codes in seconds (`otp_expiry`, `GOTRUE_MAILER_OTP_EXP`). Default 3600. */
  otpExpirySeconds?: number;
  /**
   * Seconds before another mail of the same kind may go to one user (`max_frequency`,
   * `GOTRUE_SMTP_MAX_FREQUENCY`); sooner is 429 `over_email_send_rate_limit`. Default 60.
   */
  emailMaxFrequencySeconds?: number;
  /**
   * Folder of Storage's object bytes. Default: `storage` beside the data folder (`.parley/storage`).
   * `reset` empties it; `ephemeral` removes it on close.
   */
  storageDir?: string;
  /** Largest upload Storage takes, in bytes; a bucket's own limit can only lower it. Default 50 MiB, as the Supabase CLI. */
  storageFileSizeLimit?: number;
  migrationsDir?: string;
  /** Loaded on a fresh database; null for none. */
  seedFile?: string | null;
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<Omit<LocalStackOptions, 'databaseUrl' | 'seedFile' | 'databasePort' | 'authRateLimits' | 'smtpUrl' | 'smtpPort'>> & {
  smtpUrl: string | undefined;
  smtpPort: number;
  authRateLimits: AuthRateLimitSettings;
  authRateLimitClock: (() => number) | undefined;
  databaseUrl: string | undefined;
  databasePort: number | undefined;
  seedFile: string | null;
};

export class LocalStackOptionError extends Error {
  constructor(option: string, problem: string) {
    super(`createLocalStack: option "${option}" ${problem}`);
    this.name = 'LocalStackOptionError';
  }
}

const KNOWN_OPTIONS = new Set<string>([
  'databaseUrl', 'dataDir', 'databasePort', 'reset', 'ephemeral', 'fsync', 'jwtSecret', 'jwtExpirySeconds',
  'refreshTokenReuseIntervalSeconds', 'anonymousSignIns', 'authRateLimits', 'migrationsDir', 'seedFile', 'log',
  'smtpUrl', 'smtpPort', 'mailCatcherSize', 'mailFrom', 'siteUrl', 'redirectUrls', 'emailConfirmations',
  'secureEmailChange', 'otpExpirySeconds', 'emailMaxFrequencySeconds', 'storageDir', 'storageFileSizeLimit',
]);
const RATE_LIMIT_FIELDS = ['anonymousUsers', 'signInSignUps', 'tokenRefresh', 'emailSent', 'tokenVerifications'] as const;

/** Validates options up front so a typo fails at start with the option's name, not later. */
export function resolveOptions(options: LocalStackOptions = {}): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) throw new LocalStackOptionError(key, 'is not a known option');
  }
  const optionalString = (name: keyof LocalStackOptions) => {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new LocalStackOptionError(name, 'must be a non-empty string');
    }
  };
  const optionalBoolean = (name: keyof LocalStackOptions) => {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') {
      throw new LocalStackOptionError(name, 'must be a boolean');
    }
  };
  const positiveInteger = (name: keyof LocalStackOptions, min: number) => {
    const value = options[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < min)) {
      throw new LocalStackOptionError(name, `must be an integer ≥ ${min}`);
    }
  };
  optionalString('databaseUrl');
  optionalString('dataDir');
  optionalString('jwtSecret');
  optionalString('migrationsDir');
  optionalString('storageDir');
  positiveInteger('storageFileSizeLimit', 1);
  optionalBoolean('reset');
  optionalBoolean('ephemeral');
  optionalBoolean('fsync');
  optionalBoolean('anonymousSignIns');
  positiveInteger('jwtExpirySeconds', 1);
  positiveInteger('databasePort', 1);
  positiveInteger('refreshTokenReuseIntervalSeconds', 0);
  optionalString('smtpUrl');
  optionalString('mailFrom');
  optionalString('siteUrl');
  optionalBoolean('emailConfirmations');
  optionalBoolean('secureEmailChange');
  positiveInteger('smtpPort', 0);
  positiveInteger('mailCatcherSize', 1);
  positiveInteger('otpExpirySeconds', 1);
  positiveInteger('emailMaxFrequencySeconds', 0);
  if (options.smtpUrl !== undefined && !/^smtps?:\/\/[^/]/.test(options.smtpUrl)) {
    throw new LocalStackOptionError('smtpUrl', 'must start with smtp:// or smtps://');
  }
  if (options.siteUrl !== undefined && !isHttpUrl(options.siteUrl)) {
    throw new LocalStackOptionError('siteUrl', 'must be an http(s) URL');
  }
  if (options.redirectUrls !== undefined && (!Array.isArray(options.redirectUrls)
    || !options.redirectUrls.every((url) => typeof url === 'string' && url !== ''))) {
    throw new LocalStackOptionError('redirectUrls', 'must be an array of non-empty strings');
  }
  if (options.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    throw new LocalStackOptionError('databaseUrl', 'must start with postgres:// or postgresql://');
  }
  if (options.jwtSecret !== undefined && options.jwtSecret.length < 32) {
    throw new LocalStackOptionError('jwtSecret', 'must be at least 32 characters long');
  }
  if (options.seedFile !== undefined && options.seedFile !== null && typeof options.seedFile !== 'string') {
    throw new LocalStackOptionError('seedFile', 'must be a path or null');
  }
  if (options.log !== undefined && typeof options.log !== 'function') {
    throw new LocalStackOptionError('log', 'must be a function');
  }
  const dataDir = path.resolve(options.dataDir ?? '.parley/db');
  return {
    authRateLimits: resolveAuthRateLimits(options.authRateLimits),
    authRateLimitClock: options.authRateLimits?.clock,
    databaseUrl: options.databaseUrl,
    dataDir,
    storageDir: path.resolve(options.storageDir ?? path.join(path.dirname(dataDir), 'storage')),
    storageFileSizeLimit: options.storageFileSizeLimit ?? 50 * 1024 * 1024,
    databasePort: options.databasePort,
    reset: options.reset ?? false,
    ephemeral: options.ephemeral ?? false,
    fsync: options.fsync ?? true,
    jwtSecret: options.jwtSecret ?? DEFAULT_JWT_SECRET,
    jwtExpirySeconds: options.jwtExpirySeconds ?? 3600,
    refreshTokenReuseIntervalSeconds: options.refreshTokenReuseIntervalSeconds ?? 10,
    anonymousSignIns: options.anonymousSignIns ?? true,
    smtpUrl: options.smtpUrl,
    smtpPort: options.smtpPort ?? 0,
    mailCatcherSize: options.mailCatcherSize ?? 500,
    mailFrom: options.mailFrom ?? 'Parley <noreply@parley.local>',
    siteUrl: options.siteUrl ?? 'http://127.0.0.1:3000',
    redirectUrls: [...(options.redirectUrls ?? [])],
    emailConfirmations: options.emailConfirmations ?? true,
    secureEmailChange: options.secureEmailChange ?? true,
    otpExpirySeconds: options.otpExpirySeconds ?? 3600,
    emailMaxFrequencySeconds: options.emailMaxFrequencySeconds ?? 60,
    migrationsDir: path.resolve(options.migrationsDir ?? path.join(SUPABASE_DIR, 'migrations')),
    seedFile: options.seedFile === undefined ? path.join(SUPABASE_DIR, 'seed.sql') : options.seedFile,
    log: options.log ?? (() => undefined),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

function resolveAuthRateLimits(value: unknown): AuthRateLimitSettings {
  if (value === undefined) return DEFAULT_AUTH_RATE_LIMITS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LocalStackOptionError('authRateLimits', 'must be an object');
  }
  const limits: Record<string, unknown> = { ...value };
  for (const key of Object.keys(limits)) {
    if (!(RATE_LIMIT_FIELDS as readonly string[]).includes(key) && key !== 'sbForwardedFor' && key !== 'clock') {
      throw new LocalStackOptionError(`authRateLimits.${key}`, 'is not a known option');
    }
  }
  const resolved: { -readonly [K in keyof AuthRateLimitSettings]: AuthRateLimitSettings[K] } = { ...DEFAULT_AUTH_RATE_LIMITS };
  for (const key of RATE_LIMIT_FIELDS) {
    const limit = limits[key];
    if (limit === undefined) continue;
    // GoTrue reads them as numbers of requests; a bucket smaller than one request would refuse all.
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
      throw new LocalStackOptionError(`authRateLimits.${key}`, 'must be an integer ≥ 1');
    }
    resolved[key] = limit;
  }
  if (limits.sbForwardedFor !== undefined) {
    if (typeof limits.sbForwardedFor !== 'boolean') {
      throw new LocalStackOptionError('authRateLimits.sbForwardedFor', 'must be a boolean');
    }
    resolved.sbForwardedFor = limits.sbForwardedFor;
  }
  if (limits.clock !== undefined && typeof limits.clock !== 'function') {
    throw new LocalStackOptionError('authRateLimits.clock', 'must be a function');
  }
  return resolved;
}

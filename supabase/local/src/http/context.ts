import type { IncomingMessage, ServerResponse } from 'node:http';
import type pg from 'pg';
import type { ApiKeys, ApiRole } from '../keys.ts';
import type { Mailer } from '../mail/mailer.ts';

/** How Auth mails and what its links may lead to (GoTrue's `GOTRUE_MAILER_*`, `GOTRUE_SITE_URL`, `URI_ALLOW_LIST`). */
export interface MailSettings {
  /** Where links lead when no allowed `redirect_to` is given. */
  readonly siteUrl: string;
  /** Further allowed redirect targets, as glob patterns (`http://localhost:3000/**`). */
  readonly redirectUrls: readonly string[];
  /** Sign-ups and email changes wait for a confirmed link or code (GoTrue's `mailer_autoconfirm` off). */
  readonly confirmations: boolean;
  /** A permanent user's email change is confirmed from both addresses (`double_confirm_changes`). */
  readonly secureEmailChange: boolean;
  /** How long a link or code stays valid (`mailer_otp_exp`). */
  readonly otpExpirySeconds: number;
  /** Shortest wait between two mails of one kind to one user (`smtp_max_frequency`, `max_frequency`). */
  readonly maxFrequencySeconds: number;
}

/** Auth's mail: the settings, the SMTP sender, and the project-wide hourly quota of mails. */
export interface AuthMail {
  readonly settings: MailSettings;
  readonly mailer: Mailer;
  /** Takes one mail from the hourly quota; false when it is used up (`over_email_send_rate_limit`). */
  takeQuota(): boolean;
}

export interface StackSettings {
  /** Lifetime of access tokens issued by /auth/v1. */
  readonly jwtExpirySeconds: number;
  /** A rotated refresh token may be presented again within this window (GoTrue's reuse interval). */
  readonly refreshTokenReuseIntervalSeconds: number;
  readonly anonymousSignIns: boolean;
  /** `iss` of issued access tokens. */
  readonly issuer: string;
}

/** What every service handler shares: the database, the keys and the settings. */
export interface StackContext {
  readonly pool: pg.Pool;
  readonly keys: ApiKeys;
  readonly settings: StackSettings;
  readonly mail: AuthMail;
  readonly log: (line: string) => void;
}

/** One HTTP request that passed the API gateway: a known apikey and a path inside a service. */
export interface ApiRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Path below the service prefix, starting with `/` (`/rest/v1/messages` → `/messages`). */
  readonly path: string;
  readonly apikey: string;
  readonly apikeyRole: ApiRole;
}

export type ServiceHandler = (request: ApiRequest) => Promise<void>;

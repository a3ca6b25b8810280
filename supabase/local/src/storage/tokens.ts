import { createHash } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { errors } from './errors.ts';

/** How long a signed upload URL lasts: what storage-js documents (the server's default is 60 s). */
export const UPLOAD_URL_SECONDS = 7200;

export interface DownloadGrant {
  readonly url: string;
  /** Seconds since the epoch. */
  readonly exp: number;
}

export interface UploadGrant {
  readonly url: string;
  readonly owner: string | undefined;
  readonly upsert: boolean;
}

/**
 * Signed-URL tokens. They are JWTs, as on hosted, but signed with a key of their own derived from
 * the project secret: replayed as an `Authorization` bearer they verify nowhere (on hosted they
 * would pass as anon), and an access token can never pass as a signed URL.
 */
export interface UrlSigner {
  signDownload(url: string, expiresIn: number): Promise<string>;
  signUpload(url: string, owner: string | undefined, upsert: boolean): Promise<string>;
  /** Throws InvalidJWT (bad signature, expired) or InvalidSignature (wrong scope or path). */
  verifyDownload(token: string, url: string): Promise<DownloadGrant>;
  verifyUpload(token: string, url: string): Promise<UploadGrant>;
}

/** `now` (milliseconds) dates the tokens signed; tests sign with a past clock to get expired ones. */
export function createUrlSigner(jwtSecret: string, now: () => number = Date.now): UrlSigner {
  const key = createHash('sha256').update(`parley-storage-url-signing\u0000${jwtSecret}`).digest();
  const sign = (claims: JWTPayload, seconds: number) => new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(Math.floor(now() / 1000))
    .setExpirationTime(Math.floor(now() / 1000) + seconds)
    .sign(key);
  const verify = async (token: string): Promise<JWTPayload> => {
    try {
      return (await jwtVerify(token, key, { algorithms: ['HS256'] })).payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw errors.invalidJwt('jwt expired');
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw errors.invalidJwt('invalid signature');
      throw errors.invalidJwt('jwt malformed');
    }
  };
  return {
    signDownload: (url, expiresIn) => sign({ url, scope: 'download' }, expiresIn),
    signUpload: (url, owner, upsert) => sign({ owner, url, upsert, scope: 'upload' }, UPLOAD_URL_SECONDS),
    async verifyDownload(token, url) {
      const payload = await verify(token);
      // Legacy tokens had no scope; an upload token (it carries `upsert`) never downloads.
      const downloadScope = payload.scope === 'download' || (payload.scope === undefined && payload.upsert === undefined);
      if (!downloadScope) throw errors.invalidSignature();
      // The exact object signed for: a prefix or another key is refused.
      if (payload.url !== url) throw errors.invalidSignature();
      return { url, exp: typeof payload.exp === 'number' ? payload.exp : 0 };
    },
    async verifyUpload(token, url) {
      const payload = await verify(token);
      if (payload.scope !== 'upload') throw errors.invalidSignature('Token is not scoped for upload');
      if (payload.url !== url) throw errors.invalidSignature();
      return {
        url,
        owner: typeof payload.owner === 'string' ? payload.owner : undefined,
        upsert: payload.upsert === true,
      };
    },
  };
}

/**
 * Signed URLs for the thread's attachments (issue 16). The bucket is private, so every thumbnail
 * and download goes through a signed URL; the ones the thread asks for in the same task are signed
 * in one `createSignedUrls` request, and each is reused until shortly before it expires.
 *
 * A download link is the same signed URL with `download=<original name>`: Storage then answers
 * `Content-Disposition: attachment`, so no file is ever rendered inline from the Storage origin.
 * The parameter is not part of the signature (storage-js appends it after signing too); adding it
 * here with `URLSearchParams` encodes names with `&`, `#` or `?` that storage-js's `encodeURI`
 * would break, and lets one batch serve thumbnails and downloads alike.
 */

/** Signs `keys` for `expiresIn` seconds: one URL per key, in order, or null where Storage refused one. */
export type SignKeys = (keys: readonly string[], expiresIn: number) => Promise<readonly (string | null)[]>;

/** How long a signed URL lives (seconds). */
export const LINK_LIFETIME = 3600;
/** A URL this close to its expiry (milliseconds) is signed again rather than handed out. */
export const REFRESH_MARGIN = 5 * 60 * 1000;

interface Link {
  readonly url: string;
  readonly expires: number;
}

interface Waiter {
  readonly resolve: (url: string) => void;
  readonly reject: (error: unknown) => void;
}

export class SignedLinks {
  readonly #sign: SignKeys;
  readonly #now: () => number;
  readonly #links = new Map<string, Link>();
  #queue = new Map<string, Waiter[]>();
  #scheduled = false;

  constructor(sign: SignKeys, now: () => number = Date.now) {
    this.#sign = sign;
    this.#now = now;
  }

  /** A signed URL for `key` still fresh now, or undefined: for a click that must not wait. */
  fresh(key: string): string | undefined {
    const link = this.#links.get(key);
    return link && link.expires - REFRESH_MARGIN > this.#now() ? link.url : undefined;
  }

  /** A signed URL for `key`: the cached one while fresh, else signed with the others asked for in this task. */
  url(key: string): Promise<string> {
    const cached = this.fresh(key);
    if (cached) return Promise.resolve(cached);
    return new Promise((resolve, reject) => {
      const waiters = this.#queue.get(key) ?? [];
      waiters.push({ resolve, reject });
      this.#queue.set(key, waiters);
      if (this.#scheduled) return;
      this.#scheduled = true;
      queueMicrotask(() => void this.#flush());
    });
  }

  /** Drops the cached URL of `key` (its image failed to load): the next `url` signs again. */
  forget(key: string): void {
    this.#links.delete(key);
  }

  async #flush(): Promise<void> {
    const queue = this.#queue;
    this.#queue = new Map();
    this.#scheduled = false;
    const keys = [...queue.keys()];
    const started = this.#now();
    let urls: readonly (string | null)[];
    try {
      urls = await this.#sign(keys, LINK_LIFETIME);
    } catch (error) {
      for (const waiters of queue.values()) for (const w of waiters) w.reject(error);
      return;
    }
    keys.forEach((key, i) => {
      const url = urls[i];
      const waiters = queue.get(key) ?? [];
      if (typeof url !== 'string') {
        for (const w of waiters) w.reject(new Error(`Storage did not sign ${key}`));
        return;
      }
      // Counted from before the request: the server's clock started no earlier.
      this.#links.set(key, { url, expires: started + LINK_LIFETIME * 1000 });
      for (const w of waiters) w.resolve(url);
    });
  }
}

/** `url` as a download of `name`: Storage answers it with `Content-Disposition: attachment`. */
export function downloadUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('download', name);
  return parsed.href;
}

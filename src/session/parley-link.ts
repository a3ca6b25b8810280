/**
 * The link back in a reply email (supabase/worker/reply-mail/compose.ts):
 * `<page>#parley-conversation=<id>[&parley-token=<hash>]`, the hash a magic-link token hash from
 * `auth.admin.generateLink`. Our own fragment keys, so a host page's Supabase client never takes it
 * for its sign-in and the widget's client keeps `detectSessionInUrl: false` (a host page's fragment
 * is its own). Read once: taking it removes our keys from the address bar (history.replaceState,
 * as recovery-link.ts does), so a reload or a shared URL carries no token; other keys stay.
 */

export const LINK_CONVERSATION_KEY = 'parley-conversation';
export const LINK_TOKEN_KEY = 'parley-token';

export interface ParleyLink {
  readonly conversationId: string;
  /** The magic-link token hash, or null for the plain link. */
  readonly token: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** GoTrue's token hashes: SHA-224 in hex. */
const TOKEN_HASH = /^[0-9a-f]{56}$/;

/**
 * Our link in a fragment (`#…`, with or without the `#`), and the fragment without our keys.
 * Null when it names no valid conversation; a malformed token is dropped (the plain link still opens).
 */
export function parseParleyLink(fragment: string): { readonly link: ParleyLink | null; readonly rest: string } {
  const raw = fragment.replace(/^#/, '');
  const params = new URLSearchParams(raw);
  const id = params.get(LINK_CONVERSATION_KEY);
  const token = params.get(LINK_TOKEN_KEY);
  // The rest as it was written (`#top` stays `#top`), only our segments taken out.
  const ours = (segment: string) => [LINK_CONVERSATION_KEY, LINK_TOKEN_KEY].includes(segment.split('=', 1)[0] ?? '');
  const rest = raw.split('&').filter((segment) => segment !== '' && !ours(segment)).join('&');
  if (id === null && token === null) return { link: null, rest: raw };
  const link = id !== null && UUID.test(id) ? { conversationId: id.toLowerCase(), token: token !== null && TOKEN_HASH.test(token) ? token : null } : null;
  return { link, rest };
}

let taken = false;

/**
 * The page's link, once per page (a second launcher, or a second call, gets null), and our keys
 * leave the address bar whether or not they were valid.
 */
export function takeParleyLink(): ParleyLink | null {
  if (taken || typeof location === 'undefined') return null;
  const { hash } = location;
  const { link, rest } = parseParleyLink(hash);
  if (rest === hash.replace(/^#/, '')) return null;
  taken = true;
  const base = location.href.split('#', 1)[0] ?? location.href;
  history.replaceState(history.state, '', rest === '' ? base : `${base}#${rest}`);
  return link;
}

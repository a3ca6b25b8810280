/**
 * Splits message text into plain text and link tokens. The thread turns each token into a Text node
 * or an `<a>` whose text and `href` are set as such (row-nodes.ts), so nothing in a message is ever
 * parsed as HTML. Only `http:` and `https:` URLs become links; every other scheme (`javascript:`,
 * `data:`, `mailto:`…) stays text.
 */

export type TextToken =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

// A URL runs to the next whitespace; `<`, `>` and quotes are kept (they are text, never markup).
const URL_PATTERN = /https?:\/\/\S+/giu;
// Sentence punctuation right after a URL belongs to the sentence, not the URL.
const TRAILING = /[.,;:!?'"]+$/u;

function trimUrl(candidate: string): string {
  let url = candidate.replace(TRAILING, '');
  // A closing bracket without its opening one wraps the URL: "(see https://x.test)".
  while (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1).replace(TRAILING, '');
  return url;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Text and link tokens whose texts, joined, equal `text` exactly. */
export function tokenize(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    // "xhttps://…" is part of a word, not a link.
    if (start > 0 && /[\p{L}\p{N}_]/u.test(text[start - 1] ?? '')) continue;
    const url = trimUrl(match[0]);
    if (!isWebUrl(url)) continue;
    if (start > last) tokens.push({ kind: 'text', text: text.slice(last, start) });
    tokens.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) tokens.push({ kind: 'text', text: text.slice(last) });
  return tokens;
}

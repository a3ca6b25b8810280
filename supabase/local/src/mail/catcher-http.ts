/**
 * The mail catcher's web side, served under the gateway at `/mail/` without an apikey (like the
 * CLI's Inbucket page): a page listing what was caught, newest first, and the JSON the demo and
 * tests read mail from. Mail is rendered as text: its plain part, escaped, with http(s) links made
 * clickable; a message's HTML part is never put on the page.
 */
import type { ServerResponse } from 'node:http';
import type { ServiceHandler } from '../http/context.ts';
import { sendJson } from '../http/respond.ts';
import type { CaughtMail, MailCatcher } from './catcher.ts';

/** The JSON of one message: the caught fields plus the links found in its text, in order. */
export function mailJson(mail: CaughtMail): Record<string, unknown> {
  return { ...mail, links: linksIn(mail.text) };
}

/** http(s) URLs in a text, as a reader's mail client would link them. */
export function linksIn(text: string): string[] {
  return [...text.matchAll(LINK)].map((match) => trimLink(match[0]));
}

const LINK = /https?:\/\/[^\s<>"']+/g;
/** A sentence's closing punctuation is not part of the link it ends with. */
const trimLink = (link: string) => link.replace(/[.,;:!?)\]]+$/, '');

/** `GET /mail/` (page), `GET /mail/api/messages[?to=]`, `GET /mail/api/messages/<id>`, `DELETE /mail/api/messages`. */
export function createCatcherHttp(catcher: MailCatcher): ServiceHandler {
  return async ({ req, res, url, path }) => {
    const method = req.method ?? 'GET';
    const to = url.searchParams.get('to') ?? undefined;
    if (method === 'GET' && (path === '/' || path === '')) {
      sendHtml(res, renderPage(catcher.messages(to === undefined ? {} : { to }), to));
    } else if (method === 'GET' && path === '/api/messages') {
      sendJson(res, 200, { messages: catcher.messages(to === undefined ? {} : { to }).map(mailJson) });
    } else if (method === 'DELETE' && path === '/api/messages') {
      catcher.clear();
      sendJson(res, 200, { messages: [] });
    } else if (method === 'GET' && path.startsWith('/api/messages/')) {
      const mail = catcher.message(decodeURIComponent(path.slice('/api/messages/'.length)));
      if (mail) sendJson(res, 200, mailJson(mail));
      else sendJson(res, 404, { message: 'No such message' });
    } else {
      sendJson(res, 404, { message: 'Not found' });
    }
    await Promise.resolve();
  };
}

function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    // Mail is untrusted text: no script may run on this page, whatever a message holds.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(html);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escapes everything, then turns each http(s) URL (escaped as it is) into a link. */
function textWithLinks(text: string): string {
  let html = '';
  let at = 0;
  for (const match of text.matchAll(LINK)) {
    const link = trimLink(match[0]);
    html += escapeHtml(text.slice(at, match.index)) + `<a href="${escapeHtml(link)}" rel="noreferrer">${escapeHtml(link)}</a>`;
    at = match.index + link.length;
  }
  return html + escapeHtml(text.slice(at));
}

function renderPage(messages: readonly CaughtMail[], to: string | undefined): string {
  const items = messages.map((mail) => `
    <article>
      <header>
        <h2>${escapeHtml(mail.subject || '(no subject)')}</h2>
        <p class="meta">To <strong>${escapeHtml(mail.to.join(', '))}</strong> · from ${escapeHtml(mail.from)} ·
          <time datetime="${escapeHtml(mail.receivedAt)}">${escapeHtml(mail.receivedAt.replace('T', ' ').slice(0, 19))} UTC</time></p>
      </header>
      <pre>${textWithLinks(mail.text)}</pre>
    </article>`).join('');
  const filter = to === undefined ? '' : ` for ${escapeHtml(to)} · <a href="./">show all</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>Mail · Parley local stack</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f6f7f9; color: #1c1e21; }
  main { max-inline-size: 52rem; margin: 0 auto; padding: 2rem 1rem; }
  h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
  .lede { color: #5f6368; margin: 0 0 1.5rem; }
  article { background: #fff; border: 1px solid #dadce0; border-radius: 0.6rem; padding: 1rem 1.2rem; margin-block-end: 1rem; }
  h2 { font-size: 1.1rem; margin: 0; overflow-wrap: anywhere; }
  .meta { color: #5f6368; font-size: 0.85rem; margin: 0.2rem 0 0.75rem; overflow-wrap: anywhere; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; margin: 0; }
  a { color: #1f5fd1; }
  .empty { color: #5f6368; }
</style>
</head>
<body>
<main>
  <h1>Mail caught by the local stack</h1>
  <p class="lede">${messages.length} message${messages.length === 1 ? '' : 's'}${filter}, newest first. Nothing here was delivered anywhere.
    JSON: <a href="api/messages">api/messages</a> (<code>?to=</code> filters by recipient).</p>
  ${items || '<p class="empty">No mail yet. Sign-up confirmations, magic links, password resets and email changes appear here.</p>'}
</main>
</body>
</html>
`;
}

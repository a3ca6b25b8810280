/**
 * The unsubscribe page the mailed link opens, served by the worker itself so it works the same
 * against a hosted project (the worker is the one public piece besides Supabase) and locally.
 *
 * GET only shows a button: mail scanners and link previews fetch every link in a message, and must
 * not unsubscribe anyone. POST (the button, or a mail client's RFC 8058 one-click POST with
 * `List-Unsubscribe=One-Click`) calls unsubscribe_reply_emails(token), whose token is the capability.
 *
 * The page speaks the language the mail was written in: its link carries `lang` (compose.ts), and
 * anything but a language Parley ships reads as English. `lang` and `dir` are set on the document so
 * Arabic reads right to left.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LANGUAGE_PARAM, mailLanguage, type MailLanguage } from './mail-strings.ts';

export type Unsubscribe = (token: string) => Promise<'done' | 'invalid' | 'unknown'>;

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, language: MailLanguage, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
  res.end(`<!doctype html><html lang="${language.locale}" dir="${language.dir}"><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
    + `<title>${escapeHtml(title)}</title><body style="font:16px system-ui;max-width:32rem;margin:3rem auto;padding:0 1rem">`
    + `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>${body}</body></html>`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) break;
  }
  return new URLSearchParams(body.slice(0, 4096));
}

/** Answers `/unsubscribe?token=…`; false for any other path (the caller answers 404). */
export function createUnsubscribeHandler(unsubscribe: Unsubscribe) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://worker.invalid');
    if (url.pathname !== '/unsubscribe') return false;
    const token = url.searchParams.get('token') ?? '';
    const language = mailLanguage(url.searchParams.get(LANGUAGE_PARAM));
    const t = language.strings;
    const text = (value: string) => `<p>${escapeHtml(value)}</p>`;
    if (req.method === 'GET' || req.method === 'HEAD') {
      const query = new URLSearchParams({ token });
      if (language.locale !== 'en') query.set(LANGUAGE_PARAM, language.locale);
      page(res, 200, language, t.confirmTitle,
        text(t.confirmText)
        + `<form method="post" action="?${escapeHtml(query.toString())}">`
        + '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        + `<button type="submit" style="font:inherit;padding:.5rem 1rem">${escapeHtml(t.confirmButton)}</button></form>`);
      return true;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return true;
    }
    await readForm(req);
    let outcome: Awaited<ReturnType<Unsubscribe>>;
    try {
      outcome = await unsubscribe(token);
    } catch {
      page(res, 503, language, t.retryTitle, text(t.retryText));
      return true;
    }
    if (outcome === 'done') {
      page(res, 200, language, t.doneTitle, text(t.doneText));
    } else if (outcome === 'invalid') {
      page(res, 400, language, t.invalidTitle, text(t.invalidText));
    } else {
      page(res, 404, language, t.unknownTitle, text(t.unknownText));
    }
    return true;
  };
}

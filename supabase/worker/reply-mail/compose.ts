/**
 * The reply email itself: plain text only (a reply is the agent's text, and text cannot inject
 * markup into anyone's mail client), a link back to the conversation, and an unsubscribe link in the
 * body and in the List-Unsubscribe headers (RFC 2369, one-click per RFC 8058). Written in the
 * workspace's default language (mail-strings.ts); the unsubscribe link carries that language so the
 * page it opens speaks it too.
 */
import type { ReplyEmailJob } from './job.ts';
import { LANGUAGE_PARAM, fill, mailLanguage, type MailLanguage } from './mail-strings.ts';

/**
 * The fragment the widget's launcher reads to open a conversation: `#parley-conversation=<id>`,
 * and with `&parley-token=<hash>` a magic-link token hash (`auth.admin.generateLink`) that signs the
 * reader in as the address's user. Our own keys, not GoTrue's `#access_token`: a host page's own
 * Supabase client never mistakes it for its sign-in, and no redirect allow-list is involved.
 */
export const CONVERSATION_FRAGMENT = 'parley-conversation';
export const TOKEN_FRAGMENT = 'parley-token';

export interface ComposedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Deterministic per job, so a mail sent again after an unclear outcome is the same message to clients. */
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly conversationLink: string;
  readonly unsubscribeLink: string;
}

export interface ComposeOptions {
  /** Where the widget lives when the visitor's last page is unknown. */
  readonly siteUrl: string;
  /** Base URL of the worker's own unsubscribe page. */
  readonly unsubscribeBase: string;
  /** The domain of the Message-ID (the From address's). */
  readonly messageIdDomain: string;
}

/**
 * Header values come from settings an admin typed, file names from whoever sent the file: no line
 * breaks or other controls may reach a header, and no bidi override may turn "fdp.exe" round.
 */
const oneLine = (value: string) => value.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]+/gu, ' ').trim();

export function conversationLink(pageUrl: string | null, siteUrl: string, conversationId: string, signInToken: string | null = null): string {
  let url: URL;
  try {
    url = new URL(pageUrl ?? siteUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') url = new URL(siteUrl);
  } catch {
    url = new URL(siteUrl);
  }
  const token = signInToken === null ? '' : `&${TOKEN_FRAGMENT}=${encodeURIComponent(signInToken)}`;
  url.hash = `${CONVERSATION_FRAGMENT}=${conversationId}${token}`;
  return url.toString();
}

export function unsubscribeLink(base: string, token: string, language: MailLanguage = mailLanguage(null)): string {
  const url = new URL('unsubscribe', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('token', token);
  if (language.locale !== 'en') url.searchParams.set(LANGUAGE_PARAM, language.locale);
  return url.toString();
}

/** `signInToken`: the hashed magic-link token for this mail, or null to send the plain link. */
export function composeReplyEmail(job: ReplyEmailJob, options: ComposeOptions, signInToken: string | null = null): ComposedMail {
  const language = mailLanguage(job.language);
  const t = language.strings;
  const brand = oneLine(job.brandName) || 'Support';
  const back = conversationLink(job.pageUrl, options.siteUrl, job.conversationId, signInToken);
  const unsubscribe = unsubscribeLink(options.unsubscribeBase, job.unsubscribeToken, language);
  const replies = job.replies.map((reply) => {
    // File names are what the sender's visitor named them: one line each, never a header or markup.
    const files = reply.files.length > 0 ? fill(t.files, { names: reply.files.map(oneLine).join(', ') }) : '';
    const body = [reply.content, files].filter((part) => part !== '').join('\n\n');
    return `${fill(t.wrote, { name: oneLine(reply.agentName) })}\n\n${body}`;
  });
  const text = [
    job.replies.length === 1 ? fill(t.oneReply, { brand }) : fill(t.manyReplies, { brand, count: job.replies.length }),
    '',
    replies.join('\n\n---\n\n'),
    '',
    fill(t.continueLink, { link: back }),
    '',
    '--',
    fill(t.why, { brand }),
    fill(t.stopLink, { link: unsubscribe }),
    '',
  ].join('\n');
  return {
    to: job.email,
    subject: fill(t.subject, { brand }),
    text,
    messageId: `<reply-${job.jobId}@${options.messageIdDomain}>`,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // Automated mail: no out-of-office answers back (RFC 3834).
      'Auto-Submitted': 'auto-generated',
      'Content-Language': language.locale,
    },
    conversationLink: back,
    unsubscribeLink: unsubscribe,
  };
}

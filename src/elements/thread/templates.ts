/**
 * The thread's rows as templates: messages, pending sends, day separators, the dividers that end
 * earlier conversations, and the sender line with its avatar. The element decides what to show
 * (rows.ts) and hands each row here with what it knows about the viewer.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { Message } from '../../data/types.ts';
import { formatString, type ThreadStrings } from '../../i18n/strings.ts';
import { lockIcon } from '../icons.ts';
import { tokenize } from './linkify.ts';
import { dateFormat, parseDate, type Row } from './rows.ts';
import { avatarColour, initials } from './sections.ts';

/** How many avatar colours the styles define (`.avatar[data-colour]`). */
export const AVATAR_COLOURS = 6;

/** Whose avatar a sender line shows: the name (for initials) and the image, when there is one. */
export interface AvatarOf {
  readonly id: string;
  readonly name: string;
  readonly url: string | null;
}

/** What rendering a row needs from the element. */
export interface RowContext {
  readonly t: ThreadStrings;
  readonly lang: string;
  isMine(message: Pick<Message, 'sender_type'>): boolean;
  senderLabel(message: Pick<Message, 'sender_type' | 'sender_id' | 'visibility'>): string;
  /** The avatar for a message's sender line; null for none (the viewer's own, customers, system). */
  avatar(message: Pick<Message, 'sender_type' | 'sender_id'>): AvatarOf | null;
  /** An avatar image failed to load: show initials instead. */
  onAvatarError(url: string): void;
  onRetry(id: string): void;
}

function avatarTemplate(avatar: AvatarOf, ctx: RowContext): TemplateResult {
  const { url } = avatar;
  if (url) {
    // The name is written next to it, so the image says nothing more; no referrer leaks the page.
    return html`<img class="avatar" part="avatar" src=${url} alt="" width="24" height="24" referrerpolicy="no-referrer" @error=${() => ctx.onAvatarError(url)} />`;
  }
  // Initials come from CSS (content: attr()), so they add nothing to the row's text.
  return html`<span class="avatar" part="avatar initials" aria-hidden="true" data-initials=${initials(avatar.name)}
    data-colour=${avatarColour(avatar.id, AVATAR_COLOURS)}></span>`;
}

function senderTemplate(label: string, note: boolean, avatar: AvatarOf | null, ctx: RowContext): TemplateResult {
  return html`<div class="sender" part="sender">${avatar ? avatarTemplate(avatar, ctx) : nothing}${note ? lockIcon : nothing}<span>${label}</span></div>`;
}

function textTemplate(text: string): TemplateResult[] {
  return tokenize(text).map((token) =>
    token.kind === 'link'
      ? html`<a class="link" part="link" href=${token.href} rel="noopener noreferrer" target="_blank">${token.text}</a>`
      : html`${token.text}`,
  );
}

function timeTemplate(iso: string, lang: string): TemplateResult {
  const date = parseDate(iso);
  return html`<time datetime=${date.toISOString()}>${dateFormat(lang, 'time').format(date)}</time>`;
}

export function rowTemplate(row: Row, ctx: RowContext): TemplateResult {
  const { t, lang } = ctx;
  if (row.kind === 'day') {
    return html`<div class="day" part="day" data-key=${row.key}>
      <time datetime=${row.iso}>${dateFormat(lang, 'day').format(row.date)}</time>
    </div>`;
  }
  if (row.kind === 'divider') {
    const { status, id } = row.section;
    const text = status === 'closed' ? t.conversationClosed : status === 'resolved' ? t.conversationResolved : t.conversationEarlier;
    return html`<div class="divider" part="divider" data-key=${row.key} data-conversation=${id} data-status=${status}>
      <span>${formatString(text, { date: dateFormat(lang, 'date').format(row.date) })}</span>
    </div>`;
  }
  if (row.kind === 'pending') {
    const p = row.pending;
    const note = p.visibility === 'internal';
    return html`<div
      class="message mine pending ${note ? 'note' : ''}"
      part="message mine pending ${note ? 'note' : ''}"
      data-key=${row.key}
      data-id=${p.id}
      data-state=${p.state}
      data-visibility=${p.visibility}
      ?data-first=${row.first}
    >
      ${row.first ? senderTemplate(note ? formatString(t.noteSender, { name: t.you }) : t.you, note, null, ctx) : nothing}
      <div class="bubble" part="bubble">${textTemplate(p.content)}</div>
      <div class="meta" part="meta">
        ${timeTemplate(p.created_at, lang)}
        <span class="state">${p.state === 'sending' ? t.sending : p.state === 'sent' ? t.sent : t.failed}</span>
        ${p.state === 'failed' && p.error ? html`<span class="error">${p.error}</span>` : nothing}
        ${p.state === 'failed'
          ? html`<button class="retry" part="retry-button" type="button" @click=${() => ctx.onRetry(p.id)}>${t.retry}</button>`
          : nothing}
      </div>
    </div>`;
  }
  const m = row.message;
  const internal = m.visibility === 'internal';
  if (m.sender_type === 'system') {
    return html`<div
      class="message system ${internal ? 'internal' : ''}"
      part="message system ${internal ? 'internal' : ''}"
      data-key=${row.key}
      data-seq=${m.seq}
      data-sender="system"
      data-visibility=${m.visibility}
    >
      <div class="bubble" part="bubble">${internal ? lockIcon : nothing}${textTemplate(m.content)}</div>
      <div class="meta" part="meta">
        ${internal ? html`<span class="team-only" part="team-only">${t.teamOnly}</span>` : nothing}
        ${timeTemplate(m.created_at, lang)}
      </div>
    </div>`;
  }
  const mine = ctx.isMine(m);
  return html`<div
    class="message ${mine ? 'mine' : 'theirs'} ${internal ? 'note' : ''}"
    part="message ${mine ? 'mine' : 'theirs'} ${internal ? 'note' : ''}"
    data-key=${row.key}
    data-seq=${m.seq}
    data-sender=${m.sender_type}
    data-visibility=${m.visibility}
    ?data-first=${row.first}
  >
    ${row.first ? senderTemplate(ctx.senderLabel(m), internal, ctx.avatar(m), ctx) : nothing}
    <div class="bubble" part="bubble">${textTemplate(m.content)}</div>
    <div class="meta" part="meta">
      ${timeTemplate(m.created_at, lang)}
      ${row.seen ? html`<span class="seen">${t.seen}</span>` : nothing}
    </div>
  </div>`;
}

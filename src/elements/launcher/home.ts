/**
 * The launcher's home screen (issue 15): what the panel shows first. The workspace's greeting and
 * intro, who of the team is online (public profiles: name and avatar; how soon they reply, or that
 * they are away, is the header's subtitle in both views), and either "Send us a message" or the visitor's conversations, the current
 * one first. A Lit template over plain data, like the panel; the composer stays below it (panel.ts).
 * Lists are short and hold no state, so plain `map` (no keyed `repeat`, which the first open does not load).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { OnlineAgent } from '../../data/availability.ts';
import type { ConversationSummary } from '../../data/types.ts';
import { compareTimestamps } from '../../state/conversations.ts';
import { dateTimeFormat } from '../../i18n/date-format.ts';
import { formatString, type LauncherStrings } from '../../i18n/strings.ts';

/** One conversation in the home screen's list. */
export interface HomeItem {
  readonly id: string;
  readonly preview: string | null;
  readonly at: string;
  readonly unread: number;
}

export interface HomeView {
  readonly t: LauncherStrings;
  readonly language: string;
  readonly welcome: { readonly greeting: string; readonly intro: string } | null;
  readonly team: readonly OnlineAgent[];
  /** The workspace shows agents' avatars (else names only). */
  readonly avatars: boolean;
  /** The visitor's conversations, the current one first, then the others newest first. */
  readonly items: readonly HomeItem[];
  /** Offers "continue by email" (a visitor not signed in by email). */
  readonly offer: boolean;
}

export interface HomeHandlers {
  readonly open: (id: string) => void;
  readonly write: () => void;
  readonly continueByEmail: () => void;
}

/** The visitor's conversations for the list: the current one first, then the others newest first. */
export function homeItems(
  conversations: Readonly<Record<string, ConversationSummary>>, current: string | null, unread: Readonly<Record<string, number>>,
): HomeItem[] {
  return Object.values(conversations)
    .sort((a, b) => Number(b.id === current) - Number(a.id === current) || compareTimestamps(b.last_message_at, a.last_message_at))
    .map((c) => ({ id: c.id, preview: c.last_message_preview, at: c.last_message_at, unread: unread[c.id] ?? 0 }));
}

function when(at: string, language: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  return dateTimeFormat(language, today ? { timeStyle: 'short' } : { dateStyle: 'medium' }).format(date);
}

function agent(a: OnlineAgent, avatars: boolean): TemplateResult {
  const initial = [...a.display_name.trim()][0]?.toUpperCase() ?? '?';
  return html`<li class="agent">${avatars
    ? a.avatar_url ? html`<img class="avatar" src=${a.avatar_url} alt="" />` : html`<span class="avatar" aria-hidden="true">${initial}</span>`
    : nothing}<span class="agent-name">${a.display_name}</span></li>`;
}

export function homeView(view: HomeView, on: HomeHandlers): TemplateResult {
  const { t, language } = view;
  return html`<div class="home" part="home">
    ${view.welcome ? html`<div class="welcome" part="welcome">
      <p class="greeting">${view.welcome.greeting}</p>
      ${view.welcome.intro ? html`<p class="intro">${view.welcome.intro}</p>` : nothing}
    </div>` : nothing}
    ${view.team.length > 0 ? html`<ul class="team" part="team" aria-label=${t.onlineNow}>${view.team.map((a) => agent(a, view.avatars))}</ul>` : nothing}
    ${view.items.length === 0
      ? html`<button class="write" part="send-us-a-message" type="button" @click=${on.write}>${t.sendUsMessage}</button>`
      : html`<h3>${t.yourConversations}</h3><ul class="conversations" part="conversations">${view.items.map((item) => html`<li>
          <button class="conversation" part="conversation" type="button" @click=${() => on.open(item.id)}>
            <span class="preview" dir="auto">${item.preview ?? t.noPreview}</span>
            <span class="meta"><time datetime=${item.at}>${when(item.at, language)}</time>${item.unread > 0
              ? html`<span class="count" part="conversation-badge" aria-hidden="true">${item.unread}</span><span class="visually-hidden">${formatString(t.unread, { count: item.unread }, language)}</span>`
              : nothing}</span>
          </button>
        </li>`)}</ul>`}
    ${view.offer ? html`<button class="skip" part="continue-by-email" type="button" @click=${on.continueByEmail}>${t.continueByEmail}</button>` : nothing}
  </div>`;
}

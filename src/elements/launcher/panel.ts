/**
 * The launcher's chat panel as a Lit template: header with status and close button, then either
 * the home screen (home.ts) or the thread (current conversation and the earlier ones above it, or
 * one earlier conversation alone), the pre-chat fields, away mode's email ask, and the composer or
 * the closed notice. The composer stays in one place in both views, so typing on the home screen
 * carries on in the thread. Everything it shows comes in as data and every action goes out through the
 * handlers, so the element keeps the session and the decisions (built only on the first open).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConversationStatus } from '../../data/types.ts';
import type { LauncherStrings } from '../../i18n/strings.ts';
import type { ConnectionStatus, ThreadState } from '../../state/index.ts';
import type { ParleyConversationSeenEvent, ParleyRetrySendEvent, ParleySendEvent } from '../events.ts';
import type { ElementStrings } from '../parley-root-element.ts';
import type { ThreadSection } from '../thread/thread.ts';
import { closedNotice, rateLimitNotice, statusHint } from './notices.ts';
import { homeView, type HomeView } from './home.ts';

/**
 * The panel's handlers. Lit calls an event binding with the rendering element as `this`, so the
 * element's methods can be passed as they are (one listener for the element's life, not one a render).
 */
export interface PanelHandlers {
  readonly keydown: (event: KeyboardEvent) => void;
  readonly send: (event: ParleySendEvent) => void;
  readonly typing: () => void;
  readonly retrySend: (event: ParleyRetrySendEvent) => void;
  readonly loadOlder: () => void;
  readonly seen: (event: ParleyConversationSeenEvent) => void;
  readonly retry: () => void;
  readonly close: () => void;
  readonly startNew: () => void;
  /** From a conversation back to the home screen. */
  readonly back: () => void;
  /** A conversation in the home screen's list was chosen. */
  readonly openConversation: (id: string) => void;
  /** "Send us a message": the caret goes to the composer. */
  readonly write: () => void;
  /** The home screen's "continue by email". */
  readonly continueByEmail: () => void;
}

export interface PanelView {
  readonly t: LauncherStrings;
  /** The heading: the host's `strings.title`, else the workspace's brand name, else the default. */
  readonly title: string;
  /** Under the heading: how soon the team replies, or that it is away; null for nothing. */
  readonly subtitle: string | null;
  /** The workspace's greeting and intro, on the home screen. */
  readonly welcome: { readonly greeting: string; readonly intro: string } | null;
  /** Outside business hours or nobody online: the subtitle is the away message. */
  readonly away: boolean;
  /** The home screen's data while it shows; null while a conversation shows. */
  readonly home: Omit<HomeView, 't' | 'welcome' | 'offer'> | null;
  /** The home screen offers "continue by email". */
  readonly offer: boolean;
  /** The continue-by-email form, shown in place of the home screen's content; or nothing. */
  readonly emailSignIn: TemplateResult | typeof nothing;
  /** An earlier conversation shows alone: no composer under it (messages go to the current one). */
  readonly readOnly: boolean;
  /** Away mode's email ask, or where the reply will go, under the thread. */
  readonly emailAsk: TemplateResult | typeof nothing;
  readonly strings: ElementStrings | undefined;
  readonly theme: string | undefined;
  readonly open: boolean;
  readonly status: ConnectionStatus;
  readonly thread: ThreadState;
  readonly earlier: readonly ThreadSection[];
  readonly moreEarlier: boolean;
  readonly viewerId: string | null;
  readonly seenSeq: number;
  readonly names: Readonly<Record<string, string>>;
  readonly avatars: Readonly<Record<string, string>>;
  /** The chatbot's name above its replies, once the settings are read. */
  readonly botName: string | null;
  readonly typing: readonly string[];
  /** The pre-chat fields, or nothing once the visitor has a conversation. */
  readonly preChat: TemplateResult | typeof nothing;
  readonly conversationStatus: ConversationStatus | undefined;
  /** The rating card after a resolution (rating-prompt.ts), or nothing. */
  readonly rating: TemplateResult | typeof nothing;
  /** Reply buttons under the last team or bot message (quick-replies-prompt.ts), or nothing. */
  readonly quickReplies: TemplateResult | typeof nothing;
  /** The session is started: the composer takes text. */
  readonly ready: boolean;
  /** The start was refused for too many attempts: the composer takes text, and sending tries again. */
  readonly waiting: boolean;
  /** The start failed for another reason. */
  readonly failed: boolean;
}

export function launcherPanel(view: PanelView, on: PanelHandlers): TemplateResult {
  const { t, strings, theme, ready, waiting, home } = view;
  return html`
    <div
      id="panel"
      class="panel"
      part="panel"
      role="dialog"
      aria-labelledby="title"
      ?hidden=${!view.open}
      @keydown=${on.keydown}
      @parley-send=${on.send}
      @parley-typing=${on.typing}
      @parley-retry-send=${on.retrySend}
      @parley-load-older=${on.loadOlder}
      @parley-conversation-seen=${on.seen}
      @parley-retry=${on.retry}
    >
      <div class="header" part="header">
        ${home ? nothing : html`<button class="close back" part="back-button" type="button" aria-label=${t.back} @click=${on.back}>
          <span class="flip" aria-hidden="true">‹</span>
        </button>`}
        <div class="heading">
          <h2 id="title" class="title">${view.title}</h2>
          ${view.subtitle ? html`<p class="subtitle" part=${view.away ? 'subtitle away' : 'subtitle'}>${view.subtitle}</p>` : nothing}
        </div>
        <parley-status .strings=${strings?.status} .status=${view.status} theme=${theme ?? nothing}></parley-status>
        <button class="close" part="close-button" type="button" aria-label=${t.close} @click=${on.close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      ${home ? view.emailSignIn !== nothing ? view.emailSignIn
        : homeView({ ...home, t, welcome: view.welcome, offer: view.offer }, { open: on.openConversation, write: on.write, continueByEmail: on.continueByEmail })
        : html`<parley-thread
        .strings=${strings?.thread}
        .thread=${view.thread}
        .earlier=${view.earlier}
        ?more-earlier=${view.moreEarlier}
        viewer="customer"
        .viewerId=${view.viewerId}
        .seenSeq=${view.seenSeq}
        .names=${view.names}
        .avatars=${view.avatars}
        .botName=${view.botName}
        .typing=${view.typing}
        theme=${theme ?? nothing}
      ></parley-thread>
      ${view.quickReplies}${view.rating}${view.emailAsk}`}
      ${view.preChat}
      ${view.readOnly ? nothing : view.conversationStatus === 'closed'
        ? closedNotice(t, on.startNew)
        : html`${waiting ? rateLimitNotice(t) : statusHint(t, view.conversationStatus)}<parley-composer
            .strings=${strings?.composer}
            ?disabled=${!ready && !waiting}
            disabled-reason=${ready ? '' : view.failed ? t.unavailable : t.connecting}
            theme=${theme ?? nothing}
          ></parley-composer>`}
    </div>
  `;
}

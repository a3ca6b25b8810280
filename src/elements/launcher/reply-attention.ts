/**
 * The visitor's side of attention (STYLE.md §9): a reply that arrives while the page's tab is
 * hidden changes the tab title ("New reply · Shop") until the visitor comes back, and plays a soft
 * sound when the host turned `sound` on. Replies are told by the conversation rows the launcher
 * already follows (a rise of `inbound_count`: what the team wrote), so nothing more is subscribed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { arrivals } from '../../attention/arrivals.ts';
import { TitleBadger } from '../../attention/badger.ts';
import { ToneSink, type AudioSink } from '../../attention/sound.ts';
import { formatString, type LauncherStrings } from '../../i18n/strings.ts';
import type { Session } from '../../session/index.ts';
import type { ConversationMap } from '../../state/index.ts';

export interface ReplyAttentionOptions {
  /** The visitor's session once started; undefined before. */
  readonly session: () => Session | undefined;
  /** The host's `sound` attribute. */
  readonly sound: () => boolean;
  /** Where the sound goes; null for a soft synthesized tone. */
  readonly sink: () => AudioSink | null;
  readonly text: () => LauncherStrings;
  readonly language: () => string;
}

export class ReplyAttention implements ReactiveController {
  readonly #options: ReplyAttentionOptions;
  readonly #badger = new TitleBadger(document, { favicon: false });
  #session: Session | undefined;
  #unlisten: (() => void) | null = null;
  #held: ConversationMap = {};
  #waiting = 0;
  #tone: ToneSink | null = null;

  constructor(host: ReactiveControllerHost, options: ReplyAttentionOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostUpdated(): void {
    const session = this.#options.session();
    if (session === this.#session) return;
    this.#stop();
    this.#session = session;
    if (!session) return;
    const { $conversations } = session.state;
    this.#held = $conversations.get();
    this.#unlisten = $conversations.listen((map) => {
      const replies = arrivals(this.#held, map, null);
      this.#held = map;
      if (replies.length === 0 || document.visibilityState !== 'hidden') return;
      this.#waiting += replies.reduce((sum, a) => sum + a.count, 0);
      const t = this.#options.text();
      this.#badger.show(this.#waiting, (_, title) => formatString(t.replyTitle, { title }, this.#options.language()));
      if (this.#options.sound()) (this.#options.sink() ?? (this.#tone ??= new ToneSink({ volume: 0.08 }))).play('reply');
    });
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stop();
    this.#tone?.dispose();
    this.#tone = null;
  }

  readonly #onVisibility = (): void => {
    if (document.visibilityState === 'visible') this.#clear();
  };

  #clear(): void {
    this.#waiting = 0;
    this.#badger.restore();
  }

  #stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.#session = undefined;
    this.#held = {};
    this.#clear();
  }
}

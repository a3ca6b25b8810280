/**
 * The visitor's side of attention (STYLE.md §9): a reply that arrives while the page's tab is
 * hidden changes the tab title ("New reply · Shop") until the visitor comes back, and plays a soft
 * sound when the host turned `sound` on. Replies are told by the conversation rows the launcher
 * already follows (a rise of `inbound_count`: what the team wrote), so nothing more is subscribed.
 * The title and the sound (reply-alert.ts) load with the first such reply.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AudioSink } from '../../attention/sound.ts';
import type { LauncherStrings } from '../../i18n/strings.ts';
import type { Session } from '../../session/index.ts';
import type { ConversationMap } from '../../state/index.ts';
import type { ReplyAlert } from './reply-alert.ts';

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
  #session: Session | undefined;
  #unlisten: (() => void) | null = null;
  #held: ConversationMap = {};
  #alert: Promise<ReplyAlert> | null = null;

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
    // The first session keeps an alert shown for a reply heard before it (replyHeard()).
    if (this.#session) this.#stop();
    this.#session = session;
    if (!session) return;
    const { $conversations } = session.state;
    this.#held = $conversations.get();
    this.#unlisten = $conversations.listen((map) => {
      const held = this.#held;
      this.#held = map;
      if (Object.values(map).some((row) => row.inbound_count > (held[row.id]?.inbound_count ?? Infinity))) this.replyHeard(session);
    });
  }

  /**
   * A reply, heard here for `session` or, without one, by the embed's watch worker before this
   * launcher connected: alerted when the tab is hidden.
   */
  replyHeard(session?: Session): void {
    if (!document.hidden) return;
    this.#load().then((alert) => {
      // Still hidden, and still this session, once the module is here.
      if (document.hidden && (!session || this.#session === session)) alert.show();
    }, () => undefined);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stop();
    void this.#alert?.then((alert) => alert.close(), () => undefined);
  }

  readonly #onVisibility = (): void => {
    if (!document.hidden) this.#clear();
  };

  #load(): Promise<ReplyAlert> {
    this.#alert ??= import('./reply-alert.ts').then(
      ({ ReplyAlert }) => new ReplyAlert(this.#options),
      (error: unknown) => {
        // A failed chunk load (offline, a deploy in between) is tried again with the next reply.
        this.#alert = null;
        throw error;
      },
    );
    return this.#alert;
  }

  #clear(): void {
    void this.#alert?.then((alert) => alert.clear(), () => undefined);
  }

  #stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.#session = undefined;
    this.#held = {};
    this.#clear();
  }
}

/**
 * The visitor's side of attention (STYLE.md §9): a reply that arrives while the page's tab is
 * hidden changes the tab title ("New reply · Shop") until the visitor comes back, and plays a soft
 * sound when the host turned `sound` on. Replies are told by the conversation rows the launcher
 * already follows (a rise of `inbound_count`: what the team wrote), so nothing more is subscribed.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AudioSink } from '../../attention/sound.ts';
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
  /** The page's own title while ours shows; null when ours does not. */
  #title: string | null = null;
  #written = '';
  #session: Session | undefined;
  #unlisten: (() => void) | null = null;
  #held: ConversationMap = {};
  #audio: AudioContext | null = null;

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
      const held = this.#held;
      this.#held = map;
      if (!document.hidden || !Object.values(map).some((row) => row.inbound_count > (held[row.id]?.inbound_count ?? Infinity))) return;
      // Kept lean (no favicon, no counting): this ships in the visitor's first open.
      if (this.#title === null || document.title !== this.#written) this.#title = document.title;
      this.#written = formatString(this.#options.text().replyTitle, { title: this.#title }, this.#options.language());
      document.title = this.#written;
      if (this.#options.sound()) this.#chime();
    });
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#stop();
    void this.#audio?.close().catch(() => undefined);
    this.#audio = null;
  }

  readonly #onVisibility = (): void => {
    if (!document.hidden) this.#clear();
  };

  /**
   * The sink, else one soft falling tone: the console's ToneSink would weigh more on the visitor's
   * first open. Before any user gesture browsers refuse audio: skipped, and a refused resume is quiet.
   */
  #chime(): void {
    const sink = this.#options.sink();
    if (sink) return sink.play('reply');
    if (!(navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation?.hasBeenActive || !globalThis.AudioContext) return;
    const audio = (this.#audio ??= new AudioContext());
    audio.resume().then(() => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      const end = audio.currentTime + 0.3;
      tone.frequency.setValueAtTime(700, audio.currentTime);
      tone.frequency.linearRampToValueAtTime(520, end);
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, end);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(end);
    }, () => undefined);
  }

  #clear(): void {
    // A title the host set meanwhile stays.
    if (this.#title !== null && document.title === this.#written) document.title = this.#title;
    this.#title = null;
  }

  #stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.#session = undefined;
    this.#held = {};
    this.#clear();
  }
}

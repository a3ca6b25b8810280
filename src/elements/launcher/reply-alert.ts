/**
 * What a reply in a hidden tab does (reply-attention.ts tells when): the tab title reads
 * "New reply · Shop" until the visitor comes back, and a soft sound plays when the host turned
 * `sound` on. Loaded with the first such reply, not with the chat: most visits never see one.
 */
import { formatString } from '../../i18n/strings.ts';
import type { ReplyAttentionOptions } from './reply-attention.ts';

export class ReplyAlert {
  readonly #options: ReplyAttentionOptions;
  /** The page's own title while ours shows; null when ours does not. */
  #title: string | null = null;
  #written = '';
  #audio: AudioContext | null = null;

  constructor(options: ReplyAttentionOptions) {
    this.#options = options;
  }

  /** A reply came in while the tab is hidden. */
  show(): void {
    // Kept lean (no favicon, no counting): the visitor's side needs no more.
    if (this.#title === null || document.title !== this.#written) this.#title = document.title;
    this.#written = formatString(this.#options.text().replyTitle, { title: this.#title }, this.#options.language());
    document.title = this.#written;
    if (this.#options.sound()) this.#chime();
  }

  /** The visitor is back (or the session ended): the page's title returns. */
  clear(): void {
    // A title the host set meanwhile stays.
    if (this.#title !== null && document.title === this.#written) document.title = this.#title;
    this.#title = null;
  }

  /** The launcher left the page: the title returns and the audio context is released. */
  close(): void {
    this.clear();
    void this.#audio?.close().catch(() => undefined);
    this.#audio = null;
  }

  /**
   * The sink, else one soft falling tone: the console's ToneSink would weigh more on the visitor's
   * side. Before any user gesture browsers refuse audio: skipped, and a refused resume is quiet.
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
}

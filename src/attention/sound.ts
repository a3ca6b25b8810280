/**
 * The attention sound behind {@link AudioSink}, so tests count what would have played. The default
 * sink synthesizes a short tone with WebAudio (no asset to load). Browsers refuse audio before the
 * page has had a user gesture: until then the tone is skipped without creating an AudioContext
 * (which would log a warning), and a refused `resume()` (NotAllowedError) is swallowed.
 */

export const ATTENTION_SOUNDS = ['conversation', 'message', 'reply'] as const;
export type AttentionSound = (typeof ATTENTION_SOUNDS)[number];

export interface AudioSink {
  play(sound: AttentionSound): void;
}

const NOTE_S = 0.14;

type AudioContextClass = new () => AudioContext;

export interface ToneSinkOptions {
  /** Loudness, above 0 and at most 1. */
  readonly volume?: number;
  /** Whether the page has had a user gesture; `navigator.userActivation.hasBeenActive` by default. */
  readonly activated?: () => boolean;
}

function pageActivated(): boolean {
  const activation = (globalThis.navigator as (Navigator & { userActivation?: { hasBeenActive: boolean } }) | undefined)?.userActivation;
  // Without the API (older browsers) try anyway: resume() refuses quietly when it must.
  return activation ? activation.hasBeenActive : true;
}

export class ToneSink implements AudioSink {
  readonly #volume: number;
  readonly #activated: () => boolean;
  #context: AudioContext | null = null;

  constructor(options: ToneSinkOptions = {}) {
    this.#volume = options.volume ?? 0.2;
    this.#activated = options.activated ?? pageActivated;
  }

  play(sound: AttentionSound): void {
    if (!this.#activated()) return;
    const Context = (globalThis as { AudioContext?: AudioContextClass }).AudioContext;
    if (!Context) return;
    let context: AudioContext;
    try {
      context = this.#context ??= new Context();
    } catch {
      return; // No audio hardware, or too many contexts: no sound, and the caller's store update goes on.
    }
    // Pitches in hertz: a new conversation rises, a message is one note, a visitor's reply is lower.
    const notes = sound === 'conversation' ? [660, 880] : sound === 'message' ? [880] : [620, 780];
    const start = () => {
      try {
        this.#tone(context, notes);
      } catch {
        // A closed or broken context: no sound this time.
      }
    };
    if (context.state === 'running') start();
    else context.resume().then(start, () => undefined);
  }

  /** Closes the audio context (teardown). */
  dispose(): void {
    void this.#context?.close().catch(() => undefined);
    this.#context = null;
  }

  #tone(context: AudioContext, notes: readonly number[]): void {
    const gain = context.createGain();
    gain.connect(context.destination);
    let at = context.currentTime;
    for (const frequency of notes) {
      const oscillator = context.createOscillator();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(this.#volume, at);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + NOTE_S);
      oscillator.connect(gain);
      oscillator.start(at);
      oscillator.stop(at + NOTE_S);
      at += NOTE_S;
    }
  }
}

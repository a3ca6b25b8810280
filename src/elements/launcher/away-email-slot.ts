/**
 * Where away mode's email ask (away-email.ts) plugs into the launcher, loaded on demand: most
 * visitors never see it, so its code is not part of the first open. It loads when the visitor
 * sends while the team is away, or when this browser kept an answer for a conversation (the ask
 * or the line saying where the reply goes must survive a reload).
 */
import { nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { LauncherStrings } from '../../i18n/strings.ts';
import { safeLocalStorage, type Session } from '../../session/index.ts';
import { settingsStorageKey } from '../../session/storage-key.ts';
import type { AwayEmail } from './away-email.ts';
import { kit } from './lazy-kit.ts';

export interface AwayEmailOptions {
  readonly session: () => Session | undefined;
  readonly projectUrl: () => string;
}

/** The localStorage key of the answers, per project (beside the remembered settings). */
export function awayEmailKey(projectUrl: string): string {
  return settingsStorageKey(projectUrl).replace('parley-settings', 'parley-email-ask');
}

export class AwayEmailSlot {
  readonly #host: ReactiveControllerHost;
  readonly #options: AwayEmailOptions;
  #email: AwayEmail | null = null;
  #loading = false;
  #sentAway = false;

  constructor(host: ReactiveControllerHost, options: AwayEmailOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** The visitor sent a message while the team is away. */
  sentAway(): void {
    if (this.#email) this.#email.sentAway();
    else this.#sentAway = true;
    this.#load();
  }

  /** On each update with the current conversation: asks once its first away message is in. */
  follow(conversationId: string | null): void {
    if (!this.#email && !this.#loading && this.#options.session()) {
      let kept = false;
      try {
        kept = (safeLocalStorage()?.getItem(awayEmailKey(this.#options.projectUrl())) ?? null) !== null;
      } catch {
        // Storage refused: nothing was kept.
      }
      if (kept) this.#load();
    }
    this.#email?.follow(conversationId);
  }

  render(t: LauncherStrings, conversationId: string | null, language: string): TemplateResult | typeof nothing {
    return this.#email?.render(t, conversationId, language) ?? nothing;
  }

  #load(): void {
    if (this.#loading || this.#email) return;
    this.#loading = true;
    import('./away-email.ts').then(({ AwayEmail }) => {
      const email = new AwayEmail(this.#host, { ...this.#options, key: awayEmailKey(this.#options.projectUrl()) }, kit);
      if (this.#sentAway) email.sentAway();
      this.#email = email;
      this.#host.requestUpdate();
    }, () => {
      // Not loaded (offline): the next away message tries again.
      this.#loading = false;
    });
  }
}

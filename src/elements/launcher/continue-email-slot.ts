/**
 * Where "continue by email" plugs into the launcher (issue 15, item 3). The first open carries only
 * this: the home screen's quiet button for a visitor not signed in by email (an anonymous session of
 * the widget's own client, with nothing unsent: an unsent message belongs to the user who wrote
 * it), and the check for a reply email's link (`#parley-conversation=…`). The form, the sign-in, the
 * link's token and what follows them come in their own chunk (continue-email-chunk.ts), loaded when
 * the visitor asks for the form or the page was opened from such a link.
 */
import { nothing, type ReactiveController, type ReactiveElement, type TemplateResult } from 'lit';
import type { Session } from '../../session/index.ts';
import type { ContinueEmailForm } from '../email-sign-in/continue-email-chunk.ts';

/** Read when the launcher's code loads, before anything may rewrite the address. */
const linked = typeof location !== 'undefined' && location.hash.includes('parley-conversation=');

export interface ContinueEmailSlotOptions {
  readonly session: () => Session | undefined;
  readonly ready: () => boolean;
  readonly theme: () => string | undefined;
  /** Starts the session again (signed in as someone else now). */
  readonly restart: () => void;
  /** Shows a conversation of the visitor's. */
  readonly openConversation: (id: string) => void;
  /** Shows the home screen, where the form takes the place of its content. */
  readonly home: () => void;
}

export type ContinueEmailHost = ReactiveElement & { open: boolean };

export class ContinueEmailSlot implements ReactiveController {
  readonly #host: ContinueEmailHost;
  readonly #options: ContinueEmailSlotOptions;
  #loading: Promise<ContinueEmailForm> | null = null;
  #form: ContinueEmailForm | null = null;
  #linkTaken = false;

  constructor(host: ContinueEmailHost, options: ContinueEmailSlotOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Whether the form shows (in place of the home screen, without the composer). */
  get showing(): boolean {
    return this.#form?.showing ?? false;
  }

  hostConnected(): void {
    if (linked && !this.#linkTaken) this.#host.open = true;
  }

  /** Before the session's start: a reply email's link signs in first, so everything starts as that user. Never throws. */
  async beforeStart(session: Session): Promise<void> {
    if (!linked || this.#linkTaken) return;
    this.#linkTaken = true;
    await this.#load().then((form) => form.adoptLink(session), () => undefined);
  }

  hostUpdate(): void {
    const session = this.#options.session();
    if (session && this.#options.ready()) this.#form?.follow(session);
  }

  /** Whether the home screen offers the form. */
  offered(): boolean {
    const session = this.#options.session();
    return !this.showing && session?.ownsClient === true && session.state.$session.get().anonymous === true && session.state.$outbox.get().length === 0;
  }

  readonly show = (): void => {
    // Not loaded (offline): the home screen stays, and its button tries again.
    this.#load().then((form) => form.show(false), () => undefined);
  };

  render(): TemplateResult | typeof nothing {
    return this.#form?.render() ?? nothing;
  }

  #load(): Promise<ContinueEmailForm> {
    this.#loading ??= import('../email-sign-in/continue-email-chunk.ts').then((chunk) => {
      this.#form = new chunk.ContinueEmailForm(this.#host, this.#options);
      return this.#form;
    });
    this.#loading.catch(() => {
      this.#loading = null;
    });
    return this.#loading;
  }
}

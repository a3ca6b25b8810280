/**
 * The chatbot's name for the console's thread (issue 17): read once per signed-in session from
 * `widget_settings()` (what visitors see above the bot's replies, so agents read the same), then
 * kept. A failed read leaves the bot's role ("Bot") in its place.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { run } from '../../data/answer.ts';
import { parseChatbotName } from '../../data/widget-settings.ts';
import type { Session } from '../../session/index.ts';

export class BotNameController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #session: () => Session | undefined;
  #for: Session | undefined;
  #name: string | null = null;

  constructor(host: ReactiveControllerHost, session: () => Session | undefined) {
    this.#host = host;
    this.#session = session;
    host.addController(this);
  }

  /** The bot's name, or null until read (or where the project has no chatbot). */
  get name(): string | null {
    return this.#name;
  }

  hostUpdated(): void {
    const session = this.#session();
    if (session === this.#for) return;
    this.#for = session;
    this.#name = null;
    if (session) void this.#read(session);
  }

  async #read(session: Session): Promise<void> {
    try {
      const payload = await run<unknown>(session.client.rpc('widget_settings').retry(false));
      if (this.#for !== session) return;
      this.#name = parseChatbotName(payload);
      this.#host.requestUpdate();
    } catch {
      // Unreadable now: the bot's replies carry its role until the next sign-in.
    }
  }

  hostDisconnected(): void {
    this.#for = undefined;
  }
}

/**
 * The launcher's quick replies (issue 17): under the current conversation's last team or bot
 * message, while it offers buttons and the visitor has not written since (nor has a send on its
 * way), `<parley-quick-replies>` shows them. Only the decision is here; the buttons and the check
 * of their list come in their own chunk, loaded the first time a message offers some. A tap sends
 * the label through the outbox like a typed message, with `metadata.quick_reply`, so a reload sends
 * it once and the buttons are gone (the visitor has written since).
 */
import { nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Message } from '../../data/types.ts';
import type { ThreadState } from '../../state/index.ts';
import type * as QuickRepliesChunkModule from '../quick-replies/quick-replies-chunk.ts';

type QuickRepliesChunk = typeof QuickRepliesChunkModule;

/** The message whose buttons show: the newest of the team or the bot, unless the visitor wrote after it. */
export function offeringMessage(thread: ThreadState): Message | null {
  if (thread.pending.length > 0) return null;
  for (let i = thread.messages.length - 1; i >= 0; i--) {
    const message = thread.messages[i] as Message;
    if (message.sender_type === 'customer') return null;
    // A system line after it (the bot handing over, an assignment) leaves the buttons in place.
    if (message.sender_type === 'system' || message.visibility !== 'public') continue;
    return Array.isArray(message.metadata['quick_replies']) ? message : null;
  }
  return null;
}

export class QuickRepliesPrompt {
  #chunk: QuickRepliesChunk | null = null;
  #loading = false;

  constructor(private readonly host: ReactiveControllerHost) {}

  /** The buttons for `thread` (the current conversation, where the visitor can write), or nothing. */
  render(thread: ThreadState, theme: string | undefined, pick: (label: string, id: string) => void): TemplateResult | typeof nothing {
    const message = offeringMessage(thread);
    if (!message) return nothing;
    if (this.#chunk) return this.#chunk.quickRepliesView(message, theme, pick);
    if (!this.#loading) {
      this.#loading = true;
      import('../quick-replies/quick-replies-chunk.ts').then((chunk) => {
        this.#chunk = chunk;
        this.host.requestUpdate();
      }, () => {
        // Offline or a failed deploy: the visitor can still type; the next render tries again.
        this.#loading = false;
      });
    }
    return nothing;
  }
}

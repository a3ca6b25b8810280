/**
 * An agent's quick replies (issue 17): up to four button labels, kept per conversation, that go
 * under the agent's next public reply (`metadata.quick_replies`); the visitor's tap answers with the
 * label. Notes never carry them (the database refuses buttons on internal messages). The labels are
 * bounded as the database bounds them (40 characters; blank ones are left out) and cleared once sent.
 */
import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { MAX_QUICK_REPLIES, MAX_QUICK_REPLY_LABEL, type QuickReply } from '../../data/quick-replies.ts';
import { requireQuickReplies } from '../../data/quick-reply-input.ts';
import { isBlank } from '../../data/validate.ts';
import { formatString, type InboxStrings } from '../../i18n/strings.ts';

const EMPTY: readonly string[] = Array.from({ length: MAX_QUICK_REPLIES }, () => '');

export class QuickReplyDraft {
  readonly #labels = new Map<string, readonly string[]>();

  constructor(private readonly host: ReactiveControllerHost) {}

  /** The labels typed for `conversationId` (four, some empty). */
  labels(conversationId: string): readonly string[] {
    return this.#labels.get(conversationId) ?? EMPTY;
  }

  /**
   * The buttons for a reply now being sent into `conversationId`, forgetting them; null when none
   * was typed (or the message is a note, which takes none and keeps them for the next reply).
   */
  take(conversationId: string, visibility: 'public' | 'internal' | undefined): readonly QuickReply[] | null {
    if (visibility === 'internal') return null;
    const labels = this.labels(conversationId).filter((label) => !isBlank(label));
    if (labels.length === 0) return null;
    this.#labels.delete(conversationId);
    this.host.requestUpdate();
    return requireQuickReplies(labels.map((label) => ({ label })));
  }

  /** The editor: a disclosure with a field per button, under the thread. */
  render(t: InboxStrings, language: string, conversationId: string): TemplateResult {
    const labels = this.labels(conversationId);
    const count = labels.filter((label) => !isBlank(label)).length;
    return html`<details class="quick-replies" part="quick-replies" ?open=${count > 0}>
      <summary>${t.quickReplies}${count > 0 ? ` (${formatString('{count}', { count }, language)})` : ''}</summary>
      <p class="hint" id="quick-replies-hint">${t.quickRepliesHint}</p>
      <div class="quick-reply-fields">
        ${labels.map((label, index) => html`<input
          type="text"
          part="quick-reply-input"
          maxlength=${MAX_QUICK_REPLY_LABEL}
          aria-label=${formatString(t.quickReplyLabel, { n: index + 1 }, language)}
          aria-describedby="quick-replies-hint"
          .value=${live(label)}
          @input=${(event: Event) => this.#edit(conversationId, index, (event.target as HTMLInputElement).value)}
        />`)}
      </div>
    </details>`;
  }

  #edit(conversationId: string, index: number, value: string): void {
    const next = [...this.labels(conversationId)];
    next[index] = value;
    this.#labels.set(conversationId, next);
    this.host.requestUpdate();
  }
}

/**
 * What the launcher loads once a message offers quick replies (issue 17): the buttons and the check
 * of the message's list. A chunk of its own, so the first open does not carry them.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { quickRepliesOf } from '../../data/quick-replies.ts';
import type { Message } from '../../data/types.ts';
import { ParleyQuickReplies, type ParleyQuickReplyEvent } from './quick-replies.ts';

/**
 * `<parley-quick-replies>` for `message`'s buttons, or nothing when its list does not pass the
 * checks. `pick` gets the chosen button's label and id (the visitor's message and its metadata).
 */
export function quickRepliesView(
  message: Message, theme: string | undefined, pick: (label: string, id: string) => void,
): TemplateResult | typeof nothing {
  const replies = quickRepliesOf(message);
  if (!replies) return nothing;
  // Here rather than at the top: the bundler treats the sources as free of side effects.
  ParleyQuickReplies.define('parley-quick-replies');
  return html`<parley-quick-replies
    .replies=${replies}
    data-message=${message.id}
    theme=${theme ?? nothing}
    @parley-quick-reply=${(event: ParleyQuickReplyEvent) => pick(event.detail.label, event.detail.id)}
  ></parley-quick-replies>`;
}

/**
 * What the launcher loads once a rating is due (a conversation resolved with CSAT on): the card and
 * what sending it does. A chunk of its own, so the first open does not carry them.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { rateConversation } from '../../data/ratings.ts';
import type { Session } from '../../session/index.ts';
import { ParleyRating, type ParleyRateEvent } from './rating.ts';

/**
 * `<parley-rating>` for the conversation: `score` once this resolution is rated (the thanks), else
 * the question. Sending rates through the database and applies the returned row, so every view of
 * the conversation (and, through realtime, every tab) turns to the thanks.
 */
export function ratingCard(session: () => Session | undefined, conversationId: string, score: number | null, scale: number, theme: string | undefined): TemplateResult {
  // Here rather than at the top: the bundler treats the sources as free of side effects.
  ParleyRating.define('parley-rating');
  return html`<parley-rating
    .scale=${scale}
    .score=${score}
    theme=${theme ?? nothing}
    @parley-rate=${(event: ParleyRateEvent) => void rate(session(), conversationId, event)}
  ></parley-rating>`;
}

async function rate(session: Session | undefined, conversationId: string, event: ParleyRateEvent): Promise<void> {
  const card = event.currentTarget;
  if (!session || !(card instanceof ParleyRating) || card.busy) return;
  card.busy = true;
  card.failed = false;
  try {
    session.state.applyConversation(await rateConversation(session.client, conversationId, event.detail.score, event.detail.comment));
  } catch {
    // Another tab may have rated it first: the row's update then turns the card into the thanks.
    card.failed = true;
  } finally {
    card.busy = false;
  }
}

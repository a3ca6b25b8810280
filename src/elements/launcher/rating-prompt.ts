/**
 * The launcher's CSAT card (issue 15): once the current conversation is resolved and the workspace
 * asks for ratings, the thread ends with `<parley-rating>`. Only the decision is here: the card,
 * and what sending a rating does, come in their own chunk, loaded the first time a rating is due
 * (not part of the first open). Whether this resolution is rated comes from the conversation row
 * (live, and after a reload), so a rating is asked once per resolution, in every tab.
 */
import { nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { WidgetSettings } from '../../data/admin-types.ts';
import type { Conversation } from '../../data/types.ts';
import type { Session } from '../../session/index.ts';
import type * as RatingChunkModule from '../rating/rating-chunk.ts';

type RatingChunk = typeof RatingChunkModule;

export interface RatingPromptOptions {
  readonly session: () => Session | undefined;
  /** The workspace settings (CSAT on, its scale); null until read: no rating asked. */
  readonly settings: () => Pick<WidgetSettings, 'csatEnabled' | 'csatScale'> | null;
  readonly theme: () => string | undefined;
}

export class RatingPrompt {
  #chunk: RatingChunk | null = null;
  #loading = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly options: RatingPromptOptions) {}

  /** The card for `conversation`, or nothing when no rating is due or given for its current resolution. */
  render(conversation: Conversation | undefined): TemplateResult | typeof nothing {
    if (conversation?.status !== 'resolved') return nothing;
    const rated = conversation.rating?.resolution === conversation.resolutions ? conversation.rating : null;
    const settings = this.options.settings();
    if (!rated && !settings?.csatEnabled) return nothing;
    if (this.#chunk) {
      return this.#chunk.ratingCard(this.options.session, conversation.id, rated?.score ?? null, rated?.scale ?? settings?.csatScale ?? 5, this.options.theme());
    }
    if (!this.#loading) {
      this.#loading = true;
      import('../rating/rating-chunk.ts').then((chunk) => {
        this.#chunk = chunk;
        this.host.requestUpdate();
      }, () => {
        // Offline or a failed deploy: no card this time; the next render tries again.
        this.#loading = false;
      });
    }
    return nothing;
  }
}

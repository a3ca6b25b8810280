/**
 * Everything presence in the console behind one field of `<parley-inbox>`: the agent's
 * availability (this tab's heartbeat, the header's status control and team list) and collision
 * (who else is in the open conversation). Keeps the element's wiring to a few lines.
 */
import type { ReactiveControllerHost, TemplateResult } from 'lit';
import type { InboxStrings } from '../../i18n/strings.ts';
import type { Session } from '../../session/index.ts';
import type { TeamViewer } from '../../realtime/team-presence.ts';
import { AvailabilityController, type AvailabilityControllerOptions } from './availability-controller.ts';
import { CollisionController } from './collision-controller.ts';
import { availabilityControl } from './presence-templates.ts';

export { DEFAULT_AWAY_AFTER_S } from '../../session/console-availability.ts';
export { presenceStyles } from './presence.styles.ts';

export interface ConsolePresenceOptions extends Pick<AvailabilityControllerOptions, 'now' | 'timers' | 'activity'> {
  /** The signed-in console's session; undefined while nobody is signed in. */
  readonly session: () => Session | undefined;
  /** The signed-in agent's id; null while signed out. */
  readonly userId: () => string | null;
  /** The conversation the console holds open (its channel joined); null for none. */
  readonly conversationId: () => string | null;
  /** The element's `away-after`, in seconds. */
  readonly awayAfter: () => number;
}

export class ConsolePresence {
  readonly availability: AvailabilityController;
  readonly collision: CollisionController;
  readonly #userId: () => string | null;

  constructor(host: ReactiveControllerHost, options: ConsolePresenceOptions) {
    this.#userId = options.userId;
    const { now, timers, activity } = options;
    this.availability = new AvailabilityController(host, {
      session: options.session, awayAfter: options.awayAfter,
      ...(now ? { now } : {}), ...(timers ? { timers } : {}), ...(activity ? { activity } : {}),
    });
    this.collision = new CollisionController(host, {
      session: options.session, conversationId: options.conversationId, userId: options.userId,
      ...(timers ? { timers } : {}),
    });
  }

  /** The header's status control and team list. */
  header(t: InboxStrings, language: string): TemplateResult {
    const a = this.availability;
    return availabilityControl({
      t, language, me: this.#userId(), team: a.team, busy: a.busy, pending: a.pending, error: a.error,
      onChoose: (value) => void a.choose(value), onOpen: () => void a.tab?.beat(),
    });
  }

  /** Other agents in conversation `id`. */
  viewers(id: string): readonly TeamViewer[] {
    return this.collision.viewers(id);
  }

  /**
   * The composer reported typing; `event.target` is the composer, whose Reply / Note switch says
   * what is being written. Returns whether the customer may hear it (never for a note).
   */
  typing(event: Event): boolean {
    const note = (event.target as (EventTarget & { mode?: unknown }) | null)?.mode === 'note';
    this.collision.typing(note ? 'note' : 'reply');
    return !note;
  }

  /** A message went out: only viewing again. */
  sent(): void {
    this.collision.stoppedTyping();
  }

  /** Signing out: this tab's availability row goes while the sign-in can still remove it. */
  signingOut(): void {
    this.availability.stop();
  }
}

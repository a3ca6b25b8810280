/**
 * The console's side of collision (STYLE.md §9): joins the team presence of the conversation the
 * console holds open, says when this agent starts and stops writing a reply or a note there, and
 * keeps who else is in it for the header. One presence budget per session (its socket).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../session/index.ts';
import { PresenceBudget, TeamPresence, type Composing, type TeamViewer } from '../../realtime/team-presence.ts';
import { realTimers, type Timers } from '../../realtime/timers.ts';

/** Writing counts as stopped this long after the composer's last typing event (it sends one every 2 s). */
export const COMPOSING_IDLE_MS = 8_000;

export interface CollisionControllerOptions {
  readonly session: () => Session | undefined;
  /** The conversation the console holds open (its channel joined); null for none. */
  readonly conversationId: () => string | null;
  /** The signed-in agent; null while signed out. */
  readonly userId: () => string | null;
  readonly timers?: Timers;
}

const NOBODY: readonly TeamViewer[] = Object.freeze([]);

export class CollisionController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: CollisionControllerOptions;
  readonly #timers: Timers;
  #presence: TeamPresence | null = null;
  #session: Session | undefined;
  #budget: PresenceBudget | null = null;
  #viewers: readonly TeamViewer[] = NOBODY;
  #idleTimer: unknown = null;
  /** The last presence's leave, awaited before joining again (supabase-js reuses a topic's channel). */
  #leaving: Promise<void> = Promise.resolve();

  constructor(host: ReactiveControllerHost, options: CollisionControllerOptions) {
    this.#host = host;
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    host.addController(this);
  }

  /** Other agents in conversation `id` (empty until its presence is joined), with what they are writing. */
  viewers(id: string): readonly TeamViewer[] {
    return this.#presence?.conversationId === id ? this.#viewers : NOBODY;
  }

  hostUpdated(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#leave();
    this.#budget?.dispose();
    this.#budget = null;
    this.#session = undefined;
  }

  /** The composer reported typing in `mode` (the composer's Reply / Note switch). */
  typing(mode: Composing): void {
    if (!this.#presence) return;
    this.#presence.setComposing(mode);
    this.#clearIdle();
    this.#idleTimer = this.#timers.set(() => {
      this.#idleTimer = null;
      this.#presence?.setComposing(null);
    }, COMPOSING_IDLE_MS);
  }

  /** The message went out (or the draft was dropped): only viewing again. */
  stoppedTyping(): void {
    this.#clearIdle();
    this.#presence?.setComposing(null);
  }

  #follow(): void {
    const session = this.#options.session();
    const userId = this.#options.userId();
    const id = session && userId ? this.#options.conversationId() : null;
    if (session !== this.#session) {
      this.#leave();
      this.#budget?.dispose();
      this.#session = session;
      this.#budget = session ? new PresenceBudget({ timers: this.#timers }) : null;
    }
    if ((this.#presence?.conversationId ?? null) === id) return;
    this.#leave();
    if (!session || !userId || !id || !this.#budget) return;
    const presence = new TeamPresence({
      client: session.client, conversationId: id, userId, budget: this.#budget, timers: this.#timers,
      onChange: (viewers) => {
        if (this.#presence !== presence) return;
        this.#viewers = viewers.length === 0 ? NOBODY : viewers;
        this.#host.requestUpdate();
      },
    });
    this.#presence = presence;
    void this.#leaving.then(() => {
      if (this.#presence === presence) presence.start();
    });
  }

  #leave(): void {
    this.#clearIdle();
    const presence = this.#presence;
    this.#presence = null;
    // Nothing to render now: viewers() answers only for the joined conversation.
    this.#viewers = NOBODY;
    if (presence) this.#leaving = this.#leaving.then(() => presence.stop());
  }

  #clearIdle(): void {
    if (this.#idleTimer !== null) this.#timers.clear(this.#idleTimer);
    this.#idleTimer = null;
  }
}

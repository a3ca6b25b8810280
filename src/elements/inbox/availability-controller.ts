/**
 * The console's side of agent availability (STYLE.md §9): while an agent is signed in, this tab
 * beats ({@link ConsoleAvailability}); it stops, and the tab's row goes, on sign-out and when the
 * element is removed. Holds the team list and the agent's choice for the header.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Session } from '../../session/index.ts';
import { ConsoleAvailability, type ActivitySource } from '../../session/console-availability.ts';
import { toParleyError } from '../../data/errors.ts';
import type { Availability, TeamAvailability } from '../../data/availability.ts';
import type { Timers } from '../../realtime/timers.ts';

export interface AvailabilityControllerOptions {
  /** The signed-in console's session; undefined while nobody is signed in. */
  readonly session: () => Session | undefined;
  readonly awayAfter: () => number;
  readonly now?: () => number;
  readonly timers?: Timers;
  readonly activity?: ActivitySource;
}

const NOBODY: readonly TeamAvailability[] = Object.freeze([]);

export class AvailabilityController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: AvailabilityControllerOptions;
  #session: Session | undefined;
  #tab: ConsoleAvailability | null = null;
  #unlisten: (() => void) | null = null;
  #team: readonly TeamAvailability[] = NOBODY;
  #error = '';
  #busy = false;
  /** The status the agent just picked, shown while the server has not answered. */
  #pending: Availability | null = null;

  constructor(host: ReactiveControllerHost, options: AvailabilityControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Every agent with their effective availability, as the last heartbeat answered. */
  get team(): readonly TeamAvailability[] {
    return this.#team;
  }

  /** Why the last change of status failed; empty when it did not. */
  get error(): string {
    return this.#error;
  }

  /** A change of status is in flight. */
  get busy(): boolean {
    return this.#busy;
  }

  /** What the agent picked and the server has not confirmed yet; null when nothing is in flight. */
  get pending(): Availability | null {
    return this.#pending;
  }

  /** This tab's heartbeat (tests drive it). */
  get tab(): ConsoleAvailability | null {
    return this.#tab;
  }

  hostUpdated(): void {
    const session = this.#options.session();
    if (session === this.#session) return;
    this.#stop();
    this.#session = session;
    if (!session) return;
    const tab = new ConsoleAvailability({
      client: session.client,
      awayAfter: this.#options.awayAfter,
      ...(this.#options.now ? { now: this.#options.now } : {}),
      ...(this.#options.timers ? { timers: this.#options.timers } : {}),
      ...(this.#options.activity ? { activity: this.#options.activity } : {}),
    });
    this.#tab = tab;
    this.#unlisten = tab.$team.listen((team) => {
      this.#team = team.length === 0 ? NOBODY : team;
      this.#host.requestUpdate();
    });
    tab.start();
  }

  hostDisconnected(): void {
    this.#stop();
    this.#session = undefined;
  }

  /** The agent picked a status in the header. */
  async choose(value: Availability): Promise<void> {
    const tab = this.#tab;
    if (!tab) return;
    this.#busy = true;
    this.#pending = value;
    this.#error = '';
    this.#host.requestUpdate();
    try {
      await tab.choose(value);
    } catch (error) {
      if (this.#tab === tab) this.#error = toParleyError(error).message;
    } finally {
      if (this.#tab === tab) {
        this.#busy = false;
        this.#pending = null;
        this.#host.requestUpdate();
      }
    }
  }

  /** Stops this tab's heartbeat and removes its row (sign-out, teardown). */
  stop(): void {
    this.#stop();
  }

  #stop(): void {
    this.#unlisten?.();
    this.#unlisten = null;
    this.#tab?.stop();
    this.#tab = null;
    this.#team = NOBODY;
    this.#error = '';
    this.#busy = false;
    this.#pending = null;
  }
}

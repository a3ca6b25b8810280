/**
 * The console's session flow (`<parley-inbox>`), without DOM: create the session, read the stored
 * sign-in or wait for the form, check the account is an agent, start realtime and the console's
 * stores, follow a sign-out made elsewhere, sign out. The element renders `state` and forwards the
 * form; every result of a session that was dropped meanwhile is ignored (the root's signal).
 */
import { isRateLimited, toParleyError } from '../data/errors.ts';
import type { Agent } from '../data/types.ts';
import { withTeamCommands } from '../data/team-api.ts';
import { createInboxState, type InboxState } from '../state/index.ts';
import { openAgentOutbox, type AgentOutbox } from './agent-outbox.ts';
import { enterConsole, hasStoredSignIn, hostSignIn, onSignedOut, signInWithPassword, signOut } from './agent-sign-in.ts';
import { safeLocalStorage, type Session } from './index.ts';
import type { RootSessionController } from './root-session.ts';
import { AgentWatch } from './agent-watch.ts';
import type { OwnAgent } from '../data/console-channel.ts';

/** Where the console stands: not mounted, reading a stored sign-in, asking for one, signing in, usable, or failed. */
export const INBOX_PHASES = ['idle', 'checking', 'signed-out', 'signing-in', 'ready', 'error'] as const;
export type InboxPhase = (typeof INBOX_PHASES)[number];

export interface AgentConsoleState {
  readonly phase: InboxPhase;
  /** The signed-in agent; null before sign-in. */
  readonly agent: Agent | null;
  /** Why signing in failed or was refused; empty when it did not. */
  readonly signInError: string;
}

export interface AgentConsoleOptions {
  /** Called after every change of `state`. */
  readonly onChange: (state: AgentConsoleState) => void;
  /** The words for an account that is not an agent's (the element's strings). */
  readonly notAgent: () => string;
  /** The words for a sign-in refused because the network tried too often (HTTP 429). */
  readonly rateLimited: () => string;
  /** The project, for the keys of what is stored per agent. */
  readonly projectUrl: () => string;
  /**
   * An admin deactivated the signed-in agent while the console was open: the element signs out
   * (unsent replies kept as on any sign-out) and says why.
   */
  readonly deactivated: () => void;
}

const SIGNED_OUT: AgentConsoleState = { phase: 'idle', agent: null, signInError: '' };

export class AgentConsole {
  readonly #root: RootSessionController;
  readonly #options: AgentConsoleOptions;
  #state: AgentConsoleState = SIGNED_OUT;
  #inbox: InboxState | undefined;
  #signal: AbortSignal | undefined;
  #stopFollowingAuth: (() => void) | null = null;
  #outbox: AgentOutbox | null = null;
  #watch: AgentWatch | null = null;

  constructor(root: RootSessionController, options: AgentConsoleOptions) {
    this.#root = root;
    this.#options = options;
  }

  get state(): AgentConsoleState {
    return this.#state;
  }

  /** The console's stores (list, team, canned replies, commands) while a session exists. */
  get inbox(): InboxState | undefined {
    return this.#inbox;
  }

  /** Creates the session and reads the stored sign-in (no-op while a session exists). */
  async boot(): Promise<void> {
    if (this.#root.session) return;
    this.#set({ phase: 'checking' });
    let started: { session: Session; signal: AbortSignal };
    try {
      started = this.#root.create();
    } catch {
      this.#set({ phase: 'error' });
      return;
    }
    const { session, signal } = started;
    this.#signal = signal;
    this.#inbox = createInboxState({ state: session.state, api: withTeamCommands(session.client, session.api) });
    // Signed out in another tab, or the refresh token was revoked: back to the form.
    this.#stopFollowingAuth = onSignedOut(session, () => {
      if (this.#state.phase === 'ready' && !signal.aborted) void this.restart();
    });
    this.#set({});
    try {
      const signedIn = await hasStoredSignIn(session);
      if (signal.aborted) return;
      if (signedIn) await this.#enter(session, signal);
      else this.#set({ phase: 'signed-out' });
    } catch {
      if (!signal.aborted) this.#set({ phase: 'error' });
    }
  }

  /** Submits the sign-in form (only while it is shown). */
  async signIn(email: string, password: string): Promise<void> {
    const session = this.#root.session;
    const signal = this.#signal;
    if (!session || !signal || this.#state.phase !== 'signed-out') return;
    this.#set({ phase: 'signing-in' });
    try {
      await signInWithPassword(session, email, password);
      if (signal.aborted) return;
      await this.#enter(session, signal);
    } catch (error) {
      if (signal.aborted) return;
      const refused = toParleyError(error);
      this.#set({ phase: 'signed-out', signInError: isRateLimited(refused) ? this.#options.rateLimited() : refused.message });
    }
  }

  /** Shows `message` as the form's error without a request (an incomplete form). */
  refuse(message: string): void {
    if (this.#state.phase === 'signed-out') this.#set({ signInError: message });
  }

  /** Replies of the signed-in agent not on the server yet (sending or failed). */
  get unsent(): number {
    return this.#outbox?.unsent() ?? 0;
  }

  /** Whether unsent replies survive a sign-out here (false: kept in memory, lost on sign-out). */
  get outboxPersistent(): boolean {
    return this.#outbox?.persistent ?? false;
  }

  /** Whether Parley can sign out here (not with a host's own sign-in). */
  get canSignOut(): boolean {
    const session = this.#root.session;
    return session !== undefined && !hostSignIn(session);
  }

  /** Signs out on this browser and shows the form again. */
  async signOut(): Promise<void> {
    const session = this.#root.session;
    if (!session || hostSignIn(session)) return;
    // Not 'ready' any more, so the SIGNED_OUT this causes does not restart the console on its own.
    this.#set({ phase: 'checking' });
    // Unsent replies are in storage (encrypted) before the key goes with the sign-in.
    await this.#outbox?.flush();
    // Nothing may ask the server in the agent's name once the sign-in goes: a resync that realtime
    // starts meanwhile would go out without a token and be refused (401).
    await session.realtime.stop();
    await signOut(session);
    if (this.#root.session !== session) return; // removed (or restarted) meanwhile
    this.teardown();
    await this.boot();
  }

  /** Starts over: a new session from the stored sign-in. */
  async restart(): Promise<void> {
    this.teardown();
    await this.boot();
  }

  /** Drops the session (and what it created) and forgets everything signed-in. */
  teardown(): void {
    this.#stopFollowingAuth?.();
    this.#stopFollowingAuth = null;
    this.#outbox?.dispose();
    this.#outbox = null;
    void this.#watch?.stop();
    this.#watch = null;
    this.#root.drop();
    this.#inbox = undefined;
    this.#signal = undefined;
    this.#set(SIGNED_OUT);
  }

  /** A user is signed in: check they are an agent, then start realtime and load the console. */
  async #enter(session: Session, signal: AbortSignal): Promise<void> {
    const agent = await enterConsole(session, signal, async (who) => {
      // The agent's unsent replies from before (a reload, a sign-out), into the state before realtime resends.
      const outbox = await openAgentOutbox({
        session, agentId: who.user_id, projectUrl: this.#options.projectUrl(), storage: safeLocalStorage(),
      });
      if (signal.aborted) outbox.dispose();
      else this.#outbox = outbox;
    });
    if (signal.aborted) return;
    if (!agent) {
      // A visitor's or a customer's account: never show the console (its sign-in was not kept).
      this.#set({ phase: 'signed-out', signInError: this.#options.notAgent() });
      return;
    }
    this.#set({ phase: 'ready', agent, signInError: '' });
    void this.#inbox?.load();
    // The agent's own row and the canned replies, live: a role change, a deactivation, a new name.
    this.#watch = new AgentWatch({
      client: session.client,
      userId: agent.user_id,
      onAgent: (own) => {
        if (!signal.aborted) this.#ownRow(own);
      },
      onCanned: () => void this.#inbox?.reloadCannedResponses(),
    });
    this.#watch.start();
  }

  /** The agent's own row as the database has it now. */
  #ownRow(own: OwnAgent): void {
    const current = this.#state.agent;
    if (this.#state.phase !== 'ready' || !current || own.user_id !== current.user_id) return;
    if (!own.active) {
      this.#options.deactivated();
      return;
    }
    const agent = { user_id: own.user_id, display_name: own.display_name, avatar_url: own.avatar_url, role: own.role };
    if (agent.display_name === current.display_name && agent.avatar_url === current.avatar_url && agent.role === current.role) return;
    this.#set({ agent });
    // The team list carries the same name and role (assignee menu, names on replies).
    void this.#inbox?.reloadAgents();
  }

  #set(patch: Partial<AgentConsoleState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#options.onChange(this.#state);
  }
}

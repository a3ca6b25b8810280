/**
 * Agent availability over supabase-js (20261220000101_agent_availability.sql): the console's
 * heartbeat, its leave (also as a keepalive request a closing page can still send), the agent's
 * own choice, and what a visitor's widget may know (`team_online()`). Every answer is checked
 * before it reaches a store.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { toParleyError } from './errors.ts';
import { requireUuid } from './validate.ts';

/** What an agent can be, in the order presence caps a choice: offline < away < online. */
export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** Bounds of the console's `away-after`, in seconds, as the database checks them. */
export const AWAY_AFTER_MIN = 30;
export const AWAY_AFTER_MAX = 86_400;

/** One agent as the console's team list shows them. */
export interface TeamAvailability {
  readonly user_id: string;
  readonly display_name: string;
  readonly avatar_url: string | null;
  /** The agent's own choice. */
  readonly chosen: Availability;
  /** The choice capped by presence: what everyone sees. */
  readonly availability: Availability;
}

/** A public profile of an online agent, as visitors get it. */
export interface OnlineAgent {
  readonly id: string;
  readonly display_name: string;
  readonly avatar_url: string | null;
}

/** What a visitor's widget may know about the team. */
export interface TeamOnline {
  readonly online: boolean;
  readonly agents: readonly OnlineAgent[];
}

export interface HeartbeatInput {
  /** This console tab's id (client-generated, kept for the tab's life). */
  readonly session: string;
  /** Whole seconds since the last input in this tab. */
  readonly idleSeconds: number;
  /** The console's idle threshold in seconds ({@link AWAY_AFTER_MIN}..{@link AWAY_AFTER_MAX}). */
  readonly awayAfter: number;
}

function isAvailability(value: unknown): value is Availability {
  return typeof value === 'string' && (AVAILABILITIES as readonly string[]).includes(value);
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function optionalUrl(value: unknown): string | null {
  return typeof value === 'string' && /^https?:\/\//.test(value) ? value : null;
}

/** A team row as the RPCs return it, or null when it does not parse. */
export function parseTeamAvailability(value: unknown): TeamAvailability | null {
  const row = record(value);
  if (!row || typeof row.user_id !== 'string' || typeof row.display_name !== 'string') return null;
  if (!isAvailability(row.chosen) || !isAvailability(row.availability)) return null;
  return {
    user_id: row.user_id, display_name: row.display_name, avatar_url: optionalUrl(row.avatar_url),
    chosen: row.chosen, availability: row.availability,
  };
}

/** `team_online()`'s answer; anything else reads as "nobody online". */
export function parseTeamOnline(value: unknown): TeamOnline {
  const root = record(value);
  const agents: OnlineAgent[] = [];
  for (const item of Array.isArray(root?.agents) ? root.agents : []) {
    const agent = record(item);
    if (agent && typeof agent.id === 'string' && typeof agent.display_name === 'string') {
      agents.push({ id: agent.id, display_name: agent.display_name, avatar_url: optionalUrl(agent.avatar_url) });
    }
  }
  return { online: root?.online === true && agents.length > 0, agents };
}

function team(data: unknown): TeamAvailability[] {
  return (Array.isArray(data) ? data : []).map(parseTeamAvailability).filter((row): row is TeamAvailability => row !== null);
}

async function call(client: SupabaseClient, fn: string, args: Record<string, unknown>): Promise<unknown> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw toParleyError(error);
  return data;
}

/** Registers or refreshes this console tab; answers with the whole team's availability. */
export async function consoleHeartbeat(client: SupabaseClient, input: HeartbeatInput): Promise<TeamAvailability[]> {
  return team(await call(client, 'console_heartbeat', {
    p_session: requireUuid(input.session, 'Console session id'),
    p_idle_seconds: Math.max(0, Math.floor(input.idleSeconds)),
    p_away_after: Math.round(input.awayAfter),
  }));
}

/** Removes this console tab now (sign-out, the element removed). */
export async function consoleLeave(client: SupabaseClient, session: string): Promise<void> {
  await call(client, 'console_leave', { p_session: requireUuid(session, 'Console session id') });
}

/** Sets the signed-in agent's own choice; answers with the team as it now stands. */
export async function setAvailability(client: SupabaseClient, value: Availability): Promise<TeamAvailability[]> {
  return team(await call(client, 'set_availability', { p_availability: value }));
}

/** Whether anyone is online, and who (public profiles): callable before any sign-in. */
export async function teamOnline(client: SupabaseClient): Promise<TeamOnline> {
  return parseTeamOnline(await call(client, 'team_online', {}));
}

/** What a closing page needs to send `console_leave` without supabase-js: the request, prepared ahead. */
export interface LeaveRequest {
  readonly url: string;
  readonly init: RequestInit;
  /**
   * An OPTIONS request with the leave's headers, sent while the page is alive. The leave's headers
   * (apikey, authorization) need a CORS preflight, and Chromium does not run one for a keepalive
   * request of a closing page: the leave would never leave. This puts the preflight's answer in the
   * browser's cache for as long as the gateway's `Access-Control-Max-Age` allows (the local stack:
   * an hour); past that, the row lapses after its TTL instead.
   */
  readonly preflight: RequestInit;
}

/**
 * `console_leave` as a plain keepalive request, built while the page is alive (a `pagehide`
 * handler cannot await a token). Null when the client does not show its project URL or key.
 */
export function leaveRequest(client: SupabaseClient, session: string, accessToken: string): LeaveRequest | null {
  const realtime = client.realtime as { httpEndpoint?: unknown; apiKey?: unknown };
  const endpoint = typeof realtime.httpEndpoint === 'string' ? realtime.httpEndpoint : '';
  const apikey = typeof realtime.apiKey === 'string' ? realtime.apiKey : '';
  // supabase-js derives the realtime endpoint from the project URL: `<url>/realtime/v1`.
  const base = endpoint.replace(/\/realtime\/v1\/?$/, '');
  if (!base || base === endpoint || !apikey) return null;
  const headers = { apikey, authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  return {
    url: `${base}/rest/v1/rpc/console_leave`,
    init: { method: 'POST', keepalive: true, headers, body: JSON.stringify({ p_session: session }) },
    preflight: { method: 'OPTIONS', headers },
  };
}

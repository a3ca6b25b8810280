import { randomBytes } from 'node:crypto';
import type { BroadcastPayload } from './serializer.ts';

/**
 * The largest broadcast or presence payload: Realtime's default `max_payload_size_in_kb` (3000)
 * times 1000, plus the 500 bytes of slack `Tenants.validate_payload_size` allows.
 */
export const MAX_PAYLOAD_BYTES = 3000 * 1000 + 500;

/** A broadcast on its way to subscribers. */
export interface BroadcastMessage {
  readonly event: string;
  readonly payload: BroadcastPayload;
  /** Database broadcasts carry `{id}`; the client exposes it as `meta`. */
  readonly meta?: Record<string, unknown>;
  /** V2 receivers get a kind-4 binary frame, except for batch-HTTP broadcasts, which go as text. */
  readonly binary: boolean;
}

export interface PresenceMeta {
  readonly phx_ref: string;
  readonly phx_ref_prev?: string;
  readonly [field: string]: unknown;
}

export type PresenceEntries = Record<string, { metas: PresenceMeta[] }>;

export interface PresenceDiff {
  joins: PresenceEntries;
  leaves: PresenceEntries;
}

/** A joined channel as the hub sees it: where it listens and how to reach it. */
export interface HubMember {
  /** Name plus privacy: public and private channels of the same name never meet. */
  readonly hubTopic: string;
  receiveBroadcast(message: BroadcastMessage): void;
  receivePresenceDiff(diff: PresenceDiff): void;
  /** The member failed to take a message: it ends itself; it must not throw. */
  crash(error: unknown): void;
}

export function hubTopic(name: string, isPrivate: boolean): string {
  return `${isPrivate ? 'private' : 'public'}:${name}`;
}

/** Fan-out and presence state for every topic of this server (one machine, so one process). */
export class Hub {
  private readonly members = new Map<string, Set<HubMember>>();
  private readonly presence = new Map<string, Map<HubMember, { key: string; meta: PresenceMeta }>>();

  join(member: HubMember): void {
    let set = this.members.get(member.hubTopic);
    if (!set) this.members.set(member.hubTopic, (set = new Set()));
    set.add(member);
  }

  leave(member: HubMember): void {
    this.untrack(member);
    const set = this.members.get(member.hubTopic);
    set?.delete(member);
    if (set?.size === 0) this.members.delete(member.hubTopic);
  }

  broadcast(topic: string, message: BroadcastMessage, except?: HubMember): number {
    const set = this.members.get(topic);
    if (!set) return 0;
    let delivered = 0;
    for (const member of set) {
      if (member === except) continue;
      if (deliver(member, () => member.receiveBroadcast(message))) delivered++;
    }
    return delivered;
  }

  subscriberCount(): number {
    let count = 0;
    for (const set of this.members.values()) count += set.size;
    return count;
  }

  presenceState(topic: string): PresenceEntries {
    const state: PresenceEntries = {};
    for (const { key, meta } of this.presence.get(topic)?.values() ?? []) {
      (state[key] ??= { metas: [] }).metas.push(meta);
    }
    return state;
  }

  /** Tracks (or updates) the member's presence; a repeat with the same payload changes nothing. */
  track(member: HubMember, key: string, payload: Record<string, unknown>): void {
    let tracked = this.presence.get(member.hubTopic);
    if (!tracked) this.presence.set(member.hubTopic, (tracked = new Map()));
    const previous = tracked.get(member);
    if (previous && previous.key === key && samePayload(previous.meta, payload)) return;
    const meta: PresenceMeta = previous
      ? { ...payload, phx_ref: newPresenceRef(), phx_ref_prev: previous.meta.phx_ref }
      : { ...payload, phx_ref: newPresenceRef() };
    tracked.set(member, { key, meta });
    this.fanOutDiff(member.hubTopic, {
      joins: { [key]: { metas: [meta] } },
      leaves: previous ? { [previous.key]: { metas: [previous.meta] } } : {},
    });
  }

  untrack(member: HubMember): void {
    const tracked = this.presence.get(member.hubTopic);
    const previous = tracked?.get(member);
    if (!tracked || !previous) return;
    tracked.delete(member);
    if (tracked.size === 0) this.presence.delete(member.hubTopic);
    this.fanOutDiff(member.hubTopic, { joins: {}, leaves: { [previous.key]: { metas: [previous.meta] } } });
  }

  private fanOutDiff(topic: string, diff: PresenceDiff): void {
    for (const member of this.members.get(topic) ?? []) deliver(member, () => member.receivePresenceDiff(diff));
  }
}

/** One member's failure is its own: the fan-out goes on to the others. */
function deliver(member: HubMember, receive: () => void): boolean {
  try {
    receive();
    return true;
  } catch (error) {
    member.crash(error);
    return false;
  }
}

function samePayload(meta: PresenceMeta, payload: Record<string, unknown>): boolean {
  const { phx_ref, phx_ref_prev, ...rest } = meta;
  return JSON.stringify(rest) === JSON.stringify(payload);
}

/** Phoenix presence refs are opaque, unique strings. */
function newPresenceRef(): string {
  return randomBytes(9).toString('base64url');
}

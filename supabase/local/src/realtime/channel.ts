import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Claims } from '../keys.ts';
import { canWrite, readPermissions, type Extension } from './authorization.ts';
import { hubTopic, MAX_PAYLOAD_BYTES, type BroadcastMessage, type Hub, type HubMember, type PresenceDiff } from './hub.ts';
import { encodeText, encodeUserBroadcast, type BinaryBroadcastPush, type BroadcastPayload, type Frame, type ReceivedFrame, type Vsn } from './serializer.ts';
import { asRecord, parseConfig, pickToken, toBinding, type JoinConfig } from './join.ts';
import { checkToken, expiredMessage } from './tokens.ts';
import type { ChangeBinding, ChangeData, ChangeFeed, ChangeSubscriber } from './types.ts';

export interface RealtimeContext {
  readonly pool: pg.Pool;
  readonly jwtSecret: string;
  readonly hub: Hub;
  readonly feed: ChangeFeed;
  readonly log: (line: string) => void;
}

/** What a channel needs from the socket it lives on. */
export interface ChannelHost {
  readonly vsn: Vsn;
  readonly context: RealtimeContext;
  /** Claims of the socket's apikey: what a join without its own token acts with. */
  readonly apikeyClaims: Claims;
  send(frame: Frame): void;
  sendRaw(data: string | Buffer): void;
  forget(channel: Channel): void;
}

type Claimed = Claims & { exp?: number };

const TOKEN_CHECK_MAX_MS = 5 * 60_000;
/**
 * Realtime sets no such bound, but its channel processes run in parallel; here each binding is
 * hashed and echoed on the one event loop, and a 5 MB join with a million bindings held it for
 * seconds. Apps use a handful per channel.
 */
export const MAX_BINDINGS_PER_CHANNEL = 100;
/** The encoded `data` of a change is the same for every subscriber: encode it once. */
const encodedChanges = new WeakMap<ChangeData, string>();
/**
 * Fan-out frames by message, then serializer and topic. Like Phoenix's fastlane, a broadcast or
 * presence diff is encoded once per serializer, not once per subscriber: a 3 MB payload to a
 * thousand members is one encoding, not a thousand.
 */
const encodedFanOut = new WeakMap<object, Map<string, string | Buffer | null>>();

function encodeOnce<T extends string | Buffer | null>(message: object, key: string, encode: () => T): T {
  let byKey = encodedFanOut.get(message);
  if (!byKey) encodedFanOut.set(message, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key) as T;
  const encoded = encode();
  byKey.set(key, encoded);
  return encoded;
}

/** A joined `realtime:<name>` channel on one socket (one Phoenix channel process in Realtime). */
export class Channel implements HubMember, ChangeSubscriber {
  readonly hubTopic: string;
  private readonly topicJson: string;
  private presenceOn: boolean;
  private presenceKeyValue: string;
  private readonly writable = new Map<Extension, boolean>();
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly host: ChannelHost,
    readonly topic: string,
    readonly name: string,
    readonly joinRef: string,
    private readonly config: JoinConfig,
    private currentClaims: Claimed,
    private currentToken: string | null,
    private readonly bindings: readonly ChangeBinding[],
  ) {
    this.hubTopic = hubTopic(name, config.isPrivate);
    this.topicJson = JSON.stringify(topic);
    this.presenceOn = config.presenceEnabled;
    this.presenceKeyValue = config.presenceKey || randomUUID();
  }

  /**
   * Handles `phx_join`: token, private-channel read check, binding echo, then presence_state and
   * the postgres_changes subscription. Resolves to the channel, to the error reason to reply, or
   * to null when the join failed after its reply (the channel has then crashed with phx_error).
   */
  static async join(host: ChannelHost, frame: ReceivedFrame): Promise<Channel | string | null> {
    const name = frame.topic.startsWith('realtime:') ? frame.topic.slice('realtime:'.length) : frame.topic;
    if (name === '') return 'TopicNameRequired: You must provide a topic name';
    const payload = asRecord(frame.payload);
    const config = parseConfig(asRecord(payload.config));
    if (config.postgresChanges.length > MAX_BINDINGS_PER_CHANNEL) {
      return `TooManyBindings: At most ${MAX_BINDINGS_PER_CHANNEL} postgres_changes bindings per channel`;
    }

    const token = pickToken(payload);
    let claims: Claimed = host.apikeyClaims;
    if (token !== null) {
      const checked = await checkToken(host.context.jwtSecret, token);
      if (!checked.ok) return `${checked.code}: ${checked.message}`;
      claims = checked.claims;
    }
    if (config.isPrivate) {
      const wanted: Extension[] = config.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
      const readable = await readPermissions(host.context.pool, claims, name, wanted);
      if (readable.size === 0) return `Unauthorized: You do not have permissions to read from this Channel topic: ${name}`;
    }

    const bindings = config.postgresChanges.map((params) => toBinding(params));
    const channel = new Channel(host, frame.topic, name, frame.joinRef ?? frame.ref ?? '', config, claims, token, bindings);
    let replied = false;
    try {
      // Supabase replies first and subscribes afterwards, so changes committed in between are lost
      // to a client that resyncs on SUBSCRIBED. Subscribing before the reply closes that gap; the
      // client sees the same frames in the same order.
      const subscribeError = bindings.length > 0 ? await host.context.feed.subscribe(channel, bindings) : null;
      host.context.hub.join(channel);
      host.send({
        joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: 'phx_reply',
        payload: {
          status: 'ok',
          response: { postgres_changes: config.postgresChanges.map((params, index) => ({ ...params, id: bindings[index]?.id })) },
        },
      });
      replied = true;
      if (channel.presenceOn) channel.push('presence_state', host.context.hub.presenceState(channel.hubTopic));
      channel.scheduleTokenCheck();
      if (bindings.length > 0) channel.pushSubscribed(subscribeError);
      return channel;
    } catch (error) {
      // Nothing of a failed join may stay behind in the hub or the feed.
      channel.crash(error, replied);
      return replied ? null : 'Unknown Error on Channel';
    }
  }

  // ChangeSubscriber ---------------------------------------------------------------------------
  claims(): Claims {
    return this.currentClaims;
  }

  deliver(ids: number[], data: ChangeData): void {
    if (this.closed) return;
    try {
      let encoded = encodedChanges.get(data);
      if (encoded === undefined) encodedChanges.set(data, (encoded = JSON.stringify(data)));
      const payload = `{"ids":${JSON.stringify(ids)},"data":${encoded}}`;
      this.host.sendRaw(this.host.vsn === '2.0.0'
        ? `[null,null,${this.topicJson},"postgres_changes",${payload}]`
        : `{"join_ref":null,"ref":null,"topic":${this.topicJson},"event":"postgres_changes","payload":${payload}}`);
    } catch (error) {
      this.crash(error);
    }
  }

  // HubMember ----------------------------------------------------------------------------------
  receiveBroadcast(message: BroadcastMessage): void {
    if (this.closed) return;
    if (this.host.vsn === '2.0.0' && message.binary) {
      // A topic or event over 255 bytes has no kind-4 form: such a broadcast goes as text, which
      // the client reads just the same.
      const frame = encodeOnce(message, `kind4\u0000${this.topic}`, () => encodeUserBroadcast(this.topic, message.event, message.payload, message.meta));
      if (frame) {
        this.host.sendRaw(frame);
        return;
      }
    }
    const { payload } = message;
    if (!payload.json) return; // raw bytes have no text form (1.0.0 sockets, long names)
    const vsn = this.host.vsn;
    this.host.sendRaw(encodeOnce(message, `${vsn}\u0000${this.topic}`, () => encodeText(vsn, {
      joinRef: null, ref: null, topic: this.topic, event: 'broadcast',
      payload: { type: 'broadcast', event: message.event, payload: payload.value, ...(message.meta ? { meta: message.meta } : {}) },
    })));
  }

  receivePresenceDiff(diff: PresenceDiff): void {
    if (this.closed || !this.presenceOn) return;
    const vsn = this.host.vsn;
    this.host.sendRaw(encodeOnce(diff, `${vsn}\u0000${this.topic}`, () => encodeText(vsn, {
      joinRef: null, ref: null, topic: this.topic, event: 'presence_diff', payload: diff,
    })));
  }

  // Client pushes --------------------------------------------------------------------------------
  async handle(frame: ReceivedFrame): Promise<void> {
    if (frame.refused !== undefined) {
      this.refuse(frame, frame.event === 'broadcast', frame.refused);
      return;
    }
    switch (frame.event) {
      case 'phx_leave':
        this.reply(frame, 'ok', {});
        this.close();
        return;
      case 'access_token':
        await this.updateToken(asRecord(frame.payload).access_token);
        return;
      case 'broadcast': {
        const payload = asRecord(frame.payload);
        if (typeof payload.event !== 'string') return;
        const value = payload.payload ?? {};
        // The depth is bounded, so encoding to measure is safe.
        await this.broadcast({ ...frame, event: payload.event, payload: { json: true, value }, size: jsonBytes(value) });
        return;
      }
      case 'presence':
        await this.presence(frame);
        return;
      default:
        return;
    }
  }

  /** A user broadcast, from a kind-3 binary frame or a text `broadcast` push (`size`: its payload's bytes). */
  async broadcast(push: Pick<BinaryBroadcastPush, 'ref' | 'joinRef' | 'event' | 'payload' | 'size' | 'refused'>): Promise<void> {
    if (push.refused !== undefined) {
      this.refuse(push, true, push.refused);
      return;
    }
    // Private channels without write permission are silent, as on Supabase: the sender's ack times out.
    if (this.config.isPrivate && !(await this.mayWrite('broadcast'))) return;
    if (push.size > MAX_PAYLOAD_BYTES) {
      // Realtime's BroadcastHandler replies `{:error, :payload_size_exceeded}`, and only with ack.
      if (this.config.broadcastAck) this.reply(push, 'error', 'payload_size_exceeded');
      return;
    }
    const payload: BroadcastPayload = push.payload;
    this.host.context.hub.broadcast(this.hubTopic, { event: push.event, payload, binary: true }, this.config.broadcastSelf ? undefined : this);
    if (this.config.broadcastAck) this.reply(push, 'ok', {});
  }

  /**
   * Answers a push whose payload was refused at the door (SUPABASE-WIRE has no such case: hosted
   * Realtime parses any depth). Broadcasts without ack get no reply, as no broadcast without ack does.
   */
  private refuse(frame: Pick<Frame, 'ref' | 'joinRef'>, isBroadcast: boolean, reason: string): void {
    this.host.context.log(`realtime: refused a push on ${this.topic}: ${reason}`);
    if (!isBroadcast || this.config.broadcastAck) this.reply(frame, 'error', { reason });
  }

  private async presence(frame: ReceivedFrame): Promise<void> {
    const payload = asRecord(frame.payload);
    if (this.config.isPrivate && !(await this.mayWrite('presence'))) {
      this.reply(frame, 'error', { reason: 'You do not have permissions to track presence on this Channel topic' });
      return;
    }
    if (payload.event === 'track') {
      const meta = payload.payload;
      if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
        this.reply(frame, 'error', { reason: 'Presence track payload must be a map' });
        return;
      }
      if (jsonBytes(meta) > MAX_PAYLOAD_BYTES) {
        this.shutdown('Track message size exceeded');
        return;
      }
      // Tracking on a channel joined without presence turns presence on for it.
      this.presenceOn = true;
      this.host.context.hub.track(this, this.presenceKeyValue, meta as Record<string, unknown>);
      this.reply(frame, 'ok', {});
    } else if (payload.event === 'untrack') {
      this.host.context.hub.untrack(this);
      this.reply(frame, 'ok', {});
    }
  }

  private async updateToken(token: unknown): Promise<void> {
    if (typeof token !== 'string' || token.startsWith('sb_') || token === this.currentToken) return;
    const checked = await checkToken(this.host.context.jwtSecret, token);
    if (!checked.ok) {
      this.shutdown(checked.message);
      return;
    }
    const couldRead = this.config.isPrivate;
    this.currentClaims = checked.claims;
    this.currentToken = token;
    this.writable.clear();
    if (couldRead) {
      const wanted: Extension[] = this.config.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
      const readable = await readPermissions(this.host.context.pool, checked.claims, this.name, wanted);
      if (readable.size === 0) {
        this.shutdown(`You no longer have permission to read from this Channel topic: ${this.name}`);
        return;
      }
    }
    this.scheduleTokenCheck();
    await this.subscribeChanges();
  }

  private async subscribeChanges(): Promise<void> {
    if (this.bindings.length === 0 || this.closed) return;
    const error = await this.host.context.feed.subscribe(this, this.bindings);
    if (!this.closed) this.pushSubscribed(error);
  }

  private pushSubscribed(error: string | null): void {
    this.push('system', {
      extension: 'postgres_changes',
      status: error === null ? 'ok' : 'error',
      message: error ?? 'Subscribed to PostgreSQL',
      channel: this.name,
    });
  }

  private async mayWrite(extension: Extension): Promise<boolean> {
    let allowed = this.writable.get(extension);
    if (allowed === undefined) {
      allowed = await canWrite(this.host.context.pool, this.currentClaims, this.name, extension);
      this.writable.set(extension, allowed);
    }
    return allowed;
  }

  /** Re-checks the token when it expires (at least every 5 minutes), like Realtime's watchdog. */
  private scheduleTokenCheck(): void {
    clearTimeout(this.watchdog);
    const exp = this.currentClaims.exp;
    if (typeof exp !== 'number') return;
    const delay = Math.min(TOKEN_CHECK_MAX_MS, Math.max(0, exp * 1000 - Date.now()));
    this.watchdog = setTimeout(() => {
      try {
        if (Date.now() >= exp * 1000) this.shutdown(expiredMessage(exp));
        else this.scheduleTokenCheck();
      } catch (error) {
        this.crash(error);
      }
    }, delay);
    this.watchdog.unref();
  }

  /** Server-side stop: a `system` error, then `phx_close`; the client does not rejoin. */
  shutdown(message: string): void {
    if (this.closed) return;
    this.push('system', { extension: 'system', status: 'error', message, channel: this.name });
    this.close();
  }

  /**
   * An unexpected failure in this channel's handling. Like a crashed channel process in Realtime
   * it ends with `phx_error` (the client rejoins), and the socket and its other channels go on.
   * Never throws: it is the last line of containment.
   */
  crash(error: unknown, notify = true): void {
    try {
      this.host.context.log(`realtime: channel ${this.topic} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (this.closed) return;
      if (notify) this.host.send({ joinRef: this.joinRef, ref: this.joinRef, topic: this.topic, event: 'phx_error', payload: {} });
    } catch {
      // Logging or sending failed too; the cleanup below still runs.
    }
    try {
      this.close(false);
    } catch (closeError) {
      this.host.context.log(`realtime: closing crashed channel ${this.topic} failed: ${closeError instanceof Error ? closeError.message : String(closeError)}`);
    }
  }

  /** Ends the channel with `phx_close` (ref = join_ref, so the client accepts it). */
  close(notify = true): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.watchdog);
    this.host.context.hub.leave(this);
    this.host.context.feed.unsubscribe(this);
    this.host.forget(this);
    if (notify) this.host.send({ joinRef: this.joinRef, ref: this.joinRef, topic: this.topic, event: 'phx_close', payload: {} });
  }

  reply(frame: Pick<Frame, 'ref' | 'joinRef'>, status: 'ok' | 'error', response: unknown): void {
    if (frame.ref === null) return;
    this.host.send({ joinRef: this.joinRef, ref: frame.ref, topic: this.topic, event: 'phx_reply', payload: { status, response } });
  }

  private push(event: string, payload: unknown, joinRef: string | null = this.joinRef): void {
    this.host.send({ joinRef, ref: null, topic: this.topic, event, payload });
  }
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

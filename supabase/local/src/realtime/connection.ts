import type { WebSocket } from 'ws';
import type { Claims } from '../keys.ts';
import { Channel, type ChannelHost, type RealtimeContext } from './channel.ts';
import { decodeBinary, decodeText, encodeText, FrameError, type Frame, type Vsn } from './serializer.ts';

/** Phoenix's WebSocket transport closes a socket that sent nothing for this long. */
export const IDLE_TIMEOUT_MS = 60_000;

/** One client socket: heartbeats, idle timeout, and the channels joined on it. */
export class Connection implements ChannelHost {
  private readonly channels = new Map<string, Channel>();
  /** Frames are handled one at a time, in arrival order, as a Phoenix socket process does. */
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    readonly apikeyClaims: Claims,
    readonly context: RealtimeContext,
    private readonly idleTimeoutMs: number = IDLE_TIMEOUT_MS,
  ) {
    this.idleTimer = this.armIdleTimer();
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('close', () => this.teardown());
    ws.on('error', () => this.teardown());
  }

  send(frame: Frame): void {
    this.sendRaw(encodeText(this.vsn, frame));
  }

  sendRaw(data: string | Buffer): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(data);
  }

  forget(channel: Channel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
  }

  get channelCount(): number {
    return this.channels.size;
  }

  close(code = 1001, reason = 'server shutting down'): void {
    this.ws.close(code, reason);
    this.teardown();
  }

  private receive(data: Buffer, isBinary: boolean): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = this.armIdleTimer();
    try {
      if (isBinary) {
        const push = decodeBinary(data);
        this.enqueue(async () => {
          const channel = this.channelFor(push);
          if (channel) await channel.broadcast(push, push.event, push.payload);
        });
        return;
      }
      const frame = decodeText(this.vsn, data.toString('utf8'));
      if (frame.topic === 'phoenix' && frame.event === 'heartbeat') {
        this.send({ joinRef: null, ref: frame.ref, topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} } });
        return;
      }
      this.enqueue(() => this.dispatch(frame));
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      this.context.log(`realtime: dropped a malformed frame: ${error.message}`);
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.context.log(`realtime: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    });
  }

  private async dispatch(frame: Frame): Promise<void> {
    if (this.closed) return;
    if (frame.event === 'phx_join') {
      // A second join of a joined topic replaces the old channel, which hears phx_close.
      this.channels.get(frame.topic)?.close();
      const joined = await Channel.join(this, frame);
      if (typeof joined === 'string') {
        this.send({ joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: 'phx_reply', payload: { status: 'error', response: { reason: joined } } });
        return;
      }
      if (this.closed) joined.close(false);
      else this.channels.set(frame.topic, joined);
      return;
    }
    const channel = this.channelFor(frame);
    if (channel === undefined) {
      if (frame.ref !== null && this.channels.get(frame.topic) === undefined) {
        this.send({ joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: 'phx_reply', payload: { status: 'error', response: { reason: 'unmatched topic' } } });
      }
      return;
    }
    await channel.handle(frame);
  }

  /** The joined channel a frame is for; frames carrying a stale join_ref are ignored. */
  private channelFor(frame: { topic: string; joinRef: string | null }): Channel | undefined {
    const channel = this.channels.get(frame.topic);
    if (!channel) return undefined;
    if (frame.joinRef !== null && frame.joinRef !== channel.joinRef) return undefined;
    return channel;
  }

  private armIdleTimer(): NodeJS.Timeout {
    const timer = setTimeout(() => this.close(1000, 'idle timeout'), this.idleTimeoutMs);
    timer.unref();
    return timer;
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const channel of [...this.channels.values()]) channel.close(false);
    this.channels.clear();
  }
}

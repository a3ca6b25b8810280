import type { WebSocket } from 'ws';
import type { Claims } from '../keys.ts';
import { Channel, type ChannelHost, type RealtimeContext } from './channel.ts';
import { decodeBinary, decodeText, encodeText, FrameError, type Frame, type ReceivedFrame, type Vsn } from './serializer.ts';

/** Phoenix's WebSocket transport closes a socket that sent nothing for this long. */
export const IDLE_TIMEOUT_MS = 60_000;
/** Realtime's default `max_channels_per_client`. */
export const MAX_CHANNELS_PER_SOCKET = 100;

/**
 * One client socket: heartbeats, idle timeout, and the channels joined on it. Whatever goes wrong
 * while handling one frame stays with its channel (which crashes with `phx_error`) or, failing
 * that, with this socket (closed with 1011); it never reaches the process or other sockets.
 */
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
    // ws reports a frame over maxPayload here, after closing the socket with 1009.
    ws.on('error', (error) => {
      this.context.log(`realtime: socket error: ${error.message}`);
      this.teardown();
    });
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

  /** The last resort when handling failed outside any channel: this socket ends, nothing else. */
  private fail(error: unknown): void {
    this.context.log(`realtime: closing a socket after an unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    try {
      this.close(1011, 'internal error');
    } catch {
      this.ws.terminate();
    }
  }

  private receive(data: Buffer, isBinary: boolean): void {
    try {
      clearTimeout(this.idleTimer);
      this.idleTimer = this.armIdleTimer();
      if (isBinary) {
        const push = decodeBinary(data);
        this.enqueue(async () => {
          const channel = this.channelFor(push);
          if (channel) await contained(channel, () => channel.broadcast(push));
        });
        return;
      }
      const frame = decodeText(this.vsn, data.toString('utf8'));
      if (frame.topic === 'phoenix' && frame.event === 'heartbeat') {
        const payload = frame.refused === undefined ? { status: 'ok', response: {} } : { status: 'error', response: { reason: frame.refused } };
        this.send({ joinRef: null, ref: frame.ref, topic: 'phoenix', event: 'phx_reply', payload });
        return;
      }
      this.enqueue(() => this.dispatch(frame));
    } catch (error) {
      if (error instanceof FrameError) this.context.log(`realtime: dropped a malformed frame: ${error.message}`);
      else this.fail(error);
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error: unknown) => this.fail(error));
  }

  private async dispatch(frame: ReceivedFrame): Promise<void> {
    if (this.closed) return;
    if (frame.event === 'phx_join') {
      await this.join(frame);
      return;
    }
    const channel = this.channelFor(frame);
    if (channel === undefined) {
      if (frame.ref !== null && this.channels.get(frame.topic) === undefined) {
        this.send({ joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: 'phx_reply', payload: { status: 'error', response: { reason: 'unmatched topic' } } });
      }
      return;
    }
    await contained(channel, () => channel.handle(frame));
  }

  private async join(frame: ReceivedFrame): Promise<void> {
    // A second join of a joined topic replaces the old channel, which hears phx_close.
    const previous = this.channels.get(frame.topic);
    previous?.close();
    const tooMany = previous === undefined && this.channels.size >= MAX_CHANNELS_PER_SOCKET ? 'ChannelRateLimitReached: Too many channels' : undefined;
    const joined = frame.refused ?? tooMany ?? await Channel.join(this, frame).catch((error: unknown) => {
      // A failure before the channel existed (the database unreachable for the read check).
      this.context.log(`realtime: join of ${frame.topic} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return 'Unknown Error on Channel';
    });
    if (typeof joined === 'string') {
      this.send({ joinRef: frame.joinRef, ref: frame.ref, topic: frame.topic, event: 'phx_reply', payload: { status: 'error', response: { reason: joined } } });
      return;
    }
    if (joined === null) return;
    if (this.closed) joined.close(false);
    else this.channels.set(frame.topic, joined);
  }

  /** The joined channel a frame is for; frames carrying a stale join_ref are ignored. */
  private channelFor(frame: { topic: string; joinRef: string | null }): Channel | undefined {
    const channel = this.channels.get(frame.topic);
    if (!channel) return undefined;
    if (frame.joinRef !== null && frame.joinRef !== channel.joinRef) return undefined;
    return channel;
  }

  private armIdleTimer(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      try {
        this.close(1000, 'idle timeout');
      } catch (error) {
        this.fail(error);
      }
    }, this.idleTimeoutMs);
    timer.unref();
    return timer;
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.idleTimer);
    // Runs inside ws's 'close' event: a throw here would reach the process.
    for (const channel of [...this.channels.values()]) {
      try {
        channel.close(false);
      } catch (error) {
        channel.crash(error, false);
      }
    }
    this.channels.clear();
  }
}

/** Runs one channel's handling of a push; a failure crashes that channel only. */
async function contained(channel: Channel, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    channel.crash(error);
  }
}

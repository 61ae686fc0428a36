/**
 * One websocket (a Phoenix socket): decodes frames for its protocol version, answers
 * heartbeats, routes channel messages and serialises everything the channels send.
 */
import type { RawData, WebSocket } from 'ws';
import { Channel, type ChannelTransport, type RealtimeServices } from './channel.ts';
import {
  decodeBinary,
  decodeText,
  encodeText,
  encodeUserBroadcast,
  ProtocolError,
  userBroadcastAsJson,
  type Frame,
  type UserBroadcast,
  type Vsn,
} from './protocol.ts';

/** Phoenix drops a socket that has sent nothing (not even a heartbeat) for this long. */
const IDLE_TIMEOUT_MS = 60_000;

export class Connection implements ChannelTransport {
  private readonly channels = new Map<string, Channel>();
  /** Frames are handled one at a time, in order, as a channel process would. */
  private queue: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: WebSocket,
    readonly vsn: Vsn,
    readonly connectToken: string,
    private readonly services: RealtimeServices,
  ) {
    socket.on('message', (data, isBinary) => {
      this.resetIdle();
      this.queue = this.queue
        .then(() => this.receive(data, isBinary))
        .catch((error) => services.ctx.log.error('realtime frame failed', error));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
    this.resetIdle();
  }

  private resetIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.socket.close(1000, 'heartbeat timeout'), IDLE_TIMEOUT_MS);
    this.idleTimer.unref();
  }

  private async receive(data: RawData, isBinary: boolean): Promise<void> {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    try {
      if (isBinary) {
        if (this.vsn !== '2.0.0') throw new ProtocolError('binary frames need vsn 2.0.0');
        const frame = decodeBinary(buffer);
        const channel = this.memberChannel(frame.topic, frame.joinRef, frame.ref);
        await channel?.handleBroadcast(frame.ref, null, frame.broadcast);
        return;
      }
      await this.route(decodeText(this.vsn, buffer.toString('utf8')));
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      // Phoenix closes sockets that speak garbage.
      this.services.ctx.log.warn(`closing socket: ${error.message}`);
      this.socket.close(1003, error.message);
    }
  }

  private async route(frame: Frame): Promise<void> {
    if (frame.topic === 'phoenix' && frame.event === 'heartbeat') {
      this.reply('phoenix', null, frame.ref, 'ok', {});
      return;
    }
    if (frame.event === 'phx_join') return this.join(frame);
    const channel = this.memberChannel(frame.topic, frame.joinRef, frame.ref);
    await channel?.handle(frame.event, frame.ref, frame.payload);
  }

  private async join(frame: Frame): Promise<void> {
    if (!frame.topic.startsWith('realtime:')) {
      this.reply(frame.topic, frame.joinRef, frame.ref, 'error', { reason: 'unmatched topic' });
      return;
    }
    // Joining a topic already joined on this socket replaces the old channel (Phoenix closes it).
    const existing = this.channels.get(frame.topic);
    if (existing) existing.close();
    const joinRef = frame.joinRef ?? frame.ref ?? '';
    const channel = await Channel.join(frame.topic, joinRef, frame.ref, frame.payload, this, this.services);
    if (!channel) return;
    if (this.socket.readyState !== this.socket.OPEN) {
      channel.teardown();
      return;
    }
    this.channels.set(frame.topic, channel);
  }

  /** The channel a message belongs to; Phoenix answers messages for unjoined topics with `unmatched topic`. */
  private memberChannel(topic: string, joinRef: string | null, ref: string | null): Channel | null {
    const channel = this.channels.get(topic);
    if (!channel || (joinRef !== null && joinRef !== channel.joinRef)) {
      this.reply(topic, joinRef, ref, 'error', { reason: 'unmatched topic' });
      return null;
    }
    return channel;
  }

  // ChannelTransport ----------------------------------------------------------------------

  push(topic: string, joinRef: string, event: string, payload: unknown): void {
    this.send({ joinRef, ref: null, topic, event, payload });
  }

  fastlane(topic: string, event: string, payload: unknown): void {
    this.send({ joinRef: null, ref: null, topic, event, payload });
  }

  userBroadcast(topic: string, broadcast: UserBroadcast): void {
    if (this.vsn === '2.0.0') {
      this.sendRaw(encodeUserBroadcast(topic, broadcast));
      return;
    }
    // A vsn 1.0.0 socket cannot carry raw bytes; JSON payloads go as an ordinary broadcast.
    const json = userBroadcastAsJson(broadcast);
    if (json) this.fastlane(topic, 'broadcast', json);
  }

  reply(topic: string, joinRef: string | null, ref: string | null, status: 'ok' | 'error', response: unknown): void {
    this.send({ joinRef, ref, topic, event: 'phx_reply', payload: { status, response } });
  }

  closed(channel: Channel): void {
    if (this.channels.get(channel.topic) === channel) this.channels.delete(channel.topic);
    this.send({
      joinRef: channel.joinRef,
      ref: channel.joinRef,
      topic: channel.topic,
      event: 'phx_close',
      payload: {},
    });
  }

  private send(frame: Frame): void {
    this.sendRaw(encodeText(this.vsn, frame));
  }

  private sendRaw(data: string | Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data);
  }

  private dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const channel of this.channels.values()) channel.teardown();
    this.channels.clear();
  }
}

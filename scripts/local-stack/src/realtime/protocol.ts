/**
 * Phoenix channel frames as Realtime speaks them (spec §5.2): vsn 1.0.0 sends JSON objects,
 * vsn 2.0.0 JSON arrays plus two binary kinds for user broadcasts (3 client → server,
 * 4 server → client). Everything here is pure: bytes in, frames out.
 */

export type Vsn = '1.0.0' | '2.0.0';

export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A broadcast sent as a binary kind-3 frame: the payload stays bytes until someone needs JSON. */
export interface UserBroadcast {
  event: string;
  encoding: 'json' | 'binary';
  payload: Buffer;
  /** Allowed metadata keys the client attached (e.g. `persist`); not forwarded. */
  metadata?: Record<string, unknown>;
}

export interface UserBroadcastFrame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  broadcast: UserBroadcast;
}

export class ProtocolError extends Error {}

export function parseVsn(value: string | null): Vsn | null {
  // Phoenix defaults to the V1 serializer when the client names no version.
  if (value === null || value === '' || value === '1.0.0') return '1.0.0';
  if (value === '2.0.0') return '2.0.0';
  return null;
}

const asRef = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function decodeText(vsn: Vsn, text: string): Frame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProtocolError('frame is not JSON');
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5) throw new ProtocolError('vsn 2.0.0 frames are 5-element arrays');
    const [joinRef, ref, topic, event, payload] = parsed as unknown[];
    if (typeof topic !== 'string' || typeof event !== 'string')
      throw new ProtocolError('topic and event must be strings');
    return { joinRef: asRef(joinRef), ref: asRef(ref), topic, event, payload };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ProtocolError('vsn 1.0.0 frames are JSON objects');
  const message = parsed as Record<string, unknown>;
  if (typeof message.topic !== 'string' || typeof message.event !== 'string')
    throw new ProtocolError('topic and event must be strings');
  return {
    joinRef: asRef(message.join_ref),
    ref: asRef(message.ref),
    topic: message.topic,
    event: message.event,
    payload: message.payload,
  };
}

const KIND_USER_BROADCAST_PUSH = 3;
const KIND_USER_BROADCAST = 4;
const ENCODING_BINARY = 0;
const ENCODING_JSON = 1;

/** Decodes a kind-3 `userBroadcastPush` frame (the only binary frame clients send). */
export function decodeBinary(data: Buffer): UserBroadcastFrame {
  if (data.length < 7 || data[0] !== KIND_USER_BROADCAST_PUSH)
    throw new ProtocolError(`unsupported binary frame kind ${data[0]}`);
  const [joinRefLength, refLength, topicLength, eventLength, metadataLength, encoding] = [
    data[1],
    data[2],
    data[3],
    data[4],
    data[5],
    data[6],
  ];
  let offset = 7;
  const take = (length: number): Buffer => {
    if (offset + length > data.length) throw new ProtocolError('binary frame shorter than its header says');
    const slice = data.subarray(offset, offset + length);
    offset += length;
    return slice;
  };
  const joinRef = take(joinRefLength).toString('utf8');
  const ref = take(refLength).toString('utf8');
  const topic = take(topicLength).toString('utf8');
  const event = take(eventLength).toString('utf8');
  const metadataText = take(metadataLength).toString('utf8');
  const payload = Buffer.from(data.subarray(offset));
  let metadata: Record<string, unknown> | undefined;
  if (metadataText) {
    try {
      metadata = JSON.parse(metadataText) as Record<string, unknown>;
    } catch {
      throw new ProtocolError('binary frame metadata is not JSON');
    }
  }
  return {
    joinRef: joinRef || null,
    ref: ref || null,
    topic,
    broadcast: { event, encoding: encoding === ENCODING_JSON ? 'json' : 'binary', payload, metadata },
  };
}

/** Serialises a frame as text for the socket's protocol version. */
export function encodeText(vsn: Vsn, frame: Frame): string {
  if (vsn === '2.0.0') return JSON.stringify([frame.joinRef, frame.ref, frame.topic, frame.event, frame.payload]);
  // Phoenix's V1 serializer emits only these four keys.
  return JSON.stringify({ topic: frame.topic, event: frame.event, payload: frame.payload, ref: frame.ref });
}

/** Kind-4 `userBroadcast` frame, what the real server sends vsn 2.0.0 clients for binary-pushed broadcasts. */
export function encodeUserBroadcast(topic: string, broadcast: UserBroadcast): Buffer {
  const topicBytes = Buffer.from(topic, 'utf8');
  const eventBytes = Buffer.from(broadcast.event, 'utf8');
  if (topicBytes.length > 255 || eventBytes.length > 255)
    throw new ProtocolError('topic or event longer than 255 bytes');
  const header = Buffer.from([
    KIND_USER_BROADCAST,
    topicBytes.length,
    eventBytes.length,
    0, // metadata length: the server forwards none
    broadcast.encoding === 'json' ? ENCODING_JSON : ENCODING_BINARY,
  ]);
  return Buffer.concat([header, topicBytes, eventBytes, broadcast.payload]);
}

/** The JSON form of a user broadcast (`{type, event, payload}`), for vsn 1.0.0 sockets; null when the payload is raw bytes. */
export function userBroadcastAsJson(broadcast: UserBroadcast): Record<string, unknown> | null {
  if (broadcast.encoding !== 'json') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(broadcast.payload.toString('utf8'));
  } catch {
    return null;
  }
  return { type: 'broadcast', event: broadcast.event, payload };
}

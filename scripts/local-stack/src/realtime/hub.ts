/**
 * Who is on which topic, in this process: the fan-out for broadcast and the presence
 * tracker (what Phoenix.PubSub and Phoenix.Presence do for the real server). Public and
 * private channels with the same name are different topics, as upstream.
 */
import { randomBytes } from 'node:crypto';
import type { UserBroadcast } from './protocol.ts';

export interface Member {
  readonly id: string;
  readonly topicKey: string;
  canReadBroadcast(): boolean;
  canReadPresence(): boolean;
  /** A server broadcast on the topic (`join_ref` null). */
  fastlane(event: string, payload: unknown): void;
  userBroadcast(broadcast: UserBroadcast): void;
}

export type PresenceMeta = Record<string, unknown> & { phx_ref: string; phx_ref_prev?: string };
export type PresenceState = Record<string, { metas: PresenceMeta[] }>;

interface Tracked {
  key: string;
  meta: PresenceMeta;
}

export const topicKey = (topic: string, isPrivate: boolean) => `${isPrivate ? 'private' : 'public'}|${topic}`;

/** Phoenix.Presence refs are opaque base64 strings. */
const presenceRef = () => randomBytes(9).toString('base64url');

export class Hub {
  private readonly topics = new Map<string, Set<Member>>();
  private readonly presence = new Map<string, Map<string, Tracked>>();

  join(member: Member): void {
    let members = this.topics.get(member.topicKey);
    if (!members) this.topics.set(member.topicKey, (members = new Set()));
    members.add(member);
  }

  /** The leaver is gone before its presence leave is announced, so only the others hear it. */
  leave(member: Member): void {
    const members = this.topics.get(member.topicKey);
    members?.delete(member);
    if (members?.size === 0) this.topics.delete(member.topicKey);
    this.untrack(member);
  }

  /** `{type:"broadcast", event, payload}` to every reader on the topic, the sender only when it asked for `self`. */
  broadcast(key: string, payload: unknown, except?: Member): void {
    for (const member of this.topics.get(key) ?? []) {
      if (member !== except && member.canReadBroadcast()) member.fastlane('broadcast', payload);
    }
  }

  userBroadcast(key: string, broadcast: UserBroadcast, except?: Member): void {
    for (const member of this.topics.get(key) ?? []) {
      if (member !== except && member.canReadBroadcast()) member.userBroadcast(broadcast);
    }
  }

  /** Tracks (or re-tracks, keeping the previous ref as `phx_ref_prev`) the member under `key`. */
  track(member: Member, key: string, payload: Record<string, unknown>): void {
    let tracked = this.presence.get(member.topicKey);
    if (!tracked) this.presence.set(member.topicKey, (tracked = new Map()));
    const previous = tracked.get(member.id);
    const meta: PresenceMeta = { ...payload, phx_ref: presenceRef() };
    if (previous) meta.phx_ref_prev = previous.meta.phx_ref;
    tracked.set(member.id, { key, meta });
    const leaves: PresenceState = previous ? { [previous.key]: { metas: [previous.meta] } } : {};
    this.presenceDiff(member.topicKey, { [key]: { metas: [meta] } }, leaves);
  }

  untrack(member: Member): void {
    const tracked = this.presence.get(member.topicKey);
    const previous = tracked?.get(member.id);
    if (!tracked || !previous) return;
    tracked.delete(member.id);
    if (tracked.size === 0) this.presence.delete(member.topicKey);
    this.presenceDiff(member.topicKey, {}, { [previous.key]: { metas: [previous.meta] } });
  }

  presenceState(key: string): PresenceState {
    const state: PresenceState = {};
    for (const { key: presenceKey, meta } of this.presence.get(key)?.values() ?? []) {
      (state[presenceKey] ??= { metas: [] }).metas.push(meta);
    }
    return state;
  }

  private presenceDiff(key: string, joins: PresenceState, leaves: PresenceState): void {
    for (const member of this.topics.get(key) ?? []) {
      if (member.canReadPresence()) member.fastlane('presence_diff', { joins, leaves });
    }
  }
}

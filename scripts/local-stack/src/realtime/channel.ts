/**
 * One joined `realtime:<name>` channel on one socket (RealtimeWeb.RealtimeChannel): join
 * checks, broadcast, presence, postgres_changes bindings, token refresh and shutdown.
 */
import { randomUUID } from 'node:crypto';
import type { StackContext } from '../context.ts';
import type { Claims } from '../lib/jwt.ts';
import { canWrite, readPolicies, type Extension } from './authorization.ts';
import type { ChangeData, PgBinding, PgSubscriber } from './dispatch.ts';
import { topicKey, type Hub, type Member } from './hub.ts';
import type { PostgresChanges } from './postgres-changes.ts';
import type { UserBroadcast } from './protocol.ts';
import {
  parseSubscriptionParams,
  subscriptionId,
  SubscriptionParamsError,
  type SubscriptionParams,
} from './subscriptions.ts';
import { projectKeys } from '../settings.ts';
import { joinErrorReason, TokenError, verifyRealtimeToken } from './tokens.ts';

export interface RealtimeServices {
  ctx: StackContext;
  hub: Hub;
  postgresChanges: PostgresChanges;
}

/** What a channel needs from its socket. */
export interface ChannelTransport {
  readonly connectToken: string;
  /** Server push on the channel (`join_ref` set, `ref` null). */
  push(topic: string, joinRef: string, event: string, payload: unknown): void;
  /** Server broadcast (`join_ref` and `ref` null). */
  fastlane(topic: string, event: string, payload: unknown): void;
  userBroadcast(topic: string, broadcast: UserBroadcast): void;
  reply(topic: string, joinRef: string | null, ref: string | null, status: 'ok' | 'error', response: unknown): void;
  /** Tells the client the channel is gone (`phx_close`, ref = join ref) and forgets it. */
  closed(channel: Channel): void;
}

export class JoinError extends Error {}

interface ParsedBinding {
  id: number;
  /** The params map exactly as the client sent it. */
  raw: Record<string, unknown>;
  params: SubscriptionParams | null;
  error: string | null;
}

type Policies = Record<Extension, { read: boolean; write: boolean | null }>;

const flag = (value: unknown) => value === true || value === 'true';
const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Realtime re-checks the token at least this often, and exactly when it expires. */
const CONFIRM_TOKEN_MS = 5 * 60_000;

export class Channel implements Member, PgSubscriber {
  readonly id = randomUUID();
  readonly topicKey: string;
  readonly subTopic: string;
  private parsed: ParsedBinding[] = [];
  private accessToken = '';
  private currentClaims: Claims = {};
  private policies: Policies | null = null;
  private confirmTimer: NodeJS.Timeout | null = null;
  private isNewApi = true;
  private selfBroadcast = false;
  private ackBroadcast = false;
  private presenceEnabled = false;
  private presenceKey = '';
  private subscribedToChanges = false;
  private changesProblem: string | null = null;
  /** Set once the join reply went out: events before it would reach a client that cannot route them. */
  private joined = false;
  private closed = false;

  private constructor(
    readonly topic: string,
    readonly joinRef: string,
    readonly isPrivate: boolean,
    private readonly transport: ChannelTransport,
    private readonly services: RealtimeServices,
  ) {
    this.topicKey = topicKey(topic, isPrivate);
    this.subTopic = topic.slice('realtime:'.length);
  }

  /** Runs the join checks, replies, and returns the channel; replies with the error and returns null when refused. */
  static async join(
    topic: string,
    joinRef: string,
    ref: string | null,
    payload: unknown,
    transport: ChannelTransport,
    services: RealtimeServices,
  ): Promise<Channel | null> {
    const params = asObject(payload);
    const config = asObject(params.config);
    const channel = new Channel(topic, joinRef, flag(config.private), transport, services);
    try {
      await channel.setUp(params, config);
    } catch (error) {
      channel.teardown();
      const reason = error instanceof JoinError ? error.message : 'Unknown Error on Channel';
      if (!(error instanceof JoinError)) services.ctx.log.error(`join ${topic} failed`, error);
      transport.reply(topic, joinRef, ref, 'error', { reason });
      return null;
    }
    // Each params map goes back exactly as the client sent it, plus the id its events will carry.
    const postgresChanges = channel.isNewApi
      ? channel.parsed.map((binding) => ({ ...binding.raw, id: binding.id }))
      : [];
    transport.reply(topic, joinRef, ref, 'ok', { postgres_changes: postgresChanges });
    channel.joined = true;
    channel.afterJoin(config);
    return channel;
  }

  private async setUp(params: Record<string, unknown>, config: Record<string, unknown>): Promise<void> {
    if (this.subTopic === '') throw new JoinError('TopicNameRequired: You must provide a topic name');
    this.isNewApi = 'config' in params;
    const broadcast = asObject(config.broadcast);
    const presence = asObject(config.presence);
    this.selfBroadcast = flag(broadcast.self);
    this.ackBroadcast = flag(broadcast.ack);
    this.presenceEnabled = flag(presence.enabled);
    this.presenceKey = typeof presence.key === 'string' && presence.key !== '' ? presence.key : randomUUID();

    const token = params.access_token ?? params.user_token;
    // Opaque sb_ keys (and no token at all) fall back to the key the socket connected with.
    this.accessToken = typeof token === 'string' && !token.startsWith('sb_') ? token : this.transport.connectToken;
    await this.confirmToken();

    if (this.isPrivate) await this.authorizeRead();
    this.parsed = this.parseBindings(params);
    this.services.hub.join(this);
    // The slot must exist before the client hears "ok", or a change made right after would be missed.
    if (this.parsed.length) this.changesProblem = await this.subscribeToChanges();
  }

  private parseBindings(params: Record<string, unknown>): ParsedBinding[] {
    if (this.isNewApi) return postgresChangesParams(params).map(parseBinding);
    // Legacy clients (no `config`) name the table in the topic: realtime:<schema>[:<table>[:<filter>]].
    const [schema, table, filter] = splitLegacyTopic(this.subTopic);
    const legacy: Record<string, unknown> = { schema };
    if (table !== undefined) legacy.table = table;
    if (filter !== undefined) legacy.filter = filter;
    return [parseBinding(legacy)];
  }

  /** The pushes that follow a successful join reply. */
  private afterJoin(config: Record<string, unknown>): void {
    if (this.presenceEnabled && this.canReadPresence())
      this.push('presence_state', this.services.hub.presenceState(this.topicKey));
    if (flag(asObject(config.broadcast).replication_ready)) {
      this.pushSystem('system', 'ok', 'Replication connection established');
    }
    if (this.parsed.length) {
      this.pushSystem(
        'postgres_changes',
        this.changesProblem ? 'error' : 'ok',
        this.changesProblem ?? 'Subscribed to PostgreSQL',
      );
    }
  }

  /** Subscribes the bindings; returns the problem to report, or null. A bad binding does not fail the join. */
  private async subscribeToChanges(): Promise<string | null> {
    const invalid = this.parsed.find((binding) => binding.error !== null);
    if (invalid?.error) return invalid.error;
    try {
      const problem = await this.services.postgresChanges.subscribe(this);
      this.subscribedToChanges = problem === null;
      return problem;
    } catch (error) {
      this.services.ctx.log.error(`postgres_changes for ${this.topic} failed`, error);
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Verifies the current access token and schedules the next check (at expiry at the latest). */
  private async confirmToken(): Promise<void> {
    let claims: Claims;
    try {
      claims = await verifyRealtimeToken(
        this.accessToken,
        projectKeys(this.services.ctx.config, this.services.ctx.settings),
      );
    } catch (error) {
      if (error instanceof TokenError) throw new JoinError(joinErrorReason(error));
      throw error;
    }
    this.currentClaims = claims;
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    const untilExpiry = Number(claims.exp) * 1000 - Date.now();
    this.confirmTimer = setTimeout(
      () => void this.recheckToken(),
      Math.max(0, Math.min(CONFIRM_TOKEN_MS, untilExpiry)),
    );
    this.confirmTimer.unref();
  }

  private async recheckToken(): Promise<void> {
    if (this.closed) return;
    try {
      await this.confirmToken();
    } catch (error) {
      this.shutdown(
        error instanceof TokenError
          ? error.message
          : error instanceof JoinError
            ? stripCode(error.message)
            : String(error),
      );
    }
  }

  private async authorizeRead(): Promise<void> {
    const extensions: Extension[] = this.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
    let read: Record<Extension, boolean>;
    try {
      read = await readPolicies(this.services.ctx.db, this.subTopic, this.currentClaims, extensions);
    } catch (error) {
      this.services.ctx.log.error(`private channel policies for ${this.topic}`, error);
      read = { broadcast: false, presence: false };
    }
    this.policies = {
      broadcast: { read: read.broadcast, write: null },
      presence: { read: read.presence, write: null },
    };
    if (!read.broadcast && !read.presence) {
      throw new JoinError(
        `Unauthorized: You do not have permissions to read from this Channel topic: ${this.subTopic}`,
      );
    }
  }

  // Member -------------------------------------------------------------------------------

  canReadBroadcast(): boolean {
    return !this.policies || this.policies.broadcast.read;
  }

  canReadPresence(): boolean {
    return !this.policies || this.policies.presence.read;
  }

  fastlane(event: string, payload: unknown): void {
    this.transport.fastlane(this.topic, event, payload);
  }

  userBroadcast(broadcast: UserBroadcast): void {
    this.transport.userBroadcast(this.topic, broadcast);
  }

  // PgSubscriber --------------------------------------------------------------------------

  get bindings(): PgBinding[] {
    return this.parsed.flatMap(({ id, params }) => (params ? [{ id, params }] : []));
  }

  claims(): Claims {
    return this.currentClaims;
  }

  deliver(ids: number[], data: ChangeData): void {
    if (this.closed || !this.joined) return;
    if (this.isNewApi) this.fastlane('postgres_changes', { ids, data });
    else this.fastlane(data.type, data);
  }

  // Client messages -----------------------------------------------------------------------

  async handle(event: string, ref: string | null, payload: unknown): Promise<void> {
    switch (event) {
      case 'phx_leave':
        this.transport.reply(this.topic, this.joinRef, ref, 'ok', {});
        this.close();
        return;
      case 'access_token':
        return this.refreshToken(asObject(payload).access_token);
      case 'broadcast':
        return this.handleBroadcast(ref, payload);
      case 'presence':
        return this.handlePresence(ref, asObject(payload));
      default:
        // Realtime ignores unknown events (it only logs them).
        return;
    }
  }

  async handleBroadcast(ref: string | null, payload: unknown, binary?: UserBroadcast): Promise<void> {
    if (this.isPrivate && !(await this.mayWrite('broadcast'))) return;
    if (binary) this.services.hub.userBroadcast(this.topicKey, binary, this.selfBroadcast ? undefined : this);
    else this.services.hub.broadcast(this.topicKey, payload, this.selfBroadcast ? undefined : this);
    if (this.ackBroadcast) this.transport.reply(this.topic, this.joinRef, ref, 'ok', {});
  }

  private async handlePresence(ref: string | null, payload: Record<string, unknown>): Promise<void> {
    const event = typeof payload.event === 'string' ? payload.event.toLowerCase() : '';
    if (event === 'track') {
      const meta = payload.payload ?? {};
      if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
        this.transport.reply(this.topic, this.joinRef, ref, 'error', {
          reason: 'Presence track payload must be a map',
        });
        return;
      }
      if (this.isPrivate && !(await this.mayWrite('presence'))) {
        this.transport.reply(this.topic, this.joinRef, ref, 'error', {});
        return;
      }
      this.presenceEnabled = true;
      this.services.hub.track(this, this.presenceKey, meta as Record<string, unknown>);
    } else if (event === 'untrack') {
      this.services.hub.untrack(this);
    } else {
      this.transport.reply(this.topic, this.joinRef, ref, 'error', {});
      return;
    }
    this.transport.reply(this.topic, this.joinRef, ref, 'ok', {});
  }

  private async mayWrite(extension: Extension): Promise<boolean> {
    const policy = this.policies?.[extension];
    if (!policy) return true;
    if (policy.write === null) {
      policy.write = await canWrite(this.services.ctx.db, this.subTopic, this.currentClaims, extension).catch(
        () => false,
      );
      // Tracking on a private channel authorises presence reads on demand, as upstream does.
      if (extension === 'presence' && !policy.read) {
        const read = await readPolicies(this.services.ctx.db, this.subTopic, this.currentClaims, ['presence']).catch(
          () => ({ presence: false }),
        );
        policy.read = read.presence;
      }
    }
    return policy.write;
  }

  private async refreshToken(token: unknown): Promise<void> {
    // sb_ keys, nulls and the token already in use change nothing.
    if (typeof token !== 'string' || token.startsWith('sb_') || token === this.accessToken) return;
    const previousRead = this.policies ? { ...this.policies } : null;
    this.accessToken = token;
    try {
      await this.confirmToken();
      if (this.isPrivate && previousRead) {
        await this.authorizeRead().catch(() => undefined);
        const revoked = (['broadcast', 'presence'] as const).some(
          (ext) => previousRead[ext].read && !this.policies?.[ext].read,
        );
        if (revoked) this.shutdown(`You no longer have permission to read from this Channel topic: ${this.subTopic}`);
      }
    } catch (error) {
      this.shutdown(error instanceof JoinError ? stripCode(error.message) : String(error));
    }
  }

  // Lifecycle -----------------------------------------------------------------------------

  private push(event: string, payload: unknown): void {
    this.transport.push(this.topic, this.joinRef, event, payload);
  }

  private pushSystem(extension: string, status: 'ok' | 'error', message: string): void {
    this.push('system', { extension, status, message, channel: this.subTopic });
  }

  /** Realtime's shutdown_response: a system error, then the channel closes. */
  shutdown(message: string): void {
    if (this.closed) return;
    this.pushSystem('system', 'error', message);
    this.close();
  }

  /** Leaves the topic and tells the client (`phx_close`). */
  close(): void {
    if (this.closed) return;
    this.teardown();
    this.transport.closed(this);
  }

  /** Releases everything without telling the client (socket gone, or replaced by a re-join). */
  teardown(): void {
    this.closed = true;
    if (this.confirmTimer) clearTimeout(this.confirmTimer);
    this.services.hub.leave(this);
    if (this.subscribedToChanges) this.services.postgresChanges.unsubscribe(this);
    this.subscribedToChanges = false;
  }
}

function postgresChangesParams(params: Record<string, unknown>): Record<string, unknown>[] {
  const list = asObject(params.config).postgres_changes;
  return Array.isArray(list) ? list.filter((item) => item !== null && item !== undefined).map(asObject) : [];
}

/** A binding whose params do not parse still gets an id (the join succeeds); its error is pushed as `system`. */
function parseBinding(raw: Record<string, unknown>): ParsedBinding {
  const id = subscriptionId(raw);
  try {
    return { id, raw, params: parseSubscriptionParams(raw), error: null };
  } catch (error) {
    if (error instanceof SubscriptionParamsError) return { id, raw, params: null, error: error.message };
    throw error;
  }
}

function splitLegacyTopic(subTopic: string): [string, string | undefined, string | undefined] {
  const [schema, table, ...filter] = subTopic.split(':');
  return [schema, table, filter.length ? filter.join(':') : undefined];
}

const stripCode = (reason: string) => reason.replace(/^[A-Za-z]+: /, '');

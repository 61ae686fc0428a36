/**
 * Contract tests of the local Realtime server through the gateway, with real supabase-js
 * (both protocol versions) and raw websockets where the exact frames matter (spec §5).
 * Users are represented by JWTs minted with the project secret, exactly what GoTrue issues.
 */
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from '../src/lib/jwt.ts';
import { adminSql, config, signedInClient } from '../src/testing.ts';

type Vsn = '1.0.0' | '2.0.0';
type Payload = Record<string, unknown>;

const userA = randomUUID();
const userB = randomUUID();
const socketUrl = (apikey: string, vsn: Vsn) =>
  `${config.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${encodeURIComponent(apikey)}&vsn=${vsn}`;
const now = () => Math.floor(Date.now() / 1000);
const COMMIT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** How long a negative check waits for something that must not arrive. */
const QUIET_MS = 1_500;

function userToken(sub: string, expiresIn = 3600): Promise<string> {
  return signJwt(
    { sub, role: 'authenticated', aud: 'authenticated', iat: now(), exp: now() + expiresIn },
    config.jwtSecret,
  );
}

const clients: SupabaseClient[] = [];
const sockets: RawSocket[] = [];

/**
 * A supabase-js client whose Realtime connection runs as `token` (supabase-js' `accessToken`
 * option). The token is fetched before any channel joins: a join sent before it resolves
 * would carry only the anon key, on the real service as here.
 */
async function realtimeClient(token?: string, vsn?: Vsn): Promise<SupabaseClient> {
  const supabase = createClient(config.apiUrl, config.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(token ? { accessToken: async () => token } : {}),
    realtime: { transport: WebSocket as never, ...(vsn ? { vsn } : {}) },
  });
  clients.push(supabase);
  if (token) await supabase.realtime.setAuth();
  return supabase;
}

function subscribe(channel: RealtimeChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve();
      else reject(new Error(`${status}: ${error?.message ?? ''}`));
    });
  });
}

/** Resolves with the first status that is not SUBSCRIBED (and its error). */
function failedStatus(channel: RealtimeChannel): Promise<{ status: string; message: string }> {
  return new Promise((resolve) => {
    channel.subscribe((status, error) => {
      if (status !== 'SUBSCRIBED') resolve({ status, message: error?.message ?? '' });
    });
  });
}

/** Collects events and waits for them; `quiet` asserts nothing (more) arrives. */
class Inbox<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];
  push = (item: T): void => {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  };
  async next(match: (item: T) => boolean = () => true, timeoutMs = 8_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.items.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`nothing matching arrived within ${timeoutMs} ms; got ${JSON.stringify(this.items)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  async quiet(match: (item: T) => boolean = () => true, ms = QUIET_MS): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    expect(this.items.filter(match)).toEqual([]);
  }
}

/** A phx_join payload as supabase-js sends it for a public channel with presence off. */
function joinPayload(
  options: { broadcast?: { self: boolean; ack: boolean }; postgresChanges?: unknown[]; accessToken?: string } = {},
) {
  return {
    config: {
      broadcast: options.broadcast ?? { self: false, ack: false },
      presence: { key: '', enabled: false },
      postgres_changes: options.postgresChanges ?? [],
      private: false,
    },
    ...(options.accessToken ? { access_token: options.accessToken } : {}),
  };
}

/** A bare websocket speaking the Phoenix protocol, to see the exact frames. */
class RawSocket {
  readonly frames = new Inbox<{ text?: string; binary?: Buffer; json?: unknown }>();
  private constructor(
    readonly ws: WebSocket,
    readonly vsn: Vsn,
  ) {
    ws.on('message', (data, isBinary) => {
      const buffer = Buffer.from(data as Buffer);
      if (isBinary) this.frames.push({ binary: buffer });
      else this.frames.push({ text: buffer.toString('utf8'), json: JSON.parse(buffer.toString('utf8')) });
    });
  }

  static async open(apikey: string, vsn: Vsn): Promise<RawSocket> {
    const ws = new WebSocket(socketUrl(apikey, vsn));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const socket = new RawSocket(ws, vsn);
    sockets.push(socket);
    return socket;
  }

  send(joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown): void {
    this.ws.send(
      this.vsn === '2.0.0'
        ? JSON.stringify([joinRef, ref, topic, event, payload])
        : JSON.stringify({ topic, event, payload, ref, join_ref: joinRef }),
    );
  }

  /** The next text frame with this topic/event (and ref), normalised to {joinRef, ref, topic, event, payload}. */
  async expect(
    event: string,
    topic: string,
    ref?: string,
    match: (payload: Payload) => boolean = () => true,
  ): Promise<{ joinRef: unknown; ref: unknown; topic: string; event: string; payload: Payload; raw: unknown }> {
    const frame = await this.frames.next((f) => {
      const m = f.json === undefined ? null : this.normalise(f.json);
      return (
        m !== null && m.event === event && m.topic === topic && (ref === undefined || m.ref === ref) && match(m.payload)
      );
    });
    return { ...this.normalise(frame.json), raw: frame.json };
  }

  private normalise(json: unknown): { joinRef: unknown; ref: unknown; topic: string; event: string; payload: Payload } {
    if (Array.isArray(json)) {
      const [joinRef, ref, topic, event, payload] = json as [unknown, unknown, string, string, Payload];
      return { joinRef, ref, topic, event, payload };
    }
    const message = json as { topic: string; event: string; payload: Payload; ref: unknown; join_ref?: unknown };
    return {
      joinRef: message.join_ref,
      ref: message.ref,
      topic: message.topic,
      event: message.event,
      payload: message.payload,
    };
  }
}

/**
 * The HTTP answer to a websocket upgrade that was refused. `direct` asks Realtime itself: through
 * the gateway, a key that is not one of the project's never reaches it (Kong's key-auth).
 */
function refusedUpgrade(apikey: string, direct = false): Promise<{ status: number; body: string }> {
  const url = direct
    ? `ws://127.0.0.1:${config.ports.realtime}/socket/websocket?apikey=${encodeURIComponent(apikey)}&vsn=1.0.0`
    : socketUrl(apikey, '1.0.0');
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => reject(new Error('upgrade was accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
  });
}

/** Builds the binary kind-3 frame realtime-js sends for `channel.send({type:'broadcast'})` on vsn 2.0.0. */
function userBroadcastPush(joinRef: string, ref: string, topic: string, event: string, payload: unknown): Buffer {
  const parts = [joinRef, ref, topic, event, ''].map((part) => Buffer.from(part));
  const header = Buffer.from([3, ...parts.map((part) => part.length), 1]);
  return Buffer.concat([header, ...parts, Buffer.from(JSON.stringify(payload))]);
}

beforeAll(async () => {
  await adminSql(`
    create table public.rt_notes (
      id bigint generated always as identity primary key,
      owner uuid not null,
      body text,
      score integer,
      price numeric(10,2),
      tags text[],
      meta jsonb,
      done boolean not null default false,
      due_at timestamptz,
      noted_at timestamp default '2026-01-02 03:04:05'
    );
    alter table public.rt_notes replica identity full;
    alter table public.rt_notes enable row level security;
    create policy "owners read their notes" on public.rt_notes for select to authenticated using (owner = (select auth.uid()));
    grant select, insert, update, delete on public.rt_notes to authenticated;
    revoke all on public.rt_notes from anon;

    create table public.rt_items (id integer primary key, category text, qty integer, secret text);
    revoke all on public.rt_items from anon, authenticated;
    grant select (id, category, qty) on public.rt_items to anon;
    grant select on public.rt_items to authenticated;

    create table public.rt_unpublished (id integer primary key);

    alter publication supabase_realtime add table public.rt_notes, public.rt_items;

    create policy "members read their room" on realtime.messages for select to authenticated
      using (realtime.topic() = 'room-' || (select auth.uid())::text);
    create policy "members write their room" on realtime.messages for insert to authenticated
      with check (realtime.topic() = 'room-' || (select auth.uid())::text);
    notify pgrst, 'reload schema';
  `);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((supabase) => supabase.removeAllChannels()));
  for (const socket of sockets.splice(0)) socket.ws.terminate();
});

afterAll(async () => {
  await adminSql(`
    alter publication supabase_realtime drop table public.rt_notes, public.rt_items;
    drop table public.rt_notes, public.rt_items, public.rt_unpublished;
    drop policy "members read their room" on realtime.messages;
    drop policy "members write their room" on realtime.messages;
  `);
});

/** Inserts a note as the superuser (RLS does not apply to writers here; it decides who hears about it). */
async function insertNote(owner: string, body: string): Promise<number> {
  const [row] = await adminSql<{ id: string }>(
    `insert into public.rt_notes (owner, body, score, price, tags, meta, due_at)
     values ($1, $2, 7, 12.50, '{red,blue}', '{"a":{"b":[1,2]}}', '2026-03-04 05:06:07.123+00') returning id`,
    [owner, body],
  );
  return Number(row.id);
}

/** A note as insertNote writes it, the way Realtime sends the row (JSON types, timestamps as text). */
const insertedNote = (id: number, owner: string, body: string) => ({
  id,
  owner,
  body,
  score: 7,
  price: 12.5,
  tags: ['red', 'blue'],
  meta: { a: { b: [1, 2] } },
  done: false,
  due_at: '2026-03-04T05:06:07.123+00:00',
  noted_at: '2026-01-02T03:04:05',
});

describe('connection', () => {
  it('refuses an upgrade without a valid JWT with 401 and Realtime’s message', async () => {
    expect(await refusedUpgrade('not-a-jwt', true)).toEqual({
      status: 401,
      body: JSON.stringify({ error: 'The token provided is not a valid JWT' }),
    });
    const forged = await signJwt({ role: 'anon', exp: now() + 60 }, 'another-secret-that-is-at-least-32-characters');
    expect(await refusedUpgrade(forged, true)).toEqual({
      status: 401,
      body: JSON.stringify({ error: 'Failed to validate JWT signature' }),
    });
    const expired = await signJwt({ role: 'anon', exp: now() - 10 }, config.jwtSecret);
    expect(await refusedUpgrade(expired, true)).toEqual({
      status: 401,
      body: JSON.stringify({ error: 'Token has expired' }),
    });
    const noRole = await signJwt({ exp: now() + 60 }, config.jwtSecret);
    expect(await refusedUpgrade(noRole, true)).toEqual({
      status: 401,
      body: JSON.stringify({ error: 'Fields `role` and `exp` are required in JWT' }),
    });
    // Through the gateway, Kong's key-auth answers first.
    expect(await refusedUpgrade('not-a-jwt')).toEqual({
      status: 401,
      body: JSON.stringify({ message: 'Invalid authentication credentials' }),
    });
  });

  it('supabase-js with a bad key reports CHANNEL_ERROR', async () => {
    const supabase = createClient(config.apiUrl, 'not-a-jwt', {
      auth: { persistSession: false },
      realtime: { transport: WebSocket as never },
    });
    clients.push(supabase);
    const { status } = await failedStatus(supabase.channel('bad-key'));
    expect(status).toBe('CHANNEL_ERROR');
  });

  it('answers heartbeats on topic phoenix in both protocol versions', async () => {
    const v1 = await RawSocket.open(config.anonKey, '1.0.0');
    v1.send(null, '7', 'phoenix', 'heartbeat', {});
    expect((await v1.expect('phx_reply', 'phoenix', '7')).raw).toEqual({
      topic: 'phoenix',
      event: 'phx_reply',
      payload: { status: 'ok', response: {} },
      ref: '7',
    });
    const v2 = await RawSocket.open(config.anonKey, '2.0.0');
    v2.send(null, '8', 'phoenix', 'heartbeat', {});
    expect((await v2.expect('phx_reply', 'phoenix', '8')).raw).toEqual([
      null,
      '8',
      'phoenix',
      'phx_reply',
      { status: 'ok', response: {} },
    ]);
  });

  it('replies to phx_leave, then closes the channel', async () => {
    const socket = await RawSocket.open(config.anonKey, '2.0.0');
    socket.send('1', '1', 'realtime:leave-me', 'phx_join', joinPayload());
    expect((await socket.expect('phx_reply', 'realtime:leave-me', '1')).raw).toEqual([
      '1',
      '1',
      'realtime:leave-me',
      'phx_reply',
      { status: 'ok', response: { postgres_changes: [] } },
    ]);
    socket.send('1', '2', 'realtime:leave-me', 'phx_leave', {});
    expect((await socket.expect('phx_reply', 'realtime:leave-me', '2')).raw).toEqual([
      '1',
      '2',
      'realtime:leave-me',
      'phx_reply',
      { status: 'ok', response: {} },
    ]);
    expect((await socket.expect('phx_close', 'realtime:leave-me')).raw).toEqual([
      '1',
      '1',
      'realtime:leave-me',
      'phx_close',
      {},
    ]);
    // Messages for a channel that is gone are refused.
    socket.send('1', '3', 'realtime:leave-me', 'broadcast', { type: 'broadcast', event: 'x', payload: {} });
    expect((await socket.expect('phx_reply', 'realtime:leave-me', '3')).payload).toEqual({
      status: 'error',
      response: { reason: 'unmatched topic' },
    });
  });
});

describe('postgres_changes frames (raw)', () => {
  it('echoes each params map verbatim plus an integer id, then confirms the subscription (vsn 1.0.0)', async () => {
    const token = await userToken(userA);
    const socket = await RawSocket.open(config.anonKey, '1.0.0');
    const bindings = [
      { event: '*', schema: 'public', table: 'rt_notes' },
      { event: 'INSERT', schema: 'public', table: 'rt_notes', filter: 'score=gte.5' },
    ];
    socket.send(
      '1',
      '1',
      'realtime:raw-v1',
      'phx_join',
      joinPayload({ postgresChanges: bindings, accessToken: token }),
    );
    const reply = await socket.expect('phx_reply', 'realtime:raw-v1', '1');
    expect(Object.keys(reply.raw as object).sort()).toEqual(['event', 'payload', 'ref', 'topic']);
    const echoed = (reply.payload.response as { postgres_changes: Array<Payload & { id: number }> }).postgres_changes;
    expect(reply.payload.status).toBe('ok');
    expect(echoed.map(({ id: _id, ...params }) => params)).toEqual(bindings);
    for (const { id } of echoed) expect(Number.isInteger(id)).toBe(true);
    expect(echoed[0].id).not.toBe(echoed[1].id);
    expect((await socket.expect('system', 'realtime:raw-v1')).raw).toEqual({
      topic: 'realtime:raw-v1',
      event: 'system',
      payload: { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'raw-v1' },
      ref: null,
    });

    const id = await insertNote(userA, 'raw insert');
    const change = await socket.expect('postgres_changes', 'realtime:raw-v1');
    expect(change.ref).toBeNull();
    expect(change.payload.ids).toEqual(expect.arrayContaining([echoed[0].id, echoed[1].id]));
    expect((change.payload.ids as number[]).length).toBe(2);
    const data = change.payload.data as Payload;
    expect(data.commit_timestamp).toMatch(COMMIT_TIMESTAMP);
    expect(data).toEqual({
      schema: 'public',
      table: 'rt_notes',
      type: 'INSERT',
      commit_timestamp: data.commit_timestamp,
      columns: [
        { name: 'id', type: 'int8' },
        { name: 'owner', type: 'uuid' },
        { name: 'body', type: 'text' },
        { name: 'score', type: 'int4' },
        { name: 'price', type: 'numeric' },
        { name: 'tags', type: '_text' },
        { name: 'meta', type: 'jsonb' },
        { name: 'done', type: 'bool' },
        { name: 'due_at', type: 'timestamptz' },
        { name: 'noted_at', type: 'timestamp' },
      ],
      record: insertedNote(id, userA, 'raw insert'),
      errors: null,
    });
    expect(data).not.toHaveProperty('old_record');
  });

  it('sends arrays in vsn 2.0.0, with UPDATE old_record and DELETE reduced to the key under RLS', async () => {
    const token = await userToken(userA);
    const id = await insertNote(userA, 'before');
    const socket = await RawSocket.open(config.anonKey, '2.0.0');
    socket.send(
      '3',
      '3',
      'realtime:raw-v2',
      'phx_join',
      joinPayload({
        postgresChanges: [{ event: '*', schema: 'public', table: 'rt_notes', filter: `id=eq.${id}` }],
        accessToken: token,
      }),
    );
    const reply = await socket.expect('phx_reply', 'realtime:raw-v2', '3');
    const [{ id: bindingId }] = (reply.payload.response as { postgres_changes: Array<{ id: number }> })
      .postgres_changes;
    expect((await socket.expect('system', 'realtime:raw-v2')).raw).toEqual([
      '3',
      null,
      'realtime:raw-v2',
      'system',
      { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: 'raw-v2' },
    ]);

    await adminSql(`update public.rt_notes set body = 'after', done = true where id = $1`, [id]);
    // The INSERT may arrive too: a change committed just before the join but not yet read is delivered, as upstream.
    const update = await socket.expect(
      'postgres_changes',
      'realtime:raw-v2',
      undefined,
      (p) => (p.data as Payload).type === 'UPDATE',
    );
    expect((update.raw as unknown[]).slice(0, 4)).toEqual([null, null, 'realtime:raw-v2', 'postgres_changes']);
    expect(update.payload.ids).toEqual([bindingId]);
    const updated = update.payload.data as Payload;
    expect(updated.type).toBe('UPDATE');
    expect(updated.record).toMatchObject({ id, body: 'after', done: true });
    // REPLICA IDENTITY FULL: the whole old row.
    expect(updated.old_record).toMatchObject({ id, body: 'before', done: false, owner: userA });

    await adminSql(`delete from public.rt_notes where id = $1`, [id]);
    const deleted = (
      await socket.expect(
        'postgres_changes',
        'realtime:raw-v2',
        undefined,
        (p) => (p.data as Payload).type === 'DELETE',
      )
    ).payload.data as Payload;
    expect(deleted).toEqual({
      schema: 'public',
      table: 'rt_notes',
      type: 'DELETE',
      commit_timestamp: expect.stringMatching(COMMIT_TIMESTAMP),
      columns: expect.any(Array),
      old_record: { id },
      errors: null,
    });
    expect(deleted).not.toHaveProperty('record');
  });

  it('reports a table outside the publication as a system error (the join still succeeds)', async () => {
    const socket = await RawSocket.open(config.anonKey, '1.0.0');
    socket.send(
      '1',
      '1',
      'realtime:unpublished',
      'phx_join',
      joinPayload({ postgresChanges: [{ event: '*', schema: 'public', table: 'rt_unpublished' }] }),
    );
    expect((await socket.expect('phx_reply', 'realtime:unpublished', '1')).payload.status).toBe('ok');
    const system = (await socket.expect('system', 'realtime:unpublished')).payload;
    expect(system).toMatchObject({ extension: 'postgres_changes', status: 'error', channel: 'unpublished' });
    expect(system.message).toMatch(/^Unable to subscribe to changes with given parameters/);
  });
});

describe('postgres_changes through supabase-js', () => {
  for (const vsn of ['1.0.0', '2.0.0'] as const) {
    it(`delivers INSERT/UPDATE/DELETE to the row owner only (vsn ${vsn})`, async () => {
      const inboxA = new Inbox<Payload>();
      const inboxB = new Inbox<Payload>();
      const channelA = (await realtimeClient(await userToken(userA), vsn))
        .channel(`notes-a-${vsn}`)
        .on('postgres_changes', { event: '*', schema: 'public', table: 'rt_notes' }, inboxA.push);
      const channelB = (await realtimeClient(await userToken(userB), vsn))
        .channel(`notes-b-${vsn}`)
        .on('postgres_changes', { event: '*', schema: 'public', table: 'rt_notes' }, inboxB.push);
      await Promise.all([subscribe(channelA), subscribe(channelB)]);

      const id = await insertNote(userA, `hello ${vsn}`);
      const inserted = await inboxA.next((p) => p.eventType === 'INSERT' && (p.new as Payload).id === id);
      expect(inserted).toEqual({
        schema: 'public',
        table: 'rt_notes',
        commit_timestamp: expect.stringMatching(COMMIT_TIMESTAMP),
        eventType: 'INSERT',
        new: insertedNote(id, userA, `hello ${vsn}`),
        old: {},
        errors: null,
      });

      await adminSql(`update public.rt_notes set score = 9 where id = $1`, [id]);
      const updated = await inboxA.next((p) => p.eventType === 'UPDATE' && (p.new as Payload).id === id);
      expect(updated.new).toMatchObject({ id, score: 9 });
      expect(updated.old).toMatchObject({ id, score: 7 });

      // User B may not see A's row: nothing for INSERT or UPDATE.
      await inboxB.quiet((p) => p.eventType !== 'DELETE');

      await adminSql(`delete from public.rt_notes where id = $1`, [id]);
      const deleted = await inboxA.next((p) => p.eventType === 'DELETE');
      expect(deleted).toMatchObject({ eventType: 'DELETE', new: {}, old: { id } });
      // RLS cannot be checked for deletes: every subscriber allowed to select gets the key, and only the key.
      const deletedForB = await inboxB.next((p) => p.eventType === 'DELETE');
      expect(deletedForB.old).toEqual({ id });

      // And B's own row reaches B, not A.
      const idB = await insertNote(userB, 'mine');
      expect((await inboxB.next((p) => p.eventType === 'INSERT')).new).toMatchObject({ id: idB, owner: userB });
      await inboxA.quiet((p) => p.eventType === 'INSERT' && (p.new as Payload).id === idB);
    });
  }

  it('follows a signed-in supabase-js session (the token GoTrue issued reaches Realtime)', async () => {
    const { client: supabase, userId } = await signedInClient();
    clients.push(supabase);
    const inbox = new Inbox<Payload>();
    const channel = supabase
      .channel('notes-session')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_notes' }, inbox.push);
    await subscribe(channel);
    const others = await insertNote(userB, 'not yours');
    const mine = await insertNote(userId, 'yours');
    expect((await inbox.next()).new).toMatchObject({ id: mine, owner: userId, body: 'yours' });
    await inbox.quiet((p) => (p.new as Payload).id === others);
  });

  it('does not deliver to a subscriber whose token has no access (anon on an RLS table)', async () => {
    const inbox = new Inbox<Payload>();
    const channel = (await realtimeClient())
      .channel('notes-anon')
      .on('postgres_changes', { event: '*', schema: 'public', table: 'rt_notes' }, inbox.push);
    await subscribe(channel);
    const id = await insertNote(userA, 'private');
    await adminSql(`delete from public.rt_notes where id = $1`, [id]);
    // anon has no SELECT on rt_notes at all, so not even the DELETE reaches it.
    await inbox.quiet();
  });

  it('applies filters eq, neq, lt, lte, gt, gte and in per binding', async () => {
    const filters = [
      'qty=eq.5',
      'qty=neq.5',
      'qty=lt.5',
      'qty=lte.5',
      'qty=gt.5',
      'qty=gte.5',
      'category=in.(books,games)',
      'category=eq.books,qty=gt.1',
    ];
    const inboxes: Record<string, Inbox<Payload>> = Object.fromEntries(
      filters.map((filter) => [filter, new Inbox<Payload>()]),
    );
    let channel = (await realtimeClient()).channel('items-filters');
    for (const [filter, inbox] of Object.entries(inboxes)) {
      channel = channel.on(
        'postgres_changes',
        { event: 'INSERT', schema: 'public', table: 'rt_items', filter },
        inbox.push,
      );
    }
    await subscribe(channel);
    await adminSql(
      `insert into public.rt_items (id, category, qty, secret) values (1, 'books', 4, 's1'), (2, 'games', 5, 's2'), (3, 'tools', 6, 's3')`,
    );
    const expected: Record<string, number[]> = {
      'qty=eq.5': [2],
      'qty=neq.5': [1, 3],
      'qty=lt.5': [1],
      'qty=lte.5': [1, 2],
      'qty=gt.5': [3],
      'qty=gte.5': [2, 3],
      'category=in.(books,games)': [1, 2],
      'category=eq.books,qty=gt.1': [1],
    };
    for (const [filter, ids] of Object.entries(expected)) {
      for (const id of ids) await inboxes[filter].next((p) => (p.new as Payload).id === id);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const [filter, ids] of Object.entries(expected)) {
      expect(inboxes[filter].items.map((p) => (p.new as Payload).id).sort(), filter).toEqual(ids);
    }
    // anon may not select `secret`, so the record leaves it out.
    const first = inboxes['qty=eq.5'].items[0];
    expect(first.new).toEqual({ id: 2, category: 'games', qty: 5 });
  });

  it('UPDATE without REPLICA IDENTITY FULL reports the key as the old record', async () => {
    const inbox = new Inbox<Payload>();
    const channel = (await realtimeClient())
      .channel('items-update')
      .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'rt_items' }, inbox.push);
    await subscribe(channel);
    await adminSql(`insert into public.rt_items (id, category, qty) values (10, 'misc', 1)`);
    await adminSql(`update public.rt_items set qty = 2 where id = 10`);
    const updated = await inbox.next();
    expect(updated).toMatchObject({ eventType: 'UPDATE', new: { id: 10, category: 'misc', qty: 2 }, old: { id: 10 } });
    expect(updated.old).toEqual({ id: 10 });
  });
});

describe('broadcast', () => {
  it('echoes to the sender with self, acknowledges with ack', async () => {
    const inbox = new Inbox<Payload>();
    const channel = (await realtimeClient())
      .channel('bc-self', { config: { broadcast: { self: true, ack: true } } })
      .on('broadcast', { event: 'ping' }, inbox.push);
    await subscribe(channel);
    expect(await channel.send({ type: 'broadcast', event: 'ping', payload: { n: 1 } })).toBe('ok');
    expect(await inbox.next()).toEqual({ type: 'broadcast', event: 'ping', payload: { n: 1 } });
  });

  it('reaches other clients of both protocol versions, not the sender without self (binary kind-3 from vsn 2.0.0)', async () => {
    const sent = new Inbox<Payload>();
    const v1 = new Inbox<Payload>();
    const v2 = new Inbox<Payload>();
    const sender = (await realtimeClient(undefined, '2.0.0'))
      .channel('bc-room')
      .on('broadcast', { event: '*' }, sent.push);
    const receiverV1 = (await realtimeClient(undefined, '1.0.0'))
      .channel('bc-room')
      .on('broadcast', { event: 'cursor' }, v1.push);
    const receiverV2 = (await realtimeClient(undefined, '2.0.0'))
      .channel('bc-room')
      .on('broadcast', { event: 'cursor' }, v2.push);
    await Promise.all([subscribe(sender), subscribe(receiverV1), subscribe(receiverV2)]);
    await sender.send({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2, label: 'é✓' } });
    expect(await v1.next()).toEqual({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2, label: 'é✓' } });
    expect(await v2.next()).toEqual({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2, label: 'é✓' } });
    // From vsn 1.0.0 (a JSON frame) back to vsn 2.0.0.
    const v1Sender = (await realtimeClient(undefined, '1.0.0')).channel('bc-room');
    await subscribe(v1Sender);
    await v1Sender.send({ type: 'broadcast', event: 'cursor', payload: { x: 3 } });
    expect(await v2.next((p) => (p.payload as Payload).x === 3)).toEqual({
      type: 'broadcast',
      event: 'cursor',
      payload: { x: 3 },
    });
    await sent.quiet((p) => (p.payload as Payload).x === 1);
  });

  it('decodes a raw kind-3 frame and answers ack with the frame’s ref', async () => {
    const socket = await RawSocket.open(config.anonKey, '2.0.0');
    socket.send('1', '1', 'realtime:bc-raw', 'phx_join', joinPayload({ broadcast: { self: true, ack: true } }));
    await socket.expect('phx_reply', 'realtime:bc-raw', '1');
    socket.ws.send(userBroadcastPush('1', '2', 'realtime:bc-raw', 'evt', { hello: 'world' }));
    expect((await socket.expect('phx_reply', 'realtime:bc-raw', '2')).raw).toEqual([
      '1',
      '2',
      'realtime:bc-raw',
      'phx_reply',
      { status: 'ok', response: {} },
    ]);
    const echoed = (await socket.frames.next((f) => f.binary !== undefined)).binary ?? Buffer.alloc(0);
    // Kind 4 userBroadcast: topic, event, no metadata, JSON encoding, then the payload bytes.
    const topic = Buffer.from('realtime:bc-raw');
    expect(echoed.subarray(0, 5)).toEqual(Buffer.from([4, topic.length, 3, 0, 1]));
    expect(echoed.subarray(5).toString()).toBe(`realtime:bc-rawevt${JSON.stringify({ hello: 'world' })}`);
  });

  it('accepts REST broadcasts (batch and httpSend) with 202', async () => {
    const inbox = new Inbox<Payload>();
    const listener = (await realtimeClient()).channel('bc-rest').on('broadcast', { event: '*' }, inbox.push);
    await subscribe(listener);
    const response = await fetch(`${config.apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: config.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: 'bc-rest', event: 'from-rest', payload: { ok: true } }] }),
    });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(await inbox.next((p) => p.event === 'from-rest')).toEqual({
      type: 'broadcast',
      event: 'from-rest',
      payload: { ok: true },
    });

    const sender = (await realtimeClient()).channel('bc-rest');
    expect(await sender.httpSend('from-http-send', { n: 2 })).toEqual({ success: true });
    expect(await inbox.next((p) => p.event === 'from-http-send')).toEqual({
      type: 'broadcast',
      event: 'from-http-send',
      payload: { n: 2 },
    });

    const unauthorised = await fetch(`${config.apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: 'nope', authorization: 'Bearer nope', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: 'bc-rest', event: 'x', payload: {} }] }),
    });
    expect(unauthorised.status).toBe(401);
    await inbox.quiet((p) => p.event === 'x');
  });
});

describe('presence', () => {
  it('syncs track and untrack to other members', async () => {
    const joins = new Inbox<Payload>();
    const leaves = new Inbox<Payload>();
    const watcher = (await realtimeClient())
      .channel('presence-room', { config: { presence: { key: 'watcher' } } })
      .on('presence', { event: 'join' }, joins.push)
      .on('presence', { event: 'leave' }, leaves.push);
    await subscribe(watcher);
    const member = (await realtimeClient()).channel('presence-room', { config: { presence: { key: 'alice' } } });
    await subscribe(member);
    expect(await member.track({ status: 'online' })).toBe('ok');
    const joined = await joins.next((p) => p.key === 'alice');
    expect(joined.newPresences).toEqual([{ status: 'online', presence_ref: expect.any(String) }]);
    expect(watcher.presenceState()).toEqual({ alice: [{ status: 'online', presence_ref: expect.any(String) }] });

    expect(await member.untrack()).toBe('ok');
    const left = await leaves.next((p) => p.key === 'alice');
    expect(left.leftPresences).toEqual([{ status: 'online', presence_ref: expect.any(String) }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watcher.presenceState()).toEqual({});
  });

  it('sends the current state to a member joining later', async () => {
    const first = (await realtimeClient()).channel('presence-late', { config: { presence: { key: 'bob' } } });
    await subscribe(first);
    await first.track({ mood: 'happy' });
    const syncs = new Inbox<Payload>();
    const late = (await realtimeClient())
      .channel('presence-late')
      .on('presence', { event: 'sync' }, () => syncs.push({}));
    await subscribe(late);
    await syncs.next();
    expect(late.presenceState()).toEqual({ bob: [{ mood: 'happy', presence_ref: expect.any(String) }] });
  });
});

describe('tokens', () => {
  it('refuses a join with an expired access token', async () => {
    const expired = await signJwt({ sub: userA, role: 'authenticated', exp: now() - 5 }, config.jwtSecret);
    const { status, message } = await failedStatus((await realtimeClient(expired)).channel('expired-join'));
    expect(status).toBe('CHANNEL_ERROR');
    expect(message).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/);
  });

  it('closes the channel with a system error when a refreshed access_token has expired', async () => {
    const supabase = await realtimeClient(await userToken(userA));
    const system = new Inbox<Payload>();
    const statuses = new Inbox<string>();
    const channel = supabase.channel('refresh-expired').on('system', {}, system.push);
    channel.subscribe((status) => statuses.push(status));
    await statuses.next((s) => s === 'SUBSCRIBED');
    await supabase.realtime.setAuth(await userToken(userA, -10));
    expect(await system.next((p) => p.status === 'error')).toEqual({
      extension: 'system',
      status: 'error',
      message: expect.stringMatching(/^Token has expired \d+ seconds ago$/),
      channel: 'refresh-expired',
    });
    await statuses.next((s) => s === 'CLOSED');
  });

  it('closes the channel when its token expires while joined', async () => {
    const system = new Inbox<Payload>();
    const statuses = new Inbox<string>();
    const channel = (await realtimeClient(await userToken(userA, 3)))
      .channel('expires-soon')
      .on('system', {}, system.push);
    channel.subscribe((status) => statuses.push(status));
    await statuses.next((s) => s === 'SUBSCRIBED');
    expect(await system.next((p) => p.status === 'error', 6_000)).toMatchObject({
      extension: 'system',
      message: expect.stringMatching(/^Token has expired/),
    });
    await statuses.next((s) => s === 'CLOSED');
  });
});

describe('private channels', () => {
  it('admits only callers the realtime.messages policies allow, and broadcasts among them', async () => {
    const inbox = new Inbox<Payload>();
    const owner = (await realtimeClient(await userToken(userA)))
      .channel(`room-${userA}`, { config: { private: true, broadcast: { self: true, ack: true } } })
      .on('broadcast', { event: 'note' }, inbox.push);
    await subscribe(owner);
    expect(await owner.send({ type: 'broadcast', event: 'note', payload: { n: 1 } })).toBe('ok');
    expect(await inbox.next()).toEqual({ type: 'broadcast', event: 'note', payload: { n: 1 } });

    const intruder = (await realtimeClient(await userToken(userB))).channel(`room-${userA}`, {
      config: { private: true },
    });
    const { status, message } = await failedStatus(intruder);
    expect(status).toBe('CHANNEL_ERROR');
    expect(message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: room-${userA}`);

    // The public channel of the same name is a different topic.
    const publicInbox = new Inbox<Payload>();
    const publicChannel = (await realtimeClient())
      .channel(`room-${userA}`)
      .on('broadcast', { event: 'note' }, publicInbox.push);
    await subscribe(publicChannel);
    await owner.send({ type: 'broadcast', event: 'note', payload: { n: 2 } });
    await inbox.next((p) => (p.payload as Payload).n === 2);
    await publicInbox.quiet();
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Segment membership (migration 20261207170200): the database keeps who is in each segment, at
 * once when a segment is saved and on a schedule, records every join and leave, answers the
 * size over time from that history, and freezes snapshots that can be compared — every read
 * under the caller's row-level security.
 */

const run = randomUUID().slice(0, 8);
const marker = `member-${run}`;
const STAFF: Caller[] = ['admin', 'manager', 'agent', 'agent2', 'readonly'];

describe('segment membership, history and snapshots', () => {
  let cast: Cast;
  const ids: Record<string, string> = {};
  let segmentId: string;
  const rules = {
    match: 'all',
    conditions: [
      { field: 'style_interests', op: 'contains_any', value: [marker] },
      { field: 'country', op: 'eq', value: 'DE' },
    ],
  };

  const members = async () =>
    (
      await adminSql<{ customer_id: string }>(
        `select customer_id from public.segment_memberships where segment_id = $1 order by customer_id`,
        [segmentId],
      )
    ).map((row) => row.customer_id);
  const events = async () =>
    adminSql<{ customer_id: string; event: string }>(
      `select customer_id, event from public.segment_membership_events where segment_id = $1 order by id`,
      [segmentId],
    );
  const sorted = (...keys: string[]) => keys.map((key) => ids[key]).sort();

  beforeAll(async () => {
    cast = await createCast('membership');
    for (const [key, country, owner] of [
      ['anna', 'DE', cast.people.agent.userId],
      ['ben', 'DE', cast.people.agent2.userId],
      ['cleo', 'FR', null],
    ] as const) {
      const [row] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, country, owner_id, style_interests) values ($1, $2, $3, $4, array[$5]) returning id`,
        [key, run, country, owner, marker],
      );
      ids[key] = row.id;
    }
    const { data, error } = await cast
      .client('manager')
      .from('segments')
      .insert({ name: `Germany ${run}`, rules, shared: true })
      .select('id')
      .single();
    if (error) throw error;
    segmentId = (data as { id: string }).id;
  });
  afterAll(() => cast?.end());

  it('a new segment gets its members at once, each join recorded', async () => {
    expect(await members()).toEqual(sorted('anna', 'ben'));
    expect((await events()).map((row) => row.event)).toEqual(['joined', 'joined']);
    const [{ refreshed }] = await adminSql<{ refreshed: boolean }>(
      `select refreshed_at is not null as refreshed from public.segments where id = $1`,
      [segmentId],
    );
    expect(refreshed).toBe(true);
  });

  it('the scheduled refresh records who joined and who left', async () => {
    await adminSql(`update public.customers set country = 'DE' where id = $1`, [ids.cleo]);
    await adminSql(`update public.customers set country = 'AT' where id = $1`, [ids.ben]);
    await adminSql(`update public.segments set refreshed_at = '2000-01-01' where id = $1`, [segmentId]);
    const [{ refreshed }] = await cast.sql<{ refreshed: number }>(
      'service_role',
      'select public.refresh_segments(1) as refreshed',
    );
    expect(refreshed).toBe(1);
    expect(await members()).toEqual(sorted('anna', 'cleo'));
    expect((await events()).slice(2)).toEqual([
      { customer_id: ids.ben, event: 'left' },
      { customer_id: ids.cleo, event: 'joined' },
    ]);
    // Nothing changed: a second refresh records nothing.
    await adminSql(`select private.refresh_segment($1)`, [segmentId]);
    expect(await events()).toHaveLength(4);
  });

  it('a change of rules refreshes the members at once', async () => {
    const { error } = await cast
      .client('manager')
      .from('segments')
      .update({ rules: { ...rules, conditions: [rules.conditions[0]] } })
      .eq('id', segmentId);
    expect(error).toBeNull();
    expect(await members()).toEqual(sorted('anna', 'ben', 'cleo'));
  });

  it('members and history are read under RLS: the segment must be visible, and the customer', async () => {
    const count = (table: string) =>
      cast.countsAs(
        [...STAFF, 'shopper', 'stranger'],
        `select count(*)::int as n from public.${table} where segment_id = $1`,
        [segmentId],
      );
    expect(await count('segment_memberships')).toEqual({
      admin: 3,
      manager: 3,
      agent: 1,
      agent2: 1,
      readonly: 3,
      shopper: 0,
      stranger: 0,
    });
    const history = await count('segment_membership_events');
    expect(history).toMatchObject({ admin: 5, agent: 1, agent2: 3, shopper: 0, stranger: 0 });
    // A private segment's members are its owner's alone.
    await adminSql(`update public.segments set shared = false where id = $1`, [segmentId]);
    try {
      expect((await count('segment_memberships')).admin).toBe(0);
      expect((await count('segment_memberships')).manager).toBe(3);
    } finally {
      await adminSql(`update public.segments set shared = true where id = $1`, [segmentId]);
    }
  });

  it('nobody writes members or history through the API, and only the system refreshes everything', async () => {
    for (const caller of ['admin', 'manager', 'agent'] as const) {
      await expect(
        cast.sql(caller, `insert into public.segment_memberships (segment_id, customer_id) values ($1, $2)`, [
          segmentId,
          ids.anna,
        ]),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        cast.sql(caller, `delete from public.segment_membership_events where segment_id = $1`, [segmentId]),
      ).rejects.toMatchObject({ code: '42501' });
      const { error } = await cast.client(caller).rpc('refresh_segments', { max_segments: 1 });
      expect(error, caller).toMatchObject({ code: '42501' });
    }
    const { error } = await cast.client('anon').from('segment_memberships').select('segment_id').limit(1);
    expect(error).toMatchObject({ code: '42501' });
    const [job] = await adminSql<{ schedule: string }>(
      `select schedule from cron.job where jobname = 'refresh-segments'`,
    );
    expect(job).toEqual({ schedule: '*/15 * * * *' });
  });

  describe('size over time', () => {
    let historyId: string;
    beforeAll(async () => {
      const { data, error } = await cast
        .client('manager')
        .from('segments')
        .insert({ name: `History ${run}`, rules: { match: 'any', conditions: [] }, shared: true })
        .select('id')
        .single();
      if (error) throw error;
      historyId = (data as { id: string }).id;
      await adminSql(
        `insert into public.segment_membership_events (segment_id, customer_id, event, occurred_at) values
         ($1, $2, 'joined', '2026-01-01T10:00:00Z'), ($1, $3, 'joined', '2026-01-01T10:00:00Z'),
         ($1, $4, 'joined', '2026-01-01T23:30:00Z'), ($1, $3, 'left', '2026-01-03T09:00:00Z')`,
        [historyId, ids.anna, ids.ben, ids.cleo],
      );
    });

    const history = async (caller: Caller, timezone = 'UTC') => {
      const { data, error } = await cast.client(caller).rpc('segment_size_history', {
        segment_id: historyId,
        from_day: '2026-01-01',
        to_day: '2026-01-04',
        timezone,
      });
      if (error) throw error;
      return data as Array<{ day: string; members: number; joined: number; left: number }>;
    };

    it('counts members per day from the joins and leaves, in the viewer’s zone', async () => {
      expect(await history('admin')).toEqual([
        { day: '2026-01-01', members: 3, joined: 3, left: 0 },
        { day: '2026-01-02', members: 3, joined: 0, left: 0 },
        { day: '2026-01-03', members: 2, joined: 0, left: 1 },
        { day: '2026-01-04', members: 2, joined: 0, left: 0 },
      ]);
      // 23:30 UTC on the 1st is the 2nd in Berlin.
      expect((await history('admin', 'Europe/Berlin')).map((row) => row.members)).toEqual([2, 3, 2, 2]);
    });

    it('an agent’s history is the admin’s restricted to their customers', async () => {
      expect((await history('agent')).map((row) => row.members)).toEqual([1, 1, 1, 1]);
      expect((await history('agent2')).map((row) => [row.members, row.left])).toEqual([
        [1, 0],
        [1, 0],
        [0, 1],
        [0, 0],
      ]);
    });

    it('refuses an impossible range clearly', async () => {
      const ask = (from_day: string, to_day: string) =>
        cast.client('admin').rpc('segment_size_history', { segment_id: historyId, from_day, to_day });
      expect((await ask('2026-02-01', '2026-01-01')).error).toMatchObject({
        code: '22023',
        message: 'the range ends before it starts',
      });
      expect((await ask('2020-01-01', '2026-01-01')).error).toMatchObject({
        code: '22023',
        message: 'a range is at most 5 years',
      });
    });
  });

  describe('snapshots', () => {
    const snapshot = async (caller: Caller, name: string) => {
      const { data, error } = await cast.client(caller).rpc('take_segment_snapshot', { segment_id: segmentId, name });
      if (error) throw error;
      return data as string;
    };
    const memberIds = async (caller: Caller, snapshotId: string) =>
      (
        await cast.sql<{ customer_id: string }>(
          caller,
          'select customer_id from public.segment_snapshot_members where snapshot_id = $1 order by customer_id',
          [snapshotId],
        )
      ).map((row) => row.customer_id);

    it('freezes the members as the taker sees them, and compares two snapshots', async () => {
      await adminSql(`update public.segments set rules = $2 where id = $1`, [segmentId, JSON.stringify(rules)]);
      const before = await snapshot('manager', 'Before');
      expect(await memberIds('manager', before)).toEqual(sorted('anna', 'cleo'));
      await adminSql(`update public.customers set country = 'DE' where id = $1`, [ids.ben]);
      await adminSql(`update public.customers set country = 'FR' where id = $1`, [ids.cleo]);
      const after = await snapshot('manager', 'After');
      expect(await memberIds('manager', after)).toEqual(sorted('anna', 'ben'));
      const { data } = await cast.client('manager').rpc('compare_segment_snapshots', { earlier: before, later: after });
      expect(data).toEqual(
        expect.arrayContaining([
          { customer_id: ids.ben, change: 'added' },
          { customer_id: ids.cleo, change: 'removed' },
        ]),
      );
      expect(data).toHaveLength(2);
      // An agent reads their part of it; the count says what the taker saw.
      expect(await memberIds('agent', after)).toEqual([ids.anna]);
      const { data: agentDiff } = await cast
        .client('agent')
        .rpc('compare_segment_snapshots', { earlier: before, later: after });
      expect(agentDiff).toEqual([]);
      const [row] = await adminSql<{ member_count: number; taken_by: string }>(
        `select member_count, taken_by from public.segment_snapshots where id = $1`,
        [after],
      );
      expect(row).toEqual({ member_count: 2, taken_by: cast.people.manager.userId });
    });

    it('an agent’s snapshot holds only their customers; readonly members take none', async () => {
      const mine = await snapshot('agent', 'Agent view');
      expect(await memberIds('admin', mine)).toEqual([ids.anna]);
      const { error } = await cast
        .client('readonly')
        .rpc('take_segment_snapshot', { segment_id: segmentId, name: 'x' });
      expect(error).toMatchObject({ code: '42501' });
      const { error: bad } = await cast
        .client('manager')
        .rpc('take_segment_snapshot', { segment_id: segmentId, name: ' ' });
      expect(bad).toMatchObject({ code: '22023' });
    });

    it('only the taker deletes a snapshot; nobody writes one directly', async () => {
      const taken = await snapshot('manager', 'To delete');
      const { data: refused } = await cast
        .client('admin')
        .from('segment_snapshots')
        .delete()
        .eq('id', taken)
        .select('id');
      expect(refused ?? []).toEqual([]);
      await expect(
        cast.sql(
          'manager',
          `insert into public.segment_snapshots (segment_id, name, member_count) values ($1, 'x', 0)`,
          [segmentId],
        ),
      ).rejects.toMatchObject({ code: '42501' });
      const { data: deleted } = await cast
        .client('manager')
        .from('segment_snapshots')
        .delete()
        .eq('id', taken)
        .select('id');
      expect(deleted).toEqual([{ id: taken }]);
      const counts = await cast.countsAs(
        ['shopper', 'stranger'],
        'select count(*)::int as n from public.segment_snapshots where segment_id = $1',
        [segmentId],
      );
      expect(counts).toEqual({ shopper: 0, stranger: 0 });
    });
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Bulk actions on all of a segment's members (migrations 20261207172200, 20261208120000,
 * act_on_segment): tag, assign and stage, every member however many pages they fill, as the caller
 * may change them — an agent only their own customers, readonly refused, a private segment of
 * someone else's unknown; bad input refused with 22023 and nothing written. A segment of more than
 * one batch (500) is a job: the first batch in the call, the rest by the scheduled worker as the
 * person who asked, each member exactly once, progress in segment_actions.
 */
interface Job {
  id: string;
  status: string;
  total: number;
  processed: number;
  changed: number;
  batches: number;
  error: string | null;
}

const run = randomUUID().slice(0, 8);
const marker = `act-${run}`;

describe('act_on_segment', () => {
  let cast: Cast;
  const ids: Record<string, string> = {};
  let segmentId: string;
  let privateId: string;
  let tagId: string;

  const act = async (caller: Caller, action: unknown, value: unknown, segment = segmentId) => {
    const { data, error } = await cast.client(caller).rpc('act_on_segment', { segment_id: segment, action, value });
    return { data: data as Job | null, error, changed: (data as Job | null)?.changed };
  };
  const stages = async () =>
    Object.fromEntries(
      (
        await adminSql<{ first_name: string; lifecycle_stage: string }>(
          `select first_name, lifecycle_stage from public.customers where last_name = $1`,
          [run],
        )
      ).map((row) => [row.first_name, row.lifecycle_stage]),
    );
  const tagged = async () =>
    (
      await adminSql<{ first_name: string }>(
        `select c.first_name from public.customer_tags t join public.customers c on c.id = t.customer_id
         where t.tag_id = $1 order by 1`,
        [tagId],
      )
    ).map((row) => row.first_name);

  beforeAll(async () => {
    cast = await createCast('segment-actions');
    // Three members (two of agent's, one of agent2's) and one customer outside the segment.
    for (const [key, owner, interest] of [
      ['anna', cast.people.agent.userId, marker],
      ['ben', cast.people.agent2.userId, marker],
      ['cleo', cast.people.agent.userId, marker],
      ['dora', cast.people.agent.userId, 'other'],
    ] as const) {
      const [row] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, owner_id, style_interests, lifecycle_stage)
         values ($1, $2, $3, array[$4], 'prospect') returning id`,
        [key, run, owner, interest],
      );
      ids[key] = row.id;
    }
    const rules = { match: 'all', conditions: [{ field: 'style_interests', op: 'contains_any', value: [marker] }] };
    const shared = await cast
      .client('manager')
      .from('segments')
      .insert({ name: `Act ${run}`, rules, shared: true })
      .select('id')
      .single();
    if (shared.error) throw shared.error;
    segmentId = (shared.data as { id: string }).id;
    const mine = await cast
      .client('manager')
      .from('segments')
      .insert({ name: `Mine ${run}`, rules, shared: false })
      .select('id')
      .single();
    if (mine.error) throw mine.error;
    privateId = (mine.data as { id: string }).id;
    [{ id: tagId }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      `Act tag ${run}`,
    ]);
  });
  afterAll(() => cast?.end());

  it('refuses bad input with 22023 and changes nothing', async () => {
    const cases: Array<[unknown, unknown]> = [
      ['delete', null],
      [null, null],
      ["stage'; drop table public.customers; --", 'vip'],
      ['stage', 'no_such_stage'],
      ['stage', null],
      ['tag', 'not-a-uuid'],
      ['tag', randomUUID()],
      ['tag', null],
      ['assign', 'nobody'],
      ['assign', randomUUID()],
      ['stage', 'x'.repeat(10_000)],
    ];
    for (const [action, value] of cases) {
      const { data, error } = await act('manager', action, value);
      expect(data, JSON.stringify([action, value])).toBeNull();
      expect(error?.code, JSON.stringify([action, value])).toBe('22023');
    }
    const { error } = await act('manager', 'stage', 'vip', randomUUID());
    expect(error?.code).toBe('P0002');
    expect(await stages()).toEqual({ anna: 'prospect', ben: 'prospect', cleo: 'prospect', dora: 'prospect' });
    expect(await tagged()).toEqual([]);
  });

  it('readonly members, strangers and anon are refused; another’s private segment is unknown', async () => {
    expect((await act('readonly', 'stage', 'vip')).error?.code).toBe('42501');
    expect((await act('stranger', 'stage', 'vip')).error?.code).toBe('42501');
    expect((await act('shopper', 'stage', 'vip')).error?.code).toBe('42501');
    expect((await act('anon', 'stage', 'vip')).error).not.toBeNull();
    expect((await act('agent', 'stage', 'vip', privateId)).error?.code).toBe('P0002');
    expect(await stages()).toEqual({ anna: 'prospect', ben: 'prospect', cleo: 'prospect', dora: 'prospect' });
  });

  it('an agent moves only their own members; counts what changed', async () => {
    const { data, error } = await act('agent', 'stage', 'vip');
    expect(error).toBeNull();
    // Two members are the agent's: one batch, done in the call.
    expect(data).toMatchObject({ status: 'done', total: 2, processed: 2, changed: 2, batches: 1 });
    expect(await stages()).toEqual({ anna: 'vip', ben: 'prospect', cleo: 'vip', dora: 'prospect' });
    // Again: nothing left to change.
    expect((await act('agent', 'stage', 'vip')).changed).toBe(0);
  });

  it('an agent cannot hand members to someone else: refused, nothing written', async () => {
    const { data, error } = await act('agent', 'assign', cast.people.agent2.userId);
    expect(data).toBeNull();
    expect(error?.code).toBe('42501');
    const owners = await adminSql<{ n: number }>(
      `select count(*)::int as n from public.customers where last_name = $1 and owner_id = $2`,
      [run, cast.people.agent.userId],
    );
    expect(owners[0].n).toBe(3);
  });

  it('a manager tags every member, and assigns them all', async () => {
    const tag = await act('manager', 'tag', tagId);
    expect(tag.error).toBeNull();
    expect(tag.changed).toBe(3);
    expect(await tagged()).toEqual(['anna', 'ben', 'cleo']);
    expect((await act('manager', 'tag', tagId)).changed).toBe(0);

    const assign = await act('manager', 'assign', cast.people.agent2.userId);
    expect(assign.error).toBeNull();
    expect(assign.changed).toBe(2);
    const [{ n }] = await adminSql<{ n: number }>(
      `select count(*)::int as n from public.customers where last_name = $1 and owner_id = $2`,
      [run, cast.people.agent2.userId],
    );
    expect(n).toBe(3);
    const unassign = await act('manager', 'assign', null);
    expect(unassign.changed).toBe(3);
  });

  describe('a segment of more than one batch', () => {
    const bigRun = `${run}-big`;
    let bigSegment: string;
    const jobOf = async (id: string) =>
      (
        await adminSql<Job>(
          `select id, status, total, processed, changed, batches, error from public.segment_actions where id = $1`,
          [id],
        )
      )[0];
    const remaining = async (id: string) =>
      (
        await adminSql<{ n: number }>(
          `select count(*)::int as n from private.segment_action_items where action_id = $1`,
          [id],
        )
      )[0].n;
    const work = () => adminSql(`select private.run_segment_actions(interval '20 seconds')`);

    beforeAll(async () => {
      // The test runs the worker itself: the stack's own schedule (every 10 s) would race it.
      await adminSql(`update cron.job set active = false where jobname = 'segment-actions'`);
      await adminSql(
        `insert into public.customers (first_name, last_name, owner_id, style_interests, lifecycle_stage)
         select 'big' || n, $1, $2, array[$1], 'prospect' from generate_series(1, 1200) n`,
        [bigRun, cast.people.agent.userId],
      );
      const rules = { match: 'all', conditions: [{ field: 'style_interests', op: 'contains_any', value: [bigRun] }] };
      const { data, error } = await cast
        .client('manager')
        .from('segments')
        .insert({ name: `Big ${run}`, rules, shared: true })
        .select('id')
        .single();
      if (error) throw error;
      bigSegment = (data as { id: string }).id;
    });
    afterAll(() => adminSql(`update cron.job set active = true where jobname = 'segment-actions'`));

    it('does the first batch in the call and the rest as the person who asked, each member once', async () => {
      const { data, error } = await act('manager', 'stage', 'vip', bigSegment);
      expect(error).toBeNull();
      expect(data).toMatchObject({ status: 'running', total: 1200, processed: 500, changed: 500, batches: 1 });
      const id = (data as Job).id;
      expect(await remaining(id)).toBe(700);
      // The person who asked follows the progress; others do not see it.
      const mine = await cast.client('manager').from('segment_actions').select('processed').eq('id', id);
      expect(mine.data).toEqual([{ processed: 500 }]);

      await work();
      expect(await jobOf(id)).toMatchObject({
        status: 'done',
        processed: 1200,
        changed: 1200,
        batches: 3,
        error: null,
      });
      expect(await remaining(id)).toBe(0);
      const [{ n }] = await adminSql<{ n: number }>(
        `select count(*)::int as n from public.customers where last_name = $1 and lifecycle_stage = 'vip'`,
        [bigRun],
      );
      expect(n).toBe(1200);
      // Nothing left: another run does no batch of it.
      await work();
      expect((await jobOf(id)).batches).toBe(3);
    });

    it('stops as failed, with the reason, when the person loses the right meanwhile', async () => {
      const { data } = await act('manager', 'stage', 'customer', bigSegment);
      const id = (data as Job).id;
      await adminSql(`update public.team_members set role = 'readonly' where user_id = $1`, [
        cast.people.manager.userId,
      ]);
      try {
        await work();
      } finally {
        await adminSql(`update public.team_members set role = 'manager' where user_id = $1`, [
          cast.people.manager.userId,
        ]);
      }
      expect(await jobOf(id)).toMatchObject({
        status: 'failed',
        processed: 500,
        changed: 500,
        error: 'only admins, managers and agents change customers',
      });
      expect(await remaining(id)).toBe(700);
    });

    it('the person who asked cancels a running job; nobody else can', async () => {
      const { data } = await act('manager', 'tag', tagId, bigSegment);
      const id = (data as Job).id;
      expect((await cast.client('admin').rpc('cancel_segment_action', { action_id: id })).error?.code).toBe('P0002');
      const cancelled = await cast.client('manager').rpc('cancel_segment_action', { action_id: id });
      expect(cancelled.data).toMatchObject({ status: 'cancelled', processed: 500 });
      await work();
      expect(await jobOf(id)).toMatchObject({ status: 'cancelled', processed: 500, changed: 500 });
      expect(await remaining(id)).toBe(0);
    });

    it('role matrix: the person who asked and admins read a job; nobody writes one through the API', async () => {
      const [{ id }] = await adminSql<{ id: string }>(
        `select id from public.segment_actions where segment_id = $1 limit 1`,
        [bigSegment],
      );
      const counts = await cast.countsAs(
        ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger'],
        `select count(*)::int as n from public.segment_actions where id = $1`,
        [id],
      );
      expect(counts).toEqual({ admin: 1, manager: 1, agent: 0, readonly: 0, shopper: 0, stranger: 0 });
      await expect(cast.sql('anon', `select count(*) from public.segment_actions`)).rejects.toMatchObject({
        code: '42501',
      });
      const statements = [
        `insert into public.segment_actions (actor_id, action, value, total) values (auth.uid(), 'stage', 'vip', 0)`,
        `update public.segment_actions set processed = total`,
        `delete from public.segment_actions`,
        `select private.run_segment_actions()`,
        `select private.claim_segment_action_batch('${id}', 10)`,
      ];
      for (const caller of ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
        for (const statement of statements) {
          // The person who asked may claim a batch of their own job (it has none left: null).
          if (caller === 'manager' && statement.includes('claim_')) continue;
          await expect(cast.sql(caller, statement), `${caller}: ${statement}`).rejects.toMatchObject({
            code: '42501',
          });
        }
      }
      expect((await jobOf(id)).status).not.toBe('running');
      expect(await cast.sql('manager', statements[4])).toEqual([{ claim_segment_action_batch: null }]);
    });
  });
});

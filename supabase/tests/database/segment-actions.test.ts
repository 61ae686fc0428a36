import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Bulk actions on all of a segment's members (migration 20261207172200, act_on_segment): tag,
 * assign and stage, every member however many pages they fill, as the caller may change them —
 * an agent only their own customers, readonly refused, a private segment of someone else's
 * unknown; bad input refused with 22023 and nothing written.
 */

const run = randomUUID().slice(0, 8);
const marker = `act-${run}`;

describe('act_on_segment', () => {
  let cast: Cast;
  const ids: Record<string, string> = {};
  let segmentId: string;
  let privateId: string;
  let tagId: string;

  const act = (caller: Caller, action: unknown, value: unknown, segment = segmentId) =>
    cast.client(caller).rpc('act_on_segment', { segment_id: segment, action, value });
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
    expect(data).toBe(2);
    expect(await stages()).toEqual({ anna: 'vip', ben: 'prospect', cleo: 'vip', dora: 'prospect' });
    // Again: nothing left to change.
    expect((await act('agent', 'stage', 'vip')).data).toBe(0);
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
    expect(tag.data).toBe(3);
    expect(await tagged()).toEqual(['anna', 'ben', 'cleo']);
    expect((await act('manager', 'tag', tagId)).data).toBe(0);

    const assign = await act('manager', 'assign', cast.people.agent2.userId);
    expect(assign.error).toBeNull();
    expect(assign.data).toBe(2);
    const [{ n }] = await adminSql<{ n: number }>(
      `select count(*)::int as n from public.customers where last_name = $1 and owner_id = $2`,
      [run, cast.people.agent2.userId],
    );
    expect(n).toBe(3);
    const unassign = await act('manager', 'assign', null);
    expect(unassign.data).toBe(3);
  });
});

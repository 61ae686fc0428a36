import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { createCustomer } from '../../../scripts/testing/support/commerce.ts';

/**
 * Role matrices for deal stages and deals; probability and closed_at kept by the database;
 * agents never assign deals to others; bad input; audit rows.
 */

interface Stage {
  id: string;
  name: string;
  probability: number;
}

let stages: Record<'waiting' | 'qualified' | 'reserved' | 'won' | 'lost', Stage>;

async function loadStages(): Promise<void> {
  const rows = await adminSql<Stage & { is_won: boolean; is_lost: boolean }>(
    `select s.id, s.name, s.probability, s.is_won, s.is_lost from public.deal_stages s
     join public.pipelines p on p.id = s.pipeline_id where p.name = 'Waiting list' order by s.position`,
  );
  const named = (name: string) => {
    const stage = rows.find((row) => row.name === name);
    if (!stage) throw new Error(`seeded stage ${name} is missing`);
    return stage;
  };
  stages = {
    waiting: named('Waiting list'),
    qualified: named('Qualified'),
    reserved: named('Reserved'),
    won: named('Won (owner)'),
    lost: named('Lost'),
  };
}

describe('deal stages: access rules', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('deal-stages');
    await loadStages();
  });
  afterAll(() => cast?.end());

  it('are seeded waiting list → qualified → reserved → won (owner) / lost', () => {
    expect(Object.values(stages).map((stage) => [stage.name, stage.probability])).toEqual([
      ['Waiting list', 10],
      ['Qualified', 30],
      ['Reserved', 70],
      ['Won (owner)', 100],
      ['Lost', 0],
    ]);
  });

  it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'service_role'])('%s reads the stages', async (caller) => {
    const { data, error } = await cast.client(caller).from('deal_stages').select('id').eq('id', stages.won.id);
    expect(error).toBeNull();
    expect(data).toHaveLength(1);
  });

  it('shoppers and strangers see no stages; anon is refused', async () => {
    for (const caller of ['shopper', 'stranger'] as const) {
      expect((await cast.client(caller).from('deal_stages').select('id')).data).toEqual([]);
    }
    expect((await cast.client('anon').from('deal_stages').select('id')).error).toMatchObject({ code: '42501' });
  });

  it('only admins add, change and remove stages', async () => {
    const name = `Stage ${randomUUID().slice(0, 8)}`;
    const position = 1000 + Math.floor(Math.random() * 19_000);
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as const) {
      const { error } = await cast.client(caller).from('deal_stages').insert({ name, position, probability: 50 });
      expect(error, caller).toMatchObject({ code: '42501' });
    }
    const created = await cast
      .client('admin')
      .from('deal_stages')
      .insert({ name, position, probability: 50 })
      .select('id')
      .single();
    expect(created.error).toBeNull();
    const id = (created.data as { id: string }).id;
    for (const caller of ['manager', 'agent', 'readonly'] as const) {
      expect(
        (await cast.client(caller).from('deal_stages').update({ probability: 60 }).eq('id', id).select('id')).data,
      ).toEqual([]);
      expect((await cast.client(caller).from('deal_stages').delete().eq('id', id).select('id')).data).toEqual([]);
    }
    expect(
      (await cast.client('admin').from('deal_stages').update({ probability: 60 }).eq('id', id).select('id')).data,
    ).toHaveLength(1);
    expect((await cast.client('admin').from('deal_stages').delete().eq('id', id).select('id')).data).toHaveLength(1);
  });

  it.each([
    ['a probability over 100', { probability: 101 }, /probability_between_0_and_100/],
    ['a stage both won and lost', { is_won: true, is_lost: true, probability: 100 }, /both_won_and_lost/],
    ['a won stage below 100 %', { is_won: true, probability: 90 }, /won_means_100_lost_means_0/],
    ['a duplicate position', { position: 10 }, /position_key/],
  ])('refuses %s', async (_, extra, mentions) => {
    const { error } = await cast
      .client('admin')
      .from('deal_stages')
      .insert({
        name: `Bad ${randomUUID().slice(0, 8)}`,
        position: 21_000 + Math.floor(Math.random() * 1000),
        ...extra,
      });
    expect(['23514', '23505']).toContain(error?.code);
    expect(error?.message).toMatch(mentions);
  });

  it('refuses to remove a stage that still holds deals', async () => {
    const [{ id: stage }] = await adminSql<{ id: string }>(
      `insert into public.deal_stages (name, position, probability) values ($1, $2, 40) returning id`,
      [`In use ${randomUUID().slice(0, 8)}`, 22_000 + Math.floor(Math.random() * 1000)],
    );
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name) values ('Stage user') returning id`,
    );
    await adminSql(`insert into public.deals (customer_id, title, stage_id) values ($1, 'Holding', $2)`, [
      customer,
      stage,
    ]);
    const { error } = await cast.client('admin').from('deal_stages').delete().eq('id', stage);
    expect(error?.code).toBe('23503');
    expect(error?.message).toMatch(/deals/);
  });
});

describe('deals: access rules', () => {
  let cast: Cast;
  let agentsCustomer: string;
  let agent2sCustomer: string;
  let agentsDeal: string;
  let agent2sDeal: string;
  let managersDealOnAgentsCustomer: string;

  const deal = async (customer: string, owner: string | null, title = 'Puppy reservation') =>
    (
      await adminSql<{ id: string }>(
        `insert into public.deals (customer_id, title, stage_id, amount, currency, owner_id)
         values ($1, $2, $3, 1500, 'EUR', $4) returning id`,
        [customer, title, stages.waiting.id, owner],
      )
    )[0].id;

  beforeAll(async () => {
    cast = await createCast('deals');
    await loadStages();
    agentsCustomer = await createCustomer(cast.people.agent.userId);
    agent2sCustomer = await createCustomer(cast.people.agent2.userId);
    agentsDeal = await deal(agentsCustomer, cast.people.agent.userId);
    agent2sDeal = await deal(agent2sCustomer, cast.people.agent2.userId);
    managersDealOnAgentsCustomer = await deal(agentsCustomer, cast.people.manager.userId);
  });
  afterAll(() => cast?.end());

  const visible = async (caller: Caller) => {
    const ids = [agentsDeal, agent2sDeal, managersDealOnAgentsCustomer];
    const { data, error } = await cast.client(caller).from('deals').select('id').in('id', ids);
    expect(error).toBeNull();
    return (data ?? []).map((row: { id: string }) => row.id).sort();
  };

  describe('select', () => {
    it.each<Caller>(['admin', 'manager', 'readonly', 'service_role'])('%s sees every deal', async (caller) => {
      expect(await visible(caller)).toEqual([agentsDeal, agent2sDeal, managersDealOnAgentsCustomer].sort());
    });

    it("an agent sees their customers' deals, whoever owns them", async () => {
      expect(await visible('agent')).toEqual([agentsDeal, managersDealOnAgentsCustomer].sort());
      expect(await visible('agent2')).toEqual([agent2sDeal]);
    });

    it('shoppers and strangers see nothing; anon is refused', async () => {
      const shoppersDeal = await deal(cast.shopperCustomerId, cast.people.agent.userId);
      expect((await cast.client('shopper').from('deals').select('id').eq('id', shoppersDeal)).data).toEqual([]);
      expect(await visible('shopper')).toEqual([]);
      expect(await visible('stranger')).toEqual([]);
      expect((await cast.client('anon').from('deals').select('id').limit(1)).error).toMatchObject({ code: '42501' });
    });

    it('the same rules hold in SQL as the role', async () => {
      const ids = [agentsDeal, agent2sDeal, managersDealOnAgentsCustomer];
      expect(
        await cast.countsAs(
          ['admin', 'readonly', 'agent', 'shopper', 'stranger'],
          'select count(*)::int as n from public.deals where id = any($1)',
          [ids],
        ),
      ).toEqual({ admin: 3, readonly: 3, agent: 2, shopper: 0, stranger: 0 });
      await expect(cast.sql('anon', 'select 1 from public.deals limit 1')).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe('insert', () => {
    it('managers add deals for any customer and any owner', async () => {
      const { data, error } = await cast
        .client('manager')
        .from('deals')
        .insert({
          customer_id: agent2sCustomer,
          title: 'By manager',
          stage_id: stages.qualified.id,
          owner_id: cast.people.agent2.userId,
        })
        .select('owner_id, probability, currency')
        .single();
      expect(error).toBeNull();
      expect(data).toEqual({ owner_id: cast.people.agent2.userId, probability: 30, currency: 'EUR' });
    });

    it('an agent adds deals on their customers, owned by themselves only', async () => {
      const own = await cast
        .client('agent')
        .from('deals')
        .insert({ customer_id: agentsCustomer, title: 'Mine', stage_id: stages.waiting.id, amount: 900 })
        .select('owner_id')
        .single();
      expect(own.error).toBeNull();
      expect(own.data).toEqual({ owner_id: cast.people.agent.userId });
      const forOther = await cast.client('agent').from('deals').insert({
        customer_id: agentsCustomer,
        title: 'For agent2',
        stage_id: stages.waiting.id,
        owner_id: cast.people.agent2.userId,
      });
      expect(forOther.error).toMatchObject({ code: '42501' });
      expect(forOther.error?.message).toBe('agents may assign deals to themselves only');
      const otherCustomer = await cast
        .client('agent')
        .from('deals')
        .insert({ customer_id: agent2sCustomer, title: 'Not my customer', stage_id: stages.waiting.id });
      expect(otherCustomer.error).toMatchObject({ code: '42501' });
      expect(otherCustomer.error?.message).toMatch(/row-level security/);
    });

    it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon'])('%s cannot add deals', async (caller) => {
      const customer = caller === 'shopper' ? cast.shopperCustomerId : agentsCustomer;
      const { error } = await cast
        .client(caller)
        .from('deals')
        .insert({ customer_id: customer, title: 'nope', stage_id: stages.waiting.id });
      expect(error).toMatchObject({ code: '42501' });
    });

    it('nobody writes closed_at, which the database keeps', async () => {
      const { error } = await cast.client('admin').from('deals').insert({
        customer_id: agentsCustomer,
        title: 'x',
        stage_id: stages.won.id,
        closed_at: '2020-01-01T00:00:00Z',
      });
      expect(error).toMatchObject({ code: '42501' });
      expect(error?.message).toMatch(/permission denied/);
    });
  });

  describe('update', () => {
    const move = (caller: Caller, id: string, stageId: string) =>
      cast.client(caller).from('deals').update({ stage_id: stageId }).eq('id', id).select('id');

    it("an agent moves their customers' deals, including ones a manager owns", async () => {
      expect((await move('agent', agentsDeal, stages.qualified.id)).data).toEqual([{ id: agentsDeal }]);
      expect((await move('agent', managersDealOnAgentsCustomer, stages.qualified.id)).data).toEqual([
        { id: managersDealOnAgentsCustomer },
      ]);
      expect((await move('agent', agent2sDeal, stages.qualified.id)).data).toEqual([]);
    });

    it('an agent cannot hand a deal to someone else; a manager can; an agent may take one', async () => {
      const handOff = await cast
        .client('agent')
        .from('deals')
        .update({ owner_id: cast.people.agent2.userId })
        .eq('id', agentsDeal);
      expect(handOff.error).toMatchObject({ code: '42501' });
      expect(handOff.error?.message).toBe('agents may assign deals to themselves only');
      const taken = await cast
        .client('agent')
        .from('deals')
        .update({ owner_id: cast.people.agent.userId })
        .eq('id', managersDealOnAgentsCustomer)
        .select('owner_id');
      expect(taken.data).toEqual([{ owner_id: cast.people.agent.userId }]);
      const reassigned = await cast
        .client('manager')
        .from('deals')
        .update({ owner_id: cast.people.agent2.userId })
        .eq('id', managersDealOnAgentsCustomer)
        .select('owner_id');
      expect(reassigned.data).toEqual([{ owner_id: cast.people.agent2.userId }]);
    });

    it('readonly, shoppers and strangers change nothing; anon is refused', async () => {
      for (const caller of ['readonly', 'shopper', 'stranger'] as const) {
        expect((await move(caller, agentsDeal, stages.reserved.id)).data).toEqual([]);
      }
      expect((await move('anon', agentsDeal, stages.reserved.id)).error).toMatchObject({ code: '42501' });
    });
  });

  describe('delete', () => {
    it('only admins and managers remove deals', async () => {
      const id = await deal(agentsCustomer, cast.people.agent.userId, 'Doomed');
      for (const caller of ['agent', 'readonly', 'shopper', 'stranger'] as const) {
        const { data } = await cast.client(caller).from('deals').delete().eq('id', id).select('id');
        expect(data ?? []).toEqual([]);
      }
      expect((await cast.client('anon').from('deals').delete().eq('id', id)).error).toMatchObject({ code: '42501' });
      expect((await cast.client('manager').from('deals').delete().eq('id', id).select('id')).data).toEqual([{ id }]);
    });
  });
});

describe('deals: probability, closing and bad input', () => {
  let cast: Cast;
  let customer: string;
  beforeAll(async () => {
    cast = await createCast('deal-rules');
    await loadStages();
    [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('Rules', $1) returning id`,
      [cast.people.agent.userId],
    );
  });
  afterAll(() => cast?.end());

  interface DealRow {
    id: string;
    probability: number;
    closed_at: string | null;
  }
  const create = async (fields: Record<string, unknown> = {}) => {
    const { data, error } = await cast
      .client('agent')
      .from('deals')
      .insert({
        customer_id: customer,
        title: 'Litter of spring',
        stage_id: stages.waiting.id,
        amount: 2400,
        ...fields,
      })
      .select('id, probability, closed_at')
      .single();
    expect(error).toBeNull();
    return data as DealRow;
  };
  const update = async (id: string, fields: Record<string, unknown>) => {
    const { data, error } = await cast
      .client('agent')
      .from('deals')
      .update(fields)
      .eq('id', id)
      .select('id, probability, closed_at')
      .single();
    expect(error).toBeNull();
    return data as DealRow;
  };

  it("takes the stage's probability, follows the stage, and keeps an explicit one", async () => {
    const created = await create();
    expect(created).toMatchObject({ probability: 10, closed_at: null });
    expect(await update(created.id, { stage_id: stages.reserved.id })).toMatchObject({ probability: 70 });
    expect(await update(created.id, { probability: 55 })).toMatchObject({ probability: 55 });
    expect(await update(created.id, { stage_id: stages.qualified.id, probability: 45 })).toMatchObject({
      probability: 45,
    });
    expect((await create({ probability: 5 })).probability).toBe(5);
  });

  it('closes on won (100 %) or lost (0 %), keeps the close time, and reopens', async () => {
    const created = await create();
    const won = await update(created.id, { stage_id: stages.won.id });
    expect(won.probability).toBe(100);
    expect(won.closed_at).not.toBeNull();
    const renamed = await update(created.id, { title: 'Renamed after winning', probability: 20 });
    expect(renamed).toMatchObject({ closed_at: won.closed_at, probability: 100 });
    const reopened = await update(created.id, { stage_id: stages.reserved.id });
    expect(reopened).toMatchObject({ closed_at: null, probability: 70 });
    const lost = await update(created.id, { stage_id: stages.lost.id });
    expect(lost.probability).toBe(0);
    expect(lost.closed_at).not.toBeNull();
  });

  it.each([
    ['a negative amount', { amount: -1 }, '23514', /deals_amount_not_negative/],
    ['an unknown currency', { currency: 'EURO' }, '23503', /currency/],
    ['a probability over 100', { probability: 120 }, '23514', /probability_between_0_and_100/],
    ['an empty title', { title: '  ' }, '23514', /title_length/],
    ['an unknown stage', { stage_id: '00000000-0000-0000-0000-000000000000' }, '23503', /no such deal stage/],
    ['a malformed close date', { expected_close: 'next spring' }, '22007', /date/],
  ])('refuses %s', async (_, fields, code, mentions) => {
    const { error } = await cast
      .client('agent')
      .from('deals')
      .insert({ customer_id: customer, title: 'Bad', stage_id: stages.waiting.id, ...fields });
    expect(error?.code).toBe(code);
    expect(`${error?.message} ${error?.details}`).toMatch(mentions);
  });

  it('writes an audit row for every change, with the actor', async () => {
    const created = await create();
    await update(created.id, { stage_id: stages.won.id });
    await cast.client('manager').from('deals').delete().eq('id', created.id);
    const rows = await adminSql<{ action: string; actor_id: string; after: { closed_at: string | null } | null }>(
      `select action, actor_id, after from public.audit_log where table_name = 'deals' and row_id = $1 order by id`,
      [created.id],
    );
    expect(rows.map((row) => row.action)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(rows.map((row) => row.actor_id)).toEqual([
      cast.people.agent.userId,
      cast.people.agent.userId,
      cast.people.manager.userId,
    ]);
    expect(rows[1].after?.closed_at).not.toBeNull();
  });
});

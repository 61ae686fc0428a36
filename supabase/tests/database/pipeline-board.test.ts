import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { createCustomer } from '../../../scripts/testing/support/commerce.ts';

/**
 * Several pipelines (role matrix, translated names), card moves through public.move_deal (stable
 * order, renumbering, a reason to close, refusals), stage_entered_at, the forecast, and deal
 * events in the customer timeline (role matrix).
 */

interface StageRow {
  id: string;
  name: string;
  pipeline: string;
  is_won: boolean;
  is_lost: boolean;
}

let stages: StageRow[];
const stage = (pipeline: string, name: string) => {
  const found = stages.find((row) => row.pipeline === pipeline && row.name === name);
  if (!found) throw new Error(`stage ${pipeline} / ${name} is missing`);
  return found.id;
};

async function loadStages(): Promise<void> {
  stages = await adminSql<StageRow>(
    `select s.id, s.name, p.name as pipeline, s.is_won, s.is_lost
     from public.deal_stages s join public.pipelines p on p.id = s.pipeline_id order by p.position, s.position`,
  );
}

async function deal(customer: string, owner: string | null, stageId: string, position = 0, amount = 1000) {
  return (
    await adminSql<{ id: string }>(
      `insert into public.deals (customer_id, title, stage_id, amount, currency, owner_id, position)
       values ($1, $2, $3, $4, private.base_currency(), $5, $6) returning id`,
      [customer, `Deal ${randomUUID().slice(0, 6)}`, stageId, amount, owner, position],
    )
  )[0].id;
}

async function column(stageId: string): Promise<string[]> {
  return (
    await adminSql<{ id: string }>(`select id from public.deals where stage_id = $1 order by position, id`, [stageId])
  ).map((row) => row.id);
}

describe('pipelines', () => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await createCast('pipelines');
    await loadStages();
  });
  afterAll(() => cast?.end());

  it('come seeded with their stages and names in the five languages', async () => {
    const rows = await adminSql<{ name: string; names: Record<string, string> }>(
      `select name, names from public.pipelines where name in ('Waiting list', 'Wholesale deals') order by position`,
    );
    expect(rows.map((row) => row.name)).toEqual(['Waiting list', 'Wholesale deals']);
    for (const row of rows) expect(Object.keys(row.names).sort()).toEqual(['de', 'en', 'es', 'fr', 'zh']);
    expect(stages.filter((row) => row.pipeline === 'Wholesale deals').map((row) => row.name)).toEqual([
      'Lead',
      'Proposal',
      'Negotiation',
      'Won',
      'Lost',
    ]);
    expect(stages.filter((row) => row.pipeline === 'Waiting list').map((row) => row.name)).toEqual(
      expect.arrayContaining(['Waiting list', 'Qualified', 'Reserved', 'Won (owner)', 'Lost']),
    );
  });

  it('every team member and the service role read them; shoppers and strangers nothing; anon refused', async () => {
    expect(
      await cast.countsAs(
        ['admin', 'manager', 'agent', 'readonly', 'service_role', 'shopper', 'stranger'],
        `select count(*)::int as n from public.pipelines where name in ('Waiting list', 'Wholesale deals')`,
      ),
    ).toEqual({ admin: 2, manager: 2, agent: 2, readonly: 2, service_role: 2, shopper: 0, stranger: 0 });
    expect((await cast.client('anon').from('pipelines').select('id')).error).toMatchObject({ code: '42501' });
  });

  it('only admins add, rename and remove pipelines', async () => {
    const name = `Pipeline ${randomUUID().slice(0, 8)}`;
    const position = 100 + Math.floor(Math.random() * 20_000);
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as const) {
      const { error } = await cast.client(caller).from('pipelines').insert({ name, position });
      expect(error, caller).toMatchObject({ code: '42501' });
    }
    const { data, error } = await cast
      .client('admin')
      .from('pipelines')
      .insert({ name, position, names: { de: 'Neu', zh: '新' } })
      .select('id')
      .single();
    expect(error).toBeNull();
    const id = (data as { id: string }).id;
    for (const caller of ['manager', 'agent', 'readonly'] as const) {
      expect((await cast.client(caller).from('pipelines').update({ name: 'x' }).eq('id', id).select()).data).toEqual(
        [],
      );
      expect((await cast.client(caller).from('pipelines').delete().eq('id', id).select()).data).toEqual([]);
    }
    const added = await cast
      .client('admin')
      .from('deal_stages')
      .insert({ pipeline_id: id, name: 'Lead', position: 10, probability: 10, names: { fr: 'Piste' } })
      .select('id')
      .single();
    expect(added.error).toBeNull();
    // A pipeline still holding stages cannot go.
    expect((await cast.client('admin').from('pipelines').delete().eq('id', id)).error?.code).toBe('23503');
    await cast
      .client('admin')
      .from('deal_stages')
      .delete()
      .eq('id', (added.data as { id: string }).id);
    expect((await cast.client('admin').from('pipelines').delete().eq('id', id).select()).data).toHaveLength(1);
  });

  it.each([
    ['a language Cairn does not ship', { names: { it: 'Nuovo' } }],
    ['an empty translated name', { names: { de: ' ' } }],
    ['names that are not an object', { names: ['a'] }],
    ['an empty name', { name: ' ' }],
  ])('refuses %s', async (_, fields) => {
    const { error } = await cast
      .client('admin')
      .from('pipelines')
      .insert({
        name: `Bad ${randomUUID().slice(0, 8)}`,
        position: 30_000 + Math.floor(Math.random() * 1000),
        ...fields,
      });
    expect(error?.code).toBe('23514');
  });

  it('stage names and positions are unique within a pipeline only', async () => {
    // "Lost" exists in both seeded pipelines, at the same position.
    expect(stages.filter((row) => row.name === 'Lost').length).toBeGreaterThanOrEqual(2);
    const { error } = await cast
      .client('admin')
      .from('deal_stages')
      .insert({ pipeline_id: await pipelineId('Wholesale deals'), name: 'Lead', position: 99, probability: 5 });
    expect(error?.code).toBe('23505');
  });

  it('swap_stage_positions swaps two stages of one pipeline in one statement, for admins only', async () => {
    const [{ id: pipeline }] = await adminSql<{ id: string }>(
      `insert into public.pipelines (name, position) values ($1, $2) returning id`,
      [`Swap ${randomUUID().slice(0, 8)}`, 31_000 + Math.floor(Math.random() * 1000)],
    );
    const made = await adminSql<{ id: string; name: string }>(
      `insert into public.deal_stages (pipeline_id, name, position, probability) values
        ($1, 'One', 10, 10), ($1, 'Two', 20, 20) returning id, name`,
      [pipeline],
    );
    const { One: one, Two: two } = Object.fromEntries(made.map((row) => [row.name, row.id]));
    const positions = async () =>
      Object.fromEntries(
        (
          await adminSql<{ name: string; position: number }>(
            `select name, position from public.deal_stages where pipeline_id = $1`,
            [pipeline],
          )
        ).map((row) => [row.name, row.position]),
      );
    for (const caller of ['manager', 'agent', 'readonly'] as const) {
      const { error } = await cast.client(caller).rpc('swap_stage_positions', { first: one, second: two });
      expect(error?.code).toBe('42501');
    }
    // Outside the team the stages are not even visible.
    for (const caller of ['shopper', 'stranger'] as const) {
      const { error } = await cast.client(caller).rpc('swap_stage_positions', { first: one, second: two });
      expect(error?.code).toBe('P0002');
    }
    expect(await positions()).toEqual({ One: 10, Two: 20 });
    expect((await cast.client('admin').rpc('swap_stage_positions', { first: one, second: two })).error).toBeNull();
    expect(await positions()).toEqual({ One: 20, Two: 10 });
    // Stages of two pipelines, or one stage with itself, are refused and nothing moves.
    const other = stages[0].id;
    expect((await cast.client('admin').rpc('swap_stage_positions', { first: one, second: other })).error?.code).toBe(
      '23514',
    );
    expect((await cast.client('admin').rpc('swap_stage_positions', { first: one, second: one })).error?.code).toBe(
      '23514',
    );
    expect(await positions()).toEqual({ One: 20, Two: 10 });
    expect((await cast.client('anon').rpc('swap_stage_positions', { first: one, second: two })).error?.code).toBe(
      '42501',
    );
  });
});

async function pipelineId(name: string): Promise<string> {
  return (await adminSql<{ id: string }>(`select id from public.pipelines where name = $1`, [name]))[0].id;
}

describe('moving deals', () => {
  let cast: Cast;
  let agentsCustomer: string;
  let agent2sCustomer: string;
  let lead: string;
  let proposal: string;
  let won: string;
  let lost: string;

  beforeAll(async () => {
    cast = await createCast('deal-moves');
    await loadStages();
    agentsCustomer = await createCustomer(cast.people.agent.userId);
    agent2sCustomer = await createCustomer(cast.people.agent2.userId);
    // Fresh stages so other tests' cards never share the columns.
    const [{ id: pipeline }] = await adminSql<{ id: string }>(
      `insert into public.pipelines (name, position) values ($1, $2) returning id`,
      [`Moves ${randomUUID().slice(0, 8)}`, 1000 + Math.floor(Math.random() * 20_000)],
    );
    const made = await adminSql<{ id: string; name: string }>(
      `insert into public.deal_stages (pipeline_id, name, position, probability, is_won, is_lost) values
        ($1, 'Lead', 10, 10, false, false), ($1, 'Proposal', 20, 40, false, false),
        ($1, 'Won', 30, 100, true, false), ($1, 'Lost', 40, 0, false, true) returning id, name`,
      [pipeline],
    );
    const byName = (name: string) => made.find((row) => row.name === name)?.id ?? '';
    [lead, proposal, won, lost] = [byName('Lead'), byName('Proposal'), byName('Won'), byName('Lost')];
  });
  afterAll(() => cast?.end());

  const move = (caller: Caller, dealId: string, to: string, after: string | null = null, reason?: string) =>
    cast.client(caller).rpc('move_deal', { deal_id: dealId, to_stage_id: to, after_deal_id: after, reason });

  it('drops a card at the top, after a card, and at the bottom, in a stable order', async () => {
    const a = await deal(agentsCustomer, cast.people.agent.userId, proposal, 1024);
    const b = await deal(agentsCustomer, cast.people.agent.userId, proposal, 2048);
    const c = await deal(agentsCustomer, cast.people.agent.userId, lead, 1024);
    const d = await deal(agentsCustomer, cast.people.agent.userId, lead, 2048);

    expect((await move('agent', c, proposal, a)).error).toBeNull();
    expect(await column(proposal)).toEqual([a, c, b]);
    expect((await move('agent', d, proposal, null)).error).toBeNull();
    expect(await column(proposal)).toEqual([d, a, c, b]);
    expect((await move('agent', a, proposal, b)).error).toBeNull();
    expect(await column(proposal)).toEqual([d, c, b, a]);
    expect(await column(lead)).toEqual([]);
  });

  it('renumbers a column when two cards leave no room between them, keeping the order', async () => {
    const first = await deal(agentsCustomer, cast.people.agent.userId, lead, 5);
    const second = await deal(agentsCustomer, cast.people.agent.userId, lead, 5 + 1e-9);
    const moving = await deal(agentsCustomer, cast.people.agent.userId, lead, 100);
    expect((await move('agent', moving, lead, first)).error).toBeNull();
    expect(await column(lead)).toEqual([first, moving, second]);
    const positions = await adminSql<{ position: number }>(
      `select position from public.deals where stage_id = $1 order by position`,
      [lead],
    );
    expect(positions[1].position - positions[0].position).toBeGreaterThan(1);
  });

  it('records when the deal entered its stage, and only then', async () => {
    const id = await deal(agentsCustomer, cast.people.agent.userId, lead);
    await adminSql(`update public.deals set stage_entered_at = now() - interval '9 days' where id = $1`, [id]);
    await adminSql(`update public.deals set title = 'Renamed' where id = $1`, [id]);
    const [before] = await adminSql<{ days: number }>(
      `select extract(day from now() - stage_entered_at)::int as days from public.deals where id = $1`,
      [id],
    );
    expect(before.days).toBe(9);
    await move('agent', id, proposal);
    const [after] = await adminSql<{ days: number }>(
      `select extract(day from now() - stage_entered_at)::int as days from public.deals where id = $1`,
      [id],
    );
    expect(after.days).toBe(0);
  });

  it('asks for a reason to close as won or lost, then closes the deal with it', async () => {
    const id = await deal(agentsCustomer, cast.people.agent.userId, proposal);
    for (const reason of [undefined, '   ']) {
      const { error } = await move('agent', id, won, null, reason);
      expect(error).toMatchObject({ code: '23514', message: 'say why the deal was won before closing it' });
    }
    expect((await move('agent', id, lost)).error?.message).toBe('say why the deal was lost before closing it');
    const { data, error } = await move('agent', id, won, null, 'Signed the wholesale contract');
    expect(error).toBeNull();
    expect(data).toMatchObject({ probability: 100, close_reason: 'Signed the wholesale contract' });
    expect((data as { closed_at: string | null }).closed_at).not.toBeNull();
    // Reopening clears the reason.
    const reopened = await move('agent', id, proposal);
    expect(reopened.data).toMatchObject({ closed_at: null, close_reason: null, probability: 40 });
  });

  it('refuses a move to a stage of another pipeline, with a message, whoever asks', async () => {
    const id = await deal(agentsCustomer, cast.people.agent.userId, lead);
    const other = stage('Wholesale deals', 'Proposal');
    for (const caller of ['agent', 'admin'] as const) {
      const { error } = await move(caller, id, other);
      expect(error).toMatchObject({
        code: '23514',
        message: 'a deal moves only between the stages of its own pipeline',
      });
    }
    // Not through a plain update either.
    const { error } = await cast.client('manager').from('deals').update({ stage_id: other }).eq('id', id);
    expect(error?.code).toBe('23514');
    expect(await column(lead)).toContain(id);
  });

  it('refuses an unknown stage, an unknown deal and a drop point in another column', async () => {
    const id = await deal(agentsCustomer, cast.people.agent.userId, lead);
    const elsewhere = await deal(agentsCustomer, cast.people.agent.userId, proposal);
    expect((await move('agent', id, randomUUID())).error?.code).toBe('23503');
    expect((await move('agent', randomUUID(), lead)).error?.code).toBe('P0002');
    expect((await move('agent', id, lead, elsewhere)).error?.code).toBe('22023');
    expect((await move('agent', id, 'not-a-uuid')).error?.code).toBe('22P02');
  });

  it("an agent moves their customers' deals only; readonly, shoppers and strangers move nothing; anon is refused", async () => {
    const theirs = await deal(agent2sCustomer, cast.people.agent2.userId, lead);
    expect((await move('agent', theirs, proposal)).error?.code).toBe('P0002');
    for (const caller of ['readonly', 'shopper', 'stranger'] as const) {
      expect((await move(caller, theirs, proposal)).error, caller).not.toBeNull();
    }
    expect((await move('anon', theirs, proposal)).error?.code).toBe('42501');
    expect(await column(lead)).toContain(theirs);
    expect((await move('agent2', theirs, proposal)).error).toBeNull();
    expect((await move('manager', theirs, lead)).error).toBeNull();
  });

  it('writes a deal event for creation and each stage change, shown in the timeline', async () => {
    const id = await deal(agentsCustomer, cast.people.agent.userId, lead);
    await move('agent', id, proposal);
    await move('agent', id, lost, null, 'Went with a competitor');
    await move('manager', id, lead);
    const events = await adminSql<{ event: string; reason: string | null; actor_id: string | null }>(
      `select event, reason, actor_id from public.deal_events where deal_id = $1 order by id`,
      [id],
    );
    expect(events).toEqual([
      { event: 'created', reason: null, actor_id: null },
      { event: 'moved', reason: null, actor_id: cast.people.agent.userId },
      { event: 'lost', reason: 'Went with a competitor', actor_id: cast.people.agent.userId },
      { event: 'reopened', reason: null, actor_id: cast.people.manager.userId },
    ]);
    const { data } = await cast
      .client('agent')
      .from('customer_timeline')
      .select('kind, summary')
      .eq('customer_id', agentsCustomer)
      .eq('source', 'deal')
      .eq('data->>deal_id', id)
      .order('occurred_at');
    expect((data ?? []).map((row: { kind: string }) => row.kind).sort()).toEqual(
      ['created', 'lost', 'moved', 'reopened'].sort(),
    );
  });
});

describe('deal events: access rules', () => {
  let cast: Cast;
  let agentsDeal: string;
  let agent2sDeal: string;

  beforeAll(async () => {
    cast = await createCast('deal-events');
    await loadStages();
    const waiting = stage('Waiting list', 'Waiting list');
    agentsDeal = await deal(await createCustomer(cast.people.agent.userId), cast.people.agent.userId, waiting);
    agent2sDeal = await deal(await createCustomer(cast.people.agent2.userId), cast.people.agent2.userId, waiting);
  });
  afterAll(() => cast?.end());

  it('staff who see the customer read them; agents their own customers; shoppers and strangers nothing', async () => {
    expect(
      await cast.countsAs(
        ['admin', 'manager', 'readonly', 'agent', 'agent2', 'service_role', 'shopper', 'stranger'],
        'select count(*)::int as n from public.deal_events where deal_id = any($1)',
        [[agentsDeal, agent2sDeal]],
      ),
    ).toEqual({ admin: 2, manager: 2, readonly: 2, agent: 1, agent2: 1, service_role: 2, shopper: 0, stranger: 0 });
    expect((await cast.client('anon').from('deal_events').select('id')).error).toMatchObject({ code: '42501' });
  });

  it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'])(
    '%s cannot write them',
    async (caller) => {
      const client = cast.client(caller);
      const inserted = await client
        .from('deal_events')
        .insert({ deal_id: agentsDeal, customer_id: randomUUID(), event: 'won', title: 'Fake' });
      expect(inserted.error?.code).toBe('42501');
      const updated = await client.from('deal_events').update({ event: 'won' }).eq('deal_id', agentsDeal);
      expect(updated.error?.code).toBe('42501');
      const removed = await client.from('deal_events').delete().eq('deal_id', agentsDeal);
      expect(removed.error?.code).toBe('42501');
    },
  );

  it('nobody writes stage_entered_at or amount_base, which the database keeps', async () => {
    for (const column of ['stage_entered_at', 'amount_base']) {
      const { error } = await cast
        .client('admin')
        .from('deals')
        .update({ [column]: column === 'amount_base' ? 1 : new Date().toISOString() })
        .eq('id', agentsDeal);
      expect(error?.code, column).toBe('42501');
    }
  });
});

describe('forecast', () => {
  let cast: Cast;
  let pipeline: string;
  let early: string;
  let late: string;

  beforeAll(async () => {
    cast = await createCast('forecast');
    [{ id: pipeline }] = await adminSql<{ id: string }>(
      `insert into public.pipelines (name, position) values ($1, $2) returning id`,
      [`Forecast ${randomUUID().slice(0, 8)}`, 1000 + Math.floor(Math.random() * 20_000)],
    );
    [{ id: early }, { id: late }] = await adminSql<{ id: string }>(
      `insert into public.deal_stages (pipeline_id, name, position, probability) values
        ($1, 'Early', 10, 20), ($1, 'Late', 20, 80) returning id`,
      [pipeline],
    );
    const mine = await createCustomer(cast.people.agent.userId);
    const theirs = await createCustomer(cast.people.agent2.userId);
    await adminSql(
      `insert into public.deals (customer_id, title, stage_id, amount, currency, owner_id, expected_close) values
        ($1, 'A', $3, 1000, private.base_currency(), $4, '2027-01-10'),
        ($1, 'B', $3, 500, private.base_currency(), $4, '2027-01-20'),
        ($1, 'C', $5, 2000, private.base_currency(), $4, '2027-02-01'),
        ($2, 'D', $5, 10000, private.base_currency(), $6, null)`,
      [mine, theirs, early, cast.people.agent.userId, late, cast.people.agent2.userId],
    );
  });
  afterAll(() => cast?.end());

  const forecast = async (caller: Caller, args: Record<string, unknown> = {}) => {
    const { data, error } = await cast.client(caller).rpc('pipeline_forecast', { pipeline, ...args });
    expect(error).toBeNull();
    return (data as Array<Record<string, unknown>>)
      .map((row) => ({
        stage: row.stage_id === early ? 'early' : 'late',
        month: row.close_month,
        deals: Number(row.deals),
        amount: Number(row.amount_base),
        weighted: Number(row.weighted_base),
      }))
      .sort((a, b) => `${a.stage}${a.month}`.localeCompare(`${b.stage}${b.month}`));
  };

  it('sums amount and amount × probability per stage and month of expected close', async () => {
    expect(await forecast('manager')).toEqual([
      { stage: 'early', month: '2027-01-01', deals: 2, amount: 1500, weighted: 300 },
      { stage: 'late', month: '2027-02-01', deals: 1, amount: 2000, weighted: 1600 },
      { stage: 'late', month: null, deals: 1, amount: 10000, weighted: 8000 },
    ]);
  });

  it("covers only the deals the caller may see, and honours the board's filters", async () => {
    expect((await forecast('agent')).map((row) => row.deals)).toEqual([2, 1]);
    expect(await forecast('agent2')).toEqual([{ stage: 'late', month: null, deals: 1, amount: 10000, weighted: 8000 }]);
    expect(await forecast('manager', { min_amount: 1000, close_to: '2027-01-31' })).toEqual([
      { stage: 'early', month: '2027-01-01', deals: 1, amount: 1000, weighted: 200 },
    ]);
    expect((await forecast('manager', { owner: cast.people.agent2.userId })).map((row) => row.amount)).toEqual([10000]);
    expect(await forecast('shopper')).toEqual([]);
    expect((await cast.client('anon').rpc('pipeline_forecast', { pipeline })).error?.code).toBe('42501');
  });

  it("pipeline_board gives every column's first cards in board order in one call, as the caller may see them", async () => {
    const board = async (caller: Caller, args: Record<string, unknown> = {}) => {
      const { data, error } = await cast.client(caller).rpc('pipeline_board', { pipeline, ...args });
      expect(error).toBeNull();
      return (data as Array<{ title: string; stage_id: string; customer: { id: string } | null }>).map(
        (row) => `${row.stage_id === early ? 'early' : 'late'}:${row.title}:${row.customer ? 'c' : '-'}`,
      );
    };
    await adminSql(
      `update public.deals set position = case title when 'A' then 2 when 'B' then 1 when 'C' then 1 else 2 end where stage_id in ($1, $2)`,
      [early, late],
    );
    expect(await board('manager')).toEqual(['early:B:c', 'early:A:c', 'late:C:c', 'late:D:c']);
    expect(await board('readonly')).toEqual(['early:B:c', 'early:A:c', 'late:C:c', 'late:D:c']);
    expect(await board('agent')).toEqual(['early:B:c', 'early:A:c', 'late:C:c']);
    expect(await board('manager', { per_column: 1 })).toEqual(['early:B:c', 'late:C:c']);
    expect(await board('manager', { min_amount: 1000, close_to: '2027-01-31' })).toEqual(['early:A:c']);
    expect(await board('shopper')).toEqual([]);
    expect((await cast.client('anon').rpc('pipeline_board', { pipeline })).error?.code).toBe('42501');
  });
});

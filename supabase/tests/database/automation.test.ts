import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';
import { createOrder, createProduct, uniqueTag } from '../../../scripts/testing/support/commerce.ts';

/**
 * Automation flows (migrations 20261208110000–20261208110200, issue 16): who may write flows and
 * read passages (role matrix, refusals asserted), flows refused when they do not validate or
 * would loop (22023 naming the place), triggers captured by the database enrolling once, and the
 * engine: every step kind, simulated time (run_flows' `now`), consent, quiet hours and the daily
 * cap shared with alerts, retries, and every step exactly once when runs overlap or die mid-chunk.
 * The stack's own schedule of the engine is paused meanwhile, so only these runs move passages.
 */

const run = uniqueTag();
/** One pool for this file's superuser SQL (fixtures, simulated clock): a connection per query would cost more than the tests. */
const pool = new pg.Pool({ connectionString: config.adminDbUrl, max: 4 });
async function adminSql<T extends pg.QueryResultRow = Record<string, unknown>>(text: string, params: unknown[] = []) {
  return (await pool.query<T>(text, params)).rows;
}
let cast: Cast;
let tagId: string;
let otherTagId: string;
let templateKey: string;
let settings: Record<string, unknown> | undefined;
/** Noon UTC tomorrow: a fixed, daytime instant after every enrolment of the test. */
let noon: Date;
const at = (days: number, hours = 0) => new Date(noon.getTime() + (days * 24 + hours) * 3600_000).toISOString();

const runFlows = (now: string, batch = 200) =>
  adminSql<{
    run_flows: { passages: number; steps: number; failed: number; set_steps: number; rounds_rolled_back: number };
  }>('select public.run_flows($1, $2)', [batch, now]);

async function flow(fields: Record<string, unknown>, status: 'draft' | 'active' = 'active'): Promise<string> {
  const { data, error } = await cast
    .client('manager')
    .from('flows')
    .insert({ name: `Flow ${uniqueTag()}`, status, ...fields })
    .select('id')
    .single();
  if (error) throw new Error(`${error.code} ${error.message}`);
  return (data as { id: string }).id;
}

async function customer(fields: { timezone?: string; email?: boolean; owner?: string | null } = {}): Promise<string> {
  const tag = uniqueTag();
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, email, timezone, owner_id, language)
     values ('Flo', $1, $2, $3, $4, 'en') returning id`,
    [
      run,
      fields.email === false ? null : `flow-${tag}@example.test`,
      fields.timezone ?? 'UTC',
      fields.owner === undefined ? cast.people.agent.userId : fields.owner,
    ],
  );
  return id;
}

/** n customers in one statement (owned by agent, zone UTC unless told). */
async function customers(n: number, timezone = 'UTC', owner: string | null = null): Promise<string[]> {
  const rows = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, email, timezone, owner_id, language)
     select 'Flo', $1, 'flow-' || $1 || '-' || i || '@example.test', $3, $4, 'en' from generate_series(1, $2) i returning id`,
    [uniqueTag(), n, timezone, owner],
  );
  return rows.map((r) => r.id);
}

const consent = (customerId: string, status: 'granted' | 'withdrawn') =>
  adminSql(
    `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
     values ($1, 'email', 'marketing', $2, 'staff', now() - interval '1 day')`,
    [customerId, status],
  );

async function path(flowId: string, customerId: string) {
  return (
    await adminSql<{ step_key: string; outcome: string; detail: string | null }>(
      `select r.step_key, r.outcome, r.detail from public.flow_step_runs r
       where r.flow_id = $1 and r.customer_id = $2 order by r.id`,
      [flowId, customerId],
    )
  ).map((r) => `${r.step_key}:${r.outcome}${r.detail ? ` (${r.detail})` : ''}`);
}

async function enrolment(flowId: string, customerId: string) {
  const [row] = await adminSql<{ state: string; exit_reason: string | null; current_step: string | null }>(
    `select state, exit_reason, current_step from public.flow_enrolments where flow_id = $1 and customer_id = $2
     order by entered_at desc limit 1`,
    [flowId, customerId],
  );
  return row;
}

beforeAll(async () => {
  await adminSql(
    `update cron.job set active = false where jobname in ('run-automation-flows', 'work-automation-backlog', 'work-automation-backlog-2', 'send-automation-emails')`,
  );
  cast = await createCast('automation');
  [{ id: tagId }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
    `Flow tag ${run}`,
  ]);
  [{ id: otherTagId }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
    `Flow other ${run}`,
  ]);
  templateKey = `flow_${run}`;
  await adminSql(
    `insert into public.email_template_variables (name, description, example) values ('offer', 'An offer', '10% off') on conflict do nothing`,
  );
  [settings] = await adminSql(
    `select daily_cap_per_shopper, quiet_hours_start, quiet_hours_end from public.alert_settings`,
  );
  await adminSql(
    `update public.alert_settings set daily_cap_per_shopper = 3, quiet_hours_start = '21:00', quiet_hours_end = '08:00'`,
  );
  const [{ id: templateId }] = await adminSql<{ id: string }>(
    `insert into public.email_templates (key, name, category, purpose) values ($1, 'Flow mail', 'marketing', 'marketing') returning id`,
    [templateKey],
  );
  await adminSql(
    `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
     values ($1, 'en', 'Hello {{first_name}}', '<p>Hi {{first_name}}, {{offer}}</p>', 'Hi {{first_name}}, {{offer}}')`,
    [templateId],
  );
  [{ noon }] = await adminSql<{ noon: Date }>(
    `select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' + interval '36 hours' as noon`,
  );
});

afterAll(async () => {
  // Nothing of this file keeps running after it: its flows go, with their passages.
  await adminSql(`delete from public.flows where created_by = $1`, [cast?.people.manager.userId]);
  if (settings) {
    await adminSql(
      `update public.alert_settings set daily_cap_per_shopper = $1, quiet_hours_start = $2, quiet_hours_end = $3`,
      [settings.daily_cap_per_shopper, settings.quiet_hours_start, settings.quiet_hours_end],
    );
  }
  await adminSql(
    `update cron.job set active = true where jobname in ('run-automation-flows', 'work-automation-backlog', 'work-automation-backlog-2', 'send-automation-emails')`,
  );
  await cast?.end();
  await pool.end();
});

describe('who may do what with flows', () => {
  const staff: Caller[] = ['admin', 'manager', 'agent', 'agent2', 'readonly', 'shopper', 'stranger'];
  const anonRefused = async (table: string) => {
    const { error } = await cast.client('anon').from(table).select('id').limit(1);
    expect(error?.code, table).toBe('42501');
  };

  it('admins and managers write flows; agents and readonly read them; others see nothing', async () => {
    const id = await flow({ trigger: { type: 'customer_created' }, steps: [] }, 'draft');
    const seen = await cast.countsAs(staff, 'select count(*)::int as n from public.flows where id = $1', [id]);
    expect(seen).toEqual({ admin: 1, manager: 1, agent: 1, agent2: 1, readonly: 1, shopper: 0, stranger: 0 });
    await anonRefused('flows');

    for (const caller of ['agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      const inserted = await cast
        .client(caller)
        .from('flows')
        .insert({ name: `Nope ${uniqueTag()}`, trigger: { type: 'customer_created' } });
      expect(inserted.error?.code, caller).toBe('42501');
      const updated = await cast.client(caller).from('flows').update({ name: 'Taken over' }).eq('id', id).select('id');
      expect(updated.data ?? [], caller).toEqual([]);
      const deleted = await cast.client(caller).from('flows').delete().eq('id', id).select('id');
      expect(deleted.data ?? [], caller).toEqual([]);
    }
    // Nobody sets what the database derives.
    const indexed = await cast.client('admin').from('flows').update({ step_index: {} }).eq('id', id);
    expect(indexed.error?.code).toBe('42501');

    const renamed = await cast
      .client('admin')
      .from('flows')
      .update({ name: `Renamed ${run}` })
      .eq('id', id)
      .select('name');
    expect(renamed.data).toEqual([{ name: `Renamed ${run}` }]);
    const gone = await cast.client('manager').from('flows').delete().eq('id', id).select('id');
    expect(gone.data).toEqual([{ id }]);
  });

  it('passages and paths are read like their customer and written by nobody through the API', async () => {
    const id = await flow({ trigger: { type: 'tag_added', tag_id: otherTagId }, steps: [] });
    const mine = await customer({ owner: cast.people.agent.userId });
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [mine, otherTagId]);
    const byCaller = await cast.countsAs(
      staff,
      'select count(*)::int as n from public.flow_enrolments e join public.flow_step_runs r on r.enrolment_id = e.id where e.flow_id = $1',
      [id],
    );
    expect(byCaller).toEqual({ admin: 1, manager: 1, agent: 1, agent2: 0, readonly: 1, shopper: 0, stranger: 0 });
    await anonRefused('flow_enrolments');
    await anonRefused('flow_step_runs');

    for (const caller of ['admin', 'manager', 'agent'] as Caller[]) {
      const entered = await cast
        .client(caller)
        .from('flow_enrolments')
        .insert({ flow_id: id, customer_id: mine, entry_key: 'by hand' });
      expect(entered.error?.code, caller).toBe('42501');
      const logged = await cast
        .client(caller)
        .from('flow_step_runs')
        .update({ outcome: 'done' })
        .eq('flow_id', id)
        .select('id');
      expect(logged.error?.code, caller).toBe('42501');
      const removed = await cast.client(caller).from('flow_enrolments').delete().eq('flow_id', id);
      expect(removed.error?.code, caller).toBe('42501');
    }
    const engine = await cast.client('manager').rpc('run_flows', { batch_size: 10 });
    expect(engine.error?.code).toBe('42501');
    const claim = await cast.client('admin').rpc('claim_flow_emails', { batch_size: 10 });
    expect(claim.error?.code).toBe('42501');
  });
});

describe('a flow is checked when saved', () => {
  const refused = async (fields: Record<string, unknown>) => {
    const { error } = await cast
      .client('manager')
      .from('flows')
      .insert({ name: `Bad ${uniqueTag()}`, ...fields });
    return error ? `${error.code} ${error.message}` : 'accepted';
  };

  it('refuses bad triggers, steps and goals with 22023 naming the place', async () => {
    const ok = { type: 'customer_created' };
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ trigger: { type: 'moon_rise' } }, /^22023 trigger: unknown trigger "moon_rise"/],
      [{ trigger: 'customer_created' }, /^22023 trigger: the trigger must be an object/],
      [{ trigger: { type: 'inactive_days', days: 0 } }, /^22023 trigger: days must be/],
      [{ trigger: { type: 'inactive_days', days: '90; drop table flows' } }, /^22023 trigger: days must be/],
      [{ trigger: { type: 'tag_added', tag_id: 'not-a-uuid' } }, /^22023 trigger: tag_id must name a tag/],
      [
        { trigger: { type: 'segment_entered', segment_id: crypto.randomUUID() } },
        /^22023 trigger: segment_id must name/,
      ],
      [
        { trigger: { type: 'customer_created', extra: 1 } },
        /^22023 trigger: a customer_created trigger has no field extra/,
      ],
      [{ trigger: ok, steps: {} }, /^22023 steps: steps must be a list/],
      [{ trigger: ok, steps: [{ id: 'a', kind: 'teleport' }] }, /^22023 steps\.1: unknown step kind "teleport"/],
      [{ trigger: ok, steps: [{ id: 'A B', kind: 'wait', days: 1 }] }, /^22023 steps\.1: id must be a slug/],
      [{ trigger: ok, steps: [{ id: 'entered', kind: 'wait', days: 1 }] }, /^22023 steps\.1: id must be a slug/],
      [{ trigger: ok, steps: [{ id: 'a', kind: 'wait' }] }, /^22023 steps\.1: a wait needs/],
      [{ trigger: ok, steps: [{ id: 'a', kind: 'wait', days: -1 }] }, /^22023 steps\.1: days must be/],
      [{ trigger: ok, steps: [{ id: 'a', kind: 'wait', until_local: '25:00' }] }, /^22023 steps\.1: until_local/],
      [
        {
          trigger: ok,
          steps: [
            { id: 'a', kind: 'wait', days: 1 },
            { id: 'a', kind: 'wait', days: 1 },
          ],
        },
        /^22023 steps\.2: step id "a" is used twice/,
      ],
      [
        {
          trigger: ok,
          steps: [
            {
              id: 'c',
              kind: 'condition',
              rules: { match: 'all', conditions: [{ field: 'nope', op: 'eq', value: 1 }] },
            },
          ],
        },
        /^22023 steps\.1\.rules: /,
      ],
      [
        {
          trigger: ok,
          steps: [
            {
              id: 'c',
              kind: 'condition',
              rules: { match: 'all', conditions: [] },
              then: [{ id: 'x', kind: 'set_stage', stage: 'no-such-stage' }],
            },
          ],
        },
        /^22023 steps\.1\.then\.1: no lifecycle stage no-such-stage/,
      ],
      [
        { trigger: ok, steps: [{ id: 's', kind: 'send_template', template_key: 'nope_nope' }] },
        /^22023 steps\.1: no email template/,
      ],
      [
        { trigger: ok, steps: [{ id: 's', kind: 'notify', member: crypto.randomUUID(), title: 'x' }] },
        /member must be/,
      ],
      [
        { trigger: ok, steps: [{ id: 's', kind: 'assign_owner', mode: 'round_robin', members: [] }] },
        /round robin needs/,
      ],
      [{ trigger: ok, steps: [{ id: 's', kind: 'add_tag', tag_id: tagId, sneaky: true }] }, /has no field sneaky/],
      [{ trigger: ok, goal: { kind: 'world_peace' } }, /^22023 goal: the goal must be/],
    ];
    for (const [fields, expected] of cases) expect(await refused(fields), JSON.stringify(fields)).toMatch(expected);
  });

  it('refuses a flow that would loop: a step re-triggering its own trigger', async () => {
    expect(
      await refused({
        trigger: { type: 'tag_added', tag_id: tagId },
        steps: [{ id: 'again', kind: 'add_tag', tag_id: tagId }],
      }),
    ).toMatch(/^22023 steps: step "again" adds the tag that starts this flow: the flow would loop/);
    expect(
      await refused({
        trigger: { type: 'stage_changed', to: 'customer' },
        steps: [
          {
            id: 'c',
            kind: 'condition',
            rules: { match: 'all', conditions: [] },
            else: [{ id: 'back', kind: 'set_stage', stage: 'customer' }],
          },
        ],
      }),
    ).toMatch(/step "back" sets a stage that starts this flow/);
    // Another tag, or another stage, is no loop.
    expect(
      await refused({
        trigger: { type: 'tag_added', tag_id: tagId },
        steps: [{ id: 'other', kind: 'add_tag', tag_id: otherTagId }],
      }),
    ).toBe('accepted');
  });

  it('refuses a loop through the trigger segment: a step changing what the segment’s rules read (20261209110100)', async () => {
    const { data, error } = await cast
      .client('manager')
      .from('segments')
      .insert({
        name: `Loop segment ${run}`,
        shared: true,
        rules: {
          match: 'any',
          conditions: [
            { field: 'tags', op: 'contains_any', value: [`FLOW TAG ${run}`.toLowerCase()] },
            { match: 'all', conditions: [{ field: 'lifecycle_stage', op: 'in', value: ['churned'] }] },
          ],
        },
      })
      .select('id')
      .single();
    if (error) throw error;
    const segmentId = (data as { id: string }).id;
    const entered = { type: 'segment_entered', segment_id: segmentId };
    // The tag matches the rule's name ignoring case, and a step in a branch counts too.
    expect(
      await refused({
        trigger: entered,
        steps: [
          {
            id: 'c',
            kind: 'condition',
            rules: { match: 'all', conditions: [] },
            then: [{ id: 'mark', kind: 'add_tag', tag_id: tagId }],
          },
        ],
      }),
    ).toMatch(
      /^22023 steps: step "mark" changes the tag "Flow tag .*", which the rules of segment "Loop segment .*" read: the customer would enter the segment that starts this flow again/,
    );
    expect(
      await refused({
        trigger: { type: 'segment_left', segment_id: segmentId },
        steps: [{ id: 'churn', kind: 'set_stage', stage: 'churned' }],
      }),
    ).toMatch(/^22023 steps: step "churn" changes the stage "churned".* would leave the segment/);
    // Saving an existing draft into the loop is refused the same way.
    const id = await flow({ trigger: entered, steps: [{ id: 'other', kind: 'add_tag', tag_id: otherTagId }] }, 'draft');
    const update = await cast
      .client('manager')
      .from('flows')
      .update({ steps: [{ id: 'mark', kind: 'add_tag', tag_id: tagId }] })
      .eq('id', id);
    expect(update.error?.code).toBe('22023');
    // A tag or a stage the rules do not read is no loop.
    expect(
      await refused({
        trigger: entered,
        steps: [
          { id: 'other', kind: 'add_tag', tag_id: otherTagId },
          { id: 'stage', kind: 'set_stage', stage: 'customer' },
        ],
      }),
    ).toBe('accepted');
  });

  const SHIPPED_TEMPLATES = [
    'flow_welcome_1',
    'flow_welcome_2',
    'flow_welcome_3',
    'flow_winback_1',
    'flow_winback_2',
    'flow_thank_you',
    'flow_review_request',
    'flow_cross_sell',
  ];

  it('starts a flow on customer created and on portal sign-up alike, once per customer (also_on, 20261209110200)', async () => {
    expect(await refused({ trigger: { type: 'order_paid' }, also_on: ['portal_signup'] })).toMatch(
      /^22023 trigger: only a flow that starts when a customer is created or signs up/,
    );
    expect(await refused({ trigger: { type: 'customer_created' }, also_on: ['order_paid'] })).toMatch(
      /^22023 trigger: also_on may only add portal_signup/,
    );
    const joined = await flow({ trigger: { type: 'customer_created' }, also_on: ['portal_signup'] });
    try {
      // Created without a portal account, signs up later: one passage.
      const shopper = await customer();
      const [{ id: userId }] = await adminSql<{ id: string }>(
        `insert into auth.users (id, email) values (gen_random_uuid(), $1) returning id`,
        [`joined-${uniqueTag()}@example.test`],
      );
      await adminSql(`update public.customers set auth_user_id = $2 where id = $1`, [shopper, userId]);
      const passages = await adminSql<{ entry_key: string }>(
        `select entry_key from public.flow_enrolments where flow_id = $1 and customer_id = $2`,
        [joined, shopper],
      );
      expect(passages).toEqual([{ entry_key: 'joined' }]);
      // The shipped welcome series listens to both, and its emails speak the five languages.
      const [welcome] = await adminSql<{ trigger: unknown; also_on: string[] }>(
        `select trigger, also_on from public.flows where preset = 'welcome'`,
      );
      expect(welcome).toEqual({ trigger: { type: 'customer_created' }, also_on: ['portal_signup'] });
      const languages = await adminSql<{ key: string; languages: string }>(
        `select t.key, string_agg(v.language, ',' order by v.language) as languages from public.email_templates t
         join public.email_template_variants v on v.template_id = t.id where t.key = any ($1)
         group by t.key order by t.key`,
        [SHIPPED_TEMPLATES],
      );
      expect(languages).toHaveLength(8);
      for (const row of languages) expect(row.languages, row.key).toBe('de,en,es,fr,zh');
    } finally {
      await adminSql(`update public.flows set status = 'paused' where id = $1`, [joined]);
    }
  });
});

describe('triggers enrol customers once', () => {
  it('a flow that gains also_on after welcoming a customer does not welcome them again (20261210101000)', async () => {
    // Active on "customer created" alone: the shopper enters (entry key customer_created) and
    // finishes the flow.
    const welcome = await flow({
      trigger: { type: 'customer_created' },
      steps: [{ id: 'hello', kind: 'create_task', subject: `Welcome ${run}` }],
    });
    try {
      const shopper = await customer();
      await runFlows(at(30));
      expect(await enrolment(welcome, shopper)).toMatchObject({ state: 'completed' });
      // Then the flow also starts on portal sign-ups (as the shipped welcome series did), and the
      // shopper signs up: they were welcomed already.
      const { error } = await cast
        .client('manager')
        .from('flows')
        .update({ also_on: ['portal_signup'] })
        .eq('id', welcome);
      expect(error).toBeNull();
      const [{ id: userId }] = await adminSql<{ id: string }>(
        `insert into auth.users (id, email) values (gen_random_uuid(), $1) returning id`,
        [`again-${uniqueTag()}@example.test`],
      );
      await adminSql(`update public.customers set auth_user_id = $2 where id = $1`, [shopper, userId]);
      await runFlows(at(31));
      const passages = await adminSql<{ entry_key: string }>(
        `select entry_key from public.flow_enrolments where flow_id = $1 and customer_id = $2`,
        [welcome, shopper],
      );
      expect(passages).toEqual([{ entry_key: 'customer_created' }]);
      const [{ tasks }] = await adminSql<{ tasks: number }>(
        `select count(*)::int as tasks from public.activities where customer_id = $1 and subject = $2`,
        [shopper, `Welcome ${run}`],
      );
      expect(tasks).toBe(1);
      // A flow that is not about joining still lets a customer in again for a new event.
      const tagged = await flow({ trigger: { type: 'tag_added', tag_id: otherTagId } });
      try {
        await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [shopper, otherTagId]);
        await runFlows(at(32));
        await adminSql(`delete from public.customer_tags where customer_id = $1 and tag_id = $2`, [
          shopper,
          otherTagId,
        ]);
        await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [shopper, otherTagId]);
        const [{ entered }] = await adminSql<{ entered: number }>(
          `select count(*)::int as entered from public.flow_enrolments where flow_id = $1 and customer_id = $2`,
          [tagged, shopper],
        );
        expect(entered).toBe(2);
      } finally {
        await adminSql(`update public.flows set status = 'paused' where id = $1`, [tagged]);
      }
    } finally {
      await adminSql(`update public.flows set status = 'paused' where id = $1`, [welcome]);
    }
  });

  it('customer created, stage changed, order created / paid / fulfilled, tag added, segment entered and left, favourite added', async () => {
    const created = await flow({ trigger: { type: 'customer_created' } });
    const staged = await flow({ trigger: { type: 'stage_changed', to: 'churned' } });
    const ordered = await flow({ trigger: { type: 'order_created' } });
    const paid = await flow({ trigger: { type: 'order_paid' } });
    const fulfilled = await flow({ trigger: { type: 'order_fulfilled' } });
    const tagged = await flow({ trigger: { type: 'tag_added', tag_id: tagId } });
    const favourited = await flow({ trigger: { type: 'favourite_added' } });

    const who = await customer();
    // Created enrols once; pausing it keeps later customers of this suite out.
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [created]);
    await adminSql(`update public.customers set lifecycle_stage = 'customer' where id = $1`, [who]);
    await adminSql(`update public.customers set lifecycle_stage = 'churned' where id = $1`, [who]);
    const order = await createOrder({ customerId: who, financialStatus: 'pending' });
    await adminSql(`update public.orders set financial_status = 'paid' where id = $1`, [order]);
    // A replayed webhook marks it paid again: still one passage.
    await adminSql(`update public.orders set financial_status = 'paid', note = 'replay' where id = $1`, [order]);
    await adminSql(`update public.orders set fulfillment_status = 'fulfilled' where id = $1`, [order]);
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [who, tagId]);
    const { variantId } = await createProduct();
    await adminSql(`insert into public.favorites (customer_id, variant_id) values ($1, $2)`, [who, variantId]);

    const counts = await adminSql<{ flow_id: string; n: number; entered: number }>(
      `select e.flow_id, count(*)::int as n,
              (select count(*)::int from public.flow_step_runs r where r.flow_id = e.flow_id and r.customer_id = e.customer_id and r.step_key = 'entered') as entered
       from public.flow_enrolments e where e.customer_id = $1 group by e.flow_id, e.customer_id`,
      [who],
    );
    const byFlow = Object.fromEntries(counts.map((c) => [c.flow_id, [c.n, c.entered]]));
    for (const id of [created, staged, ordered, paid, fulfilled, tagged, favourited])
      expect(byFlow[id]).toEqual([1, 1]);

    // Segments: membership history (refresh) enrols on joining and on leaving.
    const entering = await flow({ trigger: { type: 'segment_entered', segment_id: await segment() } });
    const segmentId = (
      await adminSql<{ trigger: { segment_id: string } }>(`select trigger from public.flows where id = $1`, [entering])
    )[0].trigger.segment_id;
    const leaving = await flow({ trigger: { type: 'segment_left', segment_id: segmentId } });
    const member = await customer();
    await adminSql(`update public.customers set style_interests = array[$2] where id = $1`, [member, `flow-${run}`]);
    await adminSql('select private.refresh_segment($1)', [segmentId]);
    await adminSql('select private.refresh_segment($1)', [segmentId]);
    await adminSql(`update public.customers set style_interests = '{}' where id = $1`, [member]);
    await adminSql('select private.refresh_segment($1)', [segmentId]);
    expect((await enrolment(entering, member))?.state).toBe('active');
    expect((await enrolment(leaving, member))?.state).toBe('active');
    await adminSql(`update public.flows set status = 'paused' where id = any($1)`, [
      [staged, ordered, paid, fulfilled, tagged, favourited, entering, leaving],
    ]);
  });

  it('orders written several in one statement (an import chunk) enrol as they would one by one: the first order of a customer wins', async () => {
    const ordered = await flow({ trigger: { type: 'order_created' } });
    const paid = await flow({ trigger: { type: 'order_paid' } });
    const [a, b] = await customers(2);
    const written = await adminSql<{ id: string; customer_id: string; financial_status: string }>(
      `insert into public.orders (customer_id, currency, total, financial_status, exchange_rate, placed_at, source)
       select c, 'EUR', 10, s::public.order_financial_status, 1, now(), 'manual'
       from unnest($1::uuid[], $2::text[]) with ordinality as x (c, s, n) order by n
       returning id, customer_id, financial_status`,
      [
        [a, a, b],
        ['pending', 'paid', 'pending'],
      ],
    );
    const [firstOfA, paidOfA, firstOfB] = written.map((row) => row.id);
    // One statement pays both pending orders: a already has a passage (its paid order), b enrols.
    await adminSql(`update public.orders set financial_status = 'paid' where id = any($1::uuid[])`, [
      [firstOfA, firstOfB],
    ]);
    const passages = await adminSql<{ flow_id: string; customer_id: string; entry_key: string; entered: number }>(
      `select e.flow_id, e.customer_id, e.entry_key,
              (select count(*)::int from public.flow_step_runs r where r.enrolment_id = e.id and r.step_key = 'entered') as entered
         from public.flow_enrolments e where e.flow_id = any($1::uuid[]) and e.customer_id = any($2::uuid[])
        order by e.flow_id = $3 desc, e.customer_id = $4 desc`,
      [[ordered, paid], [a, b], ordered, a],
    );
    expect(passages).toEqual([
      { flow_id: ordered, customer_id: a, entry_key: `order_created:${firstOfA}`, entered: 1 },
      { flow_id: ordered, customer_id: b, entry_key: `order_created:${firstOfB}`, entered: 1 },
      { flow_id: paid, customer_id: a, entry_key: `order_paid:${paidOfA}`, entered: 1 },
      { flow_id: paid, customer_id: b, entry_key: `order_paid:${firstOfB}`, entered: 1 },
    ]);
    await adminSql(`update public.flows set status = 'paused' where id = any($1)`, [[ordered, paid]]);
  });

  it('inactive for N days and an alert clicked without an order are swept by the schedule, once', async () => {
    const inactive = await flow({ trigger: { type: 'inactive_days', days: 400 } });
    const old = await customer();
    await adminSql(`update public.customers set created_at = now() - interval '500 days' where id = $1`, [old]);
    await runFlows(at(0));
    await runFlows(at(0, 1));
    expect(
      await adminSql(`select 1 from public.flow_enrolments where flow_id = $1 and customer_id = $2`, [inactive, old]),
    ).toHaveLength(1);

    const clicked = await flow({ trigger: { type: 'alert_clicked_no_order', hours: 2 } });
    const [browser, buyer] = await customers(2);
    for (const c of [browser, buyer]) {
      await adminSql(
        `insert into public.alert_log (customer_id, kind, dedup_key, state, sent_at, clicked_at)
         values ($1, 'price_drop', $2, 'sent', now() - interval '4 hours', now() - interval '3 hours')`,
        [c, `flow-click-${uniqueTag()}`],
      );
    }
    await createOrder({ customerId: buyer, placedAt: new Date().toISOString() });
    await runFlows(at(0));
    await runFlows(at(0, 1));
    const entered = await adminSql<{ customer_id: string }>(
      `select customer_id from public.flow_enrolments where flow_id = $1 and customer_id = any($2)`,
      [clicked, [browser, buyer]],
    );
    expect(entered).toEqual([{ customer_id: browser }]);
    await adminSql(`update public.flows set status = 'paused' where id = any($1)`, [[inactive, clicked]]);
  });
});

let segmentCounter = 0;
async function segment(): Promise<string> {
  segmentCounter += 1;
  const { data, error } = await cast
    .client('manager')
    .from('segments')
    .insert({
      name: `Flow segment ${run} ${segmentCounter}`,
      shared: true,
      rules: { match: 'all', conditions: [{ field: 'style_interests', op: 'contains_any', value: [`flow-${run}`] }] },
    })
    .select('id')
    .single();
  if (error) throw error;
  return (data as { id: string }).id;
}

describe('the engine', () => {
  it('runs every step kind in order, waits on simulated time and records the path', async () => {
    const vipRules = { match: 'all', conditions: [{ field: 'country', op: 'eq', value: 'DE' }] };
    const id = await flow({
      trigger: { type: 'tag_added', tag_id: otherTagId },
      steps: [
        {
          id: 'owner',
          kind: 'assign_owner',
          mode: 'by_country',
          map: { DE: cast.people.agent2.userId },
          fallback: cast.people.agent.userId,
        },
        { id: 'tag', kind: 'add_tag', tag_id: tagId },
        { id: 'pause', kind: 'wait', days: 2 },
        {
          id: 'german',
          kind: 'condition',
          rules: vipRules,
          then: [{ id: 'stage', kind: 'set_stage', stage: 'vip' }],
          else: [{ id: 'task', kind: 'create_task', subject: 'Call them', due_in_days: 1, assignee: 'owner' }],
        },
        { id: 'untag', kind: 'remove_tag', tag_id: tagId },
        { id: 'tell', kind: 'notify', member: 'owner', title: 'Flow done' },
      ],
    });
    const german = await customer({ owner: null });
    const french = await customer({ owner: null });
    await adminSql(`update public.customers set country = 'DE' where id = $1`, [german]);
    await adminSql(`update public.customers set country = 'FR' where id = $1`, [french]);
    for (const c of [german, french]) {
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [c, otherTagId]);
    }
    await runFlows(at(0));
    expect(await path(id, german)).toEqual(['entered:entered', 'owner:done', 'tag:done', 'pause:waited']);
    await runFlows(at(1)); // still waiting
    expect(await path(id, german)).toHaveLength(4);
    await runFlows(at(2, 1));
    expect(await path(id, german)).toEqual([
      'entered:entered',
      'owner:done',
      'tag:done',
      'pause:waited',
      'german:yes',
      'stage:done',
      'untag:done',
      'tell:done',
      'exited:completed',
    ]);
    expect(await path(id, french)).toEqual([
      'entered:entered',
      'owner:done',
      'tag:done',
      'pause:waited',
      'german:no',
      'task:done',
      'untag:done',
      'tell:done',
      'exited:completed',
    ]);
    const [g] = await adminSql<{ owner_id: string; lifecycle_stage: string; tags: number }>(
      `select owner_id, lifecycle_stage, (select count(*)::int from public.customer_tags t where t.customer_id = c.id and t.tag_id = $2) as tags
       from public.customers c where id = $1`,
      [german, tagId],
    );
    expect(g).toEqual({ owner_id: cast.people.agent2.userId, lifecycle_stage: 'vip', tags: 0 });
    const tasks = await adminSql(`select assignee_id from public.activities where customer_id = $1 and kind = 'task'`, [
      french,
    ]);
    expect(tasks).toEqual([{ assignee_id: cast.people.agent.userId }]);
    const told = await adminSql(
      `select recipient_id from public.notifications where data->>'flow_id' = $1 and data->>'customer_id' = $2`,
      [id, french],
    );
    expect(told).toEqual([{ recipient_id: cast.people.agent.userId }]);
    expect(await enrolment(id, german)).toMatchObject({ state: 'completed', exit_reason: 'completed' });
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
  });

  it('round robin deals customers out in turn; waits until a local time in the customer’s zone', async () => {
    const id = await flow({
      trigger: { type: 'tag_added', tag_id: tagId },
      steps: [
        {
          id: 'rr',
          kind: 'assign_owner',
          mode: 'round_robin',
          members: [cast.people.agent.userId, cast.people.agent2.userId],
        },
        { id: 'nine', kind: 'wait', until_local: '09:00' },
      ],
    });
    const people = await customers(4, 'Asia/Tokyo');
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) select unnest($1::uuid[]), $2`, [
      people,
      tagId,
    ]);
    await runFlows(at(0));
    const owners = await adminSql<{ owner_id: string }>(
      `select owner_id from public.customers where id = any($1) order by array_position($1, id)`,
      [people],
    );
    const counts = owners.reduce<Record<string, number>>(
      (acc, o) => ({ ...acc, [o.owner_id]: (acc[o.owner_id] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ [cast.people.agent.userId]: 2, [cast.people.agent2.userId]: 2 });
    // Noon UTC is 21:00 in Tokyo: the next 09:00 there is 00:00 UTC the next day.
    const [{ until }] = await adminSql<{ until: string }>(
      `select data->>'until' as until from public.flow_step_runs where flow_id = $1 and customer_id = $2 and step_key = 'nine'`,
      [id, people[0]],
    );
    expect(new Date(until).toISOString()).toBe(at(0, 12));
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
  });

  it('sends a template only with marketing consent, waits out quiet hours and the shared daily cap, and leaves at the goal', async () => {
    const id = await flow({
      trigger: { type: 'tag_added', tag_id: tagId },
      goal: { kind: 'placed_order' },
      steps: [
        { id: 'hello', kind: 'send_template', template_key: templateKey, variables: { offer: '10% off' } },
        { id: 'later', kind: 'wait', days: 3 },
        { id: 'again', kind: 'send_template', template_key: templateKey },
      ],
    });
    const yes = await customer();
    const no = await customer();
    const night = await customer({ timezone: 'Pacific/Auckland' }); // noon UTC = 01:00 there
    const capped = await customer();
    for (const c of [yes, night, capped]) await consent(c, 'granted');
    await consent(no, 'withdrawn');
    // The cap is shared with alerts: three alerts sent today fill capped's day.
    for (let i = 0; i < 3; i += 1) {
      await adminSql(
        `insert into public.alert_log (customer_id, kind, dedup_key, state, sent_at) values ($1, 'back_in_stock', $2, 'sent', $3)`,
        [capped, `flow-${run}-${i}`, at(0, -1)],
      );
    }
    for (const c of [yes, no, night, capped]) {
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [c, tagId]);
    }
    await runFlows(at(0));
    expect(await path(id, yes)).toEqual(['entered:entered', 'hello:queued', 'later:waited']);
    expect(await path(id, no)).toEqual(['entered:entered', 'hello:skipped (no_marketing_consent)', 'later:waited']);
    expect(await path(id, night)).toEqual(['entered:entered']);
    expect(await path(id, capped)).toEqual(['entered:entered']);
    const [mail] = await adminSql<{ subject: string; body_text: string; status: string }>(
      `select m.subject, m.body_text, m.status from public.messages m join public.flow_step_runs r on r.message_id = m.id
       where r.flow_id = $1 and r.customer_id = $2`,
      [id, yes],
    );
    expect(mail).toEqual({ subject: 'Hello Flo', body_text: 'Hi Flo, 10% off', status: 'queued' });
    const [deferred] = await adminSql<{ next_run_at: Date; last_error: string }>(
      `select next_run_at, last_error from public.flow_enrolments where flow_id = $1 and customer_id = $2`,
      [id, capped],
    );
    expect(deferred.last_error).toBe('waiting: daily cap reached (3 per day)');
    expect(deferred.next_run_at.toISOString()).toBe(at(0, 12)); // the next UTC day
    const [quiet] = await adminSql<{ last_error: string }>(
      `select last_error from public.flow_enrolments where flow_id = $1 and customer_id = $2`,
      [id, night],
    );
    expect(quiet.last_error).toBe('waiting: quiet hours');

    // The sender leases each email once, records it; a second claim finds nothing.
    const claimed = await adminSql<{ step_run_id: string; to_address: string }>(
      `select step_run_id, to_address from public.claim_flow_emails(1000) where message_id in
         (select message_id from public.flow_step_runs where flow_id = $1)`,
      [id],
    );
    expect(claimed).toHaveLength(1);
    expect(
      await adminSql(
        `select 1 from public.claim_flow_emails(1000) c join public.flow_step_runs r on r.id = c.step_run_id where r.flow_id = $1`,
        [id],
      ),
    ).toEqual([]);
    await adminSql(`select public.record_flow_email($1, true, $2)`, [claimed[0].step_run_id, `sg-${run}`]);
    expect(await path(id, yes)).toEqual(['entered:entered', 'hello:sent', 'later:waited']);

    // yes orders during the wait: the goal ends the passage before the second email.
    await createOrder({ customerId: yes, placedAt: new Date().toISOString() });
    await runFlows(at(4));
    expect(await path(id, yes)).toEqual(['entered:entered', 'hello:sent', 'later:waited', 'exited:goal_met']);
    expect(await path(id, no)).toEqual([
      'entered:entered',
      'hello:skipped (no_marketing_consent)',
      'later:waited',
      'again:skipped (no_marketing_consent)',
      'exited:completed',
    ]);
    expect(await path(id, capped)).toContain('hello:queued');
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
  });

  it('one daily cap for all marketing mail: a campaign email defers a flow email, a flow email defers a campaign and an alert', async () => {
    const id = await flow({
      trigger: { type: 'tag_added', tag_id: tagId },
      steps: [{ id: 'hello', kind: 'send_template', template_key: templateKey }],
    });
    const [fromCampaign, fromFlow] = [await customer(), await customer()];
    for (const c of [fromCampaign, fromFlow]) {
      await consent(c, 'granted');
      await adminSql(`insert into public.alert_preferences (customer_id, max_per_day) values ($1, 1)`, [c]);
    }
    // fromCampaign got a campaign email an hour before the flow runs.
    const [{ id: segmentId }] = await adminSql<{ id: string }>(
      `insert into public.segments (owner_id, name) values ($1, $2) returning id`,
      [cast.people.manager.userId, `Cap ${run}`],
    );
    const [{ id: templateId }] = await adminSql<{ id: string }>(
      `select id from public.email_templates where key = $1`,
      [templateKey],
    );
    const [{ id: campaignId }] = await adminSql<{ id: string }>(
      `insert into public.campaigns (name, segment_id, template_id) values ($1, $2, $3) returning id`,
      [`Cap ${run}`, segmentId, templateId],
    );
    await adminSql(
      `insert into public.campaign_recipients (campaign_id, customer_id, state, sent_at) values ($1, $2, 'sent', $3)`,
      [campaignId, fromCampaign, at(0, -1)],
    );
    for (const c of [fromCampaign, fromFlow]) {
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [c, tagId]);
    }
    await runFlows(at(0));
    expect(await path(id, fromCampaign)).toEqual(['entered:entered']);
    const [deferred] = await adminSql<{ last_error: string }>(
      `select last_error from public.flow_enrolments where flow_id = $1 and customer_id = $2`,
      [id, fromCampaign],
    );
    expect(deferred.last_error).toBe('waiting: daily cap reached (1 per day)');
    expect(await path(id, fromFlow)).toEqual(['entered:entered', 'hello:queued', 'exited:completed']);

    // fromFlow's automation email fills their day for campaigns (the rule claim_campaign_sends
    // applies) and for alerts.
    const [check] = await adminSql<{ verdict: string; reason: string }>(
      `select verdict, reason from private.marketing_mail_check($1, $2)`,
      [fromFlow, at(0, 1)],
    );
    expect(check).toEqual({ verdict: 'defer', reason: 'daily_cap' });
    const { variantId } = await createProduct({ inventory: 5 });
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
       values ($1, 'email', 'alerts', 'granted', 'staff', now() - interval '1 day')`,
      [fromFlow],
    );
    // Oldest of all, so a batch of one takes it whatever else is queued.
    const [alert] = await adminSql<{ id: string }>(
      `insert into public.alert_log (customer_id, variant_id, kind, dedup_key, not_before)
       values ($1, $2, 'back_in_stock', $3, '2000-01-01') returning id`,
      [fromFlow, variantId, `flow-cap-${run}`],
    );
    expect(await adminSql(`select * from public.claim_due_alerts(1, $1)`, [at(0, 1)])).toEqual([]);
    const [row] = await adminSql<{ state: string; reason: string }>(
      `select state, reason from public.alert_log where id = $1`,
      [alert.id],
    );
    expect(row).toEqual({ state: 'deferred', reason: 'deferred: daily cap reached (1 per day)' });
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
    await adminSql(`delete from public.campaigns where id = $1`, [campaignId]);
  });

  it('sends each email once at SendGrid: a sender that died leaves it in doubt, settled by a lookup or an event, never resent blindly', async () => {
    const id = await flow({
      trigger: { type: 'tag_added', tag_id: tagId },
      steps: [{ id: 'hello', kind: 'send_template', template_key: templateKey }],
    });
    const [found, lost, evented] = [await customer(), await customer(), await customer()];
    for (const c of [found, lost, evented]) {
      await consent(c, 'granted');
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [c, tagId]);
    }
    await runFlows(at(0));
    type Claimed = { step_run_id: string; message_id: string; customer_id: string; send_key: string };
    const claimOurs = () =>
      adminSql<Claimed>(
        `select c.step_run_id, c.message_id, c.customer_id, c.send_key from public.claim_flow_emails(1000) c
         join public.flow_step_runs r on r.id = c.step_run_id where r.flow_id = $1`,
        [id],
      );
    const first = await claimOurs();
    expect(first).toHaveLength(3);
    for (const row of first) expect(row.send_key).toBe(`flow:${row.message_id}`);
    const of = (customerId: string) => first.find((row) => row.customer_id === customerId) as Claimed;
    // The sender dies after handing them to SendGrid: their leases run out unrecorded.
    await adminSql(
      `update public.flow_step_runs set send_claimed_until = now() - interval '10 minutes' where flow_id = $1 and outcome = 'queued'`,
      [id],
    );
    expect(await claimOurs()).toEqual([]); // never handed out again as such
    expect(await path(id, found)).toEqual(['entered:entered', 'hello:in_doubt', 'exited:completed']);
    const doubtful = await adminSql<{ step_run_id: string; send_key: string }>(
      `select d.step_run_id, d.send_key from public.in_doubt_flow_emails(1000, 0) d
       join public.flow_step_runs r on r.id = d.step_run_id where r.flow_id = $1 order by d.step_run_id`,
      [id],
    );
    expect(doubtful.map((row) => row.send_key).sort()).toEqual(first.map((row) => row.send_key).sort());

    // An event carrying the key settles one; a lookup the others: found → sent, not found → queued again.
    await adminSql(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, customer_id, message_id, payload)
       values ($1, 'delivered', 'x@example.test', now(), $2, $4, $3)`,
      [
        `flow-${run}-evented`,
        evented,
        JSON.stringify({ cairn_send: of(evented).send_key }),
        `sg-evented-${run}.filter`,
      ],
    );
    const resolved = await adminSql<{ n: number }>(`select public.resolve_flow_emails($1) as n`, [
      JSON.stringify([
        { id: Number(of(found).step_run_id), found: 'yes', message_id: `sg-found-${run}` },
        { id: Number(of(lost).step_run_id), found: 'no', message_id: null },
        { id: Number(of(evented).step_run_id), found: 'unknown', message_id: null },
      ]),
    ]);
    expect(resolved[0].n).toBe(2); // the evented one was no longer in doubt
    const messages = async () =>
      Object.fromEntries(
        (
          await adminSql<{
            customer_id: string;
            status: string;
            provider_message_id: string | null;
            from_address: string;
          }>(
            `select r.customer_id, m.status, m.provider_message_id, m.from_address from public.flow_step_runs r
             join public.messages m on m.id = r.message_id where r.flow_id = $1`,
            [id],
          )
        ).map((row) => [row.customer_id, `${row.status} ${row.provider_message_id ?? '-'} ${row.from_address}`]),
      );
    expect(await messages()).toEqual({
      [found]: `sent sg-found-${run} automation@cairn.invalid`,
      [lost]: 'queued - automation@cairn.invalid',
      [evented]: `sent sg-evented-${run} automation@cairn.invalid`,
    });
    // Only the one SendGrid never had goes again; recorded with the real sender's address.
    const again = await claimOurs();
    expect(again.map((row) => row.customer_id)).toEqual([lost]);
    await adminSql(`select public.record_flow_email($1, true, $2, null, 'team@cairn.example')`, [
      again[0].step_run_id,
      `sg-lost-${run}`,
    ]);
    expect((await messages())[lost]).toBe(`sent sg-lost-${run} team@cairn.example`);
    expect(await path(id, lost)).toEqual([
      'entered:entered',
      'hello:sent (not found at SendGrid after the sender stopped: sent again)',
      'exited:completed',
    ]);
    await expect(
      adminSql(`select public.record_flow_email($1, true, 'x', null, 'not an address')`, [of(found).step_run_id]),
    ).rejects.toMatchObject({ code: 'P0002' });
    await expect(adminSql(`select public.resolve_flow_emails('[]', 'not an address')`)).rejects.toMatchObject({
      code: '22023',
    });
    await expect(adminSql(`select public.resolve_flow_emails('{}')`)).rejects.toMatchObject({ code: '22023' });
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
  });

  it('retries a failing step with backoff, then fails that customer only', async () => {
    const id = await flow({
      trigger: { type: 'tag_added', tag_id: tagId },
      steps: [{ id: 'hello', kind: 'send_template', template_key: templateKey }],
    });
    const broken = await customer();
    await consent(broken, 'granted');
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [broken, tagId]);
    // The template loses its variants: rendering finds nothing to send.
    const [{ id: templateId }] = await adminSql<{ id: string }>(
      `select id from public.email_templates where key = $1`,
      [templateKey],
    );
    const saved = await adminSql(
      `delete from public.email_template_variants where template_id = $1 returning language, subject, body_html, body_text`,
      [templateId],
    );
    try {
      await runFlows(at(10));
      expect((await enrolment(id, broken)).state).toBe('active');
      await runFlows(at(10)); // backoff: not due yet
      const [{ attempts }] = await adminSql<{ attempts: number }>(
        `select attempts from public.flow_enrolments where flow_id = $1`,
        [id],
      );
      expect(attempts).toBe(1);
      await runFlows(at(10, 1));
      await runFlows(at(10, 2));
      expect(await enrolment(id, broken)).toMatchObject({ state: 'failed' });
      const trail = await path(id, broken);
      expect(trail[0]).toBe('entered:entered');
      expect(trail[1]).toMatch(/^hello:failed/);
      expect(trail[2]).toMatch(/^exited:step_failed/);
    } finally {
      for (const v of saved as Array<{ language: string; subject: string; body_html: string; body_text: string }>) {
        await adminSql(
          `insert into public.email_template_variants (template_id, language, subject, body_html, body_text) values ($1, $2, $3, $4, $5)`,
          [templateId, v.language, v.subject, v.body_html, v.body_text],
        );
      }
      await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
    }
  });

  it('does every step exactly once when two runs overlap or a run dies mid-chunk', async () => {
    const id = await flow({
      trigger: { type: 'tag_added', tag_id: tagId },
      steps: [
        { id: 'one', kind: 'create_task', subject: 'Exactly once' },
        { id: 'two', kind: 'notify', member: 'owner', title: 'Exactly once' },
      ],
    });
    const people = await customers(30, 'UTC', cast.people.agent.userId);
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) select unnest($1::uuid[]), $2`, [
      people,
      tagId,
    ]);

    // A run that dies mid-chunk: its work is rolled back with it.
    const doomed = new pg.Client({ connectionString: config.adminDbUrl });
    doomed.on('error', () => undefined); // its connection is killed on purpose
    await doomed.connect();
    await doomed.query('begin');
    await doomed.query('select public.run_flows(10, $1)', [at(20)]);
    const [{ pid }] = (await doomed.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
    await adminSql('select pg_terminate_backend($1)', [pid]);
    await doomed.end().catch(() => undefined);
    // What it did died with it: no step of this flow happened.
    expect(
      await adminSql(`select 1 from public.flow_step_runs where flow_id = $1 and step_key <> 'entered'`, [id]),
    ).toEqual([]);

    // Two runs at once, in small chunks, racing over the same passages.
    const a = new pg.Client({ connectionString: config.adminDbUrl });
    const b = new pg.Client({ connectionString: config.adminDbUrl });
    await Promise.all([a.connect(), b.connect()]);
    try {
      for (let round = 0; round < 4; round += 1) {
        await Promise.all([
          a.query('select public.run_flows(10, $1)', [at(20)]),
          b.query('select public.run_flows(10, $1)', [at(20)]),
        ]);
      }
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    const [counts] = await adminSql<{ tasks: number; notes: number; done: number }>(
      `select (select count(*)::int from public.activities where customer_id = any($1) and subject = 'Exactly once') as tasks,
              (select count(*)::int from public.notifications where data->>'flow_id' = $2) as notes,
              (select count(*)::int from public.flow_enrolments where flow_id = $3 and state = 'completed') as done`,
      [people, id, id],
    );
    expect(counts).toEqual({ tasks: 30, notes: 30, done: 30 });
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
  });

  it('runs the simple steps of many passages together, with the path, data and effects of one at a time (20261210100000)', async () => {
    const [{ id: trigger }, { id: mark }] = await adminSql<{ id: string }>(
      `insert into public.tags (name) values ($1), ($2) returning id`,
      [`Set trigger ${run}`, `Set mark ${run}`],
    );
    const sets = await flow({
      trigger: { type: 'tag_added', tag_id: trigger },
      goal: { kind: 'placed_order' },
      steps: [
        { id: 'mark', kind: 'add_tag', tag_id: mark },
        { id: 'task', kind: 'create_task', subject: `Set task ${run}`, due_in_days: 2, assignee: 'owner' },
        { id: 'stage', kind: 'set_stage', stage: 'vip' },
        { id: 'tell', kind: 'notify', member: 'owner', title: 'Set flow' },
        { id: 'nap', kind: 'wait', hours: 1 },
        { id: 'nine', kind: 'wait', until_local: '09:00' },
        { id: 'unmark', kind: 'remove_tag', tag_id: mark },
      ],
    });
    // A second flow on the same event: each customer has two passages due in the same chunk.
    const second = await flow({
      trigger: { type: 'tag_added', tag_id: trigger },
      steps: [{ id: 'again', kind: 'create_task', subject: `Second task ${run}` }],
    });
    try {
      const owned = await customers(3, 'Asia/Tokyo', cast.people.agent.userId);
      const [orphan] = await customers(1, 'Asia/Tokyo', null);
      const everyone = [...owned, orphan];
      const before = await adminSql<{ id: string; lifecycle_stage: string }>(
        `select id, lifecycle_stage from public.customers where id = any($1)`,
        [everyone],
      );
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) select unnest($1::uuid[]), $2`, [
        everyone,
        trigger,
      ]);

      const [{ run_flows: first }] = await runFlows(at(40));
      // Five steps of the first flow and one of the second, for each of the four customers, all in
      // sets (each customer's two passages in two layers).
      expect(first).toMatchObject({ passages: 8, steps: 24, set_steps: 24, rounds_rolled_back: 0 });
      for (const who of everyone) {
        expect(await path(sets, who)).toEqual([
          'entered:entered',
          'mark:done',
          'task:done',
          'stage:done',
          who === orphan ? 'tell:skipped (the customer has no owner)' : 'tell:done',
          'nap:waited',
        ]);
        expect(await path(second, who)).toEqual(['entered:entered', 'again:done', 'exited:completed']);
      }
      const runs = await adminSql<{ customer_id: string; step_key: string; data: Record<string, string> }>(
        `select customer_id, step_key, data from public.flow_step_runs where flow_id = $1 and step_key in ('task', 'stage', 'tell', 'nap')`,
        [sets],
      );
      const tasks = await adminSql<{ id: string; customer_id: string; assignee_id: string | null; due_at: Date }>(
        `select id, customer_id, assignee_id, due_at from public.activities where subject = $1`,
        [`Set task ${run}`],
      );
      expect(tasks).toHaveLength(4);
      for (const task of tasks) {
        expect(task.assignee_id).toBe(task.customer_id === orphan ? null : cast.people.agent.userId);
        expect(task.due_at.toISOString()).toBe(at(42));
        const row = runs.find((r) => r.step_key === 'task' && r.customer_id === task.customer_id);
        expect(row?.data).toEqual({ activity_id: task.id, assignee_id: task.assignee_id });
      }
      for (const { id, lifecycle_stage } of before) {
        expect(runs.find((r) => r.step_key === 'stage' && r.customer_id === id)?.data).toEqual({
          from: lifecycle_stage,
          to: 'vip',
        });
        expect(runs.find((r) => r.step_key === 'nap' && r.customer_id === id)?.data.until).toBeDefined();
      }
      const [{ second_tasks, told, marked, vip }] = await adminSql<{
        second_tasks: number;
        told: number;
        marked: number;
        vip: number;
      }>(
        `select (select count(*)::int from public.activities where subject = $2 and customer_id = any($1)) as second_tasks,
                (select count(*)::int from public.notifications where data->>'flow_id' = $3::text) as told,
                (select count(*)::int from public.customer_tags where tag_id = $4 and customer_id = any($1)) as marked,
                (select count(*)::int from public.customers where lifecycle_stage = 'vip' and id = any($1)) as vip`,
        [everyone, `Second task ${run}`, sets, mark],
      );
      expect({ second_tasks, told, marked, vip }).toEqual({ second_tasks: 4, told: 3, marked: 4, vip: 4 });

      // An hour on: 14:00 UTC is 23:00 in Tokyo, so the next 09:00 there is 00:00 UTC.
      await runFlows(at(40, 2));
      const [{ until }] = await adminSql<{ until: string }>(
        `select data->>'until' as until from public.flow_step_runs where flow_id = $1 and customer_id = $2 and step_key = 'nine'`,
        [sets, orphan],
      );
      expect(new Date(until).toISOString()).toBe(at(40, 12));
      // One customer orders meanwhile: the goal ends their passage before the last step.
      const [buyer, ...others] = everyone;
      await createOrder({ customerId: buyer, placedAt: new Date().toISOString() });
      await runFlows(at(40, 13));
      expect((await path(sets, buyer)).slice(-2)).toEqual(['nine:waited', 'exited:goal_met']);
      for (const who of others)
        expect((await path(sets, who)).slice(-3)).toEqual(['nine:waited', 'unmark:done', 'exited:completed']);
      const left = await adminSql<{ customer_id: string }>(
        `select customer_id from public.customer_tags where tag_id = $1 and customer_id = any($2)`,
        [mark, everyone],
      );
      expect(left).toEqual([{ customer_id: buyer }]);
    } finally {
      await adminSql(`update public.flows set status = 'paused' where id = any($1)`, [[sets, second]]);
    }
  });

  it('a step that fails in a set is rolled back with its round; its customers retry one at a time, the others go on (20261210100000)', async () => {
    const [{ id: trigger }] = await adminSql<{ id: string }>(
      `insert into public.tags (name) values ($1) returning id`,
      [`Failing trigger ${run}`],
    );
    const stage = `gone_${run}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_')
      .slice(0, 40);
    await adminSql(
      `insert into public.lifecycle_stages (key, label, position)
       select $1, 'Gone soon', max(position) + 1 from public.lifecycle_stages`,
      [stage],
    );
    const doomed = await flow({
      trigger: { type: 'tag_added', tag_id: trigger },
      steps: [
        { id: 'task', kind: 'create_task', subject: `Doomed ${run}` },
        { id: 'stage', kind: 'set_stage', stage },
      ],
    });
    const fine = await flow({
      trigger: { type: 'tag_added', tag_id: otherTagId },
      steps: [{ id: 'task', kind: 'create_task', subject: `Fine ${run}` }],
    });
    // The stage goes after the flow was saved: setting it now fails for every customer of the flow.
    await adminSql(`delete from public.lifecycle_stages where key = $1`, [stage]);
    try {
      const failing = await customers(3);
      const passing = await customers(3);
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) select unnest($1::uuid[]), $2`, [
        failing,
        trigger,
      ]);
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) select unnest($1::uuid[]), $2`, [
        passing,
        otherTagId,
      ]);
      const [{ run_flows: chunk }] = await runFlows(at(50));
      // Round 1 (both tasks) succeeds; round 2 (the stage) is rolled back and retried one at a time.
      expect(chunk).toMatchObject({ set_steps: 6, rounds_rolled_back: 1, failed: 0 });
      for (const who of passing)
        expect(await path(fine, who)).toEqual(['entered:entered', 'task:done', 'exited:completed']);
      for (const who of failing) {
        // The task of the first round stays (its round succeeded); the stage step rolled back.
        expect(await path(doomed, who)).toEqual(['entered:entered', 'task:done']);
        expect(await enrolment(doomed, who)).toMatchObject({ state: 'active', current_step: 'stage' });
      }
      const [{ attempts }] = await adminSql<{ attempts: number }>(
        `select max(attempts)::int as attempts from public.flow_enrolments where flow_id = $1`,
        [doomed],
      );
      expect(attempts).toBe(1);
      await runFlows(at(50, 1));
      await runFlows(at(50, 2));
      for (const who of failing) {
        expect(await enrolment(doomed, who)).toMatchObject({ state: 'failed' });
        const trail = await path(doomed, who);
        expect(trail.slice(0, 2)).toEqual(['entered:entered', 'task:done']);
        expect(trail[2]).toMatch(/^stage:failed/);
        expect(trail[3]).toMatch(/^exited:step_failed/);
      }
      const [{ doomed_tasks }] = await adminSql<{ doomed_tasks: number }>(
        `select count(*)::int as doomed_tasks from public.activities where subject = $1`,
        [`Doomed ${run}`],
      );
      expect(doomed_tasks).toBe(3);
    } finally {
      // Saving the flow checks its steps again: the stage is back while it is paused.
      await adminSql(
        `insert into public.lifecycle_stages (key, label, position)
         select $1, 'Gone soon', max(position) + 1 from public.lifecycle_stages`,
        [stage],
      );
      await adminSql(`update public.flows set status = 'paused' where id = any($1)`, [[doomed, fine]]);
      await adminSql(`delete from public.lifecycle_stages where key = $1`, [stage]);
    }
  });

  it('refuses bad input to the engine with 22023', async () => {
    for (const [batch, now] of [
      [0, at(0)],
      [10_000, at(0)],
      [null, at(0)],
    ] as const) {
      await expect(adminSql('select public.run_flows($1, $2)', [batch, now])).rejects.toMatchObject({ code: '22023' });
    }
    await expect(adminSql('select public.claim_flow_emails(0)')).rejects.toMatchObject({ code: '22023' });
    await expect(adminSql('select public.record_flow_email(-1, true)')).rejects.toMatchObject({ code: 'P0002' });
  });
});

describe('switching a flow on, the shipped drafts and the timeline', () => {
  it('asks how many existing customers match, enrols them once when asked; only admins and managers', async () => {
    const [{ id: holdTag }] = await adminSql<{ id: string }>(
      `insert into public.tags (name) values ($1) returning id`,
      [`Flow hold ${run}`],
    );
    const holders = await customers(3, 'UTC', cast.people.agent.userId);
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) select unnest($1::uuid[]), $2`, [
      holders,
      holdTag,
    ]);
    const id = await flow({ trigger: { type: 'tag_added', tag_id: holdTag }, steps: [] }, 'draft');

    for (const caller of ['agent', 'readonly', 'shopper'] as Caller[]) {
      const previewed = await cast.client(caller).rpc('preview_flow_activation', { flow_id: id });
      expect(previewed.error?.code, caller).toBe('42501');
      const activated = await cast.client(caller).rpc('activate_flow', { flow_id: id, enrol_existing: true });
      expect(activated.error?.code, caller).toBe('42501');
    }
    expect((await cast.client('anon').rpc('activate_flow', { flow_id: id, enrol_existing: true })).error?.code).toBe(
      '42501',
    );
    expect(
      (await cast.client('manager').rpc('preview_flow_activation', { flow_id: crypto.randomUUID() })).error?.code,
    ).toBe('P0002');
    expect((await cast.client('manager').rpc('activate_flow', { flow_id: id, enrol_existing: null })).error?.code).toBe(
      '22023',
    );
    expect((await adminSql(`select status from public.flows where id = $1`, [id]))[0]).toEqual({ status: 'draft' });

    expect((await cast.client('manager').rpc('preview_flow_activation', { flow_id: id })).data).toBe(3);
    const first = await cast.client('manager').rpc('activate_flow', { flow_id: id, enrol_existing: true });
    expect(first.data).toEqual({ status: 'active', enrolled: 3 });
    const again = await cast.client('admin').rpc('activate_flow', { flow_id: id, enrol_existing: true });
    expect(again.data).toEqual({ status: 'active', enrolled: 0 });
    expect((await cast.client('manager').rpc('preview_flow_activation', { flow_id: id })).data).toBe(0);

    // The path is on the customer's timeline, read like the customer.
    const seen = await cast.countsAs(
      ['admin', 'agent', 'agent2', 'shopper'],
      `select count(*)::int as n from public.customer_timeline where source = 'flow' and customer_id = $1 and kind = 'entered'`,
      [holders[0]],
    );
    expect(seen).toEqual({ admin: 1, agent: 1, agent2: 0, shopper: 0 });
    await adminSql(`update public.flows set status = 'paused' where id = $1`, [id]);
  });

  it('ships welcome, win-back and post-purchase as drafts; the welcome series runs on simulated time and stops at an order', async () => {
    const shipped = await adminSql<{ preset: string; status: string; n: number }>(
      `select preset, status, count(*)::int as n from public.flows where preset is not null group by 1, 2 order by 1`,
    );
    expect(shipped).toEqual([
      { preset: 'post_purchase', status: 'draft', n: 2 },
      { preset: 'welcome', status: 'draft', n: 1 },
      { preset: 'win_back', status: 'draft', n: 1 },
    ]);
    const [{ id: welcome }] = await adminSql<{ id: string }>(`select id from public.flows where preset = 'welcome'`);
    const on = await cast.client('manager').rpc('activate_flow', { flow_id: welcome, enrol_existing: false });
    expect(on.data).toEqual({ status: 'active', enrolled: 0 });
    try {
      const newcomer = await customer();
      await consent(newcomer, 'granted');
      await runFlows(at(0));
      expect(await path(welcome, newcomer)).toEqual(['entered:entered', 'welcome-1:queued', 'wait-3-days:waited']);
      await runFlows(at(3, 1));
      expect(await path(welcome, newcomer)).toEqual([
        'entered:entered',
        'welcome-1:queued',
        'wait-3-days:waited',
        'welcome-2:queued',
        'wait-4-days:waited',
      ]);
      await createOrder({ customerId: newcomer, placedAt: new Date().toISOString() });
      await runFlows(at(8));
      expect((await path(welcome, newcomer)).at(-1)).toBe('exited:goal_met');
      const [mail] = await adminSql<{ subject: string }>(
        `select m.subject from public.messages m join public.flow_step_runs r on r.message_id = m.id
         where r.flow_id = $1 and r.customer_id = $2 and r.step_key = 'welcome-1'`,
        [welcome, newcomer],
      );
      expect(mail.subject).toMatch(/^Welcome to .*, Flo$/);
    } finally {
      await adminSql(`update public.flows set status = 'draft', enrols_since = null where id = $1`, [welcome]);
      await adminSql(`delete from public.flow_enrolments where flow_id = $1`, [welcome]);
    }
  });
});

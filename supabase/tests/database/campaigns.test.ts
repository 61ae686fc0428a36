import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config, uniqueEmail } from '@cairn/local-stack/testing.ts';
import { createOrder, createProduct } from '../../../scripts/testing/support/commerce.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Campaigns (issue 16; migrations 20261208100000, 20261208100100): who may create, read, change
 * and send them; the pre-send summary with every exclusion reason; the audience frozen as the
 * sender sees it; the claim → record → in-doubt → resolve cycle that keeps each recipient to one
 * email; pause, resume, cancel; the daily cap shared with alerts.
 *
 * Campaigns here are scheduled for a fixed instant in 2030 (AT) and the sending functions are
 * called with `now` = AT, so the every-minute send-campaigns job (real time) never touches them.
 */

const run = randomUUID().slice(0, 8);
const AT = '2030-01-15T12:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();

type Person = { id: string; email: string | null };

describe('campaigns', () => {
  let cast: Cast;
  let segmentId: string;
  let templateId: string;
  let transactionalId: string;
  const people: Record<string, Person> = {};

  async function customer(
    key: string,
    options: {
      email?: string | null;
      consent?: 'granted' | 'withdrawn' | 'unsubscribed' | 'none';
      owner?: 'agent' | 'agent2';
      timezone?: string;
      language?: string;
      quiet?: [string, string];
      firstName?: string | null;
    } = {},
  ): Promise<Person> {
    const email = options.email === undefined ? uniqueEmail(`camp-${key}`) : options.email;
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email, timezone, language, owner_id, style_interests)
       values ($1, $2, $3, $4, $5, $6, array[$7]) returning id`,
      [
        options.firstName === undefined ? key : options.firstName,
        run,
        email,
        options.timezone ?? 'UTC',
        options.language ?? 'en',
        cast.people[options.owner ?? 'agent'].userId,
        `camp-${run}`,
      ],
    );
    const consent = options.consent ?? 'granted';
    if (consent !== 'none') {
      await adminSql(
        `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
         values ($1, 'email', 'marketing', 'granted', 'signup_form', now() - interval '2 days')`,
        [id],
      );
    }
    if (consent === 'withdrawn' || consent === 'unsubscribed') {
      await adminSql(
        `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
         values ($1, 'email', 'marketing', 'withdrawn', $2, now() - interval '1 day')`,
        [id, consent === 'unsubscribed' ? 'unsubscribe_link' : 'staff'],
      );
    }
    // Quiet hours of their own (none by default, so the wall clock never matters).
    const [start, end] = options.quiet ?? ['00:00', '00:00'];
    await adminSql(
      `insert into public.alert_preferences (customer_id, quiet_hours_start, quiet_hours_end) values ($1, $2, $3)`,
      [id, start, end],
    );
    people[key] = { id, email };
    return people[key];
  }

  const createCampaign = (caller: Caller, fields: Record<string, unknown> = {}) =>
    cast
      .client(caller)
      .from('campaigns')
      .insert({
        name: `Winter ${run} ${randomUUID().slice(0, 4)}`,
        segment_id: segmentId,
        template_id: templateId,
        schedule: 'at',
        send_at: AT,
        ...fields,
      })
      .select('id, status')
      .single();

  const recipients = async (campaignId: string) =>
    Object.fromEntries(
      (
        await adminSql<{ first_name: string; state: string; reason: string | null }>(
          `select coalesce(c.first_name, 'nameless') as first_name, r.state, r.reason from public.campaign_recipients r
           join public.customers c on c.id = r.customer_id where r.campaign_id = $1`,
          [campaignId],
        )
      ).map((row) => [row.first_name, row.reason ? `${row.state}:${row.reason}` : row.state]),
    );

  const claim = (now: string, batch = 100) =>
    adminSql<{ recipient_id: string; customer_id: string; send_key: string; subject: string; body_text: string }>(
      `select * from public.claim_campaign_sends($1, $2, 60)`,
      [batch, now],
    );
  let sentCustomer = '';
  let onceId = '';

  beforeAll(async () => {
    cast = await createCast('campaigns');
    await adminSql(`update public.workspace_settings set postal_address = $1`, [
      'Cairn Outdoor, 1 Harbour Road, Leith',
    ]);
    const [template] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name, purpose) values ($1, 'Winter sale', 'marketing') returning id`,
      [`winter-${run}`],
    );
    templateId = template.id;
    await adminSql(
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
       values ($1, 'en', 'Hello {{first_name}}', '<p>Hi {{first_name}}, code {{offer_code}}</p>', 'Hi {{first_name}}, code {{offer_code}}')`,
      [templateId],
    );
    const [transactional] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name) values ($1, 'Receipt') returning id`,
      [`receipt-${run}`],
    );
    transactionalId = transactional.id;
    const rules = {
      match: 'all',
      conditions: [{ field: 'style_interests', op: 'contains_any', value: [`camp-${run}`] }],
    };
    const segment = await cast
      .client('manager')
      .from('segments')
      .insert({ name: `Campaign audience ${run}`, rules, shared: true })
      .select('id')
      .single();
    if (segment.error) throw segment.error;
    segmentId = (segment.data as { id: string }).id;

    await customer('ok');
    await customer('german', { language: 'de', owner: 'agent2' });
    await customer('noconsent', { consent: 'none' });
    await customer('withdrew', { consent: 'withdrawn' });
    await customer('unsub', { consent: 'unsubscribed' });
    await customer('noemail', { email: null });
    const bounced = await customer('bounced');
    const complained = await customer('complained');
    await adminSql(
      `insert into public.email_suppressions (email, reason) values (lower($1), 'bounce'), (lower($2), 'spamreport')`,
      [bounced.email, complained.email],
    );
    // 12:00 UTC is 21:00 in Tokyo: inside 20:00–08:00.
    await customer('tokyo', { timezone: 'Asia/Tokyo', quiet: ['20:00', '08:00'] });
    // Three alerts already sent on AT's day: the shared cap (3) is reached.
    const capped = await customer('capped');
    for (const n of [1, 2, 3]) {
      await adminSql(
        `insert into public.alert_log (customer_id, kind, dedup_key, state, sent_at) values ($1, 'back_in_stock', $2, 'sent', $3)`,
        [capped.id, `camp-${run}-${n}`, later(-60 * n)],
      );
    }
    await customer('nameless', { firstName: null });
  });
  afterAll(async () => {
    await adminSql(`delete from public.campaigns where name like $1`, [`%${run}%`]);
    await cast?.end();
  });

  it('managers and admins create campaigns; agents, readonly members, shoppers, strangers and anon are refused', async () => {
    for (const caller of ['admin', 'manager'] as const) {
      const { data, error } = await createCampaign(caller);
      expect(error, caller).toBeNull();
      expect(data?.status).toBe('draft');
    }
    for (const caller of ['agent', 'readonly', 'shopper', 'stranger', 'anon'] as const) {
      const { data, error } = await createCampaign(caller);
      expect(data, caller).toBeNull();
      expect(error?.code, caller).toMatch(/^(42501|PGRST\d+)$/);
    }
    // A campaign sends marketing templates only, and starts as a draft.
    expect((await createCampaign('manager', { template_id: transactionalId })).error?.code).toBe('22023');
    expect((await createCampaign('manager', { status: 'sending' })).error?.code).toBe('42501');
    expect((await createCampaign('manager', { schedule: 'at', send_at: null })).error?.code).toBe('23514');
  });

  it('team members read campaigns; only managers and admins change or delete drafts; status is never written directly', async () => {
    const { data } = await createCampaign('manager');
    const id = (data as { id: string }).id;
    const counts = await cast.countsAs(
      ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger'],
      `select count(*)::int as n from public.campaigns where id = $1`,
      [id],
    );
    expect(counts).toEqual({ admin: 1, manager: 1, agent: 1, readonly: 1, shopper: 0, stranger: 0 });
    for (const caller of ['agent', 'readonly'] as const) {
      const update = await cast.client(caller).from('campaigns').update({ name: 'Hijacked' }).eq('id', id).select('id');
      expect(update.data ?? [], caller).toEqual([]);
      const remove = await cast.client(caller).from('campaigns').delete().eq('id', id).select('id');
      expect(remove.data ?? [], caller).toEqual([]);
    }
    expect((await cast.client('manager').from('campaigns').update({ status: 'done' }).eq('id', id)).error?.code).toBe(
      '42501',
    );
    const renamed = await cast
      .client('admin')
      .from('campaigns')
      .update({ name: `Renamed ${run}` })
      .eq('id', id)
      .select('name');
    expect(renamed.data).toEqual([{ name: `Renamed ${run}` }]);
    // Nobody writes recipients through the API.
    const insert = await cast
      .client('admin')
      .from('campaign_recipients')
      .insert({ campaign_id: id, customer_id: people.ok.id });
    expect(insert.error?.code).toBe('42501');
  });

  it('the summary names every exclusion and deferral, languages and missing variants, as the caller sees the audience', async () => {
    const { data } = await createCampaign('manager', { variables: { offer_code: 'SNOW' } });
    const id = (data as { id: string }).id;
    const summary = (await cast.client('manager').rpc('campaign_summary', { campaign_id: id, at: AT })).data as {
      recipients: number;
      sendable: number;
      deferred: number;
      excluded: number;
      reasons: Record<string, number>;
      missing_variants: string[];
      empty_variables: Record<string, number>;
      languages: Array<{ language: string; recipients: number; missing: boolean }>;
    };
    expect(summary.recipients).toBe(11);
    expect(summary.reasons).toEqual({
      no_marketing_consent: 2,
      unsubscribed: 1,
      no_email: 1,
      bounced: 1,
      complained: 1,
      quiet_hours: 1,
      daily_cap: 1,
    });
    expect(summary.sendable).toBe(3);
    expect(summary.deferred).toBe(2);
    expect(summary.excluded).toBe(6);
    expect(summary.missing_variants).toEqual(['de']);
    expect(summary.languages).toContainEqual({ language: 'de', recipients: 1, variant: 'en', missing: true });
    expect(summary.empty_variables).toEqual({ first_name: 1 });

    // An agent's summary counts only their customers (german belongs to agent2).
    const agents = (await cast.client('agent').rpc('campaign_summary', { campaign_id: id, at: AT })).data as {
      recipients: number;
    };
    expect(agents.recipients).toBe(10);
    expect((await cast.client('shopper').rpc('campaign_summary', { campaign_id: id, at: AT })).error?.code).toBe(
      '42501',
    );
  });

  it('only managers and admins send; the audience is frozen with each recipient’s fate', async () => {
    const { data } = await createCampaign('manager', { skip_empty_variables: true, variables: { offer_code: 'SNOW' } });
    const id = (data as { id: string }).id;
    for (const caller of ['agent', 'readonly', 'shopper', 'stranger'] as const) {
      expect((await cast.client(caller).rpc('send_campaign', { campaign_id: id })).error?.code, caller).toBe('42501');
    }
    expect(await recipients(id)).toEqual({});
    const sent = await cast.client('manager').rpc('send_campaign', { campaign_id: id });
    expect(sent.error).toBeNull();
    expect(sent.data).toMatchObject({ status: 'scheduled', recipients: 11 });
    expect(await recipients(id)).toMatchObject({
      ok: 'queued',
      german: 'queued',
      noconsent: 'excluded:no_marketing_consent',
      withdrew: 'excluded:no_marketing_consent',
      unsub: 'excluded:unsubscribed',
      noemail: 'excluded:no_email',
      bounced: 'excluded:bounced',
      complained: 'excluded:complained',
      tokyo: 'deferred:quiet_hours',
      capped: 'deferred:daily_cap',
      nameless: 'excluded:empty_variables',
    });
    // Twice is refused; the agent reads the recipients they own only.
    expect((await cast.client('manager').rpc('send_campaign', { campaign_id: id })).error?.code).toBe('55000');
    const visible = await cast.countsAs(
      ['manager', 'agent', 'agent2', 'readonly', 'shopper'],
      `select count(*)::int as n from public.campaign_recipients where campaign_id = $1`,
      [id],
    );
    expect(visible).toEqual({ manager: 11, agent: 10, agent2: 1, readonly: 11, shopper: 0 });
    expect((await cast.client('manager').rpc('cancel_campaign', { campaign_id: id })).data).toBe('cancelled');
  });

  it('a started campaign is neither edited nor deleted; a draft is both', async () => {
    const draft = ((await createCampaign('manager')).data as { id: string }).id;
    const started = ((await createCampaign('manager')).data as { id: string }).id;
    expect((await cast.client('manager').rpc('send_campaign', { campaign_id: started })).error).toBeNull();
    const edit = await cast
      .client('admin')
      .from('campaigns')
      .update({ name: `Changed ${run}` })
      .eq('id', started);
    expect(edit.error?.code).toBe('55000');
    const remove = await cast.client('admin').from('campaigns').delete().eq('id', started).select('id');
    expect(remove.data).toEqual([]);
    expect(await adminSql(`select status from public.campaigns where id = $1`, [started])).toEqual([
      { status: 'scheduled' },
    ]);
    await cast.client('manager').rpc('cancel_campaign', { campaign_id: started });
    const removed = await cast.client('manager').from('campaigns').delete().eq('id', draft).select('id');
    expect(removed.data).toEqual([{ id: draft }]);
  });

  it('lists the recipients whose variables would be empty; the sender’s choice decides at the freeze', async () => {
    const { data } = await createCampaign('manager', { variables: { offer_code: 'SNOW' } });
    const id = (data as { id: string }).id;
    const listed = async (caller: Caller = 'manager') => {
      const { data: list, error } = await cast
        .client(caller)
        .rpc('campaign_empty_variable_recipients', { campaign_id: id, at: AT });
      if (error) throw new Error(`${error.code} ${error.message}`);
      return list as {
        total: number;
        recipients: Array<{ customer_id: string; empty_variables: string[]; excluded: boolean }>;
      };
    };
    // Only those who would get it: the nameless one (the others without a name are excluded anyway).
    expect(await listed()).toMatchObject({
      total: 1,
      recipients: [{ customer_id: people.nameless.id, empty_variables: ['first_name'], excluded: false }],
    });
    expect((await listed('agent2')).total).toBe(0);
    // The page's summary carries the same list, from the same plan (20261210103000).
    for (const caller of ['manager', 'agent2'] as const) {
      const { data: summary, error } = await cast.client(caller).rpc('campaign_summary', { campaign_id: id, at: AT });
      expect(error).toBeNull();
      expect((summary as { empty_recipients: unknown }).empty_recipients).toEqual(await listed(caller));
    }
    expect(
      (await cast.client('shopper').rpc('campaign_empty_variable_recipients', { campaign_id: id })).error?.code,
    ).toBe('42501');
    expect(
      (await cast.client('manager').rpc('campaign_empty_variable_recipients', { campaign_id: id, max_rows: 0 })).error
        ?.code,
    ).toBe('22023');
    // "Exclude them": still listed, as excluded.
    await cast.client('manager').from('campaigns').update({ skip_empty_variables: true }).eq('id', id);
    expect((await listed()).recipients).toMatchObject([{ customer_id: people.nameless.id, excluded: true }]);
    // A fallback fills the variable: nobody is left with an empty one.
    await cast
      .client('manager')
      .from('campaigns')
      .update({ variables: { offer_code: 'SNOW', first_name: 'there' } })
      .eq('id', id);
    expect(await listed()).toEqual({ total: 0, recipients: [] });
    // "Send anyway" without a fallback: the freeze queues them with the empty variable.
    await cast
      .client('manager')
      .from('campaigns')
      .update({ variables: { offer_code: 'SNOW' }, skip_empty_variables: false })
      .eq('id', id);
    await cast.client('manager').rpc('send_campaign', { campaign_id: id });
    expect((await recipients(id)).nameless).toBe('queued');
    await cast.client('manager').rpc('cancel_campaign', { campaign_id: id });
  });

  it('claim → record sends once; a lease that runs out becomes in doubt and is resolved, never handed out again', async () => {
    const { data } = await createCampaign('admin', { name: `Once ${run}` });
    const id = (data as { id: string }).id;
    onceId = id;
    expect((await cast.client('admin').rpc('send_campaign', { campaign_id: id })).error).toBeNull();

    // Not due before its time; nothing for a paused campaign.
    expect(await claim(later(-5))).toEqual([]);
    const batch = await claim(AT, 2);
    expect(batch).toHaveLength(2);
    expect(batch[0].send_key).toMatch(new RegExp(`^${id}:`));
    for (const send of batch) expect(send.subject).toMatch(/^Hello/);
    sentCustomer = batch[0].customer_id;
    expect(
      (await adminSql<{ status: string }>(`select status from public.campaigns where id = $1`, [id]))[0].status,
    ).toBe('sending');

    // One answer is recorded; the other sender "dies". Its lease (60 s) ends: in doubt.
    await adminSql(`select public.record_campaign_sends($1, $2)`, [
      JSON.stringify([{ id: Number(batch[0].recipient_id), ok: true, message_id: 'msg-1', status: 202 }]),
      AT,
    ]);
    const next = await claim(later(2));
    expect(next.map((b) => b.recipient_id)).not.toContain(batch[1].recipient_id);
    // A send its sender never handed over (its lease was ending) is queued again, no attempt counted.
    expect(next).toHaveLength(1);
    await adminSql(`select public.record_campaign_sends($1, $2)`, [
      JSON.stringify([{ id: Number(next[0].recipient_id), ok: false, not_sent: true, retryable: true }]),
      later(2),
    ]);
    const [requeued] = await adminSql<{ state: string; attempts: number }>(
      `select state, attempts from public.campaign_recipients where id = $1`,
      [next[0].recipient_id],
    );
    expect(requeued).toEqual({ state: 'queued', attempts: 0 });
    const doubtful = await adminSql<{ recipient_id: string }>(
      `select * from public.in_doubt_campaign_sends(100, $1, 0)`,
      [later(2)],
    );
    expect(doubtful.map((d) => d.recipient_id)).toEqual([batch[1].recipient_id]);
    // Found at SendGrid: sent, with its message id.
    await adminSql(`select public.resolve_campaign_sends($1, $2)`, [
      JSON.stringify([{ id: Number(batch[1].recipient_id), found: 'yes', message_id: 'msg-2' }]),
      later(3),
    ]);
    const states = await adminSql<{ state: string; provider_message_id: string }>(
      `select state, provider_message_id from public.campaign_recipients where id = any($1::bigint[]) order by id`,
      [batch.map((b) => b.recipient_id)],
    );
    expect(states.map((s) => s.state)).toEqual(['sent', 'sent']);
    // Every recipient is claimed at most once in all.
    const [{ attempts }] = await adminSql<{ attempts: number }>(
      `select max(attempts)::int as attempts from public.campaign_recipients where campaign_id = $1`,
      [id],
    );
    expect(attempts).toBe(1);
  });

  it('the bulk claim hands out what one-by-one rendering does: each variant once, each value a substitution', async () => {
    const { data } = await createCampaign('admin', { name: `Bulk ${run}`, variables: { offer_code: `A&B <"1">` } });
    const id = (data as { id: string }).id;
    expect((await cast.client('admin').rpc('send_campaign', { campaign_id: id })).error).toBeNull();
    // Both claims from the same state (each rolled back), so they hand out the same recipients.
    const db = new pg.Client({ connectionString: config.adminDbUrl });
    await db.connect();
    try {
      await db.query('begin');
      const one = (
        await db.query<{ recipient_id: string; subject: string; body_html: string; body_text: string }>(
          `select * from public.claim_campaign_sends(100, $1, 60)`,
          [AT],
        )
      ).rows.filter((row) => row.recipient_id !== null);
      await db.query('rollback');
      await db.query('begin');
      const [{ batch }] = (
        await db.query<{
          batch: {
            contents: Array<{ campaign_id: string; subject: string; body_html: string; body_text: string }>;
            sends: Array<{ recipient_id: number; campaign_id: string; substitutions: Record<string, string> }>;
          };
        }>(`select public.claim_campaign_batch(100, $1, 60) as batch`, [AT])
      ).rows;
      await db.query('rollback');
      const mine = batch.sends.filter((send) => send.campaign_id === id);
      const contents = batch.contents.filter((content) => content.campaign_id === id);
      expect(mine.length).toBeGreaterThan(0);
      expect(contents).toHaveLength(1);
      expect(contents[0].body_html).toBe('<p>Hi %cairn.h1%, code %cairn.h2%</p>');
      const apply = (text: string, values: Record<string, string>) =>
        text.replace(/%cairn\.[th]\d+%/g, (tag) => values[tag]);
      for (const send of mine) {
        const rendered = one.find((row) => Number(row.recipient_id) === send.recipient_id);
        expect(rendered, String(send.recipient_id)).toBeDefined();
        expect(apply(contents[0].subject, send.substitutions)).toBe(rendered?.subject);
        expect(apply(contents[0].body_html, send.substitutions)).toBe(rendered?.body_html);
        expect(apply(contents[0].body_text, send.substitutions)).toBe(rendered?.body_text);
      }
      expect(mine[0].substitutions['%cairn.h2%']).toBe('A&amp;B &lt;&quot;1&quot;&gt;');
      expect(mine[0].substitutions['%cairn.t2%']).toBe('A&B <"1">');
    } finally {
      await db.end();
    }
  });

  it('the shared daily cap counts the campaign emails and the alerts of the customer’s day', async () => {
    const count = async (customerId: string, at: string) =>
      Number(
        (
          await adminSql<{ n: string }>(`select private.emails_sent_today($1, $2, 'UTC')::text as n`, [customerId, at])
        )[0].n,
      );
    expect(await count(sentCustomer, later(10))).toBe(1);
    expect(await count(sentCustomer, later(24 * 60))).toBe(0);
    expect(await count(people.capped.id, later(10))).toBe(3);
  });

  it('the reverse: a campaign email sent today defers an alert under the same cap', async () => {
    const { variantId } = await createProduct({ inventory: 5 });
    await adminSql(`update public.alert_preferences set max_per_day = 1 where customer_id = $1`, [sentCustomer]);
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
       values ($1, 'email', 'alerts', 'granted', 'signup_form', now() - interval '1 day')`,
      [sentCustomer],
    );
    // Oldest of all, so a batch of one takes it whatever other tests left queued.
    const [alert] = await adminSql<{ id: string }>(
      `insert into public.alert_log (customer_id, variant_id, kind, dedup_key, not_before)
       values ($1, $2, 'back_in_stock', $3, '2000-01-01') returning id`,
      [sentCustomer, variantId, `camp-reverse-${run}`],
    );
    const claimed = await adminSql(`select * from public.claim_due_alerts(1, $1)`, [later(5)]);
    expect(claimed).toEqual([]);
    const [row] = await adminSql<{ state: string; reason: string }>(
      `select state, reason from public.alert_log where id = $1`,
      [alert.id],
    );
    expect(row).toEqual({ state: 'deferred', reason: 'deferred: daily cap reached (1 per day)' });
  });

  it('results: SendGrid events by the send key, once per recipient; revenue within the attribution window after a click', async () => {
    const [send] = await adminSql<{ email: string }>(
      `select email from public.campaign_recipients where campaign_id = $1 and customer_id = $2`,
      [onceId, sentCustomer],
    );
    const key = `${onceId}:${sentCustomer}`;
    const event = (n: number, kind: string, minutes: number, url: string | null = null) => ({
      sg_event_id: `camp-${run}-${n}`,
      event: kind,
      email: send.email,
      occurred_at: later(minutes),
      message_id: 'msg-1.filter',
      url,
      suppress: false,
      payload: { cairn_send: key, event: kind },
    });
    await adminSql(`select public.record_email_events($1)`, [
      JSON.stringify([
        event(1, 'delivered', 1),
        event(2, 'open', 30),
        event(3, 'open', 31),
        event(4, 'click', 60, 'https://shop.example/winter'),
        event(5, 'click', 61, 'https://shop.example/winter'),
      ]),
    ]);
    await createOrder({ customerId: sentCustomer, total: 80, placedAt: later(2 * 24 * 60) });
    await createOrder({ customerId: sentCustomer, total: 500, placedAt: later(10 * 24 * 60) });
    const { data, error } = await cast
      .client('manager')
      .rpc('campaign_results', { campaign_id: onceId, now: later(3) });
    expect(error).toBeNull();
    expect(data).toMatchObject({
      delivered: 1,
      opened: 1,
      clicked: 1,
      bounced: 0,
      orders: 1,
      revenue_base: 80,
      links: [{ url: 'https://shop.example/winter', clicks: 2, recipients: 1 }],
      by_language: expect.arrayContaining([expect.objectContaining({ language: 'en', opened: 1, clicked: 1 })]),
    });
    expect((data as { sent: number }).sent).toBeGreaterThanOrEqual(2);
    expect((data as { rate_per_minute: number }).rate_per_minute).toBeGreaterThan(0);
    // Shoppers and strangers read no campaign: no results.
    expect((await cast.client('stranger').rpc('campaign_results', { campaign_id: onceId })).data).toBeNull();
  });

  it('pause, resume and cancel: managers and admins only; a paused campaign hands out nothing', async () => {
    const { data } = await createCampaign('manager', { name: `Pause ${run}` });
    const id = (data as { id: string }).id;
    expect((await cast.client('manager').rpc('pause_campaign', { campaign_id: id })).error?.code).toBe('55000');
    await cast.client('manager').rpc('send_campaign', { campaign_id: id });
    expect((await cast.client('agent').rpc('pause_campaign', { campaign_id: id })).error?.code).toBe('42501');
    expect((await cast.client('manager').rpc('pause_campaign', { campaign_id: id, reason: 'typo' })).data).toBe(
      'paused',
    );
    const claimed = await claim(later(30), 1000);
    expect(claimed.filter((c) => c.send_key.startsWith(id))).toEqual([]);
    expect((await cast.client('readonly').rpc('resume_campaign', { campaign_id: id })).error?.code).toBe('42501');
    expect((await cast.client('manager').rpc('resume_campaign', { campaign_id: id })).data).toBe('scheduled');
    expect((await cast.client('agent').rpc('cancel_campaign', { campaign_id: id })).error?.code).toBe('42501');
    expect((await cast.client('admin').rpc('cancel_campaign', { campaign_id: id })).data).toBe('cancelled');
    const states = Object.values(await recipients(id));
    expect(states.filter((s) => s === 'queued' || s.startsWith('deferred'))).toEqual([]);
    expect(states.filter((s) => s.startsWith('cancelled')).length).toBeGreaterThan(0);
    expect((await cast.client('admin').rpc('resume_campaign', { campaign_id: id })).error?.code).toBe('55000');
  });

  it('refuses bad input to the sending functions', async () => {
    for (const [sql, params] of [
      ['select public.claim_campaign_sends(0)', []],
      ['select public.claim_campaign_sends(5000)', []],
      ['select public.claim_campaign_sends(10, now(), 1)', []],
      ['select public.claim_campaign_batch(0)', []],
      ['select public.claim_campaign_batch(5000)', []],
      ['select public.claim_campaign_batch(10, now(), 1)', []],
      ['select public.record_campaign_sends($1::jsonb)', ['{"id": 1}']],
      ['select public.resolve_campaign_sends($1::jsonb)', ['"x"']],
    ] as const) {
      await expect(adminSql(sql, [...params]), sql).rejects.toMatchObject({ code: '22023' });
    }
    // Granted to the service role alone.
    for (const caller of ['admin', 'manager'] as const) {
      const { error } = await cast.client(caller).rpc('claim_campaign_sends', { batch_size: 1 });
      expect(error?.code, caller).toBe('42501');
      const bulk = await cast.client(caller).rpc('claim_campaign_batch', { batch_size: 1 });
      expect(bulk.error?.code, caller).toBe('42501');
    }
  });
});

import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeliveries, type SimDelivery } from '../../../scripts/data/shopify/payloads.ts';
import { DEMO_SECRET, DEMO_SHOP, sendDeliveries } from '../../../scripts/data/shopify/simulate.ts';
import { waitFor } from '@cairn/local-stack/lib/wait.ts';
import { adminSql, callAsService, config, mail } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

/**
 * The three shipped flows end to end (issue 16): a customer and their order come from the Shopify
 * simulator's story (signed up, ordered, paid, fulfilled) through the real shopify-webhook
 * function, the database enrols the customer, `run_flows` moves the passage on simulated time,
 * and send-email's scheduled mode
 * (`source: automation`, what the send-automation-emails job calls) sends each email through the
 * mail catcher's SendGrid API — where each is read back, once.
 *
 * The flows are the shipped drafts themselves, switched on for the test and back to drafts after.
 * The stack's own schedule of the engine and its sender are paused meanwhile, so only these calls
 * move passages and send.
 */

const DAY = 24 * 3600_000;
/** The stack's own schedule of the engine (every minute, and every 5 s while a backlog lasts) and its sender. */
const ENGINE_JOBS = [
  'run-automation-flows',
  'work-automation-backlog',
  'work-automation-backlog-2',
  'send-automation-emails',
];
let cast: Cast;
let settings: Record<string, unknown> | undefined;
/** Noon UTC tomorrow: a daytime instant after every enrolment of the test. */
let noon: number;
const at = (days: number, hours = 0) => new Date(noon + days * DAY + hours * 3600_000).toISOString();

const runFlows = (now: string) => adminSql('select public.run_flows(500, $1)', [now]);

/** What the send-automation-emails job does each minute: send-email's scheduled mode. */
async function sendQueued(): Promise<void> {
  const response = await callAsService('send-email', { source: 'automation' });
  expect(response.status, await response.clone().text()).toBe(200);
  await response.body?.cancel();
}

type Person = { id: string; email: string; firstName: string };

/**
 * One order of the simulator's story: its products, the customer signing up (customers/create),
 * the order, its payment and fulfilment, a refund, a change of the customer's name — drawn until
 * the order is placed by the customer who signed up, and not cancelled.
 */
function orderStory(startMs: number): SimDelivery[] {
  for (;;) {
    const deliveries = buildDeliveries({
      shop: DEMO_SHOP,
      secret: DEMO_SECRET,
      orders: 1,
      seed: randomInt(1, 2 ** 31),
      duplicates: 0,
      outOfOrder: 0,
      startMs,
    });
    const body = (topic: string) => JSON.parse(deliveries.find((d) => d.topic === topic)?.body ?? '{}');
    const cancelled = deliveries.some((d) => d.topic === 'orders/cancelled');
    if (!cancelled && body('orders/create').customer?.id === body('customers/create').id) return deliveries;
  }
}

/** Sends deliveries in order through the real function. */
async function send(deliveries: SimDelivery[]): Promise<void> {
  const sent = await sendDeliveries(deliveries, {
    url: `${config.apiUrl}/functions/v1/shopify-webhook`,
    rate: 0,
    concurrency: 1,
  });
  expect(sent.failures).toEqual([]);
}

/** The customer a customers/create delivery made, made reachable: English, marketing consent, no quiet hours of their own. */
async function reachable(deliveries: SimDelivery[]): Promise<Person> {
  const { email } = JSON.parse(deliveries.find((d) => d.topic === 'customers/create')?.body ?? '{}') as {
    email: string;
  };
  const find = () => adminSql<{ id: string }>(`select id from public.customers where email = $1`, [email]);
  await waitFor('the simulated customer', async () => (await find()).length === 1);
  const [{ id }] = await find();
  const [person] = await adminSql<{ email: string; first_name: string }>(
    `update public.customers set language = 'en' where id = $1 returning email, first_name`,
    [id],
  );
  await adminSql(
    `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
     values ($1, 'email', 'marketing', 'granted', 'signup_form', now() - interval '1 minute')`,
    [id],
  );
  await adminSql(
    `insert into public.alert_preferences (customer_id, quiet_hours_start, quiet_hours_end) values ($1, '00:00', '00:00')
     on conflict (customer_id) do update set quiet_hours_start = '00:00', quiet_hours_end = '00:00'`,
    [id],
  );
  return { id, email: person.email, firstName: person.first_name };
}

/** The story's order once it is in, paid and fulfilled. */
async function storyOrder(deliveries: SimDelivery[]): Promise<string> {
  const externalId = deliveries.find((d) => d.topic === 'orders/create')?.orderId;
  const find = () =>
    adminSql<{ id: string; fulfillment_status: string }>(
      `select o.id, o.fulfillment_status::text from public.orders o join public.shops s on s.id = o.shop_id
       where s.domain = $1 and o.external_id = $2 and o.financial_status <> 'pending'`,
      [DEMO_SHOP, externalId],
    );
  await waitFor(
    'the simulated order, paid and fulfilled',
    async () => (await find())[0]?.fulfillment_status === 'fulfilled',
  );
  return (await find())[0].id;
}

/** A whole story sent: the customer who signed up and ordered, and their order. */
async function simulatedCustomer(startMs: number): Promise<Person & { orderId: string }> {
  const deliveries = orderStory(startMs);
  await send(deliveries);
  const orderId = await storyOrder(deliveries);
  return { ...(await reachable(deliveries)), orderId };
}

async function path(flowId: string, customerId: string): Promise<string[]> {
  return (
    await adminSql<{ step_key: string; outcome: string }>(
      `select step_key, outcome from public.flow_step_runs where flow_id = $1 and customer_id = $2 order by id`,
      [flowId, customerId],
    )
  ).map((r) => `${r.step_key}:${r.outcome}`);
}

/** The subjects the catcher holds for an address, oldest first. */
async function subjects(email: string): Promise<string[]> {
  return (await mail.list(email)).map((m) => m.subject).sort();
}

async function switchOn(preset: string): Promise<string[]> {
  const flows = await adminSql<{ id: string }>(`select id from public.flows where preset = $1 order by name`, [preset]);
  for (const { id } of flows) {
    const on = await cast.client('manager').rpc('activate_flow', { flow_id: id, enrol_existing: false });
    expect(on.error).toBeNull();
  }
  return flows.map((f) => f.id);
}

async function backToDrafts(ids: string[]): Promise<void> {
  await adminSql(`update public.flows set status = 'draft', enrols_since = null where id = any($1)`, [ids]);
  await adminSql(`delete from public.flow_enrolments where flow_id = any($1)`, [ids]);
}

beforeAll(async () => {
  await adminSql(`update cron.job set active = false where jobname = any($1)`, [ENGINE_JOBS]);
  cast = await createCast('shipped-flows');
  [settings] = await adminSql(`select daily_cap_per_shopper from public.alert_settings`);
  await adminSql(`update public.alert_settings set daily_cap_per_shopper = 3`);
  const [row] = await adminSql<{ noon: Date }>(
    `select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' + interval '36 hours' as noon`,
  );
  noon = row.noon.getTime();
});

afterAll(async () => {
  if (settings)
    await adminSql(`update public.alert_settings set daily_cap_per_shopper = $1`, [settings.daily_cap_per_shopper]);
  await adminSql(`update cron.job set active = true where jobname = any($1)`, [ENGINE_JOBS]);
  await cast?.end();
});

describe('the shipped flows, from a Shopify order to the inbox', () => {
  it('welcome: a customer who signs up at the shop gets the first email, three days later the second, and none after their first order', async () => {
    const [welcome] = await switchOn('welcome');
    try {
      // The story's clock runs a minute ahead of the database's: the order it places comes after
      // the enrolment of the sign-up (sent now), as an order placed after joining does.
      const story = orderStory(Date.now() + 60_000);
      const signUp = story.findIndex((d) => d.topic === 'customers/create');
      await send(story.slice(0, signUp + 1));
      const newcomer = await reachable(story);

      await runFlows(at(0));
      expect(await path(welcome, newcomer.id)).toEqual(['entered:entered', 'welcome-1:queued', 'wait-3-days:waited']);
      await sendQueued();
      const first = await mail.waitFor(newcomer.email, (m) => m.subject.startsWith('Welcome to '));
      expect(first.subject).toMatch(new RegExp(`^Welcome to .+, ${newcomer.firstName}$`));

      await runFlows(at(3, 1));
      await sendQueued();
      await mail.waitFor(newcomer.email, (m) => m.subject === 'A few favourites to start with');

      // Their first order (the rest of the story) meets the flow's goal before the third email.
      await send(story.slice(signUp + 1));
      await storyOrder(story);
      await runFlows(at(8));
      expect((await path(welcome, newcomer.id)).at(-1)).toBe('exited:goal_met');
      await sendQueued();
      expect(await subjects(newcomer.email)).toEqual([first.subject, 'A few favourites to start with'].sort());
    } finally {
      await backToDrafts([welcome]);
    }
  });

  it('post-purchase: a thank-you after payment, a review request two days after fulfilment, a favourite of theirs a week later', async () => {
    const [thankYou, review] = await switchOn('post_purchase').then(async (ids) => {
      const named = await adminSql<{ id: string; trigger: { type: string } }>(
        `select id, trigger from public.flows where id = any($1)`,
        [ids],
      );
      const byTrigger = (type: string) => named.filter((f) => f.trigger.type === type).map((f) => f.id);
      return [...byTrigger('order_paid'), ...byTrigger('order_fulfilled')];
    });
    try {
      const buyer = await simulatedCustomer(Date.now() - 60_000);
      // Paid and fulfilled by webhook: the customer is in both flows, once each.
      expect(await path(thankYou, buyer.id)).toEqual(['entered:entered']);
      expect(await path(review, buyer.id)).toEqual(['entered:entered']);

      await runFlows(at(0));
      expect(await path(thankYou, buyer.id)).toEqual(['entered:entered', 'thank-you:queued', 'exited:completed']);
      expect(await path(review, buyer.id)).toEqual(['entered:entered', 'wait-2-days:waited']);
      await sendQueued();
      await mail.waitFor(buyer.email, (m) => m.subject.startsWith('Thank you for your order'));

      await runFlows(at(2, 1));
      await sendQueued();
      await mail.waitFor(buyer.email, (m) => m.subject === 'How do you like it?');

      // Nothing saved yet would skip the cross-sell; a favourite from their order makes it.
      const [favourite] = await adminSql<{ title: string }>(
        `with item as (
           select v.id as variant_id, v.price, v.currency, p.title from public.order_items i
           join public.product_variants v on v.id = i.variant_id join public.products p on p.id = v.product_id
           where i.order_id = $2 limit 1)
         insert into public.favorites (customer_id, variant_id, price_at_favorite, currency)
         select $1, variant_id, price, currency from item returning (select title from item)`,
        [buyer.id, buyer.orderId],
      );
      await runFlows(at(9, 2));
      await sendQueued();
      await mail.waitFor(buyer.email, (m) => m.subject === `${favourite.title} is still waiting for you`);

      expect((await path(review, buyer.id)).slice(-3)).toEqual([
        'has-favourites:yes',
        'cross-sell:sent',
        'exited:completed',
      ]);
      // Each email once, whatever ran twice.
      await runFlows(at(10));
      await sendQueued();
      expect(await subjects(buyer.email)).toEqual(
        [
          'How do you like it?',
          `Thank you for your order, ${buyer.firstName}`,
          `${favourite.title} is still waiting for you`,
        ].sort(),
      );
    } finally {
      await backToDrafts([thankYou, review]);
    }
  });

  it('win-back: 90 days after their last order an email, 14 days later the offer, 14 more and they are churned', async () => {
    // An order placed 90 days ago less ten minutes: the customer turns 90 days inactive just
    // after the flow is switched on (a flow switched on without "enrol existing" takes only
    // those who become inactive from then on).
    const lapsed = await simulatedCustomer(Date.now() - 90 * DAY + 10 * 60_000);
    const [winBack] = await switchOn('win_back');
    try {
      const [{ since }] = await adminSql<{ since: Date }>(
        `select last_order_at as since from public.customers where id = $1`,
        [lapsed.id],
      );
      const swept = new Date(since.getTime() + 90 * DAY + 3600_000).getTime();
      const when = (days: number, hours = 0) => new Date(swept + days * DAY + hours * 3600_000).toISOString();

      await runFlows(when(0)); // the schedule's sweep enrols
      await runFlows(when(0)); // and the engine takes the first step
      expect(await path(winBack, lapsed.id)).toEqual(['entered:entered', 'miss-you:queued', 'wait-14-days:waited']);
      await sendQueued();
      await mail.waitFor(lapsed.email, (m) => m.subject === `We miss you, ${lapsed.firstName}`);

      await runFlows(when(14, 1));
      await sendQueued();
      const offer = await mail.waitFor(lapsed.email, (m) => m.subject.startsWith('A little something to come back'));
      expect(offer.subject).toBe('A little something to come back: COMEBACK10');

      await runFlows(when(28, 2));
      expect((await path(winBack, lapsed.id)).slice(-2)).toEqual(['churned:done', 'exited:completed']);
      const [{ stage }] = await adminSql<{ stage: string }>(
        `select lifecycle_stage as stage from public.customers where id = $1`,
        [lapsed.id],
      );
      expect(stage).toBe('churned');
      await runFlows(when(30));
      await sendQueued();
      expect(await subjects(lapsed.email)).toEqual(
        ['A little something to come back: COMEBACK10', `We miss you, ${lapsed.firstName}`].sort(),
      );
    } finally {
      await backToDrafts([winBack]);
    }
  });
});

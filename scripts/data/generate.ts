/**
 * `npm run data:generate -- --customers 100000 --orders 1000000 --favorites 1000000`
 *
 * Loads realistic scale data into a local stack with COPY (never row by row): a team of
 * agents, a catalogue, customers over 15 markets, orders with items in 6 currencies, favourites,
 * activities, consent and tags. Triggers are switched off for the load (session_replication_role
 * = replica, a local superuser privilege) and the database-kept values — customer metrics and
 * lifecycle stages — are then computed in one set-based pass, exactly as the triggers define them.
 *
 * Options: --customers N --orders N --favorites N --activities N --agents N --seed N
 *          --messages N (message threads over the customers, scripts/data/conversations.ts)
 *          --deals N --tasks N --notifications N (scripts/data/pipeline-data.ts)
 *          --stack dev|test|bench (CAIRN_STACK) — adds to what is there (the demo data stays).
 */
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { stackConfig, type StackConfig } from '@cairn/local-stack/config.ts';
import { generateConversations } from './conversations.ts';
import { generatePipelineData } from './pipeline-data.ts';
import { Random } from './random.ts';
import { BRANDS, type CURRENCIES, EUR_PER_UNIT, emailFor, MARKETS, STYLE_INTERESTS, type Market } from './world.ts';

export interface GenerateOptions {
  customers: number;
  orders: number;
  favorites: number;
  activities: number;
  agents: number;
  seed: number;
  /** Pipeline, My tasks and notifications at scale (issue 15; scripts/data/pipeline-data.ts). */
  deals?: number;
  tasks?: number;
  notifications?: number;
}

type Cell = string | number | boolean | null;

function csvCell(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
}
const pgArray = (values: string[]) => `{${values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** Streams `count` generated rows into `table` with COPY, in chunks, honouring backpressure. */
async function copyRows(
  client: pg.Client,
  table: string,
  columns: string[],
  count: number,
  row: (i: number) => Cell[],
): Promise<void> {
  const chunk = 5000;
  let i = 0;
  const source = new Readable({
    read() {
      if (i >= count) return void this.push(null);
      const lines: string[] = [];
      for (const end = Math.min(i + chunk, count); i < end; i++) lines.push(row(i).map(csvCell).join(','));
      this.push(`${lines.join('\n')}\n`);
    },
  });
  await pipeline(source, client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`)));
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const DAY = 86_400_000;

export async function generate(
  config: StackConfig,
  options: GenerateOptions,
  log: (line: string) => void = console.log,
): Promise<Record<string, number>> {
  const random = new Random(options.seed);
  const client = new pg.Client({ connectionString: config.adminDbUrl });
  await client.connect();
  const timings: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<void>) => {
    const began = performance.now();
    await work();
    timings[name] = Math.round(performance.now() - began);
    log(`  ${name.padEnd(22)} ${(timings[name] / 1000).toFixed(1)} s`);
  };
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const run = random.uuid().slice(0, 8);

  try {
    await client.query(
      `set session_replication_role = replica; set synchronous_commit = off; set maintenance_work_mem = '256MB'`,
    );

    // ─── Team: agents own the customers, as in a real support team ──────────────────────────
    const agentIds = Array.from({ length: options.agents }, () => random.uuid());
    await step('team', async () => {
      const password = (
        await client.query<{ hash: string }>(
          `select extensions.crypt('Cairn-demo-2026', extensions.gen_salt('bf', 10)) as hash`,
        )
      ).rows[0].hash;
      await copyRows(
        client,
        'auth.users',
        [
          'instance_id',
          'id',
          'aud',
          'role',
          'email',
          'encrypted_password',
          'email_confirmed_at',
          'invited_at',
          'raw_app_meta_data',
          'raw_user_meta_data',
          'created_at',
          'updated_at',
          'confirmation_token',
          'recovery_token',
          'email_change_token_new',
          'email_change',
        ],
        agentIds.length,
        (i) => [
          '00000000-0000-0000-0000-000000000000',
          agentIds[i],
          'authenticated',
          'authenticated',
          `agent-${run}-${i + 1}@scale.cairn.test`,
          password,
          iso(now),
          iso(now),
          '{"provider":"email","providers":["email"]}',
          JSON.stringify({ sub: agentIds[i], email: `agent-${run}-${i + 1}@scale.cairn.test`, email_verified: true }),
          iso(now),
          iso(now),
          '',
          '',
          '',
          '',
        ],
      );
      await copyRows(
        client,
        'auth.identities',
        ['id', 'provider_id', 'user_id', 'identity_data', 'provider', 'created_at', 'updated_at'],
        agentIds.length,
        (i) => [
          random.uuid(),
          agentIds[i],
          agentIds[i],
          JSON.stringify({ sub: agentIds[i], email: `agent-${run}-${i + 1}@scale.cairn.test` }),
          'email',
          iso(now),
          iso(now),
        ],
      );
      await copyRows(
        client,
        'public.team_members',
        // Invited and accepted, like every working member (triggers are off during the load).
        ['user_id', 'email', 'full_name', 'role', 'timezone', 'language', 'accepted_at'],
        agentIds.length,
        (i) => [
          agentIds[i],
          `agent-${run}-${i + 1}@scale.cairn.test`,
          `Scale Agent ${i + 1}`,
          'agent',
          'Europe/Madrid',
          'en',
          iso(now),
        ],
      );
    });

    // ─── Catalogue ───────────────────────────────────────────────────────────────────────────
    const shopId = (
      await client.query<{ id: string }>(
        `insert into public.shops (name, domain, currency) values ($1, $2, 'EUR') returning id`,
        [`Scale shop ${run}`, `scale-${run}.myshopify.com`],
      )
    ).rows[0].id;
    const products = Math.max(50, Math.round(options.favorites / 200));
    const productIds = Array.from({ length: products }, () => random.uuid());
    const variants: Array<{ id: string; productId: string; price: number; title: string }> = [];
    await step('catalogue', async () => {
      await copyRows(
        client,
        'public.products',
        ['id', 'shop_id', 'external_id', 'title', 'vendor', 'product_type', 'status', 'source'],
        products,
        (i) => [
          productIds[i],
          shopId,
          9_000_000_000 + i,
          `Product ${i + 1}`,
          BRANDS[i % BRANDS.length],
          'Apparel',
          'active',
          'shopify',
        ],
      );
      for (const productId of productIds)
        for (const size of ['S', 'M', 'L'])
          variants.push({ id: random.uuid(), productId, price: round2(random.logNormal(70, 0.5)), title: size });
      await copyRows(
        client,
        'public.product_variants',
        ['id', 'product_id', 'external_id', 'sku', 'title', 'price', 'currency', 'inventory_quantity'],
        variants.length,
        (i) => [
          variants[i].id,
          variants[i].productId,
          9_100_000_000 + i,
          `SC-${i}`,
          variants[i].title,
          variants[i].price,
          'EUR',
          random.chance(0.1) ? 0 : random.int(1, 80),
        ],
      );
    });

    // ─── Customers ───────────────────────────────────────────────────────────────────────────
    const customerIds: string[] = new Array(options.customers);
    const customerMarkets: Market[] = new Array(options.customers);
    const customerCreated: number[] = new Array(options.customers);
    // Copied onto customer-owned rows, as the triggers (off during the load) would.
    const customerOwner: Array<string | null> = new Array(options.customers);
    const weighted = MARKETS.map((market) => [market, market.weight] as const);
    await step('customers', async () => {
      const statuses = [
        ['active', 85],
        ['inactive', 8],
        ['vip', 5],
        ['blocked', 2],
      ] as const;
      await copyRows(
        client,
        'public.customers',
        [
          'id',
          'first_name',
          'last_name',
          'email',
          'phone',
          'country',
          'city',
          'region',
          'postal_code',
          'timezone',
          'language',
          'currency',
          'status',
          'lifecycle_stage',
          'owner_id',
          'style_interests',
          'favourite_brands',
          'source',
          'created_at',
          'updated_at',
        ],
        options.customers,
        (i) => {
          const market = random.weighted(weighted);
          const first = random.pick(market.firstNames);
          const last = random.pick(market.lastNames);
          const [city, region, postal] = random.pick(market.cities);
          customerIds[i] = random.uuid();
          customerMarkets[i] = market;
          customerCreated[i] = now - random.int(1, 900) * DAY;
          customerOwner[i] = random.chance(0.9) ? agentIds[i % agentIds.length] : null;
          return [
            customerIds[i],
            first,
            last,
            emailFor(first, last, i).replace('@', `.${run}@`),
            `${market.phonePrefix}${random.int(1_000_000, 9_999_999)}`,
            market.country,
            city,
            region,
            postal,
            market.timezone,
            market.language,
            market.currency,
            random.weighted(statuses),
            'prospect',
            customerOwner[i],
            pgArray(random.chance(0.6) ? [random.pick(STYLE_INTERESTS)] : []),
            pgArray(random.chance(0.4) ? [random.pick(BRANDS)] : []),
            'shopify',
            iso(customerCreated[i]),
            iso(customerCreated[i]),
          ];
        },
      );
    });

    // ─── Orders and items: a long tail of buyers, several currencies ────────────────────────
    await step('orders + items', async () => {
      const buyer = () => Math.min(options.customers - 1, Math.floor(options.customers * Math.pow(random.next(), 1.8)));
      const orderIds: string[] = new Array(options.orders);
      const orderTotals: Array<[number, string]> = new Array(options.orders);
      const orderOwners: Array<string | null> = new Array(options.orders);
      const financial = [
        ['paid', 86],
        ['pending', 3],
        ['partially_refunded', 3],
        ['refunded', 3],
        ['voided', 5],
      ] as const;
      await copyRows(
        client,
        'public.orders',
        [
          'id',
          'shop_id',
          'external_id',
          'customer_id',
          'customer_owner_id',
          'order_number',
          'financial_status',
          'fulfillment_status',
          'cancelled_at',
          'currency',
          'exchange_rate',
          'subtotal',
          'total',
          'total_base',
          'refunded_total',
          'refunded_base',
          'source',
          'placed_at',
          'created_at',
          'updated_at',
        ],
        options.orders,
        (i) => {
          const c = buyer();
          const currency = customerMarkets[c].currency as (typeof CURRENCIES)[number];
          const placed = customerCreated[c] + random.next() * (now - customerCreated[c]);
          const rate = EUR_PER_UNIT[currency] * (1 + 0.04 * Math.sin(placed / DAY / 45));
          const total =
            currency === 'JPY'
              ? Math.round(random.logNormal(90, 0.6) / EUR_PER_UNIT.JPY)
              : round2(random.logNormal(90, 0.6) / EUR_PER_UNIT[currency]);
          const status = random.weighted(financial);
          const totalBase = round2(total * rate);
          const refunded = status === 'refunded' ? total : status === 'partially_refunded' ? round2(total * 0.3) : 0;
          const refundedBase =
            status === 'refunded' ? totalBase : status === 'partially_refunded' ? round2(refunded * rate) : 0;
          orderIds[i] = random.uuid();
          orderTotals[i] = [total, currency];
          orderOwners[i] = customerOwner[c];
          return [
            orderIds[i],
            shopId,
            9_200_000_000 + i,
            customerIds[c],
            customerOwner[c],
            `S${run}-${i + 1}`,
            status,
            status === 'paid' ? 'fulfilled' : 'unfulfilled',
            status === 'voided' ? iso(placed + 3_600_000) : null,
            currency,
            rate.toFixed(10),
            total,
            total,
            totalBase,
            refunded,
            refundedBase,
            'shopify',
            iso(placed),
            iso(placed),
            iso(placed),
          ];
        },
      );
      await copyRows(
        client,
        'public.order_items',
        [
          'order_id',
          'variant_id',
          'product_id',
          'title',
          'variant_title',
          'quantity',
          'unit_price',
          'total',
          'currency',
          'customer_owner_id',
        ],
        options.orders,
        (i) => {
          const variant = random.pick(variants);
          const [total, currency] = orderTotals[i];
          return [
            orderIds[i],
            variant.id,
            variant.productId,
            `Product ${variant.productId.slice(0, 6)}`,
            variant.title,
            1,
            total,
            total,
            currency,
            orderOwners[i],
          ];
        },
      );
    });

    // ─── Favourites: unique (customer, variant) pairs ───────────────────────────────────────
    await step('favourites', async () => {
      const perCustomer = Math.ceil(options.favorites / options.customers);
      const stride = Math.max(1, Math.floor(variants.length / perCustomer));
      await copyRows(
        client,
        'public.favorites',
        ['customer_id', 'variant_id', 'price_at_favorite', 'currency', 'created_at', 'customer_owner_id'],
        options.favorites,
        (i) => {
          const c = i % options.customers;
          const k = Math.floor(i / options.customers);
          const variant = variants[(c * 7 + k * stride) % variants.length];
          return [
            customerIds[c],
            variant.id,
            variant.price,
            'EUR',
            iso(now - random.int(1, 200) * DAY),
            customerOwner[c],
          ];
        },
      );
    });

    // ─── Timeline, consent, tags ─────────────────────────────────────────────────────────────
    await step('activities', async () => {
      const subjects = ['Called about an order', 'Note', 'Follow up on sizing', 'Sent the lookbook'];
      await copyRows(
        client,
        'public.activities',
        ['customer_id', 'kind', 'subject', 'body', 'author_id', 'created_at', 'updated_at', 'customer_owner_id'],
        options.activities,
        () => {
          const c = Math.floor(random.next() * options.customers);
          const at = iso(customerCreated[c] + random.next() * (now - customerCreated[c]));
          return [
            customerIds[c],
            'note',
            random.pick(subjects),
            'Prefers email over phone.',
            agentIds[c % agentIds.length],
            at,
            at,
            customerOwner[c],
          ];
        },
      );
    });
    await step('consent + tags', async () => {
      await copyRows(
        client,
        'public.consent_events',
        ['customer_id', 'channel', 'purpose', 'status', 'source', 'occurred_at', 'evidence', 'customer_owner_id'],
        options.customers,
        (i) => [
          customerIds[i],
          'email',
          'marketing',
          random.chance(0.85) ? 'granted' : 'withdrawn',
          'signup_form',
          iso(customerCreated[i]),
          '{}',
          customerOwner[i],
        ],
      );
      const tagIds = (
        await client.query<{ id: string }>(
          `insert into public.tags (name) select 'Scale ' || $1 || ' ' || g from generate_series(1, 12) g returning id`,
          [run],
        )
      ).rows.map((row) => row.id);
      const tagged = Math.round(options.customers * 0.3);
      await copyRows(client, 'public.customer_tags', ['customer_id', 'tag_id', 'customer_owner_id'], tagged, (i) => [
        customerIds[(i * 3) % options.customers],
        tagIds[i % tagIds.length],
        customerOwner[(i * 3) % options.customers],
      ]);
    });

    // ─── What the triggers would have kept: metrics and lifecycle, in one pass ──────────────
    await step('metrics', async () => {
      await client.query(
        `
        update public.customers c set
          lifetime_value = m.ltv, order_count = m.n, first_order_at = m.first_at, last_order_at = m.last_at,
          lifecycle_stage = case when m.n >= 2 then 'repeat' when m.n = 1 then 'customer' else c.lifecycle_stage end
        from (
          select customer_id, coalesce(sum(net_total_base) filter (where counts_as_purchase), 0) as ltv,
            count(*) filter (where counts_as_purchase) as n, min(placed_at) as first_at, max(placed_at) as last_at
          from public.orders where customer_id = any($1::uuid[]) group by customer_id
        ) m
        where c.id = m.customer_id`,
        [customerIds],
      );
    });
    // What the sales-summary triggers would have kept (20261209120000): the loaded orders'
    // quarter-hours marked dirty (the scheduled fold recomputes them from the orders; reports read
    // dirty quarter-hours from the orders until then) and the loaded favourites counted.
    await step('sales summaries', async () => {
      await client.query(
        `insert into private.sales_dirty_quarter_hours (bucket)
         select distinct private.quarter_hour(placed_at) from public.orders where customer_id = any($1::uuid[])`,
        [customerIds],
      );
      // … and each customer's purchase arrays (20261211110000): the loaded buyers marked dirty.
      await client.query(
        `insert into private.customer_purchases_dirty (customer_id)
         select distinct customer_id from public.orders where customer_id = any($1::uuid[]) and counts_as_purchase`,
        [customerIds],
      );
      await client.query(
        `insert into private.favourite_counts as f (variant_id, owner_id, favourites)
         select variant_id, customer_owner_id, count(*) from public.favorites where customer_id = any($1::uuid[]) group by 1, 2
         on conflict (variant_id, owner_id) do update set favourites = f.favourites + excluded.favourites`,
        [customerIds],
      );
    });
    // Fresh statistics, and a visibility map so index-only scans (agents' owned-customer sets) work at once.
    if (options.deals || options.tasks || options.notifications) {
      await step('deals, tasks, notes', () =>
        generatePipelineData(client, {
          deals: options.deals ?? 0,
          tasks: options.tasks ?? 0,
          notifications: options.notifications ?? 0,
        }),
      );
    }
    await step('vacuum analyze', async () => {
      await client.query('vacuum analyze');
    });
    return timings;
  } finally {
    await client.end();
  }
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

async function main(): Promise<void> {
  const stackIndex = process.argv.indexOf('--stack');
  const config = stackConfig(stackIndex === -1 ? undefined : process.argv[stackIndex + 1]);
  const options: GenerateOptions = {
    customers: argument('customers', 10_000),
    orders: argument('orders', 100_000),
    favorites: argument('favorites', 100_000),
    activities: argument('activities', 0) || Math.round(argument('customers', 10_000) * 2),
    agents: argument('agents', 20),
    seed: argument('seed', 42),
    deals: argument('deals', 0),
    tasks: argument('tasks', 0),
    notifications: argument('notifications', 0),
  };
  if (options.customers < 1 || options.agents < 1) throw new Error('--customers and --agents must be at least 1');
  console.log(`Generating into ${config.name} (${config.dbUrl}): ${JSON.stringify(options)}`);
  const began = performance.now();
  await generate(config, options);
  const messages = argument('messages', 0);
  if (messages > 0) {
    // Conversations (issue 14) over the customers just loaded: scripts/data/conversations.ts.
    const client = new pg.Client({ connectionString: config.adminDbUrl });
    await client.connect();
    try {
      const loaded = await generateConversations(client, { messages, perThread: 5, longThread: 200 });
      console.log(`  conversations          ${loaded.threads} threads, ${loaded.messages} messages`);
    } finally {
      await client.end();
    }
  }
  console.log(`Done in ${((performance.now() - began) / 1000).toFixed(1)} s.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

/**
 * Writes `supabase/seed.sql`: Cairn's deterministic demo workspace. Same PRNG seed, same rows,
 * on every machine; times are relative to when the seed runs (`now() - interval …`), so the
 * dashboard always has a "this month".
 *
 *   npx tsx scripts/data/seed.ts        (then `npm run db:reset` to load it)
 *
 * Contents: the demo team (admin, manager, agent, readonly) and a shopper, all with password
 * `Cairn-demo-2026`; 2 Shopify shops (the first with a known webhook secret); 400 days of
 * exchange rates; a catalogue with variants; about 200 customers over 15 countries and 6
 * currencies; orders with items and refunds; tags, custom fields, consent, favourites, alert
 * preferences, activities, deals, email templates in five languages, a message thread.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cairn/local-stack/config.ts';
import { Random } from './random.ts';
import { ago, daysAgoDate, insert, Raw, type SqlValue } from './sql.ts';
import { BRANDS, CURRENCIES, EUR_PER_UNIT, emailFor, MARKETS, STYLE_INTERESTS, type Market } from './world.ts';

export const DEMO_PASSWORD = 'Cairn-demo-2026';
export const DEMO_SHOP = { domain: 'cairn-demo.myshopify.com', secret: 'cairn-demo-shopify-webhook-secret' };

const random = new Random(20261121);
const rows: Record<string, Array<Record<string, SqlValue>>> = {};
const add = (table: string, row: Record<string, SqlValue>) => (rows[table] ??= []).push(row);

// ─── People ─────────────────────────────────────────────────────────────────────────────────
const staff = [
  { email: 'admin@cairn.test', name: 'Ada Admin', role: 'admin', timezone: 'Europe/Madrid', language: 'en' },
  { email: 'manager@cairn.test', name: 'Marco Manager', role: 'manager', timezone: 'Europe/Berlin', language: 'de' },
  { email: 'agent@cairn.test', name: 'Alba Agent', role: 'agent', timezone: 'Europe/Madrid', language: 'es' },
  {
    email: 'readonly@cairn.test',
    name: 'Rui Readonly',
    role: 'readonly',
    timezone: 'America/New_York',
    language: 'en',
  },
].map((member, i) => ({ ...member, id: `a0000000-0000-4000-8000-00000000000${i + 1}` }));
const shopper = { email: 'shopper@cairn.test', id: 'a0000000-0000-4000-8000-000000000010' };
const [admin, manager, agent] = staff;

// ─── Exchange rates: 400 days, EUR base ─────────────────────────────────────────────────────
for (const currency of CURRENCIES.filter((code) => code !== 'EUR')) {
  for (let day = 0; day <= 400; day++) {
    const drift = 1 + 0.04 * Math.sin(day / 45) + (random.next() - 0.5) * 0.01;
    add('public.exchange_rates', {
      rate_date: daysAgoDate(day),
      currency,
      rate_to_base: round(EUR_PER_UNIT[currency] * drift, 8),
      source: 'demo',
    });
  }
}

// ─── Shops and catalogue ────────────────────────────────────────────────────────────────────
const shops = [
  {
    id: 'b0000000-0000-4000-8000-000000000001',
    name: 'Cairn Demo Boutique',
    domain: DEMO_SHOP.domain,
    currency: 'EUR',
    default_language: 'en',
    timezone: 'Europe/Madrid',
  },
  {
    id: 'b0000000-0000-4000-8000-000000000002',
    name: 'Cairn Outlet US',
    domain: 'cairn-outlet.myshopify.com',
    currency: 'USD',
    default_language: 'en',
    timezone: 'America/New_York',
  },
];
for (const shop of shops) add('public.shops', shop);

const garments = [
  'Linen midi dress',
  'Merino crew sweater',
  'Wide-leg trousers',
  'Silk scarf',
  'Leather tote',
  'Denim jacket',
  'Cashmere beanie',
  'Trench coat',
  'Canvas sneakers',
  'Pleated skirt',
  'Organic cotton tee',
  'Wool blazer',
  'Ankle boots',
  'Recycled puffer',
  'Satin blouse',
  'Cord overshirt',
  'Knit cardigan',
  'Leather belt',
  'Straw hat',
  'Rain jacket',
];
const sizes = ['S', 'M', 'L'];
interface Variant {
  id: string;
  productId: string;
  title: string;
  productTitle: string;
  vendor: string;
  price: number;
  currency: string;
  shopId: string;
  sku: string;
  inventory: number;
}
const variants: Variant[] = [];
let externalId = 7_000_000_000;
garments.forEach((garment, g) => {
  for (const shop of shops) {
    const productId = random.uuid();
    const vendor = BRANDS[g % BRANDS.length];
    const base = round(random.logNormal(shop.currency === 'EUR' ? 80 : 90, 0.5), 0) + 0.99;
    const handle = `${garment.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${shop.currency.toLowerCase()}`;
    add('public.products', {
      id: productId,
      shop_id: shop.id,
      external_id: ++externalId,
      title: garment,
      handle,
      vendor,
      product_type: 'Apparel',
      status: g === 19 ? 'draft' : 'active',
      image_url: `https://images.cairn.test/products/${handle}.jpg`,
      source: 'shopify',
      tags: [random.pick(STYLE_INTERESTS)],
    });
    sizes.slice(0, random.int(1, 3)).forEach((size, position) => {
      const variant: Variant = {
        id: random.uuid(),
        productId,
        title: size,
        productTitle: garment,
        vendor,
        price: base,
        currency: shop.currency,
        shopId: shop.id,
        sku: `${handle.slice(0, 12).toUpperCase()}-${size}`,
        inventory: 0,
      };
      variants.push(variant);
      const compareAt = random.chance(0.3) ? round(base * 1.25, 2) : null;
      // A few sold-out variants, so back-in-stock alerts have something to announce.
      variant.inventory = random.chance(0.12) ? 0 : random.int(1, 60);
      add('public.product_variants', {
        id: variant.id,
        product_id: productId,
        external_id: ++externalId,
        sku: variant.sku,
        title: size,
        price: base,
        compare_at_price: compareAt,
        currency: shop.currency,
        inventory_quantity: variant.inventory,
        inventory_item_id: ++externalId,
        position: position + 1,
      });
    });
  }
});

// ─── Tags and custom fields ─────────────────────────────────────────────────────────────────
const tags = [
  ['VIP', '#b45309'],
  ['Wholesale', '#1d4ed8'],
  ['Newsletter', '#047857'],
  ['Influencer', '#7c3aed'],
  ['Returns risk', '#b91c1c'],
  ['Gift buyer', '#0e7490'],
].map(([name, colour]) => ({ id: random.uuid(), name, colour }));
for (const tag of tags) add('public.tags', tag);
add('public.custom_field_definitions', {
  key: 'loyalty_tier',
  label: 'Loyalty tier',
  type: 'select',
  options: ['bronze', 'silver', 'gold'],
  position: 1,
});
add('public.custom_field_definitions', { key: 'birthday', label: 'Birthday', type: 'date', options: [], position: 2 });
add('public.custom_field_definitions', {
  key: 'size_profile',
  label: 'Usual size',
  type: 'text',
  options: [],
  position: 3,
});

// ─── Customers, orders, consent, favourites, activities ─────────────────────────────────────
const owners = [...Array(9).fill(agent.id), ...Array(3).fill(manager.id), admin.id, null, null];
const stages = [
  ['prospect', 2],
  ['lead', 3],
  ['customer', 0],
  ['at_risk', 1],
  ['churned', 1],
] as const;
const CUSTOMERS = 200;
let orderNumber = 1000;
for (let n = 0; n < CUSTOMERS; n++) {
  const market: Market = random.weighted(MARKETS.map((m) => [m, m.weight] as const));
  const first = random.pick(market.firstNames);
  const last = random.pick(market.lastNames);
  const [city, region, postal] = random.pick(market.cities);
  const isShopper = n === 0;
  const id = random.uuid();
  const createdDaysAgo = random.int(5, 520);
  add('public.customers', {
    id,
    first_name: isShopper ? 'Sara' : first,
    last_name: isShopper ? 'Shopper' : last,
    email: isShopper ? shopper.email : emailFor(first, last, n),
    phone: `${market.phonePrefix}${String(random.int(1_000_000, 9_999_999))}`,
    company: random.chance(0.15) ? `${last} ${random.pick(['Studio', 'Boutique', 'Trading', 'Atelier'])}` : null,
    country: isShopper ? 'ES' : market.country,
    region,
    city,
    postal_code: postal,
    timezone: isShopper ? 'Europe/Madrid' : market.timezone,
    language: isShopper ? 'es' : market.language,
    currency: isShopper ? 'EUR' : market.currency,
    status: random.weighted([
      ['active', 85],
      ['inactive', 8],
      ['vip', 5],
      ['blocked', 2],
    ] as const),
    lifecycle_stage: random.weighted(stages),
    owner_id: isShopper ? agent.id : random.pick(owners),
    auth_user_id: isShopper ? shopper.id : null,
    style_interests: pickSome(STYLE_INTERESTS, random.int(0, 3)),
    favourite_brands: pickSome(BRANDS, random.int(0, 3)),
    source: random.weighted([
      ['shopify', 70],
      ['manual', 15],
      ['import', 10],
      ['portal', 5],
    ] as const),
    custom_fields: random.chance(0.4) ? { loyalty_tier: random.pick(['bronze', 'silver', 'gold']) } : {},
    created_at: ago(createdDaysAgo * 1440),
  });

  for (const tag of tags) if (random.chance(0.12)) add('public.customer_tags', { customer_id: id, tag_id: tag.id });

  const consented = isShopper || random.chance(0.7);
  if (consented) {
    for (const purpose of ['marketing', 'alerts']) {
      add('public.consent_events', {
        customer_id: id,
        channel: 'email',
        purpose,
        status: 'granted',
        source: 'signup_form',
        occurred_at: ago(createdDaysAgo * 1440 - 5),
        evidence: { form: 'checkout' },
      });
    }
    if (!isShopper && random.chance(0.1)) {
      add('public.consent_events', {
        customer_id: id,
        channel: 'email',
        purpose: 'marketing',
        status: 'withdrawn',
        source: 'unsubscribe_link',
        occurred_at: ago(random.int(1, createdDaysAgo) * 1440),
      });
    }
  }

  // Orders: most customers buy once or a few times; a few buy often.
  const orderCount = isShopper
    ? 3
    : random.weighted([
        [0, 30],
        [1, 30],
        [2, 15],
        [3, 10],
        [5, 8],
        [9, 4],
        [14, 3],
      ] as const);
  for (let o = 0; o < orderCount; o++) {
    const orderId = random.uuid();
    const daysAgo = random.int(0, Math.min(createdDaysAgo, 400));
    const shop = market.currency === 'USD' && random.chance(0.6) ? shops[1] : shops[0];
    const currency = random.chance(0.8) ? market.currency : shop.currency;
    const lines = pickSome(
      variants.filter((variant) => variant.shopId === shop.id),
      random.int(1, 3),
    );
    let subtotal = 0;
    for (const line of lines) {
      const quantity = random.weighted([
        [1, 8],
        [2, 2],
      ] as const);
      const unit = round(
        (line.price * EUR_PER_UNIT[line.currency as keyof typeof EUR_PER_UNIT]) /
          EUR_PER_UNIT[currency as keyof typeof EUR_PER_UNIT],
        currency === 'JPY' ? 0 : 2,
      );
      subtotal += unit * quantity;
      add('public.order_items', {
        order_id: orderId,
        product_id: line.productId,
        variant_id: line.id,
        title: line.productTitle,
        variant_title: line.title,
        sku: line.sku,
        vendor: line.vendor,
        quantity,
        unit_price: unit,
        total: round(unit * quantity, 2),
        currency,
      });
    }
    subtotal = round(subtotal, 2);
    const shipping =
      subtotal > 100 ? 0 : round(5.9 / EUR_PER_UNIT[currency as keyof typeof EUR_PER_UNIT], currency === 'JPY' ? 0 : 2);
    const total = round(subtotal + shipping, 2);
    const status = random.weighted([
      ['paid', 78],
      ['pending', 4],
      ['authorized', 3],
      ['partially_refunded', 5],
      ['refunded', 4],
      ['voided', 6],
    ] as const);
    const cancelled = status === 'voided';
    const fulfilled = status === 'paid' && daysAgo > 3;
    add('public.orders', {
      id: orderId,
      shop_id: shop.id,
      external_id: ++externalId,
      customer_id: id,
      order_number: `#${++orderNumber}`,
      financial_status: status,
      fulfillment_status: fulfilled ? 'fulfilled' : 'unfulfilled',
      cancelled_at: cancelled ? ago(daysAgo * 1440 - 60) : null,
      cancel_reason: cancelled ? 'customer' : null,
      currency,
      subtotal,
      shipping_total: shipping,
      total,
      shipping_name: `${first} ${last}`,
      shipping_city: city,
      shipping_region: region,
      shipping_postal_code: postal,
      shipping_country: market.country,
      carrier: fulfilled ? 'DHL' : null,
      tracking_number: fulfilled ? `JD${random.int(100_000_000, 999_999_999)}` : null,
      tracking_url: fulfilled ? 'https://track.cairn.test/parcel' : null,
      source: 'shopify',
      placed_at: ago(daysAgo * 1440 + random.int(0, 1439)),
    });
    if (status === 'refunded' || status === 'partially_refunded') {
      add('public.refunds', {
        order_id: orderId,
        external_id: ++externalId,
        amount: status === 'refunded' ? total : round(total * 0.3, 2),
        currency,
        reason: status === 'refunded' ? 'Returned: did not fit' : 'Partial return',
        refunded_at: ago(Math.max(daysAgo - 2, 0) * 1440),
      });
    }
  }

  // Favourites (the shopper has several, including a sold-out one).
  const soldOut = variants.find((variant) => variant.shopId === shops[0].id && variant.inventory === 0);
  const favourites = isShopper
    ? [
        ...(soldOut ? [soldOut] : []),
        ...pickSome(
          variants.filter((variant) => variant !== soldOut),
          4,
        ),
      ]
    : pickSome(variants, random.chance(0.5) ? random.int(1, 4) : 0);
  for (const variant of favourites) {
    add('public.favorites', { customer_id: id, variant_id: variant.id, created_at: ago(random.int(1, 90) * 1440) });
  }
  if (isShopper || random.chance(0.2))
    add('public.alert_preferences', { customer_id: id, back_in_stock: true, price_drop: true });

  // Timeline: notes, calls, tasks from the team.
  const authors = [agent, manager, admin];
  for (
    let a = 0;
    a <
    random.weighted([
      [0, 30],
      [1, 30],
      [2, 20],
      [4, 15],
      [8, 5],
    ] as const);
    a++
  ) {
    const author = random.pick(authors);
    const kind = random.weighted([
      ['note', 5],
      ['call', 3],
      ['task', 2],
      ['meeting', 1],
    ] as const);
    const minutesAgo = random.int(10, Math.min(createdDaysAgo, 300) * 1440);
    add('public.activities', {
      customer_id: id,
      kind,
      author_id: author.id,
      created_at: ago(minutesAgo),
      subject: { note: 'Note', call: 'Called about an order', task: 'Follow up on sizing', meeting: 'Showroom visit' }[
        kind
      ],
      body: random.pick([
        'Prefers email over phone.',
        'Asked about the autumn collection.',
        'Interested in the loyalty programme.',
        'Size M in tops, 38 in shoes.',
        'Happy with the last delivery.',
      ]),
      direction: kind === 'call' ? random.pick(['inbound', 'outbound']) : null,
      due_at: kind === 'task' ? ago(minutesAgo - random.int(-4, 10) * 1440) : null,
      completed_at: kind === 'task' && random.chance(0.5) ? ago(Math.max(minutesAgo - 1440, 5)) : null,
      assignee_id: kind === 'task' ? author.id : null,
    });
  }

  if (random.chance(0.15)) {
    const title = random.pick(['Wholesale order', 'Autumn pre-order', 'Private styling', 'Corporate gifts']);
    // Trade deals go on the wholesale board, a shopper's wishes on the waiting list; any stage but lost.
    const pipeline = title === 'Wholesale order' || title === 'Corporate gifts' ? 'Wholesale deals' : 'Waiting list';
    add('public.deals', {
      customer_id: id,
      title,
      stage_id: new Raw(
        `(select s.id from public.deal_stages s join public.pipelines p on p.id = s.pipeline_id where p.name = '${pipeline}' order by s.position offset ${random.int(0, 3)} limit 1)`,
      ),
      amount: round(random.logNormal(1500, 0.7), 0),
      currency: market.currency === 'USD' ? 'USD' : 'EUR',
      expected_close: daysAgoDate(-random.int(5, 90)),
      owner_id: isShopper ? agent.id : (random.pick(owners) ?? manager.id),
    });
  }
}

// ─── Email templates in five languages ──────────────────────────────────────────────────────
const templates = {
  price_drop: {
    name: 'Price drop alert',
    en: [
      '{{product_name}} is now {{new_price}}',
      'Good news, {{first_name}}: {{product_name}} dropped from {{old_price}} to {{new_price}} ({{percent_saved}} % off).',
    ],
    es: [
      '{{product_name}} ahora a {{new_price}}',
      'Buenas noticias, {{first_name}}: {{product_name}} ha bajado de {{old_price}} a {{new_price}} ({{percent_saved}} % menos).',
    ],
    fr: [
      '{{product_name}} est à {{new_price}}',
      'Bonne nouvelle, {{first_name}} : {{product_name}} passe de {{old_price}} à {{new_price}} (−{{percent_saved}} %).',
    ],
    de: [
      '{{product_name}} jetzt für {{new_price}}',
      'Gute Nachricht, {{first_name}}: {{product_name}} kostet statt {{old_price}} nur noch {{new_price}} ({{percent_saved}} % günstiger).',
    ],
    zh: [
      '{{product_name}} 现价 {{new_price}}',
      '{{first_name}}，好消息：{{product_name}} 从 {{old_price}} 降至 {{new_price}}（省 {{percent_saved}}%）。',
    ],
  },
  back_in_stock: {
    name: 'Back in stock alert',
    en: [
      '{{product_name}} is back in stock',
      '{{first_name}}, {{product_name}} ({{variant_name}}) is available again.',
    ],
    es: [
      '{{product_name}} vuelve a estar disponible',
      '{{first_name}}, {{product_name}} ({{variant_name}}) vuelve a estar disponible.',
    ],
    fr: [
      '{{product_name}} est de retour',
      '{{first_name}}, {{product_name}} ({{variant_name}}) est de nouveau disponible.',
    ],
    de: [
      '{{product_name}} ist wieder da',
      '{{first_name}}, {{product_name}} ({{variant_name}}) ist wieder erhältlich.',
    ],
    zh: ['{{product_name}} 已到货', '{{first_name}}，{{product_name}}（{{variant_name}}）已重新到货。'],
  },
} as const;
for (const [key, template] of Object.entries(templates)) {
  const templateId = random.uuid();
  add('public.email_templates', { id: templateId, key, name: template.name, category: 'alerts', purpose: 'alert' });
  for (const language of ['en', 'es', 'fr', 'de', 'zh'] as const) {
    const [subject, body] = template[language];
    add('public.email_template_variants', {
      template_id: templateId,
      language,
      subject,
      body_text: `${body}\n\n{{product_url}}\n\n{{unsubscribe_url}}`,
      body_html: `<p>${body}</p><p><a href="{{product_url}}"><img src="{{image_url}}" alt="{{product_name}}" width="240"></a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>`,
    });
  }
}

// ─── Output ─────────────────────────────────────────────────────────────────────────────────
function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
function pickSome<T>(items: readonly T[], count: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length) picked.push(pool.splice(random.int(0, pool.length - 1), 1)[0]);
  return picked;
}

// Staff accounts are made by an invitation (the database admits no other account to the team);
// the shopper's portal account is not.
const authUsers = [
  ...staff.map((member) => ({ id: member.id, email: member.email, name: member.name, invited: true })),
  { id: shopper.id, email: shopper.email, name: 'Sara Shopper', invited: false },
];
const sql = [
  `-- Cairn demo workspace. GENERATED by scripts/data/seed.ts — edit that script, then run\n-- \`npx tsx scripts/data/seed.ts\`. Applied on a fresh \`npm run dev\` and by \`npm run db:reset\`.\n--\n-- Sign in as admin@cairn.test, manager@cairn.test, agent@cairn.test, readonly@cairn.test or the\n-- shopper shopper@cairn.test, all with password ${DEMO_PASSWORD}. Shopify webhooks for\n-- ${DEMO_SHOP.domain} are signed with the secret ${DEMO_SHOP.secret}.\n`,
  `-- Auth users as GoTrue stores them: bcrypt password, confirmed email, an email identity, and\n-- empty strings (not nulls) in the token columns GoTrue scans. The team was invited (invited_at)\n-- and has accepted (team_members.accepted_at); the shopper's account was not invited.`,
  insert(
    'auth.users',
    authUsers.map((user) => ({
      instance_id: '00000000-0000-0000-0000-000000000000',
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      encrypted_password: new Raw(`extensions.crypt('${DEMO_PASSWORD}', extensions.gen_salt('bf', 10))`),
      email_confirmed_at: new Raw('now()'),
      invited_at: user.invited ? new Raw('now()') : null,
      raw_app_meta_data: { provider: 'email', providers: ['email'] },
      raw_user_meta_data: {
        sub: user.id,
        email: user.email,
        email_verified: true,
        phone_verified: false,
        full_name: user.name,
      },
      created_at: new Raw('now()'),
      updated_at: new Raw('now()'),
      confirmation_token: '',
      recovery_token: '',
      email_change_token_new: '',
      email_change: '',
    })),
  ),
  insert(
    'auth.identities',
    authUsers.map((user) => ({
      id: random.uuid(),
      provider_id: user.id,
      user_id: user.id,
      provider: 'email',
      last_sign_in_at: new Raw('now()'),
      identity_data: { sub: user.id, email: user.email, email_verified: true, phone_verified: false },
      created_at: new Raw('now()'),
      updated_at: new Raw('now()'),
    })),
  ),
  insert(
    'public.team_members',
    staff.map((member) => ({
      user_id: member.id,
      email: member.email,
      full_name: member.name,
      role: member.role,
      timezone: member.timezone,
      language: member.language,
      accepted_at: new Raw('now()'),
    })),
  ),
  ...[
    'public.exchange_rates',
    'public.shops',
    'public.products',
    'public.product_variants',
    'public.tags',
    'public.custom_field_definitions',
    'public.customers',
    'public.customer_tags',
    'public.consent_events',
    'public.orders',
    'public.order_items',
    'public.refunds',
    'public.favorites',
    'public.alert_preferences',
    'public.activities',
    'public.deals',
    'public.email_templates',
    'public.email_template_variants',
  ].map((table) => insert(table, rows[table] ?? [])),
  `-- Historical orders notified their owners as they were loaded; only the last three days stay unread.\nupdate public.notifications n set read_at = now()\nfrom public.orders o\nwhere n.kind = 'new_order' and o.id = (n.data ->> 'order_id')::uuid and o.placed_at < now() - interval '3 days';\n`,
  `-- The demo's deals were opened over the last weeks and have sat in their stage for part of that\n-- time (the cards' days in stage), not since the moment the seed ran. Derived from each deal's\n-- customer and title, so a reset gives the same ages; a won deal closed when it entered its\n-- stage. The audit trigger and the one that keeps closed_at are off for this backdating only: it\n-- is history, not an edit (the stage does not change, so no deal event).\nalter table public.deals disable trigger record_audit, disable trigger prepare_deal;\nupdate public.deals d set created_at = now() - make_interval(days => k.age),\n  stage_entered_at = now() - make_interval(days => k.age * k.part / 10),\n  closed_at = case when d.closed_at is not null then now() - make_interval(days => k.age * k.part / 10) end\nfrom (select id, 2 + h % 45 as age, h / 45 % 10 as part\n      from (select id, ('x' || substr(md5(customer_id::text || title), 1, 7))::bit(28)::int as h from public.deals) s) k\nwhere d.id = k.id;\nalter table public.deals enable trigger record_audit, enable trigger prepare_deal;\nupdate public.deal_events e set occurred_at = d.created_at from public.deals d where e.deal_id = d.id and e.event = 'created';\n`,
  `select public.set_shop_webhook_secret('${shops[0].id}', '${DEMO_SHOP.secret}');\nselect public.set_shop_webhook_secret('${shops[1].id}', 'cairn-outlet-shopify-webhook-secret');\n`,
];

writeFileSync(path.join(repoRoot, 'supabase', 'seed.sql'), sql.join('\n'));
const counts = Object.entries(rows).map(([table, list]) => `${table.replace('public.', '')} ${list.length}`);
console.log(`wrote supabase/seed.sql: ${counts.join(', ')}`);

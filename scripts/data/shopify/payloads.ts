/**
 * Realistic Shopify webhook deliveries for the simulator (spec §9): a small catalogue and
 * customer base, orders in several presentment currencies, paid/updated/cancelled follow-ups,
 * refunds, customer updates, price changes and restocks (0 → n) — plus the delivery faults a
 * real integration sees: duplicates (same delivery resent), retries (same event id, new
 * webhook id) and out-of-order updates (an older version arriving after a newer one).
 *
 * Everything is derived from a seeded PRNG, so the same seed and start time give byte-identical
 * deliveries. Bodies are signed exactly as Shopify signs them: base64 HMAC-SHA256 over the
 * body bytes, keyed with the shop's webhook secret.
 */
import { createHmac } from 'node:crypto';

export const SHOP_CURRENCY = 'USD';

/** Shop-currency units per presentment unit (fixed for reproducibility; roughly real 2025 rates). */
export const PRESENTMENT_RATES: Record<string, number> = { USD: 1, EUR: 1.08, GBP: 1.27, CAD: 0.73, JPY: 0.0066 };
const MINOR_UNITS: Record<string, number> = { USD: 2, EUR: 2, GBP: 2, CAD: 2, JPY: 0 };

export type DeliveryKind = 'original' | 'duplicate' | 'retry' | 'out_of_order';

export interface SimDelivery {
  /** Position in the send order. */
  seq: number;
  kind: DeliveryKind;
  topic: string;
  shop: string;
  apiVersion: string;
  eventId: string;
  webhookId: string;
  triggeredAt: string;
  /** The exact JSON text sent; the HMAC covers its UTF-8 bytes. */
  body: string;
  hmac: string;
  /** The order this delivery creates or changes, for counting lost/duplicated orders. */
  orderId?: number;
}

export interface BuildOptions {
  shop: string;
  secret: string;
  orders: number;
  seed: number;
  /** Probability that a delivery is sent again (half exact duplicates, half retries). */
  duplicates: number;
  /** Probability that an update gets an older version delivered after it. */
  outOfOrder: number;
  /** Simulated clock start (ms). */
  startMs: number;
  apiVersion?: string;
}

// ── deterministic randomness ────────────────────────────────────────────────────────────

export type Random = () => number;

/** mulberry32: tiny, fast, good enough for test data; same seed → same sequence. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

function uuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Shopify's own HMAC: base64 HMAC-SHA256 over the exact body bytes. */
export function signBody(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** ISO-8601 with an explicit offset, as Shopify writes REST timestamps. */
function shopifyTime(ms: number, offsetMinutes = -300): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const cents = (amount: number, currency = SHOP_CURRENCY) => amount.toFixed(MINOR_UNITS[currency] ?? 2);

// ── the simulated shop ─────────────────────────────────────────────────────────────────

interface Variant {
  id: number;
  inventoryItemId: number;
  title: string;
  sku: string;
  price: number;
  stock: number;
  updatedMs: number;
}

interface Product {
  id: number;
  title: string;
  vendor: string;
  type: string;
  variants: Variant[];
  updatedMs: number;
}

interface Customer {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  currency: string;
  country: string;
  city: string;
  updatedMs: number;
}

const FIRST_NAMES = [
  'Ada',
  'Jane',
  'Kenji',
  'Amélie',
  'Luca',
  'Priya',
  'Omar',
  'Sofia',
  'Noah',
  'Chloé',
  'Mateo',
  'Yuki',
];
const LAST_NAMES = ['Lovelace', 'Doe', 'Sato', 'Martin', 'Rossi', 'Patel', 'Haddad', 'García', 'Smith', 'Dubois'];
const PRODUCTS = [
  'Trail Runner',
  'Wool Socks',
  'Rain Shell',
  'Down Vest',
  'Canvas Tote',
  'Merino Beanie',
  'Hiking Pole',
];
const COLOURS = ['Blue', 'Red', 'Olive', 'Black', 'Sand'];
const PLACES: Array<{ country: string; city: string; currency: string }> = [
  { country: 'US', city: 'Portland', currency: 'USD' },
  { country: 'FR', city: 'Lyon', currency: 'EUR' },
  { country: 'DE', city: 'Berlin', currency: 'EUR' },
  { country: 'GB', city: 'Leeds', currency: 'GBP' },
  { country: 'CA', city: 'Montréal', currency: 'CAD' },
  { country: 'JP', city: 'Kyoto', currency: 'JPY' },
];

interface Event {
  topic: string;
  atMs: number;
  payload: unknown;
  orderId?: number;
  /** An older version to deliver after this one (out-of-order), when chosen. */
  stale?: { atMs: number; payload: unknown };
}

function customerJson(customer: Customer, createdMs: number) {
  return {
    id: customer.id,
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
    email: customer.email,
    created_at: shopifyTime(createdMs),
    updated_at: shopifyTime(customer.updatedMs),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: 'enabled',
    note: null,
    verified_email: true,
    tax_exempt: false,
    phone: null,
    currency: customer.currency,
    addresses: [],
    default_address: {
      id: customer.id + 1,
      customer_id: customer.id,
      first_name: customer.firstName,
      last_name: customer.lastName,
      address1: '1 Main Street',
      city: customer.city,
      country_code: customer.country,
      zip: '10001',
      default: true,
    },
  };
}

function productJson(product: Product, createdMs: number) {
  return {
    id: product.id,
    admin_graphql_api_id: `gid://shopify/Product/${product.id}`,
    title: product.title,
    handle: product.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    body_html: `<p>${product.title} by ${product.vendor}.</p>`,
    vendor: product.vendor,
    product_type: product.type,
    status: 'active',
    tags: 'outdoor, simulated',
    created_at: shopifyTime(createdMs),
    updated_at: shopifyTime(product.updatedMs),
    published_at: shopifyTime(createdMs),
    variants: product.variants.map((variant, index) => ({
      id: variant.id,
      product_id: product.id,
      title: variant.title,
      sku: variant.sku,
      price: cents(variant.price),
      compare_at_price: null,
      inventory_item_id: variant.inventoryItemId,
      inventory_quantity: variant.stock,
      position: index + 1,
      updated_at: shopifyTime(variant.updatedMs),
    })),
    images: [{ id: product.id + 7, position: 1, src: `https://cdn.example.com/p/${product.id}.jpg` }],
    image: { id: product.id + 7, position: 1, src: `https://cdn.example.com/p/${product.id}.jpg` },
  };
}

interface OrderState {
  id: number;
  number: number;
  customer: Customer;
  createdMs: number;
  presentment: string;
  lines: Array<{ id: number; product: Product; variant: Variant; quantity: number }>;
  financial: string;
  cancelled: boolean;
  /** Shipped whole (a fulfilment of every line). */
  fulfilled: boolean;
}

function moneyBag(shopAmount: number, presentment: string) {
  const presentmentAmount = shopAmount / PRESENTMENT_RATES[presentment];
  return {
    shop_money: { amount: cents(shopAmount), currency_code: SHOP_CURRENCY },
    presentment_money: { amount: cents(presentmentAmount, presentment), currency_code: presentment },
  };
}

function orderJson(order: OrderState, updatedMs: number) {
  const subtotal =
    order.lines.reduce((sum, line) => sum + Math.round(line.variant.price * 100) * line.quantity, 0) / 100;
  const tax = Math.round(subtotal * 20) / 100;
  const total = Math.round((subtotal + tax) * 100) / 100;
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: `#${order.number}`,
    order_number: order.number,
    email: order.customer.email,
    contact_email: order.customer.email,
    phone: null,
    created_at: shopifyTime(order.createdMs),
    updated_at: shopifyTime(updatedMs),
    processed_at: shopifyTime(order.createdMs),
    cancelled_at: order.cancelled ? shopifyTime(updatedMs) : null,
    cancel_reason: order.cancelled ? 'customer' : null,
    closed_at: null,
    currency: SHOP_CURRENCY,
    presentment_currency: order.presentment,
    subtotal_price: cents(subtotal),
    total_tax: cents(tax),
    total_discounts: '0.00',
    total_line_items_price: cents(subtotal),
    total_price: cents(total),
    current_total_price: cents(order.cancelled ? 0 : total),
    subtotal_price_set: moneyBag(subtotal, order.presentment),
    total_price_set: moneyBag(total, order.presentment),
    financial_status: order.financial,
    fulfillment_status: order.fulfilled ? 'fulfilled' : null,
    confirmed: true,
    test: false,
    tags: '',
    note: null,
    note_attributes: [],
    source_name: 'web',
    customer: customerJson(order.customer, order.customer.updatedMs),
    billing_address: {
      first_name: order.customer.firstName,
      city: order.customer.city,
      country_code: order.customer.country,
    },
    shipping_address: {
      first_name: order.customer.firstName,
      city: order.customer.city,
      country_code: order.customer.country,
    },
    line_items: order.lines.map((line) => ({
      id: line.id,
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      product_id: line.product.id,
      variant_id: line.variant.id,
      sku: line.variant.sku,
      title: line.product.title,
      variant_title: line.variant.title,
      name: `${line.product.title} - ${line.variant.title}`,
      vendor: line.product.vendor,
      quantity: line.quantity,
      current_quantity: order.cancelled ? 0 : line.quantity,
      fulfillable_quantity: line.quantity,
      price: cents(line.variant.price),
      total_discount: '0.00',
      grams: 300,
      requires_shipping: true,
      taxable: true,
      properties: [],
      tax_lines: [],
      discount_allocations: [],
    })),
    discount_codes: [],
    shipping_lines: [],
    refunds: [],
    payment_gateway_names: ['shopify_payments'],
  };
}

function refundJson(order: OrderState, refundId: number, atMs: number) {
  const line = order.lines[0];
  const amount = line.variant.price;
  return {
    id: refundId,
    admin_graphql_api_id: `gid://shopify/Refund/${refundId}`,
    order_id: order.id,
    created_at: shopifyTime(atMs),
    processed_at: shopifyTime(atMs),
    note: 'Returned',
    restock: true,
    user_id: null,
    refund_line_items: [
      {
        id: refundId + 1,
        line_item_id: line.id,
        quantity: 1,
        restock_type: 'return',
        location_id: 70001,
        subtotal: amount,
        total_tax: 0,
      },
    ],
    transactions: [
      {
        id: refundId + 2,
        order_id: order.id,
        kind: 'refund',
        status: 'success',
        amount: cents(amount),
        currency: SHOP_CURRENCY,
        gateway: 'shopify_payments',
        created_at: shopifyTime(atMs),
      },
    ],
    order_adjustments: [],
    duties: [],
  };
}

// ── the event story ────────────────────────────────────────────────────────────────────

/** The shop's history as events in time order: catalogue, customers, orders and changes. */
function story(options: BuildOptions, random: Random): Event[] {
  // Id bases from the seed so different runs never collide in one database.
  const base = 1_000_000_000_000 + Math.floor(random() * 2 ** 40) * 1000;
  let nextId = base;
  const newId = () => (nextId += int(random, 1, 9));
  let clock = options.startMs;
  const tick = (maxMs = 2000) => (clock += int(random, 1, maxMs));
  // Shopify's updated_at has whole seconds: a stale version must be a full second older to be
  // recognisably older (same-second versions are told apart only by X-Shopify-Triggered-At).
  const tickSecond = () => (clock += int(random, 1000, 2500));
  const events: Event[] = [];

  const products: Product[] = Array.from({ length: Math.max(3, Math.ceil(options.orders / 25)) }, (_, p) => {
    const title = `${pick(random, PRODUCTS)} ${p + 1}`;
    const id = newId();
    const sizes = int(random, 1, 3);
    return {
      id,
      title,
      vendor: 'Cairn Outdoor',
      type: 'Gear',
      updatedMs: clock,
      variants: Array.from({ length: sizes }, (_, v) => ({
        id: newId(),
        inventoryItemId: newId(),
        title: `${pick(random, COLOURS)} / ${v + 1}`,
        sku: `SIM-${id}-${v + 1}`,
        price: int(random, 1500, 19900) / 100,
        // Some variants start sold out, so restocks are 0 → n.
        stock: random() < 0.3 ? 0 : int(random, 1, 40),
        updatedMs: clock,
      })),
    };
  });
  // The shop's locations first (no dice thrown: the story's random stream stays as it was).
  for (const location of SIM_LOCATIONS)
    events.push({ topic: 'locations/create', atMs: clock, payload: locationJson(location, clock) });
  for (const product of products) {
    product.updatedMs = tick();
    events.push({ topic: 'products/create', atMs: clock, payload: productJson(product, clock) });
  }

  const customers: Customer[] = Array.from({ length: Math.max(2, Math.ceil(options.orders / 3)) }, () => {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    const place = pick(random, PLACES);
    const id = newId();
    return {
      id,
      firstName: first,
      lastName: last,
      email: `${first}.${last}.${id}@example.com`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, ''),
      currency: place.currency,
      country: place.country,
      city: place.city,
      updatedMs: clock,
    };
  });
  for (const customer of customers.slice(0, Math.ceil(customers.length / 2))) {
    customer.updatedMs = tick();
    events.push({ topic: 'customers/create', atMs: clock, payload: customerJson(customer, clock) });
  }

  // Each kind of change happens at least once (at the middle order), whatever the dice say.
  const middle = Math.floor(options.orders / 2);
  for (let n = 0; n < options.orders; n += 1) {
    const customer = pick(random, customers);
    const presentment = random() < 0.6 ? customer.currency : pick(random, Object.keys(PRESENTMENT_RATES));
    const order: OrderState = {
      id: newId(),
      number: 1000 + n + 1,
      customer,
      createdMs: tick(),
      presentment,
      lines: Array.from({ length: int(random, 1, 4) }, () => {
        const product = pick(random, products);
        return { id: newId(), product, variant: pick(random, product.variants), quantity: int(random, 1, 3) };
      }),
      financial: 'pending',
      cancelled: false,
      fulfilled: false,
    };
    events.push({ topic: 'orders/create', atMs: clock, payload: orderJson(order, clock), orderId: order.id });

    if (random() < 0.6 || n === middle) {
      const olderMs = tick(500);
      const older = orderJson(order, olderMs);
      order.financial = 'paid';
      tickSecond();
      const event: Event = { topic: 'orders/paid', atMs: clock, payload: orderJson(order, clock), orderId: order.id };
      // An orders/updated of the pending state, fired before payment but delivered after it.
      if (random() < options.outOfOrder) event.stale = { atMs: olderMs, payload: older };
      events.push(event);
      if (n % 2 === 0 || n === middle) {
        // Shipped from the warehouse at once (deterministic: no dice, ids of their own).
        events.push({
          topic: 'fulfillments/create',
          atMs: clock,
          payload: fulfillmentJson(order, clock),
          orderId: order.id,
        });
        // Shopify then sends the order itself as fulfilled (orders/updated), a second later.
        order.fulfilled = true;
        clock += 1000;
        events.push({ topic: 'orders/updated', atMs: clock, payload: orderJson(order, clock), orderId: order.id });
      }
    }
    if (random() < 0.05) {
      order.cancelled = true;
      order.financial = 'voided';
      tick();
      events.push({ topic: 'orders/cancelled', atMs: clock, payload: orderJson(order, clock), orderId: order.id });
    } else if (order.financial === 'paid' && (random() < 0.08 || n === middle)) {
      tick();
      events.push({
        topic: 'refunds/create',
        atMs: clock,
        payload: refundJson(order, newId(), clock),
        orderId: order.id,
      });
    }

    if (random() < 0.1 || n === middle) {
      const olderMs = customer.updatedMs;
      const older = customerJson(customer, olderMs);
      customer.lastName = pick(random, LAST_NAMES);
      customer.updatedMs = tickSecond();
      const event: Event = {
        topic: 'customers/update',
        atMs: clock,
        payload: customerJson(customer, customer.updatedMs),
      };
      if (random() < options.outOfOrder) event.stale = { atMs: olderMs, payload: older };
      events.push(event);
    }
    if (random() < 0.1 || n === middle) {
      // Price change: mostly drops of 5–30 % (what price-drop alerts watch), sometimes a rise.
      const product = pick(random, products);
      const variant = pick(random, product.variants);
      const olderPayload = productJson(product, product.updatedMs);
      const olderMs = product.updatedMs;
      const factor = random() < 0.8 ? 1 - int(random, 5, 30) / 100 : 1 + int(random, 5, 15) / 100;
      variant.price = Math.max(1, Math.round(variant.price * factor * 100) / 100);
      product.updatedMs = variant.updatedMs = tickSecond();
      const event: Event = { topic: 'products/update', atMs: clock, payload: productJson(product, product.updatedMs) };
      if (random() < options.outOfOrder) event.stale = { atMs: olderMs, payload: olderPayload };
      events.push(event);
    }
    if (random() < 0.08 || n === middle) {
      // Restock: a sold-out variant goes 0 → n (sell one out first when none is at 0).
      const product = pick(random, products);
      const variant = pick(random, product.variants);
      if (variant.stock > 0) {
        variant.stock = 0;
        tick();
        events.push({
          topic: 'inventory_levels/update',
          atMs: clock,
          payload: {
            inventory_item_id: variant.inventoryItemId,
            location_id: 70001,
            available: 0,
            updated_at: shopifyTime(clock),
          },
        });
      }
      const olderMs = clock;
      variant.stock = int(random, 1, 50);
      tickSecond();
      const event: Event = {
        topic: 'inventory_levels/update',
        atMs: clock,
        payload: {
          inventory_item_id: variant.inventoryItemId,
          location_id: 70001,
          available: variant.stock,
          updated_at: shopifyTime(clock),
        },
      };
      if (random() < options.outOfOrder) {
        event.stale = {
          atMs: olderMs,
          payload: {
            inventory_item_id: variant.inventoryItemId,
            location_id: 70001,
            available: 0,
            updated_at: shopifyTime(olderMs),
          },
        };
      }
      events.push(event);
    }
  }
  return events;
}

/** The simulated shop's locations: stock levels are reported at the first (70001). */
const SIM_LOCATIONS = [
  { id: 70001, name: 'Main warehouse', city: 'Leeds', country: 'GB' },
  { id: 70002, name: 'Portland store', city: 'Portland', country: 'US' },
];

function locationJson(location: (typeof SIM_LOCATIONS)[number], atMs: number) {
  return {
    id: location.id,
    admin_graphql_api_id: `gid://shopify/Location/${location.id}`,
    name: location.name,
    address1: '1 Dock Street',
    address2: null,
    city: location.city,
    zip: null,
    province: null,
    country: location.country,
    country_code: location.country,
    active: true,
    legacy: false,
    created_at: shopifyTime(atMs),
    updated_at: shopifyTime(atMs),
  };
}

/** fulfillments/create: every line shipped from the warehouse by DHL, a tracking link per order. */
function fulfillmentJson(order: OrderState, atMs: number) {
  const id = 9_000_000_000_000 + order.id;
  const number = `JD${String(order.id).padStart(12, '0')}`;
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Fulfillment/${id}`,
    order_id: order.id,
    name: `#${order.number}.1`,
    status: 'success',
    service: 'manual',
    shipment_status: null,
    location_id: SIM_LOCATIONS[0].id,
    tracking_company: 'DHL Express',
    tracking_number: number,
    tracking_numbers: [number],
    tracking_url: `https://www.dhl.com/en/express/tracking.html?AWB=${number}`,
    tracking_urls: [`https://www.dhl.com/en/express/tracking.html?AWB=${number}`],
    created_at: shopifyTime(atMs),
    updated_at: shopifyTime(atMs),
    line_items: order.lines.map((line) => ({ id: line.id, title: line.product.title, quantity: line.quantity })),
  };
}

/**
 * Every delivery in send order. Originals keep the event order; a duplicate or retry of a
 * delivery and the stale version of an update are inserted a few positions later.
 */
export function buildDeliveries(options: BuildOptions): SimDelivery[] {
  const random = seededRandom(options.seed);
  const apiVersion = options.apiVersion ?? '2025-07';
  const events = story(options, random);
  const slots: Array<Array<Omit<SimDelivery, 'seq'>>> = events.map(() => []);
  const place = (index: number, delivery: Omit<SimDelivery, 'seq'>) =>
    slots[Math.min(slots.length - 1, index)].push(delivery);

  const make = (event: { topic: string; atMs: number; payload: unknown; orderId?: number }, kind: DeliveryKind) => {
    const body = JSON.stringify(event.payload);
    return {
      kind,
      topic: event.topic === 'orders/paid' && kind === 'out_of_order' ? 'orders/updated' : event.topic,
      shop: options.shop,
      apiVersion,
      eventId: uuid(random),
      webhookId: uuid(random),
      // Shopify sends triggered-at in UTC with sub-second precision.
      triggeredAt: new Date(event.atMs).toISOString(),
      body,
      hmac: signBody(body, options.secret),
      ...(event.orderId === undefined ? {} : { orderId: event.orderId }),
    };
  };

  events.forEach((event, index) => {
    const original = make(event, 'original');
    place(index, original);
    if (random() < options.duplicates) {
      const later = index + int(random, 0, 5);
      // Duplicate: the very same delivery again. Retry: same event, new delivery (webhook) id.
      place(
        later,
        random() < 0.5 ? { ...original, kind: 'duplicate' } : { ...original, kind: 'retry', webhookId: uuid(random) },
      );
    }
    if (event.stale) {
      const stale = make({ topic: event.topic, ...event.stale, orderId: event.orderId }, 'out_of_order');
      place(index + int(random, 1, 5), stale);
    }
  });
  return slots.flat().map((delivery, seq) => ({ seq, ...delivery }));
}

/** The HTTP headers Shopify sends with a delivery. */
export function deliveryHeaders(delivery: SimDelivery): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'X-Shopify-Topic': delivery.topic,
    'X-Shopify-Hmac-Sha256': delivery.hmac,
    'X-Shopify-Shop-Domain': delivery.shop,
    'X-Shopify-API-Version': delivery.apiVersion,
    'X-Shopify-Webhook-Id': delivery.webhookId,
    'X-Shopify-Event-Id': delivery.eventId,
    'X-Shopify-Triggered-At': delivery.triggeredAt,
  };
}

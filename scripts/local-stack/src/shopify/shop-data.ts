/**
 * The emulator's demo shop: the seed's "Cairn Demo Boutique" (cairn-demo.myshopify.com, EUR,
 * Europe/Madrid, the seed's garment catalogue) with customers, products, variants and orders
 * derived from their index by a seeded PRNG — so a shop of a million orders costs no memory:
 * any record is computed when asked for, and the bulk export streams them.
 *
 * One record renders two ways, as Shopify does: a GraphQL Admin object (queries, bulk JSONL)
 * and a REST-style webhook payload (orders/create, customers/update, …). Records changed through
 * the emulator's control API are kept as overrides with a newer `updated_at`.
 */

export interface ShopSize {
  customers: number;
  products: number;
  orders: number;
}

export interface ShopInfo {
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  /** When the data was generated: order timestamps count back from here. */
  anchorMs: number;
  size: ShopSize;
}

export const DEMO_SIZE: ShopSize = { customers: 240, products: 20, orders: 1200 };

export const GARMENTS = [
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
const BRANDS = ['Atelier Nord', 'Maison Brume', 'Tierra', 'Kōbō', 'Fjell'];
const SIZES = ['S', 'M', 'L'];
const FIRST = ['Ada', 'Lucía', 'Kenji', 'Amélie', 'Luca', 'Priya', 'Omar', 'Sofia', 'Noah', 'Chloé', 'Mateo', 'Yuki'];
const LAST = ['Lovelace', 'Fernández', 'Sato', 'Martin', 'Rossi', 'Patel', 'Haddad', 'García', 'Smith', 'Dubois'];
const PLACES = [
  { country: 'ES', city: 'Madrid', currency: 'EUR' },
  { country: 'FR', city: 'Lyon', currency: 'EUR' },
  { country: 'DE', city: 'Berlin', currency: 'EUR' },
  { country: 'GB', city: 'Leeds', currency: 'GBP' },
  { country: 'US', city: 'Portland', currency: 'USD' },
];
/** Shop-currency (EUR) per presentment unit, fixed so amounts are reproducible. */
const PRESENTMENT_RATE: Record<string, number> = { EUR: 1, GBP: 1.17, USD: 0.92 };

/** Id bases: below 10^12, so they never meet the webhook simulator's ids. */
const ID = {
  customer: 800_000_000_000,
  product: 810_000_000_000,
  variant: 820_000_000_000,
  inventoryItem: 830_000_000_000,
  order: 840_000_000_000,
  lineItem: 850_000_000_000,
  refund: 860_000_000_000,
  fulfillment: 870_000_000_000,
  fulfillmentOrder: 880_000_000_000,
  fulfillmentLineItem: 890_000_000_000,
  fulfillmentOrderLineItem: 900_000_000_000,
} as const;

/** The demo shop's warehouse, where its fulfilments ship from. */
export const DEMO_LOCATION = { id: 76_000_000_001, name: 'Madrid warehouse' } as const;

/** The demo shop's locations: the warehouse holds two thirds of each variant's stock, the shop the rest. */
export const DEMO_LOCATIONS = [
  { ...DEMO_LOCATION, address1: 'Calle de Alcalá 100', city: 'Madrid', zip: '28009', countryCode: 'ES' },
  {
    id: 76_000_000_002,
    name: 'Lyon store',
    address1: '12 rue de la République',
    city: 'Lyon',
    zip: '69002',
    countryCode: 'FR',
  },
] as const;

/** A variant's stock at the demo location of that index (the levels add up to its total). */
export function stockAt(variant: VariantRecord, locationIndex: number): number {
  return variant.levels[locationIndex].available;
}
const DAY = 86_400_000;
const VARIANTS_PER_PRODUCT = SIZES.length;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rngFor = (kind: number, index: number) => random(Math.imul(index + 1, 2654435761) ^ (kind * 40503));
const money = (value: number) => (Math.round(value * 100) / 100).toFixed(2);
const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;
const iso = (ms: number) => new Date(seconds(ms)).toISOString().replace('.000Z', 'Z');
import { matchesSearch } from './search.ts';

export interface CustomerRecord {
  index: number;
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  country: string;
  city: string;
  acceptsMarketing: boolean;
  tags: string[];
  createdMs: number;
  updatedMs: number;
}

export interface VariantRecord {
  id: number;
  inventoryItemId: number;
  title: string;
  sku: string;
  price: string;
  /** The sum of its levels. */
  inventoryQuantity: number;
  position: number;
  /** Its stock at each demo location (DEMO_LOCATIONS' order) and when that level last changed. */
  levels: Array<{ available: number; updatedMs: number }>;
}

export interface ProductRecord {
  index: number;
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: 'ACTIVE' | 'DRAFT';
  tags: string[];
  createdMs: number;
  updatedMs: number;
  variants: VariantRecord[];
}

export interface LineRecord {
  id: number;
  productId: number;
  variantId: number;
  title: string;
  variantTitle: string;
  sku: string;
  vendor: string;
  quantity: number;
  price: string;
}

export interface OrderRecord {
  index: number;
  id: number;
  number: number;
  customer: CustomerRecord;
  presentmentCurrency: string;
  createdMs: number;
  updatedMs: number;
  cancelledMs: number | null;
  financialStatus: 'PAID' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  fulfilled: boolean;
  lines: LineRecord[];
  subtotal: string;
  tax: string;
  total: string;
  refund: { id: number; createdMs: number; amount: string; lineId: number } | null;
  fulfillment: { id: number; createdMs: number; updatedMs: number; trackingNumber: string } | null;
}

export class ShopData {
  /** Records changed through the control API, by kind and index. */
  readonly changes = new Map<string, { updatedMs: number; patch: Record<string, unknown> }>();

  constructor(readonly info: ShopInfo) {}

  customer(index: number): CustomerRecord {
    const r = rngFor(1, index);
    const first = FIRST[Math.floor(r() * FIRST.length)];
    const last = LAST[Math.floor(r() * LAST.length)];
    const place = PLACES[Math.floor(r() * PLACES.length)];
    const createdMs = seconds(
      this.info.anchorMs - 800 * DAY + Math.floor((index / this.info.size.customers) * 700 * DAY),
    );
    const record: CustomerRecord = {
      index,
      id: ID.customer + index,
      firstName: first,
      lastName: last,
      // The demo shop's customers are @example.com; another emulated shop's have their own domain,
      // so two emulated shops never share customers by email.
      email:
        `${first}.${last}.${index}@${this.info.domain === 'cairn-demo.myshopify.com' ? 'example.com' : `${this.info.domain.split('.')[0]}.example.com`}`
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase(),
      phone: r() < 0.4 ? `+3460${String(1000000 + index).slice(-7)}` : null,
      country: place.country,
      city: place.city,
      acceptsMarketing: r() < 0.5,
      tags: r() < 0.2 ? ['vip'] : [],
      createdMs,
      updatedMs: createdMs + 3_600_000,
    };
    return this.patched('customer', index, record);
  }

  product(index: number): ProductRecord {
    const r = rngFor(2, index);
    const title =
      index < GARMENTS.length
        ? GARMENTS[index]
        : `${GARMENTS[index % GARMENTS.length]} ${Math.floor(index / GARMENTS.length) + 1}`;
    const handle = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const base = 20 + Math.floor(r() * 160) + 0.99;
    const createdMs = seconds(this.info.anchorMs - 900 * DAY + index * 60_000);
    const generatedMs = createdMs + 3_600_000;
    const record: ProductRecord = {
      index,
      id: ID.product + index,
      title,
      handle,
      vendor: BRANDS[index % BRANDS.length],
      productType: 'Apparel',
      status: index % GARMENTS.length === 19 ? 'DRAFT' : 'ACTIVE',
      tags: ['apparel'],
      createdMs,
      updatedMs: generatedMs,
      variants: SIZES.map((size, v) => {
        // Two thirds of the stock at the warehouse, the rest at the store.
        const total = Math.floor(r() * 40);
        const store = Math.floor(total / 3);
        return {
          id: ID.variant + index * VARIANTS_PER_PRODUCT + v,
          inventoryItemId: ID.inventoryItem + index * VARIANTS_PER_PRODUCT + v,
          title: size,
          sku: `${handle.slice(0, 12).toUpperCase()}-${index}-${size}`,
          price: money(base),
          inventoryQuantity: total,
          position: v + 1,
          levels: [
            { available: total - store, updatedMs: generatedMs },
            { available: store, updatedMs: generatedMs },
          ],
        };
      }),
    };
    return this.withVariantChanges(this.patched('product', index, record));
  }

  /**
   * A product's variants as changed through the control API: a variant's own fields (its
   * product's updated_at moves with it, as Shopify's does), and its stock levels — a level has
   * its own updated_at, and a stock change leaves the product's alone.
   */
  private withVariantChanges(product: ProductRecord): ProductRecord {
    let updatedMs = product.updatedMs;
    const variants = product.variants.map((variant) => {
      const change = this.changes.get(`variant:${variant.id}`);
      if (change) updatedMs = Math.max(updatedMs, change.updatedMs);
      const levels = variant.levels.map((level, i) => {
        const moved = this.changes.get(`level:${variant.inventoryItemId}:${DEMO_LOCATIONS[i].id}`);
        return moved ? { available: Number(moved.patch.available), updatedMs: moved.updatedMs } : level;
      });
      return {
        ...variant,
        ...(change?.patch ?? {}),
        levels,
        inventoryQuantity: levels.reduce((sum, level) => sum + level.available, 0),
      };
    });
    return { ...product, variants, updatedMs };
  }

  order(index: number): OrderRecord {
    const { size, anchorMs } = this.info;
    const r = rngFor(3, index);
    const spacing = (730 * DAY) / Math.max(1, size.orders);
    // The newest order is a week old, so every generated change (refunds: +5 days) is in the past.
    const createdMs = seconds(anchorMs - 7 * DAY - (size.orders - 1 - index) * spacing);
    const customer = this.customer(Math.floor(r() * size.customers));
    const lineCount = 1 + Math.floor(r() * 3);
    const lines: LineRecord[] = [];
    let subtotalCents = 0;
    for (let l = 0; l < lineCount; l++) {
      const product = this.product(Math.floor(r() * size.products));
      const variant = product.variants[Math.floor(r() * product.variants.length)];
      const quantity = 1 + Math.floor(r() * 2);
      subtotalCents += Math.round(Number(variant.price) * 100) * quantity;
      lines.push({
        id: ID.lineItem + index * 4 + l,
        productId: product.id,
        variantId: variant.id,
        title: product.title,
        variantTitle: variant.title,
        sku: variant.sku,
        vendor: product.vendor,
        quantity,
        price: variant.price,
      });
    }
    const taxCents = Math.round(subtotalCents * 0.21);
    const roll = r();
    const cancelled = roll < 0.02;
    const refunded = !cancelled && roll < 0.08;
    const fulfilled = !cancelled && r() < 0.7;
    const presentmentRoll = r();
    const presentmentCurrency = presentmentRoll < 0.8 ? 'EUR' : presentmentRoll < 0.9 ? 'GBP' : 'USD';
    const record: OrderRecord = {
      index,
      id: ID.order + index,
      number: 1001 + index,
      customer,
      presentmentCurrency,
      createdMs,
      updatedMs: createdMs + (refunded ? 5 * DAY : 3_600_000),
      cancelledMs: cancelled ? createdMs + 2 * 3_600_000 : null,
      financialStatus: refunded ? (lines.length > 1 ? 'PARTIALLY_REFUNDED' : 'REFUNDED') : 'PAID',
      fulfilled,
      lines,
      subtotal: money(subtotalCents / 100),
      tax: money(taxCents / 100),
      total: money((subtotalCents + taxCents) / 100),
      refund: refunded
        ? {
            id: ID.refund + index,
            createdMs: createdMs + 5 * DAY,
            amount: money((Math.round(Number(lines[0].price) * 100) * lines[0].quantity * 1.21) / 100),
            lineId: lines[0].id,
          }
        : null,
      fulfillment: fulfilled
        ? {
            id: ID.fulfillment + index,
            createdMs: createdMs + DAY,
            updatedMs: createdMs + 3 * DAY,
            trackingNumber: `1Z${String(index).padStart(10, '0')}`,
          }
        : null,
    };
    return this.patched('order', index, record);
  }

  /** Index of a record id of this kind, or -1. */
  indexOf(kind: 'customer' | 'product' | 'order', id: number): number {
    const index = id - ID[kind];
    const count = this.info.size[`${kind}s`];
    return Number.isInteger(index) && index >= 0 && index < count ? index : -1;
  }

  /** Whether a variant id (or, for `inventoryItem`, an inventory item id) is one of this shop's. */
  hasVariant(id: number, by: 'variant' | 'inventoryItem' = 'variant'): boolean {
    const offset = id - ID[by];
    return Number.isInteger(offset) && offset >= 0 && offset < this.info.size.products * VARIANTS_PER_PRODUCT;
  }

  /**
   * Changes fields of a record and moves its updated_at to `atMs` (the emulator's now). An
   * order also takes what a merchant does to it in the admin, as Shopify records it:
   * `{ cancelled: true }` cancels it; `{ refunded: true }` refunds its first line;
   * `{ trackingNumber }` fulfils it (a new fulfilment, its fulfillment order closed) or, when it
   * has a fulfilment, changes that fulfilment's tracking number. Each moves the order's updated_at.
   */
  change(kind: 'customer' | 'product' | 'order', index: number, patch: Record<string, unknown>, atMs: number): void {
    const key = `${kind}:${index}`;
    const previous = this.changes.get(key)?.patch ?? {};
    const at = seconds(atMs);
    let own = patch;
    if (kind === 'order') {
      const { cancelled, refunded, trackingNumber, ...rest } = patch;
      own = rest;
      const order = this.order(index);
      if (cancelled === true) own = { ...own, cancelledMs: at };
      if (refunded === true) {
        const line = order.lines[0];
        own = {
          ...own,
          financialStatus: order.lines.length > 1 ? 'PARTIALLY_REFUNDED' : 'REFUNDED',
          refund: {
            id: ID.refund + index,
            createdMs: at,
            amount: money((Math.round(Number(line.price) * 100) * line.quantity * 1.21) / 100),
            lineId: line.id,
          },
        };
      }
      if (typeof trackingNumber === 'string')
        own = {
          ...own,
          fulfilled: true,
          fulfillment: order.fulfillment
            ? { ...order.fulfillment, trackingNumber, updatedMs: at }
            : { id: ID.fulfillment + index, createdMs: at, updatedMs: at, trackingNumber },
        };
    }
    this.changes.set(key, { updatedMs: at, patch: { ...previous, ...own } });
  }

  /** Changes a variant's own fields (price, compareAtPrice, sku, title); its product's updated_at moves. */
  changeVariant(variantId: number, patch: Record<string, unknown>, atMs: number): void {
    const key = `variant:${variantId}`;
    const previous = this.changes.get(key)?.patch ?? {};
    this.changes.set(key, { updatedMs: seconds(atMs), patch: { ...previous, ...patch } });
  }

  /** Sets an inventory item's available stock at a demo location; only that level's updated_at moves. */
  changeLevel(inventoryItemId: number, locationId: number, available: number, atMs: number): void {
    this.changes.set(`level:${inventoryItemId}:${locationId}`, { updatedMs: seconds(atMs), patch: { available } });
  }

  private patched<T extends { updatedMs: number }>(kind: string, index: number, record: T): T {
    const change = this.changes.get(`${kind}:${index}`);
    return change ? { ...record, ...change.patch, updatedMs: change.updatedMs } : record;
  }
}

// ── GraphQL Admin objects ──────────────────────────────────────────────────────────────

/** A connection field: its nodes, computed when the connection is read. */
export interface ConnectionSource {
  __connection: true;
  typename: string;
  count: number;
  node: (index: number) => GraphObject;
}
export type GraphValue = string | number | boolean | null | GraphObject | GraphValue[] | ConnectionSource;
export interface GraphObject {
  __typename: string;
  [field: string]: GraphValue | ((args: Record<string, unknown>) => GraphValue);
}

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const moneyV2 = (amount: string, currencyCode: string): GraphObject => ({
  __typename: 'MoneyV2',
  amount,
  currencyCode,
});
function moneyBag(shopAmount: string, presentment: string): GraphObject {
  const presentmentAmount = money(Number(shopAmount) / PRESENTMENT_RATE[presentment]);
  return {
    __typename: 'MoneyBag',
    shopMoney: moneyV2(shopAmount, 'EUR'),
    presentmentMoney: moneyV2(presentmentAmount, presentment),
  };
}
export const listOf = (typename: string, nodes: GraphObject[]): ConnectionSource => ({
  __connection: true,
  typename,
  count: nodes.length,
  node: (index) => nodes[index],
});

export function customerObject(c: CustomerRecord): GraphObject {
  const address: GraphObject = {
    __typename: 'MailingAddress',
    id: gid('MailingAddress', c.id + 1),
    firstName: c.firstName,
    lastName: c.lastName,
    address1: '1 Calle Mayor',
    address2: null,
    city: c.city,
    province: null,
    countryCodeV2: c.country,
    zip: '28001',
    company: null,
    phone: null,
  };
  return {
    __typename: 'Customer',
    id: gid('Customer', c.id),
    legacyResourceId: String(c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: `${c.firstName} ${c.lastName}`,
    email: c.email,
    defaultEmailAddress: {
      __typename: 'CustomerEmailAddress',
      emailAddress: c.email,
      marketingState: c.acceptsMarketing ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
    },
    phone: c.phone,
    amountSpent: moneyV2('0.00', 'EUR'),
    state: 'ENABLED',
    verifiedEmail: true,
    tags: c.tags,
    note: null,
    locale: 'en',
    createdAt: iso(c.createdMs),
    updatedAt: iso(c.updatedMs),
    defaultAddress: address,
    emailMarketingConsent: {
      __typename: 'CustomerEmailMarketingConsentState',
      marketingState: c.acceptsMarketing ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
      marketingOptInLevel: c.acceptsMarketing ? 'SINGLE_OPT_IN' : null,
      consentUpdatedAt: c.acceptsMarketing ? iso(c.createdMs) : null,
    },
  };
}

export function productObject(p: ProductRecord): GraphObject {
  return {
    __typename: 'Product',
    id: gid('Product', p.id),
    legacyResourceId: String(p.id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    descriptionHtml: `<p>${p.title} by ${p.vendor}.</p>`,
    createdAt: iso(p.createdMs),
    updatedAt: iso(p.updatedMs),
    publishedAt: iso(p.createdMs),
    totalInventory: p.variants.reduce((sum, v) => sum + v.inventoryQuantity, 0),
    variants: listOf(
      'ProductVariant',
      p.variants.map((v) => ({
        __typename: 'ProductVariant',
        id: gid('ProductVariant', v.id),
        legacyResourceId: String(v.id),
        title: v.title,
        sku: v.sku,
        price: v.price,
        compareAtPrice: null,
        position: v.position,
        inventoryQuantity: v.inventoryQuantity,
        inventoryItem: { __typename: 'InventoryItem', id: gid('InventoryItem', v.inventoryItemId), sku: v.sku },
        createdAt: iso(p.createdMs),
        updatedAt: iso(p.updatedMs),
      })),
    ),
  };
}

function orderAddress(o: OrderRecord): GraphObject {
  return {
    __typename: 'MailingAddress',
    firstName: o.customer.firstName,
    lastName: null,
    address1: null,
    address2: null,
    city: o.customer.city,
    province: null,
    countryCodeV2: o.customer.country,
    zip: null,
    company: null,
    phone: null,
  };
}

export function orderObject(o: OrderRecord): GraphObject {
  const status = o.fulfilled ? 'FULFILLED' : 'UNFULFILLED';
  return {
    __typename: 'Order',
    id: gid('Order', o.id),
    legacyResourceId: String(o.id),
    name: `#${o.number}`,
    email: o.customer.email,
    phone: null,
    createdAt: iso(o.createdMs),
    updatedAt: iso(o.updatedMs),
    processedAt: iso(o.createdMs),
    cancelledAt: o.cancelledMs === null ? null : iso(o.cancelledMs),
    cancelReason: o.cancelledMs === null ? null : 'CUSTOMER',
    closedAt: null,
    test: false,
    tags: [],
    note: null,
    sourceName: 'web',
    currencyCode: 'EUR',
    presentmentCurrencyCode: o.presentmentCurrency,
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: status,
    subtotalPriceSet: moneyBag(o.subtotal, o.presentmentCurrency),
    totalTaxSet: moneyBag(o.tax, o.presentmentCurrency),
    totalDiscountsSet: moneyBag('0.00', o.presentmentCurrency),
    totalPriceSet: moneyBag(o.total, o.presentmentCurrency),
    currentTotalPriceSet: moneyBag(o.cancelledMs === null ? o.total : '0.00', o.presentmentCurrency),
    totalRefundedSet: moneyBag(o.refund?.amount ?? '0.00', o.presentmentCurrency),
    customer: { __typename: 'Customer', id: gid('Customer', o.customer.id), legacyResourceId: String(o.customer.id) },
    billingAddress: orderAddress(o),
    shippingAddress: orderAddress(o),
    discountCodes: [],
    lineItems: listOf(
      'LineItem',
      o.lines.map((line) => ({
        __typename: 'LineItem',
        id: gid('LineItem', line.id),
        title: line.title,
        variantTitle: line.variantTitle,
        name: `${line.title} - ${line.variantTitle}`,
        sku: line.sku,
        vendor: line.vendor,
        quantity: line.quantity,
        currentQuantity: o.cancelledMs === null ? line.quantity : 0,
        originalUnitPriceSet: moneyBag(line.price, o.presentmentCurrency),
        totalDiscountSet: moneyBag('0.00', o.presentmentCurrency),
        product: { __typename: 'Product', id: gid('Product', line.productId) },
        variant: { __typename: 'ProductVariant', id: gid('ProductVariant', line.variantId) },
      })),
    ),
    refunds: o.refund
      ? [
          {
            __typename: 'Refund',
            id: gid('Refund', o.refund.id),
            legacyResourceId: String(o.refund.id),
            createdAt: iso(o.refund.createdMs),
            note: 'Returned',
            totalRefundedSet: moneyBag(o.refund.amount, o.presentmentCurrency),
          },
        ]
      : [],
    // A list (not a connection); since 2025-07 it takes a `query` on created_at / updated_at.
    fulfillments: (args: Record<string, unknown>) =>
      o.fulfillment && matchesSearch(args.query, o.fulfillment) ? [fulfillmentObject(o, o.fulfillment)] : [],
  };
}

/**
 * When an order's fulfillment order last changed: when it closed (the fulfilment was created) or
 * was cancelled with its order, else when it was created. A fulfilment's later changes (its
 * tracking, its shipment status) are the fulfilment's, not the fulfillment order's.
 */
export function fulfillmentOrderUpdatedMs(o: OrderRecord): number {
  return o.fulfillment ? o.fulfillment.createdMs : (o.cancelledMs ?? o.createdMs);
}

const trackingUrl = (number: string) => `https://www.ups.com/track?tracknum=${number}`;

/** An order's fulfilment (every line, shipped from the demo warehouse by UPS, delivered). */
function fulfillmentObject(o: OrderRecord, f: NonNullable<OrderRecord['fulfillment']>): GraphObject {
  return {
    __typename: 'Fulfillment',
    id: gid('Fulfillment', f.id),
    legacyResourceId: String(f.id),
    name: `#${o.number}.1`,
    status: 'SUCCESS',
    displayStatus: 'DELIVERED',
    createdAt: iso(f.createdMs),
    updatedAt: iso(f.updatedMs),
    order: { __typename: 'Order', id: gid('Order', o.id) },
    location: { __typename: 'Location', id: gid('Location', DEMO_LOCATION.id), name: DEMO_LOCATION.name },
    trackingInfo: [
      {
        __typename: 'FulfillmentTrackingInfo',
        number: f.trackingNumber,
        company: 'UPS',
        url: trackingUrl(f.trackingNumber),
      },
    ],
    fulfillmentLineItems: listOf(
      'FulfillmentLineItem',
      o.lines.map((line, l) => ({
        __typename: 'FulfillmentLineItem',
        id: gid('FulfillmentLineItem', ID.fulfillmentLineItem + o.index * 4 + l),
        quantity: line.quantity,
        lineItem: { __typename: 'LineItem', id: gid('LineItem', line.id) },
      })),
    ),
  };
}

/** The order's fulfillment order (every order has one; closed once fulfilled). */
export function fulfillmentOrderObject(o: OrderRecord): GraphObject {
  return {
    __typename: 'FulfillmentOrder',
    id: gid('FulfillmentOrder', ID.fulfillmentOrder + o.index),
    orderId: gid('Order', o.id),
    status: o.fulfillment ? 'CLOSED' : o.cancelledMs !== null ? 'CANCELLED' : 'OPEN',
    createdAt: iso(o.createdMs),
    updatedAt: iso(fulfillmentOrderUpdatedMs(o)),
    lineItems: listOf(
      'FulfillmentOrderLineItem',
      o.lines.map((line, l) => ({
        __typename: 'FulfillmentOrderLineItem',
        id: gid('FulfillmentOrderLineItem', ID.fulfillmentOrderLineItem + o.index * 4 + l),
        totalQuantity: line.quantity,
        remainingQuantity: o.fulfillment || o.cancelledMs !== null ? 0 : line.quantity,
        lineItem: { __typename: 'LineItem', id: gid('LineItem', line.id) },
      })),
    ),
    fulfillments: listOf('Fulfillment', o.fulfillment ? [fulfillmentObject(o, o.fulfillment)] : []),
  };
}

// ── REST-style webhook payloads ────────────────────────────────────────────────────────

export function customerPayload(c: CustomerRecord) {
  return {
    id: c.id,
    admin_graphql_api_id: gid('Customer', c.id),
    email: c.email,
    created_at: iso(c.createdMs),
    updated_at: iso(c.updatedMs),
    first_name: c.firstName,
    last_name: c.lastName,
    state: 'enabled',
    note: null,
    verified_email: true,
    tax_exempt: false,
    phone: c.phone,
    currency: 'EUR',
    tags: c.tags.join(', '),
    email_marketing_consent: {
      state: c.acceptsMarketing ? 'subscribed' : 'not_subscribed',
      opt_in_level: c.acceptsMarketing ? 'single_opt_in' : null,
      consent_updated_at: c.acceptsMarketing ? iso(c.createdMs) : null,
    },
    addresses: [],
    default_address: {
      id: c.id + 1,
      customer_id: c.id,
      first_name: c.firstName,
      last_name: c.lastName,
      address1: '1 Calle Mayor',
      city: c.city,
      country_code: c.country,
      zip: '28001',
      default: true,
    },
  };
}

export function productPayload(p: ProductRecord) {
  return {
    id: p.id,
    admin_graphql_api_id: gid('Product', p.id),
    title: p.title,
    handle: p.handle,
    body_html: `<p>${p.title} by ${p.vendor}.</p>`,
    vendor: p.vendor,
    product_type: p.productType,
    status: p.status.toLowerCase(),
    tags: p.tags.join(', '),
    created_at: iso(p.createdMs),
    updated_at: iso(p.updatedMs),
    published_at: iso(p.createdMs),
    variants: p.variants.map((v) => ({
      id: v.id,
      product_id: p.id,
      title: v.title,
      sku: v.sku,
      price: v.price,
      compare_at_price: null,
      inventory_item_id: v.inventoryItemId,
      inventory_quantity: v.inventoryQuantity,
      position: v.position,
      updated_at: iso(p.updatedMs),
    })),
    images: [],
    image: null,
  };
}

function restMoneyBag(amount: string, presentment: string) {
  return {
    shop_money: { amount, currency_code: 'EUR' },
    presentment_money: { amount: money(Number(amount) / PRESENTMENT_RATE[presentment]), currency_code: presentment },
  };
}

export function orderPayload(o: OrderRecord) {
  const financial = o.financialStatus.toLowerCase();
  return {
    id: o.id,
    admin_graphql_api_id: gid('Order', o.id),
    name: `#${o.number}`,
    order_number: o.number,
    email: o.customer.email,
    contact_email: o.customer.email,
    phone: null,
    created_at: iso(o.createdMs),
    updated_at: iso(o.updatedMs),
    processed_at: iso(o.createdMs),
    cancelled_at: o.cancelledMs === null ? null : iso(o.cancelledMs),
    cancel_reason: o.cancelledMs === null ? null : 'customer',
    closed_at: null,
    currency: 'EUR',
    presentment_currency: o.presentmentCurrency,
    subtotal_price: o.subtotal,
    total_tax: o.tax,
    total_discounts: '0.00',
    total_line_items_price: o.subtotal,
    total_price: o.total,
    current_total_price: o.cancelledMs === null ? o.total : '0.00',
    subtotal_price_set: restMoneyBag(o.subtotal, o.presentmentCurrency),
    total_price_set: restMoneyBag(o.total, o.presentmentCurrency),
    financial_status: financial,
    fulfillment_status: o.fulfilled ? 'fulfilled' : null,
    confirmed: true,
    test: false,
    tags: '',
    note: null,
    note_attributes: [],
    source_name: 'web',
    customer: customerPayload(o.customer),
    billing_address: { first_name: o.customer.firstName, city: o.customer.city, country_code: o.customer.country },
    shipping_address: { first_name: o.customer.firstName, city: o.customer.city, country_code: o.customer.country },
    line_items: o.lines.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid('LineItem', line.id),
      product_id: line.productId,
      variant_id: line.variantId,
      sku: line.sku,
      title: line.title,
      variant_title: line.variantTitle,
      name: `${line.title} - ${line.variantTitle}`,
      vendor: line.vendor,
      quantity: line.quantity,
      current_quantity: o.cancelledMs === null ? line.quantity : 0,
      fulfillable_quantity: o.fulfilled ? 0 : line.quantity,
      price: line.price,
      total_discount: '0.00',
      discount_allocations: [],
      requires_shipping: true,
      taxable: true,
      properties: [],
      tax_lines: [],
    })),
    discount_codes: [],
    shipping_lines: [],
    refunds: [],
    payment_gateway_names: ['shopify_payments'],
  };
}

/**
 * refunds/create for an order's refund: an amount-only refund (no line items, as Shopify allows
 * for a goodwill or shipping refund), one successful refund transaction in the shop currency.
 */
export function refundPayload(o: OrderRecord) {
  if (!o.refund) return null;
  return {
    id: o.refund.id,
    admin_graphql_api_id: gid('Refund', o.refund.id),
    order_id: o.id,
    created_at: iso(o.refund.createdMs),
    processed_at: iso(o.refund.createdMs),
    note: 'Returned',
    restock: false,
    user_id: null,
    refund_line_items: [],
    transactions: [
      {
        id: o.refund.id,
        order_id: o.id,
        kind: 'refund',
        status: 'success',
        amount: o.refund.amount,
        currency: 'EUR',
        gateway: 'shopify_payments',
        created_at: iso(o.refund.createdMs),
      },
    ],
    order_adjustments: [],
    duties: [],
  };
}

/** fulfillments/create, fulfillments/update for an order's fulfilment (null when it has none). */
export function fulfillmentPayload(o: OrderRecord) {
  if (!o.fulfillment) return null;
  const f = o.fulfillment;
  return {
    id: f.id,
    admin_graphql_api_id: gid('Fulfillment', f.id),
    order_id: o.id,
    name: `#${o.number}.1`,
    status: 'success',
    service: 'manual',
    shipment_status: 'delivered',
    location_id: DEMO_LOCATION.id,
    tracking_company: 'UPS',
    tracking_number: f.trackingNumber,
    tracking_numbers: [f.trackingNumber],
    tracking_url: trackingUrl(f.trackingNumber),
    tracking_urls: [trackingUrl(f.trackingNumber)],
    created_at: iso(f.createdMs),
    updated_at: iso(f.updatedMs),
    origin_address: {},
    receipt: {},
    line_items: o.lines.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid('LineItem', line.id),
      product_id: line.productId,
      variant_id: line.variantId,
      title: line.title,
      variant_title: line.variantTitle,
      name: `${line.title} - ${line.variantTitle}`,
      sku: line.sku,
      vendor: line.vendor,
      quantity: line.quantity,
      price: line.price,
      fulfillment_status: 'fulfilled',
      requires_shipping: true,
    })),
  };
}

/** The location's GraphQL object, with its stock of every variant (inventoryLevels). */
export function locationObject(records: ShopData, index: number): GraphObject {
  const location = DEMO_LOCATIONS[index];
  const levels = records.info.size.products * VARIANTS_PER_PRODUCT;
  return {
    __typename: 'Location',
    id: gid('Location', location.id),
    legacyResourceId: String(location.id),
    name: location.name,
    isActive: true,
    createdAt: iso(records.info.anchorMs - 1000 * DAY),
    updatedAt: iso(records.info.anchorMs - 900 * DAY),
    address: {
      __typename: 'LocationAddress',
      address1: location.address1,
      address2: null,
      city: location.city,
      zip: location.zip,
      province: null,
      countryCode: location.countryCode,
    },
    // `query` filters on created_at / updated_at (Shopify's also take inventory_item_id and
    // inventory_group_id, which Cairn does not use).
    inventoryLevels: (args: Record<string, unknown>): ConnectionSource => {
      const level = (n: number): GraphObject => {
        const product = records.product(Math.floor(n / VARIANTS_PER_PRODUCT));
        const variant = product.variants[n % VARIANTS_PER_PRODUCT];
        const available = stockAt(variant, index);
        return {
          __typename: 'InventoryLevel',
          id: `gid://shopify/InventoryLevel/${location.id}?inventory_item_id=${variant.inventoryItemId}`,
          createdAt: iso(product.createdMs),
          updatedAt: iso(variant.levels[index].updatedMs),
          item: { __typename: 'InventoryItem', id: gid('InventoryItem', variant.inventoryItemId), sku: variant.sku },
          location: { __typename: 'Location', id: gid('Location', location.id) },
          quantities: (names: Record<string, unknown>) =>
            (Array.isArray(names.names) ? (names.names as string[]) : []).map((name) => ({
              __typename: 'InventoryQuantity',
              name,
              quantity: name === 'available' || name === 'on_hand' ? available : 0,
            })),
        };
      };
      if (typeof args.query !== 'string' || args.query.trim() === '')
        return { __connection: true, typename: 'InventoryLevel', count: levels, node: level };
      const kept: number[] = [];
      for (let n = 0; n < levels; n++) {
        const product = records.product(Math.floor(n / VARIANTS_PER_PRODUCT));
        const variant = product.variants[n % VARIANTS_PER_PRODUCT];
        if (matchesSearch(args.query, { createdMs: product.createdMs, updatedMs: variant.levels[index].updatedMs }))
          kept.push(n);
      }
      return { __connection: true, typename: 'InventoryLevel', count: kept.length, node: (k) => level(kept[k]) };
    },
  };
}

/** locations/create, locations/update for a demo location (null for another id). */
export function locationPayload(records: ShopData, id: number) {
  const index = DEMO_LOCATIONS.findIndex((location) => location.id === id);
  if (index < 0) return null;
  const location = DEMO_LOCATIONS[index];
  return {
    id: location.id,
    admin_graphql_api_id: gid('Location', location.id),
    name: location.name,
    address1: location.address1,
    address2: null,
    city: location.city,
    zip: location.zip,
    province: null,
    country: location.countryCode,
    country_code: location.countryCode,
    phone: null,
    active: true,
    legacy: false,
    created_at: iso(records.info.anchorMs - 1000 * DAY),
    updated_at: iso(records.info.anchorMs - 900 * DAY),
  };
}

/** inventory_levels/update: a variant's stock at a demo location (null when either is unknown). */
export function inventoryLevelPayload(records: ShopData, inventoryItemId: number, locationId: number) {
  const index = DEMO_LOCATIONS.findIndex((location) => location.id === locationId);
  const offset = inventoryItemId - ID.inventoryItem;
  const productIndex = Math.floor(offset / VARIANTS_PER_PRODUCT);
  if (index < 0 || offset < 0 || productIndex >= records.info.size.products) return null;
  const product = records.product(productIndex);
  const variant = product.variants[offset % VARIANTS_PER_PRODUCT];
  return {
    inventory_item_id: inventoryItemId,
    location_id: locationId,
    available: stockAt(variant, index),
    updated_at: iso(variant.levels[index].updatedMs),
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${inventoryItemId}`,
  };
}

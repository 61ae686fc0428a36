/**
 * Shopify webhook payloads (REST resource JSON, spec §9) → plain Cairn-shaped records.
 *
 * Schemas are strict on the fields Cairn reads (ids are integers, money decimal strings,
 * timestamps ISO-8601 with offset) and lenient on everything else: unknown keys are dropped
 * (the raw payload is stored separately), optional fields may be missing or null.
 * Mappers are pure; column names are not final, so the records are documented interfaces
 * that the function wires to tables.
 */
import { z } from 'zod';
import { describeIssue } from './errors.ts';
import { DECIMAL_PATTERN, lineTotal, money, ratio, sumDecimals, sumMoney } from './money.ts';
import type { ShopifyTopic } from './shopify.ts';

// ── primitives ────────────────────────────────────────────────────────────────────────────

/** Shopify ids: positive integers beyond 32 bits but within JS's safe range (Postgres bigint). */
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const moneyString = z.string().regex(DECIMAL_PATTERN, 'must be a decimal amount string');
const timestamp = z.iso.datetime({ offset: true });
const optionalText = z.string().nullish();
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');

const moneyBag = z.object({
  shop_money: z.object({ amount: moneyString, currency_code: currency }),
  presentment_money: z.object({ amount: moneyString, currency_code: currency }),
});

const addressSchema = z.object({
  first_name: optionalText,
  last_name: optionalText,
  company: optionalText,
  address1: optionalText,
  address2: optionalText,
  city: optionalText,
  province: optionalText,
  province_code: optionalText,
  country: optionalText,
  country_code: optionalText,
  zip: optionalText,
  phone: optionalText,
});

/** Pre-2025-01 API versions still carry marketing consent in the customer payload. */
const emailConsentSchema = z.object({
  state: z.string(),
  opt_in_level: optionalText,
  consent_updated_at: timestamp.nullish(),
});

const customerSchema = z.object({
  id,
  admin_graphql_api_id: optionalText,
  email: optionalText,
  first_name: optionalText,
  last_name: optionalText,
  phone: optionalText,
  state: optionalText,
  verified_email: z.boolean().nullish(),
  tax_exempt: z.boolean().nullish(),
  note: optionalText,
  currency: currency.nullish(),
  tags: z.string().nullish(),
  created_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
  default_address: addressSchema.nullish(),
  email_marketing_consent: emailConsentSchema.nullish(),
});

const lineItemSchema = z.object({
  id,
  product_id: id.nullish(),
  variant_id: id.nullish(),
  sku: optionalText,
  title: z.string(),
  variant_title: optionalText,
  name: optionalText,
  vendor: optionalText,
  quantity: z.number().int().min(0),
  current_quantity: z.number().int().min(0).nullish(),
  price: moneyString,
  total_discount: moneyString.nullish(),
  discount_allocations: z.array(z.object({ amount: moneyString })).nullish(),
});

const orderSchema = z.object({
  id,
  admin_graphql_api_id: optionalText,
  name: z.string(),
  order_number: z.number().int().nullish(),
  email: optionalText,
  contact_email: optionalText,
  phone: optionalText,
  created_at: timestamp,
  updated_at: timestamp,
  processed_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  cancel_reason: optionalText,
  closed_at: timestamp.nullish(),
  currency,
  presentment_currency: currency.nullish(),
  subtotal_price: moneyString,
  total_price: moneyString,
  total_tax: moneyString.nullish(),
  total_discounts: moneyString.nullish(),
  current_total_price: moneyString.nullish(),
  total_price_set: moneyBag.nullish(),
  financial_status: optionalText,
  fulfillment_status: optionalText,
  test: z.boolean().nullish(),
  tags: z.string().nullish(),
  note: optionalText,
  source_name: optionalText,
  customer: customerSchema.nullish(),
  billing_address: addressSchema.nullish(),
  shipping_address: addressSchema.nullish(),
  line_items: z.array(lineItemSchema),
  discount_codes: z.array(z.object({ code: z.string(), amount: moneyString, type: optionalText })).nullish(),
});

const variantSchema = z.object({
  id,
  product_id: id.nullish(),
  title: optionalText,
  sku: optionalText,
  price: moneyString,
  compare_at_price: moneyString.nullish(),
  inventory_item_id: id.nullish(),
  inventory_quantity: z.number().int().nullish(),
  position: z.number().int().nullish(),
  image_id: id.nullish(),
  created_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
});

const imageSchema = z.object({ id, src: z.string(), position: z.number().int().nullish() });

const productSchema = z.object({
  id,
  admin_graphql_api_id: optionalText,
  title: z.string(),
  handle: optionalText,
  body_html: optionalText,
  vendor: optionalText,
  product_type: optionalText,
  status: optionalText,
  tags: z.string().nullish(),
  created_at: timestamp.nullish(),
  updated_at: timestamp,
  published_at: timestamp.nullish(),
  variants: z.array(variantSchema),
  images: z.array(imageSchema).nullish(),
  image: imageSchema.nullish(),
});

const productDeleteSchema = z.object({ id });

const inventoryLevelSchema = z.object({
  inventory_item_id: id,
  location_id: id,
  available: z.number().int().nullable(),
  updated_at: timestamp,
});

const refundSchema = z.object({
  id,
  order_id: id,
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  note: optionalText,
  restock: z.boolean().nullish(),
  refund_line_items: z.array(
    z.object({
      id,
      line_item_id: id,
      quantity: z.number().int().min(0),
      restock_type: optionalText,
      location_id: id.nullish(),
      subtotal: z.union([moneyString, z.number()]).nullish(),
      total_tax: z.union([moneyString, z.number()]).nullish(),
    }),
  ),
  transactions: z
    .array(
      z.object({
        id,
        kind: z.string(),
        status: optionalText,
        amount: moneyString,
        currency: currency.nullish(),
        created_at: timestamp.nullish(),
      }),
    )
    .nullish(),
  order_adjustments: z
    .array(z.object({ id, kind: optionalText, amount: moneyString, tax_amount: moneyString.nullish() }))
    .nullish(),
});

const privacyCustomer = z.object({ id: id.nullish(), email: optionalText, phone: optionalText });
const dataRequestSchema = z.object({
  shop_id: id,
  shop_domain: z.string(),
  orders_requested: z.array(id).nullish(),
  customer: privacyCustomer,
  data_request: z.object({ id }).nullish(),
});
const customerRedactSchema = z.object({
  shop_id: id,
  shop_domain: z.string(),
  customer: privacyCustomer,
  orders_to_redact: z.array(id).nullish(),
});
const shopRedactSchema = z.object({ shop_id: id, shop_domain: z.string() });

// ── records ───────────────────────────────────────────────────────────────────────────────

/** A postal address, reduced to what a CRM shows and filters on. */
export interface AddressRecord {
  name: string | null;
  company: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  /** Province/state name (e.g. "Ontario"). */
  region: string | null;
  /** ISO 3166-1 alpha-2 when Shopify sent one (customers.country references countries.code). */
  countryCode: string | null;
  postalCode: string | null;
  phone: string | null;
}

/** customers/create, customers/update, and the customer embedded in an order. */
export interface CustomerRecord {
  shopifyId: number;
  /** As sent (null for customers without email). */
  email: string | null;
  /** Trimmed, lower-cased email: the second matching key after the Shopify id. */
  emailNormalized: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** Shopify account state: disabled / invited / enabled / declined. */
  state: string | null;
  verifiedEmail: boolean | null;
  currency: string | null;
  note: string | null;
  /** Only on API versions before 2025-01 (empty otherwise). */
  tags: string[];
  /** Only on API versions before 2025-01; null when absent — never read absence as "opted out". */
  emailMarketingConsent: { state: string; optInLevel: string | null; updatedAt: string | null } | null;
  defaultAddress: AddressRecord | null;
  createdAt: string | null;
  /** Version for out-of-order protection (null on the thin customer embedded in some orders). */
  updatedAt: string | null;
}

export interface OrderItemRecord {
  shopifyId: number;
  productShopifyId: number | null;
  variantShopifyId: number | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  quantity: number;
  /** Quantity after removals/refunds when Shopify sends it, else `quantity`. */
  currentQuantity: number;
  /** Unit price in the shop currency. */
  unitPrice: number;
  /** Line discount: `total_discount`, or the sum of discount allocations when that is 0/absent. */
  discount: number;
  /** unitPrice × quantity − discount, computed exactly. */
  total: number;
}

/** orders/create, orders/updated, orders/paid, orders/cancelled. */
export interface OrderRecord {
  shopifyId: number;
  /** "#1001". */
  name: string;
  orderNumber: number | null;
  email: string | null;
  emailNormalized: string | null;
  phone: string | null;
  customer: CustomerRecord | null;
  /** Shop currency: every amount in this record is in it. */
  currency: string;
  /** What the buyer saw and paid in (equals `currency` for single-currency shops). */
  presentmentCurrency: string;
  subtotal: number;
  totalTax: number;
  totalDiscounts: number;
  total: number;
  /** After edits and refunds (`current_total_price`), else `total`. */
  currentTotal: number;
  /** `total_price_set.presentment_money.amount` (null when Shopify sent no money bag). */
  presentmentTotal: number | null;
  /**
   * Shop-currency units per presentment-currency unit at order time, from the order's own money
   * bag (shop total ÷ presentment total); 1 when both currencies are the same; null when unknown
   * or the total is zero. Conversion to the workspace base currency is the caller's job.
   */
  exchangeRate: number | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  processedAt: string | null;
  createdAt: string;
  /** Version for out-of-order protection. */
  updatedAt: string;
  test: boolean;
  tags: string[];
  note: string | null;
  sourceName: string | null;
  discountCodes: Array<{ code: string; amount: number; type: string | null }>;
  billingAddress: AddressRecord | null;
  shippingAddress: AddressRecord | null;
  items: OrderItemRecord[];
}

export interface VariantRecord {
  shopifyId: number;
  productShopifyId: number;
  title: string | null;
  sku: string | null;
  price: number;
  compareAtPrice: number | null;
  /** Joins inventory_levels/update to this variant. */
  inventoryItemId: number | null;
  /** Total across locations as Shopify reports it in the product payload (null when not tracked/sent). */
  inventoryQuantity: number | null;
  position: number | null;
  /** The variant's own image, else the product's main image. */
  imageUrl: string | null;
  updatedAt: string | null;
}

/** products/create, products/update. */
export interface ProductRecord {
  shopifyId: number;
  title: string;
  handle: string | null;
  descriptionHtml: string | null;
  vendor: string | null;
  productType: string | null;
  /** active / draft / archived. */
  status: string | null;
  tags: string[];
  imageUrl: string | null;
  publishedAt: string | null;
  createdAt: string | null;
  /** Version for out-of-order protection. */
  updatedAt: string;
  variants: VariantRecord[];
}

/** products/delete: only the id arrives. */
export interface ProductDeletionRecord {
  shopifyId: number;
}

/** inventory_levels/update: stock of one inventory item at one location. */
export interface InventoryLevelRecord {
  inventoryItemId: number;
  locationId: number;
  /** null when the item is not tracked at that location. */
  available: number | null;
  /** Version for out-of-order protection (per item and location). */
  updatedAt: string;
}

/** refunds/create. */
export interface RefundRecord {
  shopifyId: number;
  orderShopifyId: number;
  createdAt: string;
  processedAt: string | null;
  note: string | null;
  restock: boolean;
  items: Array<{
    lineItemShopifyId: number;
    quantity: number;
    /** no_restock / cancel / return / legacy_restock. */
    restockType: string | null;
    locationId: number | null;
    subtotal: number | null;
    totalTax: number | null;
  }>;
  /** Sum of successful `refund` transactions (what the buyer got back). */
  amount: number;
  /** Currency of those transactions (null when there were none). */
  currency: string | null;
}

/** customers/data_request, customers/redact, shop/redact. */
export interface PrivacyRequestRecord {
  kind: 'customers/data_request' | 'customers/redact' | 'shop/redact';
  shopShopifyId: number;
  shopDomain: string;
  customerShopifyId: number | null;
  customerEmail: string | null;
  customerPhone: string | null;
  /** Orders requested (data request) or to redact (customer redact); empty for shop/redact. */
  orderShopifyIds: number[];
  dataRequestId: number | null;
}

export type ShopifyRecord =
  | { kind: 'order'; record: OrderRecord }
  | { kind: 'refund'; record: RefundRecord }
  | { kind: 'customer'; record: CustomerRecord }
  | { kind: 'product'; record: ProductRecord }
  | { kind: 'product_deletion'; record: ProductDeletionRecord }
  | { kind: 'inventory_level'; record: InventoryLevelRecord }
  | { kind: 'privacy_request'; record: PrivacyRequestRecord };

// ── mappers ───────────────────────────────────────────────────────────────────────────────

const nonEmpty = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

const normalizeEmail = (value: string | null | undefined): string | null => nonEmpty(value)?.toLowerCase() ?? null;

/** Shopify tags are one comma-separated string. */
export function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

function mapAddress(address: z.output<typeof addressSchema> | null | undefined): AddressRecord | null {
  if (!address) return null;
  const name = [address.first_name, address.last_name].map(nonEmpty).filter(Boolean).join(' ');
  return {
    name: name || null,
    company: nonEmpty(address.company),
    line1: nonEmpty(address.address1),
    line2: nonEmpty(address.address2),
    city: nonEmpty(address.city),
    region: nonEmpty(address.province),
    countryCode: nonEmpty(address.country_code)?.toUpperCase() ?? null,
    postalCode: nonEmpty(address.zip),
    phone: nonEmpty(address.phone),
  };
}

function mapCustomer(customer: z.output<typeof customerSchema>): CustomerRecord {
  const consent = customer.email_marketing_consent;
  return {
    shopifyId: customer.id,
    email: nonEmpty(customer.email),
    emailNormalized: normalizeEmail(customer.email),
    firstName: nonEmpty(customer.first_name),
    lastName: nonEmpty(customer.last_name),
    phone: nonEmpty(customer.phone),
    state: customer.state ?? null,
    verifiedEmail: customer.verified_email ?? null,
    currency: customer.currency ?? null,
    note: nonEmpty(customer.note),
    tags: splitTags(customer.tags),
    emailMarketingConsent: consent
      ? {
          state: consent.state,
          optInLevel: consent.opt_in_level ?? null,
          updatedAt: consent.consent_updated_at ?? null,
        }
      : null,
    defaultAddress: mapAddress(customer.default_address),
    createdAt: customer.created_at ?? null,
    updatedAt: customer.updated_at ?? null,
  };
}

function mapLineItem(item: z.output<typeof lineItemSchema>): OrderItemRecord {
  const allocations = (item.discount_allocations ?? []).map((allocation) => allocation.amount);
  // Newer API versions leave total_discount at 0 and put discounts in allocations.
  const discountString =
    item.total_discount && money(item.total_discount) !== 0 ? item.total_discount : sumDecimals(allocations);
  return {
    shopifyId: item.id,
    productShopifyId: item.product_id ?? null,
    variantShopifyId: item.variant_id ?? null,
    sku: nonEmpty(item.sku),
    title: item.title,
    variantTitle: nonEmpty(item.variant_title),
    vendor: nonEmpty(item.vendor),
    quantity: item.quantity,
    currentQuantity: item.current_quantity ?? item.quantity,
    unitPrice: money(item.price),
    discount: money(discountString),
    total: lineTotal(item.price, item.quantity, discountString),
  };
}

function mapOrder(order: z.output<typeof orderSchema>): OrderRecord {
  const presentmentCurrency = order.presentment_currency ?? order.currency;
  const bag = order.total_price_set;
  const exchangeRate =
    presentmentCurrency === order.currency
      ? 1
      : bag
        ? ratio(bag.shop_money.amount, bag.presentment_money.amount)
        : null;
  const email = order.email ?? order.contact_email;
  return {
    shopifyId: order.id,
    name: order.name,
    orderNumber: order.order_number ?? null,
    email: nonEmpty(email),
    emailNormalized: normalizeEmail(email),
    phone: nonEmpty(order.phone),
    customer: order.customer ? mapCustomer(order.customer) : null,
    currency: order.currency,
    presentmentCurrency,
    subtotal: money(order.subtotal_price),
    totalTax: money(order.total_tax ?? '0'),
    totalDiscounts: money(order.total_discounts ?? '0'),
    total: money(order.total_price),
    currentTotal: money(order.current_total_price ?? order.total_price),
    presentmentTotal: bag ? money(bag.presentment_money.amount) : null,
    exchangeRate,
    financialStatus: order.financial_status ?? null,
    fulfillmentStatus: order.fulfillment_status ?? null,
    cancelledAt: order.cancelled_at ?? null,
    cancelReason: order.cancel_reason ?? null,
    closedAt: order.closed_at ?? null,
    processedAt: order.processed_at ?? null,
    createdAt: order.created_at,
    updatedAt: order.updated_at,
    test: order.test ?? false,
    tags: splitTags(order.tags),
    note: nonEmpty(order.note),
    sourceName: order.source_name ?? null,
    discountCodes: (order.discount_codes ?? []).map((code) => ({
      code: code.code,
      amount: money(code.amount),
      type: code.type ?? null,
    })),
    billingAddress: mapAddress(order.billing_address),
    shippingAddress: mapAddress(order.shipping_address),
    items: order.line_items.map(mapLineItem),
  };
}

function mapProduct(product: z.output<typeof productSchema>): ProductRecord {
  const images = new Map((product.images ?? []).map((image) => [image.id, image.src]));
  const mainImage =
    product.image?.src ??
    [...(product.images ?? [])].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))[0]?.src ??
    null;
  return {
    shopifyId: product.id,
    title: product.title,
    handle: nonEmpty(product.handle),
    descriptionHtml: nonEmpty(product.body_html),
    vendor: nonEmpty(product.vendor),
    productType: nonEmpty(product.product_type),
    status: product.status ?? null,
    tags: splitTags(product.tags),
    imageUrl: mainImage,
    publishedAt: product.published_at ?? null,
    createdAt: product.created_at ?? null,
    updatedAt: product.updated_at,
    variants: product.variants.map((variant) => ({
      shopifyId: variant.id,
      productShopifyId: variant.product_id ?? product.id,
      title: nonEmpty(variant.title),
      sku: nonEmpty(variant.sku),
      price: money(variant.price),
      compareAtPrice: variant.compare_at_price ? money(variant.compare_at_price) : null,
      inventoryItemId: variant.inventory_item_id ?? null,
      inventoryQuantity: variant.inventory_quantity ?? null,
      position: variant.position ?? null,
      imageUrl: (variant.image_id ? images.get(variant.image_id) : undefined) ?? mainImage,
      updatedAt: variant.updated_at ?? null,
    })),
  };
}

function mapRefund(refund: z.output<typeof refundSchema>): RefundRecord {
  const refunds = (refund.transactions ?? []).filter(
    (transaction) => transaction.kind === 'refund' && (transaction.status ?? 'success') === 'success',
  );
  const amountOf = (value: string | number | null | undefined) =>
    value === null || value === undefined ? null : typeof value === 'number' ? value : money(value);
  return {
    shopifyId: refund.id,
    orderShopifyId: refund.order_id,
    createdAt: refund.created_at,
    processedAt: refund.processed_at ?? null,
    note: nonEmpty(refund.note),
    restock: refund.restock ?? false,
    items: refund.refund_line_items.map((item) => ({
      lineItemShopifyId: item.line_item_id,
      quantity: item.quantity,
      restockType: item.restock_type ?? null,
      locationId: item.location_id ?? null,
      subtotal: amountOf(item.subtotal),
      totalTax: amountOf(item.total_tax),
    })),
    amount: sumMoney(refunds.map((transaction) => transaction.amount)),
    currency: refunds[0]?.currency ?? null,
  };
}

function privacy(
  kind: PrivacyRequestRecord['kind'],
  body: { shop_id: number; shop_domain: string; customer?: z.output<typeof privacyCustomer> },
  orders: number[] | null | undefined,
  dataRequestId: number | null,
): PrivacyRequestRecord {
  return {
    kind,
    shopShopifyId: body.shop_id,
    shopDomain: body.shop_domain.toLowerCase(),
    customerShopifyId: body.customer?.id ?? null,
    customerEmail: nonEmpty(body.customer?.email),
    customerPhone: nonEmpty(body.customer?.phone),
    orderShopifyIds: orders ?? [],
    dataRequestId,
  };
}

// ── entry point ──────────────────────────────────────────────────────────────────────────

type Parsed = { ok: true; value: ShopifyRecord } | { ok: false; message: string };

function run<S extends z.ZodType>(schema: S, payload: unknown, map: (value: z.output<S>) => ShopifyRecord): Parsed {
  const parsed = schema.safeParse(payload);
  return parsed.success ? { ok: true, value: map(parsed.data) } : { ok: false, message: describeIssue(parsed.error) };
}

/**
 * The payload of a supported topic, validated and mapped. A failure message names the field
 * (`line_items.0.price: must be a decimal amount string`); the caller records it on the
 * stored delivery rather than losing the event.
 */
export function parseShopifyPayload(topic: ShopifyTopic, payload: unknown): Parsed {
  switch (topic) {
    case 'orders/create':
    case 'orders/updated':
    case 'orders/paid':
    case 'orders/cancelled':
      return run(orderSchema, payload, (order) => ({ kind: 'order', record: mapOrder(order) }));
    case 'refunds/create':
      return run(refundSchema, payload, (refund) => ({ kind: 'refund', record: mapRefund(refund) }));
    case 'customers/create':
    case 'customers/update':
      return run(customerSchema, payload, (customer) => ({ kind: 'customer', record: mapCustomer(customer) }));
    case 'products/create':
    case 'products/update':
      return run(productSchema, payload, (product) => ({ kind: 'product', record: mapProduct(product) }));
    case 'products/delete':
      return run(productDeleteSchema, payload, (product) => ({
        kind: 'product_deletion',
        record: { shopifyId: product.id },
      }));
    case 'inventory_levels/update':
      return run(inventoryLevelSchema, payload, (level) => ({
        kind: 'inventory_level',
        record: {
          inventoryItemId: level.inventory_item_id,
          locationId: level.location_id,
          available: level.available,
          updatedAt: level.updated_at,
        },
      }));
    case 'customers/data_request':
      return run(dataRequestSchema, payload, (body) => ({
        kind: 'privacy_request',
        record: privacy(topic, body, body.orders_requested, body.data_request?.id ?? null),
      }));
    case 'customers/redact':
      return run(customerRedactSchema, payload, (body) => ({
        kind: 'privacy_request',
        record: privacy(topic, body, body.orders_to_redact, null),
      }));
    case 'shop/redact':
      return run(shopRedactSchema, payload, (body) => ({
        kind: 'privacy_request',
        record: privacy(topic, body, [], null),
      }));
  }
}

/**
 * The version a record carries for out-of-order protection: its `updated_at` when it has one,
 * else the delivery's triggered-at (refunds, deletions and privacy requests are immutable
 * events; a thin customer without `updated_at` falls back too).
 */
export function recordVersion(parsed: ShopifyRecord, triggeredAt: string): string {
  switch (parsed.kind) {
    case 'order':
    case 'product':
    case 'inventory_level':
      return parsed.record.updatedAt;
    case 'customer':
      return parsed.record.updatedAt ?? triggeredAt;
    default:
      return triggeredAt;
  }
}

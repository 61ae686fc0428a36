/**
 * orders/* and refunds/create: the payloads' schemas, the records Cairn keeps, and the mappings
 * between them. Amounts are summed exactly (./money.ts). An order record is applied by
 * `private.apply_shopify_order`, a refund record by `private.apply_shopify_refund`.
 */
import { z } from 'zod';
import {
  addressSchema,
  type AddressRecord,
  type CustomerRecord,
  customerSchema,
  mapAddress,
  mapCustomer,
} from './customers.ts';
import { currency, id, moneyString, nonEmpty, normalizeEmail, optionalText, splitTags, timestamp } from './fields.ts';
import { lineTotal, money, ratio, sumDecimals, sumMoney } from './money.ts';

const moneyBag = z.object({
  shop_money: z.object({ amount: moneyString, currency_code: currency }),
  presentment_money: z.object({ amount: moneyString, currency_code: currency }),
});

export const lineItemSchema = z.object({
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

export const orderSchema = z.object({
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

export const refundSchema = z.object({
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

export function mapLineItem(item: z.output<typeof lineItemSchema>): OrderItemRecord {
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

export function mapOrder(order: z.output<typeof orderSchema>): OrderRecord {
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

export function mapRefund(refund: z.output<typeof refundSchema>): RefundRecord {
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

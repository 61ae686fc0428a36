/**
 * Shopify webhook payloads (REST resource JSON, spec §9) → the records Cairn applies: the
 * topic's schema and mapper from its file (customers, orders, products, fulfillments, privacy), and the
 * `{ kind, record }` union handed to `public.ingest_shopify_webhook` as `mapped`, which
 * `private.apply_shopify_record` dispatches by kind.
 */
import type { z } from 'zod';
import { describeIssue } from '../_shared/errors.ts';
import { type CustomerRecord, customerSchema, mapCustomer } from './customers.ts';
import {
  type FulfillmentRecord,
  fulfillmentSchema,
  locationDeleteSchema,
  type LocationDeletionRecord,
  type LocationRecord,
  locationSchema,
  mapFulfillment,
  mapLocation,
  mapLocationDeletion,
} from './fulfillments.ts';
import type { ShopifyTopic } from './envelope.ts';
import { mapOrder, mapRefund, type OrderRecord, orderSchema, type RefundRecord, refundSchema } from './orders.ts';
import {
  customerRedactSchema,
  dataRequestSchema,
  mapPrivacyRequest,
  type PrivacyRequestRecord,
  shopRedactSchema,
} from './privacy.ts';
import {
  type InventoryLevelRecord,
  inventoryLevelSchema,
  mapInventoryLevel,
  mapProduct,
  mapProductDeletion,
  productDeleteSchema,
  type ProductDeletionRecord,
  type ProductRecord,
  productSchema,
} from './products.ts';

export type ShopifyRecord =
  | { kind: 'order'; record: OrderRecord }
  | { kind: 'refund'; record: RefundRecord }
  | { kind: 'customer'; record: CustomerRecord }
  | { kind: 'product'; record: ProductRecord }
  | { kind: 'product_deletion'; record: ProductDeletionRecord }
  | { kind: 'inventory_level'; record: InventoryLevelRecord }
  | { kind: 'fulfillment'; record: FulfillmentRecord }
  | { kind: 'location'; record: LocationRecord }
  | { kind: 'location_deletion'; record: LocationDeletionRecord }
  | { kind: 'privacy_request'; record: PrivacyRequestRecord };

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
        record: mapProductDeletion(product),
      }));
    case 'inventory_levels/update':
      return run(inventoryLevelSchema, payload, (level) => ({
        kind: 'inventory_level',
        record: mapInventoryLevel(level),
      }));
    case 'fulfillments/create':
    case 'fulfillments/update':
      return run(fulfillmentSchema, payload, (fulfillment) => ({
        kind: 'fulfillment',
        record: mapFulfillment(fulfillment),
      }));
    case 'locations/create':
    case 'locations/update':
      return run(locationSchema, payload, (location) => ({ kind: 'location', record: mapLocation(location) }));
    case 'locations/delete':
      return run(locationDeleteSchema, payload, (location) => ({
        kind: 'location_deletion',
        record: mapLocationDeletion(location),
      }));
    case 'customers/data_request':
      return run(dataRequestSchema, payload, (body) => ({
        kind: 'privacy_request',
        record: mapPrivacyRequest(topic, body, body.orders_requested, body.data_request?.id ?? null),
      }));
    case 'customers/redact':
      return run(customerRedactSchema, payload, (body) => ({
        kind: 'privacy_request',
        record: mapPrivacyRequest(topic, body, body.orders_to_redact, null),
      }));
    case 'shop/redact':
      return run(shopRedactSchema, payload, (body) => ({
        kind: 'privacy_request',
        record: mapPrivacyRequest(topic, body, [], null),
      }));
  }
}

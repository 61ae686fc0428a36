/**
 * fulfillments/create, fulfillments/update and locations/create, locations/update,
 * locations/delete: the payloads' schemas, the records Cairn keeps, and the mappings between
 * them. A fulfilment record is applied by `private.apply_shopify_fulfillment` (the import's by
 * `private.apply_shopify_fulfillments_set`, the same rule), a location by
 * `private.apply_shopify_location`, a deletion by `private.apply_shopify_location_deletion`.
 */
import { z } from 'zod';
import { id, nonEmpty, optionalText, timestamp } from './fields.ts';

export const fulfillmentSchema = z.object({
  id,
  order_id: id,
  admin_graphql_api_id: optionalText,
  name: optionalText,
  status: optionalText,
  shipment_status: optionalText,
  tracking_company: optionalText,
  tracking_number: optionalText,
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: optionalText,
  tracking_urls: z.array(z.string()).nullish(),
  location_id: id.nullish(),
  created_at: timestamp.nullish(),
  updated_at: timestamp,
  /** Always sent by Shopify; null only from the import when the export could not tell (see ../shopify-import/convert.ts). */
  line_items: z.array(z.object({ id, quantity: z.number().int().min(0) })).nullable(),
});

export const locationSchema = z.object({
  id,
  name: optionalText,
  address1: optionalText,
  address2: optionalText,
  city: optionalText,
  province: optionalText,
  zip: optionalText,
  country_code: optionalText,
  active: z.boolean().nullish(),
  updated_at: timestamp,
});

export const locationDeleteSchema = z.object({ id });

/** fulfillments/create, fulfillments/update. */
export interface FulfillmentRecord {
  shopifyId: number;
  orderShopifyId: number;
  /** "#1001.1". */
  name: string | null;
  /** pending / open / success / cancelled / error / failure. */
  status: string | null;
  /** The carrier's latest word (in_transit, delivered…), when Shopify has one. */
  shipmentStatus: string | null;
  trackingCompany: string | null;
  /** The first tracking number (Shopify's `tracking_number`), else the first of `tracking_numbers`. */
  trackingNumber: string | null;
  /** As sent: screens link it only when it is http(s). */
  trackingUrl: string | null;
  locationId: number | null;
  /** The line items shipped and how many of each; null when not known (the stored ones are kept). */
  lineItems: Array<{ lineItemShopifyId: number; quantity: number }> | null;
  createdAt: string | null;
  /** Version for out-of-order protection. */
  updatedAt: string;
}

/** locations/create, locations/update. */
export interface LocationRecord {
  shopifyId: number;
  name: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  countryCode: string | null;
  active: boolean;
  updatedAt: string;
}

/** locations/delete: only the id arrives. */
export interface LocationDeletionRecord {
  shopifyId: number;
}

export function mapFulfillment(f: z.output<typeof fulfillmentSchema>): FulfillmentRecord {
  return {
    shopifyId: f.id,
    orderShopifyId: f.order_id,
    name: nonEmpty(f.name),
    status: nonEmpty(f.status)?.toLowerCase() ?? null,
    shipmentStatus: nonEmpty(f.shipment_status)?.toLowerCase() ?? null,
    trackingCompany: nonEmpty(f.tracking_company),
    trackingNumber: nonEmpty(f.tracking_number) ?? nonEmpty(f.tracking_numbers?.[0]),
    trackingUrl: nonEmpty(f.tracking_url) ?? nonEmpty(f.tracking_urls?.[0]),
    locationId: f.location_id ?? null,
    lineItems: f.line_items?.map((item) => ({ lineItemShopifyId: item.id, quantity: item.quantity })) ?? null,
    createdAt: f.created_at ?? null,
    updatedAt: f.updated_at,
  };
}

export function mapLocation(l: z.output<typeof locationSchema>): LocationRecord {
  return {
    shopifyId: l.id,
    name: nonEmpty(l.name),
    address1: nonEmpty(l.address1),
    address2: nonEmpty(l.address2),
    city: nonEmpty(l.city),
    region: nonEmpty(l.province),
    postalCode: nonEmpty(l.zip),
    countryCode: nonEmpty(l.country_code)?.toUpperCase() ?? null,
    active: l.active ?? true,
    updatedAt: l.updated_at,
  };
}

export function mapLocationDeletion(l: z.output<typeof locationDeleteSchema>): LocationDeletionRecord {
  return { shopifyId: l.id };
}

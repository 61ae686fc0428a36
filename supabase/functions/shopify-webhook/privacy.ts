/**
 * The mandatory privacy (GDPR) topics every public Shopify app must answer: customers/data_request,
 * customers/redact and shop/redact. The payloads' schemas, the record Cairn keeps, and the mapping
 * between them. The record is applied by `private.apply_shopify_privacy_request`.
 */
import { z } from 'zod';
import { id, nonEmpty, optionalText } from './fields.ts';

export const privacyCustomer = z.object({ id: id.nullish(), email: optionalText, phone: optionalText });

export const dataRequestSchema = z.object({
  shop_id: id,
  shop_domain: z.string(),
  orders_requested: z.array(id).nullish(),
  customer: privacyCustomer,
  data_request: z.object({ id }).nullish(),
});

export const customerRedactSchema = z.object({
  shop_id: id,
  shop_domain: z.string(),
  customer: privacyCustomer,
  orders_to_redact: z.array(id).nullish(),
});

export const shopRedactSchema = z.object({ shop_id: id, shop_domain: z.string() });

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

export function mapPrivacyRequest(
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

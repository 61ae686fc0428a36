/**
 * customers/create and customers/update (and the customer embedded in an order): the payload's
 * schema, the record Cairn keeps, and the mapping between them. The record is applied by
 * `private.apply_shopify_customer` (through `private.upsert_shopify_customer`, which orders use
 * for their customer too).
 */
import { z } from 'zod';
import { currency, id, nonEmpty, normalizeEmail, optionalText, splitTags, timestamp } from './fields.ts';

export const addressSchema = z.object({
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

export const customerSchema = z.object({
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

export function mapAddress(address: z.output<typeof addressSchema> | null | undefined): AddressRecord | null {
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

export function mapCustomer(customer: z.output<typeof customerSchema>): CustomerRecord {
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

import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

/**
 * The header and overview of one customer in one request: the row, its owner's name, its stage
 * label and its tags, embedded by PostgREST. RLS decides whether the row comes back at all.
 */
const CUSTOMER_COLUMNS = `
  id, first_name, last_name, full_name, email, phone, company,
  country, region, city, postal_code, timezone, language, currency,
  status, lifecycle_stage, owner_id, style_interests, favourite_brands, custom_fields, source,
  lifetime_value, order_count, average_order_value, first_order_at, last_order_at, created_at,
  owner:team_members!customers_owner_id_fkey(full_name),
  stage:lifecycle_stages!customers_lifecycle_stage_fkey(label),
  customer_tags(tag:tags(id, name, colour))
`;

export const customerKeys = {
  all: ['customer-360'] as const,
  one: (customerId: string) => ['customer-360', customerId] as const,
  consents: (customerId: string) => ['customer-360', customerId, 'consents'] as const,
  favourites: (customerId: string) => ['customer-360', customerId, 'favourites'] as const,
};

export async function fetchCustomer(customerId: string) {
  const { data, error } = await supabase.from('customers').select(CUSTOMER_COLUMNS).eq('id', customerId).maybeSingle();
  if (error) throw error;
  return data;
}

export type Customer = NonNullable<Awaited<ReturnType<typeof fetchCustomer>>>;

export const customerOptions = (customerId: string) =>
  queryOptions({ queryKey: customerKeys.one(customerId), queryFn: () => fetchCustomer(customerId) });
export type CustomerTag = NonNullable<Customer['customer_tags'][number]['tag']>;

export async function fetchConsents(customerId: string) {
  const { data, error } = await supabase
    .from('customer_consents')
    .select('channel, purpose, status, granted, since, source')
    .eq('customer_id', customerId)
    .order('channel')
    .order('purpose');
  if (error) throw error;
  return data;
}

export type Consent = Awaited<ReturnType<typeof fetchConsents>>[number];

export const consentsOptions = (customerId: string) =>
  queryOptions({ queryKey: customerKeys.consents(customerId), queryFn: () => fetchConsents(customerId) });

import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

import { customerKeys } from './customer.ts';

/** The customer's favourited variants: the price when favourited, the price and stock now. */
export async function fetchFavourites(customerId: string) {
  const { data, error } = await supabase
    .from('favorites')
    .select(
      `id, created_at, price_at_favorite, currency,
       variant:product_variants(id, title, sku, price, currency, inventory_quantity,
         product:products(id, title, vendor, status, image_url))`,
    )
    .eq('customer_id', customerId)
    .order('created_at', { ascending: false })
    .limit(100);
  if (error) throw error;
  return data;
}

export type Favourite = Awaited<ReturnType<typeof fetchFavourites>>[number];

/** Alerts sent (or held back) about favourites, newest first; staff read them, RLS decides which. */
export async function fetchAlertHistory(customerId: string) {
  const { data, error } = await supabase
    .from('alert_log')
    .select('id, variant_id, kind, state, reason, old_price, new_price, currency, created_at, sent_at')
    .eq('customer_id', customerId)
    .order('created_at', { ascending: false })
    .limit(200);
  if (error) throw error;
  return data;
}

export type AlertEntry = Awaited<ReturnType<typeof fetchAlertHistory>>[number];

export const favouritesOptions = (customerId: string) =>
  queryOptions({ queryKey: customerKeys.favourites(customerId), queryFn: () => fetchFavourites(customerId) });

export const alertHistoryOptions = (customerId: string) =>
  queryOptions({
    queryKey: [...customerKeys.favourites(customerId), 'alerts'],
    queryFn: () => fetchAlertHistory(customerId),
  });

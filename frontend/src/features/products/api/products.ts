import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

export const productKeys = {
  one: (productId: string) => ['products', 'one', productId] as const,
};

/**
 * One product with its variants and their stock at each Shopify location, in one request (the
 * levels and locations are read by team members only: RLS on inventory_levels, shop_locations).
 */
export async function fetchProduct(productId: string) {
  const { data, error } = await supabase
    .from('products')
    .select(
      `id, title, vendor, product_type, status, image_url, source,
       shop:shops(name),
       product_variants(id, title, sku, price, currency, inventory_quantity, position,
         inventory_levels(available, external_updated_at,
           location:shop_locations(id, name, external_id, active, city, country)))`,
    )
    .eq('id', productId)
    .order('position', { referencedTable: 'product_variants' })
    .maybeSingle();
  if (error) throw error;
  return data;
}

export type ProductDetail = NonNullable<Awaited<ReturnType<typeof fetchProduct>>>;

export const productOptions = (productId: string) =>
  queryOptions({ queryKey: productKeys.one(productId), queryFn: () => fetchProduct(productId) });

export interface StockLocation {
  id: string;
  name: string | null;
  externalId: number;
  active: boolean;
  place: string | null;
}

/**
 * The locations any variant has a level at, active ones first then by name, and each variant's
 * level per location id (undefined: no level reported there; null: not tracked there).
 */
export function stockGrid(product: ProductDetail) {
  const locations = new Map<string, StockLocation>();
  const levels = new Map<string, Map<string, number | null>>();
  for (const variant of product.product_variants) {
    const byLocation = new Map<string, number | null>();
    for (const level of variant.inventory_levels) {
      if (!level.location) continue;
      const location = level.location;
      locations.set(location.id, {
        id: location.id,
        name: location.name,
        externalId: location.external_id,
        active: location.active,
        place: [location.city, location.country].filter(Boolean).join(', ') || null,
      });
      byLocation.set(location.id, level.available);
    }
    levels.set(variant.id, byLocation);
  }
  const ordered = [...locations.values()].sort(
    (a, b) =>
      Number(b.active) - Number(a.active) ||
      (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') ||
      a.externalId - b.externalId,
  );
  return { locations: ordered, levels };
}

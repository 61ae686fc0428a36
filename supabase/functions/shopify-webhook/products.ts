/**
 * products/create, products/update, products/delete and inventory_levels/update: the payloads'
 * schemas, the records Cairn keeps, and the mappings between them. A product record is applied
 * by `private.apply_shopify_product`, a deletion by `private.apply_shopify_product_deletion`, an
 * inventory level by `private.apply_shopify_inventory_level`.
 */
import { z } from 'zod';
import { id, moneyString, nonEmpty, optionalText, splitTags, timestamp } from './fields.ts';
import { money } from './money.ts';

export const variantSchema = z.object({
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

export const imageSchema = z.object({ id, src: z.string(), position: z.number().int().nullish() });

export const productSchema = z.object({
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

export const productDeleteSchema = z.object({ id });

export const inventoryLevelSchema = z.object({
  inventory_item_id: id,
  location_id: id,
  available: z.number().int().nullable(),
  updated_at: timestamp,
});

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

export function mapProduct(product: z.output<typeof productSchema>): ProductRecord {
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

export function mapProductDeletion(product: z.output<typeof productDeleteSchema>): ProductDeletionRecord {
  return { shopifyId: product.id };
}

export function mapInventoryLevel(level: z.output<typeof inventoryLevelSchema>): InventoryLevelRecord {
  return {
    inventoryItemId: level.inventory_item_id,
    locationId: level.location_id,
    available: level.available,
    updatedAt: level.updated_at,
  };
}

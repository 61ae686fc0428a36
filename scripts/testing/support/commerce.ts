/**
 * Commerce fixtures for database tests: shops, products with variants, customers and orders,
 * created as the superuser (fixtures bypass the rules the tests are about). Every name, domain
 * and external id is unique, so test files never collide with each other or with the demo seed.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { adminSql } from '@cairn/local-stack/testing.ts';

export const uniqueTag = () => randomUUID().slice(0, 8);
export const uniqueExternalId = () => randomInt(1, 2 ** 47);

export async function createShop(fields: { currency?: string; active?: boolean } = {}): Promise<string> {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.shops (name, domain, currency, active) values ($1, $2, $3, $4) returning id`,
    [`Shop ${uniqueTag()}`, `shop-${uniqueTag()}.myshopify.com`, fields.currency ?? 'EUR', fields.active ?? true],
  );
  return id;
}

export async function createProduct(
  fields: {
    status?: 'active' | 'draft' | 'archived';
    price?: number;
    currency?: string;
    inventory?: number | null;
  } = {},
): Promise<{ productId: string; variantId: string }> {
  const [{ id: productId }] = await adminSql<{ id: string }>(
    `insert into public.products (title, status, source, vendor) values ($1, $2, 'manual', 'Test Brand') returning id`,
    [`Product ${uniqueTag()}`, fields.status ?? 'active'],
  );
  const [{ id: variantId }] = await adminSql<{ id: string }>(
    `insert into public.product_variants (product_id, price, currency, inventory_quantity, sku)
     values ($1, $2, $3, $4, $5) returning id`,
    [
      productId,
      fields.price ?? 100,
      fields.currency ?? 'EUR',
      fields.inventory === undefined ? 5 : fields.inventory,
      `SKU-${uniqueTag()}`,
    ],
  );
  return { productId, variantId };
}

export async function createCustomer(
  ownerId: string | null,
  fields: { lifecycleStage?: string } = {},
): Promise<string> {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, owner_id, lifecycle_stage) values ('Test', $1, $2, $3) returning id`,
    [uniqueTag(), ownerId, fields.lifecycleStage ?? 'prospect'],
  );
  return id;
}

export interface OrderFields {
  customerId?: string | null;
  currency?: string;
  total?: number;
  financialStatus?: string;
  exchangeRate?: number | null;
  placedAt?: string;
  shopId?: string | null;
}

export async function createOrder(fields: OrderFields = {}): Promise<string> {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.orders (customer_id, currency, total, financial_status, exchange_rate, placed_at, shop_id, external_id, source)
     values ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7, $8, case when $7::uuid is null then 'manual' else 'shopify' end)
     returning id`,
    [
      fields.customerId ?? null,
      fields.currency ?? 'EUR',
      fields.total ?? 100,
      fields.financialStatus ?? 'paid',
      fields.exchangeRate === undefined ? 1 : fields.exchangeRate,
      fields.placedAt ?? null,
      fields.shopId ?? null,
      fields.shopId ? uniqueExternalId() : null,
    ],
  );
  return id;
}

export interface CustomerMetrics {
  lifetime_value: string;
  order_count: number;
  average_order_value: string;
  first_order_at: Date | null;
  last_order_at: Date | null;
  lifecycle_stage: string;
}

export async function metricsOf(customerId: string): Promise<CustomerMetrics> {
  const [row] = await adminSql<CustomerMetrics>(
    `select lifetime_value, order_count, average_order_value, first_order_at, last_order_at, lifecycle_stage
     from public.customers where id = $1`,
    [customerId],
  );
  return row;
}

/** The workspace base currency and another currency to test conversions with. */
export async function currencies(): Promise<{ base: string; foreign: string }> {
  const [{ base }] = await adminSql<{ base: string }>('select base_currency as base from public.workspace_settings');
  return { base, foreign: base === 'USD' ? 'GBP' : 'USD' };
}

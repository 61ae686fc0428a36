import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Database } from '@/types/database.types.ts';

import { orderNumberCandidates } from '../utils/order-number.ts';

export type FinancialStatus = Database['public']['Enums']['order_financial_status'];
export type FulfillmentStatus = Database['public']['Enums']['order_fulfillment_status'];

export const FINANCIAL_STATUSES: readonly FinancialStatus[] = [
  'pending',
  'authorized',
  'partially_paid',
  'paid',
  'partially_refunded',
  'refunded',
  'voided',
];

/** The list's status filter: a financial status, or cancelled orders whatever their payment. */
export type OrderStatusFilter = FinancialStatus | 'cancelled';

export const ORDER_SORTS = ['newest', 'oldest', 'highest', 'lowest'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

export interface OrderListParams {
  status?: OrderStatusFilter | null;
  search?: string;
  sort?: OrderSort;
  customerId?: string;
}

/** Where the next page starts: the last row's sort value and id (the tie-breaker). */
export interface OrderCursor {
  value: string | number;
  id: string;
}

export const ORDERS_PAGE_SIZE = 25;

const LIST_COLUMNS = `
  id, order_number, placed_at, financial_status, fulfillment_status, cancelled_at,
  currency, total, total_base, refunded_total, refunded_base, exchange_rate_date, exchange_rate_stale,
  customer:customers(id, full_name, email, company)
`;

export const orderKeys = {
  all: ['orders'] as const,
  list: (params: OrderListParams) => ['orders', 'list', params] as const,
  forCustomer: (customerId: string) => ['orders', 'list', { customerId }] as const,
  one: (orderId: string) => ['orders', 'one', orderId] as const,
};

const SORT_COLUMN: Record<OrderSort, { column: 'placed_at' | 'total_base'; ascending: boolean }> = {
  newest: { column: 'placed_at', ascending: false },
  oldest: { column: 'placed_at', ascending: true },
  highest: { column: 'total_base', ascending: false },
  lowest: { column: 'total_base', ascending: true },
};

// PostgREST logic-tree values are quoted, so commas, dots and brackets in them stay literal.
const quote = (value: string | number) => `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Rows after the cursor in (column, id) order, ascending or descending. */
export function afterCursor(sort: OrderSort, cursor: OrderCursor): string {
  const { column, ascending } = SORT_COLUMN[sort];
  const op = ascending ? 'gt' : 'lt';
  const value = quote(cursor.value);
  return `${column}.${op}.${value},and(${column}.eq.${value},id.${op}.${quote(cursor.id)})`;
}

/**
 * Customers whose name, email, phone or company match: search_customers uses the indexes the
 * policies would otherwise keep the planner from (see docs/database.md), and applies RLS itself.
 */
async function matchingCustomerIds(search: string): Promise<string[]> {
  const { data, error } = await supabase.rpc('search_customers', { query: search, result_limit: 50 });
  if (error) throw error;
  return data.map((row) => row.id).filter((id): id is string => id !== null);
}

/**
 * One page of orders, newest first by default, by keyset on (sort column, id). A search finds
 * orders by their number, or by their customer's name, email, phone or company.
 */
export async function fetchOrders(params: OrderListParams, cursor: OrderCursor | null) {
  const sort = params.sort ?? 'newest';
  const { column, ascending } = SORT_COLUMN[sort];
  const search = params.search?.trim() ?? '';
  const customerIds = search.length >= 2 && !params.customerId ? await matchingCustomerIds(search) : [];

  let query = supabase.from('orders').select(LIST_COLUMNS);
  if (params.customerId) query = query.eq('customer_id', params.customerId);
  if (params.status === 'cancelled') query = query.not('cancelled_at', 'is', null);
  else if (params.status) query = query.eq('financial_status', params.status).is('cancelled_at', null);
  if (search) {
    // Equality on the number and a set of customer ids: both leakproof, so indexes serve them
    // under RLS (a LIKE on order_number would scan every order the member may see).
    const byNumber = `order_number.in.(${orderNumberCandidates(search).map(quote).join(',')})`;
    query = query.or(customerIds.length ? `${byNumber},customer_id.in.(${customerIds.join(',')})` : byNumber);
  }
  if (cursor) query = query.or(afterCursor(sort, cursor));
  const { data, error } = await query
    .order(column, { ascending })
    .order('id', { ascending })
    .limit(ORDERS_PAGE_SIZE + 1);
  if (error) throw error;
  const orders = data.slice(0, ORDERS_PAGE_SIZE);
  const last = orders.at(-1);
  const next: OrderCursor | null = data.length > ORDERS_PAGE_SIZE && last ? { value: last[column], id: last.id } : null;
  return { orders, next };
}

export type OrderSummary = Awaited<ReturnType<typeof fetchOrders>>['orders'][number];

/** One order with its items, refunds, fulfilments, shop and customer, in one request. */
export async function fetchOrder(orderId: string) {
  const { data, error } = await supabase
    .from('orders')
    .select(
      `id, order_number, placed_at, processed_at, financial_status, fulfillment_status, cancelled_at, cancel_reason,
       currency, exchange_rate, exchange_rate_date, exchange_rate_stale, subtotal, discount_total, shipping_total, tax_total, total, total_base,
       refunded_total, refunded_base, net_total_base, counts_as_purchase,
       shipping_name, shipping_address1, shipping_address2, shipping_city, shipping_region, shipping_postal_code,
       shipping_country, carrier, tracking_number, tracking_url, note, source,
       shop:shops(name),
       customer:customers(id, full_name, email, company, phone),
       order_items(id, external_id, product_id, title, variant_title, sku, vendor, quantity, unit_price, discount_total, total, currency),
       refunds(id, amount, amount_base, reason, refunded_at),
       order_fulfillments(id, name, status, shipment_status, tracking_company, tracking_number, tracking_url,
         line_items, external_created_at, external_updated_at)`,
    )
    .eq('id', orderId)
    .order('refunded_at', { referencedTable: 'refunds' })
    .order('external_created_at', { referencedTable: 'order_fulfillments' })
    .maybeSingle();
  if (error) throw error;
  return data;
}

export type OrderDetail = NonNullable<Awaited<ReturnType<typeof fetchOrder>>>;

/**
 * Orders matching the filters, a page at a time ("Show more" continues by keyset). The previous
 * results stay on screen while a new filter loads, so the table does not flash empty.
 */
export const ordersOptions = (params: OrderListParams) =>
  infiniteQueryOptions({
    queryKey: params.customerId ? orderKeys.forCustomer(params.customerId) : orderKeys.list(params),
    queryFn: ({ pageParam }) => fetchOrders(params, pageParam),
    initialPageParam: null as OrderCursor | null,
    getNextPageParam: (page) => page.next,
    placeholderData: keepPreviousData,
  });

export const orderOptions = (orderId: string) =>
  queryOptions({ queryKey: orderKeys.one(orderId), queryFn: () => fetchOrder(orderId) });

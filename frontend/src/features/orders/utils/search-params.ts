import { MAX_SEARCH_LENGTH } from '@/lib/search.ts';

import {
  FINANCIAL_STATUSES,
  ORDER_SORTS,
  type OrderListParams,
  type OrderSort,
  type OrderStatusFilter,
} from '../api/orders.ts';

const STATUSES: readonly string[] = [...FINANCIAL_STATUSES, 'cancelled'];

/** The list's filters read from the URL; unknown values fall back to the defaults. */
export function readOrderParams(params: URLSearchParams): Required<Omit<OrderListParams, 'customerId'>> {
  const status = params.get('status');
  const sort = params.get('sort');
  return {
    status: status && STATUSES.includes(status) ? (status as OrderStatusFilter) : null,
    sort: sort && (ORDER_SORTS as readonly string[]).includes(sort) ? (sort as OrderSort) : 'newest',
    search: (params.get('q') ?? '').slice(0, MAX_SEARCH_LENGTH),
  };
}

/** The URL for changed filters; defaults are left out so links stay short and shareable. */
export function writeOrderParams(
  current: URLSearchParams,
  changes: Partial<{ status: OrderStatusFilter | null; sort: OrderSort; search: string }>,
): URLSearchParams {
  const next = new URLSearchParams(current);
  const set = (key: string, value: string | null | undefined, fallback: string) => {
    if (value === undefined) return;
    if (value === null || value === '' || value === fallback) next.delete(key);
    else next.set(key, value);
  };
  set('status', changes.status, '');
  set('sort', changes.sort, 'newest');
  set('q', changes.search, '');
  return next;
}

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { baseCurrencyOptions } from '@/api/workspace.ts';

import { fetchOrder, fetchOrders, orderKeys, type OrderCursor, type OrderListParams } from '../api/orders.ts';

/**
 * Orders matching the filters, a page at a time ("Show more" continues by keyset). The previous
 * results stay on screen while a new filter loads, so the table does not flash empty.
 */
export function useOrders(params: OrderListParams) {
  return useInfiniteQuery({
    queryKey: params.customerId ? orderKeys.forCustomer(params.customerId) : orderKeys.list(params),
    queryFn: ({ pageParam }) => fetchOrders(params, pageParam),
    initialPageParam: null as OrderCursor | null,
    getNextPageParam: (page) => page.next,
    placeholderData: keepPreviousData,
  });
}

export function useOrder(orderId: string) {
  return useQuery({ queryKey: orderKeys.one(orderId), queryFn: () => fetchOrder(orderId) });
}

export function useBaseCurrency() {
  return useQuery(baseCurrencyOptions());
}

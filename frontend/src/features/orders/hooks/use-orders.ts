import { useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { baseCurrencyOptions } from '@/api/workspace.ts';

import { orderOptions, ordersOptions, type OrderListParams } from '../api/orders.ts';

export function useOrders(params: OrderListParams) {
  return useInfiniteQuery(ordersOptions(params));
}

export function useOrder(orderId: string) {
  return useQuery(orderOptions(orderId));
}

export function useBaseCurrency() {
  return useQuery(baseCurrencyOptions());
}

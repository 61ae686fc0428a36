import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import { isSearchTooLong } from '@/lib/search.ts';
import { supabase } from '@/lib/supabase.ts';
import type { Database } from '@/types/database.types.ts';

type Functions = Database['public']['Functions'];

export type CustomerHit = Pick<
  Functions['search_customers']['Returns'][number],
  'id' | 'full_name' | 'email' | 'company' | 'city'
>;

export type OrderHit = Omit<Functions['search_orders']['Returns'][number], 'customer_name'> & {
  /** The buyer's name, or the shipping name of a guest checkout; null when neither is known. */
  customer_name: string | null;
};

export interface SearchResults {
  customers: CustomerHit[];
  orders: OrderHit[];
}

/** Below this the SQL functions refuse the query (and a single letter matches half the base). */
export const MIN_QUERY_LENGTH = 2;
const CUSTOMER_LIMIT = 6;
const ORDER_LIMIT = 5;

export const searchKeys = {
  all: ['search'] as const,
  query: (query: string) => ['search', query] as const,
};

/**
 * Customers and orders matching the query, both through functions that apply the caller's
 * access rules (an agent finds only their customers and their orders). `signal` cancels the
 * requests when the person has typed on, so a slow stale answer costs nothing.
 */
export async function searchEverything(query: string, signal?: AbortSignal): Promise<SearchResults> {
  let customers = supabase
    .rpc('search_customers', { query, result_limit: CUSTOMER_LIMIT })
    .select('id, full_name, email, company, city');
  let orders = supabase.rpc('search_orders', { query, result_limit: ORDER_LIMIT });
  if (signal) {
    customers = customers.abortSignal(signal);
    orders = orders.abortSignal(signal);
  }
  const [customerResult, orderResult] = await Promise.all([customers, orders]);
  if (customerResult.error) throw customerResult.error;
  if (orderResult.error) throw orderResult.error;
  return { customers: customerResult.data, orders: orderResult.data };
}

/**
 * As-you-type search: each query has its own cache entry, an outdated request is aborted, and
 * until the new answer arrives the previous results stay on screen (marked stale).
 */
export const searchOptions = (query: string) =>
  queryOptions({
    queryKey: searchKeys.query(query),
    queryFn: ({ signal }) => searchEverything(query, signal),
    placeholderData: keepPreviousData,
    // A query refused for its length is refused again: asking twice only delays the message.
    retry: (failures, error) => failures < 1 && !isSearchTooLong(error),
    // Results change as people work; a search a minute old is asked again.
    staleTime: 15_000,
  });

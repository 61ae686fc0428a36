import type { CustomerHit, OrderHit, SearchResults } from '../api/search.ts';
import { looksLikeOrderNumber } from './highlight.ts';

export type SearchOption =
  | { kind: 'customer'; key: string; href: string; hit: CustomerHit }
  | { kind: 'order'; key: string; href: string; hit: OrderHit };

export interface SearchGroup {
  kind: SearchOption['kind'];
  options: SearchOption[];
}

/**
 * The results as the listbox shows them: one group per kind, the empty ones left out, orders
 * first when the query reads as an order number. The flat order of `options` is the order the
 * arrow keys follow.
 */
export function toGroups(results: SearchResults, query: string): SearchGroup[] {
  const customers: SearchGroup = {
    kind: 'customer',
    options: results.customers.map((hit) => ({
      kind: 'customer',
      key: `customer-${hit.id}`,
      href: `/customers/${hit.id}`,
      hit,
    })),
  };
  const orders: SearchGroup = {
    kind: 'order',
    options: results.orders.map((hit) => ({ kind: 'order', key: `order-${hit.id}`, href: `/orders/${hit.id}`, hit })),
  };
  const groups = looksLikeOrderNumber(query) ? [orders, customers] : [customers, orders];
  return groups.filter((group) => group.options.length > 0);
}

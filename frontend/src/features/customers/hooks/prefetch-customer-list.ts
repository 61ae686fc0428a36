import type { QueryClient } from '@tanstack/react-query';

import { baseCurrencyOptions } from '@/api/workspace.ts';
import type { Asker } from '@/lib/permissions.ts';

import { customerListOptions } from '../api/customers.ts';
import { listScopeOf } from '../utils/abilities.ts';
import { parseListParams } from '../utils/list-params.ts';

/**
 * Starts the first page's requests before the screen mounts (render-as-you-fetch), with the same
 * query options the screen's hooks use, so they find the data already on its way. On a full page
 * load React holds the reveal of a lazy page for up to 300 ms; the list no longer waits behind it.
 */
export function prefetchCustomerList(queryClient: QueryClient, viewer: Asker, search: URLSearchParams): void {
  void queryClient.prefetchQuery(customerListOptions(parseListParams(search), listScopeOf(viewer)));
  void queryClient.prefetchQuery(baseCurrencyOptions());
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { customerListOptions, type ListScope } from '../api/customers.ts';
import type { ListParams } from '../utils/list-params.ts';

/**
 * One page of customers for the URL's state. The previous page stays on screen while the next
 * loads (no flash of skeleton on every keystroke or filter), marked as refreshing instead.
 */
export function useCustomerList(params: ListParams, scope: ListScope) {
  return useQuery({ ...customerListOptions(params, scope), placeholderData: keepPreviousData });
}

import { useQuery } from '@tanstack/react-query';

import {
  customerKeys,
  fetchBaseCurrency,
  fetchConsents,
  fetchCustomer,
  fetchCustomFieldDefinitions,
} from '../api/customer.ts';
import { fetchAlertHistory, fetchFavourites } from '../api/favourites.ts';

/** The customer row the header needs; `null` when RLS hides it or it does not exist. */
export function useCustomer(customerId: string) {
  return useQuery({ queryKey: customerKeys.one(customerId), queryFn: () => fetchCustomer(customerId) });
}

/** Fetched beside the customer, not after it: the header must not wait on a second round trip. */
export function useBaseCurrency() {
  return useQuery({ queryKey: customerKeys.baseCurrency, queryFn: fetchBaseCurrency, staleTime: 10 * 60_000 });
}

export function useConsents(customerId: string) {
  return useQuery({ queryKey: customerKeys.consents(customerId), queryFn: () => fetchConsents(customerId) });
}

export function useCustomFieldDefinitions() {
  return useQuery({
    queryKey: customerKeys.customFields,
    queryFn: fetchCustomFieldDefinitions,
    staleTime: 10 * 60_000,
  });
}

export function useFavourites(customerId: string) {
  return useQuery({ queryKey: customerKeys.favourites(customerId), queryFn: () => fetchFavourites(customerId) });
}

export function useAlertHistory(customerId: string) {
  return useQuery({
    queryKey: [...customerKeys.favourites(customerId), 'alerts'],
    queryFn: () => fetchAlertHistory(customerId),
  });
}

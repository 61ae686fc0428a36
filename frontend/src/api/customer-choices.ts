/**
 * Customers as pickers offer them (the deal form, the My tasks filter): a search by name, email
 * or company, and one customer's label. RLS decides: an agent finds their own customers only.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

export interface CustomerChoice {
  id: string;
  label: string;
}

const labelOf = (row: { id: string; full_name: string | null; email: string | null; company: string | null }) =>
  row.full_name ?? row.email ?? row.company ?? row.id;

/** Up to 20 customers whose name, email or company contains the term (all, by name, when empty). */
export async function searchCustomers(term: string): Promise<CustomerChoice[]> {
  const cleaned = term.replace(/[%_,()]/g, ' ').trim();
  let query = supabase.from('customers').select('id, full_name, email, company').order('full_name').limit(20);
  if (cleaned) query = query.or(`full_name.ilike.%${cleaned}%,email.ilike.%${cleaned}%,company.ilike.%${cleaned}%`);
  const { data, error } = await query;
  if (error) throw error;
  return data.map((row) => ({ id: row.id, label: labelOf(row) }));
}

/** One customer's label, or null when the viewer may not see them. */
export async function fetchCustomerChoice(id: string): Promise<CustomerChoice | null> {
  const { data, error } = await supabase
    .from('customers')
    .select('id, full_name, email, company')
    .eq('id', id)
    .maybeSingle();
  if (error) throw error;
  return data ? { id: data.id, label: labelOf(data) } : null;
}

export const customerChoiceKeys = {
  all: ['customer-choices'] as const,
  search: (term: string) => ['customer-choices', 'search', term] as const,
  one: (id: string) => ['customer-choices', 'one', id] as const,
};

export const customerSearchOptions = (term: string) =>
  queryOptions({ queryKey: customerChoiceKeys.search(term), queryFn: () => searchCustomers(term) });

export const customerChoiceOptions = (id: string) =>
  queryOptions({ queryKey: customerChoiceKeys.one(id), queryFn: () => fetchCustomerChoice(id) });

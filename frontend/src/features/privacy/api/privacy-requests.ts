/**
 * The privacy console's data: access and erasure requests (portal, Shopify, staff) with their
 * 30-day clock, a page at a time; the two one-click answers the database carries out
 * (answer_access_request, erase_customer), a refusal with its reason (refuse_privacy_request)
 * and a reassignment (to an active admin or manager: the database checks). Only admins and
 * managers read or work them (RLS on privacy_requests).
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type PrivacyRequest = Pick<
  Tables<'privacy_requests'>,
  | 'id'
  | 'kind'
  | 'source'
  | 'status'
  | 'requested_at'
  | 'due_at'
  | 'completed_at'
  | 'note'
  | 'assignee_id'
  | 'refusal_reason'
> & {
  customer: Pick<Tables<'customers'>, 'id' | 'full_name' | 'email'> | null;
  assignee: Pick<Tables<'team_members'>, 'full_name'> | null;
};

export type PrivacyRequestView = 'open' | 'done';

/** Requests per page; "Show more" loads the next. */
export const PRIVACY_PAGE_SIZE = 50;

const COLUMNS = `
  id, kind, source, status, requested_at, due_at, completed_at, note, assignee_id, refusal_reason,
  customer:customers(id, full_name, email),
  assignee:team_members(full_name)
`;

export const privacyRequestKeys = {
  all: ['privacy-requests'] as const,
  list: (view: PrivacyRequestView) => ['privacy-requests', 'list', view] as const,
  assignees: ['privacy-requests', 'assignees'] as const,
};

/**
 * A page of open and in-progress requests by due date (overdue first), or of answered ones,
 * latest first; `offset` rows in. The id breaks ties, so pages never overlap.
 */
export async function fetchPrivacyRequests(view: PrivacyRequestView, offset = 0): Promise<PrivacyRequest[]> {
  const query = supabase
    .from('privacy_requests')
    .select(COLUMNS)
    .range(offset, offset + PRIVACY_PAGE_SIZE - 1);
  const { data, error } =
    view === 'open'
      ? await query.in('status', ['open', 'in_progress']).order('due_at').order('id')
      : await query.in('status', ['completed', 'refused']).order('completed_at', { ascending: false }).order('id');
  if (error) throw error;
  return data;
}

export const privacyRequestsOptions = (view: PrivacyRequestView) =>
  infiniteQueryOptions({
    queryKey: privacyRequestKeys.list(view),
    queryFn: ({ pageParam }) => fetchPrivacyRequests(view, pageParam),
    initialPageParam: 0,
    getNextPageParam: (page: PrivacyRequest[], pages: PrivacyRequest[][]) =>
      page.length === PRIVACY_PAGE_SIZE ? pages.length * PRIVACY_PAGE_SIZE : undefined,
  });

export type PrivacyAssignee = Pick<Tables<'team_members'>, 'user_id' | 'full_name' | 'role'>;

/** Who may be handed a request: active admins and managers (the database refuses anyone else). */
export async function fetchPrivacyAssignees(): Promise<PrivacyAssignee[]> {
  const { data, error } = await supabase
    .from('team_members')
    .select('user_id, full_name, role')
    .in('role', ['admin', 'manager'])
    .eq('active', true)
    .not('accepted_at', 'is', null)
    .order('full_name');
  if (error) throw error;
  return data;
}

export const privacyAssigneesOptions = () =>
  queryOptions({ queryKey: privacyRequestKeys.assignees, queryFn: fetchPrivacyAssignees, staleTime: 60_000 });

/** Hands a request to another admin or manager. */
export async function reassignPrivacyRequest(id: string, assigneeId: string): Promise<void> {
  const { error } = await supabase.from('privacy_requests').update({ assignee_id: assigneeId }).eq('id', id);
  if (error) throw error;
}

/** Refuses a request with a reason the customer reads (10–2000 characters; the database checks). */
export async function refusePrivacyRequest(id: string, reason: string): Promise<void> {
  const { error } = await supabase.rpc('refuse_privacy_request', { request: id, reason });
  if (error) throw error;
}

/** Takes a request: assigns it to the caller and marks it in progress. */
export async function takePrivacyRequest(id: string, userId: string): Promise<void> {
  const { error } = await supabase
    .from('privacy_requests')
    .update({ status: 'in_progress', assignee_id: userId })
    .eq('id', id);
  if (error) throw error;
}

/** Builds the export of an access request; the database records it and completes the request. */
export async function answerAccessRequest(id: string): Promise<unknown> {
  const { data, error } = await supabase.rpc('answer_access_request', { request: id });
  if (error) throw error;
  return (data as { export: unknown }).export;
}

/** Carries out an erasure request (idempotent in the database). */
export async function eraseCustomer(id: string): Promise<void> {
  const { error } = await supabase.rpc('erase_customer', { request: id });
  if (error) throw error;
}

export type NewPrivacyRequest = { email: string; kind: 'access' | 'erasure'; note: string };

/** Why a request could not be entered, as the dialog says it. */
export class PrivacyRequestError extends Error {
  constructor(readonly reason: 'no_customer' | 'already_open') {
    super(reason);
  }
}

/**
 * A request told to staff (by phone, letter, email): the customer with that exact email gets
 * an open request of that kind (source staff; the database sets the clock). One open request
 * per customer and kind: a second is refused as already open.
 */
export async function enterPrivacyRequest({ email, kind, note }: NewPrivacyRequest): Promise<void> {
  const customers = supabase.from('customers').select('id').limit(2);
  // Case-insensitive and literal; PostgREST reads * as a wildcard, which no escape turns off.
  const found = email.includes('*')
    ? await customers.eq('email', email)
    : await customers.ilike('email', email.replace(/[\\%_]/g, '\\$&'));
  if (found.error) throw found.error;
  if (found.data.length !== 1) throw new PrivacyRequestError('no_customer');
  const { error } = await supabase
    .from('privacy_requests')
    .insert({ customer_id: found.data[0].id, kind, source: 'staff', note: note || null });
  if (error?.code === '23505') throw new PrivacyRequestError('already_open');
  if (error) throw error;
}

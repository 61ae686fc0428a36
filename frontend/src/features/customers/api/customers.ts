/** The customers list and customer writes: the only module of this feature that reads customers. */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables, TablesInsert } from '@/types/database.types.ts';

import { afterCursorFilter, orderTerms, reverseTerms, type OrderTerm } from '../utils/keyset.ts';
import type { Cursor, ListFilters, ListParams } from '../utils/list-params.ts';

export type CustomerRow = Pick<
  Tables<'customer_list'>,
  | 'id'
  | 'full_name'
  | 'email'
  | 'phone'
  | 'company'
  | 'country'
  | 'city'
  | 'status'
  | 'lifecycle_stage'
  | 'owner_id'
  | 'owner_name'
  | 'lifetime_value'
  | 'order_count'
  | 'last_order_at'
  | 'created_at'
  | 'tag_names'
> & { id: string };

// Every column the list filters or sorts on is selected: this PostgREST cannot filter a function's
// result (search_customer_list) on a column it does not return (PostgREST#3965, fixed upstream).
const LIST_COLUMNS =
  'id, full_name, email, phone, company, country, city, status, lifecycle_stage, owner_id, owner_name, lifetime_value, order_count, last_order_at, created_at, tag_names';

export const PAGE_SIZE = 50;

export interface ListScope {
  /** Agents read only their own customers; saying so in the query lets it use customers_owner_idx. */
  ownerOnly?: string;
}

export interface CustomerPage {
  rows: CustomerRow[];
  hasPrevious: boolean;
  hasNext: boolean;
  /** The planner's estimate above PostgREST's exact-count threshold, hence "about". */
  total: number | null;
}

export const customerKeys = {
  all: ['customers'] as const,
  lists: () => ['customers', 'list'] as const,
  list: (params: ListParams, scope: ListScope) => ['customers', 'list', params, scope] as const,
  one: (id: string) => ['customers', 'one', id] as const,
};

/** One page of the list: the declaration the screen's hook and the route's prefetch share. */
export const customerListOptions = (params: ListParams, scope: ListScope) =>
  queryOptions({ queryKey: customerKeys.list(params, scope), queryFn: () => fetchCustomerPage(params, scope) });

/** One customer as the form edits it. */
export const customerRecordOptions = (id: string) =>
  queryOptions({ queryKey: customerKeys.one(id), queryFn: () => fetchCustomer(id) });

/** Search needs two characters, like search_customers(); one letter would match nearly everyone. */
export const MIN_SEARCH_LENGTH = 2;

/** Embeds that only filter (tag, consent) are named so the select knows which to add. */
function selectFor(filters: ListFilters): string {
  const embeds: string[] = [];
  if (filters.tag) embeds.push('tagged:customer_tags!inner(tag_id)');
  if (filters.consent === 'granted') embeds.push('consent:customer_consents!inner(status)');
  if (filters.consent === 'not_granted') embeds.push('consent:customer_consents(status)');
  return [LIST_COLUMNS, ...embeds].join(', ');
}

/**
 * The list query with every filter but the page position. The export applies the same filters in
 * the database (export_customers_csv), so the file holds exactly what the screen shows.
 */
function filteredQuery(params: ListParams, scope: ListScope, count: boolean) {
  const search = params.q.trim();
  const options = count ? { count: 'estimated' as const } : undefined;
  // A search goes through search_customer_list(), which finds the matches with the search
  // indexes (a LIKE on the view cannot use them under row-level security) and returns
  // customer_list rows that filter, sort and page exactly like the view.
  // A segment's members come from segment_customer_list(), which compiles the segment's rules in
  // the database under the reader's row-level security (and keeps the search, when there is one).
  let query = params.segment
    ? supabase
        .rpc(
          'segment_customer_list',
          { segment_id: params.segment, ...(search.length >= MIN_SEARCH_LENGTH ? { query: search } : {}) },
          { get: true, ...options },
        )
        .select(selectFor(params))
    : search.length >= MIN_SEARCH_LENGTH
      ? supabase.rpc('search_customer_list', { query: search }, { get: true, ...options }).select(selectFor(params))
      : supabase.from('customer_list').select(selectFor(params), options);
  if (scope.ownerOnly) query = query.eq('owner_id', scope.ownerOnly);
  if (params.status) query = query.eq('status', params.status);
  if (params.stage) query = query.eq('lifecycle_stage', params.stage);
  if (params.country) query = query.eq('country', params.country);
  if (params.owner === 'none') query = query.is('owner_id', null);
  else if (params.owner) query = query.eq('owner_id', params.owner);
  if (params.tag) query = query.eq('tagged.tag_id', params.tag);
  if (params.consent) {
    // The latest event per channel and purpose (customer_consents) for email marketing; "not
    // granted" is an anti-join: no current grant, whether withdrawn or never asked.
    query = query.eq('consent.channel', 'email').eq('consent.purpose', 'marketing').eq('consent.status', 'granted');
    if (params.consent === 'not_granted') query = query.is('consent', null);
  }
  return query;
}

function ordered<Q extends { order: (column: string, options: { ascending: boolean; nullsFirst: boolean }) => Q }>(
  query: Q,
  terms: OrderTerm[],
): Q {
  return terms.reduce(
    (next, term) => next.order(term.column, { ascending: term.ascending, nullsFirst: term.nullsFirst }),
    query,
  );
}

/** Strips the filter-only embeds from a row. */
function toRow(raw: CustomerRow & { tagged?: unknown; consent?: unknown }): CustomerRow {
  const { tagged: _tagged, consent: _consent, ...row } = raw;
  return row;
}

/**
 * One page of the list. `after` reads forwards; `before` reads the index backwards from the
 * cursor and flips the rows back, so "previous" costs the same as "next".
 */
export async function fetchCustomerPage(params: ListParams, scope: ListScope = {}): Promise<CustomerPage> {
  const terms = orderTerms(params.sort, params.dir);
  const backwards = params.before !== undefined;
  const cursor: Cursor | undefined = params.after ?? params.before;
  const readTerms = backwards ? reverseTerms(terms) : terms;
  let query = filteredQuery(params, scope, true);
  if (cursor) query = query.or(afterCursorFilter(readTerms, cursor));
  // One extra row says whether there is another page in the direction of reading.
  const { data, error, count } = await ordered(query, readTerms)
    .limit(PAGE_SIZE + 1)
    .overrideTypes<Array<CustomerRow & { tagged?: unknown; consent?: unknown }>, { merge: false }>();
  if (error) throw error;
  const more = data.length > PAGE_SIZE;
  const page = data.slice(0, PAGE_SIZE).map(toRow);
  return backwards
    ? { rows: page.reverse(), hasPrevious: more, hasNext: true, total: count }
    : { rows: page, hasPrevious: cursor !== undefined, hasNext: more, total: count };
}

/** The sort column's value of a row, for the cursor of the next page. */
export function cursorValue(row: CustomerRow, params: Pick<ListParams, 'sort'>): Cursor['value'] {
  const column = orderTerms(params.sort, 'asc')[0].column as keyof CustomerRow;
  const value = row[column];
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}

// ─── One customer (the form) ──────────────────────────────────────────────────────────────────

export type CustomerRecord = Pick<
  Tables<'customers'>,
  | 'id'
  | 'first_name'
  | 'last_name'
  | 'email'
  | 'phone'
  | 'company'
  | 'country'
  | 'region'
  | 'city'
  | 'postal_code'
  | 'timezone'
  | 'language'
  | 'currency'
  | 'status'
  | 'lifecycle_stage'
  | 'owner_id'
  | 'custom_fields'
>;

const RECORD_COLUMNS =
  'id, first_name, last_name, email, phone, company, country, region, city, postal_code, timezone, language, currency, status, lifecycle_stage, owner_id, custom_fields';

export type CustomerWrite = Omit<
  TablesInsert<'customers'>,
  'auth_user_id' | 'source' | 'style_interests' | 'favourite_brands'
>;

export async function fetchCustomer(id: string): Promise<CustomerRecord> {
  const { data, error } = await supabase.from('customers').select(RECORD_COLUMNS).eq('id', id).single();
  if (error) throw error;
  return data;
}

export async function createCustomer(values: CustomerWrite): Promise<CustomerRecord> {
  const { data, error } = await supabase
    .from('customers')
    .insert({ ...values, source: 'manual' })
    .select(RECORD_COLUMNS)
    .single();
  if (error) throw error;
  return data;
}

export async function updateCustomer(id: string, values: CustomerWrite): Promise<CustomerRecord> {
  const { data, error } = await supabase.from('customers').update(values).eq('id', id).select(RECORD_COLUMNS).single();
  if (error) throw error;
  return data;
}

// ─── Bulk actions ─────────────────────────────────────────────────────────────────────────────
// Each returns how many customers actually changed: row-level security skips, without an error,
// rows the person may not change, and the screen says so rather than claim success for all.

export async function tagCustomers(ids: string[], tagId: string): Promise<number> {
  const { data, error } = await supabase
    .from('customer_tags')
    .upsert(
      ids.map((customer_id) => ({ customer_id, tag_id: tagId })),
      { onConflict: 'customer_id,tag_id', ignoreDuplicates: true },
    )
    .select('customer_id');
  if (error) throw error;
  return data.length;
}

export async function assignCustomers(ids: string[], ownerId: string | null): Promise<number> {
  const { data, error } = await supabase.from('customers').update({ owner_id: ownerId }).in('id', ids).select('id');
  if (error) throw error;
  return data.length;
}

export async function changeCustomersStage(ids: string[], stage: string): Promise<number> {
  const { data, error } = await supabase
    .from('customers')
    .update({ lifecycle_stage: stage })
    .in('id', ids)
    .select('id');
  if (error) throw error;
  return data.length;
}

/** A bulk action on a segment's members, as the database runs it (public.segment_actions). */
export interface SegmentActionJob {
  id: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  total: number;
  processed: number;
  changed: number;
  error: string | null;
}

const JOB_COLUMNS = 'id, status, total, processed, changed, error';

/**
 * A bulk action on every member of a segment, however many pages they fill (act_on_segment: the
 * database freezes the members, does the first 500 at once and the rest in batches under the
 * caller's rules). Resolves to the job: done for a small segment, running (with progress) else.
 */
export async function actOnSegment(
  segmentId: string,
  action: 'tag' | 'assign' | 'stage',
  value: string | null,
): Promise<SegmentActionJob> {
  const { data, error } = await supabase.rpc('act_on_segment', {
    segment_id: segmentId,
    action,
    ...(value === null ? {} : { value }),
  });
  if (error) throw error;
  return data as unknown as SegmentActionJob;
}

export async function fetchSegmentAction(id: string): Promise<SegmentActionJob> {
  const { data, error } = await supabase.from('segment_actions').select(JOB_COLUMNS).eq('id', id).single();
  if (error) throw error;
  return data as SegmentActionJob;
}

/** A running job's progress, asked again every 2 s until it ends. */
export const segmentActionOptions = (id: string) =>
  queryOptions({
    queryKey: ['segment-actions', id] as const,
    queryFn: () => fetchSegmentAction(id),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 2000 : false),
  });

export async function cancelSegmentAction(id: string): Promise<SegmentActionJob> {
  const { data, error } = await supabase.rpc('cancel_segment_action', { action_id: id });
  if (error) throw error;
  return data as unknown as SegmentActionJob;
}

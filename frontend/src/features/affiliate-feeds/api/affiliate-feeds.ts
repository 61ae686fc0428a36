/**
 * Settings → Affiliate feeds (admins; RLS on affiliate_feeds, affiliate_feed_runs,
 * affiliate_feed_errors): the feeds with their latest run, adding, pausing, removing, "Run now"
 * (run_affiliate_feed_now) and the refused rows of a run as CSV.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables, TablesInsert } from '@/types/database.types.ts';

export type FeedRun = Pick<
  Tables<'affiliate_feed_runs'>,
  | 'id'
  | 'status'
  | 'started_at'
  | 'finished_at'
  | 'rows_total'
  | 'rows_created'
  | 'rows_updated'
  | 'rows_unchanged'
  | 'rows_rejected'
  | 'products_unavailable'
  | 'error'
>;
export type AffiliateFeed = Tables<'affiliate_feeds'> & { runs: FeedRun[] };

export const affiliateFeedKeys = { all: ['affiliate-feeds'] as const };

const RUN_COLUMNS =
  'id, status, started_at, finished_at, rows_total, rows_created, rows_updated, rows_unchanged, rows_rejected, products_unavailable, error';

export async function fetchAffiliateFeeds(): Promise<AffiliateFeed[]> {
  const { data, error } = await supabase
    .from('affiliate_feeds')
    .select(`*, runs:affiliate_feed_runs(${RUN_COLUMNS})`)
    .order('network')
    .order('started_at', { referencedTable: 'runs', ascending: false })
    .limit(1, { referencedTable: 'runs' });
  if (error) throw error;
  return (data ?? []) as AffiliateFeed[];
}

/** Asked every 5 s while a run is going, else when the page is opened. */
export const affiliateFeedsOptions = () =>
  queryOptions({
    queryKey: affiliateFeedKeys.all,
    queryFn: fetchAffiliateFeeds,
    refetchInterval: (query) =>
      query.state.data?.some((feed) => feed.runs[0]?.status === 'fetching' || feed.runs[0]?.status === 'applying')
        ? 5000
        : false,
  });

export async function addAffiliateFeed(
  feed: Pick<TablesInsert<'affiliate_feeds'>, 'network' | 'feed_url' | 'format' | 'interval_minutes' | 'field_map'>,
) {
  const { error } = await supabase.from('affiliate_feeds').insert(feed);
  if (error) throw error;
}

export async function setAffiliateFeedActive(id: string, active: boolean) {
  const { error } = await supabase.from('affiliate_feeds').update({ active }).eq('id', id);
  if (error) throw error;
}

export async function removeAffiliateFeed(id: string) {
  const { error } = await supabase.from('affiliate_feeds').delete().eq('id', id);
  if (error) throw error;
}

export async function runAffiliateFeedNow(id: string) {
  const { error } = await supabase.rpc('run_affiliate_feed_now', { feed_id: id });
  if (error) throw error;
}

/** A CSV cell: quoted, and formula-escaped (a leading = + - @ is not run by a spreadsheet). */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The refused rows of a run (line, id, reason) as CSV, every row (pages of 1000). */
export async function fetchRunErrorsCsv(runId: string): Promise<string> {
  const lines = ['line,id,reason'];
  for (let from = 0; ; from += 1000) {
    const { data, error } = await supabase
      .from('affiliate_feed_errors')
      .select('line, item_id, reason')
      .eq('run_id', runId)
      .order('line')
      .range(from, from + 999);
    if (error) throw error;
    for (const row of data ?? []) lines.push([row.line, row.item_id, row.reason].map(csvCell).join(','));
    if ((data ?? []).length < 1000) break;
  }
  return `${lines.join('\r\n')}\r\n`;
}

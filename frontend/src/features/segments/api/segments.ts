/** Segment writes, the live preview and the exports: the only module of this feature that reads them. */
import { queryOptions } from '@tanstack/react-query';

import { SEGMENT_COLUMNS, type Segment } from '@/api/segments.ts';
import { supabase } from '@/lib/supabase.ts';
import type { Json } from '@/types/database.types.ts';

export interface SegmentPreview {
  count: number;
  sample: Array<{
    id: string;
    full_name: string | null;
    email: string | null;
    country: string | null;
    lifetime_value: number;
    order_count: number;
    last_order_at: string | null;
  }>;
}

/** The live count and a sample, as the person may see them; the database compiles the rules. */
export async function previewSegment(rules: Record<string, unknown>): Promise<SegmentPreview> {
  const { data, error } = await supabase.rpc('preview_segment', { rules: rules as Json, sample_size: 10 });
  if (error) throw error;
  return data as unknown as SegmentPreview;
}

export const segmentPreviewOptions = (rules: Record<string, unknown>) =>
  queryOptions({
    queryKey: ['segments', 'preview', rules] as const,
    queryFn: () => previewSegment(rules),
    retry: false,
    placeholderData: (previous) => previous,
  });

export interface SegmentInput {
  name: string;
  description: string;
  shared: boolean;
  rules: Record<string, unknown>;
  preset?: string | null;
}

export async function createSegment(input: SegmentInput): Promise<Segment> {
  const { data, error } = await supabase
    .from('segments')
    .insert({ ...input, rules: input.rules as { [key: string]: Json } })
    .select(SEGMENT_COLUMNS)
    .single();
  if (error) throw error;
  return data;
}

export async function updateSegment(id: string, input: Omit<SegmentInput, 'preset'>): Promise<Segment> {
  const { data, error } = await supabase
    .from('segments')
    .update({ ...input, rules: input.rules as { [key: string]: Json } })
    .eq('id', id)
    .select(SEGMENT_COLUMNS)
    .single();
  if (error) throw error;
  return data;
}

export async function deleteSegment(id: string): Promise<void> {
  const { error } = await supabase.from('segments').delete().eq('id', id);
  if (error) throw error;
}

export interface CsvExport {
  csv: string;
  rowCount: number;
  capped: boolean;
}

/** The segment's members through the logged customers export (kind segment_csv). */
export async function exportSegmentCsv(segmentId: string, headers: Record<string, string>): Promise<CsvExport> {
  const { data, error } = await supabase
    .rpc('export_customers_csv', { filters: { segment: segmentId }, labels: { headers } })
    .single();
  if (error) throw error;
  return { csv: data.csv, rowCount: data.row_count, capped: data.capped };
}

/** Newsletter opt-ins (seed 000's back-office list), optionally one style; logged by the database. */
export async function exportNewsletterOptins(style: string, headers: Record<string, string>): Promise<CsvExport> {
  const { data, error } = await supabase
    .rpc('export_newsletter_optins_csv', { ...(style.trim() ? { style: style.trim() } : {}), labels: { headers } })
    .single();
  if (error) throw error;
  return { csv: data.csv, rowCount: data.row_count, capped: data.capped };
}

// ─── History and snapshots ───────────────────────────────────────────────────────────────────

export interface SizeDay {
  day: string;
  members: number;
  joined: number;
  left: number;
}

/** Members per day (days in the viewer's zone), from the join/leave history the caller may see. */
export async function fetchSizeHistory(segmentId: string, fromDay: string, toDay: string, timeZone: string) {
  const { data, error } = await supabase.rpc('segment_size_history', {
    segment_id: segmentId,
    from_day: fromDay,
    to_day: toDay,
    timezone: timeZone,
  });
  if (error) throw error;
  return data as SizeDay[];
}

export const sizeHistoryOptions = (segmentId: string, fromDay: string, toDay: string, timeZone: string) =>
  queryOptions({
    queryKey: ['segments', 'history', segmentId, fromDay, toDay, timeZone] as const,
    queryFn: () => fetchSizeHistory(segmentId, fromDay, toDay, timeZone),
  });

export interface Snapshot {
  id: string;
  name: string;
  taken_at: string;
  taken_by: string | null;
  member_count: number;
}

export const snapshotKeys = { of: (segmentId: string) => ['segments', 'snapshots', segmentId] as const };

export async function fetchSnapshots(segmentId: string): Promise<Snapshot[]> {
  const { data, error } = await supabase
    .from('segment_snapshots')
    .select('id, name, taken_at, taken_by, member_count')
    .eq('segment_id', segmentId)
    .order('taken_at', { ascending: false })
    .limit(100);
  if (error) throw error;
  return data;
}

export const snapshotsOptions = (segmentId: string) =>
  queryOptions({ queryKey: snapshotKeys.of(segmentId), queryFn: () => fetchSnapshots(segmentId) });

export async function takeSnapshot(segmentId: string, name: string): Promise<string> {
  const { data, error } = await supabase.rpc('take_segment_snapshot', { segment_id: segmentId, name });
  if (error) throw error;
  return data;
}

export interface SnapshotDiff {
  added: number;
  removed: number;
  /** Up to 20 of the customers who changed, with their names. */
  examples: Array<{ id: string; name: string | null; change: 'added' | 'removed' }>;
}

export async function compareSnapshots(earlier: string, later: string): Promise<SnapshotDiff> {
  const { data, error } = await supabase.rpc('compare_segment_snapshots', { earlier, later });
  if (error) throw error;
  const changes = data as Array<{ customer_id: string; change: 'added' | 'removed' }>;
  const shown = changes.slice(0, 20);
  const names = new Map<string, string | null>();
  if (shown.length > 0) {
    const { data: rows, error: failed } = await supabase
      .from('customer_list')
      .select('id, full_name, email')
      .in(
        'id',
        shown.map((change) => change.customer_id),
      );
    if (failed) throw failed;
    for (const row of rows) if (row.id) names.set(row.id, row.full_name ?? row.email);
  }
  return {
    added: changes.filter((change) => change.change === 'added').length,
    removed: changes.filter((change) => change.change === 'removed').length,
    examples: shown.map((change) => ({
      id: change.customer_id,
      name: names.get(change.customer_id) ?? null,
      change: change.change,
    })),
  };
}

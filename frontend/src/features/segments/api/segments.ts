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

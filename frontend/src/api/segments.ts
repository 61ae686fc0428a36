/**
 * The segments a member may use: their own and those the team shared (RLS decides). One key root
 * (`segmentKeys.all`): the segments screen writes them and invalidates it; the customers list's
 * segment filter reads `segmentsOptions()`.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type Segment = Pick<
  Tables<'segments'>,
  'id' | 'owner_id' | 'name' | 'description' | 'rules' | 'shared' | 'preset' | 'updated_at'
>;

export const SEGMENT_COLUMNS = 'id, owner_id, name, description, rules, shared, preset, updated_at';

export const segmentKeys = {
  all: ['segments'] as const,
  list: ['segments', 'list'] as const,
};

export async function fetchSegments(): Promise<Segment[]> {
  const { data, error } = await supabase.from('segments').select(SEGMENT_COLUMNS).order('name');
  if (error) throw error;
  return data;
}

export const segmentsOptions = () => queryOptions({ queryKey: segmentKeys.list, queryFn: fetchSegments });

/** A member's saved views of the customers list (table saved_views: own, or shared by the team). */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type SavedView = Pick<Tables<'saved_views'>, 'id' | 'owner_id' | 'name' | 'state' | 'shared' | 'updated_at'>;

const VIEW_COLUMNS = 'id, owner_id, name, state, shared, updated_at';

export const savedViewKeys = {
  all: ['saved-views', 'customers'] as const,
};

/** Own views and those others shared; RLS decides which rows come back. */
export async function fetchSavedViews(): Promise<SavedView[]> {
  const { data, error } = await supabase.from('saved_views').select(VIEW_COLUMNS).eq('list', 'customers').order('name');
  if (error) throw error;
  return data;
}

export interface SavedViewInput {
  name: string;
  shared: boolean;
  state: Record<string, string>;
}

export async function createSavedView(input: SavedViewInput): Promise<SavedView> {
  const { data, error } = await supabase
    .from('saved_views')
    .insert({ list: 'customers', name: input.name, shared: input.shared, state: input.state })
    .select(VIEW_COLUMNS)
    .single();
  if (error) throw error;
  return data;
}

export async function updateSavedView(id: string, changes: Partial<SavedViewInput>): Promise<SavedView> {
  const { data, error } = await supabase.from('saved_views').update(changes).eq('id', id).select(VIEW_COLUMNS).single();
  if (error) throw error;
  return data;
}

export async function deleteSavedView(id: string): Promise<void> {
  const { error } = await supabase.from('saved_views').delete().eq('id', id);
  if (error) throw error;
}

export const savedViewsOptions = () => queryOptions({ queryKey: savedViewKeys.all, queryFn: fetchSavedViews });

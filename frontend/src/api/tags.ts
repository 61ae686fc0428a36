/**
 * The team's one list of tags. One key root (`tagKeys.all`): Settings, the customer editor's
 * "new tag" and anything else that writes tags invalidates it, and the customers filters, bulk
 * bar and tag editor all read `tagsOptions()`, so a new tag shows everywhere at once.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type Tag = Pick<Tables<'tags'>, 'id' | 'name' | 'colour'>;

export const tagKeys = {
  all: ['tags'] as const,
  list: ['tags', 'list'] as const,
};

export async function fetchTags(): Promise<Tag[]> {
  const { data, error } = await supabase.from('tags').select('id, name, colour').order('name');
  if (error) throw error;
  return data;
}

export const tagsOptions = () => queryOptions({ queryKey: tagKeys.list, queryFn: fetchTags, staleTime: 5 * 60_000 });

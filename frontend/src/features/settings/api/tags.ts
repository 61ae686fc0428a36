import { queryOptions } from '@tanstack/react-query';

import { tagKeys } from '@/api/tags.ts';
import { supabase } from '@/lib/supabase.ts';

import type { TagInput } from '../schemas/tag.ts';

/** A tag with how many customers carry it (counted under the reader's RLS, by the tag_usage view). */
export interface TagWithUsage {
  id: string;
  name: string;
  colour: string;
  description: string | null;
  customer_count: number;
}

export async function fetchTagUsage(): Promise<TagWithUsage[]> {
  const { data, error } = await supabase
    .from('tag_usage')
    .select('id, name, colour, description, customer_count')
    .order('name');
  if (error) throw error;
  // The view's columns are nullable in the generated types (views carry no NOT NULL); the
  // underlying columns are not.
  return data.map((tag) => ({
    id: tag.id ?? '',
    name: tag.name ?? '',
    colour: tag.colour ?? '#64748b',
    description: tag.description,
    customer_count: tag.customer_count ?? 0,
  }));
}

/** Under the tags' one key root, so any change to tags refreshes the counts too. */
export const tagUsageOptions = () => queryOptions({ queryKey: [...tagKeys.all, 'usage'], queryFn: fetchTagUsage });

const toRow = (input: TagInput) => ({
  name: input.name,
  colour: input.colour,
  description: input.description || null,
});

export async function createTag(input: TagInput): Promise<void> {
  const { error } = await supabase.from('tags').insert(toRow(input));
  if (error) throw error;
}

export async function updateTag(id: string, input: TagInput): Promise<void> {
  const { data, error } = await supabase.from('tags').update(toRow(input)).eq('id', id).select('id');
  if (error) throw error;
  if (data.length === 0) throw Object.assign(new Error('tag not updated'), { code: '42501' });
}

export async function deleteTag(id: string): Promise<void> {
  const { data, error } = await supabase.from('tags').delete().eq('id', id).select('id');
  if (error) throw error;
  if (data.length === 0) throw Object.assign(new Error('tag not deleted'), { code: '42501' });
}

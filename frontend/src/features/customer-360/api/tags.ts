import type { Tag } from '@/api/tags.ts';
import { supabase } from '@/lib/supabase.ts';

export async function addTag(customerId: string, tagId: string): Promise<void> {
  const { error } = await supabase.from('customer_tags').insert({ customer_id: customerId, tag_id: tagId });
  if (error) throw error;
}

export async function removeTag(customerId: string, tagId: string): Promise<void> {
  const { error } = await supabase.from('customer_tags').delete().eq('customer_id', customerId).eq('tag_id', tagId);
  if (error) throw error;
}

/** Creates a tag; names are unique ignoring case, so an existing one is reused instead. */
export async function createTag(name: string): Promise<Tag> {
  const { data, error } = await supabase.from('tags').insert({ name }).select('id, name, colour').single();
  if (error?.code === '23505') {
    // Same name ignoring case; % and _ taken literally, as the unique index compares them.
    const pattern = name.replace(/[\\%_]/g, (character) => `\\${character}`);
    const existing = await supabase.from('tags').select('id, name, colour').ilike('name', pattern).maybeSingle();
    if (existing.data) return existing.data;
  }
  if (error) throw error;
  return data;
}
